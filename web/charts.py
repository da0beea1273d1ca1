"""A measure's chart, drawn on the server as SVG in the NHS "Making Data Count" style.

A run chart (median, shifts and trends) until there are enough points for an XmR
chart (mean, process limits, special causes, assurance); the rules live in
``domain.measurement`` (DESIGN.md §4), this module only draws them and says them
in words. The SVG is self-contained (colours as attributes, no stylesheet needed)
and every piece of text in it is escaped, so a page can embed it inline.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

from domain.measurement import Assurance, Variation, chart_kind, run_chart, xmr_chart
from domain.values import Direction

# NHS.UK frontend colours; blue and orange mark special causes as Making Data Count does.
TEXT, AXIS, GRID, LINE, COMMON = "#212B32", "#4C6272", "#D8DDE0", "#AEB7BD", "#768692"
IMPROVEMENT, CONCERN, TARGET = "#005EB8", "#ED8B00", "#D5281B"
COLOURS = {Variation.COMMON: COMMON, Variation.IMPROVEMENT: IMPROVEMENT,
           Variation.CONCERN: CONCERN}
LEFT, RIGHT, TOP, BOTTOM = 56, 84, 28, 36   # room for value ticks, line labels, legend, dates
EMPTY = "No values recorded yet"


@dataclass(frozen=True)
class Chart:
    """One measure's chart: inline SVG, which kind it is, and what it shows in plain words."""

    svg: Markup        # safe to put in a template as it is
    kind: str          # "run" or "xmr"
    summary: str


@dataclass(frozen=True)
class _Reading:
    causes: list[Variation]                  # one per point
    lines: list[tuple[float, str, str]]      # (value, label, colour) of each horizontal line
    sentences: list[str]


def measure_chart(points: Sequence[tuple[date, float]], *, name: str, unit: str,
                  direction: Direction, target: float | None,
                  baseline: float | None = None, width: int = 640, height: int = 300) -> Chart:
    """The chart for one measure: a run chart, then XmR once there are enough points."""
    points = sorted(points, key=lambda p: p[0])
    if not points:
        summary = f"{EMPTY}."
        svg = _svg_open(name, summary, width, height, points) + [
            _text(width / 2, height / 2, EMPTY, anchor="middle", colour=AXIS, size=16), "</svg>"]
        return Chart(svg=Markup("".join(svg)), kind=chart_kind(0), summary=summary)
    dates, values = [d for d, _ in points], [float(v) for _, v in points]
    kind = chart_kind(len(values))
    read = (_read_xmr if kind == "xmr" else _read_run)(dates, values, unit, direction, target)
    summary = " ".join(read.sentences)
    lines = read.lines + [(target, "Target", TARGET)] * (target is not None) \
        + [(baseline, "Baseline", COMMON)] * (baseline is not None)
    svg = (_svg_open(name, summary, width, height, points)
           + _plot(dates, values, read.causes, lines, unit, width, height) + ["</svg>"])
    return Chart(svg=Markup("".join(svg)), kind=kind, summary=summary)


# --- reading the series -------------------------------------------------------------------

def _read_run(dates, values, unit, direction, target) -> _Reading:
    chart, good = run_chart(values), 1 if direction is Direction.UP else -1
    causes = [Variation.COMMON] * len(values)
    sentences = [f"Run chart of {_count(len(values))}, median {_value(chart.median, unit)}."]
    signals = []   # (points, whether they sit high, how to say it)
    for run in chart.shifts:
        high = values[run[0]] > chart.median
        side = "above" if high else "below"
        signals.append((run, high, f"A shift of {_count(len(run))} {side} the median"))
    for run in chart.trends:
        high = values[run[-1]] > values[run[0]]
        way = "rising" if high else "falling"
        signals.append((run, high, f"A {way} trend of {_count(len(run))}"))
    for run, high, shape in signals:
        cause = Variation.IMPROVEMENT if (1 if high else -1) == good else Variation.CONCERN
        for i in run:   # a shift is read before a trend through the same point
            if causes[i] is Variation.COMMON:
                causes[i] = cause
        sentences.append(f"{shape} from {_month(dates[run[0]])} shows {_meaning(cause)}.")
    if not signals:
        sentences.append("No shift or trend so far.")
    if target is not None:
        sentences.append(f"The target is {_value(target, unit)}.")
    return _Reading(causes, [(chart.median, "Median", AXIS)], sentences)


