"""Clean text extracted from PDFs: page numbers, running headers, extraction spaces.

The result keeps one printed line per list item, because headings are found at line starts.
Lines are not merged here: a sentence broken by a page break is rejoined when a measure's
body is assembled (`structure`), and quotes are compared ignoring whitespace, as the
validator does.
"""

from __future__ import annotations

import re
from collections import Counter

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(第\s*)?\d{1,3}(\s*页)?(\s*/\s*(共\s*)?\d{1,3}\s*页?)?[-—–－\s]*$")
# A space the extraction put between two characters, unless both are Latin letters or digits
# (kept there so "Li ion" stays two words).
_INNER_SPACE = re.compile(r"(?<![A-Za-z0-9])[ \t\u3000\u00a0]+|[ \t\u3000\u00a0]+(?![A-Za-z0-9])")
_MAX_HEADER_LEN = 30
_MIN_HEADER_REPEATS = 3
_MIN_HEADER_LEN = 4


def clean_lines(text: str) -> list[str]:
    """Non-empty printed lines, without page numbers, running headers or extraction spaces."""
    raw = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    raw = [line.replace("\f", "").strip() for line in raw]
    counts = Counter(line for line in raw if line and len(line) <= _MAX_HEADER_LEN)
    headers = {
        line
        for line, n in counts.items()
        if n >= _MIN_HEADER_REPEATS
        and len(line) >= _MIN_HEADER_LEN
        and not re.search(r"[。；，、（）()〔〕]", line)
        and not _looks_like_heading(line)
    }
    lines = []
    for line in raw:
        if not line or _PAGE_NUMBER.match(line) or line in headers:
            continue
        lines.append(squeeze_spaces(line))
    return [line for line in lines if line]


def squeeze_spaces(line: str) -> str:
    return _INNER_SPACE.sub("", line).strip()


def _looks_like_heading(line: str) -> bool:
    return bool(re.match(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])", line))


def to_full_width(text: str) -> str:
    """Half-width punctuation between Chinese characters written full-width, as printed plans do."""
    text = re.sub(r"(?<=[\u4e00-\u9fff）”])\s*,\s*(?=[\u4e00-\u9fff“（])", "，", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s*:\s*", "：", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s*;\s*", "；", text)
    text = re.sub(r"\((?=[^()]*[\u4e00-\u9fff])([^()]*)\)", r"（\1）", text)
    return text
