"""Plans from combinatorial designs: zero repeats wherever a design fits, greedy for the rounds it does not cover.

The design covers the rounds after the frozen ones that seat the same people
at the same table sizes (sizes p and p - 1; p - 1 where a design point stays
empty). People are put on the design's points by :mod:`mixer.solvers.point_mapping`
to raise value and keep the rules; meetings of history and played rounds count.
People whom hard rules keep at one table in all those rounds (hosts, pins to
one table) are *anchored*: they take points no two of which ever share a
table (a group of a design round left unused, as a World Café's hosts), each
table goes where its anchored person's point is, so nobody meets a host twice.
Likewise the search starts with each group kept apart by a hard rule (an
organisation capped at one per table) in one group of a round left unused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from mixer.constraints import CountTerm, PairTerm, SeatTerm, Term, rules_for
from mixer.constraints.terms import terms_cost
from mixer.designs import Design, designs
from mixer.designs.catalogue import MIN_ROUNDS
from mixer.designs.builders import Rounds
from mixer.designs.placement import apart_points, empty_points, table_numbers
from mixer.layout import round_layout
from mixer.model import Event, RoundSeating, TableSeating
from mixer.scoring import PairTable, count_repeats, meeting_counts, score_rounds
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

    The design's seats outnumber the people by the empty seats; someone who
    misses a round leaves their seat empty in it. ``None`` when no design fits
    (tables too small or sizes too uneven, fewer than two rounds alike) or when
    no placement of people keeps the hard rules.
    """
    fixed = budget.fixed
    first = len(fixed) + 1
    shape = _shape(event, first)
    candidates = designs(*shape) if shape is not None else ()
    if not candidates:
        return None
    terms = _terms(event)
    run, people = _run(event, first, shape, candidates[0].points)  # type: ignore[arg-type]
    if len(run) < 2 or _kept_together(terms, set(people), set(run)):
        return None
    rng = np.random.default_rng(budget.seed)
    anchors = _anchors(event, terms, run)
    # One anchored person is kept at their table by tables trading places; two at one table meet anyway.
    apart = len(anchors) > 1 and len(set(anchors.values())) == len(anchors)
    design, schedule, anchor_points, kept, empty = _fitting_design(
        candidates, len(run), len(anchors) if apart else 0, candidates[0].points - len(people), rng)
    if len(kept) < 2:
        return None
    pairs = pairs or PairTable.of(event)
    groups = [schedule[k] for k in kept]
    event_rounds = tuple(run[: len(kept)])
    unused = [schedule[k] for k in range(len(schedule)) if k not in kept]
    if not unused and design.rounds > len(schedule):
        unused = design.schedule(len(schedule) + 1)[len(schedule):]
    seats = dict(zip(list(anchors) if anchor_points else [], anchor_points))
    person_at, labels = _place(event, pairs, budget, people, groups, unused, event_rounds, empty, seats, rng)
    rounds = []
    for k, r in enumerate(event_rounds):
        seated = [[pairs.ids[person_at[x]] for x in group if person_at[x] >= 0 and event.attends(pairs.ids[person_at[x]], r)]
                  for group in groups[k]]
        tables = _fit_tables(seated, [labels[k][group[0]] for group in groups[k]], round_layout(event, r))
        if tables is None:
            break
        order = list(round_layout(event, r))
        rounds.append(RoundSeating(round=r, tables=tuple(
            TableSeating(table=t, participants=tuple(members)) for t, members in sorted(zip(tables, seated), key=lambda x: order.index(x[0]))
        )))
    if len(rounds) < 2 or terms_cost(terms, (*fixed, *rounds), hard=True) > 0:
        return None
    return DesignRounds(tuple(rounds), design)


def _shape(event: Event, round_no: int) -> tuple[int, int] | None:
    """``(tables, p)`` of a round whose tables seat p or p - 1, else ``None``."""
    if round_no > event.rounds:
        return None
    sizes = list(round_layout(event, round_no).values())
    if not sizes or min(sizes) < max(sizes) - 1:
        return None
    return len(sizes), max(sizes)


