"""Numbers, dates and units follow the page's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.templatetags.labels import number


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (None, 4, "—"),
        (0, 4, "0"),
        (Decimal("500.000"), 4, "500"),
        (12345.678, 4, "12,346"),  # whole-number digits are never dropped
        (0.123456, 4, "0.1235"),
        (-17.5, 4, "-17.5"),
        (1.0e6, 4, "1,000,000"),
        (2.71828, 3, "2.72"),
        (float("nan"), 4, "—"),
        ("n/a", 4, "n/a"),
    ],
)
def test_number_rounds_to_significant_digits_and_groups(value, digits, expected):
    with translation.override("en"):
        assert number(value, digits) == expected


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@settings(max_examples=300, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False),
       digits=st.integers(min_value=1, max_value=8))  # fmt: skip
def test_number_agrees_with_djangos_number_format(language, value, digits):
    """`number` groups by the language's format itself (for speed): as Django would."""
    with translation.override(language):
        shown = number(value, digits)
        plain = shown.replace(",", "")
        assert shown == formats.number_format(Decimal(plain), use_l10n=True, force_grouping=True)
        if 10**digits <= abs(value) < 1e15:
            assert int(Decimal(plain)) == round(value)  # whole-number digits are never dropped


def _render(source: str, **context) -> str:
    return Template("{% load labels %}" + source).render(Context(context))


def test_dates_follow_the_language():
    day = dt.date(2025, 3, 4)
    with translation.override("zh-hans"):
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day) == "2025年3月4日"
    with translation.override("en"):
        # Day first with the month spelt out, so it is never read as 3 April.
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day) == "4 Mar 2025"
        assert _render('{{ d|date:"DATE_FORMAT" }}', d=day) == "4 March 2025"


def test_units_are_translated_when_known_and_kept_when_not():
    with translation.override("zh-hans"):
        assert _render("{{ u|unit }}", u="万千瓦") == "万千瓦"
    with translation.override("en"):
        assert "kW" in _render("{{ u|unit }}", u="万千瓦")
        assert "μg/m³" in _render("{{ u|unit }}", u="微克/立方米")
        assert _render("{{ u|unit }}", u="标准箱") == "标准箱"  # not a known unit: shown as stored


def test_english_pages_use_the_english_names_of_vocabulary(client, world, users):
    from django.urls import reverse

    client.force_login(users["leader"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    city = client.get(reverse("dashboard:city", args=[world["city"].code])).content.decode()
    assert "Test City" in city and "Energy" in city and "测试市：" not in city
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    city = client.get(reverse("dashboard:city", args=[world["city"].code])).content.decode()
    assert "测试市" in city and "Test City" not in city
