"""With PUBLIC_DASHBOARDS on, anonymous visitors see the entering bureau, never a user name:
on the target page's entry history, the measure page's timeline and the API."""

from __future__ import annotations

import pytest
from django.test import override_settings

from config.change_sources import ChangeSource
from measures.models import MeasureStatus
from measures.services import measure_update_record
from reporting.services import observation_record


@pytest.fixture
def entries(world, users):
    observation_record(
        source=ChangeSource.COMMAND, indicator=world["pv"], period="2023", value="320", user=users["ndrc_staff"]
    )
    measure_update_record(
        source=ChangeSource.COMMAND,
        measure=world["pv_measure"],
        status=MeasureStatus.objects.get(code="in_progress"),
        percent_complete=40,
        note="",
        user=users["ndrc_staff"],
    )
    return world


def _cells(html: str) -> str:
    return html.rsplit("<tbody>", maxsplit=1)[-1] if "<tbody>" in html else html


@pytest.mark.django_db
@override_settings(PUBLIC_DASHBOARDS=True)
def test_anonymous_target_page_shows_the_bureau_and_signed_in_page_the_user(client, users, entries):
    url = f"/targets/{entries['pv_target'].pk}/"
    # a signed-in visit first: its cached body must not be served to the anonymous visitor
    client.force_login(users["leader"])
    signed_in = client.get(url).content.decode()
    assert "<td>ndrc</td>" in signed_in
    client.logout()
    anonymous = client.get(url).content.decode()
    assert "<td>ndrc</td>" not in anonymous
    assert "<td>市发展改革委</td>" in anonymous


@pytest.mark.django_db
@override_settings(PUBLIC_DASHBOARDS=True)
def test_anonymous_measure_timeline_shows_the_bureau(client, users, entries):
    body = client.get(f"/measures/{entries['pv_measure'].pk}/").content.decode()
    assert "· 市发展改革委" in body
    assert "· ndrc" not in body


@pytest.mark.django_db
@override_settings(PUBLIC_DASHBOARDS=True)
def test_api_names_the_bureau_for_anonymous_callers(client, users, entries):
    observations = client.get("/api/v1/observations/").json()["results"]
    assert [o["entered_by"] for o in observations] == ["市发展改革委"]
    updates = client.get("/api/v1/measure-updates/").json()["results"]
    assert [u["created_by"] for u in updates] == ["市发展改革委"]
    client.force_login(users["leader"])
    assert client.get("/api/v1/observations/").json()["results"][0]["entered_by"] == "ndrc"
    assert client.get("/api/v1/measure-updates/").json()["results"][0]["created_by"] == "ndrc"
