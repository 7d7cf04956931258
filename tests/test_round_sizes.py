"""Rounds of different group sizes: event files, --round-size, layouts, scoring, bounds and every solver."""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from mixer.assemble import assemble_event, check_event, load_event, with_round_sizes
from mixer.errors import InputError
from mixer.io.event_file import read_event_settings
from mixer.io.plan_file import plan_from_json, plan_to_json
from mixer.layout import round_layout
from mixer.model import Event, Participant, RoundSeating, RoundTables, Table, TableSeating
from mixer.scoring import bounds, score_plan, score_rounds
from mixer.solvers import solve

from strategies import event_seatings, events
from test_cli import run
from test_scoring import _partitions, _recount

PAIRS_THEN_FIVES = """\
rounds = 5
[tables]
size = 5

[[round_tables]]          # these rounds use their own groups instead of the event's tables
rounds = [1]
size = 2

[[round_tables]]
rounds = [5]
size = 8
"""


def _people(n: int) -> tuple[Participant, ...]:
    return tuple(Participant(id=f"p{i}", name=f"P{i}", organisation="AB"[i % 2], level="XYZ"[i % 3]) for i in range(n))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _people_csv(tmp_path: Path, n: int) -> Path:
    return _write(tmp_path, "people.csv", "Name,Organisation\n" + "".join(f"Person {i},Org {i % 7}\n" for i in range(n)))


def assert_groups_as_asked(event: Event, rounds) -> None:  # type: ignore[no-untyped-def]
    """Each round is seated in its own tables: everyone present once, groups balanced and within the size asked."""
    for seating in rounds:
        r = seating.round
        seated = [pid for ts in seating.tables for pid in ts.participants]
        assert sorted(seated) == sorted(event.present(r))
        capacity = {t.id: t.capacity for t in event.tables_in(r)}
        sizes = [len(ts.participants) for ts in seating.tables]
        assert all(len(ts.participants) <= capacity[ts.table] for ts in seating.tables)
        spec = event.round_groups(r)
        if spec is not None and seated:
            assert max(sizes) - min(sizes) <= 1
            assert spec.size is None or max(sizes) <= spec.size
            expected_groups = min(spec.count, len(seated)) if spec.count else math.ceil(len(seated) / spec.size)
            if spec.size is None or spec.count is None:
                assert len(sizes) == expected_groups


def test_event_file_pairs_then_fives(tmp_path):
    """The README's example: pairs in round 1, fives in rounds 2 to 4, groups of 8 in round 5."""
    settings_ = read_event_settings(_write(tmp_path, "event.toml", PAIRS_THEN_FIVES))
    assert settings_.round_tables == (RoundTables(rounds=(1,), size=2), RoundTables(rounds=(5,), size=8))
    event = assemble_event(_people(50), settings_)
    assert list(round_layout(event, 1).values()) == [2] * 25
    assert list(round_layout(event, 3).values()) == [5] * 10
    assert sorted(round_layout(event, 5).values()) == [7] * 6 + [8]
    assert set(round_layout(event, 1)) & {t.id for t in event.tables} == set()
    assert [t.display_name for t in event.tables_in(5)][:2] == ["Group 1", "Group 2"]
    assert [event.at_event_tables(r) for r in range(1, 6)] == [False, True, True, True, False]


def test_count_gives_that_many_groups(tmp_path):
    text = "rounds = 2\n[tables]\nsize = 5\n[[round_tables]]\nrounds = [2]\ncount = 4\n"
    event = assemble_event(_people(22), read_event_settings(_write(tmp_path, "event.toml", text)))
    assert sorted(round_layout(event, 2).values()) == [5, 5, 6, 6]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[round_tables]]\nrounds = [1]\n", "give `size` (people per group) or `count` (number of groups)"),
        ("[[round_tables]]\nrounds = [1]\nsize = 2\nsise = 3\n", "unknown key 'round_tables[1].sise'; did you mean 'size'?"),
        ("[[round_tables]]\nrounds = [1]\nsize = 0\n", "[[round_tables]] entry 1: size"),
        ("[round_tables]\nrounds = [1]\nsize = 2\n", "write each group size as a [[round_tables]] entry"),
    ],
)
def test_round_tables_errors_name_the_entry(tmp_path, text, fragment):
    with pytest.raises(InputError) as caught:
        read_event_settings(_write(tmp_path, "event.toml", text))
    assert fragment in str(caught.value)


