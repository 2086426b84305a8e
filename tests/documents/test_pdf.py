"""The PDF report: made on the server by WeasyPrint, laid out for paper, and no request leaves."""

from __future__ import annotations

import io
import logging
import socket

import pypdf
import pytest

from documents.pdf import BASE_URL, RefusedURL, html_to_pdf, local_static_fetcher


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/documents/report.css",  # another host
        "http://report.invalid/static/documents/report.css",  # our origin, other scheme
        "http://127.0.0.1:8000/static/documents/report.css",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        f"{BASE_URL}static/../config/settings/base.py",  # climbing out of the static files
        f"{BASE_URL}static/documents/%2e%2e/%2e%2e/manage.py",
        f"{BASE_URL}admin/",  # our origin, not a static file
        f"{BASE_URL}static/documents/missing.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        local_static_fetcher().fetch(url)


def test_the_fetcher_serves_our_static_files():
    response = local_static_fetcher().fetch(f"{BASE_URL}static/documents/report.css")
    assert response.content_type == "text/css"
    assert b"@media print" in response.read()


def test_rendering_opens_no_connection(monkeypatch, caplog):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    html = (
        '<html><head><link rel="stylesheet" href="https://example.com/x.css">'
        '<link rel="stylesheet" href="/static/documents/report.css"></head>'
        '<body><h1>威海</h1><img src="http://192.0.2.1/x.png"><img src="file:///etc/hostname">'
        '<div style="background: url(https://example.org/bg.png)">文字</div></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="documents.pdf"):
        pdf = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert attempts == []
    refused = " ".join(r.getMessage() for r in caplog.records)
    for url in ("https://example.com/x.css", "http://192.0.2.1/x.png", "file:///etc/hostname"):
        assert f"refused to fetch {url}" in refused
    assert "report.css" not in refused  # our own stylesheet was served
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "威海" in text and "文字" in text


def test_a_chart_drawn_as_an_image_may_fetch_nothing_either(monkeypatch, caplog):
    """The report's charts reach WeasyPrint as data: URLs (documents.pdf.svg_image); what such an
    SVG links to goes through the same fetcher and is refused."""
    from documents.pdf import svg_image

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("a connection was opened"))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60">'
        '<text x="5" y="20">图表文字</text><image href="https://example.com/x.png" width="10" height="10"/></svg>'
    )
    with caplog.at_level(logging.WARNING, logger="documents.pdf"):
        pdf = html_to_pdf(f"<html><body>{svg_image(svg, alt='图')}</body></html>")
    assert "图表文字" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "refused to fetch https://example.com/x.png" in " ".join(r.getMessage() for r in caplog.records)
    assert svg_image("") == ""
