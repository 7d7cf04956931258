"""Tabu search over swaps, started from the greedy plan.

A move swaps two people at different tables in one round. Its effect on the
cost, ``repeat_weight * repeats - value`` (plus a larger cost per rule a pair
breaks), is what each of the two loses at the table they leave plus what they
gain at the table they join, so every swap of every round is priced at once
from two matrices. The cheapest swap that is not tabu is made (a tabu one only
if it beats the best plan so far), and swapping the same two people in that
round back is tabu for a few iterations. After a long run without
improvement, a few random swaps shake the plan. The best plan by
:mod:`mixer.scoring` is kept. After Dotú and Van Hentenryck, "Scheduling social
golfers locally" (CPAIOR 2005), with the value of new pairs added to the cost.
"""

from __future__ import annotations

import numpy as np

from mixer.layout import round_layout
from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, score_rounds
from mixer.solvers.common import Budget, Outcome, seating_from_tables
from mixer.solvers.greedy import rule_bias, solve_greedy

DEFAULT_TIME_LIMIT = 10.0
WARM_START_SHARE = 0.1
STALL_ITERATIONS = 400
SHAKE_SWAPS = 4
TABU_TENURE = (2, 10)
CELLS_PER_BATCH = 4_000_000  # rounds are priced together while rounds x people^2 stays below this


