"""Seat, count and visit terms of one round, priced for the greedy's placements and swaps.

Built from every rule's :meth:`search_terms` (never from a rule's kind): a
seat term is a cost per person and table, a count term a cost of how many of
one class sit at a table, and a visit term a cost per person at each table
they sit at in another of the term's rounds (priced as seat costs, refreshed by
:meth:`RoundTerms.see_visits` as the other rounds change). Hard terms cost
``hard`` per breach, soft ones their weight, in the same units as the greedy's gains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mixer.model import Event
from mixer.scoring import PairTable
from mixer.solvers.term_arrays import TermArrays, compile_terms, event_terms


@dataclass
class _Count:
    """One count term in one round: each person's class (-1: none), the cost of k at a table, counts now."""

    codes: np.ndarray
    cost: np.ndarray
    counts: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))

    def step(self, tables: np.ndarray, classes: np.ndarray, by: int) -> np.ndarray:
        """Cost change of one more (``by`` = 1) or one fewer (-1) person of ``classes`` at ``tables``."""
        k = self.counts[tables, classes]
        return self.cost[k + by] - self.cost[k]


@dataclass
class RoundTerms:
    """Costs of where people sit in one round: ``seat[t, p]`` and count terms over the round's tables."""

    seat: np.ndarray | None
    count: list[_Count]
    restricted: np.ndarray  # people with a hard seat term this round: they are seated first
    visits: list[tuple[int, tuple[int, ...], float]] = field(default_factory=list)  # person, term's rounds, cost
    fixed_seat: np.ndarray | None = None  # the seat terms alone, before visits are added

    @property
    def empty(self) -> bool:
        return self.seat is None and not self.count

    def see_visits(self, round_no: int, tables: list[str], seated: dict[int, dict[int, str]]) -> None:
        """Price visits as seat costs: ``seated`` maps other rounds to person -> table id, ``tables`` this round's."""
        if not self.visits:
            return
        if self.fixed_seat is None:
            self.fixed_seat = np.zeros((len(tables), len(self.restricted))) if self.seat is None else self.seat.copy()
        self.seat = self.fixed_seat.copy()
        where = {table_id: t for t, table_id in enumerate(tables)}
        for p, rounds, cost in self.visits:
            for other in rounds:
                t = where.get(seated.get(other, {}).get(p, ""))
                if other != round_no and t is not None:
                    self.seat[t, p] += cost

    def load(self, seated: list[list[int]]) -> None:
        """Count who sits where now."""
        for term in self.count:
            term.counts = np.zeros((len(seated), int(term.codes.max(initial=-1)) + 1), dtype=np.int64)
            for t, members in enumerate(seated):
                classes = term.codes[members]
                np.add.at(term.counts[t], classes[classes >= 0], 1)

    def place_cost(self, p: int, tables: np.ndarray) -> np.ndarray:
        """Cost of seating ``p`` at each of ``tables`` now."""
        cost = np.zeros(len(tables)) if self.seat is None else self.seat[tables, p].copy()
        for term in self.count:
            c = term.codes[p]
            if c >= 0:
                cost += term.step(tables, np.full(len(tables), c), +1)
        return cost

    def move(self, p: int, source: int | None, target: int) -> None:
        """Record ``p`` leaving ``source`` (None: newly seated) for ``target``."""
        for term in self.count:
            c = term.codes[p]
            if c >= 0:
                if source is not None:
                    term.counts[source, c] -= 1
                term.counts[target, c] += 1

    def group_count_cost(self, groups: np.ndarray) -> np.ndarray:
        """What the count terms charge each group (a row of people, by index) sitting together at one table."""
        cost = np.zeros(len(groups))
        for term in self.count:
            codes = term.codes[groups]
            for c in range(int(term.codes.max(initial=-1)) + 1):
                cost += term.cost[(codes == c).sum(axis=1)]
        return cost

    def swap_cost(self, p: int, a: int, people: np.ndarray, table: np.ndarray) -> np.ndarray:
        """Cost change of ``p`` (at table ``a``) trading seats with each of ``people`` (at ``table``)."""
        cost = np.zeros(len(people))
        if self.seat is not None:
            cost += self.seat[table, p] - self.seat[a, p] + self.seat[a, people] - self.seat[table, people]
        at_a = np.full(len(people), a)
        for term in self.count:
            cp, cq = term.codes[p], term.codes[people]
            change = np.zeros(len(people))
            if cp >= 0:
                mine = np.full(len(people), cp)
                change += term.step(at_a, mine, -1) + term.step(table, mine, +1)
            other = cq >= 0
            change[other] += term.step(table[other], cq[other], -1) + term.step(at_a[other], cq[other], +1)
            change[cq == cp] = 0.0  # same class: the counts do not change
            cost += change
        return cost


def round_terms(event: Event, pairs: PairTable, layouts: list[dict[str, int]], hard: float) -> list[RoundTerms]:
    """The seat, count and visit terms of every round (index r - 1), hard ones costing ``hard`` per breach.

    Read from the arrays every heuristic prices rules from (:func:`compile_terms`), one round at a time.
    """
    tables, largest = layout_tables(layouts)
    return terms_by_round(compile_terms(event_terms(event), pairs, len(layouts), tables, largest, hard), pairs, layouts)


def terms_by_round(arrays: TermArrays, pairs: PairTable, layouts: list[dict[str, int]]) -> list[RoundTerms]:
    """:func:`round_terms` from arrays already compiled over :func:`layout_tables` of ``layouts``."""
    tables, _ = layout_tables(layouts)
    hard = arrays.hard_cost
    where = {table: t for t, table in enumerate(tables)}
    person = np.repeat(np.arange(len(pairs.ids)), np.diff(arrays.visit_start))
    visits = [
        (int(p), tuple(int(r) + 1 for r in np.flatnonzero(in_round)), float(cost))
        for p, in_round, cost in zip(person, arrays.visit_round, arrays.visit_cost)
    ]
    found = []
    for r, layout in enumerate(layouts):
        seat = np.ascontiguousarray(arrays.seat[r][:, [where[table] for table in layout]].T) if arrays.seat.size else None
        if seat is not None and not seat.any():
            seat = None
        restricted = np.zeros(len(pairs.ids), dtype=bool) if seat is None else (seat >= hard / 2).any(axis=0)
        count = [_Count(arrays.count_class[i].astype(np.int64), arrays.count_cost[i])
                 for i in np.flatnonzero(arrays.count_round[:, r])] if arrays.count_round.size else []
        found.append(RoundTerms(seat, count, restricted, [v for v in visits if r + 1 in v[1]]))
    return found


def layout_tables(layouts: list[dict[str, int]]) -> tuple[list[str], int]:
    """Every table of the rounds' layouts, in order of first use, and the largest capacity among them."""
    tables = list(dict.fromkeys(table for layout in layouts for table in layout))
    return tables, max((max(layout.values(), default=0) for layout in layouts), default=0)
