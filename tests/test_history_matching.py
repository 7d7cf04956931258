"""Day 2 with ``--history``: people are followed across lists by id, email or name, never by row."""

from __future__ import annotations

import json
import random
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixer.model import Participant
from mixer.people import match_people
from mixer_cli.main import cli

FAST = ["--solver", "greedy", "--time-limit", "0.3", "--rounds", "3", "--table-size", "5"]
ORGS = ("Northgate Trust", "City Council", "Riverside GP", "Age Concern", "Ambulance Service")


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def people(count: int, start: int = 0) -> list[dict[str, str]]:
    return [
        {"Name": f"Person {i:02d}", "Organisation": ORGS[i % 5], "Sector": "health" if i % 2 else "care",
         "Email": f"person{i}@example.org"}
        for i in range(start, start + count)
    ]


def write_list(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = ("Name", "Organisation", "Sector")) -> Path:
    lines = [",".join(columns)] + [",".join(row[c] for c in columns) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def meetings(plan_file: Path, key: tuple[str, ...] = ("name",)) -> Counter[tuple[tuple[str, ...], ...]]:
    """Times each pair met in a plan file, pairs named by the participants' ``key`` fields (not by id)."""
    body = json.loads(plan_file.read_text(encoding="utf-8"))
    who = {p["id"]: tuple(p.get(k) or "" for k in key) for p in body["event"]["participants"]}
    met: Counter[tuple[tuple[str, ...], ...]] = Counter()
    for seating in body["rounds"]:
        for table in seating["tables"]:
            met.update(tuple(sorted(pair)) for pair in combinations((who[pid] for pid in table["participants"]), 2))
    return met


def recount_repeats(day1: Path, day2: Path, key: tuple[str, ...] = ("name",)) -> int:
    """Day 2's repeats recounted by name: every meeting of a pair that met on day 1, and second meetings of the rest."""
    before, now = meetings(day1, key), meetings(day2, key)
    return sum(times if before[pair] else times - 1 for pair, times in now.items())


def plan_two_days(tmp_path: Path, day1_list: Path, day2_list: Path) -> tuple[Path, Path, Result]:
    day1, day2 = tmp_path / "day1.json", tmp_path / "day2.json"
    assert run("plan", day1_list, *FAST, "-o", day1).exit_code == 0
    result = run("plan", day2_list, *FAST, "--seed", "1", "--history", day1, "-o", day2)
    return day1, day2, result


def scored_repeats(plan_file: Path) -> int:
    result = run("score", plan_file, "--json")
    assert result.exit_code == 0
    return json.loads(result.stdout)["repeats"]


def ids_by_name(plan_file: Path) -> dict[str, str]:
    body = json.loads(plan_file.read_text(encoding="utf-8"))
    return {p["name"]: p["id"] for p in body["event"]["participants"]}


def test_shuffled_list_counts_the_right_pairs(tmp_path: Path) -> None:
    """The same people in another order: everyone is found by name, keeps their id, and repeats are true ones."""
    rows = people(20)
    shuffled = random.Random(3).sample(rows, len(rows))
    day1, day2, result = plan_two_days(tmp_path, write_list(tmp_path / "d1.csv", rows),
                                       write_list(tmp_path / "d2.csv", shuffled))
    assert result.exit_code == 0, result.output
    assert "20 of 20 people found in the list (matched by name)" in result.stderr
    assert scored_repeats(day2) == recount_repeats(day1, day2)
    assert ids_by_name(day1) == ids_by_name(day2)
    assert json.loads(day2.read_text())["event"]["id_source"] == "row"


def test_newcomer_and_leaver(tmp_path: Path) -> None:
    """A leaver is named as not found; a newcomer gets an id no day-1 person had."""
    rows = people(20)
    day2_rows = rows[1:] + people(1, start=50)
    random.Random(4).shuffle(day2_rows)
    day1, day2, result = plan_two_days(tmp_path, write_list(tmp_path / "d1.csv", rows),
                                       write_list(tmp_path / "d2.csv", day2_rows))
    assert result.exit_code == 0, result.output
    assert "19 of 20 people found" in result.stderr and "not found, so they have no meetings to count: Person 00" in result.stderr
    assert scored_repeats(day2) == recount_repeats(day1, day2)
    before, after = ids_by_name(day1), ids_by_name(day2)
    assert after["Person 50"] not in before.values()
    assert all(after[name] == before[name] for name in after if name != "Person 50")


def test_email_column_changed_case(tmp_path: Path) -> None:
    """Emails are the ids; day 2's are in capitals and another order, yet everyone is matched by email."""
    rows = people(20)
    shouted = [{**row, "Email": row["Email"].upper()} for row in random.Random(5).sample(rows, len(rows))]
    columns = ("Name", "Email", "Organisation")
    day1, day2, result = plan_two_days(tmp_path, write_list(tmp_path / "d1.csv", rows, columns),
                                       write_list(tmp_path / "d2.csv", shouted, columns))
    assert result.exit_code == 0, result.output
    assert "20 of 20 people found in the list (matched by email)" in result.stderr
    assert scored_repeats(day2) == recount_repeats(day1, day2)
    assert ids_by_name(day1) == ids_by_name(day2)


def test_duplicated_name_told_apart_by_organisation(tmp_path: Path) -> None:
    """Two people share a name but not an organisation: each keeps their own meetings."""
    rows = people(20)
    rows[7]["Name"] = rows[11]["Name"] = "Sam Jones"
    day1, day2, result = plan_two_days(tmp_path, write_list(tmp_path / "d1.csv", rows),
                                       write_list(tmp_path / "d2.csv", rows[::-1]))
    assert result.exit_code == 0, result.output
    assert "20 of 20 people found" in result.stderr
    key = ("name", "organisation")
    assert scored_repeats(day2) == recount_repeats(day1, day2, key)


def test_duplicated_name_nothing_tells_apart_is_an_error(tmp_path: Path) -> None:
    """Two people with the same name and organisation cannot be followed: an error names them and the fix."""
    rows = people(20)
    rows[7]["Name"] = rows[11]["Name"] = "Sam Jones"
    rows[7]["Organisation"] = rows[11]["Organisation"]
    _, day2, result = plan_two_days(tmp_path, write_list(tmp_path / "d1.csv", rows),
                                    write_list(tmp_path / "d2.csv", rows[::-1]))
    assert result.exit_code == 1
    assert "'Sam Jones'" in result.stderr and "add an id or email column" in result.stderr
    assert not day2.exists()


def test_id_columns_match_by_id_and_ids_stay_the_lists() -> None:
    """Where both lists had an id column, ids decide, even when names were spelt differently."""
    day1 = [Participant(id="A1", name="Ann Lee"), Participant(id="B2", name="Bo Chan")]
    day2 = [Participant(id="B2", name="Bo  CHAN"), Participant(id="A1", name="Anne Lee"), Participant(id="C3", name="Cy")]
    match = match_people(day2, "column", day1, "column")
    assert match.ids == {"A1": "A1", "B2": "B2"} and match.by == "id" and match.missing == ()


@pytest.mark.parametrize("day1_source", ["row", None])
def test_row_ids_are_never_trusted(day1_source: str | None) -> None:
    """Row numbers are positions: the same numbers naming other people do not match them."""
    day1 = [Participant(id="1", name="Ann Lee"), Participant(id="2", name="Bo Chan")]
    day2 = [Participant(id="1", name="Bo Chan"), Participant(id="2", name="Ann Lée")]
    match = match_people(day2, "row", day1, day1_source)
    assert match.ids == {"1": "2", "2": "1"} and match.by == "name"


def test_emails_match_as_folded_text() -> None:
    """An export that capitalised 'ayşe.yıldız@…' to 'AYŞE.YILDIZ@…' still names the same person."""
    day1 = [Participant(id="ayşe.yıldız@example.org", name="Ayşe Yıldız")]
    day2 = [Participant(id="AYŞE.YILDIZ@EXAMPLE.ORG", name="Ayse Yildiz")]
    assert match_people(day2, "email", day1, "email").ids == {"ayşe.yıldız@example.org": "AYŞE.YILDIZ@EXAMPLE.ORG"}
