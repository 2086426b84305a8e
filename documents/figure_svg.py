"""One entry point that draws any of the site's Plotly figure specs as SVG (see documents.svg_chart)."""

from __future__ import annotations

from documents.svg_bars import bars_svg
from documents.svg_chart import pairs_of, scatter_svg


def figure_svg(spec: dict, *, width: int = 560, height: int | None = None, title: str = "") -> str:
    """The spec as an <svg> element, or "" when it has no point to draw: horizontal bars as the
    dashboard's stacked status bars, everything else as scatter traces. Bars size their own
    height from the number of categories, as the spec's layout does on the page."""
    traces = [trace for trace in spec.get("data", []) if pairs_of(trace)]
    if traces and all(trace.get("type") == "bar" for trace in traces):
        return bars_svg(spec, width=width, title=title)
    return scatter_svg(spec, width=width, height=height or 250, title=title)
