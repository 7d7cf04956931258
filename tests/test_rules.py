"""Each rule on its own, in penalised / not penalised pairs; messages name people, tables and rounds."""

import pytest

from mixer.constraints import BUILT_IN, KeepApart, KeepTogether, Rule, SeatedOnce, TableCapacity, rule_kinds, rules_for
from mixer.constraints.terms import PairTerm
from mixer.model import Event, Participant, RoundSeating, Table, TableSeating

NAMES = {"ann": "Ann Lee", "bob": "Bob Ng", "cy": "Cy Sá", "dee": "Dee Ode", "eve": "Eve Ito", "fay": "Fay Żak"}


def _event(rules=(), tables=(3, 3), rounds=2, attendance=None) -> Event:
    """Six people at two tables of three; Fay attends round 2 only."""
    return Event(
        participants=[Participant(id=pid, name=name) for pid, name in NAMES.items()],
        tables=[Table(id=f"T{i}", capacity=c) for i, c in enumerate(tables, start=1)],
        rounds=rounds,
        rules=list(rules),
        attendance={"fay": (2,)} if attendance is None else attendance,
    )


def _seating(*rounds: list[list[str]], tables=("T1", "T2")) -> list[RoundSeating]:
    return [
        RoundSeating(round=r, tables=tuple(TableSeating(table=t, participants=tuple(g)) for t, g in zip(tables, groups)))
        for r, groups in enumerate(rounds, start=1)
    ]


GOOD = _seating([["ann", "bob", "cy"], ["dee", "eve"]], [["ann", "dee", "fay"], ["bob", "cy", "eve"]])


def _only(violations):
    assert len(violations) == 1, violations
    return violations[0]


@pytest.mark.parametrize("rule", [TableCapacity(), SeatedOnce(), KeepApart(people=("ann", "eve")),
                                  KeepTogether(people=("ann", "fay"))])
def test_good_seating_not_penalised(rule):
    """A seating that keeps the rule has no violations of it."""
    assert rule.violations(_event(), GOOD) == []


def test_rules_follow_the_pattern():
    """Every built-in and event rule implements the Rule protocol."""
    event = _event(rules=[{"kind": "keep_apart", "people": ["ann", "bob"]}, {"kind": "keep_together", "people": ["cy", "dee"]}])
    assert all(isinstance(rule, Rule) for rule in rules_for(event))
    assert rule_kinds(event) == ["table_capacity", "seated_once", "keep_apart", "keep_together"]
    assert rules_for(event)[: len(BUILT_IN)] == list(BUILT_IN)


def test_table_over_capacity_penalised():
    """Four people at a table of three are one violation naming the table, round and people."""
    seating = _seating([["ann", "bob", "cy", "dee"], ["eve"]], [["ann", "dee", "fay"], ["bob", "cy", "eve"]])
    v = _only(TableCapacity().violations(_event(), seating))
    assert "round 1" in v.message and "'T1'" in v.message and "seats 4" in v.message and "holds only 3" in v.message
    assert (v.rule, v.tables, v.rounds, set(v.people)) == ("table_capacity", ("T1",), (1,), {"ann", "bob", "cy", "dee"})


def test_table_at_capacity_not_penalised():
    """A table filled exactly to capacity is not a violation."""
    seating = _seating([["ann", "bob", "cy"], ["dee", "eve"]], [["ann", "bob", "cy"], ["dee", "eve", "fay"]])
    assert TableCapacity().violations(_event(), seating) == []


def test_unknown_table_penalised():
    """Seating people at a table the event does not have is a violation naming that table."""
    seating = _seating([["ann", "bob", "cy"], ["dee", "eve"]], [["ann", "dee", "fay"], ["bob", "cy", "eve"]],
                       tables=("T1", "T9"))
    found = TableCapacity().violations(_event(), seating)
    assert [v.tables for v in found] == [("T9",), ("T9",)]
    assert "table 'T9' is not one of the event's tables" in found[1].message and "round 2" in found[1].message


def test_table_capacity_checks_seats_per_round():
    """An event whose tables cannot hold a round's attendees is a problem naming the round; one that fits is not."""
    assert TableCapacity().check_event(_event()) == []
    problems = TableCapacity().check_event(_event(tables=(2, 3)))
    assert len(problems) == 1 and "6 people attend round 2" in problems[0].message and "seat only 5" in problems[0].message


def test_missing_person_penalised():
    """Someone present but without a seat is a violation naming them and the round."""
    seating = _seating([["ann", "bob", "cy"], ["dee"]], [["ann", "dee", "fay"], ["bob", "cy", "eve"]])
    v = _only(SeatedOnce().violations(_event(), seating))
    assert v.message == "round 1: Eve Ito (eve) has no seat"
    assert (v.people, v.rounds) == (("eve",), (1,))


def test_person_seated_twice_penalised():
    """Someone seated at two tables in a round is a violation naming them and both tables."""
    seating = _seating([["ann", "bob", "cy"], ["dee", "eve"]], [["ann", "dee", "fay"], ["bob", "cy", "eve", "ann"]])
    v = _only(SeatedOnce().violations(_event(), seating))
    assert "round 2" in v.message and "Ann Lee (ann)" in v.message and "2 times" in v.message
    assert (v.people, v.tables, v.rounds) == (("ann",), ("T1", "T2"), (2,))


