"""Solvers behind one interface: ``solve(event, solver=..., time_limit=..., seed=..., progress=...) -> Plan``.

Each solver is a function ``(event, budget) -> Outcome`` registered in ``SOLVERS``;
``solve`` times it, scores what it found with :mod:`mixer.scoring` and wraps it in a
:class:`~mixer.model.Plan`. ``auto`` (:mod:`mixer.solvers.portfolio`) runs them in turn,
each from the best plan so far.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from mixer.clashes import find_clash
from mixer.errors import InfeasibleError
from mixer.model import Event, Plan, PlanMetadata, RoundSeating
from mixer.scoring import score_rounds
from mixer.solvers.common import Budget, Outcome, Progress, ProgressCallback
from mixer.solvers.construction import design_start, solve_construct
from mixer.solvers.cpsat import solve_cpsat
from mixer.solvers.greedy import solve_greedy
from mixer.solvers.local_search import solve_local
from mixer.solvers.portfolio import solve_auto
from mixer.solvers.side_by_side import can_fork, default_processes

Solver = Callable[[Event, Budget], Outcome]

SOLVERS: dict[str, Solver] = {
    "greedy": solve_greedy,
    "cpsat": solve_cpsat,
    "local": solve_local,
    "construct": solve_construct,
}

AUTO = "auto"


def solver_names() -> list[str]:
    """Names accepted by ``solve``, ``auto`` first."""
    return [AUTO, *SOLVERS]


def resolve_solver(name: str, event: Event) -> str:
    """The solver ``name`` stands for (``auto``: the portfolio); raises ValueError for an unknown name."""
    if name != AUTO and name not in SOLVERS:
        raise ValueError(f"unknown solver {name!r}; choose from {', '.join(solver_names())}")
    return name


def solve(
    event: Event,
    solver: str = AUTO,
    time_limit: float | None = None,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    start: Sequence[RoundSeating] | None = None,
    frozen: int = 0,
    processes: int | None = None,
) -> Plan:
    """Seat the event's participants for every round and return the scored plan.

    ``time_limit`` is in seconds (``None``: the solver's own default). ``progress`` is
    called now and then with a :class:`Progress`. ``start`` is a seating of every
    round to start from; its first ``frozen`` rounds are kept exactly (rounds
    already played). ``processes`` is how many processes ``auto`` may run side by
    side (``None``: one per core, up to two, under a time limit of 2 s or more; see
    :mod:`mixer.solvers.side_by_side`). Raises :class:`~mixer.errors.InfeasibleError`, naming the
    clashing rules, when the plan found breaks a hard rule because the rules cannot
    all hold (:func:`mixer.clashes.find_clash`). A plan may still break a hard rule
    when no clash is found but no plan keeping them was found in time: callers check
    ``score.total_violations``.
    """
    name = resolve_solver(solver, event)
    if frozen and (start is None or len(start) < frozen):
        raise ValueError(f"freezing {frozen} rounds needs a start seating of at least that many rounds")
    started = time.perf_counter()
    budget = Budget(time_limit=time_limit, seed=seed, progress=progress, started=started, limit=time_limit,
                    start=tuple(start) if start is not None else None, frozen=frozen,
                    processes=_processes(processes, time_limit))
    try:
        outcome = (solve_auto if name == AUTO else SOLVERS[name])(event, budget)
    except InfeasibleError:
        _explain_clash(event)
        raise
    score = score_rounds(event, outcome.rounds)
    if any(v.hard and any(r > frozen for r in v.rounds or (frozen + 1,)) for v in score.violation_details):
        _explain_clash(event)
    metadata = PlanMetadata(
        solver=name,
        seed=seed,
        time_limit=time_limit,
        time_used=round(time.perf_counter() - started, 3),
        optimal=outcome.optimal,
        interrupted=outcome.interrupted,
        status=outcome.status,
        objective_bound=outcome.objective_bound,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        mixer_version=_version(),
        notes=outcome.notes,
    )
    return Plan(event=event, rounds=outcome.rounds, metadata=metadata, score=score.summary())


def _processes(asked: int | None, time_limit: float | None) -> int:
    """Processes ``auto`` may use: as asked where forking is possible under a time limit, else the default."""
    if asked is None:
        return default_processes(time_limit)
    return max(1, asked) if time_limit is not None and can_fork() else 1


def _explain_clash(event: Event) -> None:
    """Raise InfeasibleError naming the clashing rules, if any clash is found."""
    clash = find_clash(event)
    if clash is not None:
        raise InfeasibleError(f"no plan can keep every rule: {clash.message}")


def _version() -> str:
    from mixer import __version__

    return __version__


__all__ = ["AUTO", "SOLVERS", "Budget", "design_start", "Outcome", "Progress", "resolve_solver", "solve", "solver_names"]
