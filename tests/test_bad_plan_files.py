"""Issue 10, hostile plan files uploaded in the admin: each gets a validation message on the
upload page, and nothing is stored."""

from __future__ import annotations

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from targets.models import City, Plan
from targets.plan_validation import MAX_LENGTHS, read_plan_file
from tests.test_plan_loader import readme_example

pytestmark = pytest.mark.django_db
UPLOAD = "admin:targets_plan_upload"


def _upload(client, raw: bytes) -> str:
    """The problems listed on the upload page, one "where: reason" line each."""
    response = client.post(reverse(UPLOAD), {"file": SimpleUploadedFile("plan.yaml", raw)})
    assert response.status_code == 200
    assert 'name="action" value="apply"' not in response.content.decode()
    assert not Plan.objects.filter(code="rizhao-carbon-peaking").exists()
    problems = response.context["problems"]
    for problem in problems:
        assert escape(problem.reason) in response.content.decode()
    return "\n".join(f"{p.where}: {p.reason}" if p.where else p.reason for p in problems)


def _yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True).encode()


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def test_ten_thousand_levels_of_nesting(admin_client):
    raw = b"format: 1\nplan: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"
    assert "nested more than 20 levels deep" in _upload(admin_client, raw)
    raw = b"format: 1\nplan:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, 100))
    assert "nested more than 20 levels deep" in _upload(admin_client, raw)


def test_alias_expansion_is_refused(admin_client):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        previous, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]")
    page = _upload(admin_client, ("\n".join(lines) + "\nplan: *i\n").encode())
    assert "anchors (&name) are not allowed" in page
    page = _upload(admin_client, b"plan: {code: x}\nother: *x\n")
    assert "not valid YAML" in page  # an alias without an anchor: YAML's own error


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plan": [1]}, "plan: must be a mapping of fields, not a list"),
        ({"city": 5}, "city: must be a mapping of fields, not 5"),
        ({"targets": "none"}, "targets: must be a list, not text"),
        ({"measures": {"a": 1}}, "measures: must be a list, not a mapping"),
    ],
)
def test_sections_of_the_wrong_type(admin_client, change, message):
    assert message in _upload(admin_client, _yaml({**readme_example(), **change}))


def test_wrong_types_deeper_in(admin_client):
    data = readme_example()
    data["indicators"][0]["sector"] = ["energy"]
    data["targets"][0]["indicator"] = {"code": 1}
    data["measures"][0]["parent"] = [1]
    page = _upload(admin_client, _yaml(data))
    assert "indicators[0].sector: unknown sector a list" in page
    assert "targets[0].indicator" in page


def test_an_impossible_date(admin_client):
    raw = _yaml(readme_example()).replace(b"issued: 20", b"issued: 2023-02-30 #", 1)
    assert "plan.issued: '2023-02-30' is not a date in the calendar" in _upload(admin_client, raw)


def test_a_new_city_code_with_an_existing_citys_name(admin_client, world):
    data = readme_example()
    data["city"] = {**data["city"], "code": "another-code", "name": world["city"].name}
    page = _upload(admin_client, _yaml(data))
    assert "city.name: '测试市' is already the name of city 'testcity'" in page
    assert City.objects.count() == 1


def test_a_plan_code_of_another_citys_plan(admin_client, world):
    data = readme_example()
    data["plan"]["code"] = world["plan"].code
    problems = _upload(admin_client, _yaml(data))
    assert "plan.code: 'test-plan' is already the code of a plan of city 'testcity'; a plan keeps its city" in problems
    assert Plan.objects.get(code="test-plan").city == world["city"]


def test_a_code_that_cannot_be_part_of_a_url(admin_client):
    data = readme_example()
    data["city"]["code"] = "日 照"
    assert "city.code: '日 照' is not a code: use ASCII letters, digits, - and _" in _upload(admin_client, _yaml(data))
    assert not City.objects.filter(name="日照").exists()


def test_a_text_longer_than_the_database_stores(admin_client):
    data = readme_example()
    data["city"]["name"] = "长" * 51
    assert "city.name: is 51 characters long; at most 50 are stored" in _upload(admin_client, _yaml(data))


def test_the_length_limits_are_the_models():
    from measures.models import Measure
    from targets.models import Bureau, Indicator, Target

    models = {"city": City, "plan": Plan, "bureau": Bureau, "indicator": Indicator, "measure": Measure}
    models["target"] = Target
    for key, limit in MAX_LENGTHS.items():
        model, field = key.split(".")
        assert models[model]._meta.get_field(field).max_length == limit, key


def test_a_huge_integer_is_a_message_not_a_crash():
    plan_file, problems = read_plan_file(b"plan: {code: x}\nformat: " + b"9" * 5000 + b"\n", "x.yaml")
    assert plan_file is None and "cannot be read" in str(problems[0])
