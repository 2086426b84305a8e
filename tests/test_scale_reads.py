"""Reads that every page or many cities share, in a form whose cost does not grow with the data."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from reporting.models import Observation
from reporting.selectors import latest_period_end_by_city
from targets.models import City, Indicator


def test_latest_period_end_by_city_takes_each_citys_latest_value(world):
    other = City.objects.create(code="other", name="别市")
    pv = world["pv"]
    other_pv = Indicator.objects.create(city=other, code=pv.code, name=pv.name, direction="increase", sector=pv.sector)
    Indicator.objects.create(city=other, code="empty", name="无数据", direction="increase", sector=pv.sector)
    rows = [
        (pv, "2023", dt.date(2023, 12, 31)),
        (world["pm"], "2024-Q2", dt.date(2024, 6, 30)),
        (pv, "2022", dt.date(2022, 12, 31)),
        (other_pv, "2021-03", dt.date(2021, 3, 31)),
    ]
    for indicator, period, end in rows:
        Observation.objects.create(indicator=indicator, period=period, period_end=end, value=1)
    assert latest_period_end_by_city() == {world["city"].pk: dt.date(2024, 6, 30), other.pk: dt.date(2021, 3, 31)}


def test_latest_period_end_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert latest_period_end_by_city() == {}


def test_demo_banner_follows_the_demo_rows(client, world, users):
    client.force_login(users["leader"])
    banner = "演示数据："
    assert banner not in client.get(reverse("dashboard:measures")).content.decode()
    Observation.objects.create(indicator=world["pv"], period="2023", period_end="2023-12-31", value=1, is_demo=True)
    assert banner in client.get(reverse("dashboard:measures")).content.decode()
    Observation.objects.filter(is_demo=True).delete()
    assert banner not in client.get(reverse("dashboard:measures")).content.decode()


def test_plan_bureau_target_and_my_bureau_queries_do_not_grow_with_cities(client, reference_data):
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import BUREAU_STAFF, LEADER
    from targets.models import Bureau, Target
    from targets.plan_copies import real_plan_copies
    from targets.plan_loader import plans_load

    files = real_plan_copies(4)
    assert plans_load(files[:4]).ok  # the three real cities
    ndrc = Bureau.objects.get(city__code="zibo", name="市发展改革委")
    leader = User.objects.create_user("leader", password="pw-for-tests-only")
    leader.groups.add(Group.objects.get(name=LEADER))
    staff = User.objects.create_user("staff", password="pw-for-tests-only", bureau=ndrc)
    staff.groups.add(Group.objects.get(name=BUREAU_STAFF))
    target = Target.objects.filter(plan__city__code="zibo").exclude(kind="qualitative").order_by("pk").first()
    pages = {
        "plan": (leader, "/plans/zibo-carbon-peaking/"),
        "bureau": (leader, f"/bureaus/{ndrc.pk}/"),
        "target": (leader, f"/targets/{target.pk}/"),
        "my-bureau": (staff, "/my-bureau/"),
    }

    def queries() -> dict[str, int]:
        # Each round from a cold cache: the users' roles and notices kept by the first round
        # (which the plans' load leaves valid) would spare the second its reads.
        cache.clear()
        counts = {}
        for name, (user, url) in pages.items():
            client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts[name] = len(captured)
        return counts

    three = queries()
    assert plans_load(files).ok  # nine more cities, each with the same bureaus and plans
    assert queries() == three


def test_overdue_counts_follow_each_measures_latest_update(world, users):
    import datetime as dt

    from django.utils import timezone

    from dashboard.overview_selectors import overdue_counts
    from measures.list_selectors import overdue_count
    from measures.models import Measure, MeasureStatus, MeasureUpdate
    from measures.selectors import with_deadline_state

    done, going = MeasureStatus.objects.get(code="completed"), MeasureStatus.objects.get(code="in_progress")
    plan = world["pv_target"].plan
    now = timezone.now()
    past = dt.date(2021, 6, 30)
    # completed then reopened: overdue; going then completed: not; no update: overdue;
    # two updates at the same moment: the later id decides (completed): not overdue
    cases = {"reopened": [done, going], "finished": [going, done], "silent": [], "same-moment": [going, done]}
    for position, (title, statuses) in enumerate(cases.items()):
        measure = Measure.objects.create(plan=plan, section=f"九{position}", title=title, text="…",
                                         sector=world["pv"].sector, deadline=past, position=100 + position)  # fmt: skip
        for step, status in enumerate(statuses):
            update = MeasureUpdate.objects.create(measure=measure, status=status, created_by=users["admin"])
            moment = now if title == "same-moment" else now + dt.timedelta(minutes=step)
            MeasureUpdate.objects.filter(pk=update.pk).update(created_at=moment)
    Measure.objects.filter(plan=plan, position__lt=100).update(deadline=None)
    measures = Measure.objects.filter(plan=plan)
    by_rule = [m.title for m in with_deadline_state(measures) if m.deadline_state == "overdue"]
    assert sorted(by_rule) == ["reopened", "silent"]
    assert overdue_count(measures) == 2
    assert overdue_counts()[plan.city_id] == 2
