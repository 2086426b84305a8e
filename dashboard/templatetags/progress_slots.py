"""`{% slot kind pk %}` and `{% fill_slots progress %}…{% endfill_slots %}`: progress inside plan
text cached on the plan version (dashboard/progress_slots.py says why and how)."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString

from dashboard.progress_slots import slot_marker, slots_fill

register = template.Library()


@register.simple_tag
def slot(kind: str, pk: int) -> SafeString:
    return slot_marker(kind, pk)


class FillSlotsNode(template.Node):
    def __init__(self, nodelist: NodeList, progress: FilterExpression) -> None:
        self.nodelist = nodelist
        self.progress = progress

    def render(self, context: Context) -> SafeString:
        return slots_fill(self.nodelist.render(context), self.progress.resolve(context))


@register.tag
def fill_slots(parser: Parser, token: Token) -> FillSlotsNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fill_slots progress %} takes one argument")
    nodelist = parser.parse(("endfill_slots",))
    parser.delete_first_token()
    return FillSlotsNode(nodelist, parser.compile_filter(bits[1]))
