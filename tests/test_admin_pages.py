"""Every admin page loads for an admin: changelists, add forms, change forms and history."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from measures.models import DeadlineReminder, MeasureStatus, MeasureUpdate
from reporting.models import Observation, TargetAssessment
from reporting.recompute import progress_recompute
from targets.models import CitySetup, IndicatorReporting


@pytest.fixture
def populated(world, users):
    Observation.objects.create(
        indicator=world["pv"], period="2023", period_end="2023-12-31", value=12, entered_by=users["ndrc_staff"]
    )
    MeasureUpdate.objects.create(
        measure=world["pv_measure"], status=MeasureStatus.objects.first(), created_by=users["ndrc_staff"]
    )
    TargetAssessment.objects.create(
        target=world["pm_target"], verdict="on_track", note="按计划", assessed_by=users["admin"]
    )
    DeadlineReminder.objects.create(measure=world["pv_measure"], stage="30d", deadline="2026-12-31")
    Token.objects.create(user=users["ndrc_staff"])
    CitySetup.objects.create(city=world["city"], coordinating_bureau=world["ndrc"], review_required=True)
    IndicatorReporting.objects.create(indicator=world["pv"], bureau=world["ndrc"])
    progress_recompute()
    # login throttling's records (django-axes): admins unlock an account by deleting its attempt
    login = Client()
    login.post("/accounts/login/", {"username": "ndrc", "password": "wrong"})
    login.post("/accounts/login/", {"username": "eco", "password": "wrong"})
    login.post("/accounts/login/", {"username": "eco", "password": "pw-for-tests-only"})
    return world


def _registered():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label != "auth"
    ]


@pytest.mark.parametrize("who", ["superuser", "admin"])
def test_every_admin_page_loads(client, populated, users, who):
    client.force_login(users[who])
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in _registered():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = client.get(reverse(f"{prefix}_changelist"))
        assert changelist.status_code == 200, (model, changelist.status_code)
        request = changelist.wsgi_request
        add_status = 200 if model_admin.has_add_permission(request) else 403  # computed rows are read-only
        assert client.get(reverse(f"{prefix}_add")).status_code == add_status, model
        obj = model.objects.first()
        assert obj is not None, f"no {model.__name__} to open"
        assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200, model
        assert client.get(reverse(f"{prefix}_history", args=[obj.pk])).status_code == 200, model


def test_filters_by_city_plan_sector_and_bureau(client, populated, users):
    client.force_login(users["superuser"])
    url = reverse("admin:targets_target_changelist")
    response = client.get(
        url, {"plan__city__id__exact": populated["city"].pk, "responsibilities__bureau__id__exact": populated["eco"].pk}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [populated["pm_target"]]
    response = client.get(url, {"indicator__sector__id__exact": populated["pv"].sector_id})
    assert list(response.context["cl"].result_list) == [populated["pv_target"]]


def test_edit_history_records_the_user(client, populated, users):
    target = populated["pv_target"]
    client.force_login(users["superuser"])
    url = reverse("admin:targets_target_change", args=[target.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"value": "550", "responsibilities-TOTAL_FORMS": "0", "responsibilities-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    target.refresh_from_db()
    assert target.value == 550
    latest = target.history.first()
    assert latest.history_user == users["superuser"] and latest.value == 550


@pytest.mark.parametrize("who", ["leader", "ndrc_staff"])
def test_non_admins_are_kept_out_of_the_admin(client, populated, users, who):
    client.force_login(users[who])
    response = client.get(reverse("admin:targets_target_changelist"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
