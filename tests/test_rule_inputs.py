"""Rules and pairs from everywhere a facilitator writes them: the event file, the command line, the list's columns."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from mixer.assemble import load_event
from mixer.constraints import Cap, Host, KeepApart, KeepTogether, Pin
from mixer.io.plan_file import read_plan
from mixer.scoring import PairTable, score_plan
from mixer_cli.main import cli

PEOPLE = ("id,name,organisation,host,table,needs\n"
          "1,Amara Ahmed,A,,,\n2,Bilal Brown,B,yes,,\n3,Carl Cole,C,,Oak,\n4,Dana Dee,A,,,step-free\n"
          "5,Ed Eze,B,,,\n6,Fi Fox,C,,,\n7,Gus Gill,A,,,\n8,Hal Hu,B,no,,\n")
TABLES = ('[[tables]]\nid = "oak"\nname = "Oak"\ncapacity = 4\n'
          '[[tables]]\nid = "elm"\nname = "Elm"\ncapacity = 4\ntags = ["step-free"]\n')


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _files(tmp_path: Path, event: str = "") -> tuple[Path, Path]:
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "sub").mkdir(exist_ok=True)
    (tmp_path / "sub" / "event.toml").write_text("rounds = 2\n" + event + TABLES, encoding="utf-8")
    return tmp_path / "people.csv", tmp_path / "sub" / "event.toml"


def test_list_columns_give_hosts_and_pins(tmp_path: Path) -> None:
    """host yes/no, a table by name and a needed tag become rules, each naming its column."""
    people, event_file = _files(tmp_path)
    event, _ = load_event(people, event_file)
    assert set(event.rules) == {
        Host(person="2", origin="'host' column"),
        Pin(person="3", table="Oak", origin="'table' column"),
        Pin(person="4", tag="step-free", origin="'needs' column"),
    }


def test_command_line_rules_join_the_file_rules(tmp_path: Path) -> None:
    """--keep-apart, --keep-together and --cap come after the file's rules, by name or id."""
    people, event_file = _files(tmp_path, '[[rules]]\nkind = "keep_apart"\npeople = ["1", "5"]\n')
    rules = [{"kind": "keep_together", "people": ["amara ahmed", "6"], "origin": "--keep-together"},
             {"kind": "cap", "attribute": "organisation", "max": 2, "origin": "--cap organisation=2"}]
    event, _ = load_event(people, event_file, rules=rules)
    assert event.rules[:3] == (KeepApart(people=("1", "5"), origin="rules entry 1"),
                               KeepTogether(people=("1", "6"), origin="--keep-together"),
                               Cap(attribute="organisation", max=2, origin="--cap organisation=2"))


def test_plan_keeps_command_line_rules(tmp_path: Path) -> None:
    """A plan made with --keep-together, --keep-apart and --cap keeps them all, and the list's host and pins."""
    people, event_file = _files(tmp_path)
    out = tmp_path / "plan.json"
    result = run("plan", people, "--event", event_file, "--keep-together", "Amara Ahmed,Fi Fox",
                 "--keep-apart", "Ed Eze,Hal Hu", "--cap", "organisation=2", "--solver", "greedy",
                 "--time-limit", "1", "-o", out)
    assert result.exit_code == 0, result.stderr
    plan = read_plan(out)
    assert score_plan(plan).total_violations == 0
    assert {r.kind for r in plan.event.rules} == {"host", "pin", "keep_together", "keep_apart", "cap"}
    tables = [s.table_of() for s in plan.rounds]
    assert all(t["1"] == t["6"] and t["5"] != t["8"] and t["3"] == "oak" and t["4"] == "elm" for t in tables)
    assert tables[0]["2"] == tables[1]["2"]


def test_bad_command_line_rules_are_usage_errors(tmp_path: Path) -> None:
    """One person to keep apart, or a cap without a number, exit 2 saying what to write."""
    people, event_file = _files(tmp_path)
    lonely = run("check", people, "--event", event_file, "--keep-apart", "Amara Ahmed")
    assert lonely.exit_code == 2 and "give two or more" in lonely.stderr
    assert run("check", people, "--event", event_file, "--cap", "organisation").exit_code == 2


