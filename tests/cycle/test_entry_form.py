"""The observation form helps: context around the entry, a confirmation before overwriting or
storing an implausible value, and a safe return to where the user came from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import MeasureStatus, MeasureUpdate
from reporting.models import Observation


@pytest.fixture
def staff(client, world, users):
    client.force_login(users["ndrc_staff"])
    Observation.objects.create(indicator=world["pv"], period="2022", period_end="2022-12-31", value="455.6")
    return world


def _post(client, indicator, **data):
    return client.post(reverse("entry:observation_create", args=[indicator.pk]), data)


def test_form_shows_unit_recent_values_and_targets(client, staff):
    page = client.get(reverse("entry:observation_create", args=[staff["pv"].pk]) + "?period=2023").content.decode()
    assert "万千瓦" in page and "455.6" in page and "2022" in page
    assert "2025" in page and "500" in page  # the target level with its year
    assert 'value="2023"' in page  # the period the user came to report


def test_overwriting_a_value_asks_first(client, staff):
    response = _post(client, staff["pv"], period="2022", value="470")
    assert response.status_code == 200
    page = response.content.decode()
    assert "455.6" in page and "470" in page and "我已核对，确认保存" in page
    assert Observation.objects.get(indicator=staff["pv"], period="2022").value == Decimal("455.6")
    response = _post(client, staff["pv"], period="2022", value="470", confirm="on")
    assert response.status_code == 302
    assert Observation.objects.get(indicator=staff["pv"], period="2022").value == 470


@pytest.mark.parametrize(
    ("indicator", "value", "phrase"),
    [
        ("pv", "-5", "负数"),
        ("pv", "900", "超过一半"),  # 455.6 -> 900 is +98 %
        ("pv", "480", None),  # +5 % against 2022: nothing to warn about, saved at once
    ],
)
def test_plausibility_checks(client, staff, indicator, value, phrase):
    response = _post(client, staff[indicator], period="2023", value=value)
    if phrase is None:
        assert response.status_code == 302
        assert Observation.objects.get(indicator=staff[indicator], period="2023").value == Decimal(value)
        return
    assert response.status_code == 200 and phrase in response.content.decode()
    assert not Observation.objects.filter(indicator=staff[indicator], period="2023").exists()


def test_percentage_above_100_and_cumulative_going_down(client, staff, users):
    staff["pv"].unit = "%"
    staff["pv"].save()
    page = _post(client, staff["pv"], period="2023", value="101").content.decode()
    assert "超过100%" in page
    staff["pv_target"].kind = "cumulative"
    staff["pv_target"].period_start = 2021
    staff["pv_target"].save()
    page = _post(client, staff["pv"], period="2023", value="400").content.decode()
    assert "逐期增加" in page


def test_after_saving_staff_return_where_they_came_from_but_never_off_site(client, staff):
    url = reverse("entry:observation_create", args=[staff["pv"].pk])
    back = reverse("dashboard:target", args=[staff["pv_target"].pk])
    response = client.post(f"{url}?next={back}", {"period": "2023", "value": "460"})
    assert response.status_code == 302 and response["Location"] == back
    response = client.post(f"{url}?next=https://evil.example/", {"period": "2021", "value": "440"})
    assert response["Location"] == reverse("dashboard:my_bureau")


def test_measure_update_refuses_completed_below_100(client, staff):
    done = MeasureStatus.objects.get(code="completed")
    url = reverse("entry:measure_update_create", args=[staff["pv_measure"].pk])
    response = client.post(url, {"status": done.pk, "percent_complete": "80"})
    assert response.status_code == 400 and "100" in response.content.decode()
    assert not MeasureUpdate.objects.exists()
    assert client.post(url, {"status": done.pk, "percent_complete": "100"}).status_code == 302
