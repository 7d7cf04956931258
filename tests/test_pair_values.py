"""Pair values: read from a CSV named by the event file or the command line, scored exactly as written."""

from __future__ import annotations

import random
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cpsat import every_plan

from mixer import scoring
from mixer.assemble import check_files, load_event
from mixer.errors import InputError
from mixer.io.event_file import read_event_settings
from mixer.model import Event, PairValue, Participant, Table
from mixer.people import PeopleIndex
from mixer.scoring import PairTable, score_plan, score_rounds
from mixer.solvers import solve

PEOPLE = "id,name,organisation\n1,Ann Lee,A\n2,Bob Roy,B\n3,Cy Day,A\n4,Dee Fox,C\n5,Émile Zola,B\n6,Fay Wu,C\n"


def files(tmp_path: Path, values: str, event: str = "") -> tuple[Path, Path]:
    """A participant list and, in a sub-folder with its values file, an event file naming it."""
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    folder = tmp_path / "event"
    folder.mkdir()
    (folder / "values.csv").write_text(values, encoding="utf-8")
    toml = event or 'rounds = 2\ntables = { count = 2, size = 3 }\npair_values = "values.csv"\n'
    (folder / "event.toml").write_text(toml, encoding="utf-8")
    return tmp_path / "people.csv", folder / "event.toml"


def test_values_from_the_event_file_score_exactly_as_written(tmp_path: Path) -> None:
    """People by id or by name (accents and case forgiven); unlisted pairs are worth 0; the value is the sum listed."""
    people, event_file = files(tmp_path, "a,b,value\nAnn Lee,Bob Roy,5\n1,3,-2.5\nemile zola,6,0.25\n")
    event, warnings = load_event(people, event_file)
    assert not [w for w in warnings if "values.csv" in str(w)]
    assert set(event.pair_values or ()) == {
        PairValue(a="1", b="2", value=5), PairValue(a="1", b="3", value=-2.5), PairValue(a="5", b="6", value=0.25)
    }
    listed = {("1", "2"): 5.0, ("1", "3"): -2.5, ("5", "6"): 0.25}
    plan = solve(event, solver="greedy", seed=0)
    met = {pair for s in plan.rounds for ts in s.tables for pair in combinations(sorted(ts.participants), 2)}
    assert score_plan(plan).value == pytest.approx(sum(listed.get(pair, 0.0) for pair in met))


def test_inline_tables_mean_the_same_as_a_section(tmp_path: Path) -> None:
    inline = tmp_path / "inline.toml"
    inline.write_text("tables = { count = 10, size = 12 }\n", encoding="utf-8")
    section = tmp_path / "section.toml"
    section.write_text("[tables]\ncount = 10\nsize = 12\n", encoding="utf-8")
    read = [read_event_settings(p) for p in (inline, section)]
    assert (read[0].table_count, read[0].table_size) == (read[1].table_count, read[1].table_size) == (10, 12)


def test_command_line_file_overrides_the_event_file(tmp_path: Path) -> None:
    people, event_file = files(tmp_path, "a,b,value\n1,2,5\n")
    other = tmp_path / "other.csv"
    other.write_text("a;b;value\nCy Day;Dee Fox;7\n", encoding="utf-8")
    event, _ = load_event(people, event_file, pair_values=other)
    assert event.pair_values == (PairValue(a="3", b="4", value=7),)


def test_every_bad_row_is_reported_with_file_and_row(tmp_path: Path) -> None:
    people, event_file = files(tmp_path, "a,b,value\nAnn Lee,Nobody,1\n2,1,x\n4,4,1\n1,2,3\n2,1,3\n")
    messages = [str(p) for p in check_files(people, event_file)]
    assert any("row 2" in m and "'Nobody' is not a participant" in m for m in messages)
    assert any("row 3" in m and "not a number" in m for m in messages)
    assert any("row 4" in m and "with themselves" in m for m in messages)
    assert any("row 6" in m and "listed twice" in m for m in messages)
    with pytest.raises(InputError, match="values.csv"):
        load_event(people, event_file)


