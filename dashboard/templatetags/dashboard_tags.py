"""Tags of the dashboard pages: their query strings, headlines, trend lines and city colours
(the filters every page uses are in reporting's `labels`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from reporting.charts import city_colour as _city_colour
from reporting.charts import figure_json, sparkline_points

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
