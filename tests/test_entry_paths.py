"""One service behind every entry path (entry page, API, file import, admin, demo data, review):
the same refusal for an indicator the user's bureau does not own, the same reading of the
fields, and a history row that says where each change came from, shown on the target page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.change_sources import ChangeSource
from measures.models import MeasureStatus, MeasureUpdate
from reporting.bulk_record import CheckedEntry, observations_record_bulk
from reporting.demo_data import demo_observations_create
from reporting.models import Observation
from reporting.review import observation_approve
from reporting.values import observation_input_clean
from targets.models import CitySetup

pytestmark = pytest.mark.django_db

REFUSAL = "您无权填报“光伏发电装机容量”的数据"  # the service's message (reporting.services.refusal)


def _api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def _csv(*rows: str) -> SimpleUploadedFile:
    text = "city,indicator_code,period,value,note\n" + "".join(f"{row}\n" for row in rows)
    return SimpleUploadedFile("data.csv", text.encode(), "text/csv")


def _reasons(observation: Observation) -> list[str]:
    return list(
        observation.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )


def test_a_forbidden_write_is_refused_by_the_service_with_one_message_on_every_path(client, world, users):
    """The ecology bureau's staff may not report the NDRC's PV indicator: the page, the API and
    the import all refuse it with the service's words, and nothing is stored."""
    other = users["eco_staff"]
    client.force_login(other)
    url = reverse("entry:observation_create", args=[world["pv"].pk])

    page = client.post(url, {"period": "2023", "value": "1"})
    assert page.status_code == 403 and REFUSAL in page.content.decode()
    # Bad values change nothing: the refusal comes before any field is read.
    assert client.post(url, {"period": "soon", "value": "x"}).status_code == 403
    assert client.get(url).status_code == 403

    api = _api(other).post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": "1"})
    assert api.status_code == 403 and api.json() == {"detail": f"{REFUSAL}。"}
    typed_wrong = _api(other).post(
        "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": [1]}, format="json"
    )
    assert typed_wrong.status_code == 403 and typed_wrong.json() == {"detail": f"{REFUSAL}。"}

    preview = client.post(reverse("entry:observation_upload"), {"file": _csv("测试市,pv_installed_capacity,2023,1,")})
    assert [str(p) for p in preview.context["report"].problems] == [f"第2行：{REFUSAL}"]

    assert not Observation.objects.exists()


def test_each_path_records_where_the_change_came_from(client, world, users, django_capture_on_commit_callbacks):
    staff = users["ndrc_staff"]
    client.force_login(staff)
    url = reverse("entry:observation_create", args=[world["pv"].pk])
    assert client.post(url, {"period": "2021", "value": "300"}).status_code == 302
    assert _api(staff).post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2022", "value": 310})
    digest = client.post(
        reverse("entry:observation_upload"), {"file": _csv("测试市,pv_installed_capacity,2023,320,")}
    ).context["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("entry:observation_upload"), {"action": "confirm", "digest": digest})
    # The same period again through the API, then the page: one observation, three history rows.
    _api(staff).post("/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2021", "value": 301})
    client.post(url, {"period": "2021", "value": "302", "confirm": "on"})  # confirms the overwrite

    stored = {o.period: o for o in Observation.objects.all()}
    assert _reasons(stored["2021"]) == ["page", "api", "page"]
    assert _reasons(stored["2022"]) == ["api"]
    assert _reasons(stored["2023"]) == ["import"]
    assert all(h.history_user == staff for o in stored.values() for h in o.history.all())

    # The target page's entry history names the source in the page's language.
    client.force_login(users["leader"])
    html = client.get(reverse("dashboard:target", args=[world["pv_target"].pk])).content.decode()
    for label in ("<td>填报页面</td>", "<td>接口</td>", "<td>文件导入</td>"):
        assert label in html


def test_the_api_answers_from_the_services_result(world, users):
    """201 then 200 from what the service says happened; an unchanged value writes no history."""
    client = _api(users["ndrc_staff"])
    payload = {"indicator": world["pv"].pk, "period": "2023", "value": "320"}
    with CaptureQueriesContext(connection) as queries:
        created = client.post("/api/v1/observations/", payload)
    sql = [q["sql"] for q in queries.captured_queries]
    written = next(i for i, q in enumerate(sql) if q.startswith('INSERT INTO "reporting_observation"'))
    # Nothing is read back: the answer is built from the object the service saved.
    assert not [q for q in sql[written:] if q.startswith("SELECT") and 'FROM "reporting_observation"' in q]
    changed = client.post("/api/v1/observations/", {**payload, "value": "321"})
    unchanged = client.post("/api/v1/observations/", {**payload, "value": "321.0"})
    assert [r.status_code for r in (created, changed, unchanged)] == [201, 200, 200]
    assert unchanged.json()["value"] == 321 and unchanged.json()["recompute_queued"] is None
    assert _reasons(Observation.objects.get()) == ["api", "api"]


