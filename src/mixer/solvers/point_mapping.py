"""Which person takes which point of a design: local search over swaps of two people's whole schedules.

Swapping two people's points keeps every meeting count of the design, so the
plan stays free of repeats within the design; what changes is who meets whom:
the value of the pairs, repeats of meetings from history and played rounds,
and the rules, read only through their search terms. Cost, lowest best:
``hard * (hard-rule breaches) + repeat * (repeats) - value + soft-rule costs``.
A swap's pair cost is priced for many partners at once from the points'
neighbour lists; the other terms (seat, count, visit) only for the cheapest few.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from mixer.constraints import CountTerm, PairTerm, SeatTerm, Term, VisitTerm

PARTNERS = 150  # people priced as swap partners per move, at most
SHORTLIST = 6  # cheapest partners by pair cost whose other terms are priced too
KICKS = 12  # random shakes after a local optimum
KICK_SWAPS = 3


@dataclass(frozen=True)
class Layout:
    """The design as the search sees it: who sits beside each point, and each point's table in each round.

    ``neighbours[u]`` lists every point that shares a table with ``u`` in some
    round (empty points included); ``tables[k][u]`` is a table id; ``rounds[k]``
    the event round of design round ``k``; ``sizes[k]`` its table id -> seats.
    """

    neighbours: np.ndarray
    tables: list[list[str]]
    rounds: tuple[int, ...]
    sizes: list[dict[str, int]]


class PointMapping:
    """People on points; ``pair_cost[a, b]`` prices a and b meeting (index ``n``: an empty point, cost 0).

    People in ``fixed`` keep their points (the anchored: hosts on points that never meet).
    """

    def __init__(self, layout: Layout, person_at: np.ndarray, pair_cost: np.ndarray, extras: Extras,
                 fixed: Sequence[int] = ()) -> None:
        self.layout, self.pair_cost, self.extras = layout, pair_cost, extras
        self.person_at = person_at.copy()  # point -> person (n for an empty point)
        people = pair_cost.shape[0] - 1
        self.movable = np.ones(people, dtype=bool)
        self.movable[list(fixed)] = False
        self.point_of = np.zeros(people, dtype=np.int64)
        real = person_at < people
        self.point_of[person_at[real]] = np.flatnonzero(real)

    def cost(self) -> float:
        around = self.person_at[self.layout.neighbours]
        pairs = self.pair_cost[self.person_at[:, None], around].sum() / 2
        return float(pairs) + self.extras.cost(self)

    def swap_costs(self, a: int, partners: np.ndarray) -> np.ndarray:
        """Pair-cost change of swapping ``a`` with each of ``partners``."""
        c, nb = self.pair_cost, self.layout.neighbours
        u = self.point_of[a]
        around_u = self.person_at[nb[u]]
        points = self.point_of[partners]
        around_v = self.person_at[nb[points]]
        b_at_u = c[partners[:, None], around_u[None, :]].sum(axis=1)
        a_at_v = c[a, around_v].sum(axis=1)
        now_a = c[a, around_u].sum()
        now_b = c[partners[:, None], around_v].sum(axis=1)
        beside = np.isin(points, nb[u])
        delta = b_at_u + a_at_v + 2 * beside * c[a, partners] - now_a - now_b
        delta[(partners == a) | ~self.movable[partners]] = np.inf
        return delta

    def swap(self, a: int, b: int) -> None:
        """``a`` and ``b`` trade points (and so every seat of their schedules)."""
        self.extras.before_swap(self, a, b)
        u, v = self.point_of[a], self.point_of[b]
        self.point_of[a], self.point_of[b] = v, u
        self.person_at[u], self.person_at[v] = b, a

    def table(self, person: int, k: int) -> str:
        return self.layout.tables[k][self.point_of[person]]

    def snapshot(self) -> tuple[np.ndarray, list[list[str]]]:
        return self.person_at.copy(), [list(tables) for tables in self.layout.tables]

    def restore(self, state: tuple[np.ndarray, list[list[str]]]) -> None:
        """Go back to a snapshot: people on points, and each round's table of each point."""
        person_at, tables = state
        self.person_at = person_at.copy()
        real = person_at < len(self.point_of)
        self.point_of[person_at[real]] = np.flatnonzero(real)
        for k, labels in enumerate(tables):
            self.layout.tables[k][:] = labels
        self.extras.start(self)


