"""The CP-SAT neighbourhood that re-groups whole tables of one round as a set partition."""

from __future__ import annotations

import random
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import event_seatings
from test_cpsat import cohort

from mixer.constraints import AtLeast, Cap, KeepApart, Pin
from mixer.model import Event, RoundSeating, TableSeating
from mixer.scoring import PairTable, score_rounds
from mixer.solvers.cpsat_groups import Regrouper, set_partition_parameters


def solved(event: Event, rounds: tuple[RoundSeating, ...], round_no: int, tables: list[str]) -> tuple[RoundSeating, ...]:
    """The plan the set partition of ``tables`` in ``round_no`` gives, solved to optimality."""
    from ortools.sat.python import cp_model

    grouping = Regrouper(event, PairTable.of(event), scale=10).regroup(rounds, round_no, tables)
    assert grouping is not None
    solver = cp_model.CpSolver()
    set_partition_parameters(solver)
    solver.parameters.max_time_in_seconds = 10.0
    assert solver.solve(grouping.model) == cp_model.OPTIMAL
    return grouping.read(solver)


def rows_then_columns(event: Event) -> tuple[RoundSeating, ...]:
    """Nine people in a 3 x 3 grid, seated by rows in round 1 and by columns in round 2 (at tables T0-T2)."""
    ids = event.participant_ids
    by = ([ids[0:3], ids[3:6], ids[6:9]], [ids[0:9:3], ids[1:9:3], ids[2:9:3]])
    return tuple(RoundSeating(round=r, tables=tuple(TableSeating(table=f"T{t}", participants=tuple(group))
                                                    for t, group in enumerate(groups)))
                 for r, groups in enumerate(by, start=1))


def every_second_round(event: Event, rounds: tuple[RoundSeating, ...]) -> list[tuple[RoundSeating, ...]]:
    """``rounds`` with round 2 seated every way there is at its three tables of three."""
    ids = event.participant_ids
    found = []
    for first in combinations(ids, 3):
        rest = [pid for pid in ids if pid not in first]
        for second in combinations(rest, 3):
            third = tuple(pid for pid in rest if pid not in second)
            seating = RoundSeating(round=2, tables=tuple(
                TableSeating(table=f"T{t}", participants=group) for t, group in enumerate((first, second, third))))
            found.append((rounds[0], seating))
    return found


def test_regrouping_a_whole_round_finds_its_best_seating_without_repeats() -> None:
    """Nine people over two rounds with a pin, a keep-apart, a soft cap and a soft at-least: re-grouping all of
    round 2 gives exactly the best value among every seating of that round (1,680) that adds no repeat and breaks
    no hard rule, counted by scoring."""
    rules = (Pin(person="p4", table="T1"), KeepApart(people=("p0", "p4", "p8")),
             Cap(attribute="organisation", max=1, hard=False, weight=1.5),
             AtLeast(attribute="level", value="exec", weight=2.0))
    event = cohort(9, 3, 2, rules=rules)
    start = rows_then_columns(event)
    scores = [score_rounds(event, plan) for plan in every_second_round(event, start)]
    best = max(score.value for score in scores if score.total_violations == 0 and score.repeats == 0)
    plan = solved(event, start, 2, ["T0", "T1", "T2"])
    score = score_rounds(event, plan)
    assert plan[0] == start[0]
    assert score.total_violations == 0 and score.repeats == 0
    assert score.value == best


@settings(max_examples=60, deadline=None)
@given(event_seatings(rules=True, min_people=6), st.randoms(use_true_random=False))
def test_regrouping_keeps_the_plan_whole_and_never_scores_worse(case, rng: random.Random) -> None:
    """From a random seating of a random event with rules, history and absences: re-grouping some tables of a
    round seats everyone present exactly once at those tables, at each table as many as before, changes nothing
    else, and scores no worse by violations, repeats and value (a set partition priced as scoring counts)."""
    event, start = case
    rounds = [s for s in start if len(s.tables) > 1]
    if not rounds:
        return
    seating = rng.choice(rounds)
    tables = rng.sample([ts.table for ts in seating.tables], rng.randint(2, len(seating.tables)))
    grouping = Regrouper(event, PairTable.of(event), scale=100).regroup(start, seating.round, tables)
    if grouping is None:
        return
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    set_partition_parameters(solver)
    solver.parameters.max_time_in_seconds = 5.0
    assert solver.solve(grouping.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    plan = grouping.read(solver)
    assert [s for s in plan if s.round != seating.round] == [s for s in start if s.round != seating.round]
    after = plan[seating.round - 1]
    assert {ts.table: len(ts.participants) for ts in after.tables} == {
        ts.table: len(ts.participants) for ts in seating.tables}
    assert sorted(after.table_of()) == sorted(seating.table_of())
    moved = {pid for ts in seating.tables if ts.table in tables for pid in ts.participants}
    assert all(after.table_of()[pid] == t for pid, t in seating.table_of().items() if pid not in moved)
    assert score_rounds(event, plan).key()[:3] <= score_rounds(event, start).key()[:3]

