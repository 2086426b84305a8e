"""The OpenAPI schema validates without a warning, documents statuses and errors, and the docs
page is served with assets of the application's own: nothing from another host."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parent.parent.parent


def test_spectacular_validate_prints_no_warning_or_error(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    output = tmp_path / "schema.yaml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", str(output)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # Other output (log lines of other apps at import) may appear; no schema warning or error may.
    problems = [
        line for line in (result.stdout + result.stderr).splitlines() if re.search(r"warning|error", line, re.I)
    ]
    assert problems == []
    paths = yaml.safe_load(output.read_text())["paths"]
    assert "/api/v1/observations/" in paths and "post" in paths["/api/v1/observations/"]


@pytest.fixture
def schema(db) -> dict:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_served_to_anyone(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_the_schema_names_the_statuses_and_deadline_states(schema):
    components = schema["components"]["schemas"]
    assert components["ProgressStatusEnum"]["enum"] == [
        "achieved", "missed", "on_track", "needs_acceleration", "off_track", "deteriorating", "no_data", "manual",
    ]  # fmt: skip
    deadline = components["Measure"]["properties"]["deadline_state"]
    assert deadline["nullable"] is True
    assert deadline["oneOf"] == [
        {"$ref": "#/components/schemas/DeadlineStateEnum"},
        {"$ref": "#/components/schemas/NullEnum"},
    ]
    assert components["DeadlineStateEnum"]["enum"] == ["overdue", "due_soon"]


def test_the_schema_documents_the_error_responses(schema):
    create = schema["paths"]["/api/v1/observations/"]["post"]["responses"]
    assert set(create) == {"200", "201", "400", "401", "403"}
    assert create["400"]["content"]["application/json"]["schema"]["type"] == "object"
    detail = schema["paths"]["/api/v1/targets/{id}/"]["get"]["responses"]
    assert set(detail) == {"200", "401", "404"}
    listing = schema["paths"]["/api/v1/targets/"]["get"]
    assert set(listing["responses"]) == {"200", "400", "401", "404"}
    assert {p["name"] for p in listing["parameters"]} >= {"city", "plan", "sector", "bureau", "status", "page"}


def test_the_schema_marks_reads_public_only_when_dashboards_are(settings, db):
    def security(path: str, method: str) -> list:
        schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
        return schema["paths"][path][method]["security"]

    assert {} not in security("/api/v1/targets/", "get")
    settings.PUBLIC_DASHBOARDS = True
    assert {} in security("/api/v1/targets/", "get")
    assert {} not in security("/api/v1/observations/", "post")


def test_the_docs_page_loads_nothing_from_another_host(db):
    response = APIClient().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert references, html
    for reference in references:
        assert not urlsplit(reference).netloc, reference
        assert not reference.startswith("//"), reference
    assert not re.search(r"https?://", html.split("<body", 1)[1].replace("http://testserver", "")), html
    # The UI's settings come from a script file (the split view: no inline script, as the
    # Content-Security-Policy requires); Swagger UI would otherwise ask validator.swagger.io.
    script = APIClient().get("/api/v1/docs/", {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        url = next(r for r in references if r.endswith(asset))
        assert url.startswith("/static/")
        assert finders.find(url.removeprefix("/static/")), url
