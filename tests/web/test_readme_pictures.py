"""The README's chart pictures are drawn from the demo by the code that draws the pages."""

from __future__ import annotations

from pathlib import Path

from web.charts import Chart
from web.pictures import demo_charts

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_demo_gives_a_run_chart_and_an_spc_chart_both_showing_improvement() -> None:
    charts: dict[str, Chart] = demo_charts()

    assert charts["run-chart"].kind == "run" and charts["spc-chart"].kind == "xmr"
    for name in ("run-chart", "spc-chart"):
        assert 'data-cause="improvement"' in charts[name].svg
    # The same XmR chart recalculated from the change: a line at it, no baseline concern.
    assert 'class="change"' in charts["spc-chart-rebased"].svg
    # The pictures committed for the README are exactly what the code draws today;
    # `python -m web.pictures docs/` redraws them after a change to the charts.
    for name, chart in charts.items():
        assert (DOCS / f"{name}.svg").read_text(encoding="utf-8") == str(chart.svg) + "\n", name
