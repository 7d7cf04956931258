"""Every rule's search terms compiled once per solve into arrays a move can be priced from.

Heuristics read rules only through :mod:`mixer.constraints.terms`; this module
turns those terms into flat numpy arrays indexed by round, person (position in
the :class:`~mixer.scoring.PairTable`) and table (position in ``tables``), so a
compiled loop prices a swap without knowing which rule a cost came from.
Hard terms cost ``hard_cost`` per breach, soft ones their ``weight``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mixer.constraints import CountTerm, PairTerm, SeatTerm, Term, VisitTerm, rules_for
from mixer.model import Event
from mixer.scoring import PairTable


@dataclass(frozen=True)
class TermArrays:
    """The terms of one event as arrays (empty arrays where there are no terms of a shape).

    - ``seat[r, p, t]``: cost of person ``p`` sitting at table ``t`` in round ``r``.
    - ``pair_start[r * n + p] : pair_start[r * n + p + 1]`` index ``pair_other``/``pair_cost``:
      the cost of ``p`` sharing a table with ``pair_other`` in round ``r`` (negative: a wish to sit together).
    - ``count_class[i, p]``: the class of ``p`` in count term ``i`` (-1: none), ``count_cost[i, k]``
      the cost of ``k`` of one class at a table, ``count_round[i, r]`` whether it applies, ``count_hard[i]``.
    - ``visit_start[p] : visit_start[p + 1]`` are the visit terms of ``p``;
      ``visit_round[k, r]``, ``visit_cost[k]`` and ``visit_hard[k]`` describe term ``k``.
    """

    seat: np.ndarray
    pair_start: np.ndarray
    pair_other: np.ndarray
    pair_cost: np.ndarray
    count_class: np.ndarray
    count_cost: np.ndarray
    count_round: np.ndarray
    count_hard: np.ndarray
    classes: int
    visit_start: np.ndarray
    visit_round: np.ndarray
    visit_cost: np.ndarray
    visit_hard: np.ndarray
    hard_cost: float

    @property
    def empty(self) -> bool:
        """Whether no rule term applies."""
        return not (self.seat.size or self.pair_cost.size or len(self.count_class) or len(self.visit_cost))

    @property
    def has_hard(self) -> bool:
        return bool(
            self.seat.size
            or (np.abs(self.pair_cost) >= self.hard_cost / 2).any()
            or self.count_hard.any()
            or self.visit_hard.any()
        )


def event_terms(event: Event) -> list[Term]:
    """Every search term of every rule in force."""
    return [term for rule in rules_for(event) for term in rule.search_terms(event)]


def compile_terms(
    terms: Sequence[Term], pairs: PairTable, rounds: int, tables: Sequence[str], largest: int, hard_cost: float
) -> TermArrays:
    """Arrays for ``terms`` over ``rounds`` rounds at ``tables`` (seats at most ``largest`` a table).

    Terms naming people or tables outside the event are left out (rule checks report those).
    """
    n, index = len(pairs.ids), pairs.index
    where = {t: i for i, t in enumerate(tables)}
    seats = [t for t in terms if isinstance(t, SeatTerm) and t.person in index and 1 <= t.round <= rounds]
    pair_terms = [t for t in terms if isinstance(t, PairTerm) and t.a in index and t.b in index and t.a != t.b]
    counts = [t for t in terms if isinstance(t, CountTerm)]
    visits = [t for t in terms if isinstance(t, VisitTerm) and t.person in index]

    def cost(term: Term) -> float:
        return hard_cost if term.hard else term.weight

    seat = np.zeros((rounds, n, len(tables)) if seats else (0, 0, 0))
    for term in seats:
        wrong = np.array([t not in term.tables for t in tables])
        seat[term.round - 1, index[term.person]] += cost(term) * wrong

    entries: dict[tuple[int, int, int], float] = {}
    for term in pair_terms:
        a, b = index[term.a], index[term.b]
        for r in term.rounds:
            if 1 <= r <= rounds:
                price = -cost(term) if term.together else cost(term)
                for key in ((r - 1, a, b), (r - 1, b, a)):
                    entries[key] = entries.get(key, 0.0) + price
    keys = sorted(entries)
    pair_start = np.zeros(rounds * n + 1, dtype=np.int64)
    for r, p, _ in keys:
        pair_start[r * n + p + 1] += 1
    pair_start = np.cumsum(pair_start)
    pair_other = np.array([q for _, _, q in keys], dtype=np.int32)
    pair_cost = np.array([entries[k] for k in keys], dtype=np.float64)

    labels = [sorted(set(term.classes.values())) for term in counts]
    classes = max((len(ls) for ls in labels), default=0)
    count_class = np.full((len(counts), n), -1, dtype=np.int32)
    count_cost = np.zeros((len(counts), largest + 2))
    count_round = np.zeros((len(counts), rounds), dtype=np.bool_)
    for i, (term, names) in enumerate(zip(counts, labels)):
        code = {label: c for c, label in enumerate(names)}
        for pid, label in term.classes.items():
            if pid in index:
                count_class[i, index[pid]] = code[label]
        count_cost[i] = [cost(term) * term.cost(k) for k in range(largest + 2)]
        for r in term.rounds:
            if 1 <= r <= rounds:
                count_round[i, r - 1] = True
    count_hard = np.array([t.hard for t in counts], dtype=np.bool_)

    visits = sorted(visits, key=lambda t: index[t.person])
    visit_start = np.zeros(n + 1, dtype=np.int64)
    for term in visits:
        visit_start[index[term.person] + 1] += 1
    visit_start = np.cumsum(visit_start)
    visit_round = np.zeros((len(visits), rounds), dtype=np.bool_)
    for k, term in enumerate(visits):
        for r in term.rounds:
            if 1 <= r <= rounds:
                visit_round[k, r - 1] = True

    return TermArrays(
        seat=seat,
        pair_start=pair_start,
        pair_other=pair_other,
        pair_cost=pair_cost,
        count_class=count_class,
        count_cost=count_cost,
        count_round=count_round,
        count_hard=count_hard,
        classes=max(classes, 1),
        visit_start=visit_start,
        visit_round=visit_round,
        visit_cost=np.array([cost(t) for t in visits], dtype=np.float64),
        visit_hard=np.array([t.hard for t in visits], dtype=np.bool_),
        hard_cost=hard_cost,
    )


def soft_cost_bound(terms: Sequence[Term], tables: int, largest: int) -> float:
    """More than the soft terms can cost or save in any seating (so one repeat may outweigh them all)."""
    total = 0.0
    for term in terms:
        if term.hard:
            continue
        if isinstance(term, CountTerm):
            worst = max(abs(term.cost(k)) for k in range(largest + 2))
            total += term.weight * worst * tables * len(set(term.classes.values())) * len(term.rounds)
        else:
            total += abs(term.weight) * (len(term.rounds) if isinstance(term, (PairTerm, VisitTerm)) else 1)
    return total


def outweighing(value: np.ndarray, terms: Sequence[Term], tables: int, largest: int) -> float:
    """More than all pair values (``value``, symmetric) and soft terms together can change: the weight of one
    repeat, or of one hard breach, in a cost that ranks plans as scoring does."""
    return float(np.abs(value).sum()) / 2 + soft_cost_bound(terms, tables, largest) + 1.0
