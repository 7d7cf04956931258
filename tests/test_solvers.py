"""Solvers: every plan keeps the hard rules; greedy and CP-SAT behave as promised."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import events

from mixer.constraints import KeepApart, KeepTogether
from mixer.errors import InfeasibleError
from mixer.model import Event, PairValue, Participant, RoundSeating, Table
from mixer.scoring import PairTable, score_plan
from mixer.solvers import greedy, resolve_solver, solve, solver_names
from mixer.solvers.common import Budget, Progress
from mixer.solvers.greedy import construct, rule_bias


def golfers(tables: int, size: int, rounds: int, **extra: object) -> Event:
    people = tuple(Participant(id=str(i), name=f"P{i}") for i in range(1, tables * size + 1))
    return Event(
        participants=people,
        tables=tuple(Table(id=f"T{t}", capacity=size) for t in range(1, tables + 1)),
        rounds=rounds,
        **extra,
    )


def diversity_event(people: int, tables: int, seed: int) -> Event:
    """One round at ``tables`` equal tables, a random value from 0 to 20 for every pair."""
    rng = random.Random(seed)
    ids = [str(i) for i in range(1, people + 1)]
    values = tuple(PairValue(a=a, b=b, value=rng.randint(0, 20)) for a, b in itertools.combinations(ids, 2))
    return golfers(tables, people // tables, 1, pair_values=values)


def assert_keeps_built_in_rules(plan) -> None:  # type: ignore[no-untyped-def]
    """Recount seats directly from the plan: everyone present once a round, no table over capacity."""
    event = plan.event
    capacity = {t.id: t.capacity for t in event.tables}
    for seating in plan.rounds:
        seated = [pid for ts in seating.tables for pid in ts.participants]
        assert sorted(seated) == sorted(event.present(seating.round))
        for ts in seating.tables:
            assert len(ts.participants) <= capacity[ts.table]


@settings(max_examples=40)
@given(events(max_people=30))
def test_greedy_seats_everyone_present_once_within_capacity(event: Event) -> None:
    """Any event: greedy seats each person present exactly once per round and never overfills a table."""
    plan = solve(event, solver="greedy", seed=3)
    assert_keeps_built_in_rules(plan)
    assert score_plan(plan).total_violations == 0


@settings(max_examples=25)
@given(events(max_people=30))
def test_local_search_seats_everyone_present_once_within_capacity(event: Event) -> None:
    """Any event: the tabu search's plan keeps the built-in rules."""
    plan = solve(event, solver="local", seed=3, time_limit=0.3)
    assert_keeps_built_in_rules(plan)
    assert score_plan(plan).total_violations == 0


@settings(max_examples=8)
@given(events(max_people=10, max_rounds=3))
def test_cpsat_seats_everyone_present_once_within_capacity(event: Event) -> None:
    """Any small event: CP-SAT's plan keeps the built-in rules too."""
    plan = solve(event, solver="cpsat", seed=3, time_limit=1.0)
    assert_keeps_built_in_rules(plan)


def test_greedy_is_reproducible_without_a_time_limit() -> None:
    """The same seed gives the same plan."""
    event = golfers(6, 4, 4)
    assert solve(event, solver="greedy", seed=11).rounds == solve(event, solver="greedy", seed=11).rounds


def test_greedy_finds_the_affine_plane() -> None:
    """25 people at 5 tables of 5 for 6 rounds: everyone meets everyone exactly once."""
    plan = solve(golfers(5, 5, 6), solver="greedy", seed=1, time_limit=2.0)
    score = score_plan(plan)
    assert score.repeats == 0
    assert score.min_new_met == 24


def test_local_search_reaches_zero_repeats_where_greedy_does_not() -> None:
    """32 golfers at tables of 4 for 7 rounds: the tabu search finds a plan without repeats and stops."""
    event = golfers(8, 4, 7)
    assert score_plan(solve(event, solver="greedy", seed=0, time_limit=0.5)).repeats > 0
    plan = solve(event, solver="local", seed=0, time_limit=5.0)
    assert score_plan(plan).repeats == 0
    assert plan.metadata.optimal
    assert plan.metadata.time_used < 5.0


@pytest.mark.parametrize("solver", ["greedy", "local"])
def test_heuristics_keep_apart_and_together(solver: str) -> None:
    """Rules given to the event hold in the plans of both heuristics."""
    event = golfers(4, 4, 3, rules=(KeepApart(people=("1", "2", "3")), KeepTogether(people=("4", "5"))))
    plan = solve(event, solver=solver, seed=0, time_limit=0.5)
    assert score_plan(plan).total_violations == 0
    for seating in plan.rounds:
        table_of = seating.table_of()
        assert len({table_of["1"], table_of["2"], table_of["3"]}) == 3
        assert table_of["4"] == table_of["5"]


def test_cpsat_keeps_rules_and_records_how_it_solved() -> None:
    """CP-SAT honours the rules and writes solver, seed, status and bound into the metadata."""
    event = golfers(4, 4, 4, rules=(KeepApart(people=("1", "2")), KeepTogether(people=("3", "4", "5"))))
    plan = solve(event, solver="cpsat", seed=5, time_limit=2.0)
    score = score_plan(plan)
    assert score.total_violations == 0
    assert plan.metadata.solver == "cpsat"
    assert plan.metadata.seed == 5
    assert plan.metadata.status in {"optimal", "feasible"}
    assert plan.metadata.time_used <= 10
    assert score.value <= score.bounds.value_upper_bound


