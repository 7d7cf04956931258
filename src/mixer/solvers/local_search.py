"""Conflict-directed tabu search over swaps, compiled, started from the greedy plan.

A move swaps two people at different tables in one round. While anyone sits
with someone they meet more than once (or breaks a hard rule), only swaps
moving such a person are priced (Dotú and Van Hentenryck, "Scheduling social
golfers locally", CPAIOR 2005); once there are none, random people are tried
against everyone in their round (a random sample of a large round) to raise
the value. A swap is priced in O(table size) from
meeting counts kept up to date move by move, in a loop compiled with numba
(:mod:`mixer.solvers.tabu_kernel`). Rules come in only as their search terms.
After a long run without a better plan the search goes back to its best and
shakes it with a few random swaps; after several shakes in vain it restarts
from a fresh greedy plan. Once the best plan has no repeat and keeps every
hard rule, only the value is left to raise, and an event of up to
``SWEEP_UP_TO`` people a round is searched one round at a time instead: in
turn, each round is re-seated by the one-round search below with the others
held fixed, which moves many people of a round at once where single swaps
across rounds are stuck. The best plan by :mod:`mixer.scoring` is kept where
Ctrl-C cannot lose it.

Past the counting bound (repeats certain) nearly everyone is in a repeat, so
an event without rule terms is searched by pricing every swap of every round
on each move (:mod:`mixer.solvers.dense_kernel`), first seating the later
rounds around the leading ones free of repeats (a design's) for a share of the time.

With one round left to seat (a one-round event, or the last round of a
re-solve) the search is instead an iterated tabu search pricing every swap of
that round in O(1) on each move (:mod:`mixer.solvers.round_kernel`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from mixer.model import Event, RoundSeating
from mixer.repeat_bound import repeats_lower_bound
from mixer.scoring import PairTable, Score, count_repeats, score_rounds
from mixer.solvers.common import Budget, Outcome
from mixer.solvers.greedy import construct, rule_bias, solve_greedy

DEFAULT_TIME_LIMIT = 10.0
WARM_START_SHARE = 0.1
MOVES_WITHOUT_LIMIT = 20_000  # without a time limit the search makes this many moves, so a seed gives one plan
SHAKES_BEFORE_RESTART = 12
CHUNK_SECONDS = 0.05  # the compiled loop hands back about this often to check the clock and Ctrl-C
EVERY_SWAP_UP_TO = 200_000  # swaps a move, past the counting bound: up to this many, every swap is priced
HOLD_SHARE = 0.5  # of the time, past the counting bound, seating the later rounds around leading ones free of repeats
SWEEP_UP_TO = 200  # people in a round, at most, for the value phase to re-seat one round at a time
ROUND_TURN_STALLS = 1.5  # a round's turn in that phase, in moves: this many times its search's stall


def solve_local(event: Event, budget: Budget) -> Outcome:
    """Tabu search from the start plan (else the greedy one) until the time limit, a plan meeting both bounds, or Ctrl-C.

    Rounds the budget freezes are never changed.
    """
    if budget.start is not None:
        warm = Outcome(budget.start, "feasible", notes=("started from the given plan",))
    elif budget.time_limit is None:
        warm = solve_greedy(event, budget)
    else:
        warm = solve_greedy(event, budget.share(WARM_START_SHARE, DEFAULT_TIME_LIMIT))
    if warm.optimal or warm.interrupted:
        return warm
    pairs = PairTable.of(event)
    best = _Best(event, pairs, warm.rounds, score_rounds(event, warm.rounds, pairs))
    interrupted = False
    search = None
    try:
        from mixer.solvers.tabu_state import TabuState  # numba loads here, only when a search runs

        budget.report("tabu search: compiling", best.score.summary())
        search = TabuState(event, pairs, warm.rounds, budget.frozen, budget.seed)
        movable = np.flatnonzero(search.movable)
        if len(movable) == 1:
            _search_round(search, int(movable[0]), budget, best)
        elif _past_bound(event, search):
            search.price_every_swap()
            _search_past_bound(event, search, budget, best)
        else:
            _search(event, search, budget, best)
    except KeyboardInterrupt:
        interrupted = True
    notes = list(warm.notes)
    if search is not None:
        every = ", every swap priced (past the counting bound)" if search.sums is not None else ""
        notes.append(f"tabu search: {search.moves} swaps made, {search.priced} priced{every}")
    if best.turns:
        notes.append(f"value phase: {best.turns} turns of one round re-seated")
    if interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    best_rounds = (*budget.fixed, *best.rounds[budget.frozen :])  # played rounds come back as given, verbatim
    optimal = best.score.meets_bounds
    return Outcome(best_rounds, "optimal" if optimal else "feasible", optimal, notes=tuple(notes),
                   interrupted=interrupted)


@dataclass
class _Best:
    """The best plan so far by the scoring module, held outside the searches so that Ctrl-C cannot lose it."""

    event: Event
    pairs: PairTable
    rounds: tuple[RoundSeating, ...]
    score: Score
    turns: int = 0  # rounds re-seated in the value phase

    def offer(self, search, budget: Budget, message: str) -> None:  # type: ignore[no-untyped-def]
        """Keep the search's best plan if it scores better, and report it."""
        candidate = search.rounds(search.best_table)
        score = score_rounds(self.event, candidate, self.pairs)
        if score.better_than(self.score):
            self.rounds, self.score = candidate, score
            budget.report(message, score.summary())


