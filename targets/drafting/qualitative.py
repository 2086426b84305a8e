"""Qualitative commitments with a year: 完成省下达任务, 全部退出, 2030年前碳达峰, 零填埋."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from targets.drafting.indicators import clean_name
from targets.drafting.numbers import arabic_years
from targets.drafting.quantified import sentences
from targets.drafting.years import governing_mark, year_marks

_COMMITMENT = re.compile(
    r"(完成(?:省|国家|上级|市)?(?:下达|分解)的?[\u4e00-\u9fff]{0,12}?(?:任务|目标)|(?:实现|完成)?碳(?:排放)?达峰(?:目标)?|"
    r"全部(?:整合)?(?:退出|淘汰|关停|改造|完成|实现|达到|实施)[\u4e00-\u9fff]{0,8}|均(?:采用|使用)[\u4e00-\u9fff]{1,8}|基本(?:替代)?退出|零填埋|零排放|全覆盖|"
    r"完成(?:省级?|国家|上级)下达的?[\u4e00-\u9fff]{0,20}?(?:任务|目标)|"
    r"达到(?:国内|国际|全国|全省)(?:先进|领先|标杆)水平|逐年(?:提高|提升|下降|降低)|有序减少|"
    r"(?:基本)?建成[\u4e00-\u9fff“”]{2,30}?(?:体系|网络|格局)|取得(?:积极|显著|明显|重大)(?:成效|进展))"
)


_FOUNDATION = re.compile(r"^为|奠定|打下|基础$")


@dataclass
class QualTarget:
    target_year: int
    source: str
    start: int
    end: int
    indicator_names: list[str]
    strive: bool
    reviews: list[str] = field(default_factory=list)


def find_qualitative(text: str, numbered_spans: list[tuple[int, int]]) -> list[QualTarget]:
    """Commitments with a year, outside the clauses already read as quantified targets."""
    found: list[QualTarget] = []
    for offset, printed in sentences(text):
        sentence = arabic_years(printed)
        marks = year_marks(sentence)
        for match in _COMMITMENT.finditer(sentence):
            start, end = offset + match.start(), offset + match.end()
            if any(s <= start < e or s < end <= e for s, e in numbered_spans):
                continue
            mark = governing_mark(marks, match.start())
            inside = [m for m in marks if m.kind == "target" and m.start <= match.start() <= m.end + 2]
            mark = inside[-1] if inside else mark
            if mark is None:
                continue
            clause_from = max(sentence.rfind(ch, 0, match.start()) for ch in "，,；;") + 1
            clause_end = min(
                [i for i in (sentence.find(ch, match.end()) for ch in "，,；;。") if i >= 0] or [len(sentence)]
            )
            if _FOUNDATION.search(sentence[clause_from:clause_end]):
                continue  # 为实现碳达峰奠定基础: a purpose, not a commitment
            subject = sentence[clause_from : match.start()]
            name = clean_name(re.sub(r"^(?:到|至)?20\d\d年(?:年?底|年?末)?前?", "", subject))
            name = name or match.group()
            # The first commitment of a sentence is quoted from its year; later ones from their clause.
            quote_start = (
                clause_from if any(f.start >= offset + mark.start for f in found) else min(mark.start, clause_from)
            )
            source = printed[quote_start : match.end()]
            strive = bool(re.search(r"力争|争取", sentence[quote_start : match.start()]))
            # A、B完成省下达任务: one commitment for each of the indicators the clause names.
            names = [n for n in re.split(r"、|和", name) if len(n) >= 4] if "完成" in match.group() else []
            names = names if len(names) > 1 else [name[:40]]
            found.append(QualTarget(mark.year, source, offset + quote_start, end, names, strive))
    return found
