"""The data model: validation errors name the field and value at fault; helpers answer in participant order."""

from collections import Counter

import pytest
from pydantic import ValidationError

from mixer.io.messages import describe_validation_error
from mixer.model import (
    Event,
    History,
    Participant,
    PastMeeting,
    Plan,
    PlanMetadata,
    RoundSeating,
    Table,
    TableSeating,
    pairs_of,
)


def _people(*ids: str) -> list[Participant]:
    return [Participant(id=pid, name=f"Person {pid}") for pid in ids]


def _event(**changes) -> Event:
    fields = {"participants": _people("a", "b", "c", "d"), "tables": [Table(id="1", capacity=2), Table(id="2", capacity=2)],
              "rounds": 2}
    return Event(**{**fields, **changes})


def _error(build) -> str:
    with pytest.raises(ValidationError) as caught:
        build()
    return describe_validation_error(caught.value)


def test_duplicate_participant_ids():
    """Two participants with one id are rejected, naming the id."""
    message = _error(lambda: _event(participants=_people("a", "b", "a")))
    assert "duplicate participant id" in message and "'a'" in message


def test_duplicate_table_ids():
    """Two tables with one id are rejected, naming the id."""
    message = _error(lambda: _event(tables=[Table(id="7", capacity=4), Table(id="7", capacity=4)]))
    assert "duplicate table id" in message and "'7'" in message


def test_attendance_names_unknown_participant():
    """Attendance for someone not in the event names that id."""
    message = _error(lambda: _event(attendance={"zed": (1,)}))
    assert "attendance" in message and "'zed'" in message


def test_attendance_round_out_of_range():
    """Attendance of a round the event does not have names the person, the round and the valid range."""
    message = _error(lambda: _event(attendance={"b": (1, 3)}))
    assert "'b'" in message and "round 3" in message and "1 to 2" in message


def test_table_capacity_zero():
    """A table of capacity 0 is rejected, naming the field and the value."""
    message = _error(lambda: Event.model_validate(
        {"participants": [{"id": "a", "name": "A"}], "tables": [{"id": "1", "capacity": 0}], "rounds": 1}))
    assert "tables.0.capacity" in message and "(got 0)" in message


def test_participant_needs_id_and_name():
    """A blank id or a missing name is reported with the field."""
    assert _error(lambda: Participant(id="  ", name="X")).startswith("id: ")
    assert "name: is required" in _error(lambda: Participant.model_validate({"id": "1"}))


def test_unknown_field_rejected():
    """A misspelt field is rejected and named, not silently ignored."""
    assert "organization" in _error(lambda: Participant.model_validate({"id": "1", "name": "X", "organization": "Y"}))


def test_blank_attributes_are_unknown():
    """Blank organisation, sector or level mean unknown; text is trimmed."""
    person = Participant(id=" 1 ", name=" Zoë ", organisation="  ", sector="", level=" senior ")
    assert (person.id, person.name, person.organisation, person.sector, person.level) == ("1", "Zoë", None, None, "senior")


def test_meeting_oneself_rejected():
    """A past meeting of a person with themselves is rejected, naming them."""
    assert "'a'" in _error(lambda: PastMeeting(a="a", b="a"))


def test_history_counts_pairs_in_either_order():
    """History adds up meetings of a pair however it is written."""
    history = History(meetings=(PastMeeting(a="b", b="a"), PastMeeting(a="a", b="b", times=2), PastMeeting(a="a", b="c")))
    assert history.counts() == Counter({("a", "b"): 3, ("a", "c"): 1})
    assert History.from_counts(history.counts()).counts() == history.counts()


def test_attendance_and_presence():
    """People not in attendance attend every round; present lists ids in participant order."""
    event = _event(attendance={"b": (2,), "c": ()})
    assert event.present(1) == ["a", "d"]
    assert event.present(2) == ["a", "b", "d"]
    assert not event.attends("c", 2) and event.attends("a", 1)


def test_lookups():
    """Participants and tables are found by id; an unknown id raises KeyError."""
    event = _event()
    assert event.participant("c").name == "Person c"
    assert event.table("2").display_name == "Table 2"
    with pytest.raises(KeyError):
        event.participant("zz")


def test_pairs_of_sorted():
    """Pairs of a group are unordered, each in sorted order."""
    assert pairs_of(["c", "a", "b"]) == [("a", "c"), ("b", "c"), ("a", "b")]


def _rounds(*numbers: int) -> list[RoundSeating]:
    return [RoundSeating(round=n, tables=(TableSeating(table="1", participants=("a", "b")),)) for n in numbers]


def test_plan_rounds_numbered_in_order():
    """A plan whose rounds are not numbered 1..R is rejected, showing the numbers given."""
    message = _error(lambda: Plan(event=_event(), rounds=_rounds(1, 3), metadata=PlanMetadata(solver="x")))
    assert "[1, 3]" in message


def test_plan_round_count_matches_event():
    """A plan with fewer rounds than the event is rejected, naming both counts."""
    message = _error(lambda: Plan(event=_event(), rounds=_rounds(1), metadata=PlanMetadata(solver="x")))
    assert "1 rounds" in message and "has 2" in message


def test_plan_seating():
    """A valid plan gives its seating as nested lists and table_of maps people to tables."""
    plan = Plan(event=_event(), rounds=_rounds(1, 2), metadata=PlanMetadata(solver="x"))
    assert plan.seating() == [[["a", "b"]], [["a", "b"]]]
    assert plan.rounds[0].table_of() == {"a": "1", "b": "1"}