def test_rounds_outside_the_event_or_given_twice_are_reported(tmp_path):
    text = "rounds = 3\n[tables]\nsize = 5\n[[round_tables]]\nrounds = [1, 4]\nsize = 2\n"
    text += "[[round_tables]]\nrounds = [1]\nsize = 3\n"
    with pytest.raises(InputError) as caught:
        load_event(_people_csv(tmp_path, 10), _write(tmp_path, "event.toml", text))
    message = str(caught.value)
    assert "round 4 has its own groups, but the rounds are 1 to 3" in message
    assert "round 1 is given its own groups more than once" in message


def test_command_line_sizes_override_the_file():
    file_specs = (RoundTables(rounds=(1, 2), size=2), RoundTables(rounds=(5,), count=3))
    assert with_round_sizes(file_specs, {2: 4, 3: 4, 5: 8}) == (
        RoundTables(rounds=(1,), size=2), RoundTables(rounds=(2, 3), size=4), RoundTables(rounds=(5,), size=8))


def test_event_tables_may_not_take_a_group_id():
    with pytest.raises(ValidationError, match="kept for a round's own groups"):
        Event(participants=_people(4), tables=[Table(id="r1-g1", capacity=4)], rounds=1)


def test_a_person_alone_in_a_group_is_a_warning():
    event = Event(participants=_people(7), tables=[Table(id="A", capacity=7)], rounds=1,
                  round_tables=[RoundTables(rounds=(1,), size=2)])
    warnings = [str(p) for p in check_event(event) if not p.fatal]
    assert warnings == ["round 1: groups of 2 for 7 people leave one person alone in Group 4"]


@given(events(round_tables=True))
def test_layouts_give_the_sizes_asked_for(event):
    """A round with its own size or count: groups balanced (differ by at most one), none over the size."""
    for r in range(1, event.rounds + 1):
        layout = round_layout(event, r)
        assert sum(layout.values()) == len(event.present(r))
        spec = event.round_groups(r)
        if spec is not None and layout:
            assert max(layout.values()) - min(layout.values()) <= 1
            assert spec.size is None or max(layout.values()) <= spec.size
            assert all(table_id.startswith(f"r{r}-g") for table_id in layout)


@given(event_seatings(round_tables=True))
def test_score_and_bounds_agree_with_a_recount(case):
    """With rounds of different sizes, score_rounds matches a plain recount and no seating beats the bounds."""
    event, rounds = case
    score = score_rounds(event, rounds)
    expected = _recount(event, rounds)
    assert (score.repeats, score.new_met, score.total_violations) == (expected["repeats"], expected["new_met"], 0)
    assert score.value == pytest.approx(expected["value"], abs=1e-6)
    assert score.repeats >= score.bounds.repeats_lower_bound
    assert score.value <= score.bounds.value_upper_bound + 1e-6


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([(6, 3, 2), (6, 2, 3), (5, 3, 2), (6, 3, None)]),
       st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from([None, "1", "2"])), min_size=6, max_size=6))