def test_editing_a_demo_row_in_the_admin_keeps_it_demo_and_says_admin(client, world, users):
    """The admin's save went through the service without the form's demo mark, so editing a
    demo value silently made it real data."""
    _demo_row(world)
    observation = Observation.objects.get(indicator=world["pv"], period="2022")
    client.force_login(users["superuser"])
    url = reverse("admin:reporting_observation_change", args=[observation.pk])
    response = client.post(url, {"value": "333", "note": "演示数据（已改）", "is_demo": "on"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    observation.refresh_from_db()
    assert (observation.value, observation.is_demo) == (Decimal("333"), True)
    assert _reasons(observation)[-1] == "admin"
    assert observation.history.first().history_user == users["superuser"]

    # Unticking the box is how an admin makes it real data.
    client.post(url, {"value": "333", "note": "演示数据（已改）"})
    observation.refresh_from_db()
    assert observation.is_demo is False


def _demo_row(world) -> None:
    """A demo row as the demo data writes it (through the service's bulk path)."""
    entry = observation_input_clean(period="2022", value="320", note="演示数据")
    observations_record_bulk([CheckedEntry(world["pv"], entry)], user=None, source=ChangeSource.DEMO, is_demo=True)


def test_demo_data_goes_through_the_service_and_leaves_history(four_plans):
    created = demo_observations_create(last_year=2024)
    assert created > 200
    demo = Observation.objects.filter(is_demo=True)
    assert demo.count() == created and not demo.exclude(status=Observation.Status.APPROVED).exists()
    history = Observation.history.filter(id__in=demo.values("id"))
    assert history.count() == created  # one "created" record each
    assert set(history.values_list("history_type", "history_change_reason", "history_user")) == {("+", "demo", None)}
    # The record is a copy of the stored row.
    row = demo.order_by("pk").first()
    record = row.history.get()
    assert (record.period, record.value, record.note, record.is_demo) == (row.period, row.value, row.note, True)
    # Run again, it adds nothing and writes no history.
    assert demo_observations_create(last_year=2024) == 0
    assert Observation.history.count() == created


def test_a_review_is_recorded_as_a_review(world, users):
    CitySetup.objects.create(city=world["city"], coordinating_bureau=world["eco"], review_required=True)
    response = _api(users["ndrc_staff"]).post(
        "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": "320"}
    )
    observation = Observation.objects.get(pk=response.json()["id"])
    assert observation.status == Observation.Status.SUBMITTED
    observation_approve(observation=observation, user=users["eco_staff"])
    assert _reasons(observation) == ["api", "review"]


def test_measure_updates_record_their_source(client, world, users):
    staff = users["ndrc_staff"]
    client.force_login(staff)
    in_progress = MeasureStatus.objects.get(code="in_progress").pk
    page = client.post(reverse("entry:measure_update_create", args=[world["pv_measure"].pk]), {"status": in_progress})
    assert page.status_code == 302
    api = _api(staff).post("/api/v1/measure-updates/", {"measure": world["pv_measure"].pk, "status": "completed"})
    assert api.status_code == 201
    admin = Client()
    admin.force_login(users["superuser"])
    response = admin.post(
        reverse("admin:measures_measureupdate_add"),
        {"measure": world["pv_measure"].pk, "status": in_progress, "percent_complete": "50", "note": ""},
    )
    assert response.status_code == 302
    reasons = [u.history.get().history_change_reason for u in MeasureUpdate.objects.order_by("pk")]
    assert reasons == ["page", "api", "admin"]

    # Another bureau's staff is refused by the service's words on the page and the API alike.
    other = users["eco_staff"]
    client.force_login(other)
    refused = client.post(reverse("entry:measure_update_create", args=[world["pv_measure"].pk]), {"status": "x"})
    assert refused.status_code == 403 and "您无权更新任务“三（一）1”。" in refused.content.decode()
    api = _api(other).post("/api/v1/measure-updates/", {"measure": world["pv_measure"].pk, "status": "completed"})
    assert api.json() == {"detail": "您无权更新任务“三（一）1”。"}
    assert MeasureUpdate.objects.count() == 3


def test_a_value_that_looks_odd_is_stored_only_once_confirmed(client, world, users):
    client.force_login(users["ndrc_staff"])
    url = reverse("entry:observation_create", args=[world["pv"].pk])
    assert client.post(url, {"period": "2022", "value": "300"}).status_code == 302
    odd = client.post(url, {"period": "2023", "value": "-5"})
    assert odd.status_code == 200 and odd.context["warnings"]
    assert Observation.objects.count() == 1
    assert client.post(url, {"period": "2023", "value": "-5", "confirm": "on"}).status_code == 302
    assert Observation.objects.get(period="2023").value == -5
