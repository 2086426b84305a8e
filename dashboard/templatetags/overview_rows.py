"""The overview's table of cities, built in Python: each row holds two headlines, a link to its
overdue measures and the latest data, and the template loop resolved some thirty variables a
row through the template engine."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import groupby
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from dashboard.overview_selectors import CitySummary
from dashboard.row_urls import row_url
from dashboard.templatetags.dashboard_tags import headline
from reporting.templatetags.labels import language_name, local_name

register = template.Library()


@register.simple_tag
def overview_city_rows(
    cities: list[CitySummary], year_labels: Mapping[int, str], measures_url: str, province_filter: str = ""
) -> SafeString:
    """A row per city, under a row naming its province (unless the page is filtered to one
    province and shows only it)."""
    city_url = row_url("dashboard:city")
    labels = {year: conditional_escape(label) for year, label in year_labels.items()}
    overdue_label, latest_label = conditional_escape(gettext("逾期任务")), conditional_escape(gettext("最新数据"))
    none_yet = conditional_escape(gettext("暂无"))
    measures = conditional_escape(measures_url)
    rows: list[str] = []
    months: dict[Any, str] = {}
    groups = [(province, list(group)) for province, group in groupby(cities, key=lambda s: s.city.province)]
    grouped = len(groups) > 1 or not province_filter
    for province, members in groups:
        if grouped:
            name = language_name(province, members[0].city.province_en) if province else gettext("未注明省份")
            rows.append(format_html('<tr class="group-row"><th colspan="5" scope="rowgroup">{}</th></tr>', name))
        for summary in members:
            city = summary.city
            code = conditional_escape(city.code)
            cells = "".join(
                f'<td data-label="{labels[h.year]}">{headline(h, city=city, compact=True)}</td>'
                for h in summary.headlines
            )
            overdue = (
                f'<a href="{measures}?city={code}&amp;deadline_state=overdue">{summary.overdue}</a>'
                if summary.overdue
                else "0"
            )
            latest = months.get(summary.latest_data) if summary.latest_data else none_yet
            if latest is None:  # many cities share a latest month: each is formatted once
                latest = months[summary.latest_data] = conditional_escape(
                    date_filter(summary.latest_data, "YEAR_MONTH_FORMAT")
                )
            rows.append(
                f'<tr><th scope="row"><a href="{conditional_escape(city_url(city.code))}">'
                f"{conditional_escape(local_name(city))}</a></th>{cells}"
                f'<td data-label="{overdue_label}">{overdue}</td><td data-label="{latest_label}">{latest}</td></tr>'
            )
    return mark_safe("\n".join(rows))  # every value above is escaped or the app's own markup
