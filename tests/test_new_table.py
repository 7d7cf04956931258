"""The new_table rule (World Café): nobody, hosts aside, sits at the same table twice; topics travel with tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixer.assemble import check_event, load_event
from mixer.constraints import Host, NewTable
from mixer.constraints.terms import VisitTerm, terms_cost
from mixer.errors import InfeasibleError
from mixer.io.plan_file import read_plan
from mixer.model import Event, Participant, RoundSeating, RoundTables, Table, TableSeating
from mixer.scoring import score_rounds
from mixer.solvers import solve

from strategies import seatings
from test_cli import run


def _event(people: int, tables: int, size: int, rounds: int, rules=(), **extra) -> Event:  # type: ignore[no-untyped-def]
    return Event(
        participants=[Participant(id=f"p{i}", name=f"P{i}", organisation="ABC"[i % 3]) for i in range(people)],
        tables=[Table(id=f"T{t}", capacity=size, topic=f"Topic {t}") for t in range(1, tables + 1)],
        rounds=rounds,
        rules=list(rules),
        **extra,
    )


def revisits(event: Event, rounds, exempt=frozenset()) -> int:  # type: ignore[no-untyped-def]
    """Recount: times anyone not exempt sits at a table already visited, over rounds at the event's tables."""
    count = 0
    seen: dict[str, set[str]] = {}
    for seating in rounds:
        if not event.at_event_tables(seating.round):
            continue
        for ts in seating.tables:
            for pid in ts.participants:
                if pid not in exempt:
                    count += ts.table in seen.setdefault(pid, set())
                    seen[pid].add(ts.table)
    return count


def test_violations_name_person_table_and_rounds():
    event = _event(4, 2, 2, 3, [NewTable()])
    tables = [{"T1": ("p0", "p1"), "T2": ("p2", "p3")}, {"T1": ("p0", "p2"), "T2": ("p1", "p3")},
              {"T1": ("p0", "p3"), "T2": ("p1", "p2")}]
    rounds = [RoundSeating(round=r, tables=tuple(TableSeating(table=t, participants=ps) for t, ps in seated.items()))
              for r, seated in enumerate(tables, start=1)]
    found = NewTable().violations(event, rounds)
    first = found[0]
    assert (first.people, first.tables, first.rounds) == (("p0",), ("T1",), (1, 2))
    assert first.message == "round 2: P0 is back at Table T1, first visited in round 1"
    assert len(found) == revisits(event, rounds) == 5


def test_hard_rule_with_more_rounds_than_tables_is_reported_before_solving():
    event = _event(12, 3, 4, 4, [NewTable()])
    problems = [str(p) for p in check_event(event) if p.fatal]
    assert any("sit in 4 rounds at the event's tables but only 3 tables are in use" in p for p in problems)
    soft = _event(12, 3, 4, 4, [NewTable(hard=False, weight=2.0)])
    assert not [p for p in check_event(soft) if p.fatal]


def test_unknown_people_are_reported():
    problems = NewTable(people=("p1", "nobody")).check_event(_event(6, 2, 3, 2))
    assert [p.message for p in problems] == ["new_table names 'nobody', who is not a participant"]


def test_hosts_and_rounds_in_own_groups_are_exempt():
    event = _event(9, 3, 3, 4, [NewTable(), Host(person="p0", table="T1")],
                   round_tables=[RoundTables(rounds=(2,), size=3)])
    terms = NewTable().search_terms(event)
    assert {t.person for t in terms} == {f"p{i}" for i in range(1, 9)}
    assert all(isinstance(t, VisitTerm) and t.rounds == (1, 3, 4) and t.hard for t in terms)


@given(st.integers(0, 10_000), st.booleans(), st.booleans())
def test_terms_price_exactly_the_violations(seed, hard, own_round):
    """Soft: terms_cost equals the violations' cost; hard: zero cost exactly when nothing is broken."""
    extra = {"round_tables": [RoundTables(rounds=(2,), size=2)]} if own_round else {}
    rule = NewTable(hard=hard, weight=1.5, people=() if seed % 2 else ("p1", "p2", "p3"))
    event = _event(9, 3, 3, 4, [rule], **extra)
    rounds = seatings(event, random.Random(seed))
    found = rule.violations(event, rounds)
    cost = terms_cost(rule.search_terms(event), rounds, hard=hard)
    if hard:
        assert (cost == 0) == (not found)
    else:
        assert cost == pytest.approx(sum(v.cost for v in found)) and all(not v.hard for v in found)
    named = set(rule.people) or {p.id for p in event.participants}
    assert len(found) == revisits(event, rounds, exempt=frozenset(event.participant_ids) - named)