def test_absent_person_seated_penalised():
    """Seating someone in a round they do not attend is a violation naming them, the round and table."""
    seating = _seating([["ann", "bob", "cy"], ["dee", "eve", "fay"]], [["ann", "dee", "fay"], ["bob", "cy", "eve"]])
    v = _only(SeatedOnce().violations(_event(), seating))
    assert v.message == "round 1: Fay Żak (fay) is seated but does not attend this round"
    assert (v.people, v.tables, v.rounds) == (("fay",), ("T2",), (1,))


def test_unknown_person_seated_penalised():
    """Seating an id that is not a participant is a violation naming the id."""
    seating = _seating([["ann", "bob", "cy"], ["dee", "eve", "zed"]], [["ann", "dee", "fay"], ["bob", "cy", "eve"]])
    v = _only(SeatedOnce().violations(_event(), seating))
    assert v.message == "round 1: 'zed' is seated but is not a participant"
    assert (v.people, v.tables) == (("zed",), ("T2",))


def test_keep_apart_penalised():
    """Each round two people to be kept apart share a table is a violation naming both, the table and the round."""
    found = KeepApart(people=("bob", "cy")).violations(_event(), GOOD)
    assert [v.rounds for v in found] == [(1,), (2,)]
    v = found[0]
    assert "round 1" in v.message and "Bob Ng (bob)" in v.message and "Cy Sá (cy)" in v.message and "'T1'" in v.message
    assert (v.rule, v.people, v.tables, v.rounds) == ("keep_apart", ("bob", "cy"), ("T1",), (1,))


def test_keep_apart_group_of_three():
    """In a group of three, only those actually together are named."""
    v = _only(KeepApart(people=("ann", "eve", "fay")).violations(_event(), GOOD))
    assert (v.people, v.rounds) == (("ann", "fay"), (2,))
    assert "Eve" not in v.message


def test_keep_apart_not_penalised():
    """People at different tables in every round keep the rule."""
    assert KeepApart(people=("cy", "dee")).violations(_event(), GOOD) == []


def test_keep_together_penalised():
    """People to be kept together at two tables are a violation naming them, both tables and the round."""
    v = _only(KeepTogether(people=("ann", "bob")).violations(_event(), GOOD))
    assert "round 2" in v.message and "Ann Lee (ann)" in v.message and "Bob Ng (bob)" in v.message
    assert "'T1', 'T2'" in v.message
    assert (v.rule, v.people, v.tables, v.rounds) == ("keep_together", ("ann", "bob"), ("T1", "T2"), (2,))


def test_keep_together_ignores_absentees():
    """Someone absent in a round does not split the group in that round."""
    assert KeepTogether(people=("ann", "fay")).violations(_event(), GOOD) == []
    assert _only(KeepTogether(people=("bob", "fay")).violations(_event(), GOOD)).rounds == (2,)


def test_rules_name_unknown_people():
    """A rule naming someone who is not a participant is a fatal problem naming the id and the rule."""
    for rule in (KeepApart(people=("ann", "zed")), KeepTogether(people=("zed", "ann"))):
        problems = rule.check_event(_event())
        assert len(problems) == 1 and problems[0].fatal
        assert "'zed'" in problems[0].message and rule.kind in problems[0].where


def test_violations_with_unknown_person_in_rule_and_seating():
    """A rule and a seating both naming a non-participant still explain themselves instead of crashing."""
    seating = _seating([["ann", "bob", "zed"], ["cy", "dee", "eve"]], [["ann", "bob", "fay"], ["cy", "dee", "eve"]])
    event = _event()
    assert "'zed'" in _only(KeepApart(people=("ann", "zed")).violations(event, seating)).message
    assert "'zed'" in _only(KeepTogether(people=("cy", "zed")).violations(event, seating)).message


def test_keep_together_larger_than_tables_in_use():
    """A group bigger than a round's largest table (as laid out) is a problem naming the round."""
    event = _event(tables=(4, 4, 4), attendance={"fay": (2,), "eve": (2,)})
    # Round 1: 4 people at one table of 4; round 2: 6 people at two tables of 3.
    rule = KeepTogether(people=("ann", "bob", "cy", "dee"))
    problems = rule.check_event(event)
    assert [p.message for p in problems] == [
        "keep_together (Ann Lee, Bob Ng, ... 4 people) needs 4 seats, but the largest table holds 3 in round 2"]
    assert KeepTogether(people=("ann", "bob", "cy")).check_event(event) == []


def test_keep_apart_more_people_than_tables():
    """More people to keep apart than tables in use in a round is a problem naming the round."""
    rule = KeepApart(people=("ann", "bob", "fay"))
    problems = rule.check_event(_event())
    assert [p.message for p in problems] == ["keep_apart (Ann Lee, Bob Ng, Fay Żak) needs 3 tables, but only 2 are in use in round 2"]
    assert KeepApart(people=("ann", "bob")).check_event(_event()) == []


def test_search_terms():
    """keep_apart wants every pair apart, keep_together every pair together; built-in rules need no terms."""
    event = _event()
    rounds = tuple(range(1, event.rounds + 1))
    assert KeepApart(people=("a", "b", "c")).search_terms(event) == [
        PairTerm("a", "b", False, rounds), PairTerm("a", "c", False, rounds), PairTerm("b", "c", False, rounds)]
    assert KeepTogether(people=("a", "b")).search_terms(event) == [PairTerm("a", "b", True, rounds)]
    assert TableCapacity().search_terms(event) == SeatedOnce().search_terms(event) == []


def test_rule_spec_rejects_unknown_kind():
    """An event rule of an unknown kind is rejected when the event is built."""
    with pytest.raises(ValueError, match="keep_near"):
        _event(rules=[{"kind": "keep_near", "people": ["ann", "bob"]}])
