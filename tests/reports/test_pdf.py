"""The PDF report: made on the server by WeasyPrint, laid out for paper, and no request leaves."""

from __future__ import annotations

import io
import logging
import re
import socket
from collections import defaultdict

import pypdf
import pytest

from reports import report_jobs
from reports.pdf import BASE_URL, RefusedURL, html_to_pdf, local_static_fetcher, pdf_document
from targets.models import Target


def _ids_by_page(document) -> list[set[str]]:
    pages = []
    for page in document.pages:
        ids = set()
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id"):
                ids.add(element.get("id"))
        pages.append(ids)
    return pages


def test_pdf_holds_the_report_and_keeps_targets_whole(leader_client, zibo_non_fossil, monkeypatch):
    rendered = {}

    def keep_document(html: str) -> bytes:
        rendered["document"] = pdf_document(html)
        return rendered["document"].write_pdf()

    monkeypatch.setattr(report_jobs, "html_to_pdf", keep_document)
    # The PDF is made by a background job (in-process in tests); the old URL leads to its file.
    response = leader_client.get("/reports/cities/zibo/2024.pdf", follow=True)

    assert response.redirect_chain[0][0].startswith("/jobs/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.getvalue()
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "淄博2024年度进展报告" in text
    assert "数据截止日期2024年12月31日" in text
    assert "非化石能源消费比重" in text and "年份" in text  # a chart's axis title: the SVG was drawn
    # the site's navigation, skip link and the report's own links are not printed
    assert "规划目标跟踪" not in text and "跳到主要内容" not in text and "下载PDF" not in text

    pages = _ids_by_page(rendered["document"])
    assert len(reader.pages) == len(pages) > 3
    where: dict[str, set[int]] = defaultdict(set)
    for number, ids in enumerate(pages):
        for element_id in ids:
            where[element_id].add(number)
    cards = [i for i in where if i.startswith("target-")]
    assert len(cards) == Target.objects.filter(plan__city__code="zibo").count()
    split = {card: sorted(where[card]) for card in cards if len(where[card]) != 1}
    assert split == {}, "a target runs across pages"
    # Sections flow one after another: the summary and the contents share page 1.
    assert {"summary", "toc", "change", "targets", "overdue"} <= set(where)
    assert 0 in where["summary"] and 0 in where["toc"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/reports/report.css",  # another host
        "http://report.invalid/static/reports/report.css",  # our origin, other scheme
        "http://127.0.0.1:8000/static/reports/report.css",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
        f"{BASE_URL}static/../config/settings/base.py",  # climbing out of the static files
        f"{BASE_URL}static/reports/%2e%2e/%2e%2e/manage.py",
        f"{BASE_URL}admin/",  # our origin, not a static file
        f"{BASE_URL}static/reports/missing.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        local_static_fetcher().fetch(url)


def test_the_fetcher_serves_our_static_files():
    response = local_static_fetcher().fetch(f"{BASE_URL}static/reports/report.css")
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
        '<link rel="stylesheet" href="/static/reports/report.css"></head>'
        '<body><h1>威海</h1><img src="http://192.0.2.1/x.png"><img src="file:///etc/hostname">'
        '<div style="background: url(https://example.org/bg.png)">文字</div></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
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
    """The report's charts reach WeasyPrint as data: URLs (reports.pdf.svg_image); what such an
    SVG links to goes through the same fetcher and is refused."""
    from reports.pdf import svg_image

    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("a connection was opened"))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60">'
        '<text x="5" y="20">图表文字</text><image href="https://example.com/x.png" width="10" height="10"/></svg>'
    )
    with caplog.at_level(logging.WARNING, logger="reports.pdf"):
        pdf = html_to_pdf(f"<html><body>{svg_image(svg, alt='图')}</body></html>")
    assert "图表文字" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "refused to fetch https://example.com/x.png" in " ".join(r.getMessage() for r in caplog.records)
    assert svg_image("") == ""
