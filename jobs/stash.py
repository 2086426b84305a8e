"""Keep an uploaded file between "preview" and "confirm", in the default storage (MEDIA_ROOT).

The session holds only the stash's id, not the file. What is confirmed is exactly what was
previewed: the confirm step must send back the digest of the previewed bytes, and a stale,
foreign or tampered confirm finds nothing.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import HttpRequest

from jobs.models import StashedUpload


def _session_key(purpose: str) -> str:
    return f"stash:{purpose}"


def stash_upload(request: HttpRequest, purpose: str, raw: bytes, name: str) -> str:
    """Store the file for this user and purpose (replacing an earlier one); returns the digest
    the confirm form must send back."""
    drop_upload(request, purpose)
    digest = hashlib.sha256(raw).hexdigest()
    if not request.user.is_authenticated:  # both upload pages admit only signed-in users
        raise PermissionDenied
    stash = StashedUpload(owner=request.user, purpose=purpose, name=name[:255], sha256=digest)
    stash.file.save("upload", ContentFile(raw), save=True)
    request.session[_session_key(purpose)] = str(stash.pk)
    return digest


def _stash(request: HttpRequest, purpose: str) -> StashedUpload | None:
    stash_id = request.session.pop(_session_key(purpose), None)
    if not stash_id or not request.user.is_authenticated:
        return None
    return StashedUpload.objects.filter(pk=stash_id, owner=request.user, purpose=purpose).first()


def take_upload(request: HttpRequest, purpose: str) -> tuple[bytes, str] | None:
    """The stashed (bytes, name) if the posted digest matches; the stash is removed either way."""
    stash = _stash(request, purpose)
    if stash is None:
        return None
    try:
        if stash.sha256 != request.POST.get("digest"):
            return None
        try:
            with stash.file.open("rb") as handle:
                raw = handle.read()
        except OSError:  # pruned, or the storage lost it: ask for the file again
            return None
        return (raw, stash.name) if hashlib.sha256(raw).hexdigest() == stash.sha256 else None
    finally:
        stash_delete(stash)


def drop_upload(request: HttpRequest, purpose: str) -> None:
    stash = _stash(request, purpose)
    if stash is not None:
        stash_delete(stash)


def stash_delete(stash: StashedUpload) -> None:
    stash.file.delete(save=False)
    stash.delete()
