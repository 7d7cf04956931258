"""Randomised greedy with restarts.

Round by round, people are taken in random order and each sits at the open
table where they gain the most: a repeat meeting costs more than any table's
worth of new value, and breaking a rule costs more still. Swaps between tables
then raise each round's gain, first as the round is built and then, once all
rounds exist, against all the other rounds. Each restart uses a new order; the
best plan by :mod:`mixer.scoring` is kept.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mixer.constraints import PairTerm, rules_for
from mixer.layout import round_layout
from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, Score, score_rounds
from mixer.solvers.common import Budget, Outcome, seating_from_tables
from mixer.solvers.round_terms import RoundTerms, round_terms

RESTARTS_WITHOUT_LIMIT = 30
PEOPLE_RESTARTS_WITHOUT_LIMIT = 6000


def solve_greedy(event: Event, budget: Budget) -> Outcome:
    """Restart the greedy construction until the time limit.

    Without a limit it restarts a fixed number of times (30, fewer above 200
    people), so a seed always gives the same plan.
    """
    pairs = PairTable.of(event)
    rng = np.random.default_rng(budget.seed)
    bias = rule_bias(event, pairs)
    terms = round_terms(event, pairs, [round_layout(event, r) for r in range(1, event.rounds + 1)], _hard(event, pairs))
    best: tuple[tuple[RoundSeating, ...], Score] | None = None
    restarts = 0
    interrupted = False
    try:
        while True:
            rounds = construct(event, pairs, bias, rng, budget.fixed, terms, budget)
            score = score_rounds(event, rounds, pairs)
            restarts += 1
            if best is None or score.better_than(best[1]):
                best = (rounds, score)
                budget.report(f"greedy restart {restarts}", score.summary())
            if score.meets_bounds or _out_of_time(budget, restarts, len(event.participants)):
                break
    except KeyboardInterrupt:
        if best is None:
            raise
        interrupted = True
    assert best is not None
    rounds, score = best
    notes = [f"{restarts} greedy restarts"]
    if interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    optimal = score.meets_bounds
    return Outcome(
        rounds=rounds,
        status="optimal" if optimal else "feasible",
        optimal=optimal,
        notes=tuple(notes),
        interrupted=interrupted,
    )


def construct(
    event: Event, pairs: PairTable, bias: np.ndarray, rng: np.random.Generator, fixed: tuple[RoundSeating, ...] = (),
    terms: list[RoundTerms] | None = None, budget: Budget | None = None,
) -> tuple[RoundSeating, ...]:
    """One greedy pass over the rounds after ``fixed``, then each re-seated by swaps in the light of all the others.

    ``terms`` are the rounds' seat and count terms (computed from the event if not given). Once the
    solve's whole time limit is reached (``budget.limit``) no more swaps are tried, but every round is
    still seated: the swaps of 2,000 people take most of a minute.
    """
    def spent() -> bool:
        return budget is not None and budget.overrun()

    met = pairs.history.copy()
    repeat_cost = 100.0 * (1.0 + pairs.value.max(initial=0.0)) * max(1, _largest_table(event))
    layouts = [round_layout(event, r) for r in range(1, event.rounds + 1)]
    terms = terms if terms is not None else round_terms(event, pairs, layouts, _hard(event, pairs))
    rounds: list[list[list[int]]] = []
    seated_at: dict[int, dict[int, str]] = {}  # round -> person -> table id, for visit terms
    for r, seating in enumerate(fixed, start=1):
        rounds.append([[pairs.index[pid] for pid in ts.participants] for ts in seating.tables])
        seated_at[r] = {pairs.index[pid]: ts.table for ts in seating.tables for pid in ts.participants}
        _count_meetings(met, rounds[-1], +1)
    for r, layout in enumerate(layouts[len(fixed):], start=len(fixed) + 1):
        gain = _gain(pairs, met, bias, repeat_cost)
        clash = (met > 0) | (bias < 0)
        present = np.array([pairs.index[pid] for pid in event.present(r)], dtype=np.int64)
        terms[r - 1].see_visits(r, list(layout), seated_at)
        seated = _seat_round(present, list(layout.values()), gain, clash, rng, terms[r - 1])
        _swap_descent(seated, gain, rng, terms[r - 1], spent)
        _count_meetings(met, seated, +1)
        rounds.append(seated)
        seated_at[r] = _tables_of(layout, seated)
    improved = len(rounds) - len(fixed) > 1
    while improved and not spent():
        improved = False
        for r, seated in enumerate(rounds[len(fixed):], start=len(fixed) + 1):
            _count_meetings(met, seated, -1)
            terms[r - 1].see_visits(r, list(layouts[r - 1]), seated_at)
            improved |= _swap_descent(seated, _gain(pairs, met, bias, repeat_cost), rng, terms[r - 1], spent)
            _count_meetings(met, seated, +1)
            seated_at[r] = _tables_of(layouts[r - 1], seated)
    table_of = [
        {pairs.ids[p]: table_id for table_id, members in zip(layout, seated) for p in members}
        for layout, seated in zip(layouts[len(fixed):], rounds[len(fixed):])
    ]
    return (*fixed, *seating_from_tables(event, table_of, first_round=len(fixed) + 1))


def _tables_of(layout: dict[str, int], seated: list[list[int]]) -> dict[int, str]:
    """Person -> table id in a round seated at ``layout``'s tables."""
    return {p: table_id for table_id, members in zip(layout, seated) for p in members}


