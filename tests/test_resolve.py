"""Re-solve on the day: played rounds kept byte for byte, attendance changes honoured, few people moved."""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import events, seatings

from mixer.constraints import KeepApart, KeepTogether, Stay, Violation
from mixer.constraints.terms import terms_cost
from mixer.errors import InfeasibleError, InputError
from mixer.io.plan_file import plan_from_json, plan_to_json
from mixer.model import Event, Participant, Plan, PlanMetadata
from mixer.plan_diff import diff_plans, seating_hash
from mixer.repair import repair
from mixer.resolving import Changes, fresh_id, parse_leave, resolve, split_names
from mixer.sample import sample_event
from mixer.scoring import score_plan, score_rounds
from mixer.solvers import solve


def round_texts(plan_text: str) -> list[str]:
    """The text of each round's entry in a plan file, as written."""
    body = plan_text[plan_text.index('\n  "rounds": [') :]
    starts = [body.index(f'\n    {{\n      "round": {r},') for r in range(1, body.count('"round": ') + 1)]
    return [body[a:b] for a, b in zip(starts, starts[1:] + [body.index('\n  "metadata"')])]


@pytest.fixture(scope="module")
def sample_plan() -> Plan:
    return solve(sample_event(), time_limit=1.0, seed=1)


@st.composite
def plans_and_changes(draw: st.DrawFn) -> tuple[Plan, int, Changes]:
    """A random plan of a random event with keep-apart rules, a round to re-solve from and random changes."""
    event = draw(events(min_people=6, max_people=18, max_rounds=4, history=False, rules=True))
    rounds = seatings(event, draw(st.randoms(use_true_random=False)))
    plan = Plan(event=event, rounds=rounds, metadata=PlanMetadata(solver="hand-made"))
    if draw(st.booleans()):
        try:
            plan = solve(event, solver="greedy", seed=0)  # as mixer planned it: keeps the rules where they can hold
        except InfeasibleError:
            pass
    ids = event.participant_ids
    absent = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids) // 3))
    arrivals = tuple(Participant(id=f"x{i}", name=f"Walk-in number {i}", organisation=draw(st.sampled_from(["A", "B"])))
                     for i in range(draw(st.integers(0, 2))))
    return plan, draw(st.integers(1, event.rounds)), Changes(absent=tuple(absent), arrive=arrivals)


@settings(max_examples=25)
@given(plans_and_changes())
def test_resolve_keeps_played_rounds_and_new_attendance(case: tuple[Plan, int, Changes]) -> None:
    plan, from_round, changes = case
    try:
        new = resolve(plan, from_round, changes, time_limit=0.0, seed=0)  # the repair alone: no timing in the test
    except (InputError, InfeasibleError):
        return  # the changed attendance no longer fits the tables, or the rules clash: reported, nothing planned
    old_text, new_text = plan_to_json(plan), plan_to_json(new)
    assert round_texts(new_text)[: from_round - 1] == round_texts(old_text)[: from_round - 1]
    assert plan_from_json(new_text) == new
    arrived = set(new.event.participant_ids) - set(plan.event.participant_ids)
    assert len(arrived) == len(changes.arrive)
    for seating in new.rounds[from_round - 1 :]:
        seated = seating.table_of()
        assert not set(changes.absent) & set(seated)
        assert arrived <= set(seated)
    if not _broken(plan, from_round):  # a plan that kept the rules still keeps them
        assert not _broken(new, from_round)


def _broken(plan: Plan, from_round: int) -> list[Violation]:
    """Hard rules broken in the rounds from ``from_round`` on."""
    return [v for v in score_plan(plan).violation_details if v.hard and min(v.rounds) >= from_round]


@settings(max_examples=15)
@given(plans_and_changes())
def test_resolving_without_changes_moves_nobody(case: tuple[Plan, int, Changes]) -> None:
    plan, from_round, _ = case
    assume(not _broken(plan, from_round))  # a plan breaking a hard rule is mended, which moves people
    new = resolve(plan, from_round, Changes(), time_limit=0.05)
    assert diff_plans(plan, new).moved_seats == 0
    assert [r.table_of() for r in new.rounds] == [r.table_of() for r in plan.rounds]


