"""Bad payloads get a 400 with the errors under the field they concern, every bad field at
once, and nothing is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from api.errors import api_validation_error
from measures.models import MeasureUpdate
from reporting.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_observation(client_as, world):
    client = client_as("owner")

    def post(**fields):
        payload = {"indicator": world["pv"].pk, "period": "2023", "value": "1", **fields}
        response = client.post("/api/v1/observations/", {k: v for k, v in payload.items() if v is not ...})
        assert response.status_code == 400, response.content
        assert not Observation.objects.exists()
        return response.json()

    return post


@pytest.fixture
def post_update(client_as, world):
    client = client_as("owner")

    def post(**fields):
        payload = {"measure": world["pv_measure"].pk, "status": "in_progress", **fields}
        response = client.post("/api/v1/measure-updates/", payload)
        assert response.status_code == 400, response.content
        assert not MeasureUpdate.objects.exists()
        return response.json()

    return post


def test_a_value_that_is_not_a_number(post_observation):
    assert post_observation(value="abc") == {"value": ["数值“abc”不是数字。"]}


def test_a_value_too_large_to_store(post_observation):
    # numeric(20, 6) holds 14 digits before the point; the database would refuse 1e20.
    assert post_observation(value="1e20") == {"value": ["数值“1e20”过大，超出可存储的范围。"]}
    assert post_observation(value=123456789012345678) == {"value": ["数值“123456789012345678”过大，超出可存储的范围。"]}
    # Below 10^14, but rounded to six decimals it is 10^14.
    assert post_observation(value="99999999999999.9999999") == {
        "value": ["数值“99999999999999.9999999”过大，超出可存储的范围。"]
    }


def test_the_largest_storable_value_is_stored(client_as, world):
    # PostgreSQL stores numeric(20, 6) exactly; SQLite keeps 15 significant digits.
    largest = "-99999999999999.999999" if connection.vendor != "sqlite" else "-99999999999999.9"
    response = client_as("owner").post(
        "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": largest}
    )
    assert response.status_code == 201
    assert f"{Observation.objects.get().value:f}".rstrip("0") == largest


def test_sixteen_significant_digits_are_stored_exactly_or_refused(client_as, world):
    # SQLite keeps numbers as floats (15 significant digits): it refuses rather than store
    # another number; PostgreSQL's numeric(20, 6) stores the value as typed.
    response = client_as("owner").post(
        "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "value": "1234567890.123456"}
    )
    if connection.vendor == "sqlite":
        assert response.status_code == 400
        assert response.json() == {
            "value": ["数值“1234567890.123456”超过15位有效数字：嵌入式数据库（SQLite）无法精确保存，请减少位数。"]
        }
        assert not Observation.objects.exists()
    else:
        assert response.status_code == 201
        assert str(Observation.objects.get().value) == "1234567890.123456"


def test_a_value_of_the_wrong_type_or_length(post_observation):
    assert post_observation(value=[1]) == {"value": ["数值应为数字或文本。"]}
    assert post_observation(value=True) == {"value": ["数值应为数字或文本。"]}
    assert post_observation(value="1" * 41) == {"value": ["数值最多40个字符。"]}


def test_a_period_in_the_future(post_observation):
    assert post_observation(period="2099") == {"period": ["期间“2099”尚未开始，不能填报未来的数据。"]}


def test_a_period_before_the_plans_range(post_observation):
    assert post_observation(period="2001") == {"period": ["期间“2001”早于2005年，超出规划的统计范围。"]}


def test_a_period_in_no_known_format(post_observation):
    message = "期间“2023-13”格式不正确：请填写年份（2023）、季度（2023-Q2）或月份（2023-06）。"
    assert post_observation(period="2023-13") == {"period": [message]}


def test_every_bad_field_is_reported_at_once(post_observation):
    errors = post_observation(period="soon", value="many", note=["x"])
    assert set(errors) == {"period", "value", "note"}


def test_an_unknown_indicator(post_observation):
    errors = post_observation(indicator=999999)
    assert list(errors) == ["indicator"]
    assert "999999" in errors["indicator"][0]


def test_missing_fields(post_observation):
    assert set(post_observation(indicator=..., period=...)) == {"indicator", "period"}


def test_neither_value_nor_note_is_the_services_error_under_value(post_observation):
    # Raised by reporting.services.observation_record and mapped to its field.
    assert post_observation(value=None) == {"value": ["请填写数值，定性指标请在说明中填写评估。"]}
    assert post_observation(value="  ", note="") == {"value": ["请填写数值，定性指标请在说明中填写评估。"]}


def test_a_qualitative_assessment_may_be_a_note_alone(client_as, world):
    response = client_as("owner").post(
        "/api/v1/observations/", {"indicator": world["pv"].pk, "period": "2023", "note": "已完成省下达任务"}
    )
    assert response.status_code == 201
    assert response.json()["value"] is None


def test_a_body_that_is_not_an_object(client_as, world):
    client = client_as("owner")
    response = client.post("/api/v1/observations/", [1, 2], format="json")
    assert response.status_code == 400 and list(response.json()) == ["non_field_errors"]
    response = client.generic("POST", "/api/v1/observations/", "{not json", content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["detail"]
    assert not Observation.objects.exists()


def test_a_percentage_over_100_or_below_0(post_update):
    assert list(post_update(percent_complete=150)) == ["percent_complete"]
    assert list(post_update(percent_complete=-1)) == ["percent_complete"]
    assert list(post_update(percent_complete="most")) == ["percent_complete"]


def test_an_unknown_status(post_update):
    errors = post_update(status="finished")
    assert list(errors) == ["status"]
    assert "finished" in errors["status"][0]


def test_an_unknown_measure_and_a_missing_status(post_update):
    errors = post_update(measure=999999, status=None)
    assert set(errors) == {"measure", "status"}


def test_service_errors_are_mapped_to_their_fields():
    by_field = ValidationError({"value": ["数值“x”不是数字。"], "__all__": ["整体错误"]})
    assert api_validation_error(by_field).detail == {"value": ["数值“x”不是数字。"], "non_field_errors": ["整体错误"]}
    assert api_validation_error(ValidationError("无字段的错误")).detail == {"non_field_errors": ["无字段的错误"]}
