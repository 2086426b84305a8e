"""The shape of a plan file as a pydantic schema: which fields each item has, which are
required, their types, lengths, codes, vocabularies, years and dates.

pydantic checks the structure in one pass and reports every error with its place; `problems`
turns its errors into the loader's plain lines ("measures[3].deadline: ..."). The rules that
need more than one field, the database or the source text (sectors, bureau names, duplicates,
quotes) stay in `plan_validation`.

Strict mode: YAML already gives ints, dates and booleans their types, so a quoted "2025" or a
`yes` where a year belongs is an error rather than something silently converted.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from targets import taxonomy
from targets.taxonomy import BureauKind, Comparator, Direction, Nature, PlanKind, TargetKind

# What the database stores of each text field (the models' max_length; a test keeps them equal).
MAX_LENGTHS = {
    "city.code": 50, "city.name": 50, "city.name_en": 100,
    "plan.code": 80, "plan.title": 200, "plan.title_en": 300, "plan.document_number": 100, "plan.source_file": 200,
    "bureau.name": 100, "bureau.name_en": 200,
    "indicator.code": 80, "indicator.name": 200, "indicator.name_en": 300, "indicator.unit": 50,
    "measure.section": 50, "measure.title": 300, "measure.deadline_source": 200,
    "target.code": 100, "target.section": 50,
}  # fmt: skip

# Codes are keys in URLs (/cities/<code>/): ASCII letters, digits, - and _ only.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")


def _text(key: str | None = None, *, required: bool = True, slug: bool = False) -> StringConstraints:
    """Text (`Annotated[str, _text(...)]`), stripped, at most what its column stores; empty
    counts as missing when required."""
    return StringConstraints(
        strip_whitespace=True,
        min_length=1 if required else None,
        max_length=MAX_LENGTHS[key] if key else None,
        pattern=SLUG_PATTERN if slug else None,
    )


Year = Annotated[int, Field(ge=taxonomy.MIN_YEAR, le=taxonomy.MAX_YEAR)]
# A number as printed: YAML gives 200, 0.5 or "200"; each is read as the Decimal it spells.
Number = Annotated[Decimal, Strict(False), Field(allow_inf_nan=False)]


class _Item(BaseModel):
    # Unknown keys (notes for the people editing the file) are allowed and ignored.
    model_config = ConfigDict(strict=True, extra="ignore")


class CityItem(_Item):
    code: Annotated[str, _text("city.code", slug=True)]
    name: Annotated[str, _text("city.name")]
    name_en: Annotated[str, _text("city.name_en", required=False)] | None = None


class PlanItem(_Item):
    code: Annotated[str, _text("plan.code", slug=True)]
    title: Annotated[str, _text("plan.title")]
    document_number: Annotated[str, _text("plan.document_number")]
    title_en: Annotated[str, _text("plan.title_en", required=False)] | None = None
    source_file: Annotated[str, _text("plan.source_file", required=False)] | None = None
    districts_note: Annotated[str, _text(required=False)] | None = None
    kind: PlanKind
    issued: dt.date
    issuers: list[Any] = []


class BureauItem(_Item):
    name: Annotated[str, _text("bureau.name")]
    name_en: Annotated[str, _text("bureau.name_en", required=False)] | None = None
    kind: BureauKind
    aliases: list[Any] | None = None


class ChapterItem(_Item):
    section: Annotated[str, _text()]
    sector: Any = None  # one of the database's sectors: checked against them in plan_validation


class IndicatorItem(_Item):
    code: Annotated[str, _text("indicator.code", slug=True)]
    name: Annotated[str, _text("indicator.name")]
    name_en: Annotated[str, _text("indicator.name_en", required=False)] | None = None
    unit: Annotated[str, _text("indicator.unit", required=False)] | None = None
    direction: Direction
    nature: Nature
    sector: Any = None


class MeasureItem(_Item):
    section: Annotated[str, _text("measure.section")]
    title: Annotated[str, _text("measure.title")]
    text: Annotated[str, _text()]
    sector: Any = None
    bureaus: list[Any] | None = None
    responsibility_sources: list[Any] | None = None
    deadline: dt.date | None = None
    deadline_source: Annotated[str, _text("measure.deadline_source", required=False)] | None = None


class TargetItem(_Item):
    code: Annotated[str, _text("target.code", slug=True)]
    kind: TargetKind
    target_year: Year
    baseline_year: Year | None = None
    period_start: Year | None = None
    value: Number | None = None
    comparator: Comparator | None = None
    strive: bool = False
    section: Annotated[str, _text("target.section")]
    source: Annotated[str, _text()]
    interpretation: str = ""
    bureaus: list[Any] | None = None


class PlanSchema(_Item):
    format: Literal[1]
    city: CityItem
    plan: PlanItem
    bureaus: list[BureauItem]
    chapters: list[ChapterItem] | None = None
    indicators: list[IndicatorItem]
    measures: list[MeasureItem]
    targets: list[TargetItem]


# The vocabulary each choice field names in its message, and its options.
_CHOICES: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("plan", "kind"): ("plan kind", taxonomy.PLAN_KINDS),
    ("bureaus", "kind"): ("bureau kind", taxonomy.BUREAU_KINDS),
    ("targets", "kind"): ("target kind", taxonomy.TARGET_KINDS),
    ("targets", "comparator"): ("comparator", taxonomy.COMPARATORS),
    ("indicators", "direction"): ("direction", taxonomy.DIRECTIONS),
    ("indicators", "nature"): ("nature", taxonomy.NATURES),
}
# Fields whose wrong type has a message of its own: what the field holds.
_TYPE_REASONS = {
    "issuers": "must be a list of issuing bodies",
    "aliases": "must be a list of names",
    "bureaus": "must be a list of bureau names, lead first",
    "responsibility_sources": "must be a list of quoted clauses",
    "unit": 'must be text (use "" for none)',
    "strive": "must be true or false",
    "interpretation": "must be text: the reading the clause does not state outright",
}


def _optional_fields() -> set[tuple[str, str]]:
    """(section, field) of the fields that may be left out: a wrong value there is never "missing"."""
    found = {(name, name) for name, info in PlanSchema.model_fields.items() if not info.is_required()}
    for section, info in PlanSchema.model_fields.items():
        item: Any = info.annotation  # a type form: a class, or a generic or union with __args__
        while getattr(item, "__args__", None):  # list[MeasureItem] | None -> MeasureItem
            item = item.__args__[0]
        if isinstance(item, type) and issubclass(item, _Item):
            found |= {(section, name) for name, field in item.model_fields.items() if not field.is_required()}
    return found


_OPTIONAL = _optional_fields()


def kind_of(value: Any) -> str:
    """A value as its kind, for messages: "a mapping", "a list", "text", or the value itself."""
    if value is None:
        return "empty"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(type(value), repr(value)[:40])


def place(loc: tuple[int | str, ...]) -> str:
    """("measures", 3, "deadline") -> "measures[3].deadline"."""
    where = ""
    for part in loc:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return where


def _reason(error: ErrorDetails) -> str:
    kind, value, ctx = error["type"], error["input"], error.get("ctx") or {}
    loc = error["loc"]
    field = str(loc[-1])
    section = str(loc[0])
    if field == "format":
        return f"unsupported format {None if kind == 'missing' else value!r}; this loader reads format 1"
    if kind in {"missing", "string_too_short"} or (value is None and (section, field) not in _OPTIONAL):
        return "is missing"
    if kind == "literal_error":
        what, options = _CHOICES[(section, field)]
        shown = repr(value) if isinstance(value, str | int | float) else kind_of(value)
        return f"unknown {what} {shown[:60]}; expected one of {', '.join(sorted(options))}"
    if kind == "string_too_long":
        return f"is {len(value.strip())} characters long; at most {ctx['max_length']} are stored"
    if kind == "string_pattern_mismatch":
        return f"{value.strip()[:60]!r} is not a code: use ASCII letters, digits, - and _"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be a mapping of fields"
    if field in _TYPE_REASONS and section != field:
        return _TYPE_REASONS[field]
    if kind == "list_type":
        return "must be a list"
    if kind == "string_type":
        return f"must be text, not {kind_of(value)}"
    if kind == "int_type":
        return f"must be a year such as 2025, not {value!r}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"year {value} is outside {taxonomy.MIN_YEAR}–{taxonomy.MAX_YEAR}"
    if kind == "finite_number":
        return f"value is not a finite number: {value!r}"
    if kind.startswith("decimal"):
        return f"value is not a number: {value!r}"
    if kind == "date_type":
        if isinstance(value, dt.datetime):
            return f"must be a date written YYYY-MM-DD, without a time: {value!r}"
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            return f"{value.strip()!r} is not a date in the calendar"
        shown = repr(value)[:40] if isinstance(value, str | int | float) else kind_of(value)
        return f"must be a date written YYYY-MM-DD, not {shown}"
    return str(error["msg"])  # a type this schema does not use; pydantic's own words


def structure_problems(data: dict[str, Any]) -> dict[str, str]:
    """Every structural problem of one file's data, as {place: reason}, in the file's order."""
    try:
        PlanSchema.model_validate(data)
    except ValidationError as errors:
        found: dict[str, str] = {}
        for error in errors.errors(include_url=False):
            found.setdefault(place(error["loc"]), _reason(error))
        return found
    return {}
