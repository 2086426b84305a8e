"""Years as plans state them: 到2025年, 2030年前, “十四五”期间, 比2020年 (a baseline)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from targets.drafting.numbers import chinese_int

_YEAR = r"(20[2-6]\d)"
# (pattern, what the year is). Order matters: a baseline 比2020年 is not a target year.
_MARKERS = [
    (re.compile(rf"(?:比|较|与|相比|相较于?|在){_YEAR}年"), "baseline"),
    (re.compile(rf"(?:到|至|截至|截止到?){_YEAR}年(?:年?底|年?末)?(?:前)?"), "target"),
    (re.compile(rf"{_YEAR}年(?:年?底|年?末)?前"), "target"),
    (re.compile(rf"(?<![\d比较与在到至])(?<!相比)(?<!相较){_YEAR}年(?=[，,：:全我各])"), "target"),
    (re.compile(r"[“\"]?([一二三四五六七八九十]{2,3})五[”\"]?(?:期间|时期|末|以来)"), "five_year_plan"),
]
_RANGE = re.compile(rf"{_YEAR}(?:年)?[—–\-－~～至到]{_YEAR}年")


@dataclass(frozen=True)
class YearMark:
    kind: str  # target | baseline | five_year_plan | range
    year: int  # the target year (a plan period's last year)
    start: int
    end: int
    period_start: int | None = None


def five_year_plan_start(year: int) -> int:
    """First year of the five-year plan period that holds `year` (十四五 = 2021–2025)."""
    return 2021 + ((year - 2021) // 5) * 5


def year_marks(sentence: str) -> list[YearMark]:
    marks: list[YearMark] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _RANGE.finditer(sentence):
        first, last = int(match.group(1)), int(match.group(2))
        marks.append(YearMark("range", last, match.start(), match.end(), period_start=first))
        taken.append(match.span())
    for pattern, kind in _MARKERS:
        for match in pattern.finditer(sentence):
            if not free(*match.span()):
                continue
            if kind == "five_year_plan":
                number = chinese_int(match.group(1))
                if not number or not 14 <= number <= 20:
                    continue
                start = 1951 + 5 * number
                marks.append(YearMark(kind, start + 4, match.start(), match.end(), period_start=start))
            else:
                marks.append(YearMark(kind, int(match.group(1)), match.start(), match.end()))
            taken.append(match.span())
    return sorted(marks, key=lambda m: m.start)


def governing_mark(marks: list[YearMark], position: int) -> YearMark | None:
    """The last target year stated before `position`."""
    before = [m for m in marks if m.kind != "baseline" and m.end <= position]
    return before[-1] if before else None


def baseline_before(marks: list[YearMark], position: int, since: int) -> YearMark | None:
    inside = [m for m in marks if m.kind == "baseline" and since <= m.start and m.end <= position]
    return inside[-1] if inside else None
