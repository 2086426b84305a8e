"""Tags of the dashboard pages: their query strings, headlines, trend lines and city colours
(the filters every page uses are in reporting's `labels`)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from html import escape as escape_html  # django's escape, without its check for lazy text
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import urlencode
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext

from dashboard.progress_slots import slot_marker
from dashboard.row_urls import row_url
from measures.models import Measure
from reporting.charts import city_colour as _city_colour
from reporting.charts import figure_json, sparkline_points
from reporting.city_selectors import SectorGroup
from reporting.progress_selectors import CityFilters, TargetRow
from reporting.statuses import STATUSES, status_styles
from reporting.templatetags.labels import local_name
from reporting.templatetags.text_tags import data_name
from targets.models import Sector, Target

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
    return _headline_sentence(get_language(), headline.year, headline.total, compact)


@functools.lru_cache(maxsize=512)
def _headline_sentence(language: str | None, year: int, total: int, compact: bool) -> str:
    """The sentence, translated once per language, year and count (a page repeats a few)."""
    if compact:
        return ngettext("%(n)s项量化目标中", "%(n)s项量化目标中", total) % {"n": total}
    text = ngettext("%(year)s年：%(n)s项量化目标中", "%(year)s年：%(n)s项量化目标中", total)
    return text % {"year": year, "n": total}


@register.simple_tag
def headline(headline: Any, city: Any = None, compact: bool = False, sentence_only: bool = False) -> SafeString:
    """A year's headline: the sentence, then a pill per status with its count; with a city, each
    pill links to the city's targets of that year and status. Built here rather than in an
    included template: the overview writes one for every city and province on the page."""
    if not headline.total:
        if compact:
            return format_html('<span class="meta">{}</span>', gettext("无量化目标"))
        return format_html('<span class="meta">{}</span>', gettext("%(year)s年：无量化目标") % {"year": headline.year})
    sentence = f'<span class="headline-year">{escape_html(headline_text(headline, compact))}</span>'
    if sentence_only:
        return mark_safe(f'<span class="headline">{sentence}</span>')  # escaped above
    # Status codes, years and counts are the app's own words and numbers; labels and the URL are
    # escaped (labels once per language).
    labels = _status_labels_html(get_language())
    counts = headline.counts
    parts = [(code, counts[code]) for code in STATUSES if counts.get(code)]
    if city is not None:
        base = conditional_escape(row_url("dashboard:city")(city.code))
        pills = "".join(
            f' <a class="chip status-{code}" href="{base}?target_year={headline.year}&amp;status={code}">'
            f"{labels[code]} {n}</a>"
            for code, n in parts
        )
    else:
        pills = "".join(f' <span class="chip status-{code}">{labels[code]} {n}</span>' for code, n in parts)
    return mark_safe(f'<span class="headline">{sentence}{pills}</span>')  # escaped above


@functools.lru_cache(maxsize=16)
def _status_labels_html(language: str | None) -> dict[str, SafeString]:
    """Each status's label in `language`, escaped: the overview writes some 300 pills."""
    return {style.code: conditional_escape(str(style.label)) for style in status_styles()}


@register.filter
def url_of(key: int | str, name: str) -> str:
    """`{{ city.code|url_of:"dashboard:city" }}`: `{% url name key %}` for lists (see row_url)."""
    return row_url(name)(key)


def _escaped(labels: dict[str, str]) -> dict[str, SafeString]:
    """A table's column labels escaped once, not once per row."""
    return {key: conditional_escape(label) for key, label in labels.items()}


_CITY_TARGET_ROW = """<tr>
<td><a href="{url}">{name}</a>{strive}<div class="meta">{document_number} {section}</div></td>
<td data-label="{l_year}">{year}</td>
{progress}
</tr>"""


