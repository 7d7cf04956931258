"""Check-in sheets: a list to tick at the door on the day, read back to re-solve for who is here.

``write_checkin`` writes one row per person (id, name, organisation and an
empty ``present`` column), sorted by name, then empty rows for walk-ins.
``read_checkin`` reads the sheet back from CSV or Excel: ``present`` as yes, y,
1, x (or a tick) means here; empty, no, n or 0 means absent; a walk-in row with
a name adds a person. Every problem names the sheet and the row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mixer.constraints.base import Problem
from mixer.errors import InputError
from mixer.io.atomic import write_atomically
from mixer.io.participants import HEADINGS, read_rows
from mixer.model import Event, Participant
from mixer.people import PeopleIndex, fold

COLUMNS = ("id", "name", "organisation", "present")
PRESENT = {"yes", "y", "1", "x", "true", "present", "here", "✓", "✔"}
ABSENT = {"", "no", "n", "0", "false", "absent"}
FORMULA_STARTS = ("=", "+", "-", "@")
WALK_IN_ROWS = 10


@dataclass(frozen=True)
class CheckIn:
    """A sheet read back: ids of the people ticked present, the walk-ins, and warnings."""

    present: tuple[str, ...]
    walk_ins: tuple[Participant, ...]
    warnings: tuple[Problem, ...] = ()


def checkin_text(event: Event, walk_in_rows: int = WALK_IN_ROWS) -> str:
    """The sheet as CSV text (UTF-8 with a byte-order mark, so Excel shows accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for p in sorted(event.participants, key=lambda p: (fold(p.name), p.id)):
        writer.writerow([_cell(p.id), _cell(p.name), _cell(p.organisation or ""), ""])
    for _ in range(walk_in_rows):
        writer.writerow(["", "", "", ""])
    return "\ufeff" + out.getvalue()


def write_checkin(event: Event, path: str | Path, walk_in_rows: int = WALK_IN_ROWS) -> None:
    write_atomically(path, checkin_text(event, walk_in_rows))


def read_checkin(path: str | Path, event: Event) -> CheckIn:
    """Read a filled sheet; InputError lists every row that cannot be read, each by its number."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", where=str(path))
    rows, warnings = read_rows(path)
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise InputError("the check-in sheet is empty", where=str(path))
    (header_row, header), data = rows[0], rows[1:]
    column = _columns(header, f"{path.name} row {header_row}")
    index = PeopleIndex(event.participants)
    problems: list[Problem] = []
    present: dict[str, int] = {}
    walk_ins: list[Participant] = []
    for number, cells in data:
        at = f"{path.name} row {number}"

        def cell(name: str) -> str:
            i = column.get(name)
            return _uncell(cells[i]) if i is not None and i < len(cells) else ""

        mark = fold(cell("present"))
        if mark not in PRESENT | ABSENT:
            problems.append(Problem(f"present is {cell('present')!r}: write yes (or y, 1, x) or leave it empty", at))
            continue
        here = mark in PRESENT
        if cell("id"):
            pid = _person(index, cell("id"), at, problems)
            if pid is None:
                continue
            if pid in present:
                problems.append(Problem(f"{index.who(pid)} is also on row {present[pid]}", at))
            elif here:
                present[pid] = number
        elif cell("name"):
            if here or not mark:  # a walk-in crossed out with "no" did not come after all
                walk_ins.append(Participant(id=f"walk-in {number}", name=cell("name"),
                                            organisation=cell("organisation") or None))
        elif here or cell("organisation"):
            problems.append(Problem("this row has no id and no name: write the walk-in's name, or clear the row", at))
    if problems:
        raise InputError(problems)
    if not present and not walk_ins:
        raise InputError("nobody is ticked present: write yes (or y, 1, x) in the present column for everyone here",
                         where=str(path))
    return CheckIn(tuple(present), tuple(walk_ins), tuple(warnings))


def _columns(header: list[str], at: str) -> dict[str, int]:
    """Column of each of id, name, organisation and present; the sheet needs present and an id or name."""
    keys = {"present": ("present", "here", "attended", "checkedin")} | {f: HEADINGS[f] for f in COLUMNS[:3]}
    column: dict[str, int] = {}
    for i, heading in enumerate(header):
        for field, known in keys.items():
            if _key(heading) in known:
                column.setdefault(field, i)
    if "present" not in column or not ({"id", "name"} & set(column)):
        found = ", ".join(repr(h) for h in header if h)
        raise InputError(f"not a check-in sheet: expected the headings {', '.join(COLUMNS)}, found {found}; "
                         "write one with mixer attendance PLAN -o sheet.csv", where=at)
    return column


def _key(heading: str) -> str:
    """A heading as compared: case, accents, spaces and punctuation ignored."""
    return "".join(ch for ch in fold(heading) if ch.isalnum())


def _person(index: PeopleIndex, ref: str, at: str, problems: list[Problem]) -> str | None:
    problem = index.problem(ref, at)
    if problem is not None:
        problems.append(problem)
        return None
    return index.find(ref)[0]


def _cell(text: str) -> str:
    """A cell Excel will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