class Extras:
    """Seat, count and visit terms over the design rounds, priced per person swap (pair terms are in the matrix)."""

    def __init__(
        self, terms: list[Term], index: dict[str, int], layout: Layout, earlier: dict[int, dict[str, str]], hard: float,
        absent: list[set[int]] | None = None, seat_counts: tuple[CountTerm, ...] = (),
    ) -> None:
        """``absent[k]``: people not there in design round k, so no term sees them in it, except ``seat_counts``
        (count terms over the seats themselves, such as empty seats at different tables)."""
        self.index, self.hard = index, hard
        self.absent = absent or [set() for _ in layout.rounds]
        self.round_k = {r: k for k, r in enumerate(layout.rounds)}
        self.seats: dict[int, list[SeatTerm]] = {}
        self.visits: dict[int, list[VisitTerm]] = {}
        self.counts = [t for t in terms if isinstance(t, CountTerm) and self.round_k.keys() & set(t.rounds)]
        self.attending_counts = len(self.counts)  # count terms before this index see only the people there
        self.counts += seat_counts
        self.earlier = earlier  # round -> person id -> table, for rounds before the design (visits)
        self.ids = {i: pid for pid, i in index.items()}
        for term in terms:
            if isinstance(term, SeatTerm) and term.person in index and term.round in self.round_k:
                self.seats.setdefault(index[term.person], []).append(term)
            if isinstance(term, VisitTerm) and term.person in index:
                self.visits.setdefault(index[term.person], []).append(term)
        self.tally: dict[tuple[int, int, str], Counter[str]] = {}
        self.members: list[dict[str, list[int]]] = []  # per design round: table -> its points (empty ones too)

    @property
    def empty(self) -> bool:
        """No seat, visit or count terms and nobody absent: the seat counts then hold whoever sits where."""
        return not (self.seats or self.visits or self.attending_counts or any(self.absent))

    @property
    def placed_people(self) -> list[int]:
        """People whose terms depend on which table they sit at, not only on whom they sit with."""
        return sorted(set(self.seats) | set(self.visits))

    def weight(self, term: Term) -> float:
        return self.hard if term.hard else term.weight

    def start(self, mapping: PointMapping) -> None:
        """Who sits at each table in each round, and each class's count there (for count terms)."""
        self.members = []
        for labels in mapping.layout.tables:
            seated: dict[str, list[int]] = {}
            for point, table in enumerate(labels):
                seated.setdefault(table, []).append(point)
            self.members.append(seated)
        self.tally = {}
        for i, term in enumerate(self.counts):
            for person, label in self._labelled(term):
                for r in term.rounds:
                    k = self.round_k.get(r)
                    if k is not None and (i >= self.attending_counts or person not in self.absent[k]):
                        self.tally.setdefault((i, k, mapping.table(person, k)), Counter())[label] += 1

    def _labelled(self, term: CountTerm) -> list[tuple[int, str]]:
        return [(self.index[pid], label) for pid, label in term.classes.items() if pid in self.index]

    def cost(self, mapping: PointMapping) -> float:
        total = 0.0
        for person in set(self.seats) | set(self.visits):
            total += self._person_cost(mapping, person, person)
        for i, term in enumerate(self.counts):
            labels = set(term.classes.values())
            for (j, _k, _t), here in self.tally.items():
                if j == i:
                    total += self.weight(term) * sum(term.cost(here[label]) for label in labels)
        return total

    def _person_cost(self, mapping: PointMapping, person: int, seat_of: int, seats: bool = True) -> float:
        """Seat (unless not ``seats``) and visit costs of ``person`` if they took the seats of ``seat_of``."""
        total = 0.0
        for term in self.seats.get(person, ()) if seats else ():
            k = self.round_k[term.round]
            if person not in self.absent[k] and mapping.table(seat_of, k) not in term.tables:
                total += self.weight(term)
        for visit in self.visits.get(person, ()):
            seen: set[str] = set()
            for r in sorted(visit.rounds):
                k = self.round_k.get(r)
                if k is None:
                    table = self.earlier.get(r, {}).get(self.ids[person])
                else:
                    table = None if person in self.absent[k] else mapping.table(seat_of, k)
                if table is not None:
                    total += self.weight(visit) * (table in seen)
                    seen.add(table)
        return total

    def delta(self, mapping: PointMapping, a: int, b: int, seats: bool = True) -> float:
        """Cost change of swapping ``a`` and ``b`` (without seat terms if not ``seats``)."""
        if not (self.seats or self.visits or self.counts):
            return 0.0
        change = 0.0
        for p, q in ((a, b), (b, a)):
            if p in self.seats or p in self.visits:
                change += self._person_cost(mapping, p, q, seats) - self._person_cost(mapping, p, p, seats)
        for i, k, table, leaves, joins in self._count_moves(mapping, a, b):
            change += self.weight(self.counts[i]) * self._moved(i, k, table, leaves, joins)
        return change

    def _count_moves(self, mapping: PointMapping, a: int, b: int) -> Iterator[tuple[int, int, str, str | None, str | None]]:
        """``(count term, design round, table, class leaving, class joining)`` for each table a swap changes."""
        for i, term in enumerate(self.counts):
            class_a, class_b = term.classes.get(self.ids[a]), term.classes.get(self.ids[b])
            if class_a is None and class_b is None:
                continue
            for r in term.rounds:
                k = self.round_k.get(r)
                if k is None or (ta := mapping.table(a, k)) == (tb := mapping.table(b, k)):
                    continue
                attending = i < self.attending_counts
                la = None if attending and a in self.absent[k] else class_a
                lb = None if attending and b in self.absent[k] else class_b
                if la != lb:
                    yield i, k, ta, la, lb
                    yield i, k, tb, lb, la

    def _moved(self, i: int, k: int, table: str, leaves: str | None, joins: str | None) -> float:
        term = self.counts[i]
        here = self.tally.get((i, k, table), Counter())
        change = 0.0
        if leaves is not None:
            change += term.cost(here[leaves] - 1) - term.cost(here[leaves])
        if joins is not None:
            change += term.cost(here[joins] + 1) - term.cost(here[joins])
        return change

    def relabel(self, mapping: PointMapping, k: int, first: str, second: str) -> None:
        """Tables ``first`` and ``second`` trade places in design round ``k``."""
        labels = mapping.layout.tables[k]
        for point in (*self.members[k].get(first, ()), *self.members[k].get(second, ())):
            labels[point] = second if labels[point] == first else first
        seated = self.members[k]
        seated[first], seated[second] = seated.get(second, []), seated.get(first, [])
        for i in range(len(self.counts)):
            here, there = self.tally.pop((i, k, first), Counter()), self.tally.pop((i, k, second), Counter())
            self.tally[i, k, first], self.tally[i, k, second] = there, here

    def relabel_delta(self, mapping: PointMapping, k: int, first: str, second: str) -> float:
        """Cost change of tables ``first`` and ``second`` trading places in design round ``k``."""
        points = (*self.members[k].get(first, ()), *self.members[k].get(second, ()))
        people = [p for p in (int(mapping.person_at[u]) for u in points) if p in self.seats or p in self.visits]
        before = sum(self._person_cost(mapping, p, p) for p in people)
        self.relabel(mapping, k, first, second)
        after = sum(self._person_cost(mapping, p, p) for p in people)
        self.relabel(mapping, k, first, second)
        return after - before

    def before_swap(self, mapping: PointMapping, a: int, b: int) -> None:
        """Update the class counts for ``a`` and ``b`` trading places."""
        for i, k, table, leaves, joins in list(self._count_moves(mapping, a, b)):
            here = self.tally.setdefault((i, k, table), Counter())
            if leaves is not None:
                here[leaves] -= 1
            if joins is not None:
                here[joins] += 1


