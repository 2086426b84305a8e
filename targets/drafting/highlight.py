"""Mark where each drafted item came from in the plan's text, for the side-by-side review.

Quotes are found ignoring whitespace (the draft's quotes come from lines the PDF broke), and the
marks are returned as plain segments so the template escapes every piece of text itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Segment:
    text: str
    kind: str = ""  # "" for unmarked text; measure | responsibility | target
    key: str = ""  # section or target code
    anchor: str = ""  # id the item list links to


@dataclass
class Quote:
    kind: str
    key: str
    quote: str
    review: str = ""


def draft_quotes(data: dict[str, Any]) -> list[Quote]:
    quotes = []
    for measure in data.get("measures") or []:
        if not isinstance(measure, dict):
            continue
        section, review = str(measure.get("section", "")), str(measure.get("review") or "")
        quotes.append(Quote("measure", section, str(measure.get("title") or ""), review))
        for clause in measure.get("responsibility_sources") or []:
            quotes.append(Quote("responsibility", section, str(clause)))
    for target in data.get("targets") or []:
        if isinstance(target, dict):
            quotes.append(
                Quote(
                    "target",
                    str(target.get("code", "")),
                    str(target.get("source") or ""),
                    str(target.get("review") or ""),
                )
            )
    return [q for q in quotes if q.quote.strip()]


def highlight(text: str, quotes: list[Quote]) -> tuple[list[Segment], dict[int, str]]:
    """Segments of `text` with every quote found marked, and each found quote's anchor by index."""
    positions = [i for i, char in enumerate(text) if not char.isspace()]
    squashed = "".join(text[i] for i in positions)
    spans: list[tuple[int, int, int]] = []  # start, end, quote index
    anchors: dict[int, str] = {}
    search_from = 0
    for n, quote in enumerate(quotes):
        needle = "".join(quote.quote.split())
        # Items come in printed order: look after the previous find first, then anywhere.
        at = squashed.find(needle, search_from)
        if at < 0:
            at = squashed.find(needle)
        if at < 0 or not needle:
            continue
        start, end = positions[at], positions[at + len(needle) - 1] + 1
        if quote.kind != "target":
            search_from = at
        if any(s < end and start < e for s, e, _ in spans):
            anchors[n] = next(f"src-{k}" for s, e, k in spans if s < end and start < e)
            continue
        spans.append((start, end, n))
        anchors[n] = f"src-{n}"
    segments, cursor = [], 0
    for start, end, n in sorted(spans):
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], quotes[n].kind, quotes[n].key, f"src-{n}"))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments, anchors
