"""Plan text and plan data kept on the plan version: pages read only the progress after it changes, and
the plans again after they change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.change_sources import ChangeSource
from config.data_version import data_version
from measures.models import MeasureStatus
from measures.services import measure_update_record
from reporting.recompute import progress_recompute
from reporting.services import observation_record
from tests.dashboard_world import second_city


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def _record_pv_values(world, users) -> None:
    """Two values of the world's photovoltaic indicator, entered as a command would."""
    for period, value in (("2021", "300"), ("2024", "987.5")):
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period=period, value=value, user=users["ndrc_staff"]
        )


def test_progress_leaves_the_plan_version_and_a_plan_change_moves_it(world, users):
    from config.data_version import plan_version

    plan_before, data_before = plan_version(city=world["city"]), data_version(city=world["city"])
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2024", value="987.5", user=users["ndrc_staff"]
    )
    progress_recompute()
    assert data_version(city=world["city"]) != data_before
    assert plan_version(city=world["city"]) == plan_before and plan_version() != ""
    world["pv_target"].source_text = "到2025年，光伏装机容量达到新的水平。"
    world["pv_target"].save()
    assert plan_version(city=world["city"]) != plan_before


def test_the_plan_page_keeps_its_plan_text_and_shows_new_progress(client, world, users):
    client.force_login(users["leader"])
    url = reverse("dashboard:plan", args=[world["plan"].code])
    progress_recompute()
    first, page = _queries(client, url)
    assert "<!--slot:" not in page
    assert 'class="chip status-no_data">暂无数据</span>' in page
    _record_pv_values(world, users)
    progress_recompute()
    status = world["pv_target"].snapshots.order_by("-id").first().status
    assert status != "no_data"
    # Only the progress is read again: the plan text (targets, measures, bureaus) comes from its
    # fragment, kept on the plan version, so fewer queries than the first view.
    after, page = _queries(client, url)
    assert after < first - 2, (after, first)
    assert f'class="chip status-{status}">' in page and "<!--slot:" not in page
    # A change to the plan text itself is shown at once.
    world["pv_target"].source_text = "到2025年，光伏装机容量达到新的水平。"
    world["pv_target"].save()
    assert "光伏装机容量达到新的水平" in client.get(url).content.decode()


def test_the_city_page_keeps_its_plan_data_and_reads_only_the_progress_after_a_change(client, world, users):
    from measures.models import Measure

    Measure.objects.filter(pk=world["pv_measure"].pk).update(deadline="2021-06-30")  # overdue: listed
    client.force_login(users["leader"])
    url = reverse("dashboard:city", args=[world["city"].code])
    pv_row = f'href="{reverse("dashboard:target", args=[world["pv_target"].pk])}"'
    progress_recompute()
    page = client.get(url).content.decode()
    assert pv_row in page and "大力发展新能源" in page
    assert pv_row in client.get(url, {"status": "no_data"}).content.decode()
    assert pv_row in client.get(url, {"target_year": "2025"}).content.decode()
    _record_pv_values(world, users)
    progress_recompute()
    status = world["pv_target"].snapshots.order_by("-id").first().status
    assert status != "no_data"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    # The targets, their rows' text, the measures that may be due and who reports what are plan
    # data, kept on the city's plan version: only the progress is read again.
    read = "\n".join(query["sql"] for query in queries.captured_queries)
    tables = (
        '"targets_city"',
        '"targets_target"',
        '"measures_measure"',
        '"targets_indicatorreporting"',
        '"targets_plan"',
    )
    for table in tables:
        assert table not in read, table
    assert "987.5" in page and f'<a class="chip status-{status}" href="?status={status}">' in page
    assert "<!--slot:" not in page and "大力发展新能源" in page  # still overdue: no update says done
    # A filter on the status follows the progress; the others are plan data, kept until it changes.
    assert pv_row not in client.get(url, {"status": "no_data"}).content.decode()
    assert pv_row in client.get(url, {"status": status}).content.decode()
    assert pv_row in client.get(url, {"target_year": "2025"}).content.decode()
    world["pv_target"].target_year = 2030
    world["pv_target"].section = "三（一）9"
    world["pv_target"].save()
    assert pv_row not in client.get(url, {"target_year": "2025"}).content.decode()
    assert "三（一）9" in client.get(url).content.decode()


def test_a_slot_of_an_unknown_kind_is_an_error_not_a_blank():
    import pytest

    from dashboard.progress_slots import PageProgress, slot_marker, slots_fill

    filled = slots_fill(f"<td>{slot_marker('target-status', 7)}</td>", PageProgress())
    assert filled == '<td><span class="chip status-no_data">暂无数据</span></td>'
    with pytest.raises(ValueError, match="target-colour"):
        slots_fill(slot_marker("target-colour", 7), PageProgress())


