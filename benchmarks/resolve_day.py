"""Re-solve on the day: the sample cohort after round 1, five absent and two walk-ins (issue 7's target).

Usage: python benchmarks/resolve_day.py [--seeds N] [--time-limit S]

For each seed: plan the sample cohort (50 people, tables of 5, 4 rounds), then
re-solve from round 2 with five people absent (picked by the seed) and two
arrivals, as ``mixer resolve`` does. Reports the time to the first plan (the
repair) and to the final one, repeats, rule violations, value and the seats
moved out of the remaining seats. Targets: first plan under 1 s; final plan
with 0 repeats, every rule kept, fewer than a quarter of the remaining seats moved.
``resolve_case`` is the one case, for the benchmark suite to call.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from mixer.model import Participant
from mixer.plan_diff import diff_plans
from mixer.resolving import Changes, resolve
from mixer.sample import sample_event
from mixer.scoring import score_plan
from mixer.solvers import Progress, solve


def resolve_case(seed: int, time_limit: float = 2.0) -> dict[str, object]:
    """One re-solve of the sample cohort after round 1; its figures."""
    plan = solve(sample_event(), time_limit=5.0, seed=seed)
    absent = tuple(random.Random(seed).sample(plan.event.participant_ids, 5))
    arrivals = (Participant(id="a", name="Walk-in One", organisation="Brackenford Hospice", level="senior"),
                Participant(id="b", name="Walk-in Two", sector="voluntary", level="front line"))
    first: list[float] = []

    def note_first(progress: Progress) -> None:
        if not first:
            first.append(progress.elapsed)

    started = time.perf_counter()
    new = resolve(plan, 2, Changes(absent=absent, arrive=arrivals), time_limit=time_limit, seed=seed,
                  progress=note_first)
    final = time.perf_counter() - started
    score = score_plan(new)
    remaining = sum(len(r.table_of()) for r in new.rounds[1:])
    moved = diff_plans(plan, new).moved_seats
    return {
        "seed": seed, "time_limit": time_limit, "first_plan_s": round(first[0], 3), "final_plan_s": round(final, 3),
        "repeats": score.repeats, "violations": score.total_violations, "value": score.value,
        "moved_seats": moved, "remaining_seats": remaining,
        "targets_met": first[0] < 1.0 and score.repeats == 0 and score.total_violations == 0 and moved < remaining / 4,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=2.0)
    args = parser.parse_args()
    rows = [resolve_case(seed, args.time_limit) for seed in range(args.seeds)]
    columns = list(rows[0])
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(str(row[c]) for c in columns))
    print(f"median first plan {statistics.median(r['first_plan_s'] for r in rows):.3f} s, "  # type: ignore[misc]
          f"median moved {statistics.median(r['moved_seats'] for r in rows)} seats, "  # type: ignore[misc]
          f"all targets met: {all(r['targets_met'] for r in rows)}")


if __name__ == "__main__":
    main()