def city_row_texts(targets: list[Target]) -> dict[int, SafeString]:
    """Each target's row of a city's target table (templates/dashboard/city.html): its plan
    text, with its latest value, level, progress, status and trend in a slot
    (dashboard/progress_slots.py, filled with `TargetRowProgress`). Built here rather than in a
    template loop: the page lists every target of the city, and the loop resolved some forty
    variables a row through the template engine. Plan text in the page's language, which the
    page keeps on the city's plan version and shows in the order of the targets' progress."""
    year_label = conditional_escape(gettext("目标年"))
    strive = format_html(' <span class="tag">{}</span>', gettext("力争"))
    target_url = row_url("dashboard:target")
    return {
        target.pk: format_html(
            _CITY_TARGET_ROW,
            url=target_url(target.pk),
            name=local_name(target.indicator),
            strive=strive if target.strive else "",
            document_number=target.plan.document_number,
            section=target.section,
            l_year=year_label,
            year=localize(target.target_year),
            progress=slot_marker("city-target-cells", target.pk),
        )
        for target in targets
    }


_SECTOR_GROUP = """
  <details class="sector-group"{open}>
    <summary><span class="sector-name">{name}</span> <span class="meta">{count}</span>
      {parts}</summary>
    {only}
    <div class="table-box">
    <table class="targets stack">
      <thead><tr>{head}</tr></thead>
      <tbody>
      {rows}
      </tbody>
    </table>
    </div>
  </details>
  """


@register.simple_tag
def city_target_groups(groups: list[SectorGroup], filters: CityFilters, texts: Mapping[int, str]) -> SafeString:
    """A city's target tables, one per sector group (reporting.city_selectors.sector_groups),
    their rows from their `texts` (`city_row_texts`) in the groups' order; the page's
    `{% fill_slots %}` puts their progress in. Built here rather than in a template loop, for
    the same reason as the rows: some thirty variables and labels a group cost more through the
    template engine than the rest of the page's progress."""
    if not groups:
        return format_html('\n  <p class="empty">{}</p>\n  ', gettext("没有符合筛选条件的目标。"))
    head = format_html_join(
        "",
        '<th scope="col">{}</th>',
        ((label,) for label in (gettext("指标"), gettext("目标年"), gettext("最新值"), gettext("目标"),
                                gettext("进度"), gettext("状态"), gettext("趋势"))),
    )  # fmt: skip

    def only(sector: Sector) -> str:
        if filters.sector == sector.code:
            return ""
        text = gettext("只看%(name)s") % {"name": local_name(sector)}
        return format_html('<p class="no-print"><a href="?{}">{}</a></p>', filters.query(sector=sector.code), text)

    return format_html_join(
        "",
        _SECTOR_GROUP,
        (
            {
                "open": mark_safe(" open") if group.open else "",
                "name": local_name(group.sector),
                "count": ngettext("%(n)s项", "%(n)s项", len(group.rows)) % {"n": len(group.rows)},
                "parts": format_html_join(
                    "", '<span class="chip status-{}">{} {}</span> ', ((s.code, s.label, n) for s, n in group.parts)
                ),
                "only": only(group.sector),
                "head": head,
                "rows": mark_safe("\n".join(texts[row.target.pk] for row in group.rows)),  # escaped by city_row_texts
            }
            for group in groups
        ),
    )


_TARGET_TABLE_ROW = """<tr>
<td><a href="{url}">{name}</a><div class="meta">{document_number} {section}</div></td>
<td class="inline" data-label="{l_year}">{year}</td>
<td class="inline" data-label="{l_latest}">{latest}</td>
<td class="inline">{status}</td>{entry}
</tr>"""


