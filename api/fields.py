"""Serializer fields shared by the write endpoints."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.notes import NOTE_MAX_LENGTH


@extend_schema_field({"type": "string", "maxLength": NOTE_MAX_LENGTH})
class NoteField(serializers.Field):
    """A note passed on as sent: the service judges it (config.notes.note_clean) together with
    the other fields, so every bad field is reported at once, with the entry page's messages."""

    def to_internal_value(self, data: object) -> object:
        return data

    def to_representation(self, value: object) -> object:
        return value
