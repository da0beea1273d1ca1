"""A measure's chart, drawn on the server as SVG in the NHS "Making Data Count" style.

A run chart (median, shifts and trends) until there are enough points for an XmR
chart (mean, process limits, special causes, assurance); the rules live in
``domain.measurement`` (docs/domain.md, "Measuring"; ported from NHSRplotthedots), this module only
draws them and says them in words, with ``METHOD`` as the page's "How this chart is
read". Where a team marked a change, each phase is drawn with its own centre line and
limits and a labelled vertical line at the change. Each chart is drawn twice: for a
wide column and for a phone's width, where the wide one's text would shrink to 7 px.
The SVG is self-contained (colours as attributes, no stylesheet needed) and every
piece of text in it is escaped, so a page can embed it inline.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

from domain.measurement import Assurance, Variation, chart_kind, phase_starts, run_chart, xmr_chart
from domain.values import Direction

# NHS.UK frontend colours; blue and orange mark special causes as Making Data Count does.
TEXT, AXIS, GRID, LINE, COMMON = "#212B32", "#4C6272", "#D8DDE0", "#AEB7BD", "#768692"
IMPROVEMENT, CONCERN, TARGET = "#005EB8", "#ED8B00", "#D5281B"
COLOURS = {Variation.COMMON: COMMON, Variation.IMPROVEMENT: IMPROVEMENT,
           Variation.CONCERN: CONCERN}
LEFT, RIGHT, TOP, BOTTOM = 56, 84, 28, 36   # room for value ticks, line labels, legend, dates
EMPTY = "No values recorded yet"
# A phone's chart: drawn about as wide as it is shown (358 px at 390), so its 12-unit
# text is rendered near 12 px instead of the wide chart's 12 × 358 / 640 = 6.7 px.
NARROW_WIDTH, NARROW_HEIGHT, NARROW_DATES = 360, 280, 3


# How the page says the chart is read (beside each chart): the rules, their source,
# and where this project differs from it (see domain.measurement).
METHOD = {
    "run": ("A run chart until there are 15 values: the line is the median. Six or more "
            "values in a row on one side of it (a shift) or five or more rising or falling "
            "(a trend) are unlikely by chance, and are coloured as improvement or concern "
            "by the measure's good direction. (Making Data Count's rules need the limits "
            "of an XmR chart, which a few values cannot set.)"),
    "xmr": ("An XmR chart, read as NHS England's Making Data Count does (the rules of "
            "NHS-R community's NHSRplotthedots): process limits at the mean \u00b1 2.66 "
            "times the mean moving range, after unusually large moving ranges are left "
            "out. Special cause is a value outside the limits, seven in a row rising or "
            "falling, two of three close to a limit on the same side of the mean, or seven "
            "in a row on one side of it. A target outside the limits will consistently be "
            "met or missed; inside them, sometimes met."),
    "changes": ("Where the team marked a change, the chart is recalculated from the first "
                "value on or after that date: each period has its own centre line and "
                "limits, and the verdict is the latest period's."),
}


@dataclass(frozen=True)
class Chart:
    """One measure's chart: inline SVG, which kind it is, and what it shows in plain words.

    ``narrow`` is the same chart drawn for a phone's width (fewer dates, text that
    stays readable when it is not scaled down), shown instead of ``svg`` on narrow
    screens by community.css."""

    svg: Markup        # safe to put in a template as it is
    kind: str          # "run" or "xmr"
    summary: str
    narrow: Markup = field(default_factory=Markup)
    method: str = ""   # "How this chart is read"


@dataclass(frozen=True)
class _Reading:
    causes: list[Variation]                  # one per point
    lines: list[tuple[float, str, str]]      # (value, label, colour) of each horizontal line
    sentences: list[str]
    # Earlier phases' centre lines and limits: (value, class, colour, first, last index).
    earlier: list[tuple[float, str, str, int, int]] = field(default_factory=list)
    starts: tuple[int, ...] = ()             # where each later phase begins


def measure_chart(points: Sequence[tuple[date, float]], *, name: str, unit: str,
                  direction: Direction, target: float | None,
                  baseline: float | None = None,
                  changes: Sequence[tuple[date, str]] = (),
                  width: int = 640, height: int = 300) -> Chart:
    """The chart for one measure: a run chart, then XmR once there are enough points;
    recalculated from each change marked (``changes``: (date, what changed))."""
    points = sorted(points, key=lambda p: p[0])
    kind = chart_kind(len(points))
    method = METHOD[kind] + (" " + METHOD["changes"] if changes else "")
    if not points:
        summary = f"{EMPTY}."
        svgs = [Markup("".join([
            *_svg_open(name, summary, w, h, points, css),
            _text(w / 2, h / 2, EMPTY, anchor="middle", colour=AXIS, size=16), "</svg>"]))
            for w, h, css in ((width, height, "measure-chart"),
                              (NARROW_WIDTH, NARROW_HEIGHT, "measure-chart-narrow"))]
        return Chart(svg=svgs[0], kind=kind, summary=summary, narrow=svgs[1], method=method)
    dates, values = [d for d, _ in points], [float(v) for _, v in points]
    said = dict(sorted(changes))
    starts = phase_starts(dates, said)
    read = (_read_xmr if kind == "xmr" else _read_run)(dates, values, unit, direction, target,
                                                         starts)
    # Each change that starts a phase, as the team put it (the latest mark of that phase).
    marks = {i: (day, text) for day, text in sorted(said.items())
             for i in phase_starts(dates, [day])}
    summary = " ".join(read.sentences[:1] + [
        f"Recalculated from {_month(dates[i])}, when the team marked a change: {text}."
        for i, (_, text) in sorted(marks.items())] + read.sentences[1:])
    lines = read.lines + [(target, "Target", TARGET)] * (target is not None) \
        + [(baseline, "Baseline", COMMON)] * (baseline is not None)
    svgs = [Markup("".join(_svg_open(name, summary, w, h, points, css)
                           + _plot(dates, values, read, lines, marks, unit, w, h, most)
                           + ["</svg>"]))
            for w, h, css, most in ((width, height, "measure-chart", 6),
                                    (NARROW_WIDTH, NARROW_HEIGHT, "measure-chart-narrow",
                                     NARROW_DATES))]
    return Chart(svg=svgs[0], kind=kind, summary=summary, narrow=svgs[1], method=method)


# --- reading the series -------------------------------------------------------------------

def _read_run(dates, values, unit, direction, target, starts) -> _Reading:
    chart, good = run_chart(values, starts), 1 if direction is Direction.UP else -1
    causes = [Variation.COMMON] * len(values)
    since = f" since {_month(dates[starts[-1]])}" if starts else ""
    sentences = [f"Run chart of {_count(len(values))}, median{since} "
                 f"{_value(chart.median, unit)}."]
    signals = []   # (points, whether they sit high, how to say it)
    medians = {i: m for start, end, m in chart.phases for i in range(start, end)}
    for run in chart.shifts:
        high = values[run[0]] > medians[run[0]]
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
    earlier = [(m, "median-earlier", AXIS, start, end - 1) for start, end, m in chart.phases[:-1]]
    return _Reading(causes, [(chart.median, "Median", AXIS)], sentences, earlier, starts)


def _read_xmr(dates, values, unit, direction, target, starts) -> _Reading:
    chart = xmr_chart(values, direction, target, starts)
    since = f" since {_month(dates[starts[-1]])}" if starts else ""
    sentences = [f"XmR chart of {_count(len(values))}{since and ','}{since}, mean "
                 f"{_value(chart.mean, unit)}, process limits {_value(chart.lower, unit)} to "
                 f"{_value(chart.upper, unit)}."]
    for cause in (Variation.IMPROVEMENT, Variation.CONCERN):
        if n := chart.variation.count(cause):
            sentences.append(f"Special cause {cause.name.lower()} at {_count(n)}.")
    if set(chart.variation) == {Variation.COMMON}:
        sentences.append("Common cause variation only.")
    # Making Data Count's variation icon: what the latest value shows.
    sentences.append("The latest value shows " + {
        Variation.COMMON: "common cause variation.",
        Variation.IMPROVEMENT: "special cause improvement.",
        Variation.CONCERN: "special cause concern."}[chart.latest])
    if chart.assurance is not None:
        sentences.append(f"The target {_value(target, unit)} " + {
            Assurance.HIT_AND_MISS: "lies within the limits, so the process will "
                                    "sometimes meet it and sometimes not.",
            Assurance.PASS: "lies outside the limits, so the process will consistently meet it.",
            Assurance.FAIL: "lies outside the limits, so the process will consistently "
                            "fail to meet it."}[chart.assurance])
    lines = [(chart.mean, "Mean", AXIS), (chart.upper, "Upper limit", AXIS),
             (chart.lower, "Lower limit", AXIS)]
    earlier = [(value, cls, AXIS, p.start, p.end - 1) for p in chart.phases[:-1]
               for value, cls in ((p.mean, "mean-earlier"), (p.upper, "upper-limit-earlier"),
                                  (p.lower, "lower-limit-earlier"))]
    return _Reading(list(chart.variation), lines, sentences, earlier, starts)


def _meaning(cause: Variation) -> str:
    return "improvement" if cause is Variation.IMPROVEMENT else "cause for concern"


# --- drawing ------------------------------------------------------------------------------

def _svg_open(name, summary, width, height, points, css="measure-chart") -> list[str]:
    # Several charts can share a page, so the ids that tie title and desc must differ.
    ident = "chart-" + hashlib.blake2s(repr((name, points, width)).encode(),
                                       digest_size=4).hexdigest()
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
            f'font-family="Arial, sans-serif" font-size="12" focusable="false">'
            f'<title id="{ident}-title">{escape(name)}</title>'
            f'<desc id="{ident}-desc">{escape(summary)}</desc>']


def _plot(dates, values, read, lines, marks, unit, width, height, most) -> list[str]:
    causes = read.causes
    every = values + [v for v, _, _ in lines] + [v for v, *_ in read.earlier]
    ticks, right, bottom = _ticks(min(every), max(every)), width - RIGHT, height - BOTTOM

    def y(v: float) -> float:
        return bottom - (v - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - TOP)

    inner = right - LEFT - 16   # keeps the first and last points off the axes
    xs = [LEFT + 8 + (inner * i / (len(values) - 1) if len(values) > 1 else inner / 2)
          for i in range(len(values))]
    # A change falls halfway between the last value before it and the first after it.
    edges = [LEFT] + [(xs[i - 1] + xs[i]) / 2 for i in read.starts] + [right]
    latest = edges[-2]
    return (_axes(dates, xs, ticks, y, unit, right, bottom, most)
            + _changes(dates, marks, edges, read.starts, bottom, right)
            + _earlier(read, edges, y)
            + _lines(lines, y, right, latest)
            + _points(dates, values, causes, xs, y, unit) + _legend(set(causes), right))


def _earlier(read: _Reading, edges, y) -> list[str]:
    """Earlier phases' centre lines and limits, each over its own phase only, unlabelled."""
    phase_of = {start: n for n, start in enumerate([0, *read.starts])}
    out = []
    for value, cls, colour, first, _last in read.earlier:
        n = phase_of[first]
        out.append(_line(edges[n], y(value), edges[n + 1], y(value), colour,
                         dash=None if cls.startswith(("mean", "median")) else "6 4", cls=cls))
    return out


