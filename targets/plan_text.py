"""Text helpers for comparing fixture quotes with the plan texts they come from."""

from __future__ import annotations

import re
from decimal import Decimal

_WHITESPACE = re.compile(r"\s+")
_OPENERS, _CLOSERS = "（(", "）)"
_SEPARATORS = "、，,；;"
# Words around bureau names in a responsibility clause that are not part of any name.
_CLAUSE_PREFIX = re.compile(r"^(责任单位|牵头单位|配合单位)[：:]")
_CLAUSE_SUFFIX = re.compile(r"(按职责分工负责|分别牵头负责|牵头负责|牵头|负责|配合|等)+$")
_PARENTHETICAL = re.compile(r"[（(][^）)]*[）)]")


def squash(text: str) -> str:
    """Drop all whitespace, so quotes match texts whose lines were broken by PDF extraction."""
    return _WHITESPACE.sub("", text)


def occurs_in(quote: str, text: str) -> bool:
    return bool(quote.strip()) and squash(quote) in squash(text)


def split_responsibility(clause: str) -> list[str]:
    """Names in a responsibility clause, in printed order.

    Splits only outside brackets, so a qualifier such as 各区县政府（含高新区、经济开发区）
    stays one name, then drops the qualifier itself.
    """
    clause = squash(clause)
    if clause[:1] in _OPENERS and clause[-1:] in _CLOSERS:
        clause = clause[1:-1]
    clause = _CLAUSE_PREFIX.sub("", clause)
    names: list[str] = []
    depth = 0
    current: list[str] = []
    for char in clause:
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        if char in _SEPARATORS and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    cleaned = []
    for name in names:
        name = _PARENTHETICAL.sub("", name)
        name = _CLAUSE_SUFFIX.sub("", name)
        if name:
            cleaned.append(name)
    return cleaned


def number_variants(value: float | int | Decimal | str) -> set[str]:
    """The ways a number can be printed in a clause: 10, 10.0, 1,000, 17.5 (sign dropped)."""
    number = abs(Decimal(str(value)))
    plain = format(number.normalize(), "f")
    variants = {plain}
    if "." not in plain:
        variants.add(f"{int(number):,}")
    else:
        whole, frac = plain.split(".")
        variants.add(f"{int(whole):,}.{frac}")
    return variants


def value_printed_in(value: float | int | Decimal | str, clause: str) -> bool:
    """True when the number stands in the clause as a whole number, not inside another one."""
    text = squash(clause)
    for variant in number_variants(value):
        pattern = rf"(?<![\d.]){re.escape(variant)}(?!\d|\.\d)"
        if re.search(pattern, text):
            return True
    return False
