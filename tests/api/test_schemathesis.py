"""Property-based runs against the OpenAPI schema: schemathesis generates requests for every
operation, reads and writes, and sends them to the application in-process with an admin's
token (admins may write everything, so writes reach the services).

They must find no server error and no response that breaks the schema (status code, content
type, headers and body), and unsupported methods and missing credentials must be refused.
They run against the test database holding the small world of tests/conftest.py with progress
data, bounded by max_examples and derandomized so that every run sends the same requests.

Two runs: one with valid and invalid data as generated, and one with valid data only, where
most generated ids are pointed at rows that exist so that detail pages and writes succeed and
their bodies are checked too.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from measures.models import Measure, MeasureUpdate
from reporting.models import Observation, ProgressSnapshot
from targets.models import Bureau, City, Indicator, Plan, Sector, Target

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
    unsupported_method,
]
MODEL_OF_PATH = {
    "/api/v1/cities/{id}/": City,
    "/api/v1/sectors/{id}/": Sector,
    "/api/v1/plans/{id}/": Plan,
    "/api/v1/bureaus/{id}/": Bureau,
    "/api/v1/indicators/{id}/": Indicator,
    "/api/v1/targets/{id}/": Target,
    "/api/v1/progress-history/{id}/": ProgressSnapshot,
    "/api/v1/measures/{id}/": Measure,
    "/api/v1/measure-updates/{id}/": MeasureUpdate,
    "/api/v1/observations/{id}/": Observation,
}
PERIODS = ["2021", "2023-Q2", "2024-06", "2022"]
RUN = settings(max_examples=20, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def load_schema(**config: object) -> schemathesis.BaseSchema:
    # Loaded from the application itself, so the schema under test is the one it serves.
    # Deleting the token would sign the run out half-way; test_tokens.py covers that.
    loaded = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", get_wsgi_application(), config=schemathesis.Config.from_dict(config)
    )
    return loaded.exclude(method="DELETE", path="/api/v1/auth/token/")


schema = load_schema()
valid_schema = load_schema(generation={"mode": "positive"}, phases={"coverage": {"enabled": False}})


def existing_id(model: type, generated: object) -> object:
    """A generated positive id replaced by one that exists, chosen by the generated value so the
    run stays deterministic; zero, negative ids and anything not an integer left as generated
    (the other run sends unknown ids)."""
    if not isinstance(generated, int) or isinstance(generated, bool) or generated <= 0:
        return generated
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return ids[generated % len(ids)] if ids else generated


@valid_schema.hook
def map_path_parameters(context, path_parameters):
    model = MODEL_OF_PATH.get(context.operation.path)
    if model is not None and "id" in path_parameters:
        path_parameters["id"] = existing_id(model, path_parameters["id"])
    return path_parameters


@valid_schema.hook
def map_body(context, body):
    """Point most generated writes at rows that exist, with a valid period, a number and a known
    status, so that they get past the lookups and reach the services."""
    if not isinstance(body, dict):
        return body
    for field, model in (("indicator", Indicator), ("measure", Measure)):
        if field in body:
            body[field] = existing_id(model, body[field])
    for field, choices in (("period", PERIODS), ("status", ["in_progress", "completed"])):
        value = body.get(field)
        if isinstance(value, str) and len(value) % 3:
            body[field] = choices[len(value) % len(choices)]
    if isinstance(body.get("value"), str) and len(body["value"]) % 2:
        body["value"] = f"{len(body['value'])}.5"
    return body


@pytest.fixture
def admin_token(users) -> str:
    return Token.objects.create(user=users["admin"]).key


@pytest.fixture
def app_in_test_transaction(progress):
    """Requests go through the real WSGI handler, which closes the database connection when a
    request ends; that would end the test's transaction. Django's own test client turns this
    off in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@RUN
@schema.parametrize()
def test_generated_requests_conform_to_the_schema(case, app_in_test_transaction, admin_token):
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)


@RUN
@valid_schema.parametrize()
def test_valid_requests_on_existing_rows_conform_to_the_schema(case, app_in_test_transaction, admin_token):
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)


def test_a_valid_write_is_stored_and_its_response_conforms(app_in_test_transaction, admin_token, world):
    """The runs above are only worth something if valid writes succeed and are checked."""
    case = valid_schema["/api/v1/observations/"]["POST"].Case(
        body={"indicator": world["pv"].pk, "period": "2024", "value": 410, "note": ""}
    )
    response = case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=CHECKS)
    assert response.status_code == 201
    assert Observation.objects.get(indicator=world["pv"], period="2024").value == 410
