"""Reading plan files and checking their fields, collecting every problem with its place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from targets import taxonomy


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.reason}" if self.where else f"{self.file}: {self.reason}"


@dataclass
class PlanFile:
    name: str
    data: dict[str, Any]


def read_plan_file(raw: bytes, name: str) -> tuple[PlanFile | None, list[Problem]]:
    """Decode and parse one file; a file that is not UTF-8 YAML gets one clear line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, "", "the file is not UTF-8 text; save it as UTF-8 and try again")]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(name, "", f"the file is not valid YAML{place}: {getattr(exc, 'problem', exc)}")]
    if not isinstance(data, dict) or "plan" not in data:
        return None, [
            Problem(
                name,
                "",
                "this is not a plan file: expected a mapping with city, plan, bureaus, indicators, measures "
                "and targets",
            )
        ]
    return PlanFile(name, data), []


class FieldChecker:
    """Collects problems for one file while reading its fields."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []

    def add(self, where: str, reason: str) -> None:
        self.problems.append(Problem(self.name, where, reason))

    def mapping(self, obj: Any, where: str) -> dict[str, Any]:
        if not isinstance(obj, dict):
            self.add(where, "must be a mapping of fields")
            return {}
        return obj

    def items(self, data: dict[str, Any], key: str, *, required: bool = True) -> list[dict[str, Any]]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "is missing")
            return []
        if not isinstance(value, list):
            self.add(key, "must be a list")
            return []
        return [self.mapping(item, f"{key}[{i}]") for i, item in enumerate(value)]

    def text(self, obj: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{where}.{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.add(f"{where}.{key}", f"must be text, not {value!r}")
            return ""
        return value.strip()

    def choice(
        self, obj: dict[str, Any], key: str, where: str, options: tuple[str, ...] | set[str], *, what: str
    ) -> str:
        value = obj.get(key)
        if value not in options:
            self.add(f"{where}.{key}", f"unknown {what} {value!r}; expected one of {', '.join(sorted(options))}")
            return ""
        return value

    def year(self, obj: dict[str, Any], key: str, where: str, *, required: bool) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}", "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{where}.{key}", f"must be a year such as 2025, not {value!r}")
            return None
        if not taxonomy.MIN_YEAR <= value <= taxonomy.MAX_YEAR:
            self.add(f"{where}.{key}", f"year {value} is outside {taxonomy.MIN_YEAR}–{taxonomy.MAX_YEAR}")
            return None
        return value

    def number(self, obj: dict[str, Any], key: str, where: str) -> Decimal | None:
        value = obj.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.add(f"{where}.{key}", f"value is not a number: {value!r}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add(f"{where}.{key}", f"value is not a number: {value!r}")
            return None
        if not number.is_finite():
            self.add(f"{where}.{key}", f"value is not a finite number: {value!r}")
            return None
        return number

    def date(self, obj: dict[str, Any], key: str, where: str, *, required: bool) -> dt.date | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{where}.{key}", "is missing")
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.add(f"{where}.{key}", f"must be a date written YYYY-MM-DD, not {value!r}")
            return None
