"""Every read endpoint for every role: anonymous callers are refused unless PUBLIC_DASHBOARDS is
on; every signed-in role reads everything, as on the pages; `can_report` tells each role what
it may write, by the same rule the server applies to writes."""

from __future__ import annotations

import pytest

from measures.models import MeasureStatus
from targets.models import Sector
from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db

SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def list_endpoints(world, progress) -> dict[str, int]:
    """Each list endpoint and how many rows the small world holds there. Sectors and statuses
    are reference data seeded by migrations, counted as they are."""
    return {
        "/api/v1/cities/": 1,
        "/api/v1/sectors/": Sector.objects.count(),
        "/api/v1/plans/": 1,
        "/api/v1/bureaus/": 2,
        "/api/v1/indicators/": 2,
        "/api/v1/targets/": 2,
        "/api/v1/progress-history/": 2,
        "/api/v1/measures/": 2,
        "/api/v1/measure-statuses/": MeasureStatus.objects.count(),
        "/api/v1/measure-updates/": 1,
        "/api/v1/observations/": 2,
    }


def detail_endpoints(world, progress) -> dict[str, int]:
    """Each detail endpoint with the id it is asked for."""
    return {
        "/api/v1/cities/{}/": world["city"].pk,
        "/api/v1/sectors/{}/": world["pv"].sector_id,
        "/api/v1/plans/{}/": world["plan"].pk,
        "/api/v1/bureaus/{}/": world["ndrc"].pk,
        "/api/v1/indicators/{}/": world["pv"].pk,
        "/api/v1/targets/{}/": world["pv_target"].pk,
        "/api/v1/progress-history/{}/": progress["snapshots"][0].pk,
        "/api/v1/measures/{}/": world["pv_measure"].pk,
        "/api/v1/measure-updates/{}/": progress["update"].pk,
        "/api/v1/observations/{}/": progress["observations"][0].pk,
    }


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_signed_in_role_reads_every_list(role, client_as, world, progress):
    client = client_as(role)
    for url, count in list_endpoints(world, progress).items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response.json()["count"] == count, url


@pytest.mark.parametrize("role", SIGNED_IN)
def test_every_signed_in_role_reads_every_detail(role, client_as, world, progress):
    client = client_as(role)
    for url, pk in detail_endpoints(world, progress).items():
        response = client.get(url.format(pk))
        assert response.status_code == 200, (url, response.content)
        assert response.json()["id"] == pk


def test_anonymous_reads_are_refused_with_401(client_as, world, progress):
    client = client_as("anonymous")
    urls = [*list_endpoints(world, progress), *(u.format(pk) for u, pk in detail_endpoints(world, progress).items())]
    for url in [*urls, "/api/v1/"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"
        assert "results" not in response.json()


def test_an_unknown_token_is_refused_even_when_dashboards_are_public(settings, world):
    from rest_framework.test import APIClient

    settings.PUBLIC_DASHBOARDS = True
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/targets/").status_code == 401


def test_public_dashboards_let_anonymous_callers_read(settings, client_as, world, progress):
    settings.PUBLIC_DASHBOARDS = True
    client = client_as("anonymous")
    for url, count in list_endpoints(world, progress).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["count"] == count
    for url, pk in detail_endpoints(world, progress).items():
        assert client.get(url.format(pk)).status_code == 200, url


def test_public_dashboards_never_let_anonymous_callers_write(settings, client_as, world):
    settings.PUBLIC_DASHBOARDS = True
    client = client_as("anonymous")
    observation = {"indicator": world["pv"].pk, "period": "2023", "value": "1"}
    update = {"measure": world["pv_measure"].pk, "status": "in_progress"}
    assert client.post("/api/v1/observations/", observation).status_code == 401
    assert client.post("/api/v1/measure-updates/", update).status_code == 401
    assert client.post("/api/v1/auth/token/").status_code == 401


# What each role may report: the NDRC owns PV and supports the PM2.5 measure; the ecology
# bureau owns PM2.5; leaders write nothing; admins write everything.
CAN_REPORT_INDICATORS = {
    "leader": {"pv": False, "pm": False},
    "owner": {"pv": True, "pm": False},
    "other_bureau": {"pv": False, "pm": True},
    "admin": {"pv": True, "pm": True},
}
CAN_REPORT_MEASURES = {
    "leader": {"pv_measure": False, "pm_measure": False},
    "owner": {"pv_measure": True, "pm_measure": True},
    "other_bureau": {"pv_measure": False, "pm_measure": True},
    "admin": {"pv_measure": True, "pm_measure": True},
}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_can_report_follows_the_write_rule(role, client_as, world):
    client = client_as(role)
    indicators = {row["id"]: row["can_report"] for row in client.get("/api/v1/indicators/").json()["results"]}
    assert {key: indicators[world[key].pk] for key in ("pv", "pm")} == CAN_REPORT_INDICATORS[role]
    measures = {row["id"]: row["can_report"] for row in client.get("/api/v1/measures/").json()["results"]}
    assert {key: measures[world[key].pk] for key in ("pv_measure", "pm_measure")} == CAN_REPORT_MEASURES[role]


def test_can_report_filter_lists_what_the_user_may_write(client_as, world):
    client = client_as("other_bureau")
    indicators = client.get("/api/v1/indicators/", {"can_report": "true"}).json()["results"]
    assert [row["id"] for row in indicators] == [world["pm"].pk]
    measures = client.get("/api/v1/measures/", {"can_report": "true"}).json()["results"]
    assert [row["id"] for row in measures] == [world["pm_measure"].pk]
    assert client_as("leader").get("/api/v1/measures/", {"can_report": "true"}).json()["count"] == 0


def test_an_anonymous_public_reader_can_report_nothing(settings, client_as, world):
    settings.PUBLIC_DASHBOARDS = True
    rows = client_as("anonymous").get("/api/v1/indicators/").json()["results"]
    assert [row["can_report"] for row in rows] == [False, False]
