"""Assembling an event from participants, event settings and command-line values, and checking it."""

import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixer.assemble import assemble_event, check_event, check_files, load_event
from mixer.people import follow_history
from mixer.constraints import KeepApart, KeepTogether
from mixer.errors import InputError
from mixer.io.event_file import EventSettings
from mixer.model import Event, Participant, Plan, PlanMetadata, RoundSeating, Table, TableSeating

FIXTURES = Path(__file__).parent / "fixtures"


def _people(n: int) -> list[Participant]:
    return [Participant(id=f"p{i}", name=f"Person {i}") for i in range(1, n + 1)]


def _rule(kind: str | None, *people: str, **fields: str) -> dict:
    return {**({"kind": kind} if kind else {}), "people": list(people), **fields}


def _messages(call) -> list[str]:
    """The problems an InputError from ``call`` lists, as text."""
    with pytest.raises(InputError) as caught:
        call()
    return [str(p) for p in caught.value.problems]


def test_table_size_gives_tables_all_of_that_size():
    """With a table size K there are ceil(n/K) tables, each of capacity K, named Table 1, Table 2, ..."""
    event = assemble_event(_people(12), rounds=3, table_size=5)
    assert [(t.id, t.name, t.capacity) for t in event.tables] == [
        ("1", "Table 1", 5),
        ("2", "Table 2", 5),
        ("3", "Table 3", 5),
    ]
    assert (event.rounds, event.name) == (3, "Workshop")


def test_table_count_gives_that_many_tables():
    """With T tables each seats ceil(n/T)."""
    event = assemble_event(_people(14), rounds=2, table_count=4)
    assert [t.capacity for t in event.tables] == [4, 4, 4, 4]


@given(st.integers(12, 300), st.integers(1, 12), st.booleans())
def test_generated_tables_always_seat_everyone(people, k, by_size):
    """Tables from a size or a count always seat everyone, with no more tables than needed."""
    event = assemble_event(_people(people), rounds=1, **({"table_size": k} if by_size else {"table_count": k}))
    capacities = [t.capacity for t in event.tables]
    assert sum(capacities) >= people
    if by_size:
        assert capacities == [k] * math.ceil(people / k)
    else:
        assert capacities == [math.ceil(people / k)] * k


def test_command_line_overrides_the_file():
    """Rounds, name and a table option given directly override the event file's values."""
    settings = EventSettings(name="Day 1", rounds=4, tables=(Table(id="A", capacity=10), Table(id="B", capacity=10)))
    from_file = assemble_event(_people(9), settings)
    assert (from_file.name, from_file.rounds, [t.id for t in from_file.tables]) == ("Day 1", 4, ["A", "B"])
    overridden = assemble_event(_people(9), settings, rounds=2, table_size=3, name="Day 2")
    assert (overridden.name, overridden.rounds) == ("Day 2", 2)
    assert [t.capacity for t in overridden.tables] == [3, 3, 3]


def test_size_and_count_together_fix_both():
    """A table size and a count together give that many tables of that size."""
    event = assemble_event(_people(7), EventSettings(rounds=1, table_size=4, table_count=3))
    assert [t.capacity for t in event.tables] == [4, 4, 4]


def test_more_tables_than_people():
    """Asking for more tables than people is an error about the tables, not a crash."""
    (message,) = _messages(lambda: assemble_event(_people(3), rounds=1, table_count=5))
    assert message.startswith("tables: ") and "5 tables for 3 people" in message


def test_nobody_to_seat():
    """An empty participant list is one clear error, whatever the table options."""
    assert _messages(lambda: assemble_event([], rounds=1, table_count=2)) == [
        "there is nobody to seat: the participant list has no usable rows"
    ]


def test_missing_rounds_and_tables_say_what_to_give():
    """Without rounds or tables the error says which option or key to give, both at once."""
    messages = _messages(lambda: assemble_event(_people(5)))
    assert len(messages) == 2
    assert "--rounds" in messages[0] and "`rounds`" in messages[0]
    assert "--table-size" in messages[1] and "[tables]" in messages[1]


def test_rules_and_attendance_name_people_by_id_or_name():
    """People in rules and attendance may be given by id or by exact name, case ignored."""
    settings = EventSettings(
        rounds=2,
        table_size=3,
        rules=(_rule("keep_apart", "person 1", "p2"),),
        attendance={"PERSON 3": (2,)},
    )
    event = assemble_event(_people(6), settings)
    assert event.rules == (KeepApart(people=("p1", "p2"), origin="rules entry 1"),)
    assert event.attendance == {"p3": (2,)}


def test_rule_naming_an_unknown_person():
    """A rule naming someone who is not a participant is an error naming them."""
    settings = EventSettings(rounds=1, table_size=3, rules=(_rule("keep_together", "p1", "Zed"),))
    (message,) = _messages(lambda: assemble_event(_people(4), settings))
    assert "'Zed'" in message and "not a participant" in message


