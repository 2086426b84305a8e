"""The plan pages show every measure and target of a plan, to signed-in users only."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from targets.models import Plan


def test_every_plan_shows_all_its_measures_and_targets(client, four_plans, django_assert_max_num_queries):
    from accounts.models import User

    client.force_login(User.objects.create_user("reader", password="x"))
    home = client.get(reverse("dashboard:home")).content.decode()
    for plan in Plan.objects.all():
        assert plan.title in home
        with django_assert_max_num_queries(12):
            page = client.get(reverse("dashboard:plan", args=[plan.code])).content.decode()
        for target in plan.targets.all():
            assert target.source_text in page
        for measure in plan.measures.all():
            assert f"{measure.section} {measure.title}" in page


def test_plan_pages_need_a_login_unless_public(client, four_plans):
    url = reverse("dashboard:plan", args=["heze-carbon-peaking"])
    assert client.get(url).status_code == 302
    with override_settings(PUBLIC_DASHBOARDS=True):
        assert client.get(url).status_code == 200


def test_output_is_escaped(client, world, users):
    world["pv_target"].source_text = "<script>alert(1)</script>"
    world["pv_target"].save()
    client.force_login(users["leader"])
    page = client.get(reverse("dashboard:plan", args=[world["plan"].code])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
