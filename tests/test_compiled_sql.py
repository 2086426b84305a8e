"""Reads compiled once: the SQL is kept, the rows are read afresh on every call."""

from __future__ import annotations

import pytest

from config import compiled_sql
from config.compiled_sql import CompiledRows
from targets.models import City
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_compiled_rows_compile_once_per_arguments_and_read_the_rows_each_time(monkeypatch):
    built = []

    def build(province: str):
        built.append(province)
        return City.objects.filter(province=province).order_by("code").values_list("code", "province")

    rows = CompiledRows(build)
    CityFactory(code="a", province="山东省")
    assert rows("山东省") == [("a", "山东省")]
    CityFactory(code="b", province="山东省")
    CityFactory(code="c", province="河南省")
    assert rows("山东省") == [("a", "山东省"), ("b", "山东省")]  # the rows are not kept
    assert rows("河南省") == [("c", "河南省")]
    assert built == ["山东省", "河南省"]  # the SQL is
    monkeypatch.setattr(compiled_sql, "MAX_KEPT", 2)
    assert rows("河北省") == [] and built == ["山东省", "河南省", "河北省"]  # full: start again
    assert rows("山东省") == [("a", "山东省"), ("b", "山东省")] and built[-1] == "山东省"


def test_compiled_models_read_instances_with_their_fields_converted_and_long_keys_are_not_kept(monkeypatch):
    from config.compiled_sql import CompiledModels

    first, second = CityFactory(code="a", province="山东省"), CityFactory(code="b", province="山东省")
    cities = CompiledModels(City, lambda ids: City.objects.filter(pk__in=ids).order_by("code"))
    found = cities((first.pk, second.pk))
    assert [(c.pk, c.code, c.province) for c in found] == [(first.pk, "a", "山东省"), (second.pk, "b", "山东省")]
    assert all(isinstance(c, City) for c in found)
    monkeypatch.setattr(compiled_sql, "MAX_KEPT_PARAMETERS", 1)
    assert [c.code for c in cities((first.pk, second.pk))] == ["a", "b"]  # kept before: still there
    assert [c.code for c in cities((second.pk, first.pk))] == ["a", "b"]
    assert list(cities._compiled) == [((first.pk, second.pk),)]  # two ids: too many to keep now


def test_a_query_that_can_match_nothing_is_not_sent():
    from config.compiled_sql import CompiledModels

    CityFactory(code="a")
    codes = CompiledRows(lambda ids: City.objects.filter(pk__in=ids).values_list("code"))
    cities = CompiledModels(City, lambda ids: City.objects.filter(pk__in=ids))
    assert codes(()) == [] and cities(()) == []
