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
from a fresh greedy plan. The best plan by :mod:`mixer.scoring` is kept.

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
    best_rounds, best = warm.rounds, score_rounds(event, warm.rounds, pairs)
    interrupted = False
    search = None
    try:
        from mixer.solvers.tabu_state import TabuState  # numba loads here, only when a search runs

        budget.report("tabu search: compiling", best.summary())
        search = TabuState(event, pairs, warm.rounds, budget.frozen, budget.seed)
        movable = np.flatnonzero(search.movable)
        if len(movable) == 1:
            best_rounds, best = _search_round(event, pairs, search, int(movable[0]), budget, best_rounds, best)
        elif _past_bound(event, search):
            search.price_every_swap()
            best_rounds, best = _search_past_bound(event, pairs, search, budget, best_rounds, best)
        else:
            best_rounds, best = _search(event, pairs, search, budget, best_rounds, best)
    except KeyboardInterrupt:
        interrupted = True
    notes = list(warm.notes)
    if search is not None:
        every = ", every swap priced (past the counting bound)" if search.sums is not None else ""
        notes.append(f"tabu search: {search.moves} swaps made, {search.priced} priced{every}")
    if interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    best_rounds = (*budget.fixed, *best_rounds[budget.frozen :])  # played rounds come back as given, verbatim
    optimal = best.meets_bounds
    return Outcome(best_rounds, "optimal" if optimal else "feasible", optimal, notes=tuple(notes),
                   interrupted=interrupted)


def _chunks(budget: Budget, moves: Callable[[], int]) -> Iterator[int]:
    """How many moves each run of the compiled loop makes: about ``CHUNK_SECONDS`` worth under a time limit
    (until it ends), else 64 at a time up to ``MOVES_WITHOUT_LIMIT`` in all (so a seed gives one plan)."""
    if budget.time_limit is None:
        while (left := MOVES_WITHOUT_LIMIT - moves()) > 0:
            yield min(64, left)
        return
    chunk = 1
    while budget.remaining(DEFAULT_TIME_LIMIT) > 0:
        began = time.perf_counter()
        yield chunk
        chunk = int(np.clip(chunk * CHUNK_SECONDS / max(time.perf_counter() - began, 1e-4), 1, 1_000_000))


def _keep_better(event: Event, pairs: PairTable, search, budget: Budget, moves: int,  # type: ignore[no-untyped-def]
                 best_rounds: tuple[RoundSeating, ...], best: Score) -> tuple[tuple[RoundSeating, ...], Score]:
    """The search's best plan, scored, if the scoring module finds it better than ``best``."""
    candidate = search.rounds(search.best_table)
    score = score_rounds(event, candidate, pairs)
    if not score.better_than(best):
        return best_rounds, best
    budget.report(f"tabu search, swap {moves}", score.summary())
    return candidate, score


def _past_bound(event: Event, search) -> bool:  # type: ignore[no-untyped-def]
    """Whether to price every swap: no rule terms, repeats certain, and not too many swaps a move."""
    rounds, n = search.table.shape
    return search.terms.empty and rounds * n * (n - 1) // 2 <= EVERY_SWAP_UP_TO and repeats_lower_bound(event) > 0


def _search_past_bound(event: Event, pairs: PairTable, search, budget: Budget,  # type: ignore[no-untyped-def]
                       best_rounds: tuple[RoundSeating, ...], best: Score) -> tuple[tuple[RoundSeating, ...], Score]:
    """Under a time limit, first seat the later rounds around the leading ones free of repeats (a design's,
    say), held for a share of the time; then :func:`_search` over every round."""
    held = _free_of_repeats(pairs, best_rounds)
    if budget.time_limit is not None and budget.frozen < held < event.rounds:
        movable = search.movable.copy()
        search.movable[:held] = False
        best_rounds, best = _search(event, pairs, search, budget.share(HOLD_SHARE, DEFAULT_TIME_LIMIT), best_rounds,
                                    best, held)
        search.movable[:] = movable
    return _search(event, pairs, search, budget, best_rounds, best)


def _free_of_repeats(pairs: PairTable, rounds: tuple[RoundSeating, ...]) -> int:
    """How many leading rounds have no repeat among them (history counted)."""
    return next((k for k in range(len(rounds)) if count_repeats(pairs, rounds[: k + 1])), len(rounds))


def _search(event: Event, pairs: PairTable, search, budget: Budget,  # type: ignore[no-untyped-def]
            best_rounds: tuple[RoundSeating, ...], best: Score, held: int | None = None,
            ) -> tuple[tuple[RoundSeating, ...], Score]:
    """Run the compiled search in short chunks, keeping the best plan by the scoring module, until the budget ends.

    A restart keeps the first ``held`` rounds (default: the frozen ones).
    """
    rng = np.random.default_rng(budget.seed)
    held = budget.frozen if held is None else held
    seen = search.costs[1]
    for chunk in _chunks(budget, lambda: search.moves):
        if best.meets_bounds or not search.movable.any():
            break
        search.run(chunk)
        if search.costs[1] < seen - 1e-9:
            seen = search.costs[1]
            best_rounds, best = _keep_better(event, pairs, search, budget, search.moves, best_rounds, best)
        if search.shakes >= SHAKES_BEFORE_RESTART:
            fixed = best_rounds[:held]
            search.load(construct(event, pairs, rule_bias(event, pairs), rng, fixed, budget=budget))
            seen = search.costs[1]
            budget.report(f"tabu search, restart at swap {search.moves}", best.summary())
    return best_rounds, best


def _search_round(event: Event, pairs: PairTable, search, r: int, budget: Budget,  # type: ignore[no-untyped-def]
                  best_rounds: tuple[RoundSeating, ...], best: Score) -> tuple[tuple[RoundSeating, ...], Score]:
    """With one round to seat: an iterated tabu search over all its swaps, run like :func:`_search`."""
    from mixer.solvers.tabu_state import RoundSearch

    round_search = RoundSearch(search, r)
    seen = 0.0
    try:
        for chunk in _chunks(budget, lambda: round_search.moves):
            if best.meets_bounds:
                break
            round_search.run(chunk)
            if round_search.costs[1] < seen - 1e-9:
                seen = round_search.costs[1]
                best_rounds, best = _keep_better(event, pairs, search, budget, round_search.moves, best_rounds, best)
    finally:
        search.counters[0] += round_search.moves
        search.priced += round_search.priced
    return best_rounds, best
