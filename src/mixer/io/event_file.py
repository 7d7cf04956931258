"""Event settings from a TOML file: name, rounds, tables, weights, rules, attendance and pair values.

Example::

    name = "Leadership cohort, day 1"
    rounds = 4

    [tables]          # balanced tables of at most 5; or `count = 10`
    size = 5

    [weights]
    level = 2.0

    [[rules]]
    kind = "keep_apart"
    people = ["p7", "Ann Lee"]

    [columns]         # which column of the participant list holds what, when its heading is not recognised
    level = "Band/Grade"

    [attendance]      # person id or name -> the rounds they attend
    "p12" = [1, 2]

    [[round_tables]]  # these rounds use their own numbered groups instead
    rounds = [1]
    size = 2          # or `count = 25`

Instead of ``[tables]``, tables may be listed one by one as ``[[tables]]``
entries with ``capacity`` and optional ``id``, ``name``, ``tags`` and ``topic``; an inline
``tables = { count = 10, size = 12 }`` means the same as the section.
``pair_values = "values.csv"`` (relative to the event file) replaces the value
of every pair (see :mod:`mixer.io.pair_values`). Also relative to the event file:
``history = ["day1-plan.json"]`` (earlier plans, as ``--history``),
``known_pairs = "already-know.csv"`` (columns a, b: these pairs count as met once
before the event) and ``wanted_pairs = "wants-offers.csv"`` (columns a, b, value:
the value is added once when a and b first meet).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError

from mixer.constraints.base import Problem
from mixer.errors import InputError
from mixer.io.messages import describe_validation_error, did_you_mean
from mixer.io.participants import MAPPABLE
from mixer.model import RoundTables, Table, Weights

KEYS = ("name", "rounds", "tables", "weights", "columns", "rules", "attendance", "pair_values", "history",
        "known_pairs", "wanted_pairs", "round_tables")
PAIR_FILES = {
    "pair_values": 'pair_values = "values.csv"',
    "known_pairs": 'known_pairs = "already-know.csv"',
    "wanted_pairs": 'wanted_pairs = "wants-offers.csv"',
}
TABLE_KEYS = tuple(Table.model_fields)
ROUND_TABLES_KEYS = tuple(RoundTables.model_fields)


class EventSettings(BaseModel):
    """What an event file says; anything it leaves out is None or empty, to come from the command line.

    ``tables`` is the explicit list of ``[[tables]]``; ``table_size`` and
    ``table_count`` come from a ``[tables]`` section. ``rules`` are kept as
    written (people may be named rather than given by id) until the event is
    assembled. ``pair_values``, ``known_pairs``, ``wanted_pairs`` and ``history``
    are files, their paths made relative to the working folder. ``source`` is the
    file the settings came from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = None
    rounds: int | None = Field(default=None, ge=1)
    table_size: int | None = Field(default=None, ge=1)
    table_count: int | None = Field(default=None, ge=1)
    tables: tuple[Table, ...] = ()
    weights: Weights = Weights()
    columns: dict[str, str] = Field(default_factory=dict)
    rules: tuple[dict[str, Any], ...] = ()
    attendance: dict[str, tuple[int, ...]] = Field(default_factory=dict)
    pair_values: Path | None = None
    known_pairs: Path | None = None
    wanted_pairs: Path | None = None
    history: tuple[Path, ...] = ()
    round_tables: tuple[RoundTables, ...] = ()
    source: str = ""


class _TableSpec(BaseModel):
    """A ``[tables]`` section."""

    model_config = ConfigDict(extra="forbid")

    count: PositiveInt | None = None
    size: PositiveInt | None = None


def read_event_settings(path: str | Path) -> EventSettings:
    """Read an event file; raises InputError listing every problem, each naming the file and key."""
    settings, problems = parse_event_settings(path)
    if problems:
        raise InputError(problems)
    return settings


