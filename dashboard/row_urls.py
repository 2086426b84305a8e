"""Links for lists of rows: a URL pattern reversed once, then completed per row."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_URL_MARK = 987654321  # an argument no URL holds anywhere else (a pk, or a code: slugs take digits)


def row_url(name: str) -> Callable[[int | str], str]:
    """The URL named `name` (one argument, a pk or a code) for any row, reversed once per URL
    configuration and script prefix: a list of links then costs a string format per row
    rather than a URL resolution."""
    head, tail = _url_around_key(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return lambda key: f"{head}{key}{tail}"


@functools.lru_cache(maxsize=256)
def _url_around_key(name: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, urlconf=urlconf, args=[_URL_MARK]).partition(str(_URL_MARK))
    return head, tail
