"""``mixer resolve``, ``mixer attendance`` and ``mixer diff`` as a facilitator uses them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_cli import run, write
from test_resolve import round_texts

from mixer.io.plan_file import read_plan
from mixer.scoring import score_plan


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("day") / "plan.json"
    assert run("demo", "--out-dir", out.parent, "--time-limit", "1", "--json").exit_code == 0
    return out


def names(plan_file: Path) -> list[str]:
    return [p.name for p in read_plan(plan_file).event.participants]


def test_resolve_with_absences_and_arrivals(plan_file: Path, tmp_path: Path) -> None:
    people = names(plan_file)
    arrivals = write(tmp_path / "walkins.csv", "Name,Organisation\nNia Walker,Walk-in Org\nOmar Said,\n")
    out = tmp_path / "plan2.json"
    result = run("resolve", plan_file, "--from-round", "2", "--absent", people[0], "--absent", people[1].lower(),
                 "--absent", f"{people[2]}, {people[3]}", "--absent", people[4], "--arrive", arrivals,
                 "--time-limit", "0.5", "-o", out, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    old, new = read_plan(plan_file), read_plan(out)
    assert round_texts(out.read_text(encoding="utf-8"))[:1] == round_texts(plan_file.read_text(encoding="utf-8"))[:1]
    assert [p["name"] for p in report["changes"]["people_added"]] == ["Nia Walker", "Omar Said"]
    gone = {p.id for p in old.event.participants[:5]}
    for seating in new.rounds[1:]:
        assert not gone & set(seating.table_of())
        assert len(seating.table_of()) == 47
    score = score_plan(new)
    assert score.total_violations == 0 and report["repeats"] == score.repeats
    assert report["changes"]["moved_seats"] == new.metadata.lineage.moved_seats
    diff = run("diff", plan_file, out, "--json")
    assert json.loads(diff.output) == report["changes"]
    text = run("diff", plan_file, out).output
    assert "Nia Walker at" in text and f"{people[0]} (was at" in text


def test_unknown_or_ambiguous_names_write_nothing(plan_file: Path, tmp_path: Path) -> None:
    people = names(plan_file)
    out = tmp_path / "plan2.json"
    result = run("resolve", plan_file, "--from-round", "2", "--absent", people[0][:-1] + "q", "-o", out)
    assert result.exit_code == 1
    assert f"did you mean {people[0]!r}" in result.output
    result = run("resolve", plan_file, "--from-round", "2", "--absent", people[0][0], "-o", out)
    assert result.exit_code == 1 and "could be any of" in result.output
    result = run("resolve", plan_file, "--from-round", "2", "--leave", "Someone", "-o", out)
    assert result.exit_code == 1 and "Name@3" in result.output
    assert not out.exists()


def test_leave_at_a_round(plan_file: Path, tmp_path: Path) -> None:
    person = read_plan(plan_file).event.participants[7]
    out = tmp_path / "plan2.json"
    result = run("resolve", plan_file, "--from-round", "2", "--leave", f"{person.name}@3", "--time-limit", "0.2",
                 "-o", out)
    assert result.exit_code == 0, result.output
    new = read_plan(out)
    assert person.id in new.rounds[1].table_of() and person.id not in new.rounds[2].table_of()


def test_check_in_sheet_round_trip(plan_file: Path, tmp_path: Path) -> None:
    """Write the sheet, tick everyone but three, add a walk-in, and re-solve from it."""
    sheet = tmp_path / "checkin.csv"
    assert run("attendance", plan_file, "-o", sheet).exit_code == 0
    with sheet.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "name", "organisation", "present"]
    people = [r for r in rows[1:] if r[0]]
    assert len(people) == 50 and len(rows) == 61
    marks = ["yes", "Y", "x", "1"]
    absent = {r[0] for r in people[:3]}
    for i, row in enumerate(people):
        row[3] = "" if row[0] in absent else marks[i % 4]
    filled = [rows[0], *people, ["", "Walk In Person", "New Org", "yes"], ["", "", "", ""]]
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(filled)
    out = tmp_path / "plan2.json"
    result = run("resolve", plan_file, "--checkin", sheet, "--from-round", "3", "--time-limit", "0.3", "-o", out)
    assert result.exit_code == 0, result.output
    new = read_plan(out)
    assert new.metadata.lineage and set(new.metadata.lineage.absent) == absent
    assert new.event.participants[-1].name == "Walk In Person"
    for seating in new.rounds[2:]:
        assert len(seating.table_of()) == 48


def test_half_filled_check_in_sheet_names_rows(plan_file: Path, tmp_path: Path) -> None:
    pid = read_plan(plan_file).event.participants[0].id
    sheet = write(tmp_path / "checkin.csv",
                  f"id,name,organisation,present\n{pid},,,maybe\n,,Some Org,yes\nnobody-here,,,yes\n")
    out = tmp_path / "plan2.json"
    result = run("resolve", plan_file, "--checkin", sheet, "--from-round", "2", "-o", out)
    assert result.exit_code == 1
    assert "checkin.csv row 2: present is 'maybe'" in result.output
    assert "checkin.csv row 3: this row has no id and no name" in result.output
    assert "checkin.csv row 4: 'nobody-here' is not a participant" in result.output
    not_a_sheet = write(tmp_path / "people.csv", "name\nAnn\n")
    result = run("resolve", plan_file, "--checkin", not_a_sheet, "--from-round", "2", "-o", out)
    assert result.exit_code == 1 and "not a check-in sheet" in result.output
    empty = write(tmp_path / "blank.csv", "id,name,organisation,present\n" + f"{pid},,,\n")
    result = run("resolve", plan_file, "--checkin", empty, "--from-round", "2", "-o", out)
    assert result.exit_code == 1 and "nobody is ticked present" in result.output
    assert not out.exists()


def test_command_defaults_are_the_librarys() -> None:
    """The CLI writes the library's defaults out (so --help loads no numpy); they must agree."""
    from mixer.constraints.stay import DEFAULT_STABILITY
    from mixer.io import checkin
    from mixer.resolving import DEFAULT_TIME_LIMIT
    from mixer_cli import attendance, resolve

    assert (resolve.DEFAULT_STABILITY, resolve.DEFAULT_TIME_LIMIT) == (DEFAULT_STABILITY, DEFAULT_TIME_LIMIT)
    assert attendance.WALK_IN_ROWS == checkin.WALK_IN_ROWS
