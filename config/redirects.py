"""Where to send a user after a form: the `next` they came with, if it stays on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The request's `next` (form field first, then query string) when it is a URL on this host
    with an allowed scheme; otherwise the fallback (a URL or a URL name). `//evil.example/x`,
    `https://evil.example/` and `javascript:` are refused."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback)
