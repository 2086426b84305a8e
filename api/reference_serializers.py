"""Serializers for what the plans are about: cities, sectors, plans, bureaus and indicators."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from targets.models import Bureau, City, Indicator, Plan, Role, Sector

CITY_CODE = _("城市代码。")


def viewer_of(serializer: serializers.BaseSerializer) -> Any:
    """The user a serializer answers (None outside a request, e.g. in the schema generator)."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "code", "name", "name_en"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "name_en", "position"]


class PlanSerializer(serializers.ModelSerializer):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=CITY_CODE
    )
    issuers = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_count = serializers.IntegerField(read_only=True)
    measure_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id", "code", "city", "title", "title_en", "document_number", "issuers", "issued", "kind",
            "districts_note", "target_count", "measure_count",
        ]  # fmt: skip


class BureauSerializer(serializers.ModelSerializer):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=CITY_CODE
    )
    aliases = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=_("规划原文中出现的其他写法。")
    )

    class Meta:
        model = Bureau
        fields = ["id", "city", "name", "name_en", "kind", "aliases"]


class IndicatorSerializer(serializers.ModelSerializer):
    city: serializers.SlugRelatedField[City] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=CITY_CODE
    )
    sector: serializers.SlugRelatedField[Sector] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text=_("领域代码。")
    )
    can_report = serializers.BooleanField(read_only=True, help_text=_("当前用户能否填报该指标的数据。"))

    class Meta:
        model = Indicator
        fields = ["id", "city", "code", "name", "name_en", "unit", "direction", "nature", "sector", "can_report"]


class ResponsibilitySerializer(serializers.Serializer):
    # A bureau's part in a target or measure; the lead comes first.

    bureau = serializers.IntegerField(source="bureau_id", read_only=True)
    bureau_name = serializers.CharField(source="bureau.name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
