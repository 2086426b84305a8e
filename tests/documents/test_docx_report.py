"""The Word version of the annual report: made by a background job, opened here with python-docx."""

from __future__ import annotations

import io
from urllib.parse import quote

import docx
from docx.oxml.ns import qn

from documents.annual import annual_report_build
from documents.docx_report import DOCX_CONTENT_TYPE, annual_report_docx
from documents.report_jobs import DOCX
from jobs.models import BackgroundJob
from targets.models import City, Target

ZIBO_2025 = "/reports/cities/zibo/2025.docx"


def _blocks(document) -> list:
    """Paragraphs and tables in document order."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(docx.text.paragraph.Paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            blocks.append(docx.table.Table(child, document))
    return blocks


def _target_tables(document) -> list[tuple[str, list]]:
    """Each Heading 2 (a sector in a target year) and the tables that follow it."""
    sections: list[tuple[str, list]] = []
    for block in _blocks(document):
        if isinstance(block, docx.text.paragraph.Paragraph):
            if block.style.name == "Heading 1":
                sections.append(("", []))  # a section's own tables belong to no sector
            elif block.style.name == "Heading 2":
                sections.append((block.text, []))
        elif sections:
            sections[-1][1].append(block)
    return [(name, tables) for name, tables in sections if name]


def test_the_word_report_holds_the_report_with_headings_tables_and_charts(leader_client, zibo_non_fossil):
    response = leader_client.get(ZIBO_2025, follow=True)
    assert response.redirect_chain[0][0].startswith("/jobs/")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="zibo-2025-progress-report.docx"; ')
    assert f"filename*=utf-8''{quote('淄博2025年度进展报告.docx')}" in disposition
    document = docx.Document(io.BytesIO(response.getvalue()))

    report = annual_report_build(city=City.objects.get(code="zibo"), year=2025)
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == "淄博2025年度进展报告"
    text = "\n".join(p.text for p in paragraphs)
    assert f"目标数：{report.target_count}" in text and "数据截止日期：2025年3月31日" in text
    headings_1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings_1 == [
        "摘要",
        "与2024年相比",
        "目标状态汇总",
        "分领域状态",
        *(f"{year}年目标（{len(entries)}项）" for year, entries in report.sections),
        f"逾期任务（截至2025年12月31日，{len(report.overdue)}项）",
    ]

    # a heading per sector in each target year, and under it one table row per target, in order
    expected: dict[str, list[str]] = {}
    for _year, entries in report.sections:
        for entry in entries:
            expected.setdefault(entry.row.target.indicator.sector.name, []).append(entry.row.status_label)
    found: dict[str, list[str]] = {}
    for sector, tables in _target_tables(document):
        if sector == "逾期事项最多的单位" or not tables:  # the summary's lists are paragraphs
            continue
        assert len(tables) == 1, sector
        header, *rows = tables[0].rows
        assert [c.text for c in header.cells] == ["指标", "目标", "最新值", "已完成进度", "应完成进度", "状态"]
        found.setdefault(sector, []).extend(row.cells[-1].text for row in rows)
    assert found == expected
    assert sum(len(statuses) for statuses in found.values()) == Target.objects.filter(plan__city__code="zibo").count()

    # the non-fossil targets' row: the figures of the page's card (data up to 2025: 11 % in March)
    rows = [r for t in document.tables for r in t.rows if r.cells[0].text.startswith("非化石能源消费比重")]
    assert rows and all(r.cells[-1].text in {"已实现", "按计划推进"} for r in rows)
    assert any(r.cells[2].text == "11 %（2025-03）" for r in rows)

    # the charts as PNG pictures: the summary's and the sectors' bars, and one per target with data
    charted = sum(1 for _y, entries in report.sections for e in entries if e.figure)
    assert charted >= 2 and len(document.inline_shapes) == charted + 2
    pictures = [part for part in document.part.package.parts if part.partname.endswith(".png")]
    assert pictures and all(part.blob.startswith(b"\x89PNG") for part in pictures)

    # Chinese text in a Chinese font: the East-Asian slot is named, not left to the theme
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:eastAsiaTheme")) is None
    (defaults,) = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    assert defaults.get(qn("w:eastAsia")) == "宋体" and defaults.get(qn("w:eastAsiaTheme")) is None
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:eastAsiaTheme")) is None
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)  # A4


def test_a_second_download_hands_out_the_same_file(leader_client, zibo_non_fossil):
    first = leader_client.get(ZIBO_2025, follow=True).getvalue()
    second = leader_client.get(ZIBO_2025)
    assert second.status_code == 302 and second["Location"].startswith("/jobs/")
    assert BackgroundJob.objects.filter(kind=DOCX).count() == 1
    assert leader_client.get(second["Location"]).getvalue() == first


def test_the_word_report_needs_the_dashboard_access(client, users):
    response = client.get("/reports/cities/testcity/2025.docx")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(users["eco_staff"])
    assert client.get("/reports/cities/testcity/2025.docx", follow=True)["Content-Type"] == DOCX_CONTENT_TYPE
    assert client.get("/reports/cities/nowhere/2025.docx").status_code == 404


def test_the_report_page_links_the_word_version(leader_client, world):
    html = leader_client.get("/reports/cities/testcity/2025/").content.decode()
    assert 'href="/reports/cities/testcity/2025.docx"' in html and 'href="/reports/cities/testcity/2025.pdf"' in html


def test_the_word_report_opens_with_the_executive_summary_and_the_change(world, users):
    report = annual_report_build(city=City.objects.get(code="testcity"), year=2025)
    document = docx.Document(io.BytesIO(annual_report_docx(report)))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    start = styled.index(("Heading 1", "摘要"))
    sentences = report.executive.sentences
    assert sentences and styled[start + 1 : start + 1 + len(sentences)] == [("Normal", s) for s in sentences]
    headings_1 = [text for style, text in styled if style == "Heading 1"]
    assert headings_1[:3] == ["摘要", f"与{report.year - 1}年相比", "目标状态汇总"]
    headings_2 = [text for style, text in styled[start:] if style == "Heading 2"]
    assert headings_2[:3] == ["进展最滞后的目标", f"{report.year}年新实现的目标", "需关注的领域"]
