"""The single definition of plan quality.

Two people *meet* in a round when they sit at the same table. A pair's value
is ``1 + w_org*[organisations differ] + w_sector*[sectors differ] +
w_level*[levels differ]``, each bonus counted only when both values are known,
unless the event lists its own pair values (``Event.pair_values``, any real
number): then those replace every pair's value and pairs not listed are worth 0.
Wanted pairs (``Event.wanted_pairs``) add their value to the pair's.

- ``repeats``: the meetings in this plan that are not the pair's first ever. A
  pair with history repeats every time it meets; a pair without history on its
  second and later meetings.
- Pairs a hard rule seats together (an interpreter and the person they
  support: the rules' hard together :class:`~mixer.constraints.PairTerm`) are
  *together by rule* in the rounds the rule covers: those meetings are not
  repeats and earn no value; the score lists the pairs once.
- ``value``: the sum of the values of the distinct pairs who meet in this plan
  (not by rule) and never met in history, less ``soft_cost``, what the breaches
  of soft rules cost (each its rule's ``weight``).
- Plans compare lexicographically: hard rule violations (fewer), repeats (fewer),
  value (higher), then the fewest new people anyone meets (higher).

Solvers, benchmarks, reports and the CLI all score through this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from mixer.bounds import VALUE_DECIMALS, Bounds, event_bounds
from mixer.constraints import Violation, rule_kinds, rules_for
from mixer.model import Event, Plan, RoundSeating
from mixer.repeat_bound import kept_together

ATTRIBUTES = ("organisation", "sector", "level")


@dataclass(frozen=True)
class PairTable:
    """Every pair of an event as matrices indexed by participant position.

    ``value[i, j]`` is the value of a first meeting; ``history[i, j]`` the times
    ``i`` and ``j`` met before this event. Both are symmetric with a zero diagonal.
    ``kept_together`` maps a pair ``(i, j)``, ``i < j``, that hard rules seat
    together to the rounds they do so. ``by_formula`` says whether values follow
    the attribute formula (which some bounds rely on).
    """

    event: Event
    ids: tuple[str, ...]
    index: dict[str, int]
    value: np.ndarray
    history: np.ndarray
    classes: dict[str, np.ndarray]
    kept_together: dict[tuple[int, int], frozenset[int]] = field(default_factory=dict)
    by_formula: bool = True

    @cached_property
    def bounds(self) -> Bounds:
        """The event's counting bounds, computed once."""
        return event_bounds(self)

    @classmethod
    def of(cls, event: Event) -> PairTable:
        """The event's pair table, its matrices read-only; the last event's is kept, as each part of a solve asks again."""
        if _LAST and _LAST[0].event is event:
            return _LAST[0]
        people = event.participants
        index = {p.id: i for i, p in enumerate(people)}
        classes = {attr: _codes([getattr(p, attr) for p in people]) for attr in ATTRIBUTES}
        by_formula = event.pair_values is None
        value = _formula_values(event, classes) if by_formula else _listed_values(event, index)
        value += _symmetric(len(people), index, (((v.a, v.b), v.value) for v in event.wanted_pairs), np.float64)
        history = _symmetric(len(people), index, event.history.counts().items(), dtype=np.int64)
        for matrix in (value, history, *classes.values()):
            matrix.flags.writeable = False
        table = cls(
            event, tuple(p.id for p in people), index, value, history, classes, kept_together(event, index), by_formula
        )
        _LAST[:] = [table]
        return table


# Every solver, and auto's every part, builds the table of the event it is given: for 960 people
# with 460,000 listed pair values that takes a second each time, and the bounds as long again.
_LAST: list[PairTable] = []


def _formula_values(event: Event, classes: dict[str, np.ndarray]) -> np.ndarray:
    """``1 + w_org*[organisations differ] + ...`` for every pair, each bonus only when both values are known."""
    n = len(event.participants)
    value = np.ones((n, n))
    w = event.weights
    for code, weight in zip(classes.values(), (w.organisation, w.sector, w.level)):
        known = code >= 0
        differ = (code[:, None] != code[None, :]) & known[:, None] & known[None, :]
        value += weight * differ
    np.fill_diagonal(value, 0.0)
    return value


def _listed_values(event: Event, index: dict[str, int]) -> np.ndarray:
    """The event's own pair values; pairs it does not list are worth 0."""
    listed = (((v.a, v.b), v.value) for v in event.pair_values or ())
    return _symmetric(len(event.participants), index, listed, dtype=np.float64)