def _chunks(budget: Budget, moves: Callable[[], int], cap: int | None = None) -> Iterator[int]:
    """How many moves each run of the compiled loop makes: about ``CHUNK_SECONDS`` worth under a time limit
    (until it ends), else 64 at a time up to ``MOVES_WITHOUT_LIMIT`` in all (so a seed gives one plan); never
    past ``cap`` moves in all."""
    if budget.time_limit is None:
        cap = MOVES_WITHOUT_LIMIT if cap is None else min(cap, MOVES_WITHOUT_LIMIT)
        while (left := cap - moves()) > 0:
            yield min(64, left)
        return
    chunk = 1
    while budget.remaining(DEFAULT_TIME_LIMIT) > 0 and (cap is None or moves() < cap):
        began = time.perf_counter()
        yield chunk if cap is None else min(chunk, cap - moves())
        chunk = int(np.clip(chunk * CHUNK_SECONDS / max(time.perf_counter() - began, 1e-4), 1, 1_000_000))


def _past_bound(event: Event, search) -> bool:  # type: ignore[no-untyped-def]
    """Whether to price every swap: no rule terms, repeats certain, and not too many swaps a move."""
    rounds, n = search.table.shape
    return search.terms.empty and rounds * n * (n - 1) // 2 <= EVERY_SWAP_UP_TO and repeats_lower_bound(event) > 0


def _search_past_bound(event: Event, search, budget: Budget, best: _Best) -> None:  # type: ignore[no-untyped-def]
    """Under a time limit, first seat the later rounds around the leading ones free of repeats (a design's,
    say), held for a share of the time; then :func:`_search` over every round."""
    held = _free_of_repeats(best.pairs, best.rounds)
    if budget.time_limit is not None and budget.frozen < held < event.rounds:
        movable = search.movable.copy()
        search.movable[:held] = False
        _search(event, search, budget.share(HOLD_SHARE, DEFAULT_TIME_LIMIT), best, held)
        search.movable[:] = movable
    _search(event, search, budget, best)


def _free_of_repeats(pairs: PairTable, rounds: tuple[RoundSeating, ...]) -> int:
    """How many leading rounds have no repeat among them (history counted)."""
    return next((k for k in range(len(rounds)) if count_repeats(pairs, rounds[: k + 1])), len(rounds))


def _search(event: Event, search, budget: Budget, best: _Best,  # type: ignore[no-untyped-def]
            held: int | None = None) -> None:
    """Run the compiled search in short chunks, keeping the best plan by the scoring module, until the budget ends;
    once only the value is left to raise, go on round by round (:func:`_sweep`) where rounds are small enough.

    A restart keeps the first ``held`` rounds (default: the frozen ones).
    """
    rng = np.random.default_rng(budget.seed)
    held = budget.frozen if held is None else held
    seen = search.costs[1]
    sweep = search.table.shape[1] <= SWEEP_UP_TO
    for chunk in _chunks(budget, lambda: search.moves):
        if best.score.meets_bounds or not search.movable.any():
            return
        if sweep and best.score.only_value_left:
            _sweep(search, budget, best)
            return
        search.run(chunk)
        if search.costs[1] < seen - 1e-9:
            seen = search.costs[1]
            best.offer(search, budget, f"tabu search, swap {search.moves}")
        if search.shakes >= SHAKES_BEFORE_RESTART:
            search.load(construct(event, best.pairs, rule_bias(event, best.pairs), rng, best.rounds[:held],
                                  budget=budget))
            seen = search.costs[1]
            budget.report(f"tabu search, restart at swap {search.moves}", best.score.summary())


def _sweep(search, budget: Budget, best: _Best) -> None:  # type: ignore[no-untyped-def]
    """The value phase: from the best plan, re-seat one movable round at a time with the others held fixed
    (:func:`_search_round` for ``ROUND_TURN_STALLS`` of its stalls), round after round, until the budget ends
    (without a time limit, as many moves as the tabu search would make)."""
    search.load(best.rounds)
    order = np.flatnonzero(search.movable)
    moves = search.moves
    while not best.score.meets_bounds and (budget.time_limit is None or budget.remaining(DEFAULT_TIME_LIMIT) > 0):
        if budget.time_limit is None and search.moves - moves >= MOVES_WITHOUT_LIMIT:
            return
        _search_round(search, int(order[best.turns % len(order)]), budget, best, ROUND_TURN_STALLS)
        best.turns += 1
        search.table[:, :] = search.best_table  # the round's best seating, the others as they were
        search.rebuild()


def _search_round(search, r: int, budget: Budget, best: _Best,  # type: ignore[no-untyped-def]
                  stalls: float | None = None) -> None:
    """An iterated tabu search over all the swaps of round ``r``, the others held fixed, run like :func:`_search`;
    for ``stalls`` times its stall in moves when given, else until the budget ends."""
    from mixer.solvers.tabu_state import RoundSearch

    round_search = RoundSearch(search, r)
    cap = None if stalls is None else int(stalls * round_search.stall)
    seen = 0.0
    try:
        for chunk in _chunks(budget, lambda: round_search.moves, cap):
            if best.score.meets_bounds:
                break
            round_search.run(chunk)
            if round_search.costs[1] < seen - 1e-9:
                seen = round_search.costs[1]
                best.offer(search, budget, f"tabu search, round {r + 1}, swap {search.moves + round_search.moves}")
    finally:
        search.counters[0] += round_search.moves
        search.priced += round_search.priced
