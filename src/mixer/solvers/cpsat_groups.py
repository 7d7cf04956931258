"""A CP-SAT neighbourhood for value: the people of some whole tables of one round, re-grouped as a set partition.

With every other round fixed, each group that could sit at one of the chosen
tables without a repeat is a column: no two of its people have met, in history
or in another round, unless a hard rule seats them together in this round (then
both or neither are in it). The groups sitting there now are columns too,
whatever they hold, so the current plan is a solution and the hint. A column
costs what :mod:`mixer.scoring` would count: the value of its first meetings,
less what the rules' search terms charge it (seat and visit terms at each table,
pair and count terms in the group; a hard term rules a column out), the prices
every heuristic uses. CP-SAT chooses one group per table with everyone in exactly
one. This set partition is far tighter than the seat model's pair variables:
CP-SAT proves most such neighbourhoods optimal in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from mixer.layout import round_layout
from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, meeting_counts, rule_meetings
from mixer.solvers.common import seating_from_tables
from mixer.solvers.round_terms import RoundTerms, layout_tables, terms_by_round
from mixer.solvers.term_arrays import compile_terms, event_terms, outweighing

MOST_GROUPS = 20_000  # columns one neighbourhood may have; more and it must take fewer tables


@dataclass(frozen=True)
class _Columns:
    """Groups of one size (rows of people, by position among those set free) for one table, or for any table of
    their size when ``table`` is None; what each costs, scaled to whole numbers, and which sit there now."""

    members: np.ndarray
    table: str | None
    cost: np.ndarray
    now: np.ndarray


@dataclass
class Regrouping:
    """The set-partition model of one neighbourhood, and how to read the plan CP-SAT chose."""

    model: object
    columns: list[tuple[_Columns, list[object]]]  # each with its variables
    ids: list[str]  # the people set free
    tables: dict[str, int]  # the chosen tables and their sizes
    current: Sequence[RoundSeating]
    round_no: int
    event: Event

    def read(self, solver: object) -> tuple[RoundSeating, ...]:
        """``current`` with the chosen tables of the round seated as CP-SAT grouped them."""
        table_of = self.current[self.round_no - 1].table_of()
        chosen = [([self.ids[x] for x in block.members[k]], block.table)
                  for block, variables in self.columns for k, var in enumerate(variables) if solver.boolean_value(var)]
        free = [t for t in self.tables if all(table != t for _, table in chosen)]
        for people, table in sorted(chosen, key=lambda c: c[1] is None):
            if table is None:  # any free table of its size: the one where most of them sit now
                fits = [t for t in free if self.tables[t] == len(people)]
                table = max(fits, key=lambda t: sum(table_of[pid] == t for pid in people))
                free.remove(table)
            table_of.update(dict.fromkeys(people, table))
        rounds = list(self.current)
        rounds[self.round_no - 1] = seating_from_tables(self.event, [table_of], first_round=self.round_no)[0]
        return tuple(rounds)


class Regrouper:
    """What pricing groups needs, prepared once per search: every rule's search terms by round."""

    def __init__(self, event: Event, pairs: PairTable, scale: int) -> None:
        self.event, self.pairs, self.scale = event, pairs, scale
        self.layouts = [round_layout(event, r) for r in range(1, event.rounds + 1)]
        tables, largest = layout_tables(self.layouts)
        terms = event_terms(event)
        self.hard = 2.0 * outweighing(pairs.value, terms, len(tables), largest)  # per hard breach
        self.pair_terms = compile_terms(terms, pairs, event.rounds, tables, largest, self.hard)
        self.round_terms: list[RoundTerms] = terms_by_round(self.pair_terms, pairs, self.layouts)

    def regroup(self, current: Sequence[RoundSeating], round_no: int, tables: Sequence[str]) -> Regrouping | None:
        """The model re-grouping the people of ``tables`` (whole tables of ``round_no``), or None when it would
        have more than :data:`MOST_GROUPS` columns."""
        seating = current[round_no - 1]
        sizes = {ts.table: len(ts.participants) for ts in seating.tables if ts.table in set(tables)}
        ids = [pid for ts in seating.tables if ts.table in sizes for pid in ts.participants]
        position = {pid: x for x, pid in enumerate(ids)}
        now = {tuple(sorted(position[pid] for pid in ts.participants)): ts.table
               for ts in seating.tables if ts.table in sizes}
        people = np.array([self.pairs.index[pid] for pid in ids])
        allowed, weight, partners = self._pairs(current, round_no, people)
        terms = self._seat_terms(current, round_no)
        columns: list[_Columns] = []
        for size in sorted(set(sizes.values())):
            groups = _cliques(allowed, size, MOST_GROUPS - sum(len(c.members) for c in columns))
            if groups is None:
                return None
            members = np.array(groups, dtype=np.int64).reshape(len(groups), size)
            for x, y in partners:  # a hard rule seats them together: both in a group or neither
                members = members[(members == x).any(axis=1) == (members == y).any(axis=1)]
            found = set(map(tuple, members.tolist()))
            sitting = [g for g in now if len(g) == size and g not in found]
            members = np.concatenate([members, np.array(sitting, dtype=np.int64).reshape(len(sitting), size)])
            at = [t for t, s in sizes.items() if s == size]
            columns += self._priced(members, people, weight, terms, round_no, at, now)
        if sum(len(c.members) for c in columns) > MOST_GROUPS:
            return None
        return self._model(columns, ids, sizes, current, round_no)

    def _pairs(self, current: Sequence[RoundSeating], round_no: int,
               people: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
        """Among ``people`` (by index) in ``round_no``: which two may share a new group, what each two sharing one
        costs (their pair terms less the value of a first meeting; more than any plan can gain when they may not),
        and the pairs a hard rule seats together there (by position)."""
        pairs = self.pairs
        others = [s for s in current if s.round != round_no]
        met = (pairs.history + meeting_counts(pairs, others) - rule_meetings(pairs, others))[np.ix_(people, people)]
        kept = np.array([[round_no in pairs.kept_together.get((min(i, j), max(i, j)), ()) for j in people]
                         for i in people], dtype=bool).reshape(len(people), len(people))
        pair_cost = self._pair_costs(round_no, people)
        allowed = ((met == 0) | kept) & (pair_cost < self.hard / 2)
        gain = np.where((met == 0) & ~kept, pairs.value[np.ix_(people, people)], 0.0)
        weight = np.where(np.abs(pair_cost) < self.hard / 2, pair_cost, 0.0) - gain  # seating kept pairs: enforced
        weight += np.where(allowed | kept, 0.0, self.hard)  # only groups sitting there now hold such pairs
        return allowed, weight, [(int(x), int(y)) for x, y in zip(*np.nonzero(np.triu(kept, k=1)))]

    def _priced(self, members: np.ndarray, people: np.ndarray, weight: np.ndarray, terms: RoundTerms,
                round_no: int, at: list[str], now: dict[tuple[int, ...], str]) -> list[_Columns]:
        """The groups in ``members`` (rows of positions) priced: one column each for any of the tables ``at``, or,
        when seat or visit terms tell those tables apart for them, one for each table where they break no hard
        term. The groups sitting there now are kept whatever they cost."""
        size = members.shape[1]
        cost = sum((weight[members[:, a], members[:, b]] for a, b in combinations(range(size), 2)),
                   np.zeros(len(members)))
        cost += terms.group_count_cost(people[members])
        layout = list(self.layouts[round_no - 1])
        placed = np.zeros((len(at), len(members)))
        for k, table in enumerate(at):
            if terms.seat is not None and table in layout:
                placed[k] = terms.seat[layout.index(table)][people[members]].sum(axis=1)
        here = np.array([now.get(tuple(row)) for row in members.tolist()], dtype=object)
        anywhere = ~placed.any(axis=0)
        found = []
        options = [(None, anywhere, cost), *((t, ~anywhere, cost + placed[k]) for k, t in enumerate(at))]
        for table, fits, price in options:
            sits = here != None if table is None else here == table  # noqa: E711 (elementwise)
            rows = np.flatnonzero(fits & ((price < self.hard / 2) | sits))
            found.append(_Columns(members[rows], table, np.round(price[rows] * self.scale).astype(np.int64),
                                  sits[rows].astype(bool)))
        return found

    def _model(self, columns: list[_Columns], ids: list[str], sizes: dict[str, int],
               current: Sequence[RoundSeating], round_no: int) -> Regrouping:
        """One group for each table, everyone in exactly one, hinted with the groups there now and cut at their cost."""
        from ortools.sat.python import cp_model

        model = cp_model.CpModel()
        made = [(block, [model.new_bool_var("") for _ in range(len(block.members))]) for block in columns]
        for x in range(len(ids)):
            model.add_exactly_one([variables[k] for block, variables in made
                                   for k in np.flatnonzero((block.members == x).any(axis=1))])
        counts = {size: list(sizes.values()).count(size) for size in set(sizes.values())}
        for size, count in counts.items():
            model.add(sum(var for block, variables in made if block.members.shape[1] == size for var in variables)
                      == count)
        for table in sizes:
            model.add_at_most_one(var for block, variables in made if block.table == table for var in variables)
        variables = [var for _, vs in made for var in vs]
        costs = np.concatenate([block.cost for block in columns]).tolist()
        hint = np.concatenate([block.now for block in columns])
        objective = cp_model.LinearExpr.weighted_sum(variables, costs)
        model.proto.solution_hint.vars.extend(var.index for var in variables)
        model.proto.solution_hint.values.extend(hint.astype(int).tolist())
        model.add(objective <= int(np.concatenate([block.cost for block in columns])[hint].sum()))
        model.minimize(objective)
        return Regrouping(model, made, ids, sizes, current, round_no, self.event)

    def _pair_costs(self, round_no: int, people: np.ndarray) -> np.ndarray:
        """What pair terms charge each two of ``people`` for sharing a table in ``round_no``."""
        arrays, n = self.pair_terms, len(self.pairs.ids)
        where = {int(p): x for x, p in enumerate(people)}
        cost = np.zeros((len(people), len(people)))
        for x, p in enumerate(people):
            start, end = arrays.pair_start[(round_no - 1) * n + p], arrays.pair_start[(round_no - 1) * n + p + 1]
            for q, c in zip(arrays.pair_other[start:end], arrays.pair_cost[start:end]):
                if int(q) in where:
                    cost[x, where[int(q)]] += c
        return cost

    def _seat_terms(self, current: Sequence[RoundSeating], round_no: int) -> RoundTerms:
        """The round's terms, with visits priced against where people sit in the other rounds."""
        terms = self.round_terms[round_no - 1]
        index = self.pairs.index
        seated = {s.round: {index[pid]: t for pid, t in s.table_of().items()} for s in current}
        terms.see_visits(round_no, list(self.layouts[round_no - 1]), seated)
        return terms


def set_partition_parameters(solver) -> None:  # type: ignore[no-untyped-def]
    """CP-SAT settings for these models: the linear relaxation in full, no presolve or probing (on a few thousand
    columns they take seconds, past any time limit, and gain nothing; the search alone takes a fraction of one)."""
    params = solver.parameters
    params.linearization_level = 2
    params.cp_model_presolve = False
    params.cp_model_probing_level = 0


def _cliques(allowed: np.ndarray, size: int, most: int) -> list[tuple[int, ...]] | None:
    """Every ``size`` positions pairwise ``allowed``, in increasing order; None when there are more than ``most``."""
    m = len(allowed)
    later = [sum(1 << y for y in range(x + 1, m) if allowed[x, y]) for x in range(m)]
    found: list[tuple[int, ...]] = []
    group: list[int] = []

    def extend(candidates: int) -> bool:
        if len(group) == size:
            found.append(tuple(group))
            return len(found) <= most
        while candidates.bit_count() >= size - len(group):
            low = candidates & -candidates
            candidates ^= low
            group.append(low.bit_length() - 1)
            if not extend(candidates & later[group[-1]]):
                return False
            group.pop()
        return True

    return found if extend((1 << m) - 1) else None
