"""The construct solver: design rounds with people placed on points, greedy for the rest."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

import numpy as np
from pydantic import TypeAdapter
from test_solvers import assert_keeps_built_in_rules, golfers

from mixer.constraints import KeepApart, KeepTogether, RuleSpec
from mixer.constraints.terms import CountTerm, SeatTerm, VisitTerm
from mixer.layout import round_layout
from mixer.model import Event, History, Participant, PastMeeting, Table
from mixer.scoring import score_plan
from mixer.solvers import design_start, solve
from mixer.solvers.common import Budget
from mixer.solvers.construction import design_rounds
from mixer.solvers.point_mapping import Extras, Layout, PointMapping, improve, pair_costs

ORGS = "ABCDEFG"


def cohort(people: int, size: int, rounds: int, **extra: object) -> Event:
    """People from seven organisations at balanced tables of at most ``size``."""
    participants = tuple(
        Participant(id=f"p{i}", name=f"P{i}", organisation=ORGS[i % 7], level="xyz"[i % 3]) for i in range(people)
    )
    tables = tuple(Table(id=f"T{t}", capacity=size) for t in range(1, -(-people // size) + 1))
    return Event(participants=participants, tables=tables, rounds=rounds, **extra)


def budget(seed: int = 1, start: tuple = (), frozen: int = 0) -> Budget:  # type: ignore[type-arg]
    return Budget(time_limit=2.0, seed=seed, progress=None, started=time.perf_counter(), start=start or None, frozen=frozen)


def test_47_people_at_tables_of_5_meet_nobody_twice() -> None:
    """47 people on a 50-point design: three empty seats, tables of 5 and 4 as the layout says, zero repeats."""
    plan = solve(cohort(47, 5, 8), solver="construct", seed=1, time_limit=2.0)
    score = score_plan(plan)
    assert score.repeats == 0 and score.total_violations == 0
    assert_keeps_built_in_rules(plan)
    for seating in plan.rounds:
        assert sorted(len(ts.participants) for ts in seating.tables) == sorted(round_layout(plan.event, seating.round).values())
    assert "design" in plan.metadata.notes[0]


def test_the_affine_plane_size_is_instant_and_perfect() -> None:
    """49 people at 7 tables of 7 for 8 rounds: everyone meets everyone once, in well under a second."""
    started = time.perf_counter()
    plan = solve(golfers(7, 7, 8), solver="construct", seed=0, time_limit=5.0)
    assert time.perf_counter() - started < 2.0
    score = score_plan(plan)
    assert score.repeats == 0 and score.min_new_met == 48


def test_the_32_golfers_meet_nobody_twice_in_10_rounds() -> None:
    """8-4-10, the classic: the listed design seats all ten rounds with no repeat; only partners never meet."""
    plan = solve(golfers(8, 4, 10), solver="construct", seed=0, time_limit=2.0)
    score = score_plan(plan)
    assert score.repeats == 0 and score.total_violations == 0 and score.min_new_met == 30


def test_rounds_beyond_the_design_are_seated_by_greedy() -> None:
    """8-4-11: the design covers 10 rounds without a repeat; greedy adds the eleventh."""
    plan = solve(golfers(8, 4, 11), solver="construct", seed=0, time_limit=2.0)
    assert_keeps_built_in_rules(plan)
    assert any("greedy" in note for note in plan.metadata.notes)
    assert score_plan(plan).total_violations == 0


def test_with_many_empty_seats_a_design_of_fewer_rounds_can_keep_more() -> None:
    """26 people at 8 tables of 4 (six seats empty): the 10-round design keeps 6 rounds at most, since the
    people leaving seats empty never share a table only in those; a 9-round design keeps 8, all repeat-free."""
    event = cohort(26, 4, 8).model_copy(update={"tables": tuple(Table(id=f"T{t}", capacity=4) for t in range(1, 9))})
    designed = design_rounds(event, budget())
    assert designed is not None and len(designed.rounds) == 8 and designed.design.rounds == 9
    plan = solve(event, solver="construct", seed=1, time_limit=2.0)
    assert score_plan(plan).repeats == 0


def test_hard_rules_and_history_are_kept() -> None:
    """Kept-apart pairs never meet and people who met before do not meet again; still zero repeats."""
    rules = tuple(KeepApart(people=(f"p{i}", f"p{i + 1}")) for i in range(0, 10, 2))
    history = History(meetings=tuple(PastMeeting(a=f"p{i}", b=f"p{i + 1}") for i in range(10, 20, 2)))
    plan = solve(cohort(32, 4, 8, rules=rules, history=history), solver="construct", seed=2, time_limit=2.0)
    score = score_plan(plan)
    assert score.total_violations == 0 and score.repeats == 0


def test_frozen_rounds_stay_and_count() -> None:
    """Re-solving a design plan with two rounds frozen returns them verbatim and avoids the meetings they made."""
    event = cohort(32, 4, 8)
    first = solve(event, solver="construct", seed=0, time_limit=0.5)
    plan = solve(event, solver="construct", seed=1, time_limit=2.0, start=first.rounds, frozen=2)
    assert plan.rounds[:2] == first.rounds[:2]
    assert score_plan(plan).repeats == 0


def test_same_seed_same_plan() -> None:
    """The design, the empty points and the placement depend on the seed only."""
    event = cohort(19, 4, 4)
    unlimited = Budget(time_limit=None, seed=4, progress=None, started=time.perf_counter())
    assert design_start(event, unlimited) == design_start(event, replace(unlimited, started=time.perf_counter()))


def test_no_design_when_tables_differ_by_more_than_one_or_rules_forbid() -> None:
    """Uneven tables, a single round, or a pair always together (a repeat by force): no design start."""
    people = tuple(Participant(id=str(i), name=f"P{i}") for i in range(10))
    uneven = Event(participants=people, tables=(Table(id="a", capacity=7), Table(id="b", capacity=3)), rounds=3)
    assert design_start(uneven, budget()) is None
    assert design_start(golfers(5, 5, 1), budget()) is None
    together = cohort(25, 5, 4, rules=(KeepTogether(people=("p1", "p2")),))
    assert design_start(together, budget()) is None
    plan = solve(together, solver="construct", seed=0, time_limit=1.0)
    assert score_plan(plan).total_violations == 0 and "no design fits" in plan.metadata.notes


def test_swap_prices_match_recounted_costs() -> None:
    """A swap's priced change (pairs, seats, counts, visits), and two tables trading places, equal the recounted change."""
    rng = np.random.default_rng(0)
    groups = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 3, 6], [1, 4, 7], [2, 5, 8]], [[0, 4, 8], [1, 5, 6], [2, 3, 7]]]
    neighbours = np.array([[x for r in groups for g in r if u in g for x in g if x != u] for u in range(9)])
    tables = [["A", "B", "C"][t] for t in range(3)]
    point_tables = [[tables[next(t for t, g in enumerate(r) if u in g)] for u in range(9)] for r in groups]
    layout = Layout(neighbours, point_tables, (1, 2, 3), [{"A": 3, "B": 3, "C": 3}] * 3)
    people = 8  # point 8 stays empty
    index = {f"q{i}": i for i in range(people)}
    value = rng.random((people, people))
    value = value + value.T
    met = np.zeros((people, people), dtype=int)
    met[0, 1] = met[1, 0] = 1
    terms = [
        CountTerm(classes={f"q{i}": "xy"[i % 2] for i in range(people)}, costs=(0.0, 0.0, 3.0), rounds=(1, 2), hard=False),
        SeatTerm(person="q3", round=2, tables=frozenset({"A"}), weight=5.0, hard=False),
        VisitTerm(person="q5", rounds=(1, 2, 3), weight=7.0, hard=False),
    ]
    cost = pair_costs(value, met, terms, index, layout.rounds, repeat=100.0, hard=1e4)
    extras = Extras(terms, index, layout, {}, hard=1e4)
    mapping = PointMapping(layout, np.array([*rng.permutation(people), people]), cost, extras)
    extras.start(mapping)
    for _ in range(30):
        a, b = (int(x) for x in rng.choice(people, 2, replace=False))
        before = mapping.cost()
        priced = float(mapping.swap_costs(a, np.array([b]))[0]) + extras.delta(mapping, a, b)
        mapping.swap(a, b)
        assert abs(mapping.cost() - before - priced) < 1e-6
        k, (first, second) = int(rng.integers(3)), rng.choice(["A", "B", "C"], 2, replace=False)
        before = mapping.cost()
        priced = extras.relabel_delta(mapping, k, str(first), str(second))
        extras.relabel(mapping, k, str(first), str(second))
        assert abs(mapping.cost() - before - priced) < 1e-6
        kept_up = mapping.cost()
        extras.start(mapping)  # recount every table from scratch
        assert abs(mapping.cost() - kept_up) < 1e-6
    before = mapping.cost()
    after = improve(mapping, rng, lambda: False)
    assert after <= before and abs(mapping.cost() - after) < 1e-6
    counts = Counter(tuple(sorted(mapping.person_at[g])) for r in groups for g in r)
    assert max(counts.values()) == 1  # any mapping: still nobody meets twice