def _read_xmr(dates, values, unit, direction, target) -> _Reading:
    chart = xmr_chart(values, direction, target)
    sentences = [f"XmR chart of {_count(len(values))}, mean {_value(chart.mean, unit)}, "
                 f"process limits {_value(chart.lower, unit)} to {_value(chart.upper, unit)}."]
    for cause in (Variation.IMPROVEMENT, Variation.CONCERN):
        if n := chart.variation.count(cause):
            sentences.append(f"Special cause {cause.name.lower()} at {_count(n)}.")
    if set(chart.variation) == {Variation.COMMON}:
        sentences.append("Common cause variation only.")
    if chart.assurance is not None:
        sentences.append(f"The target {_value(target, unit)} " + {
            Assurance.HIT_AND_MISS: "lies within the limits, so the process will "
                                    "sometimes meet it and sometimes not.",
            Assurance.PASS: "lies outside the limits, so the process will consistently meet it.",
            Assurance.FAIL: "lies outside the limits, so the process will consistently "
                            "fail to meet it."}[chart.assurance])
    lines = [(chart.mean, "Mean", AXIS), (chart.upper, "Upper limit", AXIS),
             (chart.lower, "Lower limit", AXIS)]
    return _Reading(list(chart.variation), lines, sentences)


def _meaning(cause: Variation) -> str:
    return "improvement" if cause is Variation.IMPROVEMENT else "cause for concern"


# --- drawing ------------------------------------------------------------------------------

def _svg_open(name, summary, width, height, points) -> list[str]:
    # Several charts can share a page, so the ids that tie title and desc must differ.
    ident = "chart-" + hashlib.blake2s(repr((name, points)).encode(), digest_size=4).hexdigest()
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="measure-chart" role="img" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
            f'font-family="Arial, sans-serif" font-size="12" focusable="false">'
            f'<title id="{ident}-title">{escape(name)}</title>'
            f'<desc id="{ident}-desc">{escape(summary)}</desc>']


def _plot(dates, values, causes, lines, unit, width, height) -> list[str]:
    every = values + [v for v, _, _ in lines]
    ticks, right, bottom = _ticks(min(every), max(every)), width - RIGHT, height - BOTTOM

    def y(v: float) -> float:
        return bottom - (v - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - TOP)

    inner = right - LEFT - 16   # keeps the first and last points off the axes
    xs = [LEFT + 8 + (inner * i / (len(values) - 1) if len(values) > 1 else inner / 2)
          for i in range(len(values))]
    return (_axes(dates, xs, ticks, y, unit, right, bottom) + _lines(lines, y, right)
            + _points(dates, values, causes, xs, y, unit) + _legend(set(causes), right))


def _axes(dates, xs, ticks, y, unit, right, bottom) -> list[str]:
    out = ['<g class="chart__axis" aria-hidden="true">']
    for t in ticks:
        out.append(_line(LEFT, y(t), right, y(t), GRID, width=1))
        out.append(_text(LEFT - 6, y(t) + 4, _value(t, unit if unit == "%" else ""), "end"))
    if unit and unit != "%":   # a longer unit is said once, over the value ticks
        out.append(_text(LEFT - 6, TOP - 12, unit, "end", colour=AXIS))
    out.append(_line(LEFT, TOP, LEFT, bottom, AXIS, width=1))
    out.append(_line(LEFT, bottom, right, bottom, AXIS, width=1))
    shown = set()
    for i in _spaced(len(xs), 6):
        if (label := _month(dates[i])) not in shown:   # weekly points share a month
            shown.add(label)
            out.append(_text(xs[i], bottom + 18, label, "middle"))
    return out + ["</g>"]


