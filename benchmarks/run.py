"""Run every solver on a few instances and write benchmarks/REPORT.md.

Usage: python benchmarks/run.py [--time-limit S] [--seed N] [--quick]

Instances: the built-in sample cohort, random health-and-care cohorts at several
sizes, and social-golfer instances (all pairs worth the same). Where
../shared/benchmarks/sgp.csv is present, its known facts (whether zero repeats
is possible, the repeats lower bound) are shown beside each golfer instance;
when it is absent the report says so.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from mixer.io.atomic import write_atomically
from mixer.assemble import numbered_tables
from mixer.model import Event, Participant, Table
from mixer.sample import sample_event, sample_participants
from mixer.scoring import score_plan
from mixer.solvers import resolve_solver, solve

HERE = Path(__file__).resolve().parent
SHARED_SGP = HERE.parent.parent / "shared" / "benchmarks" / "sgp.csv"
REPORT = HERE / "REPORT.md"


@dataclass(frozen=True)
class Instance:
    name: str
    event: Event
    solvers: tuple[str, ...]
    known: str = ""


def golfer_event(tables: int, size: int, rounds: int) -> Event:
    """A social-golfer instance: tables x size people, no attributes, so every new pair is worth 1."""
    people = tuple(Participant(id=str(i), name=f"Golfer {i}") for i in range(1, tables * size + 1))
    return Event(
        name=f"golfers {tables}-{size}-{rounds}",
        participants=people,
        tables=tuple(Table(id=str(t), capacity=size) for t in range(1, tables + 1)),
        rounds=rounds,
    )


def cohort_event(people: int, table_size: int, rounds: int) -> Event:
    """A cohort of the sample's organisations, sectors and levels at another size."""
    participants = tuple(sample_participants(n=people, seed=people))
    tables = numbered_tables(people, table_size=table_size)
    return Event(name=f"cohort {people}", participants=participants, tables=tables, rounds=rounds)


def known_golfer_facts() -> dict[str, str]:
    """instance -> what the literature says about it, from ../shared when present."""
    if not SHARED_SGP.exists():
        return {}
    facts = {}
    with SHARED_SGP.open(newline="") as handle:
        for row in csv.DictReader(handle):
            possible = "zero repeats possible" if row["solvable_by_search"] == "yes" else "zero repeats impossible"
            facts[row["instance"]] = f"{possible}; repeats >= {row['repeats_lower_bound']}"
    return facts


def instances(quick: bool) -> list[Instance]:
    facts = known_golfer_facts()
    both = ("greedy", "cpsat", "local")
    found = [Instance("sample cohort 50, tables of 5, 4 rounds", sample_event(), both)]
    for tables, size, rounds in [(5, 5, 6), (8, 4, 8), (10, 5, 6), (6, 6, 4)]:
        key = f"{tables}-{size}-{rounds}"
        found.append(Instance(f"golfers {key}", golfer_event(tables, size, rounds), both, facts.get(key, "")))
    if not quick:
        for tables, size, rounds in [(8, 4, 10), (10, 5, 8), (8, 6, 6)]:
            key = f"{tables}-{size}-{rounds}"
            found.append(Instance(f"golfers {key}", golfer_event(tables, size, rounds), ("greedy", "local"),
                                  facts.get(key, "")))
        found.append(Instance("cohort 120, tables of 6, 5 rounds", cohort_event(120, 6, 5), both))
        found.append(Instance("cohort 500, tables of 5, 5 rounds", cohort_event(500, 5, 5), ("greedy", "local")))
        found.append(Instance("cohort 2000, tables of 5, 4 rounds", cohort_event(2000, 5, 4), ("greedy", "local")))
    return found


def run(instance: Instance, solver: str, time_limit: float, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    plan = solve(instance.event, solver=solver, time_limit=time_limit, seed=seed)
    seconds = time.perf_counter() - started
    score = score_plan(plan)
    return {
        "instance": instance.name,
        "people": len(instance.event.participants),
        "solver": resolve_solver(solver, instance.event),
        "violations": score.total_violations,
        "repeats": score.repeats,
        "repeats_lb": score.bounds.repeats_lower_bound,
        "value": score.value,
        "value_ub": score.bounds.value_upper_bound,
        "gap_pct": 100 * (score.bounds.value_upper_bound - score.value) / max(score.bounds.value_upper_bound, 1e-9),
        "min_new": score.min_new_met,
        "seconds": seconds,
        "status": plan.metadata.status,
        "known": instance.known,
    }


def report(rows: list[dict[str, object]], args: argparse.Namespace) -> str:
    shared = "read from ../shared/benchmarks/sgp.csv" if SHARED_SGP.exists() else "not found (../shared/benchmarks/sgp.csv absent)"
    lines = [
        "# Benchmark report",
        "",
        f"Written by `make bench` (`python benchmarks/run.py`) on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; "
        f"Python {platform.python_version()}, {platform.machine()}; time limit {args.time_limit:g} s per run, seed {args.seed}.",
        f"Reference facts for golfer instances: {shared}.",
        "",
        "Value is the sum of the values of distinct new pairs (mixer's scoring); its upper bound and the",
        "repeats lower bound are mixer's counting bounds, so the gap is an honest upper limit on what is missed.",
        "",
        "| instance | people | solver | violations | repeats (lower bound) | value / upper bound (gap) | min new met | seconds | status | known |",
        "|---|---:|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['instance']} | {r['people']} | {r['solver']} | {r['violations']} | {r['repeats']} ({r['repeats_lb']}) "
            f"| {r['value']:g} / {r['value_ub']:g} ({r['gap_pct']:.1f}%) | {r['min_new']} | {r['seconds']:.2f} "
            f"| {r['status']} | {r['known']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="small instances only")
    parser.add_argument("--out", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    rows = []
    for instance in instances(args.quick):
        for solver in instance.solvers:
            row = run(instance, solver, args.time_limit, args.seed)
            rows.append(row)
            print(
                f"{row['instance']:<42} {row['solver']:<7} repeats {row['repeats']} (lb {row['repeats_lb']})  "
                f"value {row['value']:g}/{row['value_ub']:g}  {row['seconds']:.1f}s",
                file=sys.stderr,
            )
    write_atomically(args.out, report(rows, args))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
