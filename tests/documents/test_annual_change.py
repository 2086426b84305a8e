"""Change since the previous year's report: hand-computed cases, then the as-of engine run."""

from __future__ import annotations

from documents.annual_change import year_change
from reporting.models import ProgressSnapshot
from reporting.progress_selectors import TargetRow


def _row(target, status: str | None) -> TargetRow:
    return TargetRow(target, None if status is None else ProgressSnapshot(target=target, status=status))


def test_each_kind_of_change_is_told_apart(world):
    pv, pm = world["pv_target"], world["pm_target"]
    cases = [
        # (status a year before, status now, where it belongs)
        ("on_track", "achieved", "newly_achieved"),
        (None, "achieved", "newly_achieved"),  # no data a year before: still newly achieved
        ("off_track", "missed", "newly_missed"),
        ("needs_acceleration", "on_track", "improved"),
        ("deteriorating", "off_track", "improved"),
        ("on_track", "off_track", "worsened"),
        ("achieved", "on_track", "worsened"),  # met early, then fell back
        (None, "off_track", None),  # nothing to compare with
        ("on_track", "no_data", None),
        ("manual", "on_track", None),
        ("on_track", "on_track", None),
        ("achieved", "achieved", None),  # achieved both years: not new
    ]
    for before, after, kind in cases:
        previous = {} if before is None else {pv.pk: ProgressSnapshot(target=pv, status=before)}
        change = year_change(rows=[_row(pv, after), _row(pm, None)], previous=previous, year=2025)
        found = {name: [c.row.target for c in items] for name, items in change.groups() if items}
        assert found == ({kind: [pv]} if kind else {}), (before, after)
        assert change.any == bool(kind)
        assert change.previous_year == 2024


def test_the_2024_report_compared_with_2023(leader_client, zibo_non_fossil):
    """Worked example A up to 2023: ≥10 % by 2025 needs acceleration (8.0 against 60 % expected),
    ≈20 % by 2030 needs acceleration (ratio (8/6)^(1/3) − 1 = 10.06 % against 12.79 %, 0.79).
    With 10.5 in 2024 the first is achieved (in both Zibo plans) and the second on track."""
    report = leader_client.get("/reports/cities/zibo/2024/").context["report"]
    change = report.change
    assert change.previous_year == 2023
    achieved = sorted((c.row.target.plan.code, c.row.target.code, c.before) for c in change.newly_achieved)
    assert achieved == [
        ("zibo-carbon-peaking", "non-fossil-share-2025", "needs_acceleration"),
        ("zibo-pollution-carbon-synergy", "non-fossil-share-2025", "needs_acceleration"),
    ]
    assert [(c.row.target.code, c.before, c.after) for c in change.improved] == [
        ("non-fossil-share-2030", "needs_acceleration", "on_track")
    ]
    assert change.newly_missed == [] and change.worsened == []
    assert [row.target.code for row in report.executive.achieved_this_year] == ["non-fossil-share-2025"] * 2
    html = leader_client.get("/reports/cities/zibo/2024/").content.decode()
    table = html[html.index('id="change"') : html.index('id="targets"')]
    assert table.count('class="change-newly_achieved"') == 2 and table.count('class="change-improved"') == 1
