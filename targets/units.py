"""Units of measure as the plans print them, marked for translation.

A unit is stored on the indicator as data, in Chinese. The English catalogue translates the
units listed here; any other unit is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

KNOWN_UNITS = frozenset(
    {
        gettext_noop("万千瓦"),
        gettext_noop("万吨"),
        gettext_noop("万辆"),
        gettext_noop("万个"),
        gettext_noop("万平方米"),
        gettext_noop("亿立方米"),
        gettext_noop("座"),
        gettext_noop("家"),
        gettext_noop("个"),
        gettext_noop("公里"),
        gettext_noop("吨标准煤/万元"),
        gettext_noop("吨二氧化碳/万元"),
        gettext_noop("克标准煤/千瓦时"),
        gettext_noop("千克标准煤/平方米"),
        gettext_noop("千克标准煤/人"),
        gettext_noop("微克/立方米"),
        gettext_noop("天"),
    }
)


def unit_label(unit: str) -> str:
    """The unit in the active language."""
    return gettext(unit) if unit in KNOWN_UNITS else unit