def pair_costs(value: np.ndarray, met_before: np.ndarray, terms: list[Term], index: dict[str, int],
               rounds: tuple[int, ...], repeat: float, hard: float) -> np.ndarray:
    """``[a, b]`` cost of a and b meeting once in the design, with a zero row and column for empty points."""
    n = value.shape[0]
    cost = np.zeros((n + 1, n + 1))
    cost[:n, :n] = np.where(met_before > 0, repeat, -value)
    for term in terms:
        if isinstance(term, PairTerm) and term.a in index and term.b in index and set(term.rounds) & set(rounds):
            a, b = index[term.a], index[term.b]
            size = hard if term.hard else term.weight
            cost[a, b] += -size if term.together else size
            cost[b, a] = cost[a, b]
    for (a, b), size in _seat_clashes(terms, index, rounds, hard).items():
        cost[a, b] += size
        cost[b, a] = cost[a, b]
    np.fill_diagonal(cost, 0.0)
    return cost


def _seat_clashes(terms: list[Term], index: dict[str, int], rounds: tuple[int, ...], hard: float) -> dict[tuple[int, int], float]:
    """Two people who must sit at different tables in a round (seat terms with no table in common) should not meet.

    Seat terms themselves are kept by tables trading places, so a person swap prices only these clashes.
    """
    wishes: dict[int, list[tuple[int, frozenset[str], float]]] = {}
    for term in terms:
        if isinstance(term, SeatTerm) and term.person in index and term.round in rounds:
            wishes.setdefault(term.round, []).append((index[term.person], term.tables, hard if term.hard else term.weight))
    clashes: dict[tuple[int, int], float] = {}
    for wished in wishes.values():
        for i, (a, tables_a, size_a) in enumerate(wished):
            for b, tables_b, size_b in wished[i + 1 :]:
                if a != b and not tables_a & tables_b:
                    pair = (min(a, b), max(a, b))
                    clashes[pair] = max(clashes.get(pair, 0.0), min(size_a, size_b))
    return clashes


