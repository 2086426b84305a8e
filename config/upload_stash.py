"""Keep an uploaded file in the session between "preview" and "confirm".

What is confirmed is exactly what was previewed: the confirm step must send back the digest of
the previewed bytes, and a stale or foreign confirm finds nothing.
"""

from __future__ import annotations

import base64
import hashlib

from django.http import HttpRequest


def stash_upload(request: HttpRequest, key: str, raw: bytes, name: str) -> str:
    """Store the file under `key`; returns the digest the confirm form must send back."""
    digest = hashlib.sha256(raw).hexdigest()
    request.session[key] = {"name": name, "data": base64.b64encode(raw).decode(), "sha256": digest}
    return digest


def take_upload(request: HttpRequest, key: str) -> tuple[bytes, str] | None:
    """The stashed (bytes, name) if the posted digest matches; the stash is removed either way."""
    stored = request.session.pop(key, None)
    if not stored or stored.get("sha256") != request.POST.get("digest"):
        return None
    return base64.b64decode(stored["data"]), stored["name"]


def drop_upload(request: HttpRequest, key: str) -> None:
    request.session.pop(key, None)
