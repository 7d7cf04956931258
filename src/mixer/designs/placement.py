"""Fitting a design to fewer people: which points stay empty, and which rounds stay free of repeats.

With ``d`` empty points (47 people on a 10-5 design of 50 points: d = 3) a
round seats tables of p and p - 1 exactly when no two empty points share a
table in it. Rounds where two empty points meet are dropped; the empty points
are chosen to drop as few as possible (for a resolvable design where every
pair meets once, all empty points at one table of one round, which is dropped).
"""

from __future__ import annotations

from collections.abc import Sequence

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


def empty_points(schedule: Rounds, points: int, empty: int, wanted: int, rng: np.random.Generator,
                 taken: Sequence[int] = ()) -> tuple[list[int], list[int]]:
    """``(rounds kept, empty points)``: at most ``wanted`` rounds in which no two of the ``empty`` points share a table.

    Randomised greedy from a few starting points: each next empty point is
    the one whose meetings with those chosen fall in the fewest new rounds.
    Points in ``taken`` are never empty.
    """
    wanted = min(wanted, len(schedule))
    free = [u for u in range(points) if u not in set(taken)]
    if empty <= 1:
        return list(range(wanted)), free[:empty]
    tables = table_numbers(schedule, points)
    best: tuple[list[int], list[int]] | None = None
    for start in rng.permutation(free)[:ATTEMPTS]:
        chosen = [int(start)]
        dropped = np.zeros(len(schedule), dtype=bool)
        near = tables == tables[:, [start]]  # [round, point]: shares a table with a chosen point
        while len(chosen) < empty:
            new_rounds = (near & ~dropped[:, None]).sum(axis=0).astype(float)
            new_rounds[[*chosen, *taken]] = np.inf
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


def apart_points(schedule: Rounds, count: int, rng: np.random.Generator) -> list[int]:
    """``count`` points no two of which share a table in any round of ``schedule`` (``[]`` if none are found).

    A randomised greedy from a few starting points, taking each time a point
    that meets none of those chosen.
    """
    points = sum(len(group) for group in schedule[0])
    tables = table_numbers(schedule, points)
    for start in rng.permutation(points)[:ATTEMPTS]:
        chosen = [int(start)]
        apart = ~(tables == tables[:, [start]]).any(axis=0)
        while len(chosen) < count and apart.any():
            point = int(rng.choice(np.flatnonzero(apart)))
            chosen.append(point)
            apart &= ~(tables == tables[:, [point]]).any(axis=0)
        if len(chosen) == count:
            return chosen
    return []
