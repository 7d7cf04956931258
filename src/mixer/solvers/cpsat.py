"""CP-SAT: the whole model on small events, else a large-neighbourhood search.

Variables: ``seat[p, t, r]`` from :class:`SeatVars`, each rule adds itself. For
every pair that may share a table in a round, ``together[i, j, r]`` is forced
true when both sit at one table (a clause per table) and a per-person count,
``sum_j together = tablemates``, keeps it from being true otherwise; someone
set free meets someone keeping their seat at a free table by sitting there. The
objective minimises repeats first and then maximises the value of new pairs less
what soft rules cost (:mod:`mixer.solvers.cpsat_soft`), exactly as
:mod:`mixer.scoring` ranks plans.

Small events are solved whole, which proves optimality or that the rules
clash. Larger ones keep a current plan and re-solve part of it at a time with
everything else fixed and the current plan as a hint. While repeats can still
fall, whole tables are set free: two or three rounds; a few tables across all
rounds; or the people in repeats with their tablemates. Once they cannot, value
alone is weighed: the people of several whole tables of one round are re-grouped
as a set partition (:mod:`mixer.solvers.cpsat_groups`), a far tighter model than
the seat variables, which CP-SAT mostly proves optimal in a fraction of a second.
Where even two tables have too many possible groups (large tables of people who
have not met), the seat model is used instead, with some people set free among
tablemates who keep their seats: the people who gain least from their meetings,
or people in weaker meetings of two or three rounds with others. Each kind of
neighbourhood grows while CP-SAT solves it to optimality quickly and shrinks
when it runs out of time.
A re-solved plan replaces the current one only when it scores at least as well,
so the search never ends worse than it began. OR-Tools is imported here only,
so other commands start fast.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations, zip_longest

import numpy as np

from mixer.constraints import SeatTerm, Term, VisitTerm, rules_for
from mixer.constraints.terms import terms_cost
from mixer.errors import InfeasibleError
from mixer.layout import round_layout
from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, Score, meeting_counts, score_rounds
from mixer.solvers.common import Budget, Outcome, seating_from_tables
from mixer.solvers.cpsat_groups import Regrouper, set_partition_parameters
from mixer.solvers.cpsat_soft import soft_cost, soft_numbers
from mixer.solvers.cpsat_vars import FreeCells, SeatVars
from mixer.solvers.term_arrays import event_terms
from mixer.solvers.construction import solve_construct

logger = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT = 10.0
WARM_START_SHARE = 0.1
STOP_SLACK = 0.5  # seconds short of the limit at which a FEASIBLE stop of the whole model means Ctrl-C
WHOLE_MODEL_PAIRS = 1500  # pairs x rounds up to which the whole model is solved, to prove optimality
WORKERS = 2  # CP-SAT workers for the whole model; neighbourhoods use one, which is fastest at their size
STEP_SECONDS = 0.5  # the longest one neighbourhood may take
SIZE_START, SIZE_MIN, SIZE_MAX = 100.0, 30.0, 5000.0  # neighbourhood size, in pairs x rounds set free
GROW, SHRINK = 1.2, 0.8  # a neighbourhood solved to optimality in half its time grows; one timing out shrinks
REPEAT_KINDS = ("rounds", "repeats", "tables")  # whole tables set free, while repeats can still fall
VALUE_KINDS = ("groups",)  # once repeats cannot fall: whole tables of a round re-grouped (:mod:`cpsat_groups`)
PEOPLE_KINDS = ("weak", "people")  # or, where even two tables have too many groups, people set free
GROUP_TABLES, GROUP_GROWTH = 8.0, 0.2  # tables of one round re-grouped at first; more after a quick proof, one
# fewer after running out of time or when they have too many groups, down to two


@dataclass
class _Model:
    """The CP-SAT model with what is needed to read a plan back and to judge it."""

    model: object
    seats: SeatVars
    free: Mapping[int, FreeCells]
    scale: int
    hint_objective: int = 0
    notes: list[str] = field(default_factory=list)


def solve_cpsat(event: Event, budget: Budget) -> Outcome:
    """Solve to optimality or until the time limit; Ctrl-C stops the search and keeps the best plan.

    Starts from ``budget.start`` when given (else a design where one fits, else a greedy plan), never returns a
    plan that scores worse than that start, and keeps ``budget.frozen`` rounds as given.
    """
    from ortools.sat.python import cp_model  # noqa: F401  (loaded before the time is shared out: it takes a while)

    if budget.start is not None:
        warm = Outcome(budget.start, "feasible", notes=("started from the given plan",))
    else:
        warm = solve_construct(event, budget.share(WARM_START_SHARE, DEFAULT_TIME_LIMIT))
    if warm.optimal or warm.interrupted:
        return warm
    pairs = PairTable.of(event)
    budget.report("start plan", score_rounds(event, warm.rounds, pairs).summary())
    if fits_whole_model(event, budget.frozen):
        return _solve_whole(event, pairs, warm, budget)
    return _neighbourhood_search(event, pairs, warm, budget)


def fits_whole_model(event: Event, frozen: int) -> bool:
    """Whether the whole model is small enough to solve at once (pairs that may meet, summed over open rounds)."""
    pair_rounds = sum(
        len(event.present(r)) * (len(event.present(r)) - 1) // 2 for r in range(frozen + 1, event.rounds + 1)
    )
    return pair_rounds <= WHOLE_MODEL_PAIRS


def _solve_whole(event: Event, pairs: PairTable, warm: Outcome, budget: Budget) -> Outcome:
    """The whole model at once, hinted with the warm start: proves optimality, or that the rules clash."""
    from ortools.sat.python import cp_model

    budget.report("building the CP-SAT model")
    warm_score = score_rounds(event, warm.rounds, pairs)
    free = {
        r: FreeCells(round_layout(event, r), event.present(r)) for r in range(budget.frozen + 1, event.rounds + 1)
    }
    built = _build(event, pairs, warm.rounds, free, cut=warm_score.total_violations == 0)
    solver = _solver(budget, WORKERS, budget.remaining(DEFAULT_TIME_LIMIT))
    status = _solve_catching_ctrl_c(solver, built.model, _reporter(budget, built.scale))
    if status == cp_model.INFEASIBLE:
        if warm_score.total_violations == 0:  # only the cut to beat the warm start failed: it is optimal
            return Outcome(warm.rounds, "optimal", True, notes=(*warm.notes, "CP-SAT proved the start plan optimal"))
        kinds = sorted({rule.kind for rule in rules_for(event)})
        raise InfeasibleError(f"no plan can keep every rule at once (rules in force: {', '.join(kinds)})")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        note = f"CP-SAT found no plan in time ({solver.status_name(status)}); the start plan is kept"
        return Outcome(warm.rounds, "feasible", notes=(*warm.notes, note))
    rounds = (*budget.fixed, *_read_plan(built, event, warm.rounds, solver)[budget.frozen :])
    limit = solver.parameters.max_time_in_seconds
    interrupted = status == cp_model.FEASIBLE and solver.wall_time < limit - STOP_SLACK
    notes = [
        *warm.notes,
        f"CP-SAT {solver.status_name(status).lower()} after {solver.wall_time:.1f} s with "
        f"{WORKERS} workers, objective {solver.objective_value / built.scale:g}, "
        f"bound {solver.best_objective_bound / built.scale:g}",
    ]
    if interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    if warm_score.better_than(score_rounds(event, rounds, pairs)):
        rounds = warm.rounds
        notes.append("the start plan scores better than CP-SAT's, so it is kept")
    return Outcome(
        rounds=rounds,
        status=solver.status_name(status).lower(),
        optimal=status == cp_model.OPTIMAL,
        objective_bound=round(solver.best_objective_bound / built.scale, 6),
        notes=tuple(notes),
        interrupted=interrupted,
    )


def _neighbourhood_search(event: Event, pairs: PairTable, warm: Outcome, budget: Budget) -> Outcome:
    """Re-solve one neighbourhood at a time until the time limit, a plan meeting both bounds, or Ctrl-C."""
    from ortools.sat.python import cp_model

    current, best = warm.rounds, score_rounds(event, warm.rounds, pairs)
    met = pairs.history + meeting_counts(pairs, current)
    movable = [s.round for s in current[budget.frozen :] if len(s.tables) > 1]
    neighbourhoods = _Neighbourhoods(event, pairs, random.Random(budget.seed))
    improved = 0
    building = 0.0  # seconds the last neighbourhood's model took to build
    interrupted = False
    try:
        while movable and not best.meets_bounds and budget.remaining(DEFAULT_TIME_LIMIT) > 0.05 + building:
            began = time.perf_counter()
            step = neighbourhoods.draw(current, movable, met, best)
            if step is None:
                continue
            building = time.perf_counter() - began  # the next step is not begun unless as long is left
            limit = min(STEP_SECONDS, budget.remaining(DEFAULT_TIME_LIMIT))
            if limit < 0.05:
                break
            solver = _solver(budget, 1, limit)
            solver.parameters.catch_sigint_signal = False  # Ctrl-C arrives as KeyboardInterrupt after the step
            if step.kind == "groups":
                set_partition_parameters(solver)
            status = solver.solve(step.model)
            logger.debug("step %d (%s): %s, objective %g, size %.0f, %.2f s", neighbourhoods.drawn, step.kind,
                         solver.status_name(status), solver.objective_value, step.size, solver.wall_time)
            neighbourhoods.resize(step, status, quick=solver.wall_time < limit / 2)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                continue
            candidate = step.read(solver)
            score = score_rounds(event, candidate, pairs)
            if score.key() <= best.key() and candidate != current:
                if score.better_than(best):
                    improved += 1
                    budget.report(f"CP-SAT neighbourhoods, step {neighbourhoods.drawn} ({step.kind})",
                                  score.summary())
                current, best = candidate, score
                met = pairs.history + meeting_counts(pairs, current)
    except KeyboardInterrupt:
        interrupted = True
    notes = [*warm.notes, f"CP-SAT neighbourhood search: {neighbourhoods.drawn} steps, {improved} improved the plan"]
    if interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    rounds = (*budget.fixed, *current[budget.frozen :])
    optimal = best.meets_bounds
    return Outcome(rounds, "optimal" if optimal else "feasible", optimal, notes=tuple(notes), interrupted=interrupted)


@dataclass
class _Step:
    """One neighbourhood's model, ready to solve, and how to read its plan back from the solver."""

    kind: str
    size: float
    model: object
    read: Callable[[object], tuple[RoundSeating, ...]]


