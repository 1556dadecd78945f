"""Charts for the audit report as inline SVG, drawn with matplotlib when it is installed.

matplotlib is the well-kept plotting library the project already uses for its
benchmark plots (the ``bench`` extra); it writes SVG without a display or a
network. It is not a core dependency (tens of MB for a few bar charts), so
without it each chart is replaced by a plain note and the report still renders
its tables: the numbers are never only in a picture.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence

__all__ = ["bar_chart", "have_charts", "stacked_chart"]

_NOTE = (
    '<p class="muted">Chart not drawn: matplotlib is not installed '
    "(<code>pip install matplotlib</code>); the table below holds the same numbers.</p>"
)


def have_charts() -> bool:
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _svg(fig: object) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog, no fixed ids clash)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")  # type: ignore[attr-defined]
    import matplotlib.pyplot as plt

    plt.close(fig)  # type: ignore[arg-type]
    text = buf.getvalue()
    start = text.find("<svg")
    svg = text[start:] if start >= 0 else text
    return re.sub(r"<svg ", '<svg role="img" class="chart" ', svg, count=1)


def _figure(width: float, height: float):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, smaller
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def bar_chart(title: str, values: Mapping[str, float], *, xlabel: str = "") -> str:
    """A horizontal bar chart, largest on top; a note when matplotlib is absent or no data."""
    if not values:
        return ""
    if not have_charts():
        return _NOTE
    names = list(values)[::-1]
    fig, ax = _figure(4.2, 0.22 * len(names) + 0.9)
    ax.tick_params(labelsize=8)
    ax.barh(names, [values[n] for n in names], color="#1e88e5")
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel(xlabel)
    return _svg(fig)


def stacked_chart(
    title: str, runs: Sequence[str], series: Mapping[str, Mapping[str, float]]
) -> str:
    """Vertical bars per run, stacked by series (e.g. finding kind per night)."""
    if not runs or not series:
        return ""
    if not have_charts():
        return _NOTE
    fig, ax = _figure(4.2, 2.8)
    bottom = [0.0] * len(runs)
    for name, by_run in series.items():
        heights = [float(by_run.get(r, 0)) for r in runs]
        ax.bar(list(runs), heights, bottom=bottom, label=name)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title(title, fontsize=11, loc="left")
    if len(series) > 1:
        ax.legend(fontsize=7, frameon=False)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return _svg(fig)
