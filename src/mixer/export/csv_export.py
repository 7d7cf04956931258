"""The plan as a spreadsheet: one row per person per round, or one row per person (``wide``).

UTF-8 with a byte-order mark, so Excel shows accents and other scripts; a cell a spreadsheet
could run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io

from mixer.export.seating import PlanView, Selection
from mixer.io.participants import starts_formula

LONG_HEADER = ("id", "name", "organisation", "round", "table", "table_id", "topic")


def safe_cell(value: object) -> str:
    """A cell's text, neutralised against formula injection."""
    text = "" if value is None else str(value)
    return "'" + text if starts_formula(text) else text


def plan_csv(view: PlanView, selection: Selection = Selection(), wide: bool = False) -> str:
    """The CSV text (without the byte-order mark) of the selected people's seating, sorted by name."""
    people = [p for p in view.people() if selection.has_person(p.id)]
    if wide:
        header = ["id", "name", "organisation", *(f"Round {r}" for r in range(1, view.rounds + 1))]
        rows = [
            [p.id, p.name, p.organisation, *(t.display_name if t else "" for t in view.seats(p.id))] for p in people
        ]
    else:
        header = list(LONG_HEADER)
        rows = [
            [p.id, p.name, p.organisation, r, t.display_name if t else "", t.id if t else "", t.topic if t else ""]
            for p in people
            for r, t in enumerate(view.seats(p.id), start=1)
        ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
