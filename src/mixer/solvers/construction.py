"""Plans from combinatorial designs: zero repeats wherever a design fits, greedy for the rounds it does not cover.

The design covers the rounds after the frozen ones that seat the same people
at the same table sizes (sizes p and p - 1; p - 1 where a design point stays
empty). People are put on the design's points by :mod:`mixer.solvers.point_mapping`
to raise value and keep the rules; meetings of history and played rounds count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mixer.constraints import PairTerm, Term, rules_for
from mixer.constraints.terms import terms_cost
from mixer.designs import Design, best_design
from mixer.designs.placement import empty_points, table_numbers
from mixer.layout import round_layout
from mixer.model import Event, RoundSeating, TableSeating
from mixer.scoring import PairTable, meeting_counts, score_rounds
from mixer.solvers.common import Budget, Outcome
from mixer.solvers.greedy import construct, rule_bias, solve_greedy
from mixer.solvers.point_mapping import Extras, Layout, PointMapping, improve, pair_costs

DEFAULT_TIME_LIMIT = 10.0
MAPPING_SHARE = 0.5  # of the time left, for placing people on the design
SPARE_ROUNDS = 4  # rounds built beyond those wanted, to drop where empty points would meet


@dataclass(frozen=True)
class DesignRounds:
    """Design-built rounds that follow the fixed ones, and what they came from."""

    rounds: tuple[RoundSeating, ...]
    design: Design


def design_rounds(event: Event, budget: Budget, pairs: PairTable | None = None) -> DesignRounds | None:
    """Zero-repeat rounds from a design for as many rounds after ``budget.fixed`` as one covers, if any does.

    ``None`` when no design fits (tables too small or sizes too uneven, fewer
    than two rounds alike) or when no placement of people keeps the hard rules.
    """
    fixed = budget.fixed
    first = len(fixed) + 1
    if first > event.rounds:
        return None
    present = event.present(first)
    layout = round_layout(event, first)
    run = [r for r in range(first, event.rounds + 1)]
    alike = [r for r in run if event.present(r) == present and sorted(round_layout(event, r).values()) == sorted(layout.values())]
    wanted = next((i for i, r in enumerate(run) if r not in alike), len(run))
    sizes = list(layout.values())
    if not sizes or wanted < 2 or _kept_together(_terms(event), set(present), set(run[:wanted])):
        return None
    g, p = len(sizes), max(sizes)
    if min(sizes) < p - 1:
        return None
    design = best_design(g, p)
    if design is None:
        return None
    rng = np.random.default_rng(budget.seed)
    schedule = design.schedule(wanted + SPARE_ROUNDS)
    kept, empty = empty_points(schedule, design.points, g * p - len(present), wanted, rng)
    if len(kept) < 2:
        return None
    pairs = pairs or PairTable.of(event)
    event_rounds = tuple(range(first, first + len(kept)))
    table_ids = [_table_ids(schedule[k], set(empty), layout, p) for k in kept]
    point_tables = [[""] * design.points for _ in kept]
    for k, r in enumerate(kept):
        for group, table in zip(schedule[r], table_ids[k]):
            for point in group:
                point_tables[k][point] = table
    person_at = _place(event, pairs, budget, present, Layout(_neighbours(schedule, kept), point_tables, event_rounds), empty, rng)
    rounds = tuple(
        RoundSeating(
            round=r,
            tables=tuple(
                TableSeating(table=t, participants=tuple(pairs.ids[person_at[x]] for x in group if person_at[x] >= 0))
                for group, t in sorted(zip(schedule[kept[k]], table_ids[k]), key=lambda item: list(layout).index(item[1]))
            ),
        )
        for k, r in enumerate(event_rounds)
    )
    terms = _terms(event)
    if terms_cost(terms, (*fixed, *rounds), hard=True) > 0:
        return None
    return DesignRounds(rounds, design)


def _neighbours(schedule: list[list[list[int]]], kept: list[int]) -> np.ndarray:
    """``[point]``: the points sharing its table in each kept round, round after round."""
    points = sum(len(group) for group in schedule[0])
    tables = table_numbers(schedule, points)
    beside = []
    for r in kept:
        at_table = np.array(schedule[r], dtype=np.int64)[tables[r]]  # [point, seat]
        others = at_table != np.arange(points)[:, None]
        beside.append(at_table[others].reshape(points, -1))
    return np.concatenate(beside, axis=1)


def _table_ids(round_: list[list[int]], empty: set[int], layout: dict[str, int], p: int) -> list[str]:
    """A table id for each group: groups with an empty point take the tables of p - 1, in the layout's order."""
    short = [t for t, s in layout.items() if s < p]
    full = [t for t, s in layout.items() if s == p]
    return [short.pop(0) if set(group) & empty else full.pop(0) for group in round_]