def _changes(dates, marks, edges, starts, bottom, right) -> list[str]:
    """A labelled vertical line where each marked change starts a new phase."""
    out = []
    for n, start in enumerate(starts, start=1):
        x = edges[n]
        day, text = marks.get(start, (dates[start], "Change"))
        label = text if len(text) <= 18 else text[:17].rstrip() + "\u2026"
        room = right - x > 7 * len(label) + 8
        out.append(f'<g class="chart__change"><title>{escape(day.strftime("%-d %b %Y"))}: '
                   f'{escape(text)}</title>'
                   + _line(x, TOP, x, bottom, TEXT, width=1.5, dash="4 3", cls="change")
                   + _text(x + 4 if room else x - 4, TOP + 10, label,
                           "start" if room else "end", size=11) + "</g>")
    return out


def _axes(dates, xs, ticks, y, unit, right, bottom, most=6) -> list[str]:
    out = ['<g class="chart__axis" aria-hidden="true">']
    for t in ticks:
        out.append(_line(LEFT, y(t), right, y(t), GRID, width=1))
        out.append(_text(LEFT - 6, y(t) + 4, _value(t, unit if unit == "%" else ""), "end"))
    if unit and unit != "%":   # a longer unit is said once, over the value ticks
        out.append(_text(LEFT - 6, TOP - 12, unit, "end", colour=AXIS))
    out.append(_line(LEFT, TOP, LEFT, bottom, AXIS, width=1))
    out.append(_line(LEFT, bottom, right, bottom, AXIS, width=1))
    shown = set()
    for i in _spaced(len(xs), most):
        if (label := _month(dates[i])) not in shown:   # weekly points share a month
            shown.add(label)
            out.append(_text(xs[i], bottom + 18, label, "middle"))
    return [*out, "</g>"]


