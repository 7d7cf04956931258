"""pin, host, cap and at_least on their own: penalised / not penalised pairs, input checks, and terms that price
exactly what the violations count."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixer.constraints import AtLeast, Cap, Host, Pin, rules_for
from mixer.constraints.host import host_tables
from mixer.constraints.terms import CountTerm, SeatTerm, terms_cost
from mixer.model import Event, Participant, RoundSeating, Table, TableSeating
from strategies import seatings

PEOPLE = [
    ("ann", "Ann Lee", "Acme", "front line", {"Home team": "red"}),
    ("bob", "Bob Ng", "Acme", "senior", {"Home team": "blue"}),
    ("cy", "Cy Sá", "Beta", "front line", {"Home team": "red"}),
    ("dee", "Dee Ode", "Beta", "senior", {}),
    ("eve", "Eve Ito", "Gamma", "executive", {"Home team": "red"}),
    ("fay", "Fay Żak", "ACME", "senior", {}),
]
TABLES = [Table(id="oak", name="Oak", capacity=3, tags=("accessible",)), Table(id="elm", name="Elm", capacity=3)]


def _event(rules=(), rounds=2, attendance=None, tables=TABLES) -> Event:
    return Event(
        participants=[Participant(id=i, name=n, organisation=o, level=lv, tags=t) for i, n, o, lv, t in PEOPLE],
        tables=tables,
        rounds=rounds,
        rules=list(rules),
        attendance=attendance or {},
    )


def _seating(*rounds: tuple[list[str], list[str]]) -> list[RoundSeating]:
    return [
        RoundSeating(round=r, tables=(TableSeating(table="oak", participants=tuple(a)),
                                      TableSeating(table="elm", participants=tuple(b))))
        for r, (a, b) in enumerate(rounds, start=1)
    ]


SEATING = _seating((["ann", "bob", "cy"], ["dee", "eve", "fay"]), (["ann", "dee", "eve"], ["bob", "cy", "fay"]))


def test_pin_by_tag_kept_and_broken():
    """A pin to the accessible table holds while the person sits there; each round elsewhere names person and table."""
    assert Pin(person="ann", tag="accessible").violations(_event(), SEATING) == []
    found = Pin(person="bob", tag="Accessible").violations(_event(), SEATING)
    assert [v.rounds for v in found] == [(2,)]
    assert found[0].message == "round 2: Bob Ng (bob) sits at Elm, but is pinned to a table tagged 'Accessible'"
    assert (found[0].people, found[0].tables, found[0].hard) == (("bob",), ("elm",), True)


def test_pin_by_table_name_and_rounds():
    """A pin by table name holds only in the rounds given."""
    rule = Pin(person="bob", table="elm", rounds=(2,))
    assert rule.violations(_event(), SEATING) == []
    assert [v.rounds for v in Pin(person="bob", table="ELM").violations(_event(), SEATING)] == [(1,)]


def test_pin_not_applying_when_absent_or_away_from_event_tables():
    """A pin holds only in rounds the person attends at the event's own tables."""
    assert Pin(person="bob", table="Elm").applies_in(_event(attendance={"bob": (2,)})) == [2]


def test_pin_input_problems():
    """An unknown table, a tag no table carries, and a round outside the event are problems naming the rule."""
    (unknown,) = Pin(person="ann", table="Ook").check_event(_event())
    assert "no table 'Ook'" in unknown.message and "did you mean 'Oak'" in unknown.message
    assert unknown.where == "pin (Ann Lee at Ook)"
    (untagged,) = Pin(person="ann", tag="quiet").check_event(_event())
    assert "no table is tagged 'quiet'" in untagged.message and "accessible" in untagged.message
    (late,) = Pin(person="ann", table="oak", rounds=(3,)).check_event(_event())
    assert "round 3" in late.message
    assert Pin(person="ann", table="Oak").check_event(_event()) == []
    with pytest.raises(ValueError, match="either `table`"):
        Pin(person="ann")


def test_pin_to_table_not_in_use():
    """A pin to a table no round uses (fewer people than seats) cannot hold, and check_event says so."""
    tables = [*TABLES, Table(id="ash", name="Ash", capacity=3, tags=("quiet",))]
    (problem,) = Pin(person="ann", tag="quiet", rounds=(1,)).check_event(_event(tables=tables))
    assert problem.fatal and "round 1" in problem.message and "list it earlier" in problem.message


def test_host_stays_at_chosen_table():
    """Hosts without a table get distinct ones, the same every time; moving away is a violation per round."""
    event = _event(rules=[{"kind": "host", "person": "ann"}, {"kind": "host", "person": "bob"}])
    assert host_tables(event) == {"ann": "oak", "bob": "elm"}
    ann, bob = event.rules
    assert ann.violations(event, SEATING) == []
    (moved,) = bob.violations(event, SEATING)
    assert moved.message == "round 1: Bob Ng (bob) hosts Elm but sits at Oak" and moved.rounds == (1,)


def test_host_table_follows_their_pin():
    """A host pinned to the accessible table is given that table, and another host the next one."""
    event = _event(rules=[{"kind": "host", "person": "bob"}, {"kind": "host", "person": "dee"},
                          {"kind": "pin", "person": "dee", "tag": "accessible"}])
    assert host_tables(event) == {"dee": "oak", "bob": "elm"}


