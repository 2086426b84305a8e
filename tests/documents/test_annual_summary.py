"""The executive summary and the PDF of Zibo's 2025 report, with the four real plans and the
demo data: its figures against the dashboard's own selectors, its page count and its contents.

The demo data ends in 2025, so the 2025 report (judged on the data up to its end) and today's
dashboard stand on the same data and must show the same figures. One PDF is rendered and read
for all the PDF's assertions (rendering is the slow part).
"""

from __future__ import annotations

import io
import re
import subprocess

import pypdf

from documents import report_jobs
from documents.pdf import pdf_document
from measures.selectors import bureaus_by_overdue, city_measures
from reporting.statuses import status_styles
from targets.models import City, Target


def _dashboard_sentence(headline) -> str:
    """The headline sentence written here from the dashboard's counts, not by the report's code."""
    parts = "、".join(
        f"{style.label}{headline.counts[style.code]}项" for style in status_styles() if headline.counts[style.code]
    )
    return f"截至2025年底，{headline.year}年{headline.total}项量化目标中{parts}。"


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


def test_the_summary_counts_what_the_dashboard_counts(leader_client, zibo_demo):
    report = leader_client.get("/reports/cities/zibo/2025/").context["report"]
    page = leader_client.get("/cities/zibo/")
    summary, dashboard = report.executive, page.context
    city = City.objects.get(code="zibo")

    assert [(h.year, dict(h.counts)) for h in summary.headlines] == [
        (h.year, dict(h.counts)) for h in dashboard["targets"].headlines
    ]
    assert sum(h.total for h in summary.headlines) > 30  # the demo gives most targets a status
    html = page.content.decode()
    for headline in dashboard["targets"].headlines:
        assert f"{headline.year}年：{headline.total}项量化目标中" in html
        assert _dashboard_sentence(headline) in summary.sentences
    # the sector chart: the dashboard's figure spec, the same bars in the same colours
    ours, theirs = summary.sector_figure, dashboard["chart"]["figure"]
    assert [(t["name"], t["y"], t["x"], t["marker"]) for t in ours["data"]] == [
        (t["name"], t["y"], t["x"], t["marker"]) for t in theirs["data"]
    ]
    assert all(f'fill="{t["marker"]["color"]}"' in report.sector_chart for t in theirs["data"])
    # measures: the dashboard's rule on the report's day; late data: today, as the dashboard shows it
    assert summary.overdue_bureaus == bureaus_by_overdue(city_measures(city, report.as_of)["overdue"], limit=5)
    late = [row for row in dashboard["completeness"] if row.missing or row.late]
    assert late and [(r.bureau, r.missing, r.late) for r in summary.late_data] == [
        (r.bureau, r.missing, r.late) for r in late[:5]
    ]
    assert summary.late_data_count == len(late)
    # furthest behind: rows needing attention, the worst status first
    assert summary.furthest_behind and all(
        row.status in ("missed", "deteriorating", "off_track", "needs_acceleration") for row in summary.furthest_behind
    )


def test_zibo_2025_pdf(leader_client, zibo_demo, monkeypatch):
    rendered = {}

    def keep_document(html: str) -> bytes:
        rendered["document"] = pdf_document(html)
        return rendered["document"].write_pdf()

    monkeypatch.setattr(report_jobs, "html_to_pdf", keep_document)
    # The PDF is made by a background job (in-process in tests); the old URL leads to its file.
    response = leader_client.get("/reports/cities/zibo/2025.pdf", follow=True)
    assert response.redirect_chain[0][0].startswith("/jobs/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.getvalue()
    reader = pypdf.PdfReader(io.BytesIO(content))
    pages = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]

    # Page 1: the headline sentences, with the dashboard's figures, and what needs attention.
    headlines = leader_client.get("/cities/zibo/").context["targets"].headlines
    for headline in headlines:
        assert _dashboard_sentence(headline) in pages[0]
    for heading in (
        "摘要",
        "各领域目标状态",
        "进展最滞后的目标",
        "2025年新实现的目标",
        "需关注的领域",
        "逾期任务最多的单位",
    ):
        assert heading in pages[0], heading
    assert "演示数据" in pages[0]  # the demo values are marked on paper too
    assert "淄博2025年度进展报告" in pages[0] and "数据截止日期2025年12月31日" in pages[0]
    everything = "".join(pages)
    assert "非化石能源消费比重" in everything and "年份" in everything  # a chart's axis title: drawn
    # the site's navigation, skip link and the page's own links are not printed
    assert "规划目标跟踪" not in everything and "跳到主要内容" not in everything and "下载PDF" not in everything

    # Compact: all of Zibo's targets in at most 12 A4 pages, none split across two.
    assert len(reader.pages) <= 12
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    where: dict[str, list[int]] = {}
    for number, ids in enumerate(_ids_by_page(rendered["document"]), start=1):
        for element_id in ids:
            where.setdefault(element_id, []).append(number)
    cards = [i for i in where if i.startswith("target-")]
    assert len(cards) == Target.objects.filter(plan__city__code="zibo").count()
    assert all(len(where[card]) == 1 for card in cards), "a target runs across pages"
    assert where["summary"] == [1] and 1 in where["toc"]  # sections flow: no page per section

    # Running header (after page 1) and "page x of y" footer, in the page's language.
    assert "淄博2025年度进展报告" in pages[1] and "数据截止日期2025年12月31日" in pages[1]
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页，共{len(pages)}页" in text

    # The table of contents: every part and sector, each with the page it starts on.
    layout = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "2", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    toc = {name: int(page) for name, page in re.findall(r"(\S+?)\s*\.{3,}\s*(\d+)", layout)}
    report = leader_client.get("/reports/cities/zibo/2025/").context["report"]
    expected = {
        "摘要": "summary",
        "与2024年相比": "change",
        "逾期任务": "overdue",
        f"各领域目标（{report.target_count}项）": "targets",
    }
    for section in report.sectors:
        expected[f"{section.sector.name}（{len(section.entries)}）"] = f"sector-{section.sector.code}"
    assert set(toc) == set(expected)
    assert {name: toc[name] for name in expected} == {name: min(where[i]) for name, i in expected.items()}
