"""Pairs of people from a CSV file: columns ``a``, ``b`` and ``value``, people by id or by name.

Pair values (``pair_values``) and wanted pairs (``wanted_pairs``): each row says what
it is worth that two people meet for the first time; any real number, negative for
a pair that should rather not meet. Known pairs (``known_pairs``) have no value
column: each row is two people who already know each other. People are found
through :class:`mixer.people.PeopleIndex`.
"""

from __future__ import annotations

import math
from pathlib import Path

from mixer.constraints.base import Problem
from mixer.errors import InputError
from mixer.io.participants import text_rows
from mixer.model import PairValue
from mixer.people import PeopleIndex, fold

COLUMNS = ("a", "b", "value")


def read_pair_values(
    path: str | Path, people: PeopleIndex, what: str = "pair values", valued: bool = True
) -> tuple[tuple[PairValue, ...], list[Problem]]:
    """The pairs a file lists, and a problem (naming file and row) for each row that cannot be used.

    ``what`` names the file in messages; without ``valued`` there is no value column and
    every pair is worth 1. Raises InputError when the file cannot be read or lacks a column.
    """
    path = Path(path)
    columns = COLUMNS if valued else COLUMNS[:2]
    if not path.is_file():
        raise InputError(f"{what} file not found", where=str(path))
    rows, problems = text_rows(path)
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise InputError(f"the {what} file is empty; give columns {','.join(columns)}", where=str(path))
    header = [fold(cell) for cell in rows[0][1]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            f"the {what} file needs columns {', '.join(columns[:-1])} and {columns[-1]}; {', '.join(missing)} not found "
            f"(headings: {', '.join(rows[0][1])})",
            where=str(path),
        )
    at = {c: header.index(c) for c in columns}
    values: dict[tuple[str, str], PairValue] = {}
    for number, cells in rows[1:]:
        where = f"{path} row {number}"
        a, b, text = (cells[at[c]] if at[c] < len(cells) else "" for c in columns) if valued else (
            *(cells[at[c]] if at[c] < len(cells) else "" for c in columns), "1")
        found = [people.problem(ref, where) if ref else Problem("a person is missing", where) for ref in (a, b)]
        if any(found):
            problems += [p for p in found if p is not None]
            continue
        value = _number(text)
        if value is None:
            problems.append(Problem(f"value {text!r} is not a number", where))
            continue
        ida, idb = people.find(a)[0], people.find(b)[0]
        key = (min(ida, idb), max(ida, idb))
        if ida == idb:
            problems.append(Problem(f"{people.who(ida)} is paired with themselves", where))
        elif key in values:
            problems.append(Problem(f"the pair {people.who(ida)} and {people.who(idb)} is listed twice", where))
        else:
            values[key] = PairValue(a=key[0], b=key[1], value=value)
    return tuple(values.values()), problems


def _number(text: str) -> float | None:
    """A finite number written with a point or a decimal comma; None if it is not one."""
    try:
        value = float(text.replace(",", ".")) if text.count(",") <= 1 and "." not in text else float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
