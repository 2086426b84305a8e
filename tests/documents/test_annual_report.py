"""The annual progress report: what the data up to a year's end said, for the four real plans."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from documents.annual import ReportYearUnavailable, check_report_year, report_years
from measures.models import Measure, MeasureStatus, MeasureUpdate
from reporting.models import ProgressSnapshot, TargetAssessment
from targets.models import City, Sector, Target

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _entry(report, code: str, plan: str = "zibo-carbon-peaking"):
    entries = [e for _year, group in report.sections for e in group]
    return next(e for e in entries if (e.row.target.plan.code, e.row.target.code) == (plan, code))


def _card(html: str, target: Target) -> str:
    start = html.index(f'id="target-{target.pk}"')
    return html[start : html.index("</article>", start)]


def test_a_past_year_is_judged_on_the_data_up_to_its_end(leader_client, zibo_non_fossil):
    response = leader_client.get("/reports/cities/zibo/2023/")
    assert response.status_code == 200
    report = response.context["report"]
    entry = _entry(report, "non-fossil-share-2025")
    # worked example A: 6.0 (2020) → 8.0 (2023) towards ≥10 by 2025
    assert entry.row.status == "needs_acceleration"
    assert entry.row.latest_value == 8.0 and entry.row.latest_period == "2023"
    assert entry.row.progress_pct == pytest.approx(50.0) and entry.row.snapshot.expected_pct == pytest.approx(60.0)
    assert entry.row.snapshot.ratio == pytest.approx(0.936, abs=5e-4)
    assert report.cutoff == dt.date(2023, 12, 31) and report.as_of == dt.date(2023, 12, 31)
    # today's stored snapshot, computed from all the data, says otherwise; the report wrote nothing
    target = entry.row.target
    assert ProgressSnapshot.objects.filter(target=target).latest("id").status == "achieved"
    assert (
        ProgressSnapshot.objects.filter(target__plan__city__code="zibo").count()
        == Target.objects.filter(plan__city__code="zibo").count()
    )

    html = response.content.decode()
    card = _card(html, target)
    assert "需加快" in card and "50.0%" in card and "60.0%" in card
    assert card.count("<circle") == 3  # 2020, 2022, 2023: nothing after the year
    assert "到2025年，非化石能源消费比重提高至10%以上" in card
    assert "数据截止日期" in html and "2023年12月31日" in html


def test_later_data_moves_the_next_years_report_and_its_summary(leader_client, zibo_non_fossil):
    report = leader_client.get("/reports/cities/zibo/2024/").context["report"]
    near, far = _entry(report, "non-fossil-share-2025"), _entry(report, "non-fossil-share-2030")
    assert (near.row.status, near.row.latest_value, near.row.latest_period) == ("achieved", 10.5, "2024")
    # ≈20 by 2030 from 6 in 2020: actual (10.5/6)^(1/4) − 1 = 15.02 % a year against (20/6)^(1/10) − 1 = 12.79 %
    assert far.row.status == "on_track" and far.row.snapshot.ratio == pytest.approx(1.174, abs=1e-3)
    assert report.cutoff == dt.date(2024, 12, 31)  # the 2025-03 value is left out

    # Both Zibo plans promise ≥10 % by 2025 (two targets achieved); one promises ≈20 % by 2030.
    totals = {year: Target.objects.filter(plan__city__code="zibo", target_year=year).count() for year in (2025, 2030)}
    summary = {code: counts for code, _label, _colour, counts in report.summary}
    assert report.headline_years == (2025, 2030)
    assert summary["achieved"] == [2, 0] and summary["on_track"] == [0, 1]
    assert summary["no_data"] == [totals[2025] - 2, totals[2030] - 1]
    assert sum(sum(counts) for counts in summary.values()) == totals[2025] + totals[2030]
    energy_name = Sector.objects.get(code="energy").name
    energy = next(counts for sector, counts in report.grid if str(sector) == energy_name)
    statuses = [code for code, _label, _colour in report.statuses]
    in_energy = Target.objects.filter(plan__city__code="zibo", indicator__sector__code="energy").count()
    assert energy[statuses.index("achieved")] == 2 and energy[statuses.index("on_track")] == 1
    assert energy[statuses.index("no_data")] == in_energy - 3
    assert report.target_count == Target.objects.filter(plan__city__code="zibo").count()

    report_2025 = leader_client.get("/reports/cities/zibo/2025/").context["report"]
    assert _entry(report_2025, "non-fossil-share-2025").row.latest_period == "2025-03"
    assert report_2025.cutoff == dt.date(2025, 3, 31)


def test_overdue_measures_as_of_the_year(leader_client, four_plans, users):
    measure = Measure.objects.get(plan__city__code="zibo", deadline=dt.date(2024, 12, 31))
    # due on the year's last day: not yet overdue in the 2024 report
    assert leader_client.get("/reports/cities/zibo/2024/").context["report"].overdue == []
    # completed only in 2026: still overdue at the end of 2025
    update = MeasureUpdate.objects.create(
        measure=measure, status=MeasureStatus.objects.get(code="completed"), created_by=users["admin"]
    )
    MeasureUpdate.objects.filter(pk=update.pk).update(created_at=dt.datetime(2026, 1, 10, tzinfo=SHANGHAI))
    response = leader_client.get("/reports/cities/zibo/2025/")
    assert [m.pk for m in response.context["report"].overdue] == [measure.pk]
    assert response.context["report"].bureau_overdue == [("市工业和信息化局", 1), ("市发展改革委", 1)]
    html = response.content.decode()
    overdue = html[html.index('id="overdue"') :]
    assert "推动重点工业行业碳达峰行动" in overdue and "2024年12月31日" in overdue
    assert "市工业和信息化局（牵头）、市发展改革委" in overdue
    # completed within 2025: not overdue in the 2025 report
    MeasureUpdate.objects.filter(pk=update.pk).update(created_at=dt.datetime(2025, 6, 1, tzinfo=SHANGHAI))
    assert leader_client.get("/reports/cities/zibo/2025/").context["report"].overdue == []


def test_report_years_are_the_plans_span_up_to_this_year(leader_client, four_plans):
    zibo, heze = City.objects.get(code="zibo"), City.objects.get(code="heze")
    # Zibo: baselines and 十四五 periods start from 2020; its last target year is 2030
    assert report_years(zibo, today=dt.date(2026, 11, 21)) == list(range(2020, 2027))
    assert report_years(zibo, today=dt.date(2040, 1, 1)) == list(range(2020, 2031))
    assert report_years(heze, today=dt.date(2040, 1, 1))[-1] == 2035  # Heze has a 2035 target
    with pytest.raises(ReportYearUnavailable, match="尚未开始"):
        check_report_year(zibo, 2027, today=dt.date(2026, 11, 21))
    with pytest.raises(ReportYearUnavailable, match=r"2019年不在淄博规划的覆盖期内（2020–2030年）"):
        check_report_year(zibo, 2019, today=dt.date(2026, 11, 21))
    check_report_year(zibo, 2026, today=dt.date(2026, 11, 21))  # this year: a partial report

    for url, message in [
        ("/reports/cities/zibo/2019/", "2019年不在淄博规划的覆盖期内（2020–2030年）"),
        ("/reports/cities/zibo/2031/", "2031年不在淄博规划的覆盖期内（2020–2030年）"),
        ("/reports/cities/zibo/2019.pdf", "2019年不在淄博规划的覆盖期内"),
        ("/reports/cities/nowhere/2024/", "没有代码为“nowhere”的城市"),
        (f"/reports/cities/heze/{timezone.localdate().year + 1}/", "尚未开始"),  # the app's (Shanghai) date
    ]:
        response = leader_client.get(url)
        assert response.status_code == 404, url
        assert message in response.content.decode(), url
    listed = leader_client.get("/reports/cities/zibo/2019/").content.decode()
    assert 'href="/reports/cities/zibo/2024/"' in listed  # the years that do exist

    # the city dashboard offers exactly these years, and the choice leads to the report
    html = leader_client.get("/cities/zibo/").content.decode()
    form = html[html.index('action="/reports/cities/zibo/"') :]
    options = re.findall(r'<option value="(\d{4})"', form[: form.index("</form>")])
    assert options == [str(y) for y in report_years(zibo)]
    response = leader_client.get("/reports/cities/zibo/?year=2024")
    assert response.status_code == 302 and response["Location"] == "/reports/cities/zibo/2024/"
    assert leader_client.get("/reports/cities/zibo/?year=abc").status_code == 404


def test_the_report_follows_the_dashboard_access_rule(client, users, settings):
    for url in ("/reports/cities/testcity/2025/", "/reports/cities/testcity/2025.pdf"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    settings.PUBLIC_DASHBOARDS = True
    assert client.get("/reports/cities/testcity/2025/").status_code == 200
    settings.PUBLIC_DASHBOARDS = False
    client.force_login(users["eco_staff"])
    assert client.get("/reports/cities/testcity/2025/").status_code == 200


def test_report_html_escapes_what_people_typed(leader_client, world, users):
    target = Target.objects.create(
        plan=world["plan"], code="zero-landfill-2025", indicator=world["pm"], kind="qualitative", target_year=2025,
        section="三（三）", source_text="到2025年，<b>原生生活垃圾</b>零填埋",
    )  # fmt: skip
    made_in_2025 = TargetAssessment.objects.create(
        target=target, verdict="on_track", note="<script>alert(1)</script>", assessed_by=users["admin"]
    )
    TargetAssessment.objects.filter(pk=made_in_2025.pk).update(assessed_at=dt.datetime(2025, 6, 1, tzinfo=SHANGHAI))
    # made after 2025 was out: not part of the 2025 report
    TargetAssessment.objects.create(target=target, verdict="off_track", note="后来的评估", assessed_by=users["admin"])
    html = leader_client.get("/reports/cities/testcity/2025/").content.decode()
    card = _card(html, target)
    assert "人工评估" in card and "&lt;script&gt;alert(1)&lt;/script&gt;" in card and "<script>alert" not in html
    assert "&lt;b&gt;原生生活垃圾&lt;/b&gt;" in card and "后来的评估" not in card