@st.composite
def cafes(draw: st.DrawFn) -> Event:
    """Small World Cafés: 2 to 4 tables, as many or fewer rounds, maybe hosts, absences and a round in pairs."""
    tables = draw(st.integers(2, 4))
    size = draw(st.integers(2, 4))
    people = draw(st.integers(tables * (size - 1) + 1, tables * size))
    rounds = draw(st.integers(2, tables))
    hosts = [Host(person=f"p{i}", table=f"T{i + 1}") for i in range(draw(st.integers(0, 1)) * tables)]
    attendance = {"p5": (1,)} if draw(st.booleans()) and people > 5 else {}
    own = [RoundTables(rounds=(rounds,), size=2)] if draw(st.booleans()) else []
    return _event(people, tables, size, rounds, [NewTable(), *hosts], attendance=attendance, round_tables=own)


@pytest.mark.parametrize(
    ("solver", "limit", "examples"), [("greedy", None, 8), ("construct", 1.0, 6), ("local", None, 8), ("cpsat", 2.0, 6)]
)
def test_solvers_keep_a_hard_new_table(solver, limit, examples):
    """Random small cafés: the plan sends nobody (hosts aside) back to a table, or the rules are shown to clash."""

    @settings(max_examples=examples, deadline=None)
    @given(cafes())
    def check(event: Event) -> None:
        try:
            plan = solve(event, solver=solver, seed=2, time_limit=limit)
        except InfeasibleError as exc:
            assert "new_table" in str(exc) or "host" in str(exc)
            return
        hosts = frozenset(r.person for r in event.rules if isinstance(r, Host))
        assert revisits(event, plan.rounds, exempt=hosts) == 0
        assert score_rounds(event, plan.rounds).total_violations == 0

    check()


def test_world_cafe_from_files(tmp_path: Path):
    """6 themed tables with hosts, 30 visitors, 5 rounds: no revisits, hosts stay, topics in the plan file."""
    people = tmp_path / "people.csv"
    people.write_text("Name,Organisation\n" + "".join(f"Person {i},Org {i % 9}\n" for i in range(36)), encoding="utf-8")
    topics = ["Workforce", "Prevention", "Digital", "Housing", "Carers", "Mental health"]
    text = "rounds = 5\n" + "".join(f'[[tables]]\nname = "Table {i}"\ncapacity = 6\ntopic = "{t}"\n\n'
                                    for i, t in enumerate(topics, start=1))
    text += "".join(f'[[rules]]\nkind = "host"\nperson = "Person {i}"\ntable = "Table {i + 1}"\n\n' for i in range(6))
    text += '[[rules]]\nkind = "new_table"\n'
    event_file = tmp_path / "event.toml"
    event_file.write_text(text, encoding="utf-8")
    event, _ = load_event(people, event_file)
    assert [t.topic for t in event.tables] == topics
    out = tmp_path / "plan.json"
    result = run("plan", people, "--event", event_file, "-o", out, "--solver", "local", "--time-limit", "6", "--json")
    assert result.exit_code == 0, result.output
    plan = read_plan(out)
    hosts = {f"{i + 1}" for i in range(6)}
    assert revisits(plan.event, plan.rounds, exempt=frozenset(hosts)) == 0
    assert [t.topic for t in plan.event.tables] == topics


@pytest.mark.parametrize("seed", [1, 2])
def test_a_cafe_with_a_host_at_every_table_meets_nobody_twice(seed: int) -> None:
    """7 hosted tables of 7, 5 rounds: the hosts take one group of a design round left unused, so nobody meets twice."""
    hosts = [Host(person=f"p{i}", table=f"T{i + 1}") for i in range(7)]
    event = _event(49, 7, 7, 5, [*hosts, NewTable()])
    plan = solve(event, solver="construct", seed=seed, time_limit=2.0)
    score = score_rounds(event, plan.rounds)
    assert score.total_violations == 0 and score.repeats == 0
    assert all(ts.table == f"T{i + 1}" for i in range(7) for seating in plan.rounds for ts in seating.tables
               if f"p{i}" in ts.participants)
    assert revisits(event, plan.rounds, exempt=frozenset(h.person for h in hosts)) == 0
