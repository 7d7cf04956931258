"""Start-up: how long `mixer --help` and `mixer check` on a 50-person list take, start to exit (issue 5's target).

Usage: python benchmarks/startup.py [--runs N]

Each command runs N times (after one run not counted) as a fresh process, as a
facilitator starts it; the figures are the median wall time and the median CPU
time (user + system) of those runs. Target: each under 0.3 s of wall time.
``startup_case`` is the one case, for the benchmark suite to call.
"""

from __future__ import annotations

import argparse
import csv
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mixer.sample import sample_participants

TARGET_S = 0.3
PEOPLE = 50


def startup_case(runs: int = 9) -> dict[str, object]:
    """Median wall and CPU seconds of ``mixer --help`` and of ``mixer check`` on a generated 50-person list."""
    with tempfile.TemporaryDirectory() as folder:
        people = Path(folder) / "people.csv"
        with people.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["name", "organisation", "sector", "level"])
            writer.writerows([p.name, p.organisation, p.sector, p.level] for p in sample_participants(PEOPLE))
        commands = {"help": ["--help"], "check": ["check", str(people), "--rounds", "4", "--table-size", "5"]}
        figures: dict[str, object] = {"runs": runs, "people": PEOPLE, "target_s": TARGET_S}
        for name, args in commands.items():
            wall, cpu = _timed([*_mixer(), *args], runs)
            figures[f"{name}_wall_s"], figures[f"{name}_cpu_s"] = wall, cpu
    return figures


def _mixer() -> list[str]:
    """The ``mixer`` command installed beside this Python, as a facilitator runs it."""
    script = Path(sys.executable).with_name("mixer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mixer"]


def _timed(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` runs of ``command``, after one run not counted."""
    walls, cpus = [], []
    for k in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if k:
            walls.append(wall)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return round(statistics.median(walls), 3), round(statistics.median(cpus), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    figures = startup_case(parser.parse_args().runs)
    for name in ("help", "check"):
        print(f"mixer {name}: {figures[f'{name}_wall_s']} s wall, {figures[f'{name}_cpu_s']} s CPU "
              f"(median of {figures['runs']}; target under {TARGET_S} s wall)")


if __name__ == "__main__":
    main()
