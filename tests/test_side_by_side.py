"""Lines of ``auto`` side by side in forked processes: every line's plan comes back, Ctrl-C and failures end them."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest
from test_cpsat import cohort
from test_solvers import assert_keeps_built_in_rules

from mixer.solvers import Progress, solve
from mixer.solvers.common import Budget, Outcome
from mixer.solvers.side_by_side import SEED_STRIDE, can_fork, default_processes, run_lines, usable_cores

pytestmark = pytest.mark.skipif(not can_fork(), reason="lines side by side need fork (Linux)")


def budget(limit: float, progress=None) -> Budget:  # type: ignore[no-untyped-def]
    return Budget(time_limit=limit, seed=7, progress=progress, started=time.perf_counter(), limit=limit)


def outcome(status: str, **flags: bool) -> Outcome:
    return Outcome(rounds=(), status=status, **flags)


def until_interrupted(b: Budget) -> Outcome:
    """A line that waits for its time limit or Ctrl-C, whichever comes first, and says which."""
    try:
        while b.remaining(0.0) > 0:
            time.sleep(0.01)
    except KeyboardInterrupt:
        return outcome(f"interrupted {b.seed}", interrupted=True)
    return outcome(f"ran out {b.seed}")


def test_every_line_runs_with_a_seed_of_its_own() -> None:
    outcomes, interrupted = run_lines(lambda b: outcome(f"seed {b.seed}"), budget(5.0), 3)
    assert outcomes == [(k, outcome(f"seed {7 + k * SEED_STRIDE}")) for k in range(3)]
    assert not interrupted


def test_a_line_that_fails_is_left_out() -> None:
    def line(b: Budget) -> Outcome:
        if b.seed != 7:
            raise RuntimeError("this line breaks")
        return outcome("mine")

    started = time.perf_counter()
    outcomes, _ = run_lines(line, budget(20.0), 2)
    assert outcomes == [(0, outcome("mine"))]
    assert time.perf_counter() - started < 5.0  # not kept waiting until the limit


def ready(b: Budget, seen: list[dict[str, object]]) -> None:
    """In line 0: report until line 1 has said (through its progress) that it is running."""
    while b.remaining(0.0) > 0 and THEIRS not in seen:
        b.report("this line", {"total_violations": 0, "repeats": 3, "value": 20.0, "min_new_met": 1})
        time.sleep(0.02)


THEIRS = {"total_violations": 0, "repeats": 0, "value": 9.0, "min_new_met": 1}


def test_an_interrupt_here_reaches_the_other_lines_and_brings_their_plans_back() -> None:
    seen: list[dict[str, object]] = []

    def line(b: Budget) -> Outcome:
        if b.seed == 7:
            ready(b, seen)
            return outcome("stopped here", interrupted=True)
        b.report("their line", THEIRS)
        return until_interrupted(b)

    started = time.perf_counter()
    outcomes, interrupted = run_lines(line, budget(30.0, progress=lambda p: seen.append(p.best)), 2)  # type: ignore[arg-type]
    assert time.perf_counter() - started < 5.0
    assert interrupted
    assert outcomes == [(0, outcome("stopped here", interrupted=True)),
                        (1, outcome(f"interrupted {7 + SEED_STRIDE}", interrupted=True))]


def test_the_other_lines_end_before_the_limit_and_are_waited_for() -> None:
    outcomes, interrupted = run_lines(until_interrupted, budget(1.0), 2)
    assert [o.status for _, o in outcomes] == ["ran out 7", f"ran out {7 + SEED_STRIDE}"]
    assert not interrupted


def test_a_plan_proven_optimal_here_ends_the_other_lines_at_once() -> None:
    def line(b: Budget) -> Outcome:
        return outcome("optimal", optimal=True) if b.seed == 7 else until_interrupted(b)

    started = time.perf_counter()
    outcomes, _ = run_lines(line, budget(30.0), 2)
    assert time.perf_counter() - started < 5.0
    assert outcomes == [(0, outcome("optimal", optimal=True))]


def test_progress_reports_the_best_score_of_every_line() -> None:
    seen: list[dict[str, object]] = []

    def line(b: Budget) -> Outcome:
        if b.seed != 7:
            b.report("their line", THEIRS)
            return until_interrupted(b)
        ready(b, seen)
        return outcome("here", interrupted=True)

    run_lines(line, budget(10.0, progress=lambda p: seen.append(p.best)), 2)  # type: ignore[arg-type]
    assert THEIRS in seen  # reported here though this line's own best has 3 repeats
    assert all(best == THEIRS for best in seen[seen.index(THEIRS):])  # and kept, as it is the better


def test_auto_keeps_the_best_line_and_says_which() -> None:
    event = cohort(24, 6, 4)
    plan = solve(event, solver="auto", seed=3, time_limit=1.0, processes=2)
    assert_keeps_built_in_rules(plan)
    assert plan.metadata.notes[-1] in {f"2 lines side by side: kept the plan of the line seeded {s}" for s in (3, 1003)}
    assert not plan.metadata.interrupted
    one = solve(event, solver="auto", seed=3, time_limit=1.0, processes=1)
    assert not any("side by side" in note for note in one.metadata.notes)


def test_ctrl_c_in_auto_with_two_lines_keeps_the_best_plan_of_both() -> None:
    reports: list[Progress] = []

    def progress(update: Progress) -> None:
        reports.append(update)
        if update.message.startswith("tabu search"):
            raise KeyboardInterrupt

    started = time.perf_counter()
    plan = solve(cohort(24, 6, 4), solver="auto", seed=1, time_limit=30.0, progress=progress, processes=2)
    assert time.perf_counter() - started < 10.0
    assert plan.metadata.interrupted
    assert_keeps_built_in_rules(plan)
    assert any(note.startswith("2 lines side by side") for note in plan.metadata.notes)


def test_no_time_limit_or_a_short_one_runs_one_line() -> None:
    event = cohort(12, 3, 2)
    for limit in (None, 0.5):
        plan = solve(event, solver="auto", seed=0, time_limit=limit)
        assert not any("side by side" in note for note in plan.metadata.notes)


def test_an_error_here_ends_the_other_lines() -> None:
    def line(b: Budget) -> Outcome:
        if b.seed == 7:
            raise ValueError("this line breaks")
        return until_interrupted(b)

    started = time.perf_counter()
    with pytest.raises(ValueError, match="this line breaks"):
        run_lines(line, budget(30.0), 2)
    assert time.perf_counter() - started < 5.0
    assert not multiprocessing.active_children()


def test_one_line_by_default_off_the_main_thread() -> None:
    """A web server's worker thread gets one line unless it asks for more; the main thread gets one per core."""
    found: list[int] = []
    worker = threading.Thread(target=lambda: found.append(default_processes(10.0)))
    worker.start()
    worker.join()
    assert found == [1]
    assert default_processes(10.0) == min(2, usable_cores())


def test_when_no_process_can_be_forked_this_line_runs_alone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(self) -> None:  # type: ignore[no-untyped-def]
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.get_context("fork").Process, "start", refuse)
    outcomes, interrupted = run_lines(lambda b: outcome(f"seed {b.seed}"), budget(5.0), 2)
    assert outcomes == [(0, outcome("seed 7"))]
    assert not interrupted