class _Neighbourhoods:
    """Draws the next neighbourhood of the current plan and builds its model; keeps the size of each kind."""

    def __init__(self, event: Event, pairs: PairTable, rng: random.Random) -> None:
        self.event, self.pairs, self.rng = event, pairs, rng
        self.sizes = {**dict.fromkeys((*REPEAT_KINDS, *PEOPLE_KINDS), SIZE_START), "groups": GROUP_TABLES}
        self.value_kinds = VALUE_KINDS
        self.regrouper: Regrouper | None = None  # made when first needed
        self.drawn = 0

    def draw(self, current: tuple[RoundSeating, ...], movable: list[int], met: np.ndarray,
             best: Score) -> _Step | None:
        """The next kind in turn (repeats while they can fall, else value); None when it has nothing to set free."""
        repeats_only = best.repeats > best.bounds.repeats_lower_bound
        kinds = REPEAT_KINDS if repeats_only else self.value_kinds
        kind = kinds[self.drawn % len(kinds)]
        self.drawn += 1
        if kind == "groups":
            return self._regrouping(current, movable)
        size = self.sizes[kind]
        find = _people_neighbourhood if kind in PEOPLE_KINDS else _neighbourhood
        free = find(kind, current, movable, met, self.pairs, size, self.rng)
        if not free:
            return None
        built = _build(self.event, self.pairs, current, free, cut=best.total_violations == 0, met=met,
                       repeats_only=repeats_only, move=repeats_only and self.drawn % 2 == 0,
                       hold_repeats=not repeats_only)
        return _Step(kind, size, built.model, partial(_read_plan, built, self.event, current))

    def resize(self, step: _Step, status: int, quick: bool) -> None:
        """Grow the kind after a quick proof, shrink it after running out of time."""
        self.sizes[step.kind] = _resized(step.kind, step.size, status, quick)

    def _regrouping(self, current: tuple[RoundSeating, ...], movable: list[int]) -> _Step | None:
        """Tables of a round drawn at random, as many as the size says (at most all), re-grouped as a set
        partition; None, with one table fewer next time, when they have too many groups. Where even two tables
        have too many, people are set free instead from then on."""
        if self.regrouper is None:
            soft_terms = [term for term in event_terms(self.event) if not term.hard]
            self.regrouper = Regrouper(self.event, self.pairs, _value_scale(self.event, self.pairs, soft_terms))
        r = self.rng.choice(movable)
        tables = [ts.table for ts in current[r - 1].tables]
        size = min(self.sizes["groups"], float(len(tables)))
        grouping = self.regrouper.regroup(current, r, self.rng.sample(tables, min(len(tables), round(size))))
        if grouping is None:
            self.sizes["groups"] = _fewer_tables(size)
            if size <= 2:
                self.value_kinds = PEOPLE_KINDS
            return None
        return _Step("groups", size, grouping.model, grouping.read)


