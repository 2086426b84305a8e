"""Turn an uploaded plan (UTF-8 or GB18030 text, or a PDF with a text layer) into text."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

# A page with fewer characters than this is treated as having no text layer.
_MIN_CHARS_PER_PAGE = 20


class DraftInputError(ValueError):
    """The file cannot be read as a plan text. The message says why in Chinese; `code` names the
    reason so a page can say it in its own language."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def plan_text_from_bytes(raw: bytes, name: str = "") -> str:
    if raw[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return _pdf_text(raw)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise DraftInputError("文件是空的，没有规划文本。", "empty")
        if _looks_like_text(text):
            return text
        break
    raise DraftInputError("无法识别文件编码：请提供 UTF-8 或 GB18030 编码的文本，或带文字层的 PDF。", "encoding")


def _looks_like_text(text: str) -> bool:
    """Chinese text, not binary bytes that happened to decode (GB18030 accepts a great deal)."""
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    chinese = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return controls * 100 <= len(text) and chinese > 0


def _pdf_text(raw: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise DraftInputError(f"无法读取该 PDF 文件：{exc}", "unreadable_pdf") from exc
    if not pages:
        raise DraftInputError("该 PDF 文件没有页面。", "unreadable_pdf")
    if sum(len("".join(p.split())) for p in pages) < _MIN_CHARS_PER_PAGE * len(pages):
        raise DraftInputError(
            "该 PDF 没有文字层（可能是扫描件），无法提取文本：请先做文字识别（OCR），或上传文本文件。", "scanned"
        )
    # A form feed between pages lets the cleaner find running headers and page numbers.
    return "\n\f\n".join(pages)