def _kept_together(terms: list[Term], present: set[str], rounds: set[int]) -> bool:
    """Whether a hard rule seats two people together in two of ``rounds``: a repeat no design avoids."""
    return any(
        isinstance(t, PairTerm) and t.hard and t.together and {t.a, t.b} <= present and len(rounds & set(t.rounds)) > 1
        for t in terms
    )


def _terms(event: Event) -> list[Term]:
    return [term for rule in rules_for(event) for term in rule.search_terms(event)]


def _place(
    event: Event, pairs: PairTable, budget: Budget, present: list[str], layout: Layout, empty: list[int],
    rng: np.random.Generator,
) -> np.ndarray:
    """Participant index at each design point (-1: empty), placed to raise value and keep the rules."""
    people = np.array([pairs.index[pid] for pid in present], dtype=np.int64)
    local = {pairs.ids[i]: k for k, i in enumerate(people)}
    met = (pairs.history + meeting_counts(pairs, budget.fixed))[np.ix_(people, people)]
    value = pairs.value[np.ix_(people, people)]
    repeat = float(np.abs(value).sum()) / 2 + 1.0
    meetings = len(layout.rounds) * layout.neighbours.shape[1] * len(people)
    hard = repeat * (meetings + 1)
    terms = _terms(event)
    cost = pair_costs(value, met, terms, local, layout.rounds, repeat, hard)
    earlier = {s.round: s.table_of() for s in budget.fixed}
    extras = Extras(terms, local, layout, earlier, hard)
    points = layout.neighbours.shape[0]
    person_at = np.full(points, len(people), dtype=np.int64)
    person_at[[u for u in range(points) if u not in set(empty)]] = rng.permutation(len(people))
    mapping = PointMapping(layout, person_at, cost, extras)
    share = budget.share(MAPPING_SHARE, DEFAULT_TIME_LIMIT)
    improve(mapping, rng, lambda: share.remaining(DEFAULT_TIME_LIMIT) <= 0)
    return np.append(people, -1)[mapping.person_at]


def design_start(event: Event, budget: Budget) -> tuple[RoundSeating, ...] | None:
    """A plan of every round: the fixed rounds, then design rounds, then greedy ones; ``None`` when no design fits."""
    pairs = PairTable.of(event)
    found = design_rounds(event, budget, pairs)
    if found is None:
        return None
    fixed = (*budget.fixed, *found.rounds)
    if len(fixed) == event.rounds:
        return fixed
    rng = np.random.default_rng(budget.seed)
    return construct(event, pairs, rule_bias(event, pairs), rng, fixed)


def solve_construct(event: Event, budget: Budget) -> Outcome:
    """Design rounds where a design fits, the rest greedy; plain greedy when none fits."""
    pairs = PairTable.of(event)
    found = design_rounds(event, budget, pairs)
    if found is None:
        greedy = solve_greedy(event, budget)
        return Outcome(greedy.rounds, greedy.status, greedy.optimal, notes=("no design fits", *greedy.notes),
                       interrupted=greedy.interrupted)
    fixed = (*budget.fixed, *found.rounds)
    first, last = found.rounds[0].round, found.rounds[-1].round
    notes = [f"rounds {first} to {last} from a design: {found.design.name}"]
    rounds = fixed
    if len(fixed) < event.rounds:
        rounds = construct(event, pairs, rule_bias(event, pairs), np.random.default_rng(budget.seed), fixed)
        notes.append(f"rounds {last + 1} to {event.rounds} by greedy")
    optimal = score_rounds(event, rounds, pairs).meets_bounds
    return Outcome(rounds, "optimal" if optimal else "feasible", optimal, notes=tuple(notes))