def _run(event: Event, first: int, shape: tuple[int, int], seats: int) -> tuple[list[int], list[str]]:
    """The rounds from ``first`` on with the same shape whose people, all together, fit the design's seats; and them."""
    run: list[int] = []
    people: set[str] = set()
    for r in range(first, event.rounds + 1):
        joined = people | set(event.present(r))
        if _shape(event, r) != shape or len(joined) > seats:
            break
        run.append(r)
        people = joined
    return run, [pid for pid in event.participant_ids if pid in people]


def _anchors(event: Event, terms: list[Term], rounds: list[int]) -> dict[str, str]:
    """Person -> table for those present in every one of ``rounds`` whom hard seat terms hold at that one table
    in each (hosts, pins)."""
    allowed: dict[tuple[str, int], frozenset[str]] = {}
    for term in terms:
        if isinstance(term, SeatTerm) and term.hard and term.round in rounds:
            key = (term.person, term.round)
            allowed[key] = allowed.get(key, term.tables) & term.tables
    present = set.intersection(*(set(event.present(r)) for r in rounds))
    anchors = {}
    for pid in event.participant_ids:
        tables = {allowed.get((pid, r), frozenset()) for r in rounds}
        if pid in present and len(tables) == 1 and len(only := tables.pop()) == 1:
            anchors[pid] = next(iter(only))
    return anchors


def _anchor_points(design: Design, rounds: int, count: int, rng: np.random.Generator) -> tuple[Rounds, list[int]]:
    """The design's rounds to use (``rounds`` and some spare), and ``count`` points that never share a table in them.

    A round beyond those used gives them from one of its groups; a design with
    no round to spare has them searched for among its rounds, else gives up its
    last round for them. ``[]`` when none are found (the anchored then sit like anyone).
    """
    schedule = design.schedule(rounds + SPARE_ROUNDS + (count > 0))
    if count == 0:
        return schedule, []
    apart = apart_points(schedule, count, rng) if len(schedule) <= rounds or count > design.size else []
    if apart or count > design.size or len(schedule) <= MIN_ROUNDS:
        return schedule, apart
    group = schedule.pop()[int(rng.integers(design.groups))]
    return schedule, [int(u) for u in rng.choice(group, count, replace=False)]


def _fitting_design(candidates: tuple[Design, ...], rounds: int, anchors: int, empty: int, rng: np.random.Generator,
                    ) -> tuple[Design, Rounds, list[int], list[int], list[int]]:
    """``(design, its rounds, anchor points, rounds kept, empty points)`` for the candidate keeping the most rounds.

    Candidates come with the most rounds first; the next is tried only while
    the people leaving seats empty would have shared a table in some round.
    """
    best: tuple[Design, Rounds, list[int], list[int], list[int]] | None = None
    for design in candidates:
        schedule, anchor_points = _anchor_points(design, rounds, anchors, rng)
        kept, points = empty_points(schedule, design.points, empty, rounds, rng, anchor_points)
        if best is None or len(kept) > len(best[3]):
            best = (design, schedule, anchor_points, kept, points)
        if len(kept) == rounds:
            break
    assert best is not None
    return best


def _apart_classes(terms: list[Term], people: list[str]) -> list[list[str]]:
    """Groups of ``people`` that a hard count term keeps at different tables (an organisation capped at one), largest first."""
    classes: dict[tuple[int, str], list[str]] = {}
    for i, term in enumerate(terms):
        if isinstance(term, CountTerm) and term.hard and term.cost(1) <= term.cost(0) < term.cost(2):
            for pid in people:
                if pid in term.classes:
                    classes.setdefault((i, term.classes[pid]), []).append(pid)
    return sorted((members for members in classes.values() if len(members) > 1), key=len, reverse=True)


