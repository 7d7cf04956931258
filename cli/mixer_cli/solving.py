"""Solve with a live display on stderr, then write the plan and report it; shared by ``plan`` and ``demo``."""

from __future__ import annotations

from pathlib import Path

from mixer.io.plan_file import save_plan
from mixer.model import Event
from mixer.scoring import score_plan
from mixer.solvers import resolve_solver, solve
from mixer_cli.errors import INTERRUPTED, on_error, stderr
from mixer_cli.live import SolveDisplay
from mixer_cli.render import plan_json, print_json, show_plan, violations


def solve_and_write(event: Event, path: Path, *, solver: str, time_limit: float, seed: int, as_json: bool,
                    processes: int | None = None, quiet: bool = False, allow_violations: bool = False) -> Path:
    """Solve ``event``, write the plan to ``path`` only once solving succeeded, and print its report.

    A plan breaking a hard rule is not written (the violations are listed, exit 1) unless
    ``allow_violations``; rules that clash never give a plan (``solve`` raises). An interrupted
    solve does not replace a plan in ``path`` that is at least as good (see ``save_plan``); after
    writing it, mixer exits 130. ``quiet`` shows no progress and no seating, just the summary.
    Returns where the plan was written.
    """
    name = resolve_solver(solver, event)
    with SolveDisplay(name, time_limit, stderr(), quiet=quiet) as display:
        plan = solve(event, solver=name, time_limit=time_limit, seed=seed, progress=display.update,
                     processes=processes)
    score = score_plan(plan)
    if score.total_violations and not allow_violations:
        stderr().print(violations(score))
        on_error(
            f"no plan keeping every rule was found in {time_limit:g} s, though mixer finds no clash between the "
            "rules; nothing was written. Give more time with --time-limit, or write it anyway with --allow-violations"
        )
    path = save_plan(plan, path)
    if as_json:
        print_json(plan_json(plan, score, path))
    else:
        show_plan(plan, score, path, with_seating=not quiet)
    if plan.metadata.interrupted:
        on_error(f"interrupted: the best plan found so far was written to {path}", code=INTERRUPTED)
    return path
