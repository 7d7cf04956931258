"""What a facilitator sees and types (issue 10): seating on screen, their own columns, --tables, honest repeats,
forgiving names, lost characters and Ctrl-C, all driven through the command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixer_cli.main import cli

FAST = ["--solver", "greedy", "--time-limit", "0.3"]
ORGS = ("Northgate NHS Trust", "City Council", "Riverside PCN", "Age Concern", "Westfield Hospice", "Ambulance Service")
SECTORS = ("Acute", "Social care", "Primary care", "Voluntary")
BANDS = ("Band 6", "Band 7", "Band 8a", "Director")
FIRST = ("Tomás", "Amara", "Bilal", "Chen", "Dorota", "Eilidh", "Farah", "Gareth", "Hana", "Ioan", "Jasmine", "Kwame")
LAST = ("Ó Briain", "Ahmed", "Brown", "Wei", "Kowalska", "MacLeod", "Hussain", "Jones")


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A 47-person booking-system export with its own headings, level in "Band/Grade"."""
    rows = ["First name,Surname,Email,Organisation,Job title,Sector,Band/Grade"]
    for i in range(47):
        first, last = FIRST[i % len(FIRST)], LAST[i // len(FIRST) + (i % 3)]
        rows.append(f"{first},{last},person{i}@example.org,{ORGS[i % 6]},Manager,{SECTORS[i % 4]},{BANDS[(i // 2) % 4]}")
    path = tmp_path / "people.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def event_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "event.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_band_grade_is_the_level(export: Path) -> None:
    """'Band/Grade' is read as the level; check counts four levels and shows each round's tables."""
    result = run("check", export, "--rounds", "4", "--table-size", "5")
    assert result.exit_code == 0, result.output
    assert "4 levels" in result.stdout
    assert "Tables: 10 tables: seven of 5, three of 4" in result.stdout


def test_unrecognised_columns_warn_and_can_be_mapped(tmp_path: Path) -> None:
    """A level column under an unknown heading stays a tag with a warning that says how to map it."""
    people = tmp_path / "people.csv"
    people.write_text("Name,Employer,Career stage\n" + "".join(f"P{i},Org{i % 3},L{i % 2}\n" for i in range(12)))
    warned = run("check", people)
    assert "no sector or level column found" in warned.stderr and "'Career stage'" in warned.stderr
    assert "--level-column 'Career stage'" in warned.stderr and "0 levels" in warned.stdout
    mapped = run("check", people, "--level-column", "Career stage")
    assert "2 levels" in mapped.stdout and "warning" not in mapped.stderr  # no tag column left to map
    in_file = run("check", people, "--event", event_file(tmp_path, 'rounds = 1\n[tables]\nsize = 4\n[columns]\nlevel = "career  STAGE"\n'))
    assert "2 levels" in in_file.stdout
    wrong = run("check", people, "--level-column", "Carer stage")
    assert wrong.exit_code == 1 and "did you mean 'Career stage'?" in wrong.stderr


def test_plan_prints_the_seating_and_quiet_does_not(export: Path, tmp_path: Path) -> None:
    """After the summary, each round's tables with names, organisations and levels; --quiet leaves the summary."""
    plan = tmp_path / "plan.json"
    shown = run("plan", export, "--rounds", "2", "--tables", "9", *FAST, "-o", plan)
    assert shown.exit_code == 0, shown.output
    assert "9 tables: two of 6, seven of 5" in shown.stdout
    assert "Round 2" in shown.stdout and "Tomás Ó Briain (Northgate NHS Trust, Band 6)" in shown.stdout
    quiet = run("plan", export, "--rounds", "2", "--tables", "9", *FAST, "-q", "-o", plan)
    assert "Repeats" in quiet.stdout and "Round 1" not in quiet.stdout
    body = json.loads(plan.read_text(encoding="utf-8"))
    assert all(sorted(len(t["participants"]) for t in r["tables"]) == [5] * 7 + [6] * 2 for r in body["rounds"])


def test_tables_count_rebalances_absences_over_the_same_tables(export: Path, tmp_path: Path) -> None:
    """With --tables 9, a round with two people away still uses nine tables, of 5."""
    event = event_file(tmp_path, '[attendance]\n"person0@example.org" = [1]\n"Amara Ahmed" = [1]\n')
    result = run("check", export, "--event", event, "--rounds", "2", "--tables", "9", "--json")
    assert json.loads(result.stdout)["table_sizes"] == [[6, 6, 5, 5, 5, 5, 5, 5, 5], [5] * 9]


@pytest.mark.parametrize("by", ["round", "table", "person"])
def test_show_prints_a_plan_by_round_table_or_person(export: Path, tmp_path: Path, by: str) -> None:
    plan = tmp_path / "plan.json"
    assert run("plan", export, "--rounds", "2", "--table-size", "5", *FAST, "-q", "-o", plan).exit_code == 0
    result = run("show", plan, "--by", by, "--round", "2")
    assert result.exit_code == 0
    assert "Tomás Ó Briain (Northgate NHS Trust, Band 6)" in result.stdout
    assert ("Round 1" in result.stdout) is False
    assert run("show", plan, "--round", "3").exit_code == 2


def test_interpreter_pair_is_together_by_rule_not_repeats(export: Path, tmp_path: Path) -> None:
    """Kept together every round, the pair adds no repeat and is listed once as together by rule."""
    event = event_file(tmp_path, '[[rules]]\nkind = "keep_together"\npeople = ["Tomas O Briain", "amara  ahmed"]\n')
    plan = tmp_path / "plan.json"
    result = run("plan", export, "--event", event, "--rounds", "4", "--table-size", "5", *FAST, "-q", "-o", plan,
                 "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["repeats"] == 0 and report["total_violations"] == 0
    assert report["together_by_rule"] == [["person0@example.org", "person1@example.org"]]
    text = run("score", plan)
    assert "Together by rule" in text.stdout and "Tomás Ó Briain & Amara Ahmed" in text.stdout


def test_day_two_counts_only_its_own_meetings(export: Path, tmp_path: Path) -> None:
    """Repeats on day 2 are day-2 meetings of pairs who met before, and day-2 second meetings: day 1's never again."""
    day1, day2 = tmp_path / "day1.json", tmp_path / "day2.json"
    assert run("plan", export, "--rounds", "4", "--table-size", "5", *FAST, "-q", "-o", day1).exit_code == 0
    result = run("plan", export, "--rounds", "3", "--table-size", "5", *FAST, "-q", "--history", day1, "-o", day2,
                 "--json")

    def met(path: Path) -> list[tuple[str, str]]:
        body = json.loads(path.read_text(encoding="utf-8"))
        names = {p["id"]: p["name"] for p in body["event"]["participants"]}
        return [tuple(sorted((names[a], names[b]))) for r in body["rounds"] for t in r["tables"]
                for a, b in combinations(t["participants"], 2)]

    before, now = set(met(day1)), met(day2)
    expected = sum(1 for pair in now if pair in before) + len(now) - len(set(now))
    assert json.loads(result.stdout)["repeats"] == expected


def test_fifteen_rounds_force_hundreds_of_repeats(export: Path) -> None:
    """47 people at tables of 5 for 15 rounds: check warns, and the bound is 239 (1320 meetings, 1081 pairs)."""
    result = run("check", export, "--rounds", "15", "--table-size", "5")
    assert result.exit_code == 0
    assert "15 rounds force at least 239 repeats: at most 12 rounds can go without one" in result.stderr


def test_misspelt_accented_name_gets_a_suggestion(export: Path, tmp_path: Path) -> None:
    """'Tomas O Brian' names nobody: the error names the file and rule entry and suggests 'Tomás Ó Briain'."""
    event = event_file(tmp_path, 'rounds = 2\n[tables]\nsize = 5\n[[rules]]\nkind = "keep_apart"\n'
                                 'people = ["Amara Ahmed", "Tomas O Brian"]\n')
    result = run("check", export, "--event", event)
    assert result.exit_code == 1
    assert f"{event}, rules entry 1 (keep_apart): 'Tomas O Brian' is not a participant; " \
           "did you mean 'Tomás Ó Briain'" in result.stderr


def test_name_with_lost_characters_is_warned(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("Name\nAy?e Y?ld?z\nJos\ufffd Garc\ufffda\nAnn Lee\n", encoding="utf-8")
    result = run("check", people)
    assert "people.csv row 2: the name 'Ay?e Y?ld?z' contains '?'" in result.stderr
    assert "people.csv row 3: the name" in result.stderr and "row 4" not in result.stderr


def _interrupt(args: list[str], after: float, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``mixer`` and press Ctrl-C ``after`` seconds in."""
    mixer = Path(sys.executable).with_name("mixer")
    process = subprocess.Popen([str(mixer), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_ctrl_c_at_start_up_exits_130_without_a_traceback(export: Path, tmp_path: Path) -> None:
    done = _interrupt(["plan", str(export), "--rounds", "4", "--table-size", "5", "-o", "plan.json"], 0.8, tmp_path)
    assert "Traceback" not in done.stderr
    assert done.returncode == 130 and "interrupted" in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="SIGINT")
def test_ctrl_c_mid_solve_keeps_the_plan_and_exits_130(export: Path, tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text("{}", encoding="utf-8")  # not a plan: kept, so the interrupted one goes beside
    args = ["plan", str(export), "--rounds", "6", "--table-size", "5", "--solver", "greedy", "--time-limit", "60",
            "-q", "-o", "plan.json"]
    done = _interrupt(args, 4.0, tmp_path)
    assert "Traceback" not in done.stderr and done.returncode == 130
    if "written to" in done.stderr:  # the solve had started (else the imports were still loading)
        assert "plan.interrupted.json" in done.stderr
        assert json.loads((tmp_path / "plan.interrupted.json").read_text())["metadata"]["interrupted"] is True
