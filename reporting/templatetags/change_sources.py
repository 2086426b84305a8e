"""`entry.history_change_reason|change_source`: where a history row's change came from, in the
page's language (config.change_sources)."""

from django import template

from config.change_sources import change_source_label

register = template.Library()


@register.filter
def change_source(code: str | None) -> str:
    return change_source_label(code)
