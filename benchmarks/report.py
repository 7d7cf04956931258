"""Turn the stored benchmark runs into REPORT.md (tables, targets) and a plot of quality against time.

The median of a solver's seeds is its middle run by mixer's order (violations,
repeats, then value); times are the medians of the seeds' times.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from mixer.io.atomic import write_atomically

PLOT_INSTANCES = ("sample cohort 50, tables of 5, 4 rounds", "8-4-10")
CPSAT_TARGETS = ("cohort 50, tables of 5, 6 rounds", "8-4-9", "10-5-8")
STARTUP_FILE = "startup.json"  # benchmarks/startup.py's figures, beside the runs
RESOLVE_FILE = "resolve.json"  # benchmarks/resolve_day.py's cases, beside the runs
TABU_NOTE = re.compile(r"tabu search: (\d+) swaps made, (\d+) priced")
LINES_NOTE = re.compile(r"(\d+) lines side by side: ")

Run = dict[str, object]


def write_report(folder: Path, out: Path, sources: dict[str, object]) -> None:
    runs = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json")) if p.name not in (STARTUP_FILE, RESOLVE_FILE)]
    groups: dict[tuple[str, str], list[Run]] = defaultdict(list)
    for run in runs:
        groups[str(run["instance"]), str(run["solver"])].append(run)
    header = _header(runs, sources)  # before the plot is written, so the commit reads clean when it is
    plot = _plot(groups, out.parent / "quality-vs-time.png")
    lines = [
        "# Benchmark report",
        "",
        *header,
        "",
        "## Targets",
        "",
        *_targets(groups),
        *_startup(folder / STARTUP_FILE),
        "",
        *_resolve(folder / RESOLVE_FILE),
    ]
    if plot:
        lines += ["## Quality against time", "", f"![quality against time]({plot.name})", "",
                  "Best plan so far as each solver reported it (the seed with the median result); the sample cohort",
                  "by its value gap, 8-4-10 by its repeats.", ""]
    for family, title in (("sgp", "Social golfers"), ("mdgp", "Diversity grouping (pair values, one round)"),
                          ("cohort", "Cohorts with rules")):
        lines += _family_table(groups, family, title)
    lines += _search_speed(groups)
    write_atomically(out, "\n".join(lines) + "\n")


def _header(runs: list[Run], sources: dict[str, object]) -> list[str]:
    seeds = sorted({int(r["seed"]) for r in runs})
    return [
        f"Written by `make bench` (`benchmarks/run.py`, {sources['mode']} suite) on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC from commit {_commit()}.",
        f"Machine: {_machine()}; Python {platform.python_version()}. {sources['jobs']} run(s) at a time, each in its own "
        f"process; seeds {', '.join(map(str, seeds)) or '-'} (the 500- and 2,000-person cohorts one seed).",
        f"Social golfers: {sources['sgp']}. Diversity instances: {sources['mdgp']}.",
        *([f"{sources['skipped']} runs were not started: the time set with `--stop-at` had passed."]
          if sources.get("skipped") else []),
        "",
        "Per run: repeats (with mixer's lower bound), value (the sum of the values of distinct new pairs, less",
        "soft-rule costs) against mixer's counting upper bound (the gap is an honest upper limit on what is",
        "missed), time to the first plan and to the best plan (from the progress reports; the best plan's time",
        "is the run's end when the solver did not report it), the CPU time the run got (well below its total",
        "when other work loads the machine), and peak memory of the run's process.",
        *_lines_note(runs),
        "Figures are medians over seeds; ranges are min-max.",
    ]


def _lines_note(runs: list[Run]) -> list[str]:
    """What the report says of ``auto``'s lines side by side, if it ran any."""
    lines = sorted({int(m[1]) for r in runs if r["solver"] == "auto" for n in r["notes"] if (m := LINES_NOTE.match(n))})
    if not lines:
        return []
    return [f"`auto` ran {' or '.join(map(str, lines))} lines side by side (one process each, on its own cores) where its "
            "time limit was 2 s or more; its CPU time counts every line, its peak memory is the largest line's."]


def _commit() -> str:
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = f", {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = ""
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{memory}" + (f" ({model})" if model else "")


def _key(run: Run) -> tuple[int, int, float]:
    return (int(run["violations"]), int(run["repeats"]), -float(run["value"]))


