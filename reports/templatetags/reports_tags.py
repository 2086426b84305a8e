"""The export links of a list page, worked out from the page's own URL and query string, so
one include serves every list page without each view passing anything."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from reports.annual import report_years
from targets.models import City

register = template.Library()

# The list pages with an export, by URL name: the export scope and the URL argument naming it.
PAGE_SCOPES = {
    "dashboard:city": ("cities", "code"),
    "dashboard:plan": ("plans", "code"),
    "dashboard:bureau": ("bureaus", "pk"),
    "dashboard:sector": ("sectors", "code"),
    "dashboard:measures": ("measures", None),
}


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
    if not is_dataclass(filters):
        return ""
    kept = QueryDict(mutable=True)
    for key, value in asdict(filters).items():
        if value not in ("", None):
            kept[key] = str(value)
    return f"?{kept.urlencode()}" if kept else ""


@register.simple_tag(takes_context=True)
def export_links(context: template.Context) -> ExportLinks | None:
    """Links for the list page being rendered; None on a page without exports."""
    request = context["request"]
    match = request.resolver_match
    page = PAGE_SCOPES.get(match.view_name if match else "")
    if page is None:
        return None
    scope, kwarg = page
    query = _query(context.get("filters")) if scope in ("cities", "measures") else ""
    if kwarg is None:
        return ExportLinks(
            xlsx=reverse("reports:measures_xlsx") + query,
            csv=[("measures", reverse("reports:measures_csv") + query)],
        )
    key = str(match.kwargs[kwarg])
    links = ExportLinks(
        xlsx=reverse("reports:xlsx", kwargs={"scope": scope, "key": key}) + query,
        csv=[
            (kind, reverse("reports:csv", kwargs={"scope": scope, "key": key, "kind": kind}) + query)
            for kind in ("targets", "measures", "observations")
        ],
    )
    if scope == "cities":
        city = City.objects.filter(code=key).first()
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
    """A chart's SVG as the PDF draws it fastest: an image (reports.pdf.svg_image)."""
    from reports.pdf import svg_image

    return svg_image(svg, alt)
