"""Who may write what: bureau staff only their bureau's items, on the server, for every path."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.change_sources import ChangeSource
from measures.models import Measure, MeasureStatus, MeasureUpdate
from measures.services import measure_update_record
from reporting.models import Observation
from reporting.services import observation_record
from targets.models import Indicator


def _observe_url(indicator) -> str:
    return reverse("entry:observation_create", args=[indicator.pk])


def _update_url(measure) -> str:
    return reverse("entry:measure_update_create", args=[measure.pk])


def test_editable_by_scopes_each_role(world, users):
    assert set(Indicator.objects.editable_by(users["ndrc_staff"])) == {world["pv"]}
    assert set(Indicator.objects.editable_by(users["eco_staff"])) == {world["pm"]}
    assert set(Indicator.objects.editable_by(users["admin"])) == {world["pv"], world["pm"]}
    assert set(Indicator.objects.editable_by(users["superuser"])) == {world["pv"], world["pm"]}
    assert not Indicator.objects.editable_by(users["leader"]).exists()
    # A supporting bureau may report too: the NDRC supports the PM2.5 measure.
    assert set(Measure.objects.editable_by(users["ndrc_staff"])) == {world["pv_measure"], world["pm_measure"]}
    assert set(Measure.objects.editable_by(users["eco_staff"])) == {world["pm_measure"]}
    assert not Measure.objects.editable_by(users["leader"]).exists()


def test_staff_without_the_permission_may_write_nothing(world, users):
    staff = users["ndrc_staff"]
    staff.groups.clear()
    assert not Indicator.objects.editable_by(staff).exists()


def test_staff_records_an_observation_for_their_bureau(client, world, users):
    client.force_login(users["ndrc_staff"])
    response = client.post(_observe_url(world["pv"]), {"period": "2023", "value": "321.5", "note": "统计快报"})
    assert response.status_code == 302
    observation = Observation.objects.get(indicator=world["pv"], period="2023")
    assert observation.value == Decimal("321.5")
    assert observation.entered_by == users["ndrc_staff"]
    assert observation.history.first().history_user == users["ndrc_staff"]


@pytest.mark.parametrize("who", ["eco_staff", "leader"])
def test_others_cannot_record_and_nothing_changes(client, world, users, who):
    Observation.objects.create(indicator=world["pv"], period="2023", period_end="2023-12-31", value=100)
    client.force_login(users[who])
    response = client.post(_observe_url(world["pv"]), {"period": "2023", "value": "999"})
    assert response.status_code == 403
    assert client.get(_observe_url(world["pv"])).status_code == 403
    assert Observation.objects.get(indicator=world["pv"], period="2023").value == Decimal("100")
    assert Observation.objects.count() == 1


def test_anonymous_is_sent_to_login(client, world):
    response = client.post(_observe_url(world["pv"]), {"period": "2023", "value": "1"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Observation.objects.exists()


def test_admin_may_record_for_any_bureau(client, world, users):
    client.force_login(users["admin"])
    assert client.post(_observe_url(world["pm"]), {"period": "2024", "value": "31"}).status_code == 302
    assert Observation.objects.get(indicator=world["pm"]).value == Decimal("31")


def test_measure_updates_follow_the_same_rule(client, world, users):
    status = MeasureStatus.objects.get(code="in_progress")
    client.force_login(users["eco_staff"])
    response = client.post(_update_url(world["pv_measure"]), {"status": status.pk, "percent_complete": 40})
    assert response.status_code == 403
    assert not MeasureUpdate.objects.exists()
    response = client.post(
        _update_url(world["pm_measure"]), {"status": status.pk, "percent_complete": 40, "note": "已开工"}
    )
    assert response.status_code == 302
    update = MeasureUpdate.objects.get()
    assert (update.measure, update.percent_complete, update.created_by) == (world["pm_measure"], 40, users["eco_staff"])


def test_services_refuse_too_not_only_views(world, users):
    with pytest.raises(PermissionDenied):
        observation_record(
            source=ChangeSource.COMMAND, indicator=world["pv"], period="2023", value="1", user=users["eco_staff"]
        )
    with pytest.raises(PermissionDenied):
        measure_update_record(
            source=ChangeSource.COMMAND,
            measure=world["pv_measure"],
            status=MeasureStatus.objects.first(),
            user=users["leader"],
        )
    assert not Observation.objects.exists() and not MeasureUpdate.objects.exists()


def test_bad_value_is_named_and_nothing_stored(client, world, users):
    client.force_login(users["ndrc_staff"])
    response = client.post(_observe_url(world["pv"]), {"period": "2023", "value": "很多"})
    assert response.status_code == 400
    assert "不是数字" in response.content.decode()
    response = client.post(_observe_url(world["pv"]), {"period": "2099", "value": "1"})
    assert response.status_code == 400 and "尚未开始" in response.content.decode()
    assert not Observation.objects.exists()


def test_csrf_is_enforced(world, users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["ndrc_staff"])
    assert client.post(_observe_url(world["pv"]), {"period": "2023", "value": "1"}).status_code == 403
    assert not Observation.objects.exists()


def test_roles_are_read_once_and_every_change_of_a_grant_is_seen_at_once(world, users, django_assert_num_queries):
    from django.contrib.auth.models import Group, Permission

    from accounts.models import User
    from accounts.roles import BUREAU_STAFF, WriteScope, write_scope

    def scope() -> WriteScope:  # each request reads its user afresh
        return write_scope(User.objects.get(pk=users["ndrc_staff"].pk), "reporting.add_observation")

    mine = WriteScope(bureau_id=world["ndrc"].pk)
    assert scope() == mine
    with django_assert_num_queries(1):  # the user row only: the roles came from the cache
        assert scope() == mine
    role = Group.objects.get(name=BUREAU_STAFF)
    add = Permission.objects.get(content_type__app_label="reporting", codename="add_observation")
    role.permissions.remove(add)
    assert scope() == WriteScope()
    users["ndrc_staff"].user_permissions.add(add)  # granted to the user alone
    assert scope() == mine
    users["ndrc_staff"].user_permissions.clear()
    assert scope() == WriteScope()
    role.permissions.add(add)
    assert scope() == mine
    users["ndrc_staff"].groups.remove(role)
    assert scope() == WriteScope()
    users["ndrc_staff"].groups.add(Group.objects.get(name="admin"))
    assert scope() == WriteScope(everything=True)
    Group.objects.get(name="admin").delete()  # its members' links go without m2m_changed
    assert scope() == WriteScope()
    User.objects.filter(pk=users["ndrc_staff"].pk).update(is_superuser=True)  # the row itself: never kept
    assert scope() == WriteScope(everything=True)
