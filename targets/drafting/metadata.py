"""A plan's metadata from the lines before its first numbered section."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from targets.drafting.numbers import chinese_int

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［【(（]\d{4}[〕\]］】)）]\d{1,4}号")
_DATE = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日")
_CN_DATE = re.compile(
    r"(二[〇零○O][一二三四五六七八九〇零○O]{2})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日"
)
_TITLE_END = re.compile(r"(方案|规划|计划|意见|行动|办法|纲要)$")
_QUOTED_TITLE = re.compile(r"《([^》]+)》")
_ISSUER = re.compile(r"[\u4e00-\u9fff]{2,20}?(?:人民政府|委员会|办公室|办公厅|局|委|厅)")


@dataclass
class Metadata:
    title: str = ""
    document_number: str = ""
    issuers: list[str] = field(default_factory=list)
    issued: dt.date | None = None
    kind: str = "carbon_peaking"
    reviews: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    try:
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _CN_DATE.search(text)
        if match:
            year = int(
                "".join(
                    str("〇一二三四五六七八九".find(c)) if c in "一二三四五六七八九" else "0" for c in match.group(1)
                )
            )
            month, day = chinese_int(match.group(2)), chinese_int(match.group(3))
            if month and day:
                return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def read_metadata(preamble: list[str]) -> Metadata:
    meta = Metadata()
    joined = "".join(preamble)
    meta.document_number = _document_number(preamble, joined)
    meta.title = _title(preamble, joined)
    for i, line in enumerate(preamble):
        date = _date(line)
        if date is None:
            continue
        meta.issued = date
        signature: list[str] = []
        for previous in reversed(preamble[max(0, i - 8) : i]):
            issuers = _ISSUER.findall(previous)
            if not issuers or "".join(issuers) != previous:
                break
            signature = issuers + signature
        meta.issuers = list(dict.fromkeys(signature))
        break
    if not meta.issuers:
        head = next((line for line in preamble if _ISSUER.fullmatch(line)), "")
        meta.issuers = [head] if head else []
    if "减污降碳" in meta.title:
        meta.kind = "pollution_carbon_synergy"
    elif "碳达峰" not in meta.title:
        meta.reviews.append("无法从标题判断规划类型，暂按碳达峰方案")
    for what, value in (("标题", meta.title), ("文号", meta.document_number), ("印发日期", meta.issued)):
        if not value:
            meta.reviews.append(f"没有找到{what}")
    if not meta.issuers:
        meta.reviews.append("没有找到印发机关")
    return meta


def _document_number(preamble: list[str], joined: str) -> str:
    for line in preamble:
        match = _DOC_NUMBER.fullmatch(line)
        if match:
            return match.group()
    match = _DOC_NUMBER.search(joined)
    if not match:
        return ""
    number = match.group()
    bracket = re.search(r"[〔\[［【(（]", number)
    prefix = number[: bracket.start()] if bracket else ""
    # A number run into the words before it: keep the issuer's short prefix (淄政字, 鲁环发).
    return prefix[-4:] + number[len(prefix) :]


def _title(preamble: list[str], joined: str) -> str:
    for line in preamble:
        if _TITLE_END.search(line) and not line.startswith(("关于", "为")) and len(line) <= 40 and "《" not in line:
            return line
    quoted = _QUOTED_TITLE.search(joined)
    if quoted and _TITLE_END.search(quoted.group(1)):
        return quoted.group(1)
    notice = re.search(r"关于印发(.+?)的通知", joined)
    return notice.group(1) if notice else (preamble[0] if preamble else "")
