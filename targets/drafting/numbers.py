"""Numbers as plans print them: 17.5, 1,000, 1.2万, 两千, 百分之十, 五个百分点.

Chinese numerals go through cn2an (a maintained converter); this module only finds them and
says how the value is written, because a value printed in Chinese numerals cannot be checked
against its clause by the validator and needs a reviewer's eye.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

from config.numbers import plain_number

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
# Arabic number, optionally with a Chinese magnitude (1.2万), or a run of Chinese numerals,
# or 百分之… — each followed later by its unit.
NUMBER = re.compile(
    rf"(?P<pct>百分之(?P<pct_n>[{_CN_DIGITS}]+|\d+(?:\.\d+)?))"
    r"|(?P<ar>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<cn>[{_CN_DIGITS}]*[一二两三四五六七八九十][{_CN_DIGITS}]*)"
)


@dataclass(frozen=True)
class Number:
    value: Decimal
    start: int
    end: int
    chinese: bool  # written (partly) in Chinese numerals
    percent: bool  # 百分之…


_CN_YEAR = re.compile(r"二[〇零○]([〇零○一二三四五六七八九]{2})(?=年)")
_CN_DIGIT_VALUE = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}


def arabic_years(text: str) -> str:
    """二〇二五年 → 2025年, keeping every offset (a year is four characters either way), so the
    rules read the year while quotes are still cut from the text as printed."""
    return _CN_YEAR.sub(lambda m: "20" + "".join(_CN_DIGIT_VALUE[c] for c in m.group(1)), text)


def chinese_int(text: str) -> int | None:
    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError):
        return None
    return int(value) if value == int(value) else None


def parse_number(text: str) -> Decimal | None:
    """A number written in Arabic or Chinese numerals, or mixed (1.2万 → 12000)."""
    text = text.replace(",", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    if text[:1] in "百千万亿":  # 百分之百: the leading 一 is left unwritten
        text = "一" + text
    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, InvalidOperation):
        return None


def find_numbers(text: str) -> list[Number]:
    found = []
    for match in NUMBER.finditer(text):
        if match.group("pct"):
            value = parse_number(match.group("pct_n"))
            chinese = not match.group("pct_n")[0].isdigit()
            percent = True
        elif match.group("ar"):
            value = parse_number(match.group("ar"))
            chinese, percent = False, False
        else:
            raw = match.group("cn")
            # 一批, 一体化, 三改联动: a lone numeral glued to a word is not a quantity.
            if len(raw) == 1 and raw in "一两":
                continue
            value = parse_number(raw)
            chinese, percent = True, False
        if value is not None:
            found.append(Number(value, match.start(), match.end(), chinese, percent))
    return found


def plain(value: Decimal) -> int | float:
    """A Decimal as the plain YAML number a fixture writes (config.numbers' rule; the plans'
    figures all fit a float exactly)."""
    number = plain_number(value)
    return float(number) if isinstance(number, str) else number