def _symmetric(
    n: int, index: dict[str, int], entries: Iterable[tuple[tuple[str, str], float]], dtype: type
) -> np.ndarray:
    """An n x n symmetric matrix from ``((a, b), number)`` entries, ids not in ``index`` ignored."""
    found = [(index[a], index[b], number) for (a, b), number in entries if a in index and b in index]
    matrix = np.zeros((n, n), dtype=dtype)
    if found:
        i, j, numbers = (np.array(column) for column in zip(*found))
        rows, cols = np.minimum(i, j), np.maximum(i, j)  # (a, b) and (b, a) are one cell: the last one listed wins
        matrix[rows, cols] = numbers
        matrix[cols, rows] = numbers
    return matrix


def _codes(values: list[str | None]) -> np.ndarray:
    """Integer code per value, case-insensitive; -1 for unknown."""
    seen: dict[str, int] = {}
    return np.array([-1 if v is None else seen.setdefault(v.casefold(), len(seen)) for v in values], dtype=np.int64)


def meeting_counts(pairs: PairTable, rounds: Sequence[RoundSeating]) -> np.ndarray:
    """Times each pair of participants shares a table in ``rounds`` (ids not in the event are ignored)."""
    index = pairs.index
    n = len(pairs.ids)
    counts = np.zeros((n, n), dtype=np.int64)
    for seating in rounds:
        for ts in seating.tables:
            members = np.array(sorted({index[p] for p in ts.participants if p in index}), dtype=np.int64)
            if len(members) > 1:
                counts[np.ix_(members, members)] += 1
    np.fill_diagonal(counts, 0)
    return counts


def rule_meetings(pairs: PairTable, rounds: Sequence[RoundSeating]) -> np.ndarray:
    """Times each pair shares a table because a hard rule seats them together (in a round the rule covers)."""
    counts = np.zeros((len(pairs.ids), len(pairs.ids)), dtype=np.int64)
    if not pairs.kept_together:
        return counts
    tables = {seating.round: seating.table_of() for seating in rounds}
    for (i, j), covered in pairs.kept_together.items():
        a, b = pairs.ids[i], pairs.ids[j]
        times = sum(1 for r in covered if (t := tables.get(r, {})).get(a) is not None and t.get(a) == t.get(b))
        counts[i, j] = counts[j, i] = times
    return counts


@dataclass(frozen=True)
class TableMix:
    """Who a table brings together in one round."""

    round: int
    table: str
    size: int
    organisations: int
    sectors: int
    levels: int


@dataclass(frozen=True)
class Score:
    """How good a plan is, and why."""

    violations: dict[str, int]
    violation_details: tuple[Violation, ...]
    repeats: int
    value: float
    bounds: Bounds
    new_met: dict[str, int]
    tables: tuple[TableMix, ...] = field(default=())
    soft_violations: dict[str, int] = field(default_factory=dict)
    soft_cost: float = 0.0
    together_by_rule: tuple[tuple[str, str], ...] = ()

    @property
    def total_violations(self) -> int:
        """Breaches of hard rules; soft ones are in ``soft_violations`` and cost value instead."""
        return sum(self.violations.values())

    @property
    def min_new_met(self) -> int:
        return min(self.new_met.values(), default=0)

    @property
    def max_new_met(self) -> int:
        return max(self.new_met.values(), default=0)

    @property
    def mean_new_met(self) -> float:
        return round(sum(self.new_met.values()) / len(self.new_met), 3) if self.new_met else 0.0

    @property
    def meets_bounds(self) -> bool:
        """No plan can beat this one: no violations, repeats at their lower bound, value at its upper bound."""
        return (
            self.total_violations == 0
            and self.repeats == self.bounds.repeats_lower_bound
            and self.value >= self.bounds.value_upper_bound
        )

    @property
    def only_value_left(self) -> bool:
        """No repeat and no hard breach: only the value (and fairness) can still improve."""
        return self.repeats == 0 and self.total_violations == 0

    def key(self) -> tuple[int, int, float, int]:
        """Sort key: the smallest key is the best plan (:func:`summary_key` gives it from a summary)."""
        return (self.total_violations, self.repeats, -self.value, -self.min_new_met)

    def better_than(self, other: Score | None) -> bool:
        return other is None or self.key() < other.key()

    def summary(self) -> dict[str, object]:
        """The figures reported by ``mixer score --json`` and stored in plan files."""
        return {
            "violations": self.violations,
            "total_violations": self.total_violations,
            "repeats": self.repeats,
            "repeats_lower_bound": self.bounds.repeats_lower_bound,
            "value": self.value,
            "value_upper_bound": self.bounds.value_upper_bound,
            "value_gap": round(self.bounds.value_upper_bound - self.value, VALUE_DECIMALS),
            "min_new_met": self.min_new_met,
            "mean_new_met": self.mean_new_met,
            "max_new_met": self.max_new_met,
            "soft_violations": self.soft_violations,
            "soft_cost": self.soft_cost,
            "together_by_rule": [list(pair) for pair in self.together_by_rule],
        }