def test_known_and_wanted_pairs_from_the_event_file(tmp_path: Path) -> None:
    """Known pairs count as met once; wanted pairs add their value to the pair's; paths are relative to the event file."""
    people, event_file = _files(tmp_path, 'known_pairs = "know.csv"\nwanted_pairs = "wants.csv"\n')
    (tmp_path / "sub" / "know.csv").write_text("a,b\nAmara Ahmed,Bilal Brown\n3,4\n", encoding="utf-8")
    (tmp_path / "sub" / "wants.csv").write_text("a,b,value\nEd Eze,Fi Fox,5\n", encoding="utf-8")
    event, _ = load_event(people, event_file)
    assert event.history.counts() == {("1", "2"): 1, ("3", "4"): 1}
    pairs = PairTable.of(event)
    plain = PairTable.of(event.model_copy(update={"wanted_pairs": ()}))
    assert pairs.value[4, 5] == plain.value[4, 5] + 5


def test_known_and_wanted_pairs_on_the_command_line(tmp_path: Path) -> None:
    """--known-pairs and --wanted-pairs; a wanted pair meets, a known pair meeting is a repeat."""
    people, event_file = _files(tmp_path)
    know = tmp_path / "know.csv"
    know.write_text("a,b\nAmara Ahmed,Zed Zane\n", encoding="utf-8")
    out = tmp_path / "plan.json"
    bad = run("plan", people, "--event", event_file, "--known-pairs", know, "-o", out)
    assert bad.exit_code == 1 and "'Zed Zane' is not a participant" in bad.stderr and not out.exists()
    know.write_text("a,b\nAmara Ahmed,Gus Gill\n", encoding="utf-8")
    wants = tmp_path / "wants.csv"
    wants.write_text("a,b,value\nEd Eze,Fi Fox,50\n", encoding="utf-8")
    result = run("plan", people, "--event", event_file, "--known-pairs", know, "--wanted-pairs", wants,
                 "--solver", "greedy", "--time-limit", "1", "-o", out, "--json")
    assert result.exit_code == 0, result.stderr
    plan = read_plan(out)
    assert any(t["5"] == t["6"] for t in (s.table_of() for s in plan.rounds))
    assert json.loads(result.stdout)["value"] >= 50


def test_history_from_the_event_file(tmp_path: Path) -> None:
    """history = [...] in the event file counts an earlier plan's meetings, as --history does."""
    people, event_file = _files(tmp_path)
    first = tmp_path / "sub" / "day1.json"
    assert run("plan", people, "--event", event_file, "--solver", "greedy", "--time-limit", "1", "-o", first).exit_code == 0
    _, later = _files(tmp_path, 'history = ["day1.json"]\n')
    event, _ = load_event(people, later)
    met = {pair for s in read_plan(first).rounds for ts in s.tables
           for pair in ((a, b) for a in ts.participants for b in ts.participants if a < b)}
    assert set(event.history.counts()) == met


def test_score_lists_hard_and_soft_breaches_of_a_hand_broken_plan(tmp_path: Path) -> None:
    """A plan edited by hand (a pinned person moved, soft rules added) shows each breach with its message;
    soft breaches cost their weight off the value."""
    people, event_file = _files(tmp_path)
    out = tmp_path / "plan.json"
    assert run("plan", people, "--event", event_file, "--solver", "greedy", "--time-limit", "1", "-o", out).exit_code == 0
    body = json.loads(out.read_text(encoding="utf-8"))
    oak, elm = body["rounds"][1]["tables"]
    assert (oak["table"], elm["table"]) == ("oak", "elm") and "3" in oak["participants"]
    other = next(p for p in elm["participants"] if p not in ("2", "4"))  # neither the host nor Dana (pinned to Elm)
    oak["participants"][oak["participants"].index("3")] = other
    elm["participants"][elm["participants"].index(other)] = "3"  # Carl Cole, pinned to Oak, now at Elm
    body["event"]["rules"] += [{"kind": "cap", "attribute": "organisation", "max": 1, "hard": False, "weight": 2},
                               {"kind": "at_least", "attribute": "organisation", "value": "A", "count": 3}]
    out.write_text(json.dumps(body), encoding="utf-8")
    report = json.loads(run("score", out, "--json").stdout)
    assert report["violations"]["pin"] == report["total_violations"] == 1
    (pin,) = [v for v in report["violation_details"] if v["hard"]]
    assert pin["message"] == "round 2: Carl Cole (3) sits at Elm, but is pinned to Oak"
    soft = [v for v in report["violation_details"] if not v["hard"]]
    assert {v["rule"] for v in soft} == {"cap", "at_least"}
    assert report["soft_violations"] == {kind: sum(v["rule"] == kind for v in soft) for kind in ("cap", "at_least")}
    assert report["soft_cost"] == sum(v["cost"] for v in soft) > 0
    plain = CliRunner().invoke(cli, ["score", str(out)], env={"COLUMNS": "250"}).stdout
    assert "sits at Elm, but is pinned to Oak" in plain and "soft, costs 2" in plain and "Soft rules" in plain