def test_ambiguous_name_names_both_ids():
    """A name two people share cannot identify a person; the error names both ids."""
    people = [*_people(3), Participant(id="p9", name="person 1")]
    settings = EventSettings(rounds=1, table_size=3, source="day.toml", rules=(_rule("keep_apart", "Person 1", "p2"),))
    (message,) = _messages(lambda: assemble_event(people, settings))
    assert message.startswith("day.toml, rules entry 1 (keep_apart): 'Person 1'")
    assert "(p1)" in message and "(p9)" in message and message.endswith("give the id")


def test_keep_together_larger_than_any_table():
    """A group to keep together that no table can hold is an error naming the rule."""
    settings = EventSettings(rounds=1, table_size=3, rules=(_rule("keep_together", "p1", "p2", "p3", "p4"),))
    (message,) = _messages(lambda: assemble_event(_people(8), settings))
    assert message == "keep_together (rules entry 1: Person 1, Person 2, ... 4 people) needs 4 seats, but the largest table holds 3"


def test_more_people_than_seats():
    """More people than the listed tables seat is an error for each round."""
    settings = EventSettings(rounds=2, tables=(Table(id="A", capacity=4), Table(id="B", capacity=4)))
    messages = _messages(lambda: assemble_event(_people(9), settings))
    assert messages == [
        "tables: 9 people attend round 1 but the tables seat only 8; add tables or raise their capacity",
        "tables: 9 people attend round 2 but the tables seat only 8; add tables or raise their capacity",
    ]


def test_every_fatal_problem_is_raised_at_once():
    """Bad rule kinds, unknown people in attendance and missing rounds all come in one error."""
    settings = EventSettings(
        table_size=3,
        source="day.toml",
        rules=(_rule("keep_apert", "p1", "p2"), _rule(None, "p1", "p2"), _rule("keep_apart", "p1", "P1")),
        attendance={"Nobody": (1,)},
    )
    messages = _messages(lambda: assemble_event(_people(5), settings))
    assert len(messages) == 5
    assert "--rounds" in messages[0]
    assert messages[1] == "day.toml, [attendance]: 'Nobody' is not a participant"
    assert messages[2].startswith("day.toml, rules entry 1 (keep_apert): ") and "did you mean 'keep_apart'?" in messages[2]
    assert messages[3].startswith("day.toml, rules entry 2: ") and "no `kind`" in messages[3]
    assert messages[4] == "day.toml, rules entry 3 (keep_apart): names Person 1 (p1) 2 times"


def test_attendance_outside_the_rounds():
    """Attendance naming a round the event does not have names the person and the round."""
    settings = EventSettings(rounds=2, table_size=3, attendance={"p4": (1, 3)})
    (message,) = _messages(lambda: assemble_event(_people(4), settings))
    assert "Person 4 (p4) attends round 3, but the rounds are 1 to 2" in message


def test_check_event_warns_about_empty_rounds_and_avoidable_small_tables():
    """A round nobody attends and a table of two that bigger tables could avoid are warnings."""
    event = Event(
        participants=_people(7),
        tables=(Table(id="S", capacity=2), Table(id="L", capacity=8)),
        rounds=3,
        attendance={p.id: (1, 2) for p in _people(7)},
    )
    problems = check_event(event)
    assert not any(p.fatal for p in problems)
    assert [p.where for p in problems] == ["round 3", "rounds 1, 2", "rounds"]
    assert problems[2].message.startswith("3 rounds force at least")  # tables of 2 and 5 twice: old pairs meet
    assert problems[0].message == "nobody attends"
    assert problems[1].message.startswith("Table S would seat only 2")


def test_no_small_table_warning_when_unavoidable():
    """Five people at tables of at most three must leave a table of two: no warning."""
    assert check_event(assemble_event(_people(5), rounds=1, table_size=3)) == []


def _plan(event: Event, rounds: list[list[list[str]]]) -> Plan:
    seatings = tuple(
        RoundSeating(
            round=r,
            tables=tuple(TableSeating(table=str(t), participants=tuple(ids)) for t, ids in enumerate(tables, 1)),
        )
        for r, tables in enumerate(rounds, 1)
    )
    return Plan(event=event, rounds=seatings, metadata=PlanMetadata(solver="test"))


def test_follow_history_counts_every_meeting():
    """Each pair sharing a table in a round of any earlier plan counts one meeting (people given in code match by name)."""
    event = assemble_event(_people(4), rounds=2, table_size=2)
    day1 = _plan(event, [[["p1", "p2"], ["p3", "p4"]], [["p1", "p3"], ["p2", "p4"]]])
    day2 = _plan(event, [[["p2", "p1"], ["p3", "p4"]], [["p1", "p4"], ["p2", "p3"]]])
    history = follow_history(_people(4), None, [("day1.json", day1), ("day2.json", day2)]).history
    assert history.counts() == Counter(
        {("p1", "p2"): 2, ("p3", "p4"): 2, ("p1", "p3"): 1, ("p2", "p4"): 1, ("p1", "p4"): 1, ("p2", "p3"): 1}
    )
    assert follow_history(_people(4), None, []).history.meetings == ()


