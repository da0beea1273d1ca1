"""The Kaplan–Meier curve of members' time to lapse (issue 12, item 8), drawn on the
server as SVG in the style of ``web.charts``: the same colours, axes, text and
accessible title and description, twice (a wide column and a phone's width), so the
page shows it as it shows every QIP chart. A step line, as a survival curve is read:
the share of members not yet lapsed, stepping down at each lapse, with the half-way
line and the median marked.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from web.charts import (
    AXIS,
    BOTTOM,
    IMPROVEMENT,
    LEFT,
    NARROW_HEIGHT,
    NARROW_WIDTH,
    RIGHT,
    TEXT,
    TOP,
    Chart,
    _line,
    _svg_open,
    _text,
    _ticks,
)

METHOD = ("A Kaplan–Meier curve: of the members active after the funding end, the share "
          "who have not yet lapsed (90 days without an act), month by month from the "
          "funding end (or from their first act after it). Members still active on the "
          "date count until then and no further (censored), so the curve does not "
          "pretend they lapsed. Where it crosses the dashed half-way line is the median.")


def survival_chart(curve: Sequence[tuple[float, float]], median: float | None, *,
                   width: int = 640, height: int = 300) -> Chart:
    """The curve ((months, share not yet lapsed), …) from lifelines, as a step line."""
    if median is None:
        summary = ("More than half the members active after the funding end had not "
                   "lapsed by the date: the median is not reached.")
    else:
        summary = f"Half the members active after the funding end had lapsed within {median:.1f} months."
    if curve:
        summary += f" After {curve[-1][0]:.0f} months, {curve[-1][1]:.0%} had not lapsed."
    name = "Members not yet lapsed after the funding end"
    svgs = [Markup("".join(_svg_open(name, summary, w, h, list(curve), css)
                           + _plot(curve, median, w, h, ticks) + ["</svg>"]))
            for w, h, css, ticks in ((width, height, "measure-chart", 8),
                                     (NARROW_WIDTH, NARROW_HEIGHT, "measure-chart-narrow", 4))]
    return Chart(svg=svgs[0], kind="survival", summary=summary, narrow=svgs[1], method=METHOD)


def _plot(curve: Sequence[tuple[float, float]], median: float | None, width: int,
          height: int, most: int) -> list[str]:
    right, bottom = width - RIGHT, height - BOTTOM
    last = max((t for t, _ in curve), default=1.0) or 1.0
    months = _ticks(0, last, most)

    def x(t: float) -> float:
        return LEFT + t / months[-1] * (right - LEFT)

    def y(share: float) -> float:
        return bottom - share * (bottom - TOP)

    out = ['<g class="chart__axis" aria-hidden="true">']
    for share in (0, 0.25, 0.5, 0.75, 1):
        out.append(_line(LEFT, y(share), right, y(share), "#D8DDE0", width=1))
        out.append(_text(LEFT - 6, y(share) + 4, f"{share:.0%}", "end"))
    for t in months:
        out.append(_text(x(t), bottom + 18, f"{t:g}", "middle"))
    out.append(_text(right, bottom + 32, "months after the funding end", "end", colour=AXIS))
    out.append(_line(LEFT, TOP, LEFT, bottom, AXIS, width=1))
    out.append(_line(LEFT, bottom, right, bottom, AXIS, width=1))
    out.append("</g>")
    out.append(_line(LEFT, y(0.5), right, y(0.5), AXIS, dash="6 4", cls="half"))
    out.append(_text(right + 6, y(0.5) + 4, "Half", colour=AXIS))
    # A step line: level until each lapse, then straight down.
    points, share = [(0.0, 1.0)], 1.0
    for t, s in curve:
        points += [(t, share), (t, s)]
        share = s
    path = " ".join(f"{x(t):.1f},{y(s):.1f}" for t, s in points)
    out.append(f'<polyline class="chart__survival" fill="none" stroke="{IMPROVEMENT}" '
               f'stroke-width="2.5" points="{path}"/>')
    if median is not None:
        out.append(f'<g class="chart__median"><title>Median: {median:.1f} months</title>'
                   + _line(x(median), y(0.5), x(median), bottom, TEXT, width=1.5, dash="4 3")
                   + _text(x(median) + 4, y(0.5) - 6, f"Median {median:.1f}", size=11)
                   + "</g>")
    return out
