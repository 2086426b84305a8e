"""Targets with their current progress, in a fixed number of queries: the read layer the
dashboard pages, the exports and annual report (documents) and the API share."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from urllib.parse import urlencode

from django.db.models import QuerySet

from config.compiled_sql import CompiledModels, CompiledRows
from reporting.filters import TargetFilter
from reporting.models import Observation, ProgressSnapshot
from reporting.statuses import STATUSES, StatusStyle, status_label, status_styles
from targets.filters import filter_errors
from targets.models import City, Sector, Target

HEADLINE_YEARS = (2025, 2030)


def current_snapshots(target_ids: Iterable[int]) -> dict[int, ProgressSnapshot]:
    """Each target's latest snapshot, in one query (in no order: the snapshots' default order
    would join their targets, plans and cities to sort rows that end in a dict). Its SQL is
    composed once per set of targets (config.compiled_sql): every page of a city or target reads
    the same few."""
    ids = tuple(sorted(set(target_ids)))
    return {s.target_id: s for s in _latest_snapshots(ids)}


# Kept for a few hundred sets of targets: a city page's, a target page's, per city.
_latest_snapshots = CompiledModels(
    ProgressSnapshot,
    lambda ids: ProgressSnapshot.objects.filter(target_id__in=ids).order_by().latest_per_target(),
    kept=1024,
)


@dataclass
class Headline:
    """A target year's quantified targets of a city (or province) by status."""

    year: int
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def parts(self) -> list[tuple[StatusStyle, int]]:
        return [(style, self.counts[style.code]) for style in status_styles() if self.counts[style.code]]


@dataclass
class TargetRow:
    target: Target
    snapshot: ProgressSnapshot | None
    trend: list[float] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.snapshot.status if self.snapshot else ProgressSnapshot.Status.NO_DATA

    @property
    def status_label(self) -> str:
        return str(status_label(self.status))

    @property
    def progress_rounded(self) -> int | None:
        """Progress in whole percent, for the page (cheaper than the floatformat filter per row)."""
        pct = self.progress_pct
        return None if pct is None else round(pct)

    @property
    def progress_bar(self) -> float:
        pct = self.progress_pct
        return 0.0 if pct is None else max(0.0, min(pct, 100.0))

    # Plain attributes for templates: a lookup through a missing snapshot would raise and be
    # caught on every row, which costs more than the rest of the row.
    @property
    def latest_value(self) -> float | None:
        return self.snapshot.latest_value if self.snapshot else None

    @property
    def latest_period(self) -> str:
        return self.snapshot.latest_period if self.snapshot else ""

    @property
    def target_level(self) -> float | None:
        return self.snapshot.target_level if self.snapshot else None

    @property
    def progress_pct(self) -> float | None:
        return self.snapshot.progress_pct if self.snapshot else None


def target_rows(targets: list[Target], trends: dict[int, list[float]] | None = None) -> list[TargetRow]:
    """Targets paired with their current snapshot (and trend values, when given)."""
    snapshots = current_snapshots([t.pk for t in targets])
    trends = trends or {}
    return [TargetRow(t, snapshots.get(t.pk), trends.get(t.indicator_id, [])) for t in targets]


@dataclass(frozen=True)
class CityFilters:
    """The city page's target filters as parsed by the target list's FilterSet
    (reporting.filters): what the form shows, the page caches by and its links carry."""

    plan: str = ""
    sector: str = ""
    target_year: int | None = None
    bureau: int | None = None
    status: str = ""

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> tuple[CityFilters, list[str]]:
        """The values that parse, and a line naming each filter whose value did not."""
        names = [name.name for name in fields(cls)]
        if not any(query.get(key) for key in names):
            return cls(), []  # no filter asked for: nothing to parse (the FilterSet's form costs a millisecond)
        filterset = TargetFilter({key: query[key] for key in names if key in query})
        filterset.is_valid()
        cleaned = filterset.form.cleaned_data
        return cls(**{key: cleaned[key] for key in names if cleaned.get(key) not in ("", None)}), filter_errors(
            filterset
        )

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CityFilters:
        return cls.parse(query)[0]

    @property
    def active(self) -> bool:
        return any(value not in ("", None) for value in vars(self).values())

    def query(self, **changes: object) -> str:
        """These filters as a query string, with `changes` (a value of "" or None drops a key):
        the page's links keep the filters already chosen, so a filtered URL can be shared."""
        values = {**vars(self), **changes}  # the fields, flat: asdict's deep copy costs more on every link
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})

    def apply(self, targets: QuerySet[Target]) -> QuerySet[Target]:
        if not self.active:  # building the FilterSet (its form and fields) costs more than the read
            return targets
        filtered = TargetFilter({key: str(value) for key, value in asdict(self).items() if value}, queryset=targets).qs
        # The bureau filter joins the responsibilities: a target with two matching ones comes twice.
        return filtered.distinct() if self.bureau else filtered


def city_targets_query(city: City, filters: CityFilters) -> QuerySet[Target]:
    """A city's targets that pass `filters`, in the order of its pages and exports."""
    return (
        filters.apply(Target.objects.filter(plan__city=city))
        .select_related("plan", "indicator__sector")
        .order_by("target_year", "indicator__sector__position", "plan__issued", "position")
    )


def indicator_trends(indicator_ids: Iterable[int]) -> dict[int, list[float]]:
    """Each indicator's counted values, oldest first: its trend line."""
    trends: dict[int, list[float]] = defaultdict(list)
    ids = tuple(sorted(set(indicator_ids)))
    for indicator_id, value in _counted_values(ids):
        trends[indicator_id].append(float(value))
    return trends


_counted_values = CompiledRows(
    lambda ids: (
        Observation.objects.counted()
        .filter(indicator__in=ids, value__isnull=False)
        .order_by("period_end")
        .values_list("indicator_id", "value")
    ),
    kept=1024,
)


def city_target_rows(city: City, filters: CityFilters) -> list[TargetRow]:
    targets = list(city_targets_query(city, filters))
    return target_rows(targets, indicator_trends(t.indicator_id for t in targets))


def sector_status_grid(rows: list[TargetRow]) -> list[tuple[Sector, list[int]]]:
    """Rows of (sector, count per status in STATUSES order)."""
    grid: dict[Sector, Counter[str]] = {}
    for row in rows:
        grid.setdefault(row.target.indicator.sector, Counter())[row.status] += 1
    return [(sector, [counts[s] for s in STATUSES]) for sector, counts in grid.items()]
