"""Serializer fields shared by the write endpoints."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from config.notes import note_clean


class NoteField(serializers.CharField):
    """Text judged by the entry page's rule (config.notes.note_clean), which runs before
    DRF's validators, so a NUL character gets our message rather than DRF's."""

    def to_internal_value(self, data: object) -> str:
        text = super().to_internal_value(data)
        try:
            return note_clean(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
