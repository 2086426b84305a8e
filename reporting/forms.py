"""Entry forms: transport only. They carry what was typed to the services, which check the
period, value, note and percentage (and say what is wrong, by field); the browser hints here
(maxlength, min/max) are for typing, not the rules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.models import MeasureStatus
from reporting.values import NOTE_MAX_LENGTH, VALUE_MAX_LENGTH
from targets.names import name_in_language


class TypedText(forms.CharField):
    """Text passed on as typed: no length or NUL-character check of its own, so the service's
    message is the one the user reads."""

    def __init__(self, *, maxlength: int, **kwargs: Any) -> None:
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = []
        self.widget.attrs["maxlength"] = str(maxlength)


class ObservationForm(forms.Form):
    period = TypedText(label=_("期间"), maxlength=10, help_text=_("年份（2023）、季度（2023-Q2）或月份（2023-06）"))
    value = TypedText(label=_("数值"), maxlength=VALUE_MAX_LENGTH)
    note = TypedText(label=_("说明"), maxlength=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    # Shown with the warnings: the user has seen them and wants the value stored anyway.
    confirm = forms.BooleanField(label=_("我已核对，确认保存"), required=False)


class LocalNameChoiceField(forms.ModelChoiceField):
    """Options named in the page's language (a status's `name_en` on English pages)."""

    def label_from_instance(self, obj: object) -> str:
        return name_in_language(obj)


class MeasureUpdateForm(forms.Form):
    status = LocalNameChoiceField(label=_("状态"), queryset=MeasureStatus.objects.all(), empty_label=None)
    percent_complete = forms.IntegerField(
        label=_("完成百分比"), required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 100})
    )
    note = TypedText(label=_("说明"), maxlength=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
