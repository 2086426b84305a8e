"""Turn an uploaded plan (UTF-8 or GB18030 text, or a PDF with a text layer) into text."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

# A page with fewer characters than this is treated as having no text layer.
_MIN_CHARS_PER_PAGE = 20


class DraftInputError(ValueError):
    """The file cannot be read as a plan text; the message says why, in Chinese."""


def plan_text_from_bytes(raw: bytes, name: str = "") -> str:
    if raw[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return _pdf_text(raw)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.strip():
            return text
        raise DraftInputError("文件是空的，没有规划文本。")
    raise DraftInputError("无法识别文件编码：请提供 UTF-8 或 GB18030 编码的文本，或带文字层的 PDF。")


def _pdf_text(raw: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DraftInputError(f"无法读取该 PDF 文件：{exc}") from exc
    if not pages:
        raise DraftInputError("该 PDF 文件没有页面。")
    if sum(len("".join(p.split())) for p in pages) < _MIN_CHARS_PER_PAGE * len(pages):
        raise DraftInputError(
            "该 PDF 没有文字层（可能是扫描件），无法提取文本：请先做文字识别（OCR），或上传文本文件。"
        )
    # A form feed between pages lets the cleaner find running headers and page numbers.
    return "\n\f\n".join(pages)