def test_bounds_hold_against_the_true_optimum_with_mixed_sizes(shape, attributes):
    """On events small enough to try every plan, with one round in groups of another size, no plan beats either bound."""
    people_count, table_size, group_size = shape
    rounds = 2 if group_size else 3
    people = [Participant(id=f"p{i}", name=f"P{i}", organisation=o, level=lv) for i, (o, lv) in enumerate(attributes)]
    people = people[:people_count]
    own = (RoundTables(rounds=(1,), size=group_size),) if group_size else (RoundTables(rounds=(2,), count=1),)
    event = Event(participants=people, rounds=rounds, round_tables=own,
                  tables=[Table(id=str(t), capacity=table_size) for t in range(-(-people_count // table_size))])
    ids = [p.id for p in people]
    options = []
    for r in range(1, rounds + 1):
        layout = round_layout(event, r)
        options.append([
            [r, tuple(zip(layout, seating))] for seating in _partitions(ids, list(layout.values()))
        ])
    scores = []
    for plan in itertools.product(*options):
        seated = [RoundSeating(round=r, tables=tuple(TableSeating(table=t, participants=g) for t, g in groups))
                  for r, groups in plan]
        scores.append(score_rounds(event, seated))
    limits = bounds(event)
    assert max(s.value for s in scores) <= limits.value_upper_bound + 1e-9
    assert min(s.repeats for s in scores) >= limits.repeats_lower_bound


@pytest.mark.parametrize(("solver", "examples", "people", "limit"),
                         [("greedy", 15, 24, None), ("local", 10, 24, 0.3), ("cpsat", 5, 10, 1.0)])
def test_every_solver_seats_each_round_in_its_own_groups(solver, examples, people, limit):
    """Random events with per-round sizes: every solver's groups have the sizes asked for and score as recounted."""

    @settings(max_examples=examples, deadline=None)
    @given(events(max_people=people, max_rounds=3 if solver == "cpsat" else 5, round_tables=True))
    def check(event: Event) -> None:
        plan = solve(event, solver=solver, seed=1, time_limit=limit)
        assert_groups_as_asked(event, plan.rounds)
        score = score_plan(plan)
        assert score.total_violations == 0
        assert score.repeats == _recount(event, plan.rounds)["repeats"]

    check()


def test_fifty_people_in_pairs_fives_and_tens():
    """The issue's check: 50 people, pairs, then fives for three rounds, then tens; no repeats are needed."""
    event = Event(participants=_people(50), tables=[Table(id=str(t), capacity=5) for t in range(1, 11)], rounds=5,
                  round_tables=[RoundTables(rounds=(1,), size=2), RoundTables(rounds=(5,), size=10)])
    plan = solve(event, solver="greedy", seed=0, time_limit=1.0)
    assert [Counter(len(ts.participants) for ts in r.tables) for r in plan.rounds] == [
        {2: 25}, {5: 10}, {5: 10}, {5: 10}, {10: 5}]
    assert score_plan(plan).repeats == 0


def test_plan_files_keep_the_round_tables():
    event = Event(participants=_people(6), tables=[Table(id="A", capacity=6)], rounds=2,
                  round_tables=[RoundTables(rounds=(2,), size=2)])
    plan = solve(event, solver="greedy", seed=0)
    again = plan_from_json(plan_to_json(plan))
    assert again == plan and again.event.round_tables == event.round_tables
    old = json.loads(plan_to_json(plan))
    del old["event"]["round_tables"]
    old["rounds"] = old["rounds"][:1] + [{"round": 2, "tables": [{"table": "A", "participants": ["p0", "p1"]}]}]
    assert plan_from_json(json.dumps(old)).event.round_tables == ()


def test_cli_round_size(tmp_path):
    """`mixer plan --round-size 1=2` plans pairs in round 1; `mixer check` takes it too; a bad value is a usage error."""
    people = _people_csv(tmp_path, 12)
    out = tmp_path / "plan.json"
    result = run("plan", str(people), "--rounds", "3", "--table-size", "4", "--round-size", "1=2",
                     "--round-size", "3=6", "-o", str(out), "--solver", "greedy", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tables_per_round"] == [6, 3, 2]
    assert run("check", str(people), "--rounds", "3", "--table-size", "4", "--round-size", "4=2").exit_code == 1
    bad = run("plan", str(people), "--rounds", "3", "--table-size", "4", "--round-size", "1:2", "-o", str(out))
    assert bad.exit_code == 2 and "is not ROUND=SIZE" in bad.output
