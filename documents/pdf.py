"""HTML to PDF on the server with WeasyPrint, without a single request leaving the machine.

The report's HTML links its stylesheets by their static URLs. WeasyPrint resolves them
against BASE_URL, an origin that does not exist, and hands them to local_static_fetcher(),
which serves the application's static files from disk and refuses everything else: other
hosts, other paths, file:, ftp:, and data: URLs other than the report's own charts (see
svg_image()). A refused resource is left out of the PDF with a
warning in the log; the text is still rendered.

Font subsetting: with libharfbuzz-subset0 installed WeasyPrint subsets the CJK font in C;
without it, it falls back to fontTools, which takes seconds per PDF for a 5 MB CJK font.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.utils.html import format_html

logger = logging.getLogger(__name__)
BASE_URL = "https://report.invalid/"  # .invalid never resolves (RFC 2606)
SVG_DATA = "data:image/svg+xml;base64,"


class RefusedURL(ValueError):
    """A resource the PDF may not load: anything that is not one of our static files."""


def static_path(url: str) -> Path | None:
    """The file on disk behind one of our static URLs (under BASE_URL), or None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    static_prefix = urlsplit(settings.STATIC_URL).path
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(static_prefix):
        return None
    name = unquote(parts.path[len(static_prefix) :])
    if not name or ".." in Path(name).parts or name.startswith("/"):
        return None
    try:
        found = finders.find(name)
        if not found and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)  # collected (hashed) names in production
    except (SuspiciousFileOperation, NotImplementedError):
        return None
    return Path(found) if found and Path(found).is_file() else None


@cache
def _fetcher_class() -> type:
    # WeasyPrint is imported on first use: it takes half a second, which every other
    # process (commands, workers, the test run) need not pay.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            if url.startswith(SVG_DATA):
                # A chart of the report itself; anything it links to comes back here and is refused.
                return URLFetcherResponse(
                    url, base64.b64decode(url[len(SVG_DATA) :]), {"Content-Type": "image/svg+xml"}
                )
            path = static_path(url)
            if path is None:
                logger.warning("PDF: refused to fetch %s (only the application's static files may be loaded)", url)
                raise RefusedURL(f"refused: {url}")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})

    return LocalStaticFetcher


def local_static_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves our static files from disk and refuses the rest."""
    return _fetcher_class()()


def pdf_document(html: str) -> Any:
    """The laid-out document (weasyprint.Document): its pages, then write_pdf()."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=local_static_fetcher()).render()


def svg_image(svg: str, alt: str = "") -> str:
    """An inline <svg> as an <img> of a data: URL, for the PDF only. WeasyPrint then draws it as
    an image instead of matching the document's CSS against each of its elements, which cost
    about a sixth of the report's layout time with sixty charts."""
    if not svg:
        return ""
    data = base64.b64encode(svg.encode()).decode("ascii")
    return format_html('<img class="chart" src="{}{}" alt="{}">', SVG_DATA, data, alt)


def html_to_pdf(html: str) -> bytes:
    return pdf_document(html).write_pdf()