def _gain(pairs: PairTable, met: np.ndarray, bias: np.ndarray, repeat_cost: float) -> np.ndarray:
    """What sitting together is worth: the pair's value if they never met, else a cost per past meeting."""
    return np.where(met == 0, pairs.value, -repeat_cost * met) + bias


def _count_meetings(met: np.ndarray, seated: list[list[int]], sign: int) -> None:
    for members in seated:
        met[np.ix_(members, members)] += sign
    np.fill_diagonal(met, 0)


def _seat_round(
    present: np.ndarray, sizes: list[int], gain: np.ndarray, clash: np.ndarray, rng: np.random.Generator,
    terms: RoundTerms,
) -> list[list[int]]:
    """Seat one round, most constrained person first (a hard seat rule, then fewest open tables free of a clash).

    Each person takes the open table where their gain less the seat and count terms' cost is highest;
    random noise breaks ties.
    """
    n = gain.shape[0]
    free = np.array(sizes)
    worth = np.zeros((len(sizes), n))
    clashes = np.zeros((len(sizes), n), dtype=np.int64)
    clean = np.zeros(n)
    clean[present] = len(sizes)
    waiting = np.full(n, np.inf)
    waiting[present] = np.where(terms.restricted[present], -2.0 * len(sizes), 0.0)
    seated: list[list[int]] = [[] for _ in sizes]
    terms.load(seated)
    for _ in range(len(present)):
        p = int(np.argmin(waiting + clean + rng.random(n) * 0.5))
        waiting[p] = np.inf
        options = np.flatnonzero(free > 0)
        value = worth[options, p] if terms.empty else worth[options, p] - terms.place_cost(p, options)
        t = int(options[np.argmax(value + rng.random(len(options)) * 1e-6)])
        seated[t].append(p)
        terms.move(p, None, t)
        worth[t] += gain[p]
        newly = clash[p] & (clashes[t] == 0)
        clean -= newly
        clashes[t] += clash[p]
        free[t] -= 1
        if free[t] == 0:
            clean -= clashes[t] == 0
    return seated


def _swap_descent(seated: list[list[int]], gain: np.ndarray, rng: np.random.Generator, terms: RoundTerms,
                  spent: Callable[[], bool]) -> bool:
    """Swap pairs of people between tables while a swap raises the round's total gain less the terms' cost, until ``spent``."""
    terms.load(seated)
    where = {p: t for t, members in enumerate(seated) for p in members}
    people = np.array(sorted(where), dtype=np.int64)
    table = np.array([where[p] for p in people])
    sums = np.zeros((len(seated), gain.shape[0]))
    for t, members in enumerate(seated):
        sums[t] = gain[members].sum(axis=0)
    swapped = False
    improved = True
    while improved and not spent():
        improved = False
        for k in rng.permutation(len(people)):
            if spent():
                break
            p, a = people[k], table[k]
            b = table
            # Gain of moving p to q's table and q to p's table, for every q at once.
            delta = sums[b, p] - gain[people, p] + sums[a, people] - gain[p, people] - sums[a, p] - sums[b, people]
            if not terms.empty:
                delta -= terms.swap_cost(p, a, people, table)
            delta[table == a] = 0.0
            j = int(np.argmax(delta))
            if delta[j] > 1e-9:
                q, b = people[j], table[j]
                terms.move(p, a, b)
                terms.move(q, b, a)
                sums[a] += gain[q] - gain[p]
                sums[b] += gain[p] - gain[q]
                table[k], table[j] = b, a
                improved = swapped = True
    for t in range(len(seated)):
        seated[t] = [int(p) for p in people[table == t]]
    return swapped


def rule_bias(event: Event, pairs: PairTable) -> np.ndarray:
    """Pairs the rules want together get a bonus for sharing a table, pairs kept apart a cost (large for hard rules)."""
    index = pairs.index
    bias = np.zeros_like(pairs.value)
    strength = _hard(event, pairs)
    for rule in rules_for(event):
        for term in rule.search_terms(event):
            if isinstance(term, PairTerm) and term.a in index and term.b in index:
                i, j = index[term.a], index[term.b]
                size = strength if term.hard else term.weight
                bias[i, j] = bias[j, i] = bias[i, j] + (size if term.together else -size)
    return bias


def _hard(event: Event, pairs: PairTable) -> float:
    """What breaking a hard rule once costs the greedy: more than any round's repeats and value."""
    return 1e4 * (1.0 + pairs.value.max(initial=0.0)) * max(1, _largest_table(event)) ** 2


def _largest_table(event: Event) -> int:
    return max((t.capacity for r in range(1, event.rounds + 1) for t in event.tables_in(r)), default=1)


def _out_of_time(budget: Budget, restarts: int, people: int) -> bool:
    if budget.time_limit is None:
        return restarts >= max(1, min(RESTARTS_WITHOUT_LIMIT, PEOPLE_RESTARTS_WITHOUT_LIMIT // people))
    return budget.elapsed() >= budget.time_limit
