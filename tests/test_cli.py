"""The command line: commands, exit codes, files written and JSON reports."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from mixer.io.plan_file import read_plan
from mixer.scoring import score_plan
from mixer_cli.main import cli

FAST = ["--solver", "greedy", "--time-limit", "1"]


def run(*args: str | Path) -> Result:
    """Invoke ``mixer`` in-process; a crash (anything but a deliberate exit) fails the test."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def names_csv(tmp_path: Path) -> Path:
    """A participant list with only a name column, 23 people."""
    return write(tmp_path / "people.csv", "name\n" + "".join(f"Person {i}\n" for i in range(1, 24)))


def recount(plan_file: Path) -> dict[str, object]:
    """Figures recounted from a plan file's JSON, for an event whose people have no attributes."""
    body = json.loads(plan_file.read_text(encoding="utf-8"))
    ids = [p["id"] for p in body["event"]["participants"]]
    capacity = {t["id"]: t["capacity"] for t in body["event"]["tables"]}
    met: Counter[tuple[str, str]] = Counter()
    for seating in body["rounds"]:
        seated = [pid for table in seating["tables"] for pid in table["participants"]]
        assert sorted(seated) == sorted(ids)
        for table in seating["tables"]:
            assert len(table["participants"]) <= capacity[table["table"]]
            met.update(tuple(sorted(pair)) for pair in combinations(table["participants"], 2))
    new_met = {pid: sum(1 for pair in met if pid in pair) for pid in ids}
    return {
        "people": len(ids),
        "rounds": len(body["rounds"]),
        "repeats": sum(n - 1 for n in met.values()),
        "value": float(len(met)),  # every first meeting is worth 1 when nothing is known about people
        "min_new_met": min(new_met.values()),
        "max_new_met": max(new_met.values()),
        "mean_new_met": round(sum(new_met.values()) / len(ids), 3),
        "new_met": new_met,
    }


def test_solver_help_says_auto_is_the_portfolio() -> None:
    """``--solver`` help tells what auto runs: a start, tabu search and CP-SAT, not the tabu search alone."""
    words = " ".join(run("plan", "--help").output.split())
    assert "auto = the others in turn: a design or greedy start, tabu search, CP-SAT" in words


def test_every_command_has_help_with_an_example() -> None:
    """``mixer --help`` and each command's help exit 0 and show an example."""
    assert "Example" in run("--help").output
    for name in cli.list_commands(click.Context(cli)):
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output
        assert f"mixer {name} " in result.output.split("Example", 1)[1]


