"""Issue 10, proof: property-based tests over every entry path (entry form, API, CSV and XLSX
import, admin plan upload). Whatever is typed: no 500, no partial write, and the rows change
only as the input says. The schemathesis run (tests/api/test_schemathesis.py) covers the API's
schema besides.

Inputs carry what they should mean where that is known (a year written in full-width digits
is that year; "0000" is no period at all), so the oracle is independent of the code under
test; arbitrary text is checked for consistency only. Each example runs in a savepoint that
is rolled back, so examples do not see each other's rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from measures.models import Measure
from reporting.imports import observations_import, read_table
from reporting.models import Observation
from targets.models import Bureau, City, Indicator, Plan, Target
from tests.test_plan_loader import readme_example

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

FULL_WIDTH = str.maketrans("0123456789-Q", "０１２３４５６７８９－Ｑ")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Typed:
    raw: object
    means: object  # the canonical meaning; INVALID if it must be refused; UNKNOWN if not known


INVALID, UNKNOWN = object(), object()


@st.composite
def valid_periods(draw: st.DrawFn) -> Typed:
    year = draw(st.integers(2005, 2025))
    label = draw(
        st.sampled_from([f"{year}", f"{year}-Q{draw(st.integers(1, 4))}", f"{year}-{draw(st.integers(1, 12)):02d}"])
    )
    script = draw(st.sampled_from([None, FULL_WIDTH, ARABIC_INDIC]))
    return Typed(label.translate(script) if script else label, label)


@st.composite
def valid_values(draw: st.DrawFn) -> Typed:
    # At most 15 significant digits: what every supported database keeps exactly (SQLite's floats).
    places = draw(st.integers(0, 6))
    bound = 10 ** min(15, 14 + places) - 1  # and below 10^14, the stored limit
    number = Decimal(draw(st.integers(-bound, bound))).scaleb(-places)
    text = f"{number:f}"
    style = draw(st.sampled_from(["plain", "grouped", "full-width", "arabic-indic"]))
    if style == "grouped" and "." not in text and "-" not in text:
        text = f"{int(number):,}"
    elif style == "full-width":
        text = text.translate(FULL_WIDTH)
    elif style == "arabic-indic":
        text = text.translate(ARABIC_INDIC)
    return Typed(text, number)


ANY_TEXT = st.text(max_size=12)
# What a file can hold in a cell: no NUL or other control characters (a CSV with a NUL is
# refused as a whole, and openpyxl cannot write them; explicit tests cover both).
CELL_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12)
BAD_PERIODS = ["0000", "0000-01", "0001-Q1", "2004", "9999", "2023-13", "2023-Q5", "2023-00", "", "年"]
BAD_VALUES = ["1,2,3", "12,34", "1.1234567", "1e20", "NaN", "inf", "1_000", "abc", "--1"]


def typed(valid: st.SearchStrategy, invalid: list[str], unknown: st.SearchStrategy) -> st.SearchStrategy:
    # Valid input is listed three times so that about half the entries are valid in every field.
    return st.one_of(
        valid,
        valid,
        valid,
        st.sampled_from(invalid).map(lambda raw: Typed(raw, INVALID)),
        unknown.map(lambda raw: Typed(raw, UNKNOWN)),
    )


PERIODS, CELL_PERIODS = (typed(valid_periods(), BAD_PERIODS, text) for text in (ANY_TEXT, CELL_TEXT))
VALUES, CELL_VALUES = (typed(valid_values(), BAD_VALUES, text) for text in (ANY_TEXT, CELL_TEXT))


def notes(alphabet: st.SearchStrategy, invalid: list[str]) -> st.SearchStrategy:
    return st.one_of(
        st.just(Typed("", "")),
        st.text(alphabet=alphabet, max_size=30).map(lambda raw: Typed(raw, raw.strip())),
        st.sampled_from(invalid).map(lambda raw: Typed(raw, INVALID)),
    )


NOTES = notes(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), ["说明\x00", "长" * 2001, "\x00"]
)
CELL_NOTES = notes(st.characters(blacklist_categories=["Cs", "Cc"]), ["长" * 2001])
VALID_NOTES = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30).map(
    lambda raw: Typed(raw, raw.strip())
)
# Half the entries valid in every field, half drawn field by field.
ENTRIES = st.one_of(st.tuples(valid_periods(), valid_values(), VALID_NOTES), st.tuples(PERIODS, VALUES, NOTES))


def expected(period: Typed, value: Typed, note: Typed) -> object:
    """What the entry should store: (label, value, note), INVALID or UNKNOWN."""
    parts = (period.means, value.means, note.means)
    if INVALID in parts:
        return INVALID
    if UNKNOWN in parts:
        return UNKNOWN
    return parts


def table() -> list[tuple]:
    return list(Observation.objects.order_by("pk").values_list("pk", "indicator_id", "period", "value", "note"))


def check_outcome(*, accepted: bool, before: list[tuple], indicator: Indicator, want: object) -> None:
    meaning = "invalid" if want is INVALID else "unknown" if want is UNKNOWN else "valid"
    event(f"{meaning} input {'accepted' if accepted else 'refused'}")  # shown by --hypothesis-show-statistics
    after = table()
    if not accepted:
        assert after == before, "a refused entry changed stored rows"
        assert want is UNKNOWN or want is INVALID, f"a valid entry was refused: {want}"
        return
    assert want is not INVALID, "an invalid entry was accepted"
    assert len(after) - len(before) in (0, 1)
    changed = [row for row in after if row not in before]
    assert len(changed) <= 1
    if want is not UNKNOWN:
        label, number, note = want
        row = Observation.objects.get(indicator=indicator, period=label)
        assert row.value == number and row.note == note


def in_savepoint(test):
    """Run one example in a savepoint rolled back afterwards."""

    def run(*args, **kwargs):
        with transaction.atomic():
            test(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@pytest.fixture
def staff_client(client, users):
    client.force_login(users["ndrc_staff"])
    return client


@pytest.fixture
def api_client(users):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=users["ndrc_staff"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@FAST
@given(entry=ENTRIES)
def test_entry_form(staff_client, world, entry):
    period, value, note = entry

    @in_savepoint
    def example():
        before = table()
        url = reverse("entry:observation_create", args=[world["pv"].pk])
        data = {"period": period.raw, "value": value.raw, "note": note.raw}
        response = staff_client.post(url, data)
        if response.status_code == 200:
            # An implausible value or a changed period asks for confirmation first: nothing is
            # stored until the user confirms, which the second post does.
            assert "我已核对，确认保存" in response.content.decode()
            assert table() == before
            response = staff_client.post(url, {**data, "confirm": "on"})
        assert response.status_code in (302, 400), response.status_code
        want = expected(period, value, note)
        check_outcome(accepted=response.status_code == 302, before=before, indicator=world["pv"], want=want)

    example()


@FAST
@given(entry=ENTRIES)
def test_api(api_client, world, entry):
    period, value, note = entry

    @in_savepoint
    def example():
        before = table()
        payload = {"indicator": world["pv"].pk, "period": period.raw, "value": value.raw, "note": note.raw}
        response = api_client.post("/api/v1/observations/", payload, format="json")
        assert response.status_code in (200, 201, 400), response.status_code
        assert response["Content-Type"] == "application/json"
        want = expected(period, value, note)
        check_outcome(accepted=response.status_code in (200, 201), before=before, indicator=world["pv"], want=want)

    example()


CODES = st.sampled_from(["pv_installed_capacity", "pm25_concentration"])
ROWS = st.one_of(
    st.lists(st.tuples(CODES, valid_periods(), valid_values(), VALID_NOTES), max_size=6),
    st.lists(st.tuples(CODES, CELL_PERIODS, CELL_VALUES, CELL_NOTES), max_size=6),
)


def _import_outcome(rows, raw: bytes, name: str, user) -> None:
    before = table()
    try:
        report = observations_import(read_table(raw, name), user=user)
    except ValidationError:  # the file as a whole was refused, saying why
        event("file refused")
        assert table() == before
        return
    wants = [expected(p, v, n) for _, p, v, n in rows]
    event(f"{len(rows)} rows, {'imported' if report.ok else 'refused by row'}")
    if not report.ok:
        assert table() == before, "a refused import changed stored rows"
        assert len(report.problems) >= 1
        return
    assert INVALID not in wants, "an import with an invalid row was accepted"
    assert sum(report.counts.values()) == len(report.rows) == len(rows)
    assert len(table()) - len(before) == report.counts["created"]
    for (code, _p, _v, _n), want in zip(rows, wants, strict=True):
        if want is not UNKNOWN:
            label, number, note = want
            row = Observation.objects.get(indicator__code=code, period=label)
            assert row.value == number and row.note == note


@FAST
@given(rows=ROWS)
def test_csv_import(world, users, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["city", "indicator_code", "period", "value", "note"])
    writer.writerows(["测试市", code, p.raw, v.raw, n.raw] for code, p, v, n in rows)
    raw = buffer.getvalue().encode("utf-8")
    if len(rows) % 2:  # every other file as Excel writes it on Chinese Windows, where that is unambiguous
        gb = buffer.getvalue().encode("gb18030")
        raw = gb if gb.isascii() or not _decodes_as_utf8(gb) else raw
    with transaction.atomic():
        _import_outcome(rows, raw, "data.csv", users["admin"])
        transaction.set_rollback(True)


def _decodes_as_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FAST
@given(rows=ROWS)
def test_xlsx_import(world, users, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["city", "indicator_code", "period", "value", "note"])
    for code, p, v, n in rows:
        sheet.append(["测试市", code, p.raw, v.raw, n.raw])
    buffer = io.BytesIO()
    book.save(buffer)
    with transaction.atomic():
        _import_outcome(rows, buffer.getvalue(), "data.xlsx", users["admin"])
        transaction.set_rollback(True)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


def _paths(data: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, child in data.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(data, list):
        for index, child in enumerate(data):
            found += _paths(child, (*prefix, index))
    return found


EXAMPLE = readme_example()
PATHS = _paths(EXAMPLE)
COUNTED = (City, Plan, Bureau, Indicator, Measure, Target)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _at(data: object, path: tuple) -> object:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


def _like(current: object) -> st.SearchStrategy:
    """A value of the same kind as the one in the example (a plausible edit), or anything."""
    if isinstance(current, bool):
        same: st.SearchStrategy = st.booleans()
    elif isinstance(current, int):
        same = st.integers(2000, 2070)
    elif isinstance(current, str):
        same = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20)
    else:
        same = YAML_VALUES
    return st.one_of(same, same, YAML_VALUES)


CHANGES = st.lists(
    st.sampled_from(PATHS).flatmap(lambda path: st.tuples(st.just(path), _like(_at(EXAMPLE, path)))), max_size=3
)


@FAST
@given(changes=CHANGES)
def test_admin_plan_upload(client, users, world, changes):
    data = yaml.safe_load(yaml.safe_dump(EXAMPLE, allow_unicode=True))
    for path, value in changes:
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent of this path
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    client.force_login(users["admin"])
    with transaction.atomic():
        before = _counts()
        response = client.post(reverse("admin:targets_plan_upload"), {"file": SimpleUploadedFile("p.yaml", raw)})
        assert response.status_code == 200
        assert _counts() == before, "a preview wrote rows"
        report = response.context.get("report")
        event("problems listed" if report is None else "previewed and applied")
        if report is None:
            assert response.context["problems"], "neither a preview nor a problem"
        else:
            applied = client.post(
                reverse("admin:targets_plan_upload"), {"action": "apply", "digest": response.context["digest"]}
            )
            assert applied.status_code == 302
            after = _counts()
            for model in COUNTED:
                name = model.__name__
                assert after[name] - before[name] == report.created[name], name
        transaction.set_rollback(True)
