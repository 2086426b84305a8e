"""Tags of the dashboard pages: their query strings, headlines, trend lines and city colours
(the filters every page uses are in reporting's `labels`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from reporting.charts import city_colour as _city_colour
from reporting.charts import figure_json, sparkline_points
from reporting.progress_selectors import TargetRow
from reporting.target_text import progress_text
from reporting.templatetags.labels import local_name, number, unit
from targets.models import Target

register = template.Library()


@register.filter
def overview_query(filters: Any, key: str) -> str:
    """The overview's query string without `key` (and back on page 1 unless `key` is the page),
    ending in `key=` for the template to complete: `?{{ filters|overview_query:'page' }}2`."""
    changes: dict[str, object] = {key: None} if key == "page" else {key: None, "page": 1}
    kept = filters.query(**changes)
    return f"{kept}&{key}=" if kept else f"{key}="


@register.simple_tag
def filter_query(filters: Any, **changes: Any) -> str:
    """A page's filters (a dataclass with `query`) as a query string with `changes` applied."""
    return filters.query(**changes)


# What Django's json_script escapes, so no text in a figure can close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def figure_script(figure: dict, element_id: str) -> SafeString:
    """`figure|figure_script:"NAME-figure"`: json_script for a Plotly spec, serialised by plotly."""
    text = mark_safe(figure_json(figure).translate(_SCRIPT_ESCAPES))  # the three characters that matter, escaped
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, text)


@register.filter
def sparkline(values: list[float]) -> str:
    """SVG polyline points for a row's trend (reporting.charts)."""
    return sparkline_points(values)


@register.filter
def city_colour(code: str) -> str:
    """The city's colour on every chart, for a swatch beside its name."""
    return _city_colour(str(code))


@register.simple_tag
def headline_text(headline: Any, compact: bool = False) -> str:
    """ "2025年：44项量化目标中" (or without the year, under a column that names it). A tag, not
    {% blocktranslate %}: the overview writes it for every city and province on the page."""
    if compact:
        return ngettext("%(n)s项量化目标中", "%(n)s项量化目标中", headline.total) % {"n": headline.total}
    text = ngettext("%(year)s年：%(n)s项量化目标中", "%(year)s年：%(n)s项量化目标中", headline.total)
    return text % {"year": headline.year, "n": headline.total}


@register.simple_tag
def headline(headline: Any, city: Any = None, compact: bool = False, sentence_only: bool = False) -> SafeString:
    """A year's headline: the sentence, then a pill per status with its count; with a city, each
    pill links to the city's targets of that year and status. Built here rather than in an
    included template: the overview writes one for every city and province on the page."""
    if not headline.total:
        if compact:
            return format_html('<span class="meta">{}</span>', gettext("无量化目标"))
        return format_html('<span class="meta">{}</span>', gettext("%(year)s年：无量化目标") % {"year": headline.year})
    sentence = format_html('<span class="headline-year">{}</span>', headline_text(headline, compact))
    if sentence_only:
        return format_html('<span class="headline">{}</span>', sentence)
    if city is not None:
        base = reverse("dashboard:city", args=[city.code])
        pills = format_html_join(
            "", ' <a class="chip status-{}" href="{}?target_year={}&amp;status={}">{} {}</a>',
            ((s.code, base, headline.year, s.code, s.label, n) for s, n in headline.parts),
        )  # fmt: skip
    else:
        pills = format_html_join(
            "", ' <span class="chip status-{}">{} {}</span>', ((s.code, s.label, n) for s, n in headline.parts)
        )
    return format_html('<span class="headline">{}{}</span>', sentence, pills)


def pk_url(name: str) -> Callable[[int], str]:
    """The URL named `name` for any pk, reversed once: a list of links then costs a string
    format per row rather than a URL resolution."""
    head, _, tail = reverse(name, args=[1]).rpartition("1")
    return lambda pk: f"{head}{pk}{tail}"


_CITY_TARGET_ROW = """<tr>
<td><a href="{url}">{name}</a>{strive}<div class="meta">{document_number} {section}</div></td>
<td data-label="{l_year}">{year}</td>
<td data-label="{l_latest}">{latest}</td>
<td data-label="{l_target}">{level}</td>
<td data-label="{l_progress}">{progress}</td>
<td data-label="{l_status}"><a class="chip status-{status}" href="?{status_link}">{status_label}</a></td>
<td data-label="{l_trend}">{trend}</td>
</tr>"""


@register.simple_tag
def city_target_rows(rows: list[TargetRow], status_links: Mapping[str, str]) -> SafeString:
    """The rows of a city's target table (templates/dashboard/city.html), each linking its status
    to `status_links[status]`. Built here rather than in a template loop: the page lists every
    target of the city, and the loop resolved some forty variables a row through the template
    engine, most of the page's time whenever its body is not cached."""
    labels = {
        "l_year": gettext("目标年"), "l_latest": gettext("最新值"), "l_target": gettext("目标"),
        "l_progress": gettext("进度"), "l_status": gettext("状态"), "l_trend": gettext("趋势"),
    }  # fmt: skip
    strive = format_html(' <span class="tag">{}</span>', gettext("力争"))
    target_url = pk_url("dashboard:target")
    return format_html_join(
        "\n",
        _CITY_TARGET_ROW,
        (
            {
                **labels,
                "url": target_url(row.target.pk),
                "name": local_name(row.target.indicator),
                "strive": strive if row.target.strive else "",
                "document_number": row.target.plan.document_number,
                "section": row.target.section,
                "year": localize(row.target.target_year),
                "latest": _latest_cell(row),
                "level": _level_cell(row),
                "progress": _progress_cell(row),
                "status": row.status,
                "status_link": status_links.get(row.status, ""),
                "status_label": row.status_label,
                "trend": _trend_cell(row, labels["l_trend"]),
            }
            for row in rows
        ),
    )


def _latest_cell(row: TargetRow) -> str:
    if row.latest_value is None:
        return "—"
    value, unit_text = number(row.latest_value), unit(row.target.indicator.unit)
    return format_html('{} {} <span class="meta">{}</span>', value, unit_text, row.latest_period)


def _level_cell(row: TargetRow) -> str:
    target = row.target
    if target.kind == Target.Kind.QUALITATIVE:
        return gettext("定性")
    if row.target_level is not None:
        return f"{number(row.target_level)} {unit(target.indicator.unit)}"
    if target.kind == Target.Kind.LEVEL and target.value is not None:
        return f"{number(target.value)} {unit(target.indicator.unit)}"
    return "—"


def _progress_cell(row: TargetRow) -> str:
    pct = row.progress_pct
    if pct is None:
        return "—"
    if pct < 0:
        return format_html('<span class="meta">{}</span>', progress_text(pct))
    done = localize(row.progress_rounded)
    return format_html(
        '<span class="bar" role="img" aria-label="{}"><span data-width="{}"></span></span>{}%',
        gettext("已完成%(p)s%%") % {"p": done}, localize(row.progress_bar), done,
    )  # fmt: skip


def _trend_cell(row: TargetRow, label: str) -> str:
    points = sparkline_points(row.trend)
    if not points:
        return ""
    return format_html(
        '<svg class="spark" width="80" height="20" viewBox="0 0 80 20" role="img" aria-label="{}">'
        '<polyline points="{}"/></svg>', label, points,
    )  # fmt: skip