@pytest.mark.parametrize("page", ["plan", "bureau", "measures", "my-bureau"])
def test_pages_of_plan_text_read_only_the_progress_after_a_measure_update(client, world, users, page):

    client.force_login(users["eco_staff" if page == "my-bureau" else "leader"])
    url = {
        "plan": reverse("dashboard:plan", args=[world["plan"].code]),
        "bureau": reverse("dashboard:bureau", args=[world["eco"].pk]),
        "measures": reverse("dashboard:measures"),
        "my-bureau": reverse("dashboard:my_bureau"),
    }[page]
    shown = '<span class="chip status-measure">推进中</span>' if page == "plan" else "推进中 · 40%"
    first, before = _queries(client, url)
    assert "<!--slot:" not in before and shown not in before
    measure_update_record(
        source=ChangeSource.COMMAND, measure=world["pm_measure"], status=MeasureStatus.objects.get(code="in_progress"),
        user=users["eco_staff"], percent_complete=40,
    )  # fmt: skip
    after, page_html = _queries(client, url)
    assert shown in page_html and "<!--slot:" not in page_html
    assert after < first, (after, first)  # the plan text came from its fragment


def test_plan_data_is_read_again_after_a_plan_change_not_after_progress(world, users):
    from config.data_version import plan_cached

    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert plan_cached("targets-of-something", read) == 1
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2024", value="987.5", user=users["ndrc_staff"]
    )
    progress_recompute()
    assert plan_cached("targets-of-something", read) == 1  # kept: only progress changed
    world["pv_target"].section = "三（一）2"
    world["pv_target"].save()
    assert plan_cached("targets-of-something", read) == 2


def test_plan_data_of_one_city_outlives_a_plan_change_in_another(world, users):
    from config.data_version import plan_cached
    from targets.models import Target

    second_city(world)
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert plan_cached("targets-of-a-city", read, city=world["city"]) == 1
    Target.objects.filter(plan__city__code="othercity").get().save()  # a plan change in the other city
    assert plan_cached("targets-of-a-city", read, city=world["city"]) == 1
    world["pv_target"].section = "三（一）2"
    world["pv_target"].save()
    assert plan_cached("targets-of-a-city", read, city=world["city"]) == 2


def test_a_measure_status_named_with_markup_is_shown_as_text(client, world, users):

    status = MeasureStatus.objects.create(code="odd", name="<b>异常</b>", position=99)
    measure_update_record(
        source=ChangeSource.COMMAND, measure=world["pm_measure"], status=status, user=users["eco_staff"]
    )
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:bureau", args=[world["eco"].pk])).content.decode()
    assert "&lt;b&gt;异常&lt;/b&gt;" in page and "<b>异常</b>" not in page


def test_slots_of_the_same_reading_are_drawn_once_per_page(monkeypatch):
    import dashboard.progress_slots as slots

    drawn: list[str] = []
    monkeypatch.setattr(slots, "status_label", lambda status: drawn.append(status) or status)
    progress = slots.PageProgress(
        slots.TargetProgress({1: ("on_track", 5.0, "2024", "%"), 2: ("on_track", 6.0, "", "%")})
    )
    html = slots.slots_fill("".join(slots.slot_marker("target-status", pk) for pk in (1, 2, 3)), progress)
    assert html.count("status-on_track") == 2 and html.count("status-no_data") == 1
    assert drawn == ["on_track", "no_data"]  # target 2 shares target 1's chip
    html = slots.slots_fill(slots.slot_marker("target-latest", 1) + slots.slot_marker("target-latest", 2), progress)
    assert "5" in html and "6" in html  # values differ: each is drawn


def test_the_target_page_keeps_its_plan_data_and_reads_only_the_progress_after_a_change(client, world, users):
    from targets.models import Target

    client.force_login(users["leader"])
    url = reverse("dashboard:target", args=[world["pv_target"].pk])
    page = client.get(url).content.decode()
    assert "市发展改革委" in page and "987.5" not in page
    _record_pv_values(world, users)
    progress_recompute()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    # The target, who answers for it, its indicator's other targets and who reports the values
    # are plan data, kept on the plan version: only the progress and the entries are read again.
    read = "\n".join(query["sql"] for query in queries.captured_queries)
    for table in ('"targets_target"', '"targets_targetresponsibility"', '"targets_indicatorreporting"'):
        assert table not in read, table
    assert "987.5" in page and "市发展改革委" in page
    # A change to the plans shows at once: the clause, and a new target of the same indicator.
    world["pv_target"].source_text = "到2025年，光伏装机容量达到新的水平。"
    world["pv_target"].save()
    Target.objects.create(
        plan=world["plan"], code="pv-2030", indicator=world["pv"], kind="level", comparator="at_least", value=900,
        target_year=2030, section="三（一）2", source_text="到2030年……",
    )  # fmt: skip
    page = client.get(url).content.decode()
    assert "光伏装机容量达到新的水平" in page and "2030 测政字〔2024〕1号" in page


def test_a_city_row_the_cached_text_lacks_is_built_on_the_spot(world):
    """A request may hold targets read under an earlier plan version than the rows' text it
    finds in the cache: a target that text lacks still gets its row."""
    from unittest import mock

    from dashboard.views import _city_row_texts
    from reporting.progress_selectors import target_rows

    rows = target_rows([world["pv_target"], world["pm_target"]])
    with mock.patch("dashboard.views.plan_cached", return_value={}):
        texts = _city_row_texts(world["city"], rows)
    assert set(texts) == {world["pv_target"].pk, world["pm_target"].pk}
    assert "<!--slot:city-target-cells:" in texts[world["pv_target"].pk]
