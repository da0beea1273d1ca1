"""Draw the README's chart pictures from the demo community.

    python -m web.pictures docs/

Loads the demo (seed 2012) into a throwaway SQLite store and draws two measures the
way the QIP page does: a run chart (fewer than 15 values) and an XmR (SPC) chart.
The pictures in the README are these files, so they always show what the code draws.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from community import Community
from community.demo import PARTICIPANT_EMAIL, load_demo
from config import Settings
from domain.ids import member_id_for
from web.charts import Chart, chart_of


def demo_charts() -> dict[str, Chart]:
    """{"run-chart": …, "spc-chart": …} from the demo's QIPs."""
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
    participant = str(member_id_for(PARTICIPANT_EMAIL))
    improving = [(row, m) for row in rows for m in row["measures"] if m["improved"]]
    # The participant's own plan has two years of data: the SPC chart. The run chart
    # is the improving measure with the most values short of an XmR chart's 15.
    spc = next((r, m) for r, m in improving if r["owner_id"] == participant)
    run = min(((r, m) for r, m in improving if m["points"] < 15),
              key=lambda found: (-found[1]["points"], found[0]["title"]))
    return {"run-chart": _chart(app, *run), "spc-chart": _chart(app, *spc)}


def _chart(app: Community, row: dict, measure: dict) -> Chart:  # type: ignore[type-arg]
    found = app.views.library.qip(row["id"], viewer_team_id=None, organiser=True)
    assert found is not None
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