def test_version() -> None:
    """``mixer --version`` names the version."""
    from mixer import __version__

    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_python_m_mixer_runs_the_cli() -> None:
    """``python -m mixer --help`` lists the commands."""
    done = subprocess.run([sys.executable, "-m", "mixer", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert all(name in done.stdout for name in ("demo", "plan", "score", "check"))


def test_plan_writes_a_plan_that_score_reports_truly(names_csv: Path, tmp_path: Path) -> None:
    """A planned seating, recounted independently, matches every figure of ``score --json``."""
    out = tmp_path / "plan.json"
    planned = run("plan", names_csv, "--rounds", "4", "--table-size", "5", *FAST, "-o", out)
    assert planned.exit_code == 0, planned.output
    assert out.exists()
    scored = run("score", out, "--json")
    assert scored.exit_code == 0
    report = json.loads(scored.stdout)
    expected = recount(out)
    for key, value in expected.items():
        assert report[key] == value, key
    assert report["total_violations"] == 0
    assert set(report["violations"]) >= {"table_capacity", "seated_once"}
    assert report["value"] <= report["value_upper_bound"]
    assert report["repeats"] >= report["repeats_lower_bound"]


def test_plan_json_keeps_stdout_clean(names_csv: Path, tmp_path: Path) -> None:
    """``plan --json`` prints exactly one JSON object on stdout, naming the file written."""
    out = tmp_path / "plan.json"
    result = run("plan", names_csv, "--rounds", "2", "--tables", "4", *FAST, "-o", out, "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["plan_file"] == str(out)
    assert report["metadata"]["solver"] == "greedy"
    assert report["repeats"] == recount(out)["repeats"]


def test_history_counts_earlier_meetings(names_csv: Path, tmp_path: Path) -> None:
    """With ``--history``, a pair who met in the earlier plan and meet again is a repeat."""
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert run("plan", names_csv, "--rounds", "1", "--table-size", "5", *FAST, "-o", first).exit_code == 0
    result = run("plan", names_csv, "--rounds", "1", "--table-size", "5", *FAST, "--history", first, "-o", second,
                 "--json")
    assert result.exit_code == 0

    def pairs(path: Path) -> set[tuple[str, str]]:
        body = json.loads(path.read_text(encoding="utf-8"))
        tables = [t["participants"] for r in body["rounds"] for t in r["tables"]]
        return {tuple(sorted(pair)) for members in tables for pair in combinations(members, 2)}

    report = json.loads(result.stdout)
    assert report["repeats"] == len(pairs(first) & pairs(second))
    assert report["value"] == len(pairs(second) - pairs(first))


@pytest.mark.parametrize("command", ["plan", "check"])
def test_table_size_and_tables_together_is_a_usage_error(command: str, names_csv: Path, tmp_path: Path) -> None:
    """``--table-size`` with ``--tables`` exits 2 and writes nothing."""
    out = tmp_path / "plan.json"
    extra = ["-o", out] if command == "plan" else []
    result = run(command, names_csv, "--rounds", "2", "--table-size", "5", "--tables", "3", *extra)
    assert result.exit_code == 2
    assert not out.exists()


def test_bad_row_exits_1_naming_the_row(tmp_path: Path) -> None:
    """A row without a name stops planning with an error naming its row, not a traceback."""
    people = write(tmp_path / "people.csv", "name,organisation\nAnn,A\n,B\nCy,C\n")
    result = run("plan", people, "--rounds", "2", "--table-size", "2", *FAST, "-o", tmp_path / "plan.json")
    assert result.exit_code == 1
    assert "row 3" in result.stderr
    assert not (tmp_path / "plan.json").exists()


def test_missing_file_exits_1(tmp_path: Path) -> None:
    """A participant list or plan that does not exist is reported by name."""
    for args in (["plan", tmp_path / "nobody.csv", "--rounds", "2", "-o", tmp_path / "p.json"],
                 ["score", tmp_path / "nothing.json"]):
        result = run(*args)
        assert result.exit_code == 1
        assert "nobody.csv" in result.stderr or "nothing.json" in result.stderr


def test_check_reports_every_problem_at_once(tmp_path: Path) -> None:
    """Problems in both files are all listed in one run, and check exits 1."""
    people = write(tmp_path / "people.csv", "id,name\n1,Ann\n1,Bob\n3,\n4,Dee\n")
    event = write(
        tmp_path / "event.toml",
        'rounds = 2\n[tables]\nsize = 2\n[[rules]]\nkind = "keep_apart"\npeople = ["Zed", "Ann"]\n'
        '[attendance]\n"Nobody" = [1]\n',
    )
    result = run("check", people, "--event", event, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    text = json.dumps(report["problems"])
    for clue in ("row 3", "row 4", "Zed", "Nobody"):
        assert clue in text
    plain = run("check", people, "--event", event)
    assert plain.exit_code == 1
    assert plain.stderr.count("error:") == len(report["problems"])


def test_check_ok_counts_what_it_found(tmp_path: Path) -> None:
    """A clean list passes with the number of people, organisations, sectors and levels."""
    people = write(
        tmp_path / "people.csv",
        "name,organisation,sector,level\nAnn,A,acute,senior\nBob,B,acute,middle\nCy,B,voluntary,middle\n",
    )
    result = run("check", people, "--rounds", "2", "--tables", "1", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert (report["people"], report["organisations"], report["sectors"], report["levels"]) == (3, 2, 2, 2)
    assert "OK" in run("check", people).stdout


def test_score_reports_a_hand_edited_violation(names_csv: Path, tmp_path: Path) -> None:
    """Two people seated together against a keep_apart rule added by hand are reported by name."""
    out = tmp_path / "plan.json"
    assert run("plan", names_csv, "--rounds", "2", "--table-size", "5", *FAST, "-o", out).exit_code == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    a, b = body["rounds"][0]["tables"][0]["participants"][:2]
    body["event"]["rules"] = [{"kind": "keep_apart", "people": [a, b]}]
    write(out, json.dumps(body))
    report = json.loads(run("score", out, "--json").stdout)
    assert report["violations"]["keep_apart"] >= 1
    assert report["total_violations"] == sum(report["violations"].values())
    assert any(v["rule"] == "keep_apart" and a in v["people"] for v in report["violation_details"])
    names = {p["id"]: p["name"] for p in body["event"]["participants"]}
    plain = run("score", out).stdout
    assert "keep_apart" in plain and names[a] in plain


def test_existing_output_untouched_when_input_is_bad(tmp_path: Path) -> None:
    """A failed run leaves an existing plan file exactly as it was."""
    out = write(tmp_path / "plan.json", "previous plan\n")
    people = write(tmp_path / "people.csv", "name\nAnn\nBob\n")
    result = run("plan", people, "--rounds", "2", *FAST, "-o", out)  # no tables given
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous plan\n"


def test_existing_output_untouched_when_rules_clash(tmp_path: Path) -> None:
    """Rules no plan can keep exit 1 (infeasible) and leave the output file alone."""
    out = write(tmp_path / "plan.json", "previous plan\n")
    people = write(tmp_path / "people.csv", "name\nA\nB\nC\nD\nE\nF\n")
    event = write(
        tmp_path / "event.toml",
        '[[rules]]\nkind = "keep_apart"\npeople = ["A", "B"]\n[[rules]]\nkind = "keep_together"\npeople = ["A", "B"]\n',
    )
    args = ["plan", people, "--event", event, "--rounds", "2", "--tables", "2", "--solver", "cpsat"]
    result = run(*args, "--time-limit", "2", "--seed", "1", "-o", out)
    assert result.exit_code == 1
    assert "rule" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous plan\n"


def test_interrupt_exits_130_and_writes_nothing(
    names_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C that escapes the solver exits 130 with a message and leaves the output file alone."""
    import mixer_cli.solving

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(mixer_cli.solving, "solve", interrupted)
    out = write(tmp_path / "plan.json", "previous plan\n")
    result = run("plan", names_csv, "--rounds", "2", "--table-size", "5", *FAST, "-o", out)
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous plan\n"


def test_demo_writes_a_plan_without_repeats(tmp_path: Path) -> None:
    """``mixer demo`` plans the sample cohort into --out-dir with nobody meeting anyone twice."""
    result = run("demo", "--out-dir", tmp_path / "demo", "--solver", "greedy", "--time-limit", "2")
    assert result.exit_code == 0
    plan = read_plan(tmp_path / "demo" / "plan.json")
    assert len(plan.event.participants) == 50
    assert {r.kind for r in plan.event.rules} == {"keep_together", "keep_apart", "host", "pin", "cap"}
    assert score_plan(plan).repeats == 0 and score_plan(plan).total_violations == 0
    assert "Round 4" in result.stdout
    assert plan.event.participants[0].name in result.stdout
    cards, page = tmp_path / "demo" / "cards.pdf", tmp_path / "demo" / "plan.html"
    assert cards.read_bytes().startswith(b"%PDF") and "Wrote" in result.stdout and str(cards) in result.stdout
    assert all(html.escape(p.name) in page.read_text(encoding="utf-8") for p in plan.event.participants)
