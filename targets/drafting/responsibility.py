"""Responsibility clauses: who carries out a task, in printed order, the first one leading.

Layouts found in plans:
  （责任单位：市发展改革委、市生态环境局）   〔责任单位：…〕   责任单位：… on its own line
  （牵头单位：市发展改革委；配合单位：市工业和信息化局、市财政局）
  （市发展改革委牵头，市工业和信息化局等按职责分工负责）
  （市生态环境局、市发展改革委）  — a bracket of unit names closing a paragraph
  〔…按职责分工负责，各区县（含…）负责落实。…〕
Each clause is quoted piece by piece as printed, so the validator can split it into names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from targets.drafting.bureau_names import looks_like_unit

_OPEN, _CLOSE = "（(〔【[", "）)〕】]"
_LABEL = re.compile(r"(?:责任|牵头|配合|参与|协办|主办|协同|督办)(?:单位|部门)\s*[：:]\s*")
_VERB = re.compile(r"按职责分工负责|按职责分工|分别牵头负责|牵头负责|共同负责|分工负责|负责|牵头|配合|参与")
_QUALIFIER = re.compile(r"[（(][^）)]*[）)]")


@dataclass
class Clause:
    quote: str  # as printed, one piece a validator can split
    names: list[str]  # printed names, qualifiers dropped
    start: int  # offset in the measure body
    end: int


@dataclass
class Responsibility:
    clauses: list[Clause] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        seen: list[str] = []
        for clause in self.clauses:
            seen += [n for n in clause.names if n not in seen]
        return seen

    @property
    def first_start(self) -> int | None:
        return min((c.start for c in self.clauses), default=None)


def split_top_level(text: str, separators: str) -> list[tuple[int, str]]:
    """Pieces of `text` split on separators outside brackets, each with its offset."""
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            pieces.append((start, text[start:i]))
            start = i + 1
    pieces.append((start, text[start:]))
    return pieces


def _names_of(piece: str) -> list[str] | None:
    """Unit names in one piece of a clause, or None when a part of it names no unit."""
    names = []
    for _, name in split_top_level(piece, "、，,"):
        name = _QUALIFIER.sub("", name).strip()
        name = re.sub(r"(等|等部门|等单位)$", "", name)
        if not name:
            continue
        if not looks_like_unit(name):
            return None
        names.append(name)
    return names or None


def _labelled(body: str, line_spans: list[tuple[int, int]]) -> list[Clause]:
    clauses = []
    for line_start, line_end in line_spans:
        for match in _LABEL.finditer(body, line_start, line_end):
            end = _names_end(body, match.end(), line_end)
            if end == line_end:  # a clause broken over lines by the extraction
                further = _names_end(body, match.end(), min(len(body), line_end + 80))
                if further < len(body) and body[further] in _CLOSE:
                    end = further
            names = _names_of(body[match.end() : end])
            if names:
                clauses.append(Clause(body[match.start() : end], names, match.start(), end))
    return clauses


def _names_end(body: str, start: int, limit: int) -> int:
    """End of a labelled clause's names: an unmatched closing bracket, 。 or ；, or the line end."""
    depth = 0
    for i in range(start, limit):
        char = body[i]
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif char in "。；;：:" and depth == 0:
            return i
    return limit


def _bracket_before(body: str, close: int) -> int | None:
    depth = 0
    for i in range(close, -1, -1):
        if body[i] in _CLOSE:
            depth += 1
        elif body[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return i
    return None


def _bracketed(body: str, line_spans: list[tuple[int, int]]) -> list[Clause]:
    clauses = []
    for _, line_end in line_spans:
        end = line_end
        while end > 0 and body[end - 1] in "。.；; ":
            end -= 1
        if end == 0 or body[end - 1] not in _CLOSE:
            continue
        opener = _bracket_before(body, end - 1)
        if opener is None:
            continue
        inner_start = opener + 1
        inner = body[inner_start : end - 1]
        found: list[Clause] = []
        for offset, segment in split_top_level(inner, "，,；;。"):
            verb = _VERB.search(_QUALIFIER.sub(lambda m: "＃" * len(m.group()), segment))
            names_part = segment[: verb.start()] if verb else segment
            quote = segment[: verb.end()] if verb else segment
            names = _names_of(names_part)
            if names is None:
                if not found:
                    break  # the bracket does not open with units: not a clause
                continue
            start = inner_start + offset
            found.append(Clause(quote, names, start, start + len(quote)))
        clauses += found
    return clauses


_LEAD_SENTENCE = re.compile(
    r"(?:^|(?<=[。；]))(?:由)?(?P<lead>[^。；，,]+?牵头(?:负责)?)[，,](?P<rest>[^。；]+?(?:配合|参与|按职责分工负责|负责))。?$"
)


def _lead_sentences(body: str, line_spans: list[tuple[int, int]]) -> list[Clause]:
    """A closing sentence "A牵头，B、C配合。" without brackets."""
    clauses = []
    for line_start, line_end in line_spans:
        match = _LEAD_SENTENCE.search(body, line_start, line_end)
        if not match:
            continue
        found: list[Clause] = []
        for group in ("lead", "rest"):
            piece = match.group(group)
            verb = _VERB.search(piece)
            names = _names_of(piece[: verb.start()] if verb else piece)
            if names is None:
                found = []
                break
            found.append(Clause(piece, names, match.start(group), match.end(group)))
        clauses += found
    return clauses


def find_responsibility(lines: list[str]) -> Responsibility:
    body = "".join(lines)
    spans, pos = [], 0
    for line in lines:
        spans.append((pos, pos + len(line)))
        pos += len(line)
    clauses = _labelled(body, spans)
    if not clauses:
        clauses = _bracketed(body, spans)
    if not clauses:
        clauses = _lead_sentences(body, spans)
    return Responsibility(sorted(clauses, key=lambda c: c.start))