def _resized(kind: str, size: float, status: int, quick: bool) -> float:
    """The next size of a kind of neighbourhood: larger after a quick proof, smaller after running out of time."""
    from ortools.sat.python import cp_model

    solved = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    if kind == "groups":
        return size + GROUP_GROWTH if solved and quick else size if solved else _fewer_tables(size)
    if solved:
        return min(SIZE_MAX, size * GROW) if quick else size
    return max(SIZE_MIN, size * SHRINK)


def _fewer_tables(size: float) -> float:
    """One table fewer to re-group, but never fewer than two."""
    return max(2.0, size - 1)


def _neighbourhood(
    kind: str,
    current: Sequence[RoundSeating],
    movable: list[int],
    met: np.ndarray,
    pairs: PairTable,
    size: float,
    rng: random.Random,
) -> dict[int, FreeCells]:
    """Cells (round, table) to set free, as many as ``size`` pairs x rounds allow, with the people sitting there.

    ``rounds``: the tables of two or three rounds; ``tables``: a few tables in every
    round; ``repeats``: the tables of people in a repeat (with their tablemates) in
    every round. A round with one free table gets a second, so people can move.
    """
    seating = {s.round: s for s in current}
    tables_of = {r: {ts.table for ts in seating[r].tables} for r in movable}
    if kind == "rounds":
        chosen = rng.sample(movable, min(len(movable), rng.choice((2, 3))))
        by_round = [rng.sample(seating[r].tables, len(seating[r].tables)) for r in chosen]
        candidates = [(r, ts.table) for group in zip_longest(*by_round) for r, ts in zip(chosen, group) if ts]
    elif kind == "tables":
        ids = list(dict.fromkeys(ts.table for r in movable for ts in seating[r].tables))
        rng.shuffle(ids)
        candidates = [(r, t) for t in ids for r in movable if t in tables_of[r]]
    else:
        repeated = [(pairs.ids[i], pairs.ids[j]) for i, j in np.argwhere(np.triu(met, k=1) >= 2)]
        rng.shuffle(repeated)
        table_of = {r: seating[r].table_of() for r in movable}
        candidates = []
        for a, b in repeated:  # where a repeat happens, and a table to move one of the two to
            for r in movable:
                if a in table_of[r] and table_of[r][a] == table_of[r].get(b):
                    candidates += [(r, table_of[r][a]), (r, rng.choice(sorted(tables_of[r] - {table_of[r][a]})))]
    cells: dict[int, set[str]] = {}
    used = 0.0
    for r, table in candidates:
        if table in cells.get(r, ()):
            continue
        grown = cells.get(r, set()) | {table}
        cost = _pairs_in(seating[r], grown) - _pairs_in(seating[r], cells.get(r, set()))
        if used + cost > size and used > 0:
            break
        cells[r] = grown
        used += cost
    for r, tables in cells.items():
        if len(tables) == 1:
            tables.add(rng.choice(sorted(tables_of[r] - tables)))
    return {
        r: FreeCells(
            {ts.table: len(ts.participants) for ts in seating[r].tables if ts.table in tables},
            [pid for ts in seating[r].tables if ts.table in tables for pid in ts.participants],
        )
        for r, tables in sorted(cells.items())
    }


