"""CP-SAT: an exact model built from the rule modules, warm-started from greedy.

Variables: ``seat[p, t, r]`` from :class:`SeatVars`, each rule adds itself. For
every pair co-present in a round, ``together[i, j, r]`` is forced true when both
sit at one table (a clause per table) and a per-person count, ``sum_j together =
tablemates``, keeps it from being true otherwise. The objective minimises
repeats first and then maximises the value of new pairs, exactly as
:mod:`mixer.scoring` ranks plans; ``met[i, j]`` may only be true when the pair
really meets (the direction the objective needs). OR-Tools is imported here
only, so other commands start fast.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from mixer.constraints import rules_for
from mixer.errors import InfeasibleError
from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, score_rounds
from mixer.solvers.common import Budget, Outcome, seating_from_tables
from mixer.solvers.greedy import solve_greedy

logger = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT = 10.0
WARM_START_SHARE = 0.3
STOP_SLACK = 0.5  # seconds short of the limit at which a FEASIBLE stop means Ctrl-C


@dataclass
class _Model:
    """The CP-SAT model with the variables needed to read a plan back and to hint one."""

    model: object
    seats: object
    together: dict[tuple[int, int, int], object]
    met: dict[tuple[int, int], object]
    repeats: dict[tuple[int, int], object]
    scale: int


def solve_cpsat(event: Event, budget: Budget) -> Outcome:
    """Solve to optimality or until the time limit; Ctrl-C stops the search and keeps the best plan."""
    from ortools.sat.python import cp_model

    if budget.start is not None:
        warm = Outcome(budget.start, "feasible", notes=("started from the given plan",))
    else:
        warm = solve_greedy(event, budget.share(WARM_START_SHARE, DEFAULT_TIME_LIMIT))
    if warm.optimal or warm.interrupted:
        return warm
    budget.report("building the CP-SAT model")
    pairs = PairTable.of(event)
    warm_score = score_rounds(event, warm.rounds, pairs)
    # A warm start that keeps every rule caps the repeats worth searching; one that breaks a rule does not.
    most_repeats = warm_score.repeats if warm_score.total_violations == 0 else None
    built = _build(event, pairs, most_repeats, budget.fixed)
    _hint(built, event, pairs, warm.rounds)

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.1, budget.remaining(DEFAULT_TIME_LIMIT))
    params.num_workers = 8
    params.random_seed = budget.seed
    params.log_search_progress = logger.isEnabledFor(logging.DEBUG)
    params.log_to_stdout = False
    solver.log_callback = logger.debug
    callback = _reporter(budget, built.scale)
    status = solver.solve(built.model, callback)

    if status == cp_model.INFEASIBLE:
        kinds = sorted({rule.kind for rule in rules_for(event)})
        raise InfeasibleError(f"no plan can keep every rule at once (rules in force: {', '.join(kinds)})")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        note = f"CP-SAT found no plan in time ({solver.status_name(status)}); the greedy plan is kept"
        return Outcome(warm.rounds, "feasible", notes=(*warm.notes, note))
    rounds = (*budget.fixed, *_read_plan(built, event, solver)[budget.frozen :])
    interrupted = status == cp_model.FEASIBLE and solver.wall_time < params.max_time_in_seconds - STOP_SLACK
    notes = [
        *warm.notes,
        f"CP-SAT {solver.status_name(status).lower()} after {solver.wall_time:.1f} s with "
        f"{params.num_workers} workers, objective {solver.objective_value / built.scale:g}, "
        f"bound {solver.best_objective_bound / built.scale:g}",
    ]
    if interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    if warm_score.better_than(score_rounds(event, rounds, pairs)):
        rounds = warm.rounds
        notes.append("the greedy plan scores better than CP-SAT's, so it is kept")
    return Outcome(
        rounds=rounds,
        status=solver.status_name(status).lower(),
        optimal=status == cp_model.OPTIMAL,
        objective_bound=round(solver.best_objective_bound / built.scale, 6),
        notes=tuple(notes),
        interrupted=interrupted,
    )


def _value_scale(pairs: PairTable) -> int:
    """The smallest power of ten (up to a million) that makes every pair value a whole number."""
    for scale in (10**k for k in range(6)):
        scaled = pairs.value * scale
        if np.allclose(scaled, np.round(scaled)):
            return scale
    return 10**6


def _build(event: Event, pairs: PairTable, most_repeats: int | None, fixed: tuple[RoundSeating, ...] = ()) -> _Model:
    """The model, the ``fixed`` rounds kept; plans with more repeats than ``most_repeats`` (the warm start's) are cut off."""
    from ortools.sat.python import cp_model

    from mixer.solvers.cpsat_vars import SeatVars

    model = cp_model.CpModel()
    rounds = list(range(1, event.rounds + 1))
    seats = SeatVars.create(model, event, rounds, fixed)
    for rule in rules_for(event):
        rule.encode(event, seats)

    ids = pairs.ids
    together: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for r in rounds:
        layout = seats.layout(r)
        present = [pairs.index[pid] for pid in event.present(r)]
        for i, j in combinations(present, 2):
            var = model.new_bool_var(f"together[{ids[i]},{ids[j]},{r}]")
            together[i, j, r] = together[j, i, r] = var
            for t in layout:
                model.add_bool_or([seats.seat(ids[i], t, r).negated(), seats.seat(ids[j], t, r).negated(), var])
        for i in present:
            tablemates = sum((size - 1) * seats.seat(ids[i], t, r) for t, size in layout.items())
            model.add(sum(together[i, j, r] for j in present if j != i) == tablemates)

    scale = _value_scale(pairs)
    met: dict[tuple[int, int], cp_model.IntVar] = {}
    repeats: dict[tuple[int, int], cp_model.IntVar] = {}
    value_terms = []
    repeat_terms = []
    for i, j in combinations(range(len(ids)), 2):
        meetings = [together[i, j, r] for r in rounds if (i, j, r) in together]
        if not meetings:
            continue
        if pairs.history[i, j] > 0:
            repeat_terms.extend(meetings)
            continue
        met[i, j] = model.new_bool_var(f"met[{ids[i]},{ids[j]}]")
        model.add(met[i, j] <= sum(meetings))
        value_terms.append(round(pairs.value[i, j] * scale) * met[i, j])
        if len(meetings) > 1:
            repeats[i, j] = model.new_int_var(0, len(meetings) - 1, f"repeats[{ids[i]},{ids[j]}]")
            model.add(repeats[i, j] >= sum(meetings) - 1)
            repeat_terms.append(repeats[i, j])
    repeat_weight = sum(round(pairs.value[i, j] * scale) for i, j in met) + 1
    past = int(np.maximum(0, pairs.history[np.triu_indices(len(ids), k=1)] - 1).sum())
    if most_repeats is not None:
        model.add(sum(repeat_terms) <= most_repeats - past)
    model.minimize(repeat_weight * sum(repeat_terms) - sum(value_terms))
    return _Model(model, seats, together, met, repeats, scale)


def _hint(built: _Model, event: Event, pairs: PairTable, rounds: tuple[RoundSeating, ...]) -> None:
    """Give CP-SAT the greedy plan as a complete starting solution."""
    model = built.model
    table_of = [r.table_of() for r in rounds]
    for r, assignment in enumerate(table_of, start=1):
        for pid in event.present(r):
            for t in built.seats.layout(r):
                model.add_hint(built.seats.seat(pid, t, r), assignment.get(pid) == t)
    meetings: dict[tuple[int, int], int] = {}
    for (i, j, r), var in built.together.items():
        if i < j:
            same = table_of[r - 1].get(pairs.ids[i]) == table_of[r - 1].get(pairs.ids[j])
            model.add_hint(var, same)
            meetings[i, j] = meetings.get((i, j), 0) + same
    for key, var in built.met.items():
        model.add_hint(var, meetings.get(key, 0) > 0)
    for key, var in built.repeats.items():
        model.add_hint(var, max(0, meetings.get(key, 0) - 1))


def _read_plan(built: _Model, event: Event, solver: object) -> tuple[RoundSeating, ...]:
    table_of = []
    for r in range(1, event.rounds + 1):
        layout = built.seats.layout(r)
        table_of.append(
            {pid: t for pid in event.present(r) for t in layout if solver.boolean_value(built.seats.seat(pid, t, r))}
        )
    return seating_from_tables(event, table_of)


def _reporter(budget: Budget, scale: int):  # type: ignore[no-untyped-def]
    """A solution callback that passes each improving solution on as progress, kept light."""
    from ortools.sat.python import cp_model

    class Reporter(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            budget.report(
                f"CP-SAT: objective {self.objective_value / scale:g}, bound {self.best_objective_bound / scale:g}"
            )

    return Reporter()