def summary_key(summary: Mapping[str, Any]) -> tuple[int, int, float, int]:
    """:meth:`Score.key` of the plan a :meth:`Score.summary` describes (a progress report's ``best``, say)."""
    return (int(summary["total_violations"]), int(summary["repeats"]), -float(summary["value"]),
            -int(summary["min_new_met"]))


def _meetings(pairs: PairTable, rounds: Sequence[RoundSeating]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times each pair meets in ``rounds`` apart from a hard rule seating them together, whether that is their
    first meeting ever, and the times a rule seats them together."""
    by_rule = rule_meetings(pairs, rounds)
    met = meeting_counts(pairs, rounds) - by_rule
    return met, (met > 0) & (pairs.history == 0), by_rule


def count_repeats(pairs: PairTable, rounds: Sequence[RoundSeating]) -> int:
    """The repeats of ``rounds`` exactly as :func:`score_rounds` counts them, without scoring the rest."""
    met, new, _ = _meetings(pairs, rounds)
    return int(np.triu(met - new, k=1).sum())


def score_rounds(event: Event, rounds: Sequence[RoundSeating], pairs: PairTable | None = None) -> Score:
    """Score a seating of ``event`` given round by round."""
    pairs = pairs or PairTable.of(event)
    details = [v for rule in rules_for(event) for v in rule.violations(event, rounds)]
    violations = {kind: 0 for kind in rule_kinds(event)}
    soft: dict[str, int] = {}
    for v in details:
        if v.hard:
            violations[v.rule] += 1
        else:
            soft[v.rule] = soft.get(v.rule, 0) + 1
    soft_cost = round(sum(v.cost for v in details if not v.hard), VALUE_DECIMALS)
    met, new, by_rule = _meetings(pairs, rounds)
    upper = np.triu_indices(len(pairs.ids), k=1)
    repeats = int((met - new)[upper].sum())
    value = round(float(pairs.value[upper][new[upper]].sum()) - soft_cost, VALUE_DECIMALS)
    attending = [i for i, pid in enumerate(pairs.ids) if any(event.attends(pid, r) for r in range(1, event.rounds + 1))]
    new_counts = new.sum(axis=1)
    return Score(
        violations=violations,
        violation_details=tuple(details),
        repeats=repeats,
        value=value,
        bounds=pairs.bounds,
        new_met={pairs.ids[i]: int(new_counts[i]) for i in attending},
        tables=tuple(_table_mix(event, rounds)),
        soft_violations=soft,
        soft_cost=soft_cost,
        together_by_rule=tuple((pairs.ids[i], pairs.ids[j]) for i, j in zip(*np.nonzero(np.triu(by_rule)))),
    )


def score_plan(plan: Plan) -> Score:
    """Score a plan from its seating (never from its stored summary)."""
    return score_rounds(plan.event, plan.rounds)


def _table_mix(event: Event, rounds: Sequence[RoundSeating]) -> list[TableMix]:
    people = {p.id: p for p in event.participants}
    mixes = []
    for seating in rounds:
        for ts in seating.tables:
            members = [people[pid] for pid in ts.participants if pid in people]
            distinct = [
                len({v.casefold() for m in members if (v := getattr(m, attr)) is not None})
                for attr in ATTRIBUTES
            ]
            mixes.append(TableMix(seating.round, ts.table, len(ts.participants), *distinct))
    return mixes


def bounds(event: Event) -> Bounds:
    """The event's counting bounds (see :mod:`mixer.bounds`)."""
    return PairTable.of(event).bounds
