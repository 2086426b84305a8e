"""Reading plan files, and checking the fields of the files that have no schema (city setup),
collecting every problem with its place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

import yaml
from yaml.composer import ComposerError

from targets import taxonomy
from targets.plan_schema import SLUG_PATTERN, kind_of

_SLUG = re.compile(SLUG_PATTERN, re.ASCII)


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


MAX_DEPTH = 20  # a plan file nests about six levels; nothing needs twenty
MAPPINGS = ("city", "plan")
LISTS = ("bureaus", "chapters", "indicators", "measures", "targets")


class PlanYamlLoader(yaml.SafeLoader):
    """YAML as plan files use it: no anchors or aliases (so no "billion laughs" expansion),
    bounded nesting (so no RecursionError), and a date that does not exist (2023-02-30) kept
    as text for the field check to name, rather than a crash."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            # A pure-Python loader's marks are yaml.error.Mark; the stubs allow the C parser's too.
            mark = cast(yaml.error.Mark, event.start_mark)
            raise ComposerError(None, None, "aliases (*name) are not allowed in plan files", mark)
        if getattr(event, "anchor", None):
            raise ComposerError(None, None, "anchors (&name) are not allowed in plan files", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: Any) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # 2023-02-30: looks like a date, is not one
            return self.construct_scalar(node)


PlanYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", PlanYamlLoader.construct_yaml_timestamp)


def read_plan_file(raw: bytes, name: str) -> tuple[PlanFile | None, list[Problem]]:
    """Decode and parse one file; a file that is not UTF-8 YAML, or whose sections are not
    of the right kind, gets a clear line for each problem."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(name, "", "the file is not UTF-8 text; save it as UTF-8 and try again")]
    try:
        data = yaml.load(text, Loader=PlanYamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [Problem(name, "", f"the file is not valid YAML{place}: {getattr(exc, 'problem', exc)}")]
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        return None, [Problem(name, "", f"the file holds a value that cannot be read: {str(exc)[:200]}")]
    if not isinstance(data, dict) or "plan" not in data:
        return None, [
            Problem(
                name,
                "",
                "this is not a plan file: expected a mapping with city, plan, bureaus, indicators, measures "
                "and targets",
            )
        ]
    problems = [
        Problem(name, key, f"must be a mapping of fields, not {kind_of(data[key])}")
        for key in MAPPINGS
        if not isinstance(data.get(key), dict)
    ] + [
        Problem(name, key, f"must be a list, not {kind_of(data[key])}")
        for key in LISTS
        if data.get(key) is not None and not isinstance(data[key], list)
    ]
    return (None, problems) if problems else (PlanFile(name, data), [])


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

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        max_length: int | None = None,
        slug: bool = False,
    ) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(f"{where}.{key}", "is missing")
            return ""
        if not isinstance(value, str):
            self.add(f"{where}.{key}", f"must be text, not {kind_of(value)}")
            return ""
        if max_length is not None and len(value.strip()) > max_length:
            self.add(f"{where}.{key}", f"is {len(value.strip())} characters long; at most {max_length} are stored")
            return ""
        if slug and not _SLUG.fullmatch(value.strip()):
            # Codes are keys in URLs (/cities/<code>/): ASCII letters, digits, - and _ only.
            self.add(f"{where}.{key}", f"{value.strip()[:60]!r} is not a code: use ASCII letters, digits, - and _")
            return ""
        return value.strip()

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
