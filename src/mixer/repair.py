"""Repair an old plan for a changed attendance in a few milliseconds: re-solve's first plan.

Round by round from the first one planned again: everyone present keeps their
old table if the round still uses it; each table gets one of the round's
balanced sizes (:func:`mixer.layout.round_layout`), the fullest tables the
largest; a table over its size gives up the people who fit it worst; then
arrivals and everyone without a seat take the free seat where they cost
least. A seat's cost reads the rules only through their search terms: hard
pair and seat terms first, then repeats (counting every other round), then the
value of new pairings and soft terms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mixer.constraints import rules_for
from mixer.layout import round_layout
from mixer.model import Event, RoundSeating, TableSeating
from mixer.scoring import PairTable, meeting_counts
from mixer.solvers.round_terms import round_terms
from mixer.solvers.greedy import rule_bias


def repair(event: Event, old: Sequence[RoundSeating], from_round: int) -> tuple[RoundSeating, ...]:
    """``old``'s rounds before ``from_round`` unchanged, the later ones repaired for ``event``'s attendance."""
    pairs = PairTable.of(event)
    seats = _Seats(event, pairs, old)
    rounds = list(old[: from_round - 1])
    for r in range(from_round, event.rounds + 1):
        before = old[r - 1] if r <= len(old) else RoundSeating(round=r, tables=())
        seats.forget(before)
        rounds.append(seats.repair_round(r, before.table_of()))
        seats.count(rounds[-1])
    return tuple(rounds)


class _Seats:
    """Meeting counts over every round but the one being repaired, and what each seat costs."""

    def __init__(self, event: Event, pairs: PairTable, old: Sequence[RoundSeating]) -> None:
        self.event, self.pairs = event, pairs
        self.met = pairs.history + meeting_counts(pairs, old)
        largest = max(t.capacity for t in event.tables)
        self.repeat_cost = 100.0 * (1.0 + pairs.value.max(initial=0.0)) * largest
        self.bias = rule_bias(event, pairs)
        layouts = [round_layout(event, r) for r in range(1, event.rounds + 1)]
        self.slots = [{table: slot for slot, table in enumerate(layout)} for layout in layouts]
        self.rules = rules_for(event)
        self.terms = round_terms(event, pairs, layouts, 100.0 * self.repeat_cost * largest)

    def forget(self, seating: RoundSeating) -> None:
        self._add(seating, -1)

    def count(self, seating: RoundSeating) -> None:
        self._add(seating, +1)

    def _add(self, seating: RoundSeating, sign: int) -> None:
        index = self.pairs.index
        for ts in seating.tables:
            members = [index[p] for p in ts.participants if p in index]
            self.met[np.ix_(members, members)] += sign
        np.fill_diagonal(self.met, 0)

    def cost(self, r: int, p: int, table: str, members: Sequence[int]) -> float:
        """What seating person ``p`` at ``table`` with ``members`` costs in round ``r``."""
        met = self.met[p, members]
        total = self.repeat_cost * float((met > 0).sum()) - float(self.pairs.value[p, members][met == 0].sum())
        total -= float(self.bias[p, members].sum())
        terms = self.terms[r - 1]
        if not terms.empty:
            total += float(terms.place_cost(p, np.array([self.slots[r - 1][table]]))[0])
        return total

    def repair_round(self, r: int, was: dict[str, str]) -> RoundSeating:
        index, ids = self.pairs.index, self.pairs.ids
        size = _sizes(self.event, r, was)
        groups: dict[str, list[int]] = {t: [] for t in size}
        waiting = []
        for pid in self.event.present(r):
            table = was.get(pid)
            (groups[table] if table in groups else waiting).append(index[pid])
        terms, slot = self.terms[r - 1], self.slots[r - 1]
        terms.load([groups[t] for t in slot])
        for table, members in groups.items():
            while len(members) > size[table]:
                worst = max(members, key=lambda p: self.cost(r, p, table, [q for q in members if q != p]))
                members.remove(worst)
                waiting.append(worst)
        blamed = self._blamed(r, groups)
        for members in groups.values():
            members[:] = [p for p in members if p not in blamed]
        waiting += sorted(blamed)
        terms.load([groups[t] for t in slot])
        for p in waiting:
            open_tables = [t for t in groups if len(groups[t]) < size[t]]
            table = min(open_tables, key=lambda t: self.cost(r, p, t, groups[t]))
            groups[table].append(p)
            terms.move(p, None, slot[table])
        self._mend(r, groups)
        return self._seating(r, groups)

    def _seating(self, r: int, groups: dict[str, list[int]]) -> RoundSeating:
        ids = self.pairs.ids
        return RoundSeating(round=r, tables=tuple(
            TableSeating(table=t, participants=tuple(ids[p] for p in members)) for t, members in groups.items()
            if members))

    def _blamed(self, r: int, groups: dict[str, list[int]]) -> set[int]:
        """Everyone seated in ``groups`` whom a hard rule blames for where they sit."""
        index = self.pairs.index
        seated = {p for members in groups.values() for p in members}
        seating = self._seating(r, groups)
        return {index[pid] for rule in self.rules for v in rule.violations(self.event, [seating]) if v.hard
                for pid in v.people if index.get(pid) in seated}

    def _mend(self, r: int, groups: dict[str, list[int]]) -> None:
        """Swap people the hard rules blame with others while a swap lowers the round's cost."""
        table_of = {p: t for t, members in groups.items() for p in members}
        for _ in range(4 * len(table_of)):
            best, swap = -1e-9, None
            for p in self._blamed(r, groups):
                a = table_of[p]
                rest_a = [x for x in groups[a] if x != p]
                stay_p = self.cost(r, p, a, rest_a)
                for q, b in table_of.items():
                    if b == a:
                        continue
                    rest_b = [x for x in groups[b] if x != q]
                    change = (self.cost(r, p, b, rest_b) + self.cost(r, q, a, rest_a)
                              - stay_p - self.cost(r, q, b, rest_b))
                    if change < best:
                        best, swap = change, (p, q)
            if swap is None:
                return
            p, q = swap
            a, b = table_of[p], table_of[q]
            groups[a][groups[a].index(p)], groups[b][groups[b].index(q)] = q, p
            table_of[p], table_of[q] = b, a
            slot = self.slots[r - 1]
            self.terms[r - 1].move(p, slot[a], slot[b])
            self.terms[r - 1].move(q, slot[b], slot[a])


def _sizes(event: Event, r: int, was: dict[str, str]) -> dict[str, int]:
    """The round's table sizes, the largest given to the tables that keep the most people (capacities allowing)."""
    layout = round_layout(event, r)
    capacity = {t.id: t.capacity for t in event.tables_in(r)}
    keeping = {t: sum(1 for pid in event.present(r) if was.get(pid) == t) for t in layout}
    left = sorted(layout.values(), reverse=True)
    sizes: dict[str, int] = {}
    for table in sorted(layout, key=lambda t: -keeping[t]):
        fits = [s for s in left if s <= capacity[table]]
        if not fits:
            return layout
        sizes[table] = fits[0]
        left.remove(fits[0])
    return {t: sizes[t] for t in layout}