def test_each_person_named_in_many_rows_is_looked_up_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """960 people make 460,000 rows: a reference is resolved once, and one that names nobody is reported on every row."""
    named = ["Ann Lee", "Bob Roy", "3", "4", "emile zola", "6"]
    rows = "".join(f"{a},{b},1\n" for a, b in combinations(named, 2))
    people, event_file = files(tmp_path, "a,b,value\n" + rows + "Nobody,1,1\nNobody,2,1\n")
    looked_up: list[str] = []
    find = PeopleIndex.find
    monkeypatch.setattr(PeopleIndex, "find", lambda index, ref: looked_up.append(ref) or find(index, ref))
    messages = [str(p) for p in check_files(people, event_file)]
    assert len(looked_up) <= 2 * len({*named, "Nobody", "1", "2"})  # was 4 a row
    assert all(any(f"row {row}" in m and "'Nobody' is not a participant" in m for m in messages) for row in (17, 18))


def test_missing_columns_and_files_are_named(tmp_path: Path) -> None:
    people, event_file = files(tmp_path, "first,second,value\n1,2,3\n")
    with pytest.raises(InputError, match="needs columns a, b and value; a, b not found"):
        load_event(people, event_file)
    with pytest.raises(InputError, match="pair values file not found"):
        load_event(people, event_file, pair_values=tmp_path / "nope.csv")


def valued_event(values: list[float], rounds: int = 2) -> Event:
    people = tuple(Participant(id=str(i), name=f"P{i}") for i in range(6))
    pairs = list(combinations(range(6), 2))
    return Event(
        participants=people,
        tables=(Table(id="A", capacity=3), Table(id="B", capacity=3)),
        rounds=rounds,
        pair_values=tuple(PairValue(a=str(i), b=str(j), value=v) for (i, j), v in zip(pairs, values)),
    )


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False).map(lambda v: round(v, 2)), min_size=15, max_size=15))
def test_bounds_hold_with_negative_values(values: list[float]) -> None:
    """No plan, found by trying them all, beats the value upper bound, whatever the signs of the values."""
    event = valued_event(values)
    worth = {(v.a, v.b): v.value for v in event.pair_values or ()}
    plans = every_plan(event)
    best = max(
        sum(worth[pair] for pair in {p for s in plan for ts in s.tables for p in combinations(ts.participants, 2)})
        for plan in plans
    )
    assert best <= score_rounds(event, plans[0]).bounds.value_upper_bound + 1e-9


def test_cpsat_finds_the_best_plan_with_negative_values() -> None:
    """Pairs that should rather not meet are kept apart when that is best (checked against every plan)."""
    rng = random.Random(4)
    event = valued_event([rng.choice([-3.0, -1.0, 0.5, 2.0]) for _ in range(15)])
    plan = solve(event, solver="cpsat", seed=0, time_limit=2.0)
    assert plan.metadata.optimal
    best = min(score_rounds(event, p).key()[:3] for p in every_plan(event))
    assert score_plan(plan).key()[:3] == best


def test_one_solve_gathers_the_listed_values_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part of auto builds its pair table: the listed values (460,000 at 960 people) are gathered only once."""
    event = valued_event([float(v) for v in range(15)])
    gathered: list[int] = []
    symmetric = scoring._symmetric

    def counting(n, index, entries, dtype):  # type: ignore[no-untyped-def]
        entries = list(entries)
        if entries:
            gathered.append(len(entries))
        return symmetric(n, index, entries, dtype)

    monkeypatch.setattr(scoring, "_symmetric", counting)
    plan = solve(event, solver="auto", seed=0)
    assert gathered == [15]
    assert score_plan(plan).value == score_rounds(event, plan.rounds).value


def test_a_pair_listed_either_way_round_has_one_value() -> None:
    """Values fill both halves of the matrix; a pair listed as (b, a) after (a, b) takes the later value."""
    event = valued_event([])
    listed = (PairValue(a="1", b="0", value=2.0), PairValue(a="2", b="3", value=1.0), PairValue(a="3", b="2", value=5.0))
    value = PairTable.of(event.model_copy(update={"pair_values": listed})).value
    assert value[0, 1] == value[1, 0] == 2.0 and value[2, 3] == value[3, 2] == 5.0 and value.sum() == 14.0
