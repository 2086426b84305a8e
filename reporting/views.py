"""Entry views for bureau staff: thin wrappers over the services. The server decides who may
write: a form for an item the user's bureau does not own answers 403 and stores nothing. Each
request asks the permission once: the service does on a post it receives; the view asks the
service's rule itself only when no service call is made (showing the form, or a post whose
form could not be read)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.change_sources import ChangeSource
from config.redirects import safe_next
from config.table_files import CSV_CONTENT_TYPE
from measures.models import Measure
from measures.services import ensure_can_update, measure_update_record
from reporting.entry_checks import observation_entry_context
from reporting.entry_template import entry_template_csv, entry_template_xlsx
from reporting.forms import MeasureUpdateForm, ObservationForm
from reporting.models import Observation
from reporting.services import LAG_WARNING, NeedsConfirmation, ensure_can_report, observation_record
from targets.models import Indicator


def _add_errors(form: ObservationForm | MeasureUpdateForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def entry_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The signed-in staff member's bureau template, as CSV or Excel."""
    bureau = getattr(request.user, "bureau", None)
    if bureau is None:
        raise PermissionDenied
    if fmt == "xlsx":
        body, kind = entry_template_xlsx(bureau=bureau), XLSX
    else:
        body, kind = entry_template_csv(bureau=bureau), CSV_CONTENT_TYPE
    response = HttpResponse(body, content_type=kind)
    name = f"template-{bureau.city.code}-{bureau.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_http_methods(["GET", "POST"])
def observation_create(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator.objects.select_related("city"), pk=indicator_id)
    form = ObservationForm(request.POST or None, initial={"period": request.GET.get("period", "")})
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm")
        try:
            # The service decides who may report (403 before any value is read) and checks
            # every field, then the plausibility warnings unless the user confirmed them.
            result = observation_record(
                indicator=indicator, user=request.user, source=ChangeSource.PAGE, confirmed=confirmed, **data
            )
        except NeedsConfirmation as exc:
            warnings = exc.warnings
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if result.recompute_queued is False:
                messages.warning(request, LAG_WARNING)
            done = {"indicator": indicator.name, "period": result.observation.period}
            if result.observation.status == Observation.Status.SUBMITTED:
                messages.success(request, _("已提交“%(indicator)s”%(period)s的数据，审核通过后计入进展。") % done)
            else:
                messages.success(request, _("已保存“%(indicator)s”%(period)s的数据。") % done)
            return redirect(safe_next(request, "dashboard:my_bureau"))
    else:
        ensure_can_report(indicator=indicator, user=request.user)  # no service call: ask it here
    return render(
        request,
        "reporting/observation_form.html",
        {"form": form, "indicator": indicator, "warnings": warnings, **observation_entry_context(indicator=indicator)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_update_create(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("plan__city"), pk=measure_id)
    form = MeasureUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure_update_record(measure=measure, user=request.user, source=ChangeSource.PAGE, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已更新任务“%(section)s”的进展。") % {"section": measure.section})
            return redirect(safe_next(request, "dashboard:my_bureau"))
    else:
        ensure_can_update(measure=measure, user=request.user)  # no service call: ask it here
    return render(
        request,
        "reporting/measure_update_form.html",
        {"form": form, "measure": measure},
        status=400 if form.errors else 200,
    )
