"""The benchmark instances: social golfers, diversity grouping (pair values) and generated cohorts with rules.

Golfer and diversity instances come from ../shared/benchmarks when it is there
(read, never copied); without it a few built-in golfer sizes stand in and the
report says so. Cohorts are generated from the sample's organisations, sectors
and levels, with rules of every kind that exists on main.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from mixer.assemble import numbered_tables
from mixer.constraints import RuleSpec
from mixer.model import Event, History, PairValue, Participant, PastMeeting, Table
from mixer.sample import sample_event, sample_participants

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"  # ../shared beside the checkout
BUILT_IN_GOLFERS = ("5-5-6", "8-4-8", "8-4-9", "8-4-10", "10-5-8")


@dataclass(frozen=True)
class Instance:
    """One event to plan, with how long each solver gets and what is known about its best plan."""

    name: str
    family: str  # sgp, mdgp or cohort
    event: Event
    time_limit: float
    known: dict[str, object] = field(default_factory=dict)


def golfer_event(tables: int, size: int, rounds: int) -> Event:
    """A social-golfer instance: tables x size people, no attributes, so every new pair is worth 1."""
    people = tuple(Participant(id=str(i), name=f"Golfer {i}") for i in range(1, tables * size + 1))
    return Event(
        name=f"golfers {tables}-{size}-{rounds}",
        participants=people,
        tables=tuple(Table(id=str(t), capacity=size) for t in range(1, tables + 1)),
        rounds=rounds,
    )


def golfers(quick: bool, shared: Path = SHARED) -> tuple[list[Instance], str]:
    """Golfer instances from sgp.csv (or built-in sizes), and where they came from."""
    sgp = shared / "benchmarks" / "sgp.csv"
    if sgp.exists():
        with sgp.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        source = "read from ../shared/benchmarks/sgp.csv"
    else:
        rows = [{"instance": key} for key in BUILT_IN_GOLFERS]
        source = "../shared/benchmarks/sgp.csv absent: built-in sizes only, no reference facts"
    if quick:
        rows = [row for row in rows if row["instance"] in ("5-5-6", "8-4-8", "10-5-6", "6-6-4")]
    found = []
    for row in rows:
        tables, size, rounds = (int(x) for x in row["instance"].split("-"))
        known = {k: row[k] for k in ("solvable_by_search", "repeats_lower_bound", "best_known_rounds") if k in row}
        found.append(Instance(row["instance"], "sgp", golfer_event(tables, size, rounds), 10.0, known))
    return found, source


def mdgp_event(path: Path) -> Event:
    """A diversity-grouping instance as a one-round event whose pair values are the instance's matrix.

    Line 1: ``n G ss sizes...``; then ``i j d`` per pair (0-based). People are "0".."n-1".
    """
    lines = path.read_text().split("\n")
    head = lines[0].split()
    n, groups = int(head[0]), int(head[1])
    values = []
    for line in lines[1:]:
        parts = line.split()
        if len(parts) == 3:
            values.append(PairValue(a=parts[0], b=parts[1], value=float(parts[2])))
    return Event(
        name=path.stem,
        participants=tuple(Participant(id=str(i), name=f"Person {i}") for i in range(n)),
        tables=tuple(Table(id=str(t), capacity=n // groups) for t in range(1, groups + 1)),
        rounds=1,
        pair_values=tuple(values),
    )


def diversity(quick: bool, shared: Path = SHARED) -> tuple[list[Instance], str]:
    """Diversity-grouping instances from ../shared (3 s each at 120 people, 1 s below), and where they came from."""
    folder = shared / "benchmarks" / "mdgp"
    if not folder.exists():
        return [], "../shared/benchmarks/mdgp absent: no diversity instances"
    best: dict[str, dict[str, str]] = {}
    if (folder / "best_known.csv").exists():
        with (folder / "best_known.csv").open(newline="") as handle:
            best = {row["instance"]: row for row in csv.DictReader(handle)}
    found = []
    for path in sorted(folder.glob("*.txt")):
        if quick and "n120" in path.name and "RanReal" not in path.name:
            continue
        event = mdgp_event(path)
        row = best.get(path.stem, {})
        known = {"best_known": float(row["best_known"])} if row.get("best_known") else {}
        found.append(Instance(path.stem, "mdgp", event, 3.0 if len(event.participants) >= 100 else 1.0, known))
    return found, "read from ../shared/benchmarks/mdgp (best values from its best_known.csv)"


def cohort_event(people: int, table_size: int, rounds: int) -> Event:
    """A cohort of the sample's organisations, sectors and levels, with a rule of each kind."""
    participants = tuple(sample_participants(n=people, seed=people))
    ids = [p.id for p in participants]
    tables = numbered_tables(people, table_size=table_size)
    raw: list[dict[str, object]] = [
        {"kind": "keep_apart", "people": ids[0:3]},
        {"kind": "keep_together", "people": ids[3:5]},
        {"kind": "cap", "attribute": "organisation", "max": 2},
        {"kind": "pin", "person": ids[5], "table": tables[0].id},
        {"kind": "host", "person": ids[6]},
        {"kind": "at_least", "attribute": "level", "value": "executive"},
    ]
    rules = tuple(_rules(raw))
    return Event(name=f"cohort {people}", participants=participants, tables=tables, rounds=rounds, rules=rules)