def _lines(lines, y, right, latest=LEFT) -> list[str]:
    """The labelled lines: the latest phase's centre line and limits (from ``latest``),
    the target and the baseline (across the whole chart)."""
    out = []
    for (value, label, colour), label_y in zip(lines, _apart([y(v) for v, _, _ in lines]), strict=True):
        dash = {"Mean": None, "Median": None, "Baseline": "2 3"}.get(label, "6 4")
        start = LEFT if label in ("Target", "Baseline") else latest
        out.append(_line(start, y(value), right, y(value), colour, dash=dash,
                         cls=label.lower().replace(" ", "-")))
        out.append(_text(right + 6, label_y + 4, label, colour=colour))
    return out


def _points(dates, values, causes, xs, y, unit) -> list[str]:
    path = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in zip(xs, values, strict=True))
    out = [f'<polyline class="chart__values" fill="none" stroke="{LINE}" stroke-width="2" '
           f'points="{path}"/>']
    for x, d, v, cause in zip(xs, dates, values, causes, strict=True):
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


def chart_of(qip: Mapping[str, Any], measure: Mapping[str, Any], name: str | None = None) -> Chart:
    """The chart of one measure of a QIP, from the rows ``Library.qip`` gives."""
    points = [(p["recorded_on"], p["value"]) for p in qip.get("progress", [])
              if p["measure"] == measure["name"]]
    changes = [(m["changed_on"], m["description"]) for m in qip.get("change_marks", [])
               if m["measure"] == measure["name"]]
    return measure_chart(points, name=name or measure["name"], unit=measure["unit"] or "",
                         direction=Direction(measure["direction"]), target=measure["target"],
                         baseline=measure["baseline"], changes=changes)
