"""Plan files: exact round trips, the stable top-level shape, atomic writes, and clear errors for bad files."""

import json
import os
import random
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mixer.io.atomic
from mixer.errors import InputError
from mixer.io import plan_file
from mixer.io.plan_file import plan_from_json, plan_to_json, read_plan, write_plan
from mixer.model import Event, PairValue, Participant, Plan, PlanMetadata, Table
from mixer.scoring import score_rounds

from strategies import plans, seatings


def _plan(names=("Ann", "Bob", "Cy", "Dee")) -> Plan:
    event = Event(
        participants=[Participant(id=str(i), name=n, organisation="Org") for i, n in enumerate(names, start=1)],
        tables=[Table(id="A", capacity=2), Table(id="B", capacity=2)],
        rounds=2,
    )
    rounds = seatings(event, random.Random(7))
    return Plan(event=event, rounds=rounds, metadata=PlanMetadata(solver="greedy", seed=7),
                score=score_rounds(event, rounds).summary())


@given(plans())
def test_round_trip_text(plan):
    """Text -> plan -> text is exact, and the plan read back equals the plan written."""
    text = plan_to_json(plan)
    again = plan_from_json(text)
    assert again == plan
    assert plan_to_json(again) == text


@given(plans())
def test_round_trip_file(plan):
    """Writing a plan file and reading it back gives the same plan and the same bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        write_plan(plan, path)
        assert read_plan(path) == plan
        assert path.read_bytes() == plan_to_json(plan).encode("utf-8")


def test_non_latin_text_is_written_as_is():
    """Names in any script are stored readably, not as escapes."""
    text = plan_to_json(_plan(("Zoë", "山田 太郎", "محمد", "Ђорђе")))
    assert "山田 太郎" in text and "\\u" not in text


def test_many_pair_values_are_written_without_indents(monkeypatch):
    """An event listing more pair values than anyone reads (460,000 at 960 people) is written on one line, exactly."""
    plan = _plan()
    listed = (PairValue(a="1", b="2", value=1.5), PairValue(a="1", b="3", value=2.0), PairValue(a="2", b="4", value=-1))
    plan = plan.model_copy(update={"event": plan.event.model_copy(update={"pair_values": listed})})
    assert plan_to_json(plan).count("\n") > 1
    monkeypatch.setattr(plan_file, "INDENTED_UP_TO", 2)
    text = plan_to_json(plan)
    assert text.count("\n") == 1 and plan_from_json(text) == plan


def test_top_level_shape():
    """The file has format, version, event (participants, tables), rounds, metadata and score."""
    plan = _plan()
    body = json.loads(plan_to_json(plan))
    assert list(body) == ["format", "version", "event", "rounds", "metadata", "score"]
    assert (body["format"], body["version"]) == ("mixer-plan", 1)
    assert body["event"]["participants"][0]["id"] == "1" and body["event"]["participants"][0]["name"] == "Ann"
    assert [t["id"] for t in body["event"]["tables"]] == ["A", "B"]
    assert [r["round"] for r in body["rounds"]] == [1, 2]
    first = body["rounds"][0]["tables"][0]
    assert set(first) == {"table", "participants"} and first["table"] == "A" and len(first["participants"]) == 2
    assert body["metadata"]["solver"] == "greedy"
    assert body["score"]["repeats"] == plan.score["repeats"]


def _no_temp_files(folder: Path) -> bool:
    return [p.name for p in folder.iterdir()] == ["plan.json"]


@pytest.mark.parametrize("failing", ["replace", "fsync", "serialise", "interrupt"])
def test_failed_write_keeps_old_file(tmp_path, monkeypatch, failing):
    """If writing fails at any point, the old file is intact and no temporary file is left."""
    path = tmp_path / "plan.json"
    write_plan(_plan(), path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise KeyboardInterrupt if failing == "interrupt" else OSError(28, "No space left on device")

    target = {"replace": (mixer.io.atomic.os, "replace"), "fsync": (mixer.io.atomic.os, "fsync"),
              "serialise": (plan_file, "plan_to_json"), "interrupt": (mixer.io.atomic.os, "replace")}[failing]
    monkeypatch.setattr(*target, fail)
    with pytest.raises((OSError, KeyboardInterrupt)):
        write_plan(_plan(("Eve", "Fay", "Gus", "Hal")), path)
    assert path.read_bytes() == before
    assert _no_temp_files(tmp_path)


def test_write_replaces_whole_file(tmp_path):
    """Writing over a longer plan file leaves exactly the new plan."""
    path = tmp_path / "plan.json"
    path.write_text("x" * 100_000)
    write_plan(_plan(), path)
    assert read_plan(path) == _plan() and _no_temp_files(tmp_path)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_written_file_has_usual_permissions(tmp_path):
    """A new plan file gets the permissions any new file gets; a replaced one keeps its own."""
    fresh, probe = tmp_path / "plan.json", tmp_path / "probe"
    probe.write_text("")
    write_plan(_plan(), fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE(probe.stat().st_mode)
    fresh.chmod(0o640)
    write_plan(_plan(), fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o640


def _valid_body() -> dict:
    return json.loads(plan_to_json(_plan()))


def _without(body: dict, *keys: str) -> dict:
    parent = body
    for key in keys[:-1]:
        parent = parent[key]
    del parent[keys[-1]]
    return body


BAD_FILES = [
    ("{not json", "not valid JSON"),
    ("", "not valid JSON"),
    ("[1, 2]", "not a mixer plan file"),
    (json.dumps({"format": "something-else", "version": 1}), "not a mixer plan file"),
    (json.dumps({**_valid_body(), "version": 2}), "version 2 is not supported"),
    (json.dumps(_without(_valid_body(), "version")), "version None is not supported"),
    (json.dumps(_without(_valid_body(), "rounds")), "rounds: is required"),
    (json.dumps(_without(_valid_body(), "event", "participants", 0, "name")), "event.participants.0.name: is required"),
    (json.dumps({**_valid_body(), "metadata": {"solver": "x", "time_used": "soon"}}), "metadata.time_used"),
    (json.dumps({**_valid_body(), "rounds": _valid_body()["rounds"][::-1]}), "rounds must be numbered 1, 2"),
    (json.dumps({**_valid_body(), "extra": 1}), "extra"),
    ('{"format": "mixer-plan", "version": 1, "rounds": ' + "9" * 5000 + "}", "not valid JSON"),
]


@pytest.mark.parametrize("content, fragment", BAD_FILES)
def test_bad_file_names_file_and_field(tmp_path, content, fragment):
    """A bad plan file raises InputError naming the file and what is wrong in it."""
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert str(path) in str(caught.value) and fragment in str(caught.value)


def test_unreadable_files(tmp_path):
    """A missing file, a folder, or bytes that are not UTF-8 raise InputError naming the path."""
    binary = tmp_path / "binary.json"
    binary.write_bytes(b'{"format": "mixer-plan", "\xff\xfe": 1}')
    for path, fragment in [(tmp_path / "missing.json", "cannot read"), (tmp_path, "cannot read"),
                           (binary, "not UTF-8")]:
        with pytest.raises(InputError) as caught:
            read_plan(path)
        assert str(path) in str(caught.value) and fragment in str(caught.value)


def test_byte_order_mark_accepted(tmp_path):
    """A plan file saved with a UTF-8 byte order mark reads like one without."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + plan_to_json(_plan()).encode("utf-8"))
    assert read_plan(path) == _plan()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10) | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _paths(node, prefix=()):
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        yield from _paths(child, (*prefix, key))