def test_hosts_sharing_a_table_and_too_many_hosts():
    """Two hosts asking for one table, or more hosts than tables, are problems naming the rules."""
    event = _event(rules=[{"kind": "host", "person": "ann", "table": "Oak"}, {"kind": "host", "person": "bob", "table": "oak"}])
    problems = [p for rule in event.rules for p in rule.check_event(event)]
    assert len(problems) == 1 and "two hosts cannot host one table" in problems[0].message
    assert "host (Bob Ng at oak)" in problems[0].message and "host (Ann Lee at Oak)" in problems[0].message
    event = _event(rules=[{"kind": "host", "person": p} for p in ("ann", "bob", "cy")])
    problems = [p for rule in event.rules for p in rule.check_event(event)]
    assert len(problems) == 1 and "host (Cy Sá) has no table" in problems[0].message


def test_cap_hard_and_soft():
    """Two from Acme (any case) at one table break a cap of one per organisation; soft, each extra costs its weight."""
    event = _event()
    (v,) = [v for v in Cap(attribute="organisation", max=1).violations(event, SEATING) if v.rounds == (1,)]
    assert "2 people with organisation 'Acme' sit at Oak" in v.message and "Ann Lee, Bob Ng" in v.message
    assert (v.hard, v.cost, set(v.people)) == (True, 0.0, {"ann", "bob"})
    soft = Cap(attribute="organisation", max=1, hard=False, weight=2.5).violations(event, SEATING)
    assert {(v.rounds, v.cost, v.hard) for v in soft} == {((1,), 2.5, False), ((2,), 2.5, False)}
    assert Cap(attribute="organisation", max=2).violations(event, SEATING) == []


def test_cap_on_extra_column():
    """A cap may name any column of the participant list, matched ignoring case and spacing."""
    found = Cap(attribute="home_team", max=1).violations(_event(), SEATING)
    assert [(v.rounds, v.tables) for v in found] == [((1,), ("oak",)), ((2,), ("oak",))]
    (problem,) = Cap(attribute="hometeem", max=1).check_event(_event())
    assert "nobody in the participant list has a value for 'hometeem'" in problem.message and "Home team" in problem.message


def test_cap_impossible_by_numbers():
    """Three from Acme cannot sit one per table at two tables: check_event names the value and the people."""
    (problem,) = Cap(attribute="organisation", max=1, origin="rules entry 4").check_event(_event(rounds=1))
    assert problem.message.startswith("cap (rules entry 4: at most 1 per organisation at a table) cannot hold in round 1")
    assert "3 people have organisation 'Acme' (Ann Lee, Bob Ng, Fay Żak)" in problem.message
    assert Cap(attribute="organisation", max=1, hard=False).check_event(_event()) == []


def test_at_least_soft_by_default():
    """A table without anyone from the front line costs the weight; soft unless asked."""
    rule = AtLeast(attribute="level", value="Front Line", weight=3)
    (v,) = rule.violations(_event(), SEATING)
    assert v.rounds == (1,) and v.tables == ("elm",) and (v.hard, v.cost) == (False, 3.0)
    assert "Elm has 0 of the 1 people with level 'Front Line'" in v.message


def test_at_least_hard_impossible():
    """Hard at_least needing more such people than attend is a problem; soft is not."""
    event = _event(attendance={"cy": (1,)})
    (problem,) = AtLeast(attribute="level", value="front line", hard=True).check_event(event)
    assert "round 2" in problem.message and "only 1 attend" in problem.message
    assert AtLeast(attribute="level", value="front line").check_event(event) == []


def test_search_terms_shapes():
    """Pins and hosts are seat terms, caps and at_least count terms with the right costs."""
    event = _event(rules=[{"kind": "host", "person": "cy"}])
    assert Pin(person="ann", tag="accessible").search_terms(event) == [
        SeatTerm("ann", 1, frozenset({"oak"})), SeatTerm("ann", 2, frozenset({"oak"}))]
    assert event.rules[0].search_terms(event)[0] == SeatTerm("cy", 1, frozenset({"oak"}))
    (cap,) = Cap(attribute="organisation", max=2).search_terms(event)
    assert isinstance(cap, CountTerm) and [cap.cost(k) for k in range(5)] == [0, 0, 0, 1, 2]
    (least,) = AtLeast(attribute="level", value="front line", count=2).search_terms(event)
    assert [least.cost(k) for k in range(5)] == [2, 1, 0, 0, 0] and set(least.classes) == {"ann", "cy"}


RULES = [
    {"kind": "pin", "person": "ann", "tag": "accessible"},
    {"kind": "pin", "person": "dee", "table": "Elm", "rounds": [1]},
    {"kind": "host", "person": "eve"},
    {"kind": "cap", "attribute": "organisation", "max": 1},
    {"kind": "cap", "attribute": "Home team", "max": 1, "hard": False, "weight": 1.5},
    {"kind": "at_least", "attribute": "level", "value": "senior", "count": 2, "weight": 0.5},
]


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False), st.lists(st.sampled_from(RULES), min_size=1, max_size=4, unique_by=str))
def test_terms_price_what_violations_count(rng: random.Random, rules):
    """On random seatings, soft terms cost exactly the soft violations; hard terms cost nothing iff none is broken."""
    event = _event(rules=rules, rounds=3, attendance={"bob": (1, 3)})
    rounds = seatings(event, rng)
    for rule in event.rules:
        terms = rule.search_terms(event)
        found = rule.violations(event, rounds)
        assert terms_cost(terms, rounds, hard=False) == pytest.approx(sum(v.cost for v in found if not v.hard))
        assert (terms_cost(terms, rounds, hard=True) == 0) == (not [v for v in found if v.hard])
    assert all(rule in rules_for(event) for rule in event.rules)