def parse_event_settings(path: str | Path) -> tuple[EventSettings, list[Problem]]:
    """The settings an event file gives, leaving out any part with a problem, and the problems.

    Raises InputError only for a file that cannot be read or is not valid TOML.
    """
    path = Path(path)
    where = str(path)
    raw = _load(path)
    problems = _unknown_keys(raw, KEYS, where)
    values: dict[str, Any] = {key: raw[key] for key in ("name", "rounds") if key in raw}
    if "attendance" in raw:
        values["attendance"] = _attendance(raw["attendance"], where, problems)
    if isinstance(raw.get("weights"), dict):
        problems += _unknown_keys(raw["weights"], tuple(Weights.model_fields), where, section="weights")
        values["weights"] = {k: v for k, v in raw["weights"].items() if k in Weights.model_fields}
    elif "weights" in raw:
        values["weights"] = raw["weights"]
    if isinstance(raw.get("columns"), dict):
        problems += _unknown_keys(raw["columns"], MAPPABLE, where, section="columns")
        values["columns"] = {k: v for k, v in raw["columns"].items() if k in MAPPABLE}
    elif "columns" in raw:
        problems.append(Problem('[columns] must be a section, like: level = "Band/Grade"', where))
    if isinstance(raw.get("rules"), dict):
        problems.append(Problem("write each rule as a [[rules]] entry, with double brackets", where))
    elif "rules" in raw:
        values["rules"] = raw["rules"]
    if "tables" in raw:
        values.update(_tables(raw["tables"], where, problems))
    for key, example in PAIR_FILES.items():
        if isinstance(raw.get(key), str):
            values[key] = path.parent / raw[key]  # relative to the event file
        elif key in raw:
            problems.append(Problem(f"`{key}` must be the name of a CSV file, like {example}", where))
    if isinstance(raw.get("history"), list) and all(isinstance(p, str) for p in raw["history"]):
        values["history"] = tuple(path.parent / p for p in raw["history"])
    elif "history" in raw:
        problems.append(Problem('`history` must list earlier plan files, like history = ["day1-plan.json"]', where))
    if "round_tables" in raw:
        values["round_tables"] = _round_tables(raw["round_tables"], where, problems)
    good = {}
    for key, value in values.items():
        try:
            EventSettings(**{key: value})
        except ValidationError as exc:
            problems.append(Problem(describe_validation_error(exc), where))
        else:
            good[key] = value
    return EventSettings(**good, source=where), problems


def _unknown_keys(mapping: dict[str, Any], known: Sequence[str], where: str, section: str = "") -> list[Problem]:
    """A problem for each key not in ``known``, suggesting the closest known key."""
    problems = []
    for key in mapping:
        if key in known:
            continue
        if section and key in KEYS:
            hint = f"keys written after a [heading] belong to it; move {key!r} above the first heading"
        else:
            hint = did_you_mean(key, known)
        name = f"{section}.{key}" if section else key
        problems.append(Problem(f"unknown key {name!r}; {hint}", where))
    return problems


def _load(path: Path) -> dict[str, Any]:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", where=where) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; save the event file as UTF-8", where=where) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=where) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", str(exc), flags=re.DOTALL)
        if found:
            message, line, column = found.groups()
            where = f"{where} line {line}, column {column}"
        else:
            message = str(exc)
        raise InputError(f"not valid TOML: {message}", where=where) from None


def _attendance(raw: object, where: str, problems: list[Problem]) -> object:
    """The [attendance] section without entries that are not lists of rounds."""
    if not isinstance(raw, dict):
        return raw
    kept = {}
    for person, rounds in raw.items():
        if isinstance(rounds, list):
            kept[person] = rounds
        else:
            problems.append(Problem(f"attendance of {person!r} must be a list of rounds, like [1, 2]", where))
    return kept


def _tables(raw: object, where: str, problems: list[Problem]) -> dict[str, Any]:
    """Settings from ``[tables]`` (size and/or count) or from a list of ``[[tables]]``."""
    if isinstance(raw, dict):
        problems += _unknown_keys(raw, tuple(_TableSpec.model_fields), where, section="tables")
        try:
            spec = _TableSpec(**{k: v for k, v in raw.items() if k in _TableSpec.model_fields})
        except ValidationError as exc:
            problems.append(Problem(f"[tables] {describe_validation_error(exc)}", where))
            return {}
        if spec.size is None and spec.count is None:
            problems.append(
                Problem("[tables] needs `size` (people per table) or `count` (number of tables)", where)
            )
        return {"table_size": spec.size, "table_count": spec.count}
    if isinstance(raw, list) and all(isinstance(entry, dict) for entry in raw):
        tables = []
        for number, entry in enumerate(raw, start=1):
            problems += _unknown_keys(entry, TABLE_KEYS, where, section=f"tables[{number}]")
            fields = {"id": str(number), **{k: v for k, v in entry.items() if k in TABLE_KEYS}}
            if isinstance(fields["id"], int):
                fields["id"] = str(fields["id"])
            try:
                tables.append(Table(**fields))
            except ValidationError as exc:
                problems.append(Problem(f"[[tables]] entry {number}: {describe_validation_error(exc)}", where))
        return {"tables": tables}
    problems.append(
        Problem("`tables` must be a [tables] section with `size` or `count`, or a list of [[tables]] entries", where)
    )
    return {}


def _round_tables(raw: object, where: str, problems: list[Problem]) -> list[RoundTables]:
    """The ``[[round_tables]]`` entries that are usable; a problem for each one that is not."""
    if not (isinstance(raw, list) and all(isinstance(entry, dict) for entry in raw)):
        problems.append(Problem("write each group size as a [[round_tables]] entry with `rounds` and `size`", where))
        return []
    kept = []
    for number, entry in enumerate(raw, start=1):
        problems += _unknown_keys(entry, ROUND_TABLES_KEYS, where, section=f"round_tables[{number}]")
        try:
            kept.append(RoundTables(**{k: v for k, v in entry.items() if k in ROUND_TABLES_KEYS}))
        except ValidationError as exc:
            problems.append(Problem(f"[[round_tables]] entry {number}: {describe_validation_error(exc)}", where))
    return kept