def _apart_seats(classes: list[list[str]], unused: list[list[list[int]]], free: set[int],
                 rng: np.random.Generator) -> dict[str, int]:
    """A point for each person of ``classes``, a class in one group of the first round of ``unused`` (taken
    from ``free``): points of one group never share a table in the rounds used."""
    seats: dict[str, int] = {}
    for members in classes if unused else ():
        members = [pid for pid in members if pid not in seats]
        options = [[u for u in group if u in free] for group in unused[0]]
        group = max(options, key=len)
        if 1 < len(members) <= len(group):
            for pid, u in zip(members, rng.permutation(group)):
                seats[pid] = int(u)
                free.discard(int(u))
    return seats


def _fit_tables(seated: list[list[str]], wished: list[str], layout: dict[str, int]) -> list[str] | None:
    """A table for each group, its wished one when the size fits; ``None`` when the sizes do not match the layout."""
    free = dict(layout)
    tables: list[str | None] = []
    for members, table in zip(seated, wished):
        fits = table in free and free[table] == len(members)
        tables.append(table if fits else None)
        if fits:
            del free[table]
    for i, members in enumerate(seated):
        if tables[i] is None:
            table = next((t for t, size in free.items() if size == len(members)), None)
            if table is None:
                return None
            tables[i] = table
            del free[table]
    return [t for t in tables if t is not None]


def _neighbours(groups: list[list[list[int]]]) -> np.ndarray:
    """``[point]``: the points sharing its table in each round, round after round."""
    points = sum(len(group) for group in groups[0])
    tables = table_numbers(groups, points)
    beside = []
    for r, round_ in enumerate(groups):
        at_table = np.array(round_, dtype=np.int64)[tables[r]]  # [point, seat]
        others = at_table != np.arange(points)[:, None]
        beside.append(at_table[others].reshape(points, -1))
    return np.concatenate(beside, axis=1)


def _kept_together(terms: list[Term], present: set[str], rounds: set[int]) -> bool:
    """Whether a hard rule seats two people together in two of ``rounds``: a repeat no design avoids."""
    return any(
        isinstance(t, PairTerm) and t.hard and t.together and {t.a, t.b} <= present and len(rounds & set(t.rounds)) > 1
        for t in terms
    )


def _terms(event: Event) -> list[Term]:
    return [term for rule in rules_for(event) for term in rule.search_terms(event)]


def _place(
    event: Event, pairs: PairTable, budget: Budget, people: list[str], groups: list[list[list[int]]],
    unused: list[list[list[int]]], rounds: tuple[int, ...], empty: list[int], anchored: dict[str, int],
    rng: np.random.Generator,
) -> tuple[np.ndarray, list[list[str]]]:
    """Participant index at each design point (-1: an empty seat) and each point's table in each round.

    Empty seats are placeholder people: a hard count term per round keeps them,
    and anyone absent that round, at different tables, so tables seat p or p - 1.
    ``anchored`` people stay on their points, and their tables where they sit.
    The search starts with each group kept apart in one group of a round of ``unused``.
    """
    index = np.array([pairs.index[pid] for pid in people], dtype=np.int64)
    points = sum(len(group) for group in groups[0])
    placeholders = [f"\0empty {i}" for i in range(points - len(people))]
    local = {pid: k for k, pid in enumerate([*people, *placeholders])}
    n = len(local)
    met = np.zeros((n, n))
    met[: len(people), : len(people)] = (pairs.history + meeting_counts(pairs, budget.fixed))[np.ix_(index, index)]
    value = np.zeros((n, n))
    value[: len(people), : len(people)] = pairs.value[np.ix_(index, index)]
    repeat = float(np.abs(value).sum()) / 2 + 1.0
    hard = repeat * (len(rounds) * points * points + 1)
    away = [[pid for pid in people if not event.attends(pid, r)] for r in rounds]
    terms = _terms(event)
    apart = tuple(
        CountTerm(classes={pid: "empty" for pid in [*placeholders, *gone]}, costs=(0.0, 0.0, 1.0), rounds=(r,))
        for r, gone in zip(rounds, away) if len(placeholders) + len(gone) > 1
    )
    person_at = np.zeros(points, dtype=np.int64)
    person_at[list(anchored.values())] = [local[pid] for pid in anchored]
    free = set(range(points)) - {*empty, *anchored.values()}
    spread = _apart_seats(_apart_classes(terms, [pid for pid in people if pid not in anchored]), unused, free, rng)
    person_at[list(spread.values())] = [local[pid] for pid in spread]
    person_at[sorted(free)] = rng.permutation([local[pid] for pid in people if pid not in anchored and pid not in spread])
    person_at[empty] = np.arange(len(people), n)
    anchors = _anchors(event, terms, list(rounds))
    wish = {u: anchors[pid] for pid, u in anchored.items()}
    labels = []
    for k, r in enumerate(rounds):
        seated = [[x for x in group if person_at[x] < len(people) and event.attends(people[person_at[x]], r)] for group in groups[k]]
        wished = [next((wish[u] for u in group if u in wish), "") for group in groups[k]]
        tables = _fit_tables(seated, wished, round_layout(event, r)) or [t for t in round_layout(event, r)]
        round_labels = [""] * points
        for group, table in zip(groups[k], tables):
            for x in group:
                round_labels[x] = table
        labels.append(round_labels)
    layout = Layout(_neighbours(groups), labels, rounds, [round_layout(event, r) for r in rounds])
    absent = [{local[pid] for pid in gone} for gone in away]
    extras = Extras(terms, local, layout, {s.round: s.table_of() for s in budget.fixed}, hard, absent, apart)
    mapping = PointMapping(layout, person_at, pair_costs(value, met, terms, local, rounds, repeat, hard), extras,
                           fixed=[local[pid] for pid in anchored])
    share = budget.share(MAPPING_SHARE, DEFAULT_TIME_LIMIT)
    improve(mapping, rng, lambda: share.remaining(DEFAULT_TIME_LIMIT) <= 0)
    return np.append(index, np.full(len(placeholders), -1))[mapping.person_at], layout.tables