class _Seating:
    """The current plan as a table number per round and person (-1: absent), with meeting counts kept up to date."""

    def __init__(self, event: Event, pairs: PairTable, rounds: tuple[RoundSeating, ...]) -> None:
        n = len(pairs.ids)
        self.event, self.pairs = event, pairs
        self.layouts = [[ts.table for ts in seating.tables] for seating in rounds]
        self.table = np.full((event.rounds, n), -1, dtype=np.int64)
        for r, seating in enumerate(rounds):
            for ts in seating.tables:
                for pid in ts.participants:
                    self.table[r, pairs.index[pid]] = self.layouts[r].index(ts.table)
        self.met = pairs.history.copy()
        for r in range(event.rounds):
            self.met += self._together(self.table[r : r + 1])[0]
        # Lexicographic: one broken rule outweighs every possible repeat, one repeat all the value.
        self.repeat_weight = float(np.abs(pairs.value).sum()) / 2 + 1.0
        meetings = sum(s * (s - 1) // 2 for r in range(1, event.rounds + 1) for s in round_layout(event, r).values())
        self.rule_cost = np.sign(rule_bias(event, pairs)) * self.repeat_weight * (meetings + 1)

    @staticmethod
    def _together(tables: np.ndarray) -> np.ndarray:
        """For each round given: which two people share a table."""
        same = (tables[:, :, None] == tables[:, None, :]) & (tables[:, :, None] >= 0)
        same[:, np.arange(tables.shape[1]), np.arange(tables.shape[1])] = False
        return same

    def swap_costs(self, rounds: np.ndarray) -> np.ndarray:
        """Cost change of each swap ``[k, p, q]``: p and q trade seats in round ``rounds[k]``; inf if not a swap."""
        # Meeting once more repeats a meeting or wins a new pair; meeting once less undoes that.
        join = np.where(self.met >= 1, self.repeat_weight, -self.pairs.value) - self.rule_cost
        leave = np.where(self.met >= 2, -self.repeat_weight, self.pairs.value) + self.rule_cost
        tables = self.table[rounds]
        same = self._together(tables)
        leave_cost = (same * leave).sum(axis=2)
        width = max(len(self.layouts[r]) for r in rounds)
        seats = (tables[:, None, :] == np.arange(width)[None, :, None]).astype(float)
        at_table = seats @ join  # [k, t, p]: what p gains by joining everyone at table t
        joined = at_table[np.arange(len(rounds))[:, None], np.maximum(tables, 0)]  # [k, q, p]: p joins q's table
        half = leave_cost[:, :, None] + joined.transpose(0, 2, 1) - join
        cost = half + half.transpose(0, 2, 1)
        absent = tables < 0
        cost[same | absent[:, :, None] | absent[:, None, :]] = np.inf
        cost[:, np.arange(tables.shape[1]), np.arange(tables.shape[1])] = np.inf
        return cost

    def swap(self, r: int, p: int, q: int) -> None:
        before = self._together(self.table[r : r + 1])[0]
        self.table[r, p], self.table[r, q] = self.table[r, q], self.table[r, p]
        self.met += self._together(self.table[r : r + 1])[0].astype(np.int64) - before

    def rounds(self) -> tuple[RoundSeating, ...]:
        ids = self.pairs.ids
        return seating_from_tables(
            self.event,
            [{ids[p]: self.layouts[r][t] for p, t in enumerate(self.table[r]) if t >= 0} for r in range(len(self.layouts))],
        )


def solve_local(event: Event, budget: Budget) -> Outcome:
    """Tabu search from the start plan (else the greedy one) until the time limit, a plan meeting both bounds, or Ctrl-C.

    Rounds the budget freezes are never changed.
    """
    if budget.start is not None:
        warm = Outcome(budget.start, "feasible", notes=("started from the given plan",))
    else:
        warm = solve_greedy(event, budget.share(WARM_START_SHARE, DEFAULT_TIME_LIMIT))
    if warm.optimal or warm.interrupted:
        return warm
    pairs = PairTable.of(event)
    seating = _Seating(event, pairs, warm.rounds)
    best_rounds, best = warm.rounds, score_rounds(event, warm.rounds, pairs)
    rng = np.random.default_rng(budget.seed)
    n = len(pairs.ids)
    tabu: dict[tuple[int, int, int], int] = {}
    movable = np.array(
        [r for r, layout in enumerate(seating.layouts) if r >= budget.frozen and len(layout) > 1], dtype=np.int64
    )
    batch = max(1, CELLS_PER_BATCH // max(1, n * n))
    cost = lowest = 0.0
    iteration = last_better = 0
    interrupted = False
    try:
        while len(movable) and budget.remaining(DEFAULT_TIME_LIMIT) > 0 and not best.meets_bounds:
            iteration += 1
            r, p, q, change = _cheapest_swap(seating, movable, batch, tabu, iteration, lowest - cost, rng)
            seating.swap(r, p, q)
            cost += change
            tabu = {move: until for move, until in tabu.items() if until > iteration}
            tabu[r, min(p, q), max(p, q)] = iteration + int(rng.integers(*TABU_TENURE))
            if cost < lowest - 1e-9:
                lowest, last_better = cost, iteration
                candidate = seating.rounds()
                score = score_rounds(event, candidate, pairs)
                if score.better_than(best):
                    best_rounds, best = candidate, score
                    budget.report(f"tabu search, swap {iteration}", best.summary())
            elif iteration - last_better > STALL_ITERATIONS:
                cost = _shake(seating, movable, rng, cost)
                lowest, last_better = cost, iteration
    except KeyboardInterrupt:
        interrupted = True
    notes = (*warm.notes, f"tabu search: {iteration} swaps")
    if interrupted:
        notes = (*notes, "interrupted: the best plan found so far is kept")
    optimal = best.meets_bounds
    best_rounds = (*budget.fixed, *best_rounds[budget.frozen :])  # played rounds come back as given, verbatim
    return Outcome(best_rounds, "optimal" if optimal else "feasible", optimal, notes=notes, interrupted=interrupted)


def _cheapest_swap(
    seating: _Seating, movable: np.ndarray, batch: int, tabu: dict[tuple[int, int, int], int], iteration: int,
    to_beat: float, rng: np.random.Generator,
) -> tuple[int, int, int, float]:
    """The cheapest swap not tabu, or tabu but beating the best plan (by ``to_beat``); random among ties."""
    best: tuple[int, int, int, float] | None = None
    for start in range(0, len(movable), batch):
        rounds = movable[start : start + batch]
        costs = seating.swap_costs(rounds) + rng.random((len(rounds), seating.table.shape[1], seating.table.shape[1])) * 1e-6
        position = {int(r): k for k, r in enumerate(rounds)}
        for (r, p, q), until in tabu.items():
            k = position.get(r)
            if k is not None and until >= iteration and costs[k, p, q] >= to_beat - 1e-9:
                costs[k, p, q] = costs[k, q, p] = np.inf
        k, p, q = np.unravel_index(int(np.argmin(costs)), costs.shape)
        if best is None or costs[k, p, q] < best[3]:
            best = (int(rounds[k]), int(p), int(q), float(costs[k, p, q]))
    assert best is not None
    if not np.isfinite(best[3]):  # every swap tabu: take the cheapest anyway
        costs = seating.swap_costs(movable[:1])[0]
        p, q = np.unravel_index(int(np.argmin(costs)), costs.shape)
        best = (int(movable[0]), int(p), int(q), float(costs[p, q]))
    return best


def _shake(seating: _Seating, movable: np.ndarray, rng: np.random.Generator, cost: float) -> float:
    """A few random swaps; returns the new cost."""
    for _ in range(SHAKE_SWAPS):
        r = int(rng.choice(movable))
        costs = seating.swap_costs(np.array([r]))[0]
        options = np.argwhere(np.isfinite(costs))
        p, q = options[rng.integers(len(options))]
        seating.swap(r, int(p), int(q))
        cost += float(costs[p, q])
    return cost
