"""A sector page's section per indicator, built in Python (see `sector_sections`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape as _escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from dashboard.progress_slots import status_chip
from dashboard.row_urls import row_url
from dashboard.sector_selectors import NAMES_LISTED, RankedRow
from dashboard.templatetags.dashboard_tags import figure_script
from reporting.charts import city_colour as _city_colour
from reporting.statuses import status_styles
from reporting.target_text import progress_text
from reporting.templatetags.labels import number, unit
from targets.names import english_active, name_in_language

register = template.Library()

_RANKED = """<li><span class="city-swatch" data-colour="{colour}" aria-hidden="true"></span><a href="{url}">{city}</a>
  <span class="value">{value} {unit}</span>{period}
  {progress}
  {chip}</li>"""


class _SectorHtml:
    """Writes the repeated parts of a sector page (its ranked lists, its lists of cities): what
    the rows share (the URL patterns, the labels, each status's chip, each unit's label) is
    looked up once for the page, and each value escaped (html.escape, as django's escape does,
    without its checks for lazy text) and joined as plain text: at some seventy ranked rows and
    as many city links a page, format_html's checks cost more than the text."""

    def __init__(self) -> None:
        self.target_url = row_url("dashboard:target")
        self.city_url = row_url("dashboard:city")
        self.progress_label = gettext("进度%(p)s%%")
        self.separator = _escape(pgettext("list separator", "、"))
        self.english = english_active()
        self.chips: dict[str, str] = {}
        self.units: dict[str, str] = {}

    def ranked(self, rows: Sequence[RankedRow]) -> SafeString:
        items = []
        for row in rows:
            if row.status not in self.chips:
                self.chips[row.status] = status_chip(row.status)
            if row.unit not in self.units:
                self.units[row.unit] = _escape(unit(row.unit))
            period = f' <span class="meta">{_escape(row.latest_period)}</span>' if row.latest_period else ""
            items.append(
                _RANKED.format(
                    colour=_escape(_city_colour(row.city.code)), url=_escape(self.target_url(row.pk)),
                    city=_escape(self.name(row.city)), value=_escape(number(row.latest_value)),
                    unit=self.units[row.unit], period=period, progress=self._progress(row.progress_pct),
                    chip=self.chips[row.status],
                )
            )  # fmt: skip
        return mark_safe(f'<ol class="ranked">{"".join(items)}</ol>')

    def name(self, row: Any) -> str:
        return name_in_language(row, self.english)

    def _progress(self, pct: float | None) -> str:
        if pct is None:
            return ""
        text = progress_text(pct) if pct < 0 else self.progress_label % {"p": _whole(pct)}
        return f'<span class="meta">{_escape(text)}</span>'

    def city_links(self, cities: Iterable[Any], query: str = "") -> SafeString:
        query = _escape(query)
        return mark_safe(
            self.separator.join(
                f'<a href="{_escape(self.city_url(city.code))}{query}">{_escape(self.name(city))}</a>'
                for city in cities
            )
        )


def _whole(value: float) -> str:
    """`value|floatformat:0` (rounding half up), without its general parsing below 1,000 (no
    grouping to apply): a sector page writes some seventy."""
    if 0 <= value < 999.5:
        return str(Decimal(repr(value)).quantize(_ONE, ROUND_HALF_UP))
    return floatformat(value, 0)


_ONE = Decimal(1)


_SECTOR_SECTION = """
  <section class="indicator-group" aria-labelledby="{id}-h">
    <h2 id="{id}-h">{title} <span class="meta">{year}</span></h2>
    <p>{parts}</p>{ranking}{chart}{not_reported}
  </section>
"""


@register.simple_tag
def sector_sections(charts: Sequence[Mapping[str, Any]], query: str) -> SafeString:
    """A sector page's section per indicator (sector_views._charts): its status counts, leading
    and lagging cities, chart and the cities without data, each linking a city's page with
    `query`. Built here, not in a template loop: the page has a section for each of the
    sector's indicators, and the loop resolved some thirty variables a section through the
    template engine."""
    html = _SectorHtml()
    leading, lagging = _escape(gettext("领先")), _escape(gettext("落后"))
    not_reported_label = _escape(gettext("尚未报送数据的城市："))
    statuses = [(style.code, _escape(str(style.label))) for style in status_styles()]
    sections = []
    for chart in charts:
        group = chart["group"]
        title = _escape(chart["title"])
        counts = group.counts
        parts = "".join(f'<span class="chip status-{code}">{label} {counts[code]}</span> '
                        for code, label in statuses if counts[code])  # fmt: skip
        ranking = ""
        if group.leading or group.lagging:
            lists = [f"<div><h3>{label}</h3>{html.ranked(rows)}</div>"
                     for label, rows in ((leading, group.leading), (lagging, group.lagging)) if rows]  # fmt: skip
            ranking = f'\n    <div class="ranking">\n      {chr(10).join(lists)}\n    </div>'
        figure = ""
        if chart["figure"]:
            label = _escape(gettext("%(t)s：各市观测值与目标") % {"t": chart["title"]})
            figure = (f'\n    <div id="{chart["id"]}-chart" class="chart" role="figure" aria-label="{label}"></div>'
                      f'\n    {figure_script(chart["figure"], chart["figure_id"])}')  # fmt: skip
        missing = ""
        if group.not_reported:
            n = len(group.not_reported)
            rest = _escape(ngettext("等%(n)s个城市", "等%(n)s个城市", n) % {"n": n}) if n > NAMES_LISTED else ""
            names = html.city_links(group.not_reported[:NAMES_LISTED], query)
            missing = f'\n    <p class="meta">{not_reported_label}{names}{rest}</p>'
        sections.append(
            _SECTOR_SECTION.format(
                id=chart["id"], title=title, year=_escape(gettext("%(year)s年目标") % {"year": group.year}),
                parts=parts, ranking=ranking, chart=figure, not_reported=missing,
            )
        )  # fmt: skip
    return mark_safe("".join(sections))
