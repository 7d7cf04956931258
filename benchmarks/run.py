"""Run every solver on the benchmark instances, keep each run as JSON, and write the report.

Usage: python benchmarks/run.py [--quick] [--seeds N] [--jobs N] [--only TEXT] [--solvers a,b] [--stop-at HH:MM]

Each run (instance, solver, seed) happens in its own forked process, so its peak
memory is its own; its progress reports give the time to the first plan and to
the best one; the lines ``auto`` runs side by side count in its CPU time (its peak
memory is the largest line's), and it gets the cores for them. Runs land in
benchmarks/results/<full|quick>/ (git-ignored); the full suite then rewrites
benchmarks/REPORT.md, the quick one results/quick/REPORT.md.
Solver names come from ``solver_names()``, so solvers added later are benchmarked too.
Before the solver runs, the start-up of ``mixer --help`` and ``mixer check`` is timed
(:mod:`startup`), while nothing else runs; it is kept beside the runs as startup.json. The full
suite (without ``--only``) then times the re-solve case (:mod:`resolve_day`), kept as resolve.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.connection
import re
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

from instances import SHARED, Instance, cohorts, diversity, golfers
from report import RESOLVE_FILE, STARTUP_FILE, write_report
from resolve_day import resolve_case
from startup import startup_case

from mixer.scoring import score_plan
from mixer.solvers import AUTO, Progress, solve, solver_names
from mixer.solvers.side_by_side import default_processes

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
QUICK_LIMIT = 3.0  # seconds per run in the quick suite
SINGLE_SEED_ABOVE = 400  # people: the largest cohorts run one seed only, to keep the suite under half an hour

_INSTANCES: list[Instance] = []  # read by forked workers
_PROCESSES = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)  # a run's own, and its side-by-side lines'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few small instances, one seed, 3 s each (about 2 minutes)")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per instance and solver (default 3; quick 1)")
    parser.add_argument("--jobs", type=int, default=1, help="runs at once (default 1: timings undisturbed)")
    parser.add_argument("--only", default="", help="only instances whose name contains this text")
    parser.add_argument("--solvers", default="", help="comma-separated solvers (default: every registered one)")
    parser.add_argument("--shared", type=Path, default=SHARED, help="reference data folder (default ../shared)")
    parser.add_argument("--stop-at", default="", help="HH:MM (machine clock): start no run after this; report what ran")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the stored runs")
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    folder = RESULTS / mode
    folder.mkdir(parents=True, exist_ok=True)
    sgp, sgp_source = golfers(args.quick, args.shared)
    mdgp, mdgp_source = diversity(args.quick, args.shared)
    _INSTANCES[:] = [i for i in [*cohorts(args.quick), *sgp, *mdgp] if args.only in i.name]
    _INSTANCES.sort(key=lambda i: len(i.event.participants) >= SINGLE_SEED_ABOVE)  # the longest runs last
    solvers = args.solvers.split(",") if args.solvers else solver_names()
    seeds = args.seeds or (1 if args.quick else 3)
    if not args.report_only:
        (folder / STARTUP_FILE).write_text(json.dumps(startup_case(), indent=1))
        if not args.quick and not args.only:
            (folder / RESOLVE_FILE).write_text(json.dumps([resolve_case(seed) for seed in range(seeds)], indent=1))
        jobs = [
            (k, solver, seed, QUICK_LIMIT if args.quick else None)
            for k, instance in enumerate(_INSTANCES)
            for seed in range(1, (1 if len(instance.event.participants) >= SINGLE_SEED_ABOVE else seeds) + 1)
            for solver in solvers
        ]
        skipped = _run_all(jobs, folder, args.jobs, args.stop_at)
    sources = {"sgp": sgp_source, "mdgp": mdgp_source, "jobs": args.jobs, "mode": mode,
               "skipped": 0 if args.report_only else skipped}
    out = HERE / "REPORT.md" if mode == "full" else folder / "REPORT.md"
    write_report(folder, out, sources)
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _run_all(jobs: list[tuple[int, str, int, float | None]], folder: Path, parallel: int, stop_at: str) -> int:
    """Each job in a fresh forked process, in order, as many at once as ``parallel`` cores allow (a job takes as
    many as the processes its solver runs side by side, and runs alone if that is more); none started after
    ``stop_at``. Returns how many were not started."""
    _warm_up()
    context = multiprocessing.get_context("fork")
    waiting, running, skipped = list(jobs), {}, 0
    while waiting or running:
        while waiting and (not running or sum(running.values()) + _cores(waiting[0]) <= parallel):
            job = waiting.pop(0)
            reader, writer = context.Pipe(duplex=False)
            context.Process(target=_job_process, args=(job, stop_at, writer)).start()  # not daemonic: auto forks
            writer.close()
            running[reader] = _cores(job)
        for reader in multiprocessing.connection.wait(list(running)):
            del running[reader]
            try:
                row = reader.recv()
            except EOFError:  # it failed: not one of the runs --stop-at skipped
                print("a run ended without a result (see above)", file=sys.stderr)
                continue
            if row is None:
                skipped += 1
                continue
            (folder / f"{_slug(row)}.json").write_text(json.dumps(row, indent=1))
            print(
                f"{row['instance']:<42} {row['solver']:<9} seed {row['seed']}  repeats {row['repeats']} "
                f"(lb {row['repeats_lb']})  value {row['value']:g}/{row['value_ub']:g}  "
                f"first {row['time_to_first']}s best {row['time_to_best']}s total {row['seconds']:.1f}s "
                f"(CPU {row['cpu_s']:.1f}s)",
                file=sys.stderr,
            )
    return skipped


def _cores(job: tuple[int, str, int, float | None]) -> int:
    """Cores a job keeps busy: the processes its solver runs side by side."""
    k, solver, _, limit = job
    return default_processes(_limit(k, limit)) if solver == AUTO else 1


def _limit(k: int, limit: float | None) -> float:
    return min(limit, _INSTANCES[k].time_limit) if limit else _INSTANCES[k].time_limit


def _job_process(job: tuple[int, str, int, float | None], stop_at: str, writer) -> None:  # type: ignore[no-untyped-def]
    writer.send(_run_one(job, stop_at))


def _too_late(stop_at: str) -> bool:
    return bool(stop_at) and datetime.now().strftime("%H:%M") >= stop_at


def _warm_up() -> None:
    """Run each solver for a moment where it has work to do, so libraries are loaded and code compiled
    once, in the parent, before the timed runs are forked from it."""
    from instances import golfer_event

    for solver in solver_names():
        solve(golfer_event(8, 4, 10), solver=solver, time_limit=1.0, seed=0)


def _run_one(job: tuple[int, str, int, float | None], stop_at: str) -> dict[str, object] | None:
    """One solve, scored, with its progress trace; None if it is past ``stop_at``."""
    if _too_late(stop_at):
        return None
    k, solver, seed, limit = job
    instance = _INSTANCES[k]
    limit = _limit(k, limit)
    trace: list[tuple[float, int, int, float]] = []

    def listen(progress: Progress) -> None:
        best = progress.best
        if best is None:
            return
        point = (progress.elapsed, int(best["total_violations"]), int(best["repeats"]), float(best["value"]))
        if not trace or (point[1], point[2], -point[3]) < (trace[-1][1], trace[-1][2], -trace[-1][3]):
            trace.append(point)

    started, cpu = time.perf_counter(), _cpu_seconds()
    plan = solve(instance.event, solver=solver, time_limit=limit, seed=seed, progress=listen)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    score = score_plan(plan)
    final = (score.total_violations, score.repeats, -score.value)
    reached = [t for t, v, r, val in trace if (v, r, -val) <= final]
    upper = score.bounds.value_upper_bound
    return {
        "instance": instance.name,
        "family": instance.family,
        "people": len(instance.event.participants),
        "tables": len(instance.event.tables),
        "rounds": instance.event.rounds,
        "rules": sorted({r.kind for r in instance.event.rules}),
        "solver": solver,
        "ran": plan.metadata.solver,
        "seed": seed,
        "time_limit": limit,
        "violations": score.total_violations,
        "repeats": score.repeats,
        "repeats_lb": score.bounds.repeats_lower_bound,
        "value": score.value,
        "value_ub": upper,
        "gap_pct": round(100 * (upper - score.value) / upper, 3) if upper > 0 else 0.0,
        "min_new": score.min_new_met,
        "time_to_first": round(trace[0][0], 3) if trace else None,
        "time_to_best": round(reached[0], 3) if reached else round(seconds, 3),
        "seconds": round(seconds, 3),
        "cpu_s": round(cpu, 3),
        "peak_mb": round(max(resource.getrusage(who).ru_maxrss for who in _PROCESSES) / 1024, 1),
        "status": plan.metadata.status,
        "optimal": plan.metadata.optimal,
        "notes": list(plan.metadata.notes),
        "trace": [[round(t, 3), v, r, val] for t, v, r, val in trace],
        "known": instance.known,
    }


def _cpu_seconds() -> float:
    """CPU time this process and the lines it ran side by side have used (user and system); well below the wall
    time when others load the machine."""
    return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, _PROCESSES))


def _slug(row: dict[str, object]) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{row['family']}-{row['instance']}-{row['solver']}-s{row['seed']}")


if __name__ == "__main__":
    raise SystemExit(main())
