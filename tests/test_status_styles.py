"""The chips' stylesheet and the status definition agree: every status has its fill, and no
other colour is used for it (the CSS is static because the Content-Security-Policy forbids
inline styles, so it cannot be generated into the page)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from reporting.statuses import STATUS_COLOURS


def test_every_status_chip_has_the_definitions_colour():
    css = Path(finders.find("dashboard/statuses.css")).read_text(encoding="utf-8")
    fills = dict(re.findall(r"\.status-([a-z_]+)\s*\{\s*background:\s*(#[0-9a-fA-F]{6});\s*\}", css))
    assert fills == STATUS_COLOURS
