"""Which numbered sections are measures, with their text, responsibility and deadline."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from targets.drafting.cleaning import to_full_width
from targets.drafting.responsibility import Responsibility, find_responsibility
from targets.drafting.structure import Node, Outline
from targets.plan_text import split_responsibility

_DEADLINE = re.compile(r"(?:到|至|于)?(20[2-6]\d)年(?:(\d{1,2})月)?年?(?:底|末)前?")
# Labels the validator strips; a clause under another label is quoted from its names on.
_VALIDATOR_LABELS = ("责任单位", "牵头单位", "配合单位")


@dataclass
class MeasureDraft:
    node: Node
    text: str
    responsibility: Responsibility
    quotes: list[str]
    printed_names: list[str]
    deadline: dt.date | None = None
    deadline_source: str = ""
    reviews: list[str] = field(default_factory=list)


def _quote(clause_quote: str) -> str:
    label, sep, rest = clause_quote.partition("：")
    if sep and label not in _VALIDATOR_LABELS and label.endswith(("单位", "部门")):
        return rest
    return clause_quote


def _deadline(text: str) -> tuple[dt.date | None, str]:
    match = _DEADLINE.search(text)
    if not match:
        return None, ""
    year, month = int(match.group(1)), int(match.group(2) or 12)
    if not 1 <= month <= 12:
        return None, ""
    return dt.date(year, month, calendar.monthrange(year, month)[1]), match.group()


def find_measures(outline: Outline) -> list[MeasureDraft]:
    responsibilities = {id(node): find_responsibility(node.lines) for node in outline.nodes()}
    any_clause = any(r.clauses for r in responsibilities.values())
    measures = []
    for node in outline.nodes():
        if node.children:
            continue
        resp = responsibilities[id(node)]
        reviews = []
        if not resp.clauses:
            siblings = node.parent.children if node.parent else []
            with_clause = sum(1 for s in siblings if responsibilities[id(s)].clauses)
            if any_clause and not (siblings and with_clause * 2 >= len(siblings)):
                continue
            if not any_clause and (node.parent is None or node.parent is outline.roots[0] or not node.body):
                continue
            reviews.append("没有找到责任单位")
        body = node.body
        cut = len(body)
        if resp.clauses:
            last = resp.clauses[-1].end
            closer = re.match(r"[^（(]*?[）)〕】]", body[last:])
            cut = last + (closer.end() if closer else 0)
        text = to_full_width(body[:cut]) or node.title
        quotes = [_quote(c.quote) for c in resp.clauses]
        printed = []
        for quote in quotes:
            printed += [n for n in split_responsibility(quote) if n not in printed]
        deadline, deadline_source = _deadline(body[:cut])
        measures.append(MeasureDraft(node, text, resp, quotes, printed, deadline, deadline_source, reviews))
    return measures