def test_sample_cohort_after_round_one(sample_plan: Plan) -> None:
    """Five absent and two walk-ins: zero repeats, no rule broken, few seats moved, lineage recorded."""
    ids = sample_plan.event.participant_ids
    changes = Changes(absent=tuple(ids[i] for i in (0, 1, 2, 3, 4)),
                      arrive=(Participant(id="w1", name="Nia Walker", organisation="Walk-in Org"),
                              Participant(id="w2", name="Omar Said")))
    new = resolve(sample_plan, 2, changes, time_limit=0.5, seed=0, source="plan.json")
    score = score_plan(new)
    assert (score.total_violations, score.repeats) == (0, 0)
    moved = diff_plans(sample_plan, new).moved_seats
    assert moved < 47 * 3 / 4
    lineage = new.metadata.lineage
    assert lineage is not None
    assert (lineage.source, lineage.from_round, lineage.moved_seats) == ("plan.json", 2, moved)
    assert lineage.source_seating == seating_hash(sample_plan)
    assert lineage.absent == tuple(ids[:5]) and len(lineage.arrived) == 2
    assert set(lineage.arrived).isdisjoint(ids)
    assert score.soft_violations.get("stay", 0) == moved  # score counts the moves as the soft rule's breaches


def test_stability_trades_moves_for_value(sample_plan: Plan) -> None:
    """A high stability moves fewer people than none at all, and the moves cost exactly that much value."""
    ids = sample_plan.event.participant_ids
    table = sample_plan.rounds[2].tables[0].participants
    changes = Changes(absent=tuple(table[:3]))
    steady = resolve(sample_plan, 3, changes, time_limit=0.3, stability=10.0)
    loose = resolve(sample_plan, 3, changes, time_limit=0.3, stability=0.0)
    assert diff_plans(sample_plan, steady).moved_seats <= diff_plans(sample_plan, loose).moved_seats
    assert not any(isinstance(rule, Stay) for rule in loose.event.rules)
    stay = next(rule for rule in steady.event.rules if isinstance(rule, Stay))
    assert stay.weight == 10.0 and set(stay.seats) == {3, 4}
    costs = sum(v.cost for v in score_plan(steady).violation_details if not v.hard)
    assert costs == pytest.approx(terms_cost(stay.search_terms(steady.event), steady.rounds, hard=False))
    assert len(ids) == 50


def test_repair_is_the_first_plan_and_keeps_seats(sample_plan: Plan) -> None:
    """The repair alone keeps everyone whose table survives and seats arrivals in free seats."""
    event = sample_plan.event
    absent = event.participant_ids[:5]
    new = resolve(sample_plan, 2, Changes(absent=tuple(absent)), time_limit=0.001)
    first = repair(new.event, sample_plan.rounds, 2)
    assert first[:1] == sample_plan.rounds[:1]
    old_tables = sample_plan.rounds[1].table_of()
    for table in first[1].tables:
        assert len(table.participants) in (4, 5)
    kept = sum(1 for pid, t in first[1].table_of().items() if old_tables[pid] == t)
    assert kept >= 45 - 5  # at most a few people move to even out table sizes


def test_leave_and_rules_are_kept() -> None:
    """Someone leaving before round 3 sits in no later round; keep-apart and keep-together rules still hold."""
    event = sample_event()
    ids = event.participant_ids
    event = Event.model_validate({**dict(event), "rules": (KeepApart(people=(ids[5], ids[6])),
                                                          KeepTogether(people=(ids[7], ids[8])))})
    plan = solve(event, time_limit=0.5, seed=0)
    new = resolve(plan, 2, Changes(leave=((event.participant(ids[9]).name, 3),), absent=(ids[10],)), time_limit=0.3)
    assert ids[9] in new.rounds[1].table_of()
    assert all(ids[9] not in r.table_of() for r in new.rounds[2:])
    assert score_plan(new).total_violations == 0
    assert new.event.attendance[ids[9]] == (1, 2)


def test_unknown_and_ambiguous_people_are_errors_listing_candidates(sample_plan: Plan) -> None:
    names = [p.name for p in sample_plan.event.participants]
    misspelt = names[0][:-1] + "x"
    with pytest.raises(InputError) as caught:
        resolve(sample_plan, 2, Changes(absent=(misspelt, "Nobody At All")))
    message = str(caught.value)
    assert f"did you mean {names[0]!r}" in message and "'Nobody At All' is not a participant" in message
    with pytest.raises(InputError, match="could be any of"):
        resolve(sample_plan, 2, Changes(absent=(names[0][0],)))