def improve(mapping: PointMapping, rng: np.random.Generator, out_of_time: Callable[[], bool]) -> float:
    """Swap people, then let tables trade places, while that lowers the cost; shake and repeat ``KICKS`` times.

    Leaves the best mapping found in place and returns its cost.
    """
    people = len(mapping.point_of)
    mapping.extras.start(mapping)
    cost = mapping.cost()
    pairs = mapping.pair_cost[:people, :people][~np.eye(people, dtype=bool)]
    if mapping.extras.empty and (pairs.size == 0 or pairs.min() == pairs.max()):
        return cost  # every pair alike (names only), no rules on tables, all there: nothing to gain
    best_cost, best = cost, mapping.snapshot()
    for _kick in range(KICKS + 1):
        change = -1.0
        while change < -1e-9 and not out_of_time():
            _swap_people(mapping, rng, out_of_time)
            _swap_tables(mapping)
            change, cost = mapping.cost() - cost, mapping.cost()
        if cost < best_cost - 1e-9:
            best_cost, best = cost, mapping.snapshot()
        if out_of_time():
            break
        movable = np.flatnonzero(mapping.movable)
        for _ in range(KICK_SWAPS if len(movable) > 1 else 0):
            a, b = rng.choice(movable, 2, replace=False)
            mapping.swap(int(a), int(b))
        cost = mapping.cost()
    mapping.restore(best)
    return best_cost


def _swap_people(mapping: PointMapping, rng: np.random.Generator, out_of_time: Callable[[], bool]) -> None:
    """One pass: each person in turn makes the best swap among some partners, if it lowers the cost.

    Seat terms are left to tables trading places (:func:`_swap_tables`); their clashes are in the pair costs.
    """
    people = len(mapping.point_of)
    for a in rng.permutation(np.flatnonzero(mapping.movable)):
        if out_of_time():
            break
        partners = np.arange(people) if people <= PARTNERS else rng.choice(people, PARTNERS, replace=False)
        delta = mapping.swap_costs(int(a), partners)
        shortlist = np.argsort(delta)[:SHORTLIST]
        priced = [(float(delta[j]) + mapping.extras.delta(mapping, int(a), int(partners[j]), seats=False), int(partners[j]))
                  for j in shortlist if np.isfinite(delta[j])]
        change, b = min(priced, default=(0.0, -1))
        if change < -1e-9:
            mapping.swap(int(a), b)


def _swap_tables(mapping: PointMapping) -> None:
    """One pass: two tables of a size trade places in a round when that lowers seat and visit costs."""
    extras = mapping.extras
    if not extras.placed_people:
        return
    for k in range(len(mapping.layout.rounds)):
        seated, sizes = extras.members[k], mapping.layout.sizes[k]
        for first in sorted({mapping.table(p, k) for p in extras.placed_people}):
            for second in sorted(seated):
                if second != first and sizes[first] == sizes[second]:
                    change = extras.relabel_delta(mapping, k, first, second)
                    if change < -1e-9:
                        extras.relabel(mapping, k, first, second)