def _lines(lines, y, right) -> list[str]:
    out = []
    for (value, label, colour), label_y in zip(lines, _apart([y(v) for v, _, _ in lines])):
        dash = {"Mean": None, "Median": None, "Baseline": "2 3"}.get(label, "6 4")
        out.append(_line(LEFT, y(value), right, y(value), colour, dash=dash,
                         cls=label.lower().replace(" ", "-")))
        out.append(_text(right + 6, label_y + 4, label, colour=colour))
    return out


def _points(dates, values, causes, xs, y, unit) -> list[str]:
    path = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, values))
    out = [f'<polyline class="chart__values" fill="none" stroke="{LINE}" stroke-width="2" '
           f'points="{path}"/>']
    for x, d, v, cause in zip(xs, dates, values, causes):
        out.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" fill="{COLOURS[cause]}" '
                   f'r="{4 if cause is Variation.COMMON else 5}" '
                   f'data-cause="{cause.name.lower()}" data-date="{d.isoformat()}" '
                   f'data-value="{v!r}"><title>{escape(_month(d))}: '
                   f'{escape(_value(v, unit))}</title></circle>')
    return out


def _legend(causes: set[Variation], right: float) -> list[str]:
    # Colour alone must not carry the meaning, so the special causes present are named.
    out, x = [], right
    for cause in (Variation.CONCERN, Variation.IMPROVEMENT):
        if cause in causes:
            word = cause.name.capitalize()
            out.append(_text(x, TOP - 12, word, "end"))
            x -= 7 * len(word) + 4
            out.append(f'<circle cx="{x:.1f}" cy="{TOP - 16}" r="5" fill="{COLOURS[cause]}"/>')
            x -= 16
    return ['<g class="chart__legend" aria-hidden="true">', *out, "</g>"] if out else []


def _line(x1, y1, x2, y2, colour, width=1.5, dash=None, cls=None) -> str:
    extra = (f' stroke-dasharray="{dash}"' if dash else "") + (f' class="{cls}"' if cls else "")
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{width}"{extra}/>')


def _text(x, y, content, anchor="start", colour=TEXT, size=12) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}" '
            f'font-size="{size}">{escape(content)}</text>')


# --- scales and words ---------------------------------------------------------------------

def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values from at or below ``low`` to at or above ``high``, about ``count`` steps."""
    if high - low < 1e-9:
        low, high = low - 1, high + 1   # a flat series still needs a scale
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    steps = math.ceil((high - first) / step - 1e-9)
    return [round(first + i * step, 10) for i in range(steps + 1)]


def _spaced(n: int, most: int) -> list[int]:
    """Up to ``most`` indices spread evenly over ``n`` points, first and last included."""
    k = min(n, most)
    return sorted({round(j * (n - 1) / (k - 1)) for j in range(k)}) if k > 1 else [0]


def _apart(ys: list[float], gap: float = 12) -> list[float]:
    """Label positions for lines at ``ys``, nudged down so that no two labels overlap."""
    placed: dict[int, float] = {}
    last = -math.inf
    for i in sorted(range(len(ys)), key=ys.__getitem__):
        last = placed[i] = max(ys[i], last + gap)
    return [placed[i] for i in range(len(ys))]


def _value(v: float, unit: str) -> str:
    number = f"{v:,.2f}".rstrip("0").rstrip(".")
    number = "0" if number == "-0" else number
    return f"{number}%" if unit == "%" else f"{number} {unit}" if unit else number


def _month(d: date) -> str:
    return d.strftime("%b %Y")


def _count(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def chart_of(qip: dict, measure: dict, name: str | None = None) -> Chart:  # type: ignore[type-arg]
    """The chart of one measure of a QIP, from the rows ``Library.qip`` gives."""
    points = [(p["recorded_on"], p["value"]) for p in qip.get("progress", [])
              if p["measure"] == measure["name"]]
    return measure_chart(points, name=name or measure["name"], unit=measure["unit"] or "",
                         direction=Direction(measure["direction"]), target=measure["target"],
                         baseline=measure["baseline"])
