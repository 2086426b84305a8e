"""Quantified targets: value, unit, year, kind, comparator, strive, baseline, period, clause."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from targets.drafting.indicators import clean_name, guess_indicator
from targets.drafting.numbers import arabic_years, find_numbers
from targets.drafting.years import baseline_before, five_year_plan_start, governing_mark, year_marks

_MAG = r"[万亿千百]?"
UNIT = re.compile(
    r"(?:个百分点|%|％|‰|"
    + _MAG
    + r"(?:千瓦时|千瓦|kW|MW|GW|吨标准煤|吨标煤|克标准煤|标准煤|蒸吨|吨|立方米|标方|平方米|平方公里|公里|千米|"
    r"亩|公顷|辆|台|套|个|座|家|处|条|所|项|户|人次|元|根|艘|标准箱|倍|张|间|栋|MWh|kWh)"
    r"(?:/(?:千瓦时|日|天|年|万元|小时|平方米|人))?)"
)
_AFTER_MORE = re.compile(r"^(?:及以上|以上|之上|多)")
_AFTER_LESS = re.compile(r"^(?:及以下|以下|以内|之内)")
_AFTER_ABOUT = re.compile(r"^左右")
_BEFORE_MORE = re.compile(r"(不低于|不少于|超过|突破|高于|大于|多于|至少|保持在)$")
_BEFORE_LESS = re.compile(r"(不高于|不超过|低于|少于|控制在|降至|降到|降低到|压减到|压减至|减少到|减少至)$")
_BEFORE_ABOUT = re.compile(r"(约|大约|为)$")
_VERB = re.compile(
    r"(提高到|提高至|提升到|提升至|增长到|增加到|增至|达到|达|提高|提升|增长|增加|上升|下降|降低|减少|压减|削减|"
    r"降至|降到|控制在|保持在|稳定在|超过|突破|不低于|不少于|不高于|不超过|新增|新建|新改建|累计|建成|建设|"
    r"改造|培育|创建|打造|推广|完成|为)"
)
_CREATE = re.compile(r"(新增|新建|新改建|新培育|新创建|累计|建成|建设|培育|创建|打造|改造|推广|完成|新投运)$")
_CUMULATIVE = re.compile(r"新增|新建|新改建|新培育|新创建|累计|新投运")
_ANNUAL = re.compile(r"年均(?:增长|提高|下降|降低|递增|增速|减少)")
_FALL = re.compile(r"下降|降低|减少|压减|削减")
_CHANGE = re.compile(r"(下降|降低|减少|压减|削减|提高|提升|增长|增加|上升)$")
_STRIVE = re.compile(r"力争|争取|争创")
_REJECT_AFTER = re.compile(r"^(?:以上|以下|及以上|及以下)?(?:的|[\u4e00-\u9fff])")
_PERCENT_ACTION = re.compile(r"^(?:实现|新能源化|清洁化|电动化|覆盖|达标|完成|采用|使用)")
_UNITLESS_TARGET = re.compile(
    r"(?:提高到|提高至|提升到|提升至|降低到|降低至|降至|降到|达到|控制在|不低于|不高于|不超过)$"
)
_QUOTED = re.compile(r"“[^”]*$")


@dataclass
class QuantTarget:
    value: Decimal
    unit: str
    target_year: int
    kind: str
    comparator: str
    strive: bool
    source: str
    start: int  # offset of the quoted clause in the text searched
    end: int
    indicator_name: str
    direction: str
    nature: str
    verb: str
    baseline_year: int | None = None
    period_start: int | None = None
    reviews: list[str] = field(default_factory=list)
    interpretations: list[str] = field(default_factory=list)
    clause_start: int = 0  # offset of the clause holding the number (the quote may start earlier)


def sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for match in re.finditer(r"[。！？!?]", text):
        out.append((start, text[start : match.end()]))
        start = match.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def _clause_start(sentence: str, position: int) -> int:
    cut = max(sentence.rfind(ch, 0, position) for ch in "，,；;：:")
    return cut + 1


def find_quantified(text: str, *, previous_year: int | None = None) -> list[QuantTarget]:
    found: list[QuantTarget] = []
    last_year = previous_year
    for offset, printed in sentences(text):
        sentence = arabic_years(printed)
        marks = year_marks(sentence)
        taken = [(m.start, m.end) for m in marks]
        for number in find_numbers(sentence):
            if any(s <= number.start < e for s, e in taken):
                continue
            target = _target_at(sentence, number, marks, last_year, found)
            if target is not None:
                target.source = printed[target.start : target.end]
                target.clause_start += offset
                target.start += offset
                target.end += offset
                found.append(target)
        sentence_years = [m.year for m in marks if m.kind != "baseline"]
        if sentence_years:
            last_year = sentence_years[-1]
    return found


def _target_at(sentence, number, marks, last_year, found) -> QuantTarget | None:
    after = sentence[number.end :]
    unitless = False
    if number.percent:
        unit = "%"
    else:
        unit_match = UNIT.match(after)
        if unit_match:
            unit = unit_match.group()
            after = after[unit_match.end() :]
        elif _UNITLESS_TARGET.search(sentence[: number.start]) and re.match(
            r"^(?:以上|以下|左右)?(?:[，,；;。]|$)", after
        ):
            unit, unitless = "", True  # 降低到0.45，: a target figure printed without its unit
        else:
            return None
    before = sentence[: number.start]
    if _QUOTED.search(before) or sentence[number.end : number.end + 1] in "”年月日号":
        return None
    clause_start = _clause_start(sentence, number.start)
    clause_before = sentence[clause_start : number.start]
    verb_matches = list(_VERB.finditer(clause_before))
    verb_match = verb_matches[-1] if verb_matches else None
    if verb_match is None and not clause_before.strip("，,；;：:力争确保"):
        return None
    mark = governing_mark(marks, number.start)
    reviews: list[str] = []
    interpretations: list[str] = []
    if mark is not None:
        year, quote_start = mark.year, mark.start
    elif last_year is not None:
        year, quote_start = last_year, clause_start
        reviews.append(f"这句话没有写年份，沿用上文的{year}年")
    else:
        return None
    post = 0
    comparator = ""
    for pattern, name in ((_AFTER_MORE, "at_least"), (_AFTER_LESS, "at_most"), (_AFTER_ABOUT, "about")):
        match = pattern.match(after)
        if match:
            comparator, post = name, match.end()
            break
    source_end = len(sentence) - len(after) + post
    rest = after[post:]
    if _REJECT_AFTER.match(rest) and not _CREATE.search(clause_before) and not _PERCENT_ACTION.match(rest):
        return None  # 30万千瓦以下机组, 150万吨以上的企业: a size that qualifies a noun
    verb = verb_match.group() if verb_match else ""
    head = clause_before[: verb_match.start()] if verb_match else clause_before
    name = clean_name(head)
    if "分别" in head and verb_match is not None:
        # A和B分别达到x、y: the n-th figure of the series belongs to the n-th name.
        names = [clean_name(n) for n in re.split(r"和|、|及|与", head.split("分别")[0]) if n]
        position = clause_before[verb_match.end() :].count("、")
        if len(names) > position:
            name = names[position]
    span = sentence[quote_start:source_end]
    strive = bool(_STRIVE.search(sentence[quote_start : number.start]))
    value = number.value
    kind = "level"
    baseline = baseline_before(marks, number.start, clause_start)
    period_start = None
    if _ANNUAL.search(clause_before[-8:]):
        kind = "annual_growth"
        base = baseline.year if baseline else (mark.period_start - 1 if mark and mark.period_start else year - 5)
        if not baseline:
            interpretations.append(f"年均增速的基期取{base}年（规划期起点的上一年）")
        baseline_year = base
    elif baseline or (_CHANGE.search(clause_before) and unit in ("%", "％", "个百分点") and verb in _FALL_OR_RISE):
        kind = "change_vs_baseline"
        baseline_year = baseline.year if baseline else (mark.period_start - 1 if mark and mark.period_start else 2020)
        if not baseline:
            reviews.append(f"没有写明基期年份，暂按{baseline_year}年")
    else:
        baseline_year = None
    if kind == "level" and _CUMULATIVE.search(clause_before) and unit not in ("%", "％", "‰"):
        kind = "cumulative"
        if mark is not None and mark.period_start:
            period_start = mark.period_start
        else:
            period_start = five_year_plan_start(year)
            interpretations.append(f"“新增”的起算年份取所在五年规划期的起点{period_start}年")
    if kind in ("change_vs_baseline", "annual_growth") and _FALL.search(clause_before[-10:]):
        value = -value
    if unitless:
        reviews.append("数值没有写单位，请补上指标的单位")
    if "分别" in clause_before:
        reviews.append("“分别”把几个数值对应到几个指标，请核对本条对应的指标")
    if unit == "个百分点":
        reviews.append("“个百分点”是百分点变化，不是百分比变化：请核对目标类型")
    if number.chinese:
        reviews.append("数值以中文数字书写，校验器无法在原文中核对该数值")
    if not name:
        name = _name_after(after[post:]) if kind in ("level", "cumulative") else ""
    if not name and found:
        name = found[-1].indicator_name
        reviews.append("原文省略了指标名称，沿用上一项指标")
    if not name:
        reviews.append("找不到指标名称")
        name = "未命名指标"
    guess = guess_indicator(name, unit, verb)
    if not comparator:
        comparator = _comparator_before(clause_before, kind, guess.direction)
    if kind in ("change_vs_baseline", "annual_growth") and value < 0 and comparator == "at_least":
        comparator = "at_most"  # 下降…以上: the falling indicator ends at most that far above
    if baseline_year is not None and baseline_year > year:
        reviews.append("基期晚于目标年份")
    return QuantTarget(
        value=value,
        unit=unit,
        target_year=year,
        kind=kind,
        comparator=comparator,
        strive=strive,
        source=span,
        start=quote_start,
        end=source_end,
        indicator_name=name,
        direction=guess.direction,
        nature=guess.nature,
        verb=verb,
        baseline_year=baseline_year,
        period_start=period_start,
        reviews=reviews,
        interpretations=interpretations,
        clause_start=clause_start,
    )


_FALL_OR_RISE = {"下降", "降低", "减少", "压减", "削减", "提高", "提升", "增长", "增加", "上升"}


def _name_after(after: str) -> str:
    match = re.match(r"[^，,；;。：:（(]+", after)
    return clean_name(match.group()) if match else ""


def _comparator_before(clause_before: str, kind: str, direction: str) -> str:
    tail = clause_before.rstrip("力争确保")
    if _BEFORE_MORE.search(tail):
        return "at_least"
    if _BEFORE_LESS.search(tail):
        return "at_most"
    if _BEFORE_ABOUT.search(tail) and not tail.endswith("为"):
        return "about"
    if kind in ("change_vs_baseline", "annual_growth"):
        return "at_most" if _FALL.search(clause_before[-10:]) else "at_least"
    return "at_most" if direction == "decrease" else "at_least"