def design_start(event: Event, budget: Budget) -> tuple[RoundSeating, ...] | None:
    """A plan of every round: the fixed rounds, then design rounds, then greedy ones; ``None`` when no design fits."""
    planned = _designed_plan(event, budget, PairTable.of(event))
    return planned[0] if planned is not None else None


def solve_construct(event: Event, budget: Budget) -> Outcome:
    """Design rounds where a design fits, the rest greedy; plain greedy when none fits."""
    pairs = PairTable.of(event)
    planned = _designed_plan(event, budget, pairs)
    if planned is None:
        greedy = solve_greedy(event, budget)
        return Outcome(greedy.rounds, greedy.status, greedy.optimal, notes=("no design fits", *greedy.notes),
                       interrupted=greedy.interrupted)
    rounds, notes = planned
    optimal = score_rounds(event, rounds, pairs).meets_bounds
    return Outcome(rounds, "optimal" if optimal else "feasible", optimal, notes=notes)


def _designed_plan(event: Event, budget: Budget, pairs: PairTable) -> tuple[tuple[RoundSeating, ...], tuple[str, ...]] | None:
    """Design rounds after the fixed ones, run after run of alike rounds, then greedy rounds; with notes saying which.

    A later run (other table sizes, other people present) is taken from a design
    only if it adds no repeat to the rounds before it.
    """
    fixed, notes = budget.fixed, []
    while len(fixed) < event.rounds:
        found = design_rounds(event, replace(budget, start=fixed, frozen=len(fixed)), pairs)
        if found is None or (notes and count_repeats(pairs, (*fixed, *found.rounds)) > count_repeats(pairs, fixed)):
            break
        fixed = (*fixed, *found.rounds)
        notes.append(f"rounds {found.rounds[0].round} to {found.rounds[-1].round} from a design: {found.design.name}")
    if not notes:
        return None
    if len(fixed) < event.rounds:
        notes.append(f"rounds {len(fixed) + 1} to {event.rounds} by greedy")
        fixed = construct(event, pairs, rule_bias(event, pairs), np.random.default_rng(budget.seed), fixed,
                          budget=budget)
    return fixed, tuple(notes)
