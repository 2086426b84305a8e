"""Entry forms. Validation of values and periods lives in the services, not here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.notes import NoteFormField
from measures.models import MeasureStatus
from targets.names import name_in_language


class ObservationForm(forms.Form):
    period = forms.CharField(
        label=_("期间"), max_length=10, help_text=_("年份（2023）、季度（2023-Q2）或月份（2023-06）")
    )
    value = forms.CharField(label=_("数值"), max_length=40, required=False)
    note = NoteFormField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    # Shown with the warnings: the user has seen them and wants the value stored anyway.
    confirm = forms.BooleanField(label=_("我已核对，确认保存"), required=False)


class LocalNameChoiceField(forms.ModelChoiceField):
    """Options named in the page's language (a status's `name_en` on English pages)."""

    def label_from_instance(self, obj: object) -> str:
        return name_in_language(obj)


class MeasureUpdateForm(forms.Form):
    status = LocalNameChoiceField(label=_("状态"), queryset=MeasureStatus.objects.all(), empty_label=None)
    percent_complete = forms.IntegerField(label=_("完成百分比"), min_value=0, max_value=100, required=False)
    note = NoteFormField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