@given(st.data())
def test_damaged_files_raise_only_input_error(data):
    """Any value replaced or removed anywhere in a plan file either still reads or raises InputError."""
    body = _valid_body()
    path = data.draw(st.sampled_from(list(_paths(body))[1:]))
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(JSON_VALUES)
    try:
        plan_from_json(json.dumps(body), source="damaged.json")
    except InputError as exc:
        assert str(exc).startswith("damaged.json: ")


def _variant(plan: Plan, *, interrupted: bool, swap: bool = False) -> Plan:
    """The plan marked (or not) as interrupted; ``swap`` gives a worse seating with a repeat."""
    rounds = plan.rounds
    if swap:
        first = rounds[0]
        rounds = (first, first.model_copy(update={"round": 2}), *rounds[2:])
    return plan.model_copy(update={"rounds": rounds,
                                   "metadata": plan.metadata.model_copy(update={"interrupted": interrupted})})


def _two_round_plan() -> Plan:
    people = tuple(Participant(id=str(i), name=f"P{i}") for i in range(4))
    event = Event(participants=people, tables=(Table(id="A", capacity=2), Table(id="B", capacity=2)), rounds=2)
    return Plan(event=event, rounds=seatings(event, random.Random(0)), metadata=PlanMetadata(solver="test"))


def test_save_plan_overwrites_after_a_finished_solve(tmp_path):
    """A plan from a solve that ran to its end replaces the file, even a better one."""
    good = _two_round_plan()
    target = tmp_path / "plan.json"
    plan_file.save_plan(good, target)
    worse = _variant(good, interrupted=False, swap=True)
    assert plan_file.save_plan(worse, target) == target
    assert read_plan(target) == worse


def test_interrupted_solve_never_replaces_a_better_plan(tmp_path):
    """An interrupted solve's worse plan goes beside the existing file, which stays as it was."""
    good = _two_round_plan()
    target = tmp_path / "plan.json"
    plan_file.save_plan(good, target)
    before = target.read_bytes()
    written = plan_file.save_plan(_variant(good, interrupted=True, swap=True), target)
    assert written == tmp_path / "plan.interrupted.json"
    assert target.read_bytes() == before
    assert read_plan(written).metadata.interrupted


def test_interrupted_solve_replaces_a_worse_plan(tmp_path):
    """An interrupted solve that beats the existing plan replaces it."""
    good = _two_round_plan()
    target = tmp_path / "plan.json"
    plan_file.save_plan(_variant(good, interrupted=False, swap=True), target)
    assert plan_file.save_plan(_variant(good, interrupted=True), target) == target
    assert read_plan(target).metadata.interrupted


def test_interrupted_solve_keeps_an_unreadable_file(tmp_path):
    """A file that is not a plan is not overwritten by an interrupted solve."""
    target = tmp_path / "plan.json"
    target.write_text("notes, not a plan")
    written = plan_file.save_plan(_variant(_two_round_plan(), interrupted=True), target)
    assert written != target and target.read_text() == "notes, not a plan"
