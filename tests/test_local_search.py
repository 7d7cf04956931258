"""Tabu search internals: the price of a swap is exactly the change it makes to the cost."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from strategies import events, seatings

from mixer.model import Event
from mixer.scoring import PairTable, score_rounds
from mixer.solvers.local_search import _Seating


def _cost(seating: _Seating, event: Event, pairs: PairTable) -> tuple[float, int]:
    """The search's cost recomputed from scratch with the scoring module, and the rules broken."""
    score = score_rounds(event, seating.rounds(), pairs)
    return seating.repeat_weight * score.repeats - score.value, score.total_violations


@settings(max_examples=30)
@given(events(max_people=16, max_rounds=4, rules=False))
def test_swap_prices_match_the_recomputed_cost(event: Event) -> None:
    """After any sequence of random swaps, the summed prices equal the change in repeats and value."""
    pairs = PairTable.of(event)
    seating = _Seating(event, pairs, seatings(event, random.Random(1)))
    rng = np.random.default_rng(0)
    start, _ = _cost(seating, event, pairs)
    total = 0.0
    movable = [r for r, layout in enumerate(seating.layouts) if len(layout) > 1]
    for _ in range(20 if movable else 0):
        r = int(rng.choice(movable))
        costs = seating.swap_costs(np.array([r]))[0]
        options = np.argwhere(np.isfinite(costs))
        if not len(options):
            break
        p, q = options[rng.integers(len(options))]
        total += costs[p, q]
        seating.swap(r, int(p), int(q))
        now, broken = _cost(seating, event, pairs)
        assert broken == 0
        assert abs(now - start - total) < 1e-6 * max(1.0, abs(total))
