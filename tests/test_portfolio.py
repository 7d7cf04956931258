"""The ``auto`` portfolio and the compiled tabu search as a solver: seeds, starts, Ctrl-C, rules."""

from __future__ import annotations

from hypothesis import given, settings
from strategies import events
from test_cpsat import best_by_brute_force, cohort
from test_solvers import assert_keeps_built_in_rules, diversity_event, golfers

from mixer.constraints import Cap, Stay
from mixer.scoring import score_plan, score_rounds
from mixer.solvers import solve


def test_same_seed_same_plan_without_a_time_limit() -> None:
    """Without a time limit the tabu search and the portfolio make a fixed number of moves: one seed, one plan."""
    event = golfers(5, 3, 5)
    for solver in ("local", "auto"):
        assert solve(event, solver=solver, seed=4).rounds == solve(event, solver=solver, seed=4).rounds


def test_auto_is_never_worse_than_the_plan_it_starts_from() -> None:
    """Given a start plan, every part of the portfolio starts from the best so far, so the end is no worse."""
    event = golfers(6, 4, 7)
    start = solve(event, solver="greedy", seed=2)
    plan = solve(event, solver="auto", seed=2, time_limit=1.5, start=start.rounds)
    assert not score_rounds(event, start.rounds).better_than(score_plan(plan))


def test_auto_uses_a_design_when_one_fits() -> None:
    """36 people at 9 tables of 4 over 4 rounds: a design gives zero repeats, and auto stops at the bounds."""
    plan = solve(golfers(9, 4, 4), solver="auto", seed=0, time_limit=5.0)
    assert score_plan(plan).repeats == 0
    assert plan.metadata.optimal


def test_auto_gives_one_round_left_to_the_tabu_search_alone() -> None:
    """One round of 60 people with pair values (too many for CP-SAT's whole model): the tabu search alone."""
    plan = solve(diversity_event(60, 5, 1), solver="auto", seed=1, time_limit=0.5)
    assert any(note.startswith("tabu search") for note in plan.metadata.notes)
    assert not any("CP-SAT" in note for note in plan.metadata.notes)


@settings(max_examples=10, deadline=None)
@given(events(max_people=20, max_rounds=4))
def test_auto_keeps_the_built_in_rules(event) -> None:  # type: ignore[no-untyped-def]
    """Any event: the portfolio's plan seats everyone present once, within capacity."""
    plan = solve(event, solver="auto", seed=1, time_limit=0.4)
    assert_keeps_built_in_rules(plan)


def test_auto_stops_when_cp_sat_proves_the_plan_optimal() -> None:
    """On a tiny event the whole CP-SAT model proves the optimum (soft rules counted): auto says so and stops early,
    and the plan is the brute-force best."""
    event = cohort(6, 2, 2, rules=(Stay(seats={1: {"p0": "T0", "p3": "T0"}}, weight=2.5),
                                   Cap(attribute="sector", max=2, hard=False, weight=0.3)))
    plan = solve(event, solver="auto", seed=1, time_limit=5.0)
    assert plan.metadata.optimal and plan.metadata.status == "optimal"
    assert any(note.startswith("CP-SAT optimal") for note in plan.metadata.notes)
    assert plan.metadata.time_used < 5.0
    assert score_plan(plan).key()[:3] == best_by_brute_force(event)


def test_once_only_value_is_left_auto_probes_the_tabu_search_then_cp_sat(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With no repeat left, the value phase is a tabu probe and a CP-SAT probe of a tenth of the time left each,
    then, CP-SAT's probe having gained nothing, the tabu search for all the rest."""
    import time

    from mixer.solvers import portfolio
    from mixer.solvers.common import Outcome

    calls: list[tuple[str, float]] = []

    def in_vain(name: str):  # type: ignore[no-untyped-def]
        def part(event, budget):  # type: ignore[no-untyped-def]
            seconds = budget.remaining(10.0)
            calls.append((name, seconds))
            time.sleep(seconds)
            return Outcome(budget.start, "feasible")
        return part

    monkeypatch.setattr(portfolio, "solve_local", in_vain("local"))
    monkeypatch.setattr(portfolio, "solve_cpsat", in_vain("cpsat"))
    event = diversity_event(40, 8, seed=3).model_copy(update={"rounds": 3})  # too large for the whole model
    start = solve(event, solver="greedy", seed=1)
    assert score_plan(start).only_value_left and not score_plan(start).meets_bounds
    solve(event, solver="auto", seed=1, time_limit=2.0, start=start.rounds, processes=1)
    assert [name for name, _ in calls] == ["local", "cpsat", "local"]
    (_, probe), (_, second_probe), (_, rest) = calls
    assert 0.15 < probe < 0.25 and 0.13 < second_probe < 0.22 and rest > 1.4
