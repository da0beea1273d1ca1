"""Draw the README's chart pictures from the demo community.

    python -m web.pictures docs/

Loads the demo (seed 2012) into a throwaway SQLite store and draws two measures the
way the QIP page does: a run chart (fewer than 15 values) and an XmR (SPC) chart; then
the same XmR chart with the change marked where the demo's step came in (the first
value past halfway from the baseline to the target), recalculated from there.
The pictures in the README are these files, so they always show what the code draws.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from community import Community
from community.demo import PARTICIPANT_EMAIL, load_demo
from config import Settings
from web.charts import Chart, chart_of


def demo_charts() -> dict[str, Chart]:
    """{"run-chart": …, "spc-chart": …, "spc-chart-rebased": …} from the demo's QIPs."""
    with tempfile.TemporaryDirectory() as folder:
        app = Community(Settings(database_url=f"sqlite:///{folder}/demo.sqlite"))
        try:
            load_demo(app)
            return _pick(app)
        finally:
            app.close()


def _pick(app: Community) -> dict[str, Chart]:
    library = app.views.library
    rows, _ = library.qips(viewer_team_id=None, organiser=True, outcome="improved", limit=500)
    participant = str(app.member_id_by_email(PARTICIPANT_EMAIL))
    improving = [(row, m) for row in rows for m in row["measures"] if m["improved"]]
    # The participant's own plan has two years of data: the SPC chart. The run chart
    # is the improving measure with the most values short of an XmR chart's 15.
    spc = next((r, m) for r, m in improving if r["owner_id"] == participant)
    run = min(((r, m) for r, m in improving if m["points"] < 15),
              key=lambda found: (-found[1]["points"], found[0]["title"], found[0]["team"]))
    return {"run-chart": _chart(app, *run), "spc-chart": _chart(app, *spc),
            "spc-chart-rebased": _chart(app, *spc, rebased=True)}


def _chart(app: Community, row: Mapping[str, Any], measure: Mapping[str, Any],
           rebased: bool = False) -> Chart:
    found = app.views.library.qip(row["id"], viewer_team_id=None, organiser=True)
    assert found is not None
    if rebased:
        values = [p for p in found["progress"] if p["measure"] == measure["name"]]
        halfway = (measure["baseline"] + measure["target"]) / 2
        good = 1 if measure["direction"] == "up" else -1
        step = next(p["recorded_on"] for p in values if (p["value"] - halfway) * good >= 0)
        found = {**found, "change_marks": [{"measure": measure["name"], "changed_on": step,
                                            "description": "Nurse-led clinic started"}]}
    return chart_of(found, measure, name=f"{measure['name']}, {found['team']}")


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "docs")
    folder.mkdir(parents=True, exist_ok=True)
    for name, chart in demo_charts().items():
        (folder / f"{name}.svg").write_text(str(chart.svg) + "\n", encoding="utf-8")
        print(f"{folder / name}.svg: {chart.summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
