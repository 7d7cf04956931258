"""Fitting a design to fewer people: which points stay empty, and which rounds stay free of repeats.

With ``d`` empty points (47 people on a 10-5 design of 50 points: d = 3) a
round seats tables of p and p - 1 exactly when no two empty points share a
table in it. Rounds where two empty points meet are dropped; the empty points
are chosen to drop as few as possible (for a resolvable design where every
pair meets once, all empty points at one table of one round, which is dropped).
"""

from __future__ import annotations

import numpy as np

from mixer.designs.builders import Rounds

ATTEMPTS = 12


def table_numbers(schedule: Rounds, points: int) -> np.ndarray:
    """``[round, point]``: the table of each point in each round."""
    tables = np.zeros((len(schedule), points), dtype=np.int64)
    for r, round_ in enumerate(schedule):
        for t, group in enumerate(round_):
            tables[r, group] = t
    return tables


def empty_points(schedule: Rounds, points: int, empty: int, wanted: int, rng: np.random.Generator) -> tuple[list[int], list[int]]:
    """``(rounds kept, empty points)``: at most ``wanted`` rounds in which no two of the ``empty`` points share a table.

    Randomised greedy from a few starting points: each next empty point is
    the one whose meetings with those chosen fall in the fewest new rounds.
    """
    wanted = min(wanted, len(schedule))
    if empty <= 1:
        return list(range(wanted)), list(range(empty))
    tables = table_numbers(schedule, points)
    best: tuple[list[int], list[int]] | None = None
    for start in rng.permutation(points)[:ATTEMPTS]:
        chosen = [int(start)]
        dropped = np.zeros(len(schedule), dtype=bool)
        near = tables == tables[:, [start]]  # [round, point]: shares a table with a chosen point
        while len(chosen) < empty:
            new_rounds = (near & ~dropped[:, None]).sum(axis=0).astype(float)
            new_rounds[chosen] = np.inf
            new_rounds += rng.random(points) * 0.5
            point = int(np.argmin(new_rounds))
            chosen.append(point)
            dropped |= near[:, point]
            near |= tables == tables[:, [point]]
        kept = [r for r in range(len(schedule)) if not dropped[r]][:wanted]
        if best is None or len(kept) > len(best[0]):
            best = (kept, sorted(chosen))
        if len(kept) == wanted:
            break
    assert best is not None
    return best
