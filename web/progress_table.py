"""Reading a CSV of measured values, as a spreadsheet saves it, and naming each
problem by the line of the file and the column it is in.

Columns ``date`` and ``value``, and optionally ``measure`` (in any order, any case;
other columns are ignored). Dates are YYYY-MM-DD or, as Excel in the UK saves them,
DD/MM/YYYY. The domain checks the values themselves (``record_progress_table``); its
problems come back named ``rows[4].value`` and are turned into "Line 6, value".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace

MAX_ROWS = 5000
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ROW = re.compile(r"rows\[(\d+)\](?:\.(\w+))?")

# (line number or None, column or None, what is wrong)
Problem = tuple[int | None, str | None, str]


@dataclass(frozen=True)
class ProgressTable:
    rows: list[tuple[str, str, str]]            # (measure, date, value) as written
    lines: list[int]                            # the file's line number of each row
    problems: list[Problem] = field(default_factory=list)

    def with_domain_problems(self, fields: dict[str, str]) -> ProgressTable:
        """The domain's ``rows[i].field`` problems, named by line instead."""
        found: list[Problem] = []
        for name, message in fields.items():
            if match := ROW.fullmatch(name):
                found.append((self.lines[int(match[1])], match[2], message))
            else:
                found.append((None, None, message))
        return replace(self, problems=found)


def read_progress_table(data: bytes, *, default_measure: str = "") -> ProgressTable:
    if not data.strip():
        return ProgressTable([], [], [(None, None, "Choose a CSV file with at least one value")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ProgressTable([], [], [(None, None, "The file is not UTF-8 text: in Excel, "
                                                   "save it as \u201cCSV UTF-8\u201d")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    missing = [c for c in ("date", "value") if c not in header]
    if missing:
        return ProgressTable([], [], [(1, None, "The first line must name the columns: "
                                                "date,value (and optionally measure)")])
    at = {name: header.index(name) for name in ("measure", "date", "value") if name in header}
    rows: list[tuple[str, str, str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                problems.append((line, None, f"Upload at most {MAX_ROWS} values at a time"))
                break
            cell = {name: (cells[i].strip() if i < len(cells) else "") for name, i in at.items()}
            measure = cell.get("measure") or default_measure
            if not measure:
                problems.append((line, "measure", "Say which measure this value is of: "
                                                  "choose one above, or add a measure column"))
            rows.append((measure, _iso(cell["date"]), cell["value"].removesuffix("%").strip()))
            lines.append(line)
    except csv.Error as error:
        problems.append((reader.line_num, None, f"The file is not a CSV file ({error})"))
    if not rows and not problems:
        problems.append((None, None, "The file has no values under its first line"))
    return ProgressTable(rows, lines, problems)


def _iso(day: str) -> str:
    if match := UK_DATE.fullmatch(day):
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    return day