def test_people_who_leave_early_leave_empty_seats_at_different_tables() -> None:
    """Two people gone after round 4: their seats stay empty, tables still seat 4 or 3, nobody meets twice."""
    event = cohort(32, 4, 8, attendance={"p0": (1, 2, 3, 4), "p1": (1, 2, 3, 4)})
    plan = solve(event, solver="construct", seed=0, time_limit=2.0)
    assert_keeps_built_in_rules(plan)
    assert score_plan(plan).repeats == 0
    assert plan.metadata.notes == ("rounds 1 to 8 from a design: 4-RGDD of type 2^16",)


def test_caps_hosts_and_pins_are_kept_with_zero_repeats() -> None:
    """At most two per organisation at a table, three hosts, a pin and a kept-apart pair: all kept, nobody meets twice."""
    rules = tuple(TypeAdapter(RuleSpec).validate_python(rule) for rule in [
        {"kind": "cap", "attribute": "organisation", "max": 2},
        {"kind": "host", "person": "p3", "table": "T1"},
        {"kind": "host", "person": "p10", "table": "T2"},
        {"kind": "host", "person": "p20"},
        {"kind": "pin", "person": "p5", "table": "T4", "rounds": [1, 2]},
        {"kind": "keep_apart", "people": ["p6", "p7"]},
    ])
    plan = solve(cohort(40, 5, 6, rules=rules), solver="construct", seed=1, time_limit=2.0)
    score = score_plan(plan)
    assert score.total_violations == 0 and score.repeats == 0
    assert "design" in plan.metadata.notes[0]


def test_an_organisation_cap_of_one_starts_each_organisation_in_a_group_of_an_unused_round() -> None:
    """7 organisations of 4 at 7 tables of 4, at most one per organisation at a table, over 6 rounds: every
    organisation starts as a group of a design round left unused, so the cap holds and nobody meets twice."""
    rules = tuple(TypeAdapter(RuleSpec).validate_python(rule) for rule in [
        {"kind": "cap", "attribute": "organisation", "max": 1},
        {"kind": "pin", "person": "p3", "table": "T2"},
    ])
    for seed in (1, 2):
        plan = solve(cohort(28, 4, 6, rules=rules), solver="construct", seed=seed, time_limit=2.0)
        score = score_plan(plan)
        assert score.total_violations == 0 and score.repeats == 0
        assert "design" in plan.metadata.notes[0]
