"""The sector page's rankings kept by the recompute (reporting.sector_rankings): what is stored is
what ranking the latest snapshots afresh gives, after a full and a one-indicator recompute; the
page reads it instead of the snapshots and shows what it would rank itself; a ranking the plans
have outdated since is not read; the migration ranks the snapshots already stored the same way."""

from __future__ import annotations

import importlib
import math

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.change_sources import ChangeSource
from reporting.benchmark import MONTHS, synthetic_data_create
from reporting.models import ProgressSnapshot, SectorRanking
from reporting.recompute import progress_recompute, progress_recompute_indicator
from reporting.sector_rankings import sector_plan, sector_rankings_refresh, stored_rankings
from reporting.services import observation_record
from targets.models import Indicator, Target

CITIES = 8  # more than a page shows all of (sector_rankings.ALL_CITIES_UP_TO): it ranks them


def _stored() -> list[tuple]:
    return sorted(
        SectorRanking.objects.values_list(
            "sector_id", "code", "headlines", "counts", "best", "leading", "lagging", "not_reported"
        )
    )


def _page(client, sector_code: str) -> tuple[dict[str, dict], list[str]]:
    """Each indicator's section as the page shows it, and the page's queries."""
    cache.clear()  # nothing cached: as on the first request after a change
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:sector", args=[sector_code]))
    sections = {}
    for chart in response.context["charts"]:
        group = chart["group"]
        sections[group.code] = {
            "name": group.name, "counts": dict(group.counts), "not_reported": [c.code for c in group.not_reported],
            "leading": [(r.city.code, r.status, r.latest_value, r.progress_pct) for r in group.leading],
            "lagging": [(r.city.code, r.status, r.latest_value, r.progress_pct) for r in group.lagging],
            "shown": [c.code for c in group.shown], "figure": chart["figure"],
        }  # fmt: skip
    return sections, [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def country(world):
    synthetic_data_create(cities=CITIES, observations=CITIES * len(MONTHS) * 3)
    progress_recompute()
    metric = Indicator.objects.filter(code="metric_0").select_related("sector")
    return metric.get(city__code="bench-0")


def test_the_recompute_keeps_each_ranking_as_ranking_afresh_gives(country, users):
    stored = _stored()
    metrics = [row for row in stored if row[1].startswith("metric_")]
    assert len(metrics) == 3 and all(sum(row[3].values()) == CITIES for row in metrics)
    sector_rankings_refresh()
    assert _stored() == stored
    # A value far beyond the target in one city (metric_0 is to fall to 80): only that indicator
    # is ranked again, and that city leads it now.
    leading = stored_rankings(sector_plan(country.sector_id), country.sector_id)["metric_0"].leading
    observation_record(indicator=country, period="2025-12", value="1", user=users["admin"],
                       source=ChangeSource.COMMAND, queue_recompute=False)  # fmt: skip
    progress_recompute_indicator(indicator_id=country.pk)
    after = _stored()
    changed = [row for row in after if row not in stored]
    assert [(row[0], row[1]) for row in changed] == [(country.sector_id, "metric_0")]
    plan = sector_plan(country.sector_id)
    (group,) = [group for group in plan.groups if group.code == "metric_0"]
    now = stored_rankings(plan, country.sector_id)["metric_0"]
    assert now.leading != leading and group.city_ids[now.leading[0]] == country.city_id
    sector_rankings_refresh()
    assert _stored() == after


def test_the_page_reads_the_stored_ranking_and_shows_what_it_would_rank_itself(client, country, users):
    client.force_login(users["leader"])
    code = country.sector.code
    sections, queries = _page(client, code)
    assert "metric_0" in sections and sections["metric_0"]["leading"]
    assert not any("reporting_progresssnapshot" in sql for sql in queries)  # no snapshot read
    SectorRanking.objects.all().delete()  # as before the first recompute: the page ranks them itself
    itself, queries = _page(client, code)
    assert any("reporting_progresssnapshot" in sql for sql in queries)
    assert itself == sections


def test_a_ranking_the_plans_have_outdated_is_not_read_until_a_recompute_writes_it(client, country, users):
    client.force_login(users["leader"])
    code = country.sector.code
    headline = Target.objects.get(indicator=country, target_year=2025)
    headline.delete()  # the city's 2030 target is its first on the indicator now
    sections, queries = _page(client, code)
    assert any("reporting_progresssnapshot" in sql for sql in queries)
    assert sum(sections["metric_0"]["counts"].values()) == CITIES - 1
    assert "bench-0" not in [row[0] for row in sections["metric_0"]["leading"] + sections["metric_0"]["lagging"]]
    # The nightly full recompute writes every ranking, whatever it wrote of the snapshots.
    assert progress_recompute().written == 0
    stored, queries = _page(client, code)
    assert not any("reporting_progresssnapshot" in sql for sql in queries)
    assert stored == sections


def test_a_number_json_has_no_number_for_is_stored_as_text(country):
    (target,) = Target.objects.filter(indicator__code="metric_0", target_year=2025, plan__city__code="bench-3")
    ProgressSnapshot.objects.filter(target=target).update(status="achieved", latest_value=1.0, progress_pct=math.inf)
    sector_rankings_refresh([target.pk])
    plan = sector_plan(country.sector_id)
    (group,) = [group for group in plan.groups if group.code == "metric_0"]
    ranking = stored_rankings(plan, country.sector_id)["metric_0"]
    position = group.pks.index(target.pk)
    assert ranking.named[position] == ("achieved", 1.0, ranking.named[position][2], math.inf)
    stored = SectorRanking.objects.get(sector_id=country.sector_id, code="metric_0")
    assert [position, "achieved", 1.0, ranking.named[position][2], "inf"] in stored.leading


def test_the_migration_ranks_the_snapshots_already_stored_as_the_recompute_does(country):
    stored = _stored()
    SectorRanking.objects.all().delete()
    migration = importlib.import_module("reporting.migrations.0008_sector_rankings")
    migration.rank_existing(apps, None)
    assert _stored() == stored