def _people_neighbourhood(
    kind: str,
    current: Sequence[RoundSeating],
    movable: list[int],
    met: np.ndarray,
    pairs: PairTable,
    size: float,
    rng: random.Random,
) -> dict[int, FreeCells]:
    """Some people set free while everyone else keeps their seat, so those set free trade seats.

    ``people``: people among those who gain least from their meetings so far, in
    every round; ``weak``: in two or three rounds, half of them people in a meeting
    worth less than the best pair, half anyone. As many people as ``size`` allows
    (pairs among them x rounds); a person a rule keeps with another comes with them.
    """
    everyone = range(len(pairs.ids))
    rounds = movable if kind == "people" else sorted(rng.sample(movable, min(len(movable), rng.choice((2, 3)))))
    count = min(len(everyone), max(4, int((2 * size / len(rounds)) ** 0.5)))
    if kind == "people":
        gain = (pairs.value * ((met - pairs.history >= 1) & (pairs.history == 0))).sum(axis=1)
        poorest = sorted(everyone, key=lambda i: (gain[i], i))[: 2 * count]
        chosen = set(rng.sample(poorest, count))
    else:
        top, index = pairs.value.max(), pairs.index
        weak = sorted({index[pid] for r in rounds for ts in current[r - 1].tables
                       for a, b in combinations(ts.participants, 2) if pairs.value[index[a], index[b]] < top
                       for pid in (a, b)})
        chosen = set(rng.sample(weak, min(len(weak), count // 2)))
        chosen.update(rng.sample(everyone, count - len(chosen)))
    for i, j in pairs.kept_together:
        if i in chosen or j in chosen:
            chosen.update((i, j))
    cells = {}
    for r in rounds:
        layout: dict[str, int] = defaultdict(int)
        people = []
        for ts in current[r - 1].tables:
            for pid in ts.participants:
                if pairs.index[pid] in chosen:
                    layout[ts.table] += 1
                    people.append(pid)
        if len(layout) > 1:
            cells[r] = FreeCells(dict(layout), people)
    return cells


def _pairs_in(seating: RoundSeating, tables: set[str]) -> int:
    people = sum(len(ts.participants) for ts in seating.tables if ts.table in tables)
    return people * (people - 1) // 2


def _solver(budget: Budget, workers: int, seconds: float):  # type: ignore[no-untyped-def]
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.05, seconds)
    params.num_workers = workers
    params.random_seed = budget.seed
    params.log_search_progress = logger.isEnabledFor(logging.DEBUG)
    params.log_to_stdout = False
    solver.log_callback = logger.debug
    return solver


def _value_scale(event: Event, pairs: PairTable, soft: Sequence[Term]) -> int:
    """The smallest power of ten (up to a million) that makes every pair value and the costs of the ``soft``
    terms whole numbers."""
    costs = np.asarray(soft_numbers(soft, len(event.participants)), dtype=float)
    numbers = np.concatenate([pairs.value.ravel(), costs])
    for scale in (10**k for k in range(6)):
        scaled = numbers * scale
        if np.allclose(scaled, np.round(scaled)):
            return scale
    return 10**6


def _build(
    event: Event,
    pairs: PairTable,
    current: Sequence[RoundSeating],
    free: Mapping[int, FreeCells],
    cut: bool,
    met: np.ndarray | None = None,
    repeats_only: bool = False,
    move: bool = False,
    hold_repeats: bool = False,
) -> _Model:
    """The model of ``free`` with everything else seated as in ``current``, hinted with ``current``.

    ``met`` is how often each pair met in ``current`` and history. With ``cut``,
    plans costing more than ``current`` are cut off (only sound when ``current``
    keeps every rule). ``repeats_only`` leaves value out: only pairs that could
    repeat get variables, a much smaller model for a plan that still has repeats.
    ``hold_repeats`` keeps repeats as they are and weighs value alone (when they
    can fall no lower). Soft rules cost value as :mod:`mixer.scoring` counts them
    (:mod:`mixer.solvers.cpsat_soft`), except with ``repeats_only``.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    if _tables_alike(event):
        free = {r: _canonical(cells, current[r - 1], pairs.index) for r, cells in free.items()}
    seats = SeatVars.create(model, event, current, free)
    for rule in rules_for(event):
        rule.encode(event, seats)
    if met is None:
        met = pairs.history + meeting_counts(pairs, current)
    index, ids = pairs.index, pairs.ids
    hints: dict[object, int] = {}
    seat_vars: set[object] = set()
    # Who may meet in each free round and whether they sit together now: two people set free, or one set free and
    # one who keeps their seat at a free table (then the mover's seat there is their meeting).
    seated = {r: {**current[r - 1].table_of(), **cells.hint} for r, cells in free.items()}
    x = {r: {pid: {t: seats.seat(pid, t, r) for t in cells.layout} for pid in cells.people}
         for r, cells in free.items()}
    candidates: dict[int, list[tuple[int, int, int, object]]] = {}  # i, j, together now, the mover's seat or None
    stay: dict[tuple[int, int], int] = defaultdict(int)  # current meetings that the free rounds may undo
    rounds_free: dict[tuple[int, int], int] = defaultdict(int)
    for r, cells in free.items():
        moving = sorted(index[pid] for pid in cells.people)
        free_people = set(cells.people)
        staying = {ts.table: [index[pid] for pid in ts.participants if pid not in free_people]
                   for ts in current[r - 1].tables if ts.table in cells.layout}
        found = candidates[r] = []
        for i, j in combinations(moving, 2):
            found.append((i, j, int(seated[r][ids[i]] == seated[r][ids[j]]), None))
        for mover in moving:
            at = seated[r][ids[mover]]
            for table, others in staying.items():
                var = x[r][ids[mover]][table]
                for other in others:
                    i, j = (mover, other) if mover < other else (other, mover)
                    found.append((i, j, int(at == table), var))
        for i, j, same, _ in found:
            if r not in pairs.kept_together.get((i, j), ()):
                stay[i, j] += same
                rounds_free[i, j] += 1
    meetings: dict[tuple[int, int], list[tuple[object, int]]] = {}
    for r, cells in free.items():
        if cells.hint:  # tables alike: the k-th person (by index) sits at one of the first k tables
            for k, pid in enumerate(cells.people):
                for t in list(cells.layout)[k + 1 :]:
                    model.add(seats.seat(pid, t, r) == 0)
        for pid in cells.people:
            for t, var in x[r][pid].items():
                hints[var] = int(seated[r].get(pid) == t)
                seat_vars.add(var)
        shared = [t for t, seats_free in cells.layout.items() if seats_free > 1]  # tables with room for two
        together: dict[tuple[int, int], object] = {}
        for i, j, same, var in candidates[r]:
            kept = r in pairs.kept_together.get((i, j), ())
            if repeats_only and (kept or (met[i, j] - stay[i, j] < 1 and rounds_free[i, j] < 2)):
                continue  # this pair cannot repeat whatever the free rounds do
            if var is None:  # both set free: a variable for their sitting together, if any table has room for two
                if not shared:
                    continue
                xi, xj = x[r][ids[i]], x[r][ids[j]]
                var = model.new_bool_var(f"together[{ids[i]},{ids[j]},{r}]")
                together[i, j] = together[j, i] = var
                for t in shared:
                    model.add_bool_or([xi[t].negated(), xj[t].negated(), var])
                if not repeats_only:  # together only at a table with room for both
                    model.add(var <= sum(xi[t] for t in shared))
                    model.add(var <= sum(xj[t] for t in shared))
            if kept:
                continue  # a rule seats them together: counted among tablemates below, never a meeting
            meetings.setdefault((i, j), []).append((var, same))
        if not repeats_only:  # nobody is counted together with more of the people set free than share their table
            people = sorted(index[pid] for pid in cells.people)
            for i in people:
                tablemates = sum((size - 1) * x[r][ids[i]][t] for t, size in cells.layout.items() if size > 1)
                model.add(sum(var for j in people if (var := together.get((i, j))) is not None) <= tablemates)

    soft = [] if repeats_only else [term for term in event_terms(event) if not term.hard]
    scale = _value_scale(event, pairs, soft)
    charged = soft_cost(seats, soft, scale)
    repeat_terms: list[tuple[object, int]] = []
    value_terms: list[tuple[int, object, int]] = []
    # Holding a plan without repeats in the free cells: none may appear, so each meeting earns its value alone
    # (a tighter model than counting repeats).
    counted = [  # meetings the free rounds cannot change (history included), and those they make now
        (i, j, xs, int(met[i, j]) - stay[i, j], sum(same for _, same in xs)) for (i, j), xs in meetings.items()
    ]
    none = hold_repeats and all(now == 0 or (now == 1 and before == 0) for _, _, _, before, now in counted)
    barred: set[object] = set()  # meetings that would repeat
    for i, j, xs, before, now in counted:
        value = round(pairs.value[i, j] * scale) if pairs.history[i, j] == 0 and not repeats_only else 0
        for var, same in xs:
            hints[var] = same
        if none:
            if before >= 1:
                barred.update(var for var, _ in xs)
            else:
                if len(xs) > 1:
                    model.add_at_most_one(var for var, _ in xs)
                value_terms.extend((value, var, same) for var, same in xs if value)
        elif before >= 1:
            repeat_terms.extend(xs)
        elif len(xs) == 1:
            if value:
                value_terms.append((value, *xs[0]))
        else:
            if value:
                once = model.new_bool_var(f"met[{ids[i]},{ids[j]}]")
                if value > 0:
                    model.add(once <= sum(var for var, _ in xs))
                else:
                    for var, _ in xs:
                        model.add_implication(var, once)
                value_terms.append((value, once, int(now > 0)))
                hints[once] = int(now > 0)
            extra = model.new_int_var(0, len(xs) - 1, f"repeats[{ids[i]},{ids[j]}]")
            model.add(extra >= sum(var for var, _ in xs) - 1)
            repeat_terms.append((extra, max(0, now - 1)))
            hints[extra] = max(0, now - 1)
    if barred:
        model.add_bool_and([var.negated() for var in barred])
    repeats, hint_repeats = sum(var for var, _ in repeat_terms), sum(h for _, h in repeat_terms)
    if hold_repeats and repeat_terms:  # repeats can fall no lower: keep them as they are and weigh value alone
        model.add(repeats <= hint_repeats)
    repeat_weight = 0 if hold_repeats else sum(abs(v) for v, _, _ in value_terms) + charged.spread + 1
    objective = repeat_weight * repeats - sum(v * var for v, var, _ in value_terms) + charged.expression()
    hint_objective = (repeat_weight * hint_repeats - sum(v * h for v, _, h in value_terms)
                      + round(terms_cost(soft, current, hard=False) * scale))
    model.proto.solution_hint.vars.extend(var.index for var in hints)
    model.proto.solution_hint.values.extend(hints.values())
    if cut:
        model.add(objective <= hint_objective)
    if move:  # a different seating of the free cells: at least two people change tables
        stays = [var for var, h in hints.items() if h and var in seat_vars]
        model.add(sum(stays) <= len(stays) - 2)
    model.minimize(objective)
    return _Model(model, seats, free, scale, hint_objective)


def _tables_alike(event: Event) -> bool:
    """Whether no rule tells one table from another, so tables of one size can trade their people."""
    return not any(isinstance(term, (SeatTerm, VisitTerm)) for term in event_terms(event))


def _canonical(cells: FreeCells, seating: RoundSeating, index: Mapping[str, int]) -> FreeCells:
    """Free cells ordered for symmetry breaking: people by index, tables by their first person in the current plan.

    Only when every free table has the same size and nobody keeps a seat there (then those tables are
    interchangeable); the current plan, relabelled to match, becomes the hint.
    """
    table_of = seating.table_of()
    seated_there = sum(1 for t in table_of.values() if t in cells.layout)
    if len(set(cells.layout.values())) != 1 or seated_there > len(cells.people):
        return cells
    people = sorted(cells.people, key=index.__getitem__)
    first: dict[str, int] = {}
    for k, pid in enumerate(people):
        first.setdefault(table_of[pid], k)
    order = sorted(cells.layout, key=lambda t: first.get(t, len(people)))
    relabel = dict(zip(order, cells.layout))
    return FreeCells(dict(cells.layout), people, {pid: relabel[table_of[pid]] for pid in people})


def _read_plan(
    built: _Model, event: Event, current: Sequence[RoundSeating], solver: object
) -> tuple[RoundSeating, ...]:
    """``current`` with the free rounds re-seated as the solver found them."""
    rounds = list(current)
    for r, cells in built.free.items():
        moving = set(cells.people)
        table_of = {pid: t for pid, t in current[r - 1].table_of().items() if pid not in moving}
        for pid in cells.people:
            table_of[pid] = next(t for t in cells.layout if solver.boolean_value(built.seats.seat(pid, t, r)))
        rounds[r - 1] = seating_from_tables(event, [table_of], first_round=r)[0]
    return tuple(rounds)


def _solve_catching_ctrl_c(solver, model, callback):  # type: ignore[no-untyped-def]
    """Solve with CP-SAT's own Ctrl-C handling (the search stops, keeping its best solution), then give Ctrl-C
    back to Python: CP-SAT leaves its handler in place, and a later Ctrl-C would end the process at once."""
    if threading.current_thread() is not threading.main_thread():  # Ctrl-C never reaches this thread anyway
        solver.parameters.catch_sigint_signal = False
        return solver.solve(model, callback)
    python_handler = signal.getsignal(signal.SIGINT)
    try:
        return solver.solve(model, callback)
    finally:
        if python_handler is not None:
            signal.signal(signal.SIGINT, python_handler)


def _reporter(budget: Budget, scale: int):  # type: ignore[no-untyped-def]
    """A solution callback that passes each improving solution on as progress, kept light."""
    from ortools.sat.python import cp_model

    class Reporter(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            budget.report(
                f"CP-SAT: objective {self.objective_value / scale:g}, bound {self.best_objective_bound / scale:g}"
            )

    return Reporter()
