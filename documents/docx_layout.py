"""The Word file's page and type: A4, Chinese fonts that Word and WPS pick up, table helpers.

Word chooses a font per script: `w:ascii`/`w:hAnsi` for Latin text, `w:eastAsia` for Chinese.
python-docx's default template leaves the East-Asian slot to the theme (`w:eastAsiaTheme`),
which takes precedence over a named font and resolves to a Japanese or Western face on many
installations, so Chinese text shows in a fallback font. Each style used here names 宋体 (body)
or 黑体 (headings) in the East-Asian slot and drops the theme attributes, and the document's
language for East-Asian text is zh-CN.
"""

from __future__ import annotations

import io
from typing import Any

import cairosvg
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

from documents.figure_svg import figure_svg

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Arial"
CHART_WIDTH_PX = 560
CHART_WIDTH = Cm(13)
PNG_SCALE = 1.5  # 840 px over 13 cm: about 160 dpi, sharp in print, small in the file
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def east_asian_fonts(element: Any, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts of a style's rPr (a CT_Style), East-Asian slot included, without theme fonts."""
    _name_fonts(element.get_or_add_rPr().get_or_add_rFonts(), east_asian, latin)


def _name_fonts(fonts: Any, east_asian: str, latin: str) -> None:
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def document_setup(document: Document) -> None:
    """A4 portrait with 2.2 cm margins; body and heading styles in Chinese fonts."""
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.2)
        section.top_margin = section.bottom_margin = Cm(2.2)
    styles = document.styles
    # the document defaults too: a style that names no font (a table's, a list's) falls back to them
    for fonts in styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts"):
        _name_fonts(fonts, BODY_FONT, LATIN_FONT)
    normal = styles["Normal"]
    east_asian_fonts(normal.element, BODY_FONT)
    normal.font.size = Pt(10.5)  # 五号, the usual body size of a Chinese office document
    r_pr = normal.element.get_or_add_rPr()
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)  # last in rPr, where the schema puts it (after w:sz)
    language.set(qn("w:eastAsia"), "zh-CN")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        east_asian_fonts(styles[name].element, HEADING_FONT)
    for name in ("Table Grid", "Caption", "List Number"):
        east_asian_fonts(styles[name].element, BODY_FONT)


def page_header(document: Document, text: str) -> None:
    """The running header (the report and its cut-off) and the page number in the footer."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = text
    header.style.font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    number = OxmlElement("w:t")
    number.text = "1"
    run.append(number)
    field.append(run)
    footer._p.append(field)


def data_table(document: Document, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    """A grid table with a bold header row that repeats on every page it spans."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    head = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        cell_text(cell, text, bold=True)
        shade(cell, "eaeef2")
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell_text(cell, text)
    for column, width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    return table


def cell_text(cell: _Cell, text: str, *, bold: bool = False, colour: str = "", size: float = 9) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def shade(cell: _Cell, fill: str) -> None:
    """The cell's background (hex without #), as the pages' status chips are filled."""
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def status_cell(cell: _Cell, label: str, colour: str) -> None:
    """A status as on the pages: white text on the status's colour (each passes 4.5:1)."""
    shade(cell, colour.lstrip("#"))
    paragraph = cell.paragraphs[0]
    for run in paragraph.runs:
        run.text = ""
    cell_text(cell, label, bold=True, colour="FFFFFF")


def save(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_chart(document: Document, spec: dict, title: str) -> None:
    """A chart as a PNG picture with its title as the caption; nothing when it has no point."""
    svg = figure_svg(spec, width=CHART_WIDTH_PX, title=title)
    if not svg:
        return
    png = cairosvg.svg2png(bytestring=svg.encode(), scale=PNG_SCALE)
    document.add_paragraph(title, style="Caption")
    document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
