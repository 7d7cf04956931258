"""CP-SAT: the whole model finds the true optimum of tiny events; the neighbourhood search never ends worse."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from itertools import combinations, product
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import events, seatings
from test_local_search import hand_made_terms

from mixer.constraints import AtLeast, Cap, KeepApart, NewTable, Stay
from mixer.constraints.terms import terms_cost
from mixer.layout import round_layout
from mixer.model import Event, History, Participant, PastMeeting, RoundSeating, Table, TableSeating
from mixer.scoring import score_plan, score_rounds
from mixer.solvers import solve
from mixer.solvers.cpsat import fits_whole_model
from mixer.solvers.cpsat_soft import soft_cost
from mixer.solvers.cpsat_vars import FreeCells, SeatVars

ORGS, SECTORS, LEVELS = ("NHS", "Council", "Charity"), ("health", "care"), ("junior", "senior", "exec")


def cohort(people: int, tables: int, rounds: int, **extra: object) -> Event:
    """A small cohort whose pairs are worth different amounts (organisations, sectors, levels)."""
    participants = tuple(
        Participant(id=f"p{i}", name=f"P{i}", organisation=ORGS[i % 3], sector=SECTORS[i % 2], level=LEVELS[i * 7 % 3])
        for i in range(people)
    )
    size = -(-people // tables)
    return Event(participants=participants, tables=tuple(Table(id=f"T{t}", capacity=size) for t in range(tables)),
                 rounds=rounds, **extra)


def every_plan(event: Event) -> list[tuple[RoundSeating, ...]]:
    """Every seating of a two-table event: the first table's people chosen every way, the rest at the second."""
    ids = event.participant_ids
    first, second = (t.id for t in event.tables)
    size = -(-len(ids) // 2)
    options = []
    for group in combinations(ids, size):
        rest = tuple(pid for pid in ids if pid not in group)
        options.append((TableSeating(table=first, participants=group), TableSeating(table=second, participants=rest)))
    return [
        tuple(RoundSeating(round=r, tables=tables) for r, tables in enumerate(choice, start=1))
        for choice in product(options, repeat=event.rounds)
    ]


def best_by_brute_force(event: Event) -> tuple[int, int, float]:
    return min(score_rounds(event, plan).key()[:3] for plan in every_plan(event))


@pytest.mark.parametrize(
    "event",
    [
        cohort(6, 2, 2),
        cohort(6, 2, 2, rules=(KeepApart(people=("p0", "p3")),)),
        cohort(6, 2, 2, history=History(meetings=(PastMeeting(a="p1", b="p2"), PastMeeting(a="p0", b="p3", times=2)))),
        cohort(6, 2, 2, rules=(Cap(attribute="organisation", max=1, hard=False, weight=2.5),)),
        cohort(6, 2, 2, rules=(AtLeast(attribute="level", value="exec", count=2, weight=4),)),
        cohort(6, 2, 3, rules=(NewTable(hard=False, weight=0.7),)),
        cohort(6, 2, 2, rules=(Stay(seats={1: {"p0": "T0", "p3": "T0"}, 2: {"p1": "T1", "p4": "T1"}}, weight=2.5),
                               Cap(attribute="sector", max=2, hard=False, weight=0.3))),
    ],
    ids=["no rules", "keep apart", "history", "soft cap", "soft at least", "soft new table", "stay and soft cap"],
)
def test_whole_model_proves_the_optimum_brute_force_finds(event: Event) -> None:
    """On tiny events CP-SAT proves optimal exactly the best (violations, repeats, value) of every possible plan,
    soft rules costing value as scoring counts them (with the stays left out of its objective, CP-SAT claimed a
    plan one value unit short optimal)."""
    plan = solve(event, solver="cpsat", seed=0, time_limit=2.0)
    assert plan.metadata.optimal
    assert score_plan(plan).key()[:3] == best_by_brute_force(event)


def golfers(tables: int, size: int, rounds: int) -> Event:
    people = tuple(Participant(id=str(i), name=f"G{i}") for i in range(1, tables * size + 1))
    return Event(participants=people, tables=tuple(Table(id=f"T{t}", capacity=size) for t in range(1, tables + 1)),
                 rounds=rounds)


def repeated_first_round(event: Event) -> tuple[RoundSeating, ...]:
    """A poor start: every round seats the same tables as the first."""
    ids = event.participant_ids
    size = event.tables[0].capacity
    tables = tuple(
        TableSeating(table=t.id, participants=tuple(ids[k * size : (k + 1) * size])) for k, t in enumerate(event.tables)
    )
    return tuple(RoundSeating(round=r, tables=tables) for r in range(1, event.rounds + 1))


def test_neighbourhood_search_improves_a_poor_start_and_keeps_frozen_rounds() -> None:
    """Too big to solve whole, 32 golfers seated the same way five times: the search removes repeats and
    leaves the frozen first round exactly as given."""
    event = golfers(8, 4, 5)
    assert not fits_whole_model(event, 1)
    start = repeated_first_round(event)
    plan = solve(event, solver="cpsat", seed=1, time_limit=1.5, start=start, frozen=1)
    assert plan.rounds[0] == start[0]
    assert score_plan(plan).repeats < score_rounds(event, start).repeats
    assert "neighbourhood search" in plan.metadata.notes[-1]


@pytest.mark.parametrize("seed", [0, 1])
def test_neighbourhood_search_never_ends_worse_than_its_start(seed: int) -> None:
    """From a good plan (and from one that breaks a rule), the search returns a plan scoring at least as well."""
    event = cohort(40, 8, 3, rules=(KeepApart(people=("p0", "p1", "p2")),))
    assert not fits_whole_model(event, 0)
    good = solve(event, solver="local", seed=seed, time_limit=0.5).rounds
    broken = repeated_first_round(event)  # p0, p1 and p2 share the first table every round
    for start in (good, broken):
        plan = solve(event, solver="cpsat", seed=seed, time_limit=0.8, start=start)
        assert score_plan(plan).key() <= score_rounds(event, start).key()


def test_neighbourhood_search_raises_value_without_adding_repeats() -> None:
    """36 people in a 6 x 6 grid seated by rows, columns and diagonals (no repeats), the first round's tables each
    of one organisation: the search, re-grouping whole tables of a round, raises the value and adds no repeat."""
    event = cohort(36, 6, 3)
    assert not fits_whole_model(event, 0)
    ids = sorted(event.participant_ids, key=lambda pid: (int(pid[1:]) % 3, int(pid[1:])))
    table_of = (lambda i, j: i, lambda i, j: j, lambda i, j: (i + j) % 6)
    start = tuple(
        RoundSeating(round=r, tables=tuple(
            TableSeating(table=f"T{t}", participants=tuple(
                ids[6 * i + j] for i in range(6) for j in range(6) if table_of[r - 1](i, j) == t))
            for t in range(6)))
        for r in (1, 2, 3)
    )
    before = score_rounds(event, start)
    assert before.repeats == 0
    plan = solve(event, solver="cpsat", seed=1, time_limit=1.5, start=start)
    after = score_plan(plan)
    assert after.repeats == 0 and after.total_violations == 0
    assert after.value > before.value


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_soft_terms_cost_in_cpsat_what_terms_cost_counts(data: st.DataObject) -> None:
    """Soft terms of every shape, encoded over a model whose free seats are pinned to a random seating (some rounds
    free, the others constants), cost at the optimum exactly what ``terms_cost`` counts for that seating."""
    from ortools.sat.python import cp_model

    event = data.draw(events(max_people=10, max_rounds=3))
    terms = [replace(t, hard=False) for t in data.draw(hand_made_terms(event))]
    seating = seatings(event, random.Random(data.draw(st.integers(0, 9))))
    chosen = data.draw(st.lists(st.integers(1, event.rounds), min_size=1, unique=True))
    model = cp_model.CpModel()
    seats = SeatVars.create(model, event, seating, {r: FreeCells(round_layout(event, r), event.present(r)) for r in chosen})
    for s in seating:
        for ts in s.tables:
            for pid in ts.participants:
                for table in round_layout(event, s.round):
                    var = seats.seat(pid, table, s.round)
                    if var is not None and seats.constant(var) is None:
                        model.add(var == int(table == ts.table))
    cost = soft_cost(seats, terms, 100)
    model.minimize(cost.expression())
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert round(solver.objective_value) == round(terms_cost(terms, seating, hard=False) * 100)


def test_ctrl_c_after_the_whole_model_still_reaches_python() -> None:
    """CP-SAT catches Ctrl-C while it solves and leaves its handler behind; mixer gives Ctrl-C back to Python, so a
    later Ctrl-C (in the tabu search that follows, or in a line forked later) keeps the best plan instead of
    ending the process at once."""
    script = (
        "import os, signal, sys, time\n"
        "from test_cpsat import cohort\n"
        "from mixer.solvers import solve\n"
        "plan = solve(cohort(8, 2, 3), solver='cpsat', seed=1, time_limit=1.0)\n"
        "assert any(n.startswith('CP-SAT') for n in plan.metadata.notes), plan.metadata.notes\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(1)\n"
        "except KeyboardInterrupt:\n"
        "    print('caught')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent, capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "caught"), done.stderr