def world_cafe_event(tables: int, size: int, rounds: int) -> Event:
    """A World Café: a host staying at each of ``tables`` themed tables of ``size``, everyone else never back at a table."""
    participants = tuple(sample_participants(n=tables * size, seed=tables * size))
    themed = tuple(Table(id=f"T{t}", name=f"Table {t}", capacity=size, topic=f"Topic {t}") for t in range(1, tables + 1))
    raw: list[dict[str, object]] = [{"kind": "host", "person": participants[t].id, "table": themed[t].id}
                                    for t in range(tables)]
    raw.append({"kind": "new_table"})
    return Event(name=f"World Café {len(participants)}", participants=participants, tables=themed, rounds=rounds,
                 rules=tuple(_rules(raw)))


def day_two_event(people: int = 46, size: int = 5, rounds: int = 4) -> Event:
    """Day 2 of a cohort whose day 1 (``rounds`` rounds, no repeats) is its history, under a hard organisation
    cap of 1 and a rule of each other kind.

    Day 1 is a fixed grid, not a solver's plan, so the instance stays the same
    whatever the solvers do: with the people in rows of ``g`` (the tables),
    person ``j`` of row ``c`` sits at table ``j + r * c`` (mod g) in round r.
    """
    participants = tuple(sample_participants(n=people, seed=people))
    ids = [p.id for p in participants]
    tables = numbered_tables(people, table_size=size)
    g = len(tables)
    met: Counter[tuple[str, str]] = Counter()
    for r in range(rounds):
        seated: dict[int, list[str]] = {}
        for i, pid in enumerate(ids):
            seated.setdefault((i % g + r * (i // g)) % g, []).append(pid)
        met.update(tuple(sorted(pair)) for group in seated.values() for pair in combinations(group, 2))
    history = History(meetings=tuple(PastMeeting(a=a, b=b, times=n) for (a, b), n in sorted(met.items())))
    raw: list[dict[str, object]] = [
        {"kind": "cap", "attribute": "organisation", "max": 1},
        {"kind": "keep_together", "people": ids[3:5]},
        {"kind": "keep_apart", "people": ids[0:3]},
        {"kind": "host", "person": ids[6]},
        {"kind": "pin", "person": ids[5], "table": tables[0].id},
    ]
    return Event(name=f"day 2 of {people}", participants=participants, tables=tables, rounds=rounds,
                 rules=tuple(_rules(raw)), history=history)


def _rules(raw: list[dict[str, object]]) -> list[object]:
    """The rules among ``raw`` whose kind exists on this version of mixer."""
    from pydantic import TypeAdapter, ValidationError

    adapter: TypeAdapter[object] = TypeAdapter(RuleSpec)
    kept = []
    for spec in raw:
        try:
            kept.append(adapter.validate_python(spec))
        except ValidationError:
            continue  # a kind this version does not have yet
    return kept


def cohorts(quick: bool) -> list[Instance]:
    """The sample cohort, and generated cohorts of 24 to 2,000 people."""
    found = [Instance("sample cohort 50, tables of 5, 4 rounds", "cohort", sample_event(), 10.0)]
    sizes = [(24, 4, 4, 5.0), (50, 5, 6, 10.0), (120, 6, 5, 10.0)]
    if not quick:
        sizes += [(500, 8, 6, 60.0), (2000, 10, 5, 120.0)]
    for people, size, rounds, limit in sizes:
        found.append(
            Instance(f"cohort {people}, tables of {size}, {rounds} rounds", "cohort", cohort_event(people, size, rounds),
                     limit)
        )
    found += [
        Instance("World Café 36: 6 hosted tables of 6, 5 rounds", "cohort", world_cafe_event(6, 6, 5), 10.0),
        Instance("World Café 49: 7 hosted tables of 7, 5 rounds", "cohort", world_cafe_event(7, 7, 5), 10.0),
        Instance("day 2 of 46 with day 1 as history, tables of 5, 4 rounds, organisation cap 1", "cohort",
                 day_two_event(), 10.0),
    ]
    return found