def test_history_is_passed_into_the_event():
    """History given to assemble_event ends up in the event."""
    event = assemble_event(_people(4), rounds=1, table_size=4)
    history = follow_history(_people(4), None, [("day1.json", _plan(event, [[["p1", "p2", "p3", "p4"]]]))]).history
    assert assemble_event(_people(4), rounds=1, table_size=4, history=history).history == history


def test_check_files_reports_every_problem_in_both_files(tmp_path):
    """Roster problems, event file problems and rule problems all come back together, none raised."""
    people = tmp_path / "people.csv"
    people.write_text("Name,Email\nAnn,a@x.org\nBob,A@X.org\nCy,c@x.org\n,d@x.org\n", encoding="utf-8")
    event = tmp_path / "event.toml"
    event.write_text(
        'rounds = 1\ncolor = "red"\n[tables]\nsize = 2\n[[rules]]\nkind = "keep_apart"\npeople = ["Bob", "Cy"]\n'
    )
    problems = [str(p) for p in check_files(people, event)]
    assert problems == [
        "people.csv row 3: duplicate email 'A@X.org' on rows 2 and 3 (Bob)",
        "people.csv row 5: no name (the row has 'd@x.org')",
        f"{event}: unknown key 'color'; expected one of: name, rounds, tables, weights, columns, rules, attendance, pair_values, history, "
            "known_pairs, wanted_pairs, round_tables",
        f"{event}, rules entry 1 (keep_apart): 'Bob' is not a participant",
    ]


def test_check_files_without_event_checks_only_the_list(tmp_path):
    """With no event file and no options only the list is checked; with options, seats are checked too."""
    people = tmp_path / "people.csv"
    people.write_text("Name\nAnn\nBob\nCy\n", encoding="utf-8")
    assert check_files(people) == []
    problems = check_files(people, rounds=1, table_size=1, table_count=2)
    assert [p.message for p in problems] == [
        "3 people attend round 1 but the tables seat only 2; add tables or raise their capacity"
    ]


def test_check_files_with_unreadable_files(tmp_path):
    """Files that cannot be read at all are problems too, not exceptions."""
    bad_toml = tmp_path / "event.toml"
    bad_toml.write_text("rounds = \n")
    problems = check_files(tmp_path / "missing.csv", bad_toml)
    assert [p.message for p in problems] == ["file not found", "not valid TOML: Invalid value"]


def test_load_event_from_files():
    """load_event reads both files, resolves names and returns the event with its warnings."""
    event, warnings = load_event(FIXTURES / "people_messy.csv", FIXTURES / "event.toml")
    assert event.name == "Pilot cohort, day 1"
    assert event.rules == (KeepApart(people=("ak@example.org", "wx@example.org"), origin="rules entry 1"),)
    assert event.attendance == {"wx@example.org": (2,)}
    assert [t.capacity for t in event.tables] == [2, 2]
    assert warnings == []


def test_load_event_raises_for_fatal_problems(tmp_path):
    """load_event raises with every fatal problem from the list and the event."""
    people = tmp_path / "people.csv"
    people.write_text("ID,Name\n1,Ann\n1,Bob\n", encoding="utf-8")
    messages = _messages(lambda: load_event(people, rounds=1))
    assert messages[0] == "people.csv row 3: duplicate id '1' on rows 2 and 3 (Bob)"
    assert "--table-size" in messages[1]


def test_keep_together_rule_is_built():
    """A valid keep_together rule comes through as the rule model with resolved ids."""
    rule = _rule("keep_together", "Person 2", "p3", note="interpreter")
    settings = EventSettings(rounds=1, table_size=3, rules=(rule,))
    assert assemble_event(_people(6), settings).rules == (KeepTogether(people=("p2", "p3"), note="interpreter", origin="rules entry 1"),)


refs = st.sampled_from(["p1", "P2", "person 3", "Person 1", "Zed", "", 4, 2.5, None])
rules = st.fixed_dictionaries(
    {"kind": st.sampled_from(["keep_apart", "keep_together", "keep", 3])},
    optional={"people": st.lists(refs, max_size=4) | refs, "note": st.sampled_from(["x", 1]), "extra": st.just(1)},
)


@given(
    st.lists(rules, max_size=3),
    st.dictionaries(st.sampled_from(["p1", "person 2", "Nobody", "p3"]), st.lists(st.integers(0, 4), max_size=3)),
    st.integers(1, 6),
    st.sampled_from([None, 1, 3]),
)
def test_any_rules_and_attendance_give_an_event_or_input_error(rule_list, attendance, people, size):
    """Whatever rules and attendance say, assembling gives an event or an InputError, never another exception."""
    settings = EventSettings(rules=tuple(rule_list), attendance=attendance, rounds=3)
    try:
        event = assemble_event(_people(people), settings, table_size=size)
    except InputError as exc:
        assert exc.problems and all(p.fatal for p in exc.problems)
    else:
        assert not [p for p in check_event(event) if p.fatal]