def test_forgiving_names_and_returning_people(sample_plan: Plan) -> None:
    """Case, accents and spacing are forgiven; an arrival named exactly like an absentee is that person, back."""
    person = next(p for p in sample_plan.event.participants if p.name.isascii() and " " in p.name)
    typed = "  " + person.name.upper().replace(" ", "   ")
    gone = resolve(sample_plan, 2, Changes(absent=(typed,)), time_limit=0.05)
    assert gone.metadata.lineage and gone.metadata.lineage.absent == (person.id,)
    back = resolve(sample_plan, 2, Changes(absent=(person.id,), arrive=(Participant(id="1", name=person.name),)),
                   time_limit=0.05)
    assert back.event.participants == sample_plan.event.participants
    assert back.metadata.lineage and back.metadata.lineage.returned == (person.id,)


def test_arrivals_beyond_the_seats_get_a_new_table() -> None:
    event = sample_event()  # 50 people at 10 tables of 5
    plan = solve(event, solver="greedy", seed=0)
    arrivals = tuple(Participant(id=str(i), name=f"Late {i}") for i in range(4))
    new = resolve(plan, 3, Changes(arrive=arrivals), time_limit=0.1)
    assert len(new.event.tables) == 11
    assert len(new.rounds[2].tables) == 11 and len(new.rounds[0].tables) == 10


def test_command_line_helpers() -> None:
    assert split_names(["Ann Lee, Bo", "Cy", " "]) == ("Ann Lee", "Bo", "Cy")
    assert parse_leave("ann@example.org@3") == ("ann@example.org", 3)
    with pytest.raises(InputError, match="Name@3"):
        parse_leave("Ann Lee")
    assert fresh_id(["1", "2", "p7", "4"]) == "5"
    assert fresh_id(["a", "b"]) == "1"


def test_from_round_must_be_a_round_of_the_plan(sample_plan: Plan) -> None:
    with pytest.raises(InputError, match="between 1 and 4"):
        resolve(sample_plan, 5)


def test_played_rounds_count_as_met() -> None:
    """Re-solving round 2 of a two-round plan avoids everyone met in round 1."""
    event = sample_event()
    plan = solve(event, time_limit=0.3, seed=3)
    random.seed(0)
    new = resolve(plan, 2, Changes(absent=tuple(random.sample(event.participant_ids, 5))), time_limit=0.3)
    assert score_rounds(new.event, new.rounds).repeats == 0


def test_pairs_for_the_rest_of_the_day(sample_plan: Plan) -> None:
    """--table-size for the rounds planned again gives them numbered groups of that size; played rounds keep theirs."""
    new = resolve(sample_plan, 3, Changes(table_size=2, round_sizes={4: 10}), time_limit=0.2)
    assert [len(t.participants) for t in new.rounds[2].tables] == [2] * 25
    assert [len(t.participants) for t in new.rounds[3].tables] == [10] * 5
    assert new.rounds[:2] == sample_plan.rounds[:2]
    assert score_plan(new).total_violations == 0
    with pytest.raises(InputError, match="only rounds 3 to 4 are planned again"):
        resolve(sample_plan, 3, Changes(round_sizes={2: 4}))


def test_a_host_keeps_their_table_when_attendance_changes() -> None:
    """The demo's host gets table 2 because table 1 is pinned to the wheelchair user; with her absent,
    a fresh choice would be table 1, but the re-solve keeps the host where the plan put them."""
    from mixer.constraints.host import Host, host_tables
    from mixer.sample import demo_event

    event = demo_event()
    plan = solve(event, solver="greedy", seed=0)
    host = next(rule.person for rule in event.rules if isinstance(rule, Host))
    pinned = next(rule.person for rule in event.rules if rule.kind == "pin")
    before = host_tables(event)[host]
    new = resolve(plan, 1, Changes(absent=(pinned,)), time_limit=0.0, seed=0)
    assert host_tables(new.event)[host] == before
    assert {seating.table_of()[host] for seating in new.rounds} == {before}
    assert not [v for v in score_plan(new).violation_details if v.hard]