@register.simple_tag
def target_table_rows(rows: list[TargetRow], with_entry: bool = False, path: str = "") -> SafeString:
    """The rows of dashboard/_target_rows.html (a bureau's, a sector's columns, my bureau's),
    with a link to enter a value (back to `path`) when `with_entry`. Built here, not in a
    template loop, for the same reason as the city page's rows. The latest value and the status
    are slots (dashboard/progress_slots.py), filled by the page's `{% fill_slots %}`."""
    if not rows:
        return format_html('<tr><td colspan="5">{}</td></tr>', gettext("没有目标。"))
    labels = _escaped({"l_year": gettext("目标年"), "l_latest": gettext("最新值")})
    target_url, entry_url = row_url("dashboard:target"), row_url("entry:observation_create")
    back, enter = urlencode(path), gettext("填报数据")

    def entry(row: TargetRow) -> str:
        if not with_entry:
            return ""
        return format_html('<td><a href="{}?next={}">{}</a></td>', entry_url(row.target.indicator_id), back, enter)

    return format_html_join(
        "\n",
        _TARGET_TABLE_ROW,
        (
            {
                **labels,
                "url": target_url(row.target.pk),
                "name": data_name(row.target.indicator),
                "document_number": row.target.plan.document_number,
                "section": row.target.section,
                "year": localize(row.target.target_year),
                "latest": slot_marker("target-latest", row.target.pk),
                "status": slot_marker("target-status", row.target.pk),
                "entry": entry(row),
            }
            for row in rows
        ),
    )


_MEASURE_ROW = """<tr>{city}
<td class="inline">{document_number} {section}</td>
<td><a href="{url}">{title}</a><div class="meta">{bureaus}</div></td>
<td class="inline" data-label="{l_deadline}">{deadline}</td>
<td class="inline" data-label="{l_latest}">{latest}</td>{entry}
</tr>"""


@register.simple_tag
def measure_table_rows(
    measures: list[Measure], with_entry: bool = False, show_city: bool = False, path: str = ""
) -> SafeString:
    """The rows of dashboard/_measure_rows.html: each measure with its responsible bureaus, its
    deadline and latest progress, its city when `show_city`, and a link
    to report progress (back to `path`) when `with_entry`. Built here, not in a template loop:
    my bureau lists every measure the bureau is responsible for, each naming its bureaus. The
    deadline state and the latest progress are slots (dashboard/progress_slots.py), filled by the
    page's `{% fill_slots %}`."""
    if not measures:
        return format_html('<tr><td colspan="{}">{}</td></tr>', 6 if show_city else 5, gettext("没有任务。"))
    labels = _escaped({"l_deadline": gettext("完成时限"), "l_latest": gettext("最新进展")})
    separator, lead = pgettext("list separator", "、"), gettext("（牵头）")
    measure_url, bureau_url = row_url("dashboard:measure"), row_url("dashboard:bureau")
    update_url, back, update = row_url("entry:measure_update_create"), urlencode(path), gettext("更新进展")

    def bureau(responsibility: Any) -> SafeString:
        role = lead if responsibility.role == "lead" else ""
        return format_html(
            '<a href="{}">{}</a>{}', bureau_url(responsibility.bureau_id), data_name(responsibility.bureau), role
        )

    def bureaus(measure: Measure) -> SafeString:
        links = (bureau(r) for r in measure.responsibilities.all())
        return mark_safe(conditional_escape(separator).join(links))  # each link escaped by format_html

    def deadline(measure: Measure) -> str:
        if not measure.deadline:
            return "—"
        date = date_filter(measure.deadline, "SHORT_DATE_FORMAT")
        return format_html("{} {}", date, slot_marker("measure-deadline", measure.pk))

    def entry(measure: Measure) -> str:
        if not with_entry:
            return ""
        return format_html('\n<td><a href="{}?next={}">{}</a></td>', update_url(measure.pk), back, update)

    return format_html_join(
        "\n",
        _MEASURE_ROW,
        (
            {
                **labels,
                "city": format_html('\n<td class="inline">{}</td>', local_name(m.plan.city)) if show_city else "",
                "document_number": m.plan.document_number,
                "section": m.section,
                "url": measure_url(m.pk),
                "title": m.title,
                "bureaus": bureaus(m),
                "deadline": deadline(m),
                "latest": slot_marker("measure-status", m.pk),
                "entry": entry(m),
            }
            for m in measures
        ),
    )
