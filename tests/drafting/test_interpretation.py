"""Readings the text does not state outright: loaded from the fixtures, shown on the target page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from targets.models import Target


def test_interpretations_load_and_show_as_a_marked_note(client, four_plans):
    reading = Target.objects.get(plan__code="zibo-carbon-peaking", code="carbon-intensity-2025")
    assert "单位国内生产总值二氧化碳排放" in reading.interpretation
    plain = Target.objects.get(plan__code="zibo-carbon-peaking", code="non-fossil-share-2025")
    assert plain.interpretation == ""
    heze = Target.objects.filter(plan__code="heze-carbon-peaking").exclude(interpretation="")
    assert set(heze.values_list("code", flat=True)) >= {
        "public-building-mep-efficiency-2030",
        "public-transport-mode-share-2025",
        "construction-waste-sites-2025",
    }
    client.force_login(get_user_model().objects.create_user("reader", password="x"))
    page = client.get(reverse("dashboard:target", args=[reading.pk])).content.decode()
    assert 'class="interpretation"' in page and "碳排放强度" in page
    other = client.get(reverse("dashboard:target", args=[plain.pk])).content.decode()
    assert 'class="interpretation"' not in other


def test_zibo_synergy_organisation_clause_keeps_the_printed_units(four_plans):
    from measures.models import Measure

    measure = Measure.objects.get(plan__code="zibo-pollution-carbon-synergy", section="七（一）")
    names = [r.bureau.name for r in measure.responsibilities.order_by("position")]
    assert names == ["各有关部门", "各有关单位"]
