"""The rule for free-text notes, shared by observations, assessments and measure updates
(reporting and measures both use it, so it lives below both apps)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _

NOTE_MAX_LENGTH = 2000  # a page of text: room for a qualitative assessment, not for a file


def note_clean(raw: object) -> str:
    """A note as it will be stored (trimmed), or a ValidationError saying what is wrong."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise ValidationError(_("说明应为文本。"), code="invalid")
    if "\x00" in raw:
        # Django's own message for this ("不允许空字符") reads as "may not be empty".
        raise ValidationError(
            _("说明中含有NUL控制字符（\\x00），通常来自损坏的文件或复制的二进制内容，请删除后重试。"),
            code="null_characters_not_allowed",
        )
    note = raw.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("说明最多%(limit)s个字符（现有%(length)s个），请精简或另附材料。"),
            code="max_length",
            params={"limit": NOTE_MAX_LENGTH, "length": len(note)},
        )
    return note


class NoteFormField(forms.CharField):
    """A form field for a note, judged by note_clean: its NUL message replaces Django's."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value: Any) -> str:
        return note_clean(super().clean(value))
