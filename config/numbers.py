"""Turning stored and computed numbers into plain ones, for every app that writes them out
(exports, the annual report, fixtures, messages): one rule, below all apps."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TypeVar, overload

import pandas as pd

_Value = TypeVar("_Value")


@overload
def plain_number(value: Decimal) -> int | float | str: ...
@overload
def plain_number(value: None) -> None: ...
@overload
def plain_number(value: Decimal | None) -> int | float | str | None: ...
def plain_number(value: Decimal | None) -> int | float | str | None:
    """A stored decimal as a plain number, exactly: int when whole, float when a float holds it
    exactly, else the decimal's text (never rounded on the way out)."""
    if value is None:
        return None
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return int(normal)
    as_float = float(normal)
    return as_float if Decimal(repr(as_float)) == normal else format(normal, "f")


def plain_text(value: Decimal | None) -> str:
    """A stored decimal as people write it in a message: 320.5, not 320.500000 or 3.205E+2."""
    return "—" if value is None else format(value.normalize(), "f")


def missing_as_none(value: _Value) -> _Value | None:
    """None for what pandas and numpy use for a missing number (NaN, pd.NA); anything else as
    it is."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