def test_cpsat_proves_a_small_event_optimal() -> None:
    """With three people who must be kept apart in a room of three tables, CP-SAT proves its plan optimal."""
    event = golfers(3, 2, 2, rules=(KeepApart(people=("1", "2", "3")),))
    plan = solve(event, solver="cpsat", seed=0, time_limit=5.0)
    assert plan.metadata.optimal
    assert score_plan(plan).repeats == 0


def test_cpsat_reports_clashing_rules_as_infeasible() -> None:
    """Keep-together and keep-apart on the same pair cannot both hold."""
    event = golfers(2, 3, 2, rules=(KeepTogether(people=("1", "2")), KeepApart(people=("1", "2"))))
    with pytest.raises(InfeasibleError, match="keep_apart"):
        solve(event, solver="cpsat", seed=0, time_limit=2.0)


def test_absent_people_are_not_seated_and_tables_rebalance() -> None:
    """People absent from a round get no seat, and that round's tables stay balanced."""
    event = golfers(4, 5, 2, attendance={str(i): (1,) for i in range(1, 6)})
    plan = solve(event, solver="greedy", seed=0)
    assert_keeps_built_in_rules(plan)
    sizes = sorted(len(ts.participants) for ts in plan.rounds[1].tables)
    assert sizes == [5, 5, 5]


def test_progress_is_reported() -> None:
    """The progress callback hears about the solve."""
    heard: list[Progress] = []
    solve(golfers(4, 4, 3), solver="greedy", seed=0, progress=heard.append)
    assert heard and heard[0].best is not None and "repeats" in heard[0].best


def test_interrupted_greedy_keeps_the_best_plan_so_far() -> None:
    """Ctrl-C during the search returns the best plan found, marked as interrupted."""

    def interrupt(progress: Progress) -> None:
        raise KeyboardInterrupt

    plan = solve(golfers(4, 4, 3), solver="greedy", seed=0, time_limit=5.0, progress=interrupt)
    assert_keeps_built_in_rules(plan)
    assert any("interrupted" in note for note in plan.metadata.notes)


def test_auto_is_the_portfolio_and_unknown_names_are_refused() -> None:
    """``auto`` is the portfolio; unknown names are refused."""
    assert resolve_solver("auto", golfers(4, 5, 2)) == "auto"
    assert solver_names() == ["auto", "greedy", "cpsat", "local", "construct"]
    with pytest.raises(ValueError, match="unknown solver"):
        resolve_solver("magic", golfers(2, 2, 1))


def test_ortools_is_loaded_only_for_cpsat() -> None:
    """Importing the solvers and running greedy never imports OR-Tools, so commands start fast."""
    code = (
        "import sys; from mixer.solvers import solve; from mixer.sample import sample_event; "
        "solve(sample_event(), solver='greedy', seed=0); print('ortools' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(("solver", "event"), [("local", golfers(8, 4, 8)), ("auto", golfers(10, 5, 13)),
                                               ("auto", diversity_event(60, 5, 1))])
def test_ctrl_c_in_tabu_search_keeps_the_best_plan_so_far(solver, event) -> None:
    """Ctrl-C during the tabu search (alone, or as part of the auto portfolio) returns the best plan, marked interrupted."""

    def interrupt_tabu(progress: Progress) -> None:
        if progress.message.startswith("tabu search,"):
            raise KeyboardInterrupt

    plan = solve(event, solver=solver, seed=0, time_limit=5.0, progress=interrupt_tabu)
    assert_keeps_built_in_rules(plan)
    assert plan.metadata.interrupted
    assert plan.metadata.time_used < 5.0


@pytest.mark.parametrize("solver", ["greedy", "local", "cpsat"])
def test_frozen_rounds_come_back_unchanged(solver):
    """Rounds a start plan freezes are returned exactly; later rounds are planned again."""
    event = golfers(3, 3, 3)
    start = solve(event, solver="greedy", seed=1)
    # Round 1 as played: a seating the solver would not choose itself (tables in another order of people).
    played = start.rounds[0].model_copy(update={"tables": tuple(reversed(start.rounds[0].tables))})
    plan = solve(event, solver=solver, time_limit=1.0, seed=2, start=(played, *start.rounds[1:]), frozen=1)
    assert plan.rounds[0] == played
    assert_keeps_built_in_rules(plan)
    assert score_plan(plan).repeats == 0


def test_greedy_stops_swapping_when_the_solve_is_out_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 people take the greedy's swaps most of a minute: past the solve's limit it seats every round, no swap.

    A greedy past only its share of the time (auto's start) still makes its swaps.
    """
    event = diversity_event(24, 4, seed=3).model_copy(update={"rounds": 3})
    pairs = PairTable.of(event)

    def seat(budget: Budget | None = None) -> tuple[RoundSeating, ...]:
        return construct(event, pairs, rule_bias(event, pairs), np.random.default_rng(0), budget=budget)

    def two_seconds_in(limit: float) -> Budget:
        return Budget(time_limit=1.0, seed=0, progress=None, started=time.perf_counter() - 2.0, limit=limit)

    unhurried = seat()
    assert seat(two_seconds_in(limit=60.0)) == unhurried
    hurried = seat(two_seconds_in(limit=1.0))
    monkeypatch.setattr(greedy, "_swap_descent", lambda *args: False)
    assert hurried == seat() != unhurried
    assert_keeps_built_in_rules(solve(event, solver="greedy", seed=0))
