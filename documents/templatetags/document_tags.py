"""The export links of a list page. The page names what it lists when it includes
`documents/_export_links.html` (`with export_scope="cities" export_key=city.code`), so this app
knows its own export URLs and nothing of the pages that link to them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from documents.annual import report_years
from targets.models import City

register = template.Library()

# What can be exported: one city's, plan's, bureau's or sector's lists, or the measure list.
KEYED_SCOPES = ("cities", "plans", "bureaus", "sectors")


@dataclass
class ExportLinks:
    xlsx: str
    csv: list[tuple[str, str]]  # (list name, url)
    report_city: City | None = None
    report_years: list[int] = field(default_factory=list)
    report_default: int | None = None


def _query(filters: object) -> str:
    """The page's parsed filters (CityFilters or MeasureFilters) as a query string. Parsed, not
    the raw query: the city page caches its body per parsed filters, links included."""
    if not is_dataclass(filters) or isinstance(filters, type):  # an instance, not the class
        return ""
    kept = QueryDict(mutable=True)
    for key, value in asdict(filters).items():
        if value not in ("", None):
            kept[key] = str(value)
    return f"?{kept.urlencode()}" if kept else ""


@register.simple_tag
def export_links(scope: str = "", key: object = "", filters: object = None) -> ExportLinks | None:
    """Links for a list of `scope` ("cities", "plans", "bureaus", "sectors" with the `key` of
    the one shown, or "measures"), keeping the list's `filters`; None for anything else."""
    query = _query(filters) if scope in ("cities", "measures") else ""
    if scope == "measures":
        return ExportLinks(
            xlsx=reverse("documents:measures_xlsx") + query,
            csv=[("measures", reverse("documents:measures_csv") + query)],
        )
    if scope not in KEYED_SCOPES or key in ("", None):
        return None
    code = str(key)
    links = ExportLinks(
        xlsx=reverse("documents:xlsx", kwargs={"scope": scope, "key": code}) + query,
        csv=[
            (kind, reverse("documents:csv", kwargs={"scope": scope, "key": code, "kind": kind}) + query)
            for kind in ("targets", "measures", "observations")
        ],
    )
    if scope == "cities":
        city = City.objects.filter(code=code).first()
        if city is not None:
            links.report_city = city
            links.report_years = report_years(city)
            # The last complete year is the one a report is usually asked for.
            last_complete = timezone.localdate().year - 1
            if links.report_years:
                links.report_default = last_complete if last_complete in links.report_years else links.report_years[-1]
    return links


@register.filter
def pdf_chart(svg: str, alt: str = "") -> str:
    """A chart's SVG as the PDF draws it fastest: an image (documents.pdf.svg_image)."""
    from documents.pdf import svg_image

    return svg_image(svg, alt)