def _median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=_key)
    return ordered[(len(ordered) - 1) // 2]


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def _range(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _solvers(groups: dict[tuple[str, str], list[Run]], instance: str) -> list[str]:
    return [solver for (name, solver) in groups if name == instance]


def _targets(groups: dict[tuple[str, str], list[Run]]) -> list[str]:
    lines = []
    by_instance: dict[str, dict[str, Run]] = defaultdict(dict)
    for (name, solver), runs in groups.items():
        by_instance[name][solver] = _median_run(runs)
    solvers = list(dict.fromkeys(solver for (_, solver) in groups))
    sgp = {n: s for n, s in by_instance.items() if next(iter(s.values()))["family"] == "sgp"}
    solvable = [n for n, s in sgp.items() if next(iter(s.values()))["known"].get("solvable_by_search") == "yes"]
    if solvable:
        lines.append(f"- Golfer instances where zero repeats is known possible ({len(solvable)}), at 0 repeats (median of seeds) within 10 s:")
        for solver in solvers:
            zero = [n for n in solvable if solver in sgp[n] and sgp[n][solver]["repeats"] == 0]
            missed = [f"{n} ({sgp[n][solver]['repeats']})" for n in solvable if solver in sgp[n] and sgp[n][solver]["repeats"] > 0]
            lines.append(f"  - `{solver}`: {len(zero)} of {len(solvable)}" + (f"; not: {', '.join(missed)}" if missed else ""))
    impossible = [n for n, s in sgp.items() if next(iter(s.values()))["known"].get("solvable_by_search") == "no"]
    for name in impossible:
        first = next(iter(sgp[name].values()))
        lb = int(first["known"].get("repeats_lower_bound") or 0)
        got = ", ".join(f"`{solver}` {run['repeats']}" for solver, run in sgp[name].items())
        ours = int(first["repeats_lb"])
        proven = f"; mixer's lower bound, proven for every plan, is {ours}" if ours > lb else ""
        lines.append(f"- {name} (zero impossible; at most {lb} + 10% = {lb * 1.1:g} wanted{proven}): {got}")
    mdgp = {n: s for n, s in by_instance.items() if next(iter(s.values()))["family"] == "mdgp"}
    for name, solver_runs in mdgp.items():
        best = next(iter(solver_runs.values()))["known"].get("best_known")
        if best:
            got = ", ".join(f"`{solver}` {100 * float(run['value']) / float(best):.2f}%" for solver, run in solver_runs.items())
            lines.append(f"- {name}: value as a share of the best known ({best:g}): {got}")
    for name in CPSAT_TARGETS:
        runs = by_instance.get(name, {})
        if "cpsat" in runs and "local" in runs:
            cp, lo = runs["cpsat"], runs["local"]
            verdict = "matches or beats" if _key(cp) <= _key(lo) else "falls short of"
            lines.append(
                f"- `cpsat` {verdict} `local` on {name}: {cp['repeats']} repeats, value {cp['value']:g} against "
                f"{lo['repeats']} repeats, value {lo['value']:g}"
            )
    if "auto" in solvers:
        beaten = []
        for name, solver_runs in by_instance.items():
            if "auto" in solver_runs:
                best_other = min((r for s, r in solver_runs.items() if s != "auto"), key=_key, default=None)
                if best_other is not None and _key(solver_runs["auto"]) > _key(best_other):
                    beaten.append(f"{name} (by `{best_other['solver']}`)")
        total = sum("auto" in s for s in by_instance.values())
        lines.append(f"- `auto` at least as good as every other solver (median of seeds) on {total - len(beaten)} of "
                     f"{total} instances" + (f"; beaten on {', '.join(beaten)}" if beaten else ""))
    return lines or ["- (no runs)"]


def _startup(path: Path) -> list[str]:
    """The start-up target's line, when the start-up was timed."""
    if not path.exists():
        return []
    figures = json.loads(path.read_text())
    target = float(figures["target_s"])
    walls = [float(figures[f"{name}_wall_s"]) for name in ("help", "check")]
    return [
        f"- Start-up, median of {figures['runs']} runs (wall; CPU in brackets): `mixer --help` "
        f"{figures['help_wall_s']} s ({figures['help_cpu_s']} s), `mixer check` on {figures['people']} people "
        f"{figures['check_wall_s']} s ({figures['check_cpu_s']} s); target each under {target:g} s: "
        + ("met" if max(walls) < target else "not met")
    ]


def _resolve(path: Path) -> list[str]:
    """The re-solve section, when the re-solve case ran (benchmarks/resolve_day.py)."""
    if not path.exists():
        return []
    cases = json.loads(path.read_text())
    lines = [
        "## Re-solve on the day",
        "",
        f"The sample cohort planned (`auto`, 5 s), then re-solved after round 1 with five people absent (picked by the "
        f"seed) and two walk-ins, {cases[0]['time_limit']:g} s limit (`benchmarks/resolve_day.py`). "
        f"Targets (first plan under 1 s, 0 repeats, 0 violations, under a quarter of the seats moved): "
        + ("met in every case." if all(c["targets_met"] for c in cases) else "not met in every case."),
        "",
        "| seed | first plan s | final plan s | repeats | violations | value | seats moved (of those after round 1) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cases:
        lines.append(f"| {c['seed']} | {c['first_plan_s']:.2f} | {c['final_plan_s']:.2f} | {c['repeats']} "
                     f"| {c['violations']} | {c['value']:g} | {c['moved_seats']} of {c['remaining_seats']} |")
    return lines + [""]


def _search_speed(groups: dict[tuple[str, str], list[Run]]) -> list[str]:
    """How many swaps `local`'s compiled search made and priced per CPU second (from each run's notes)."""
    rows = []
    for (name, solver), runs in groups.items():
        speeds = [speed for run in runs if (speed := _swaps_per_second(run))] if solver == "local" else []
        if speeds:
            made, priced = _median([m for m, _ in speeds]), _median([p for _, p in speeds])
            rows.append(f"| {name} | {runs[0]['people']} | {runs[0]['rounds']} | {_search_kind(runs[0])} "
                        f"| {made:,.0f} | {priced:,.0f} |")
    if not rows:
        return []
    return [
        "## Local search speed",
        "",
        "Swaps made and swaps priced by `local` per CPU second of the whole run (its greedy start included), median",
        "of seeds, as its notes count them. The search: swaps of anyone in a repeat or a broken rule (then of random",
        "people) across rounds; every swap of every round (past the counting bound, no rules); every swap of one",
        "round (one-round events); and, once nothing but value is left, one round at a time (value phase).",
        "",
        "| instance | people | rounds | search | swaps made / s | swaps priced / s |",
        "|---|---:|---:|---|---:|---:|",
        *rows,
        "",
    ]


def _swaps_per_second(run: Run) -> tuple[float, float] | None:
    """Swaps made and priced per CPU second, summed over the run's tabu notes; None without any."""
    counts = [(int(m[1]), int(m[2])) for note in run["notes"] if (m := TABU_NOTE.search(note))]
    cpu = float(run.get("cpu_s") or run["seconds"])
    if not counts or cpu <= 0:
        return None
    return sum(c[0] for c in counts) / cpu, sum(c[1] for c in counts) / cpu


def _search_kind(run: Run) -> str:
    """Which search the run's notes say `local` made."""
    notes = " ".join(run["notes"])
    if run["rounds"] == 1:
        return "one round"
    if "every swap priced" in notes:
        return "every swap, all rounds"
    return "across rounds, then value phase" if "value phase" in notes else "across rounds"


def _family_table(groups: dict[tuple[str, str], list[Run]], family: str, title: str) -> list[str]:
    names = list(dict.fromkeys(name for (name, _), runs in groups.items() if runs[0]["family"] == family))
    if not names:
        return []
    lines = [
        f"## {title}",
        "",
        "| instance | people | solver | violations | repeats (range; lower bound) | value / upper bound (gap) | "
        "first plan s | best plan s | total s | CPU s | peak MB | known |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name in names:
        for solver in _solvers(groups, name):
            runs = groups[name, solver]
            mid = _median_run(runs)
            known = ", ".join(f"{k} {v}" for k, v in mid["known"].items())
            lines.append(
                f"| {name} | {mid['people']} | {solver} | {mid['violations']} "
                f"| {mid['repeats']} ({_range([r['repeats'] for r in runs])}; {mid['repeats_lb']}) "
                f"| {mid['value']:g} / {mid['value_ub']:g} ({mid['gap_pct']:.2f}%) "
                f"| {_seconds(_median([r['time_to_first'] for r in runs]))} "
                f"| {_seconds(_median([r['time_to_best'] for r in runs]))} "
                f"| {_seconds(_median([r['seconds'] for r in runs]))} "
                f"| {_seconds(_median([r.get('cpu_s') for r in runs]))} | {_median([r['peak_mb'] for r in runs]):.0f} "
                f"| {known} |"
            )
    return lines + [""]


def _plot(groups: dict[tuple[str, str], list[Run]], path: Path) -> Path | None:
    """Quality against time for each solver on the sample cohort and 8-4-10; None without matplotlib or runs."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    shown = [name for name in PLOT_INSTANCES if any(n == name for n, _ in groups)]
    if not shown:
        return None
    figure, axes = plt.subplots(1, len(shown), figsize=(6 * len(shown), 4), squeeze=False)
    for ax, name in zip(axes[0], shown):
        by_gap = name.startswith("sample")
        for solver in _solvers(groups, name):
            run = _median_run(groups[name, solver])
            trace = run["trace"] or [[run["time_to_best"], run["violations"], run["repeats"], run["value"]]]
            times = [point[0] for point in trace] + [run["seconds"]]
            upper = float(run["value_ub"]) or 1.0
            quality = [100 * (upper - point[3]) / upper if by_gap else point[2] for point in trace]
            ax.step(times, quality + quality[-1:], where="post", label=solver)
        ax.set_xscale("symlog", linthresh=0.1)
        ax.set_xlabel("seconds")
        ax.set_ylabel("value gap to upper bound, %" if by_gap else "repeats")
        ax.set_title(name)
        ax.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)
    return path
