"""403, 404 and 500 pages in the site's layout and the user's language, each with a way back.

The 500 page renders with a plain context: context processors read the cache and the database,
which may be what failed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our own PermissionDenied messages say which item and why; any other carries no message.
    reason = str(exception) if isinstance(exception, PermissionDenied) and str(exception) else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", {"path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({"request": request, "plain_context": True}))
