"""Clashing rules are named as the facilitator wrote them: by counting first, then by CP-SAT's core."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixer.assemble import assemble_event, check_files
from mixer.clashes import find_clash, quick_clashes
from mixer.errors import InfeasibleError, InputError
from mixer.io.event_file import EventSettings
from mixer.model import Participant, RoundSeating, Table, TableSeating
from mixer.solvers import solve
from mixer_cli.main import cli

NAMES = ["Amara Ahmed", "Bilal Brown", "Carl Cole", "Dana Dee", "Ed Eze", "Fi Fox", "Gus Gill", "Hal Hu"]
TRIANGLE = [
    {"kind": "keep_together", "people": ["Amara Ahmed", "Bilal Brown"]},
    {"kind": "keep_together", "people": ["Bilal Brown", "Carl Cole"]},
    {"kind": "keep_apart", "people": ["Amara Ahmed", "Carl Cole"]},
]


def _people(organisations: str = "ABCDEFGH") -> list[Participant]:
    return [Participant(id=str(i), name=n, organisation=o) for i, (n, o) in enumerate(zip(NAMES, organisations), 1)]


def _event(rules, organisations: str = "ABCDEFGH", tables=None, rounds: int = 2):
    settings = EventSettings(rounds=rounds, table_size=4, rules=tuple(rules), tables=tuple(tables or ()))
    return assemble_event(_people(organisations), settings)


def _fatal(rules, **kwargs) -> list[str]:
    with pytest.raises(InputError) as caught:
        _event(rules, **kwargs)
    return [str(p) for p in caught.value.problems]


def test_keep_together_chain_against_keep_apart() -> None:
    """A and B together, B and C together, A and C apart: all three rules named, people by name."""
    assert _fatal(TRIANGLE) == [
        "keep_together (rules entry 1: Amara Ahmed, Bilal Brown) and keep_together (rules entry 2: Bilal Brown, "
        "Carl Cole) put Amara Ahmed and Carl Cole at one table, but keep_apart (rules entry 3: Amara Ahmed, "
        "Carl Cole) keeps them apart"
    ]


def test_one_keep_together_bigger_than_any_table() -> None:
    """A group bigger than the largest table: the issue's own wording."""
    rules = [{"kind": "keep_together", "people": NAMES[:6]}]
    assert _fatal(rules) == [
        "keep_together (rules entry 1: Amara Ahmed, Bilal Brown, ... 6 people) needs 6 seats, "
        "but the largest table holds 4"
    ]


def test_keep_together_rules_joined_through_a_person_overflow() -> None:
    """Two groups sharing a person must sit at one table; together they are too many."""
    rules = [{"kind": "keep_together", "people": NAMES[:3]}, {"kind": "keep_together", "people": NAMES[2:5]}]
    (message,) = _fatal(rules)
    assert message.startswith("keep_together (rules entry 1: Amara Ahmed, Bilal Brown, Carl Cole) and keep_together "
                              "(rules entry 2: Carl Cole, Dana Dee, Ed Eze) together need 5 seats at one table")
    assert message.endswith("but the largest table holds 4")


def test_host_and_pin_pull_one_person_two_ways() -> None:
    """A host of Oak pinned to the accessible Elm: both rules named, with the tables they allow."""
    tables = [Table(id="oak", name="Oak", capacity=4), Table(id="elm", name="Elm", capacity=4, tags=("accessible",))]
    rules = [{"kind": "host", "person": "Dana Dee", "table": "Oak"},
             {"kind": "pin", "person": "Dana Dee", "tag": "accessible"}]
    (message,) = _fatal(rules, tables=tables)
    assert message == ("host (rules entry 1: Dana Dee at Oak) and pin (rules entry 2: Dana Dee at a table tagged "
                       "'accessible') leave no table in use for Dana Dee (they allow Elm, Oak)")


def test_too_many_pinned_to_one_table() -> None:
    """Five people pinned to one table of four: the pins are named with the table and its seats."""
    tables = [Table(id="oak", name="Oak", capacity=4, tags=("accessible",)), Table(id="elm", name="Elm", capacity=4)]
    rules = [{"kind": "pin", "person": n, "tag": "accessible"} for n in NAMES[:5]]
    (message,) = _fatal(rules, tables=tables)
    assert "seat 5 people at Oak, which hold 4" in message and "pin (rules entry 5: Ed Eze" in message


def test_cpsat_core_names_only_the_clashing_rules() -> None:
    """Two from one organisation kept together against a cap of one per organisation: the core drops keep_apart."""
    rules = [{"kind": "keep_together", "people": ["Amara Ahmed", "Bilal Brown"]},
             {"kind": "keep_apart", "people": ["Dana Dee", "Ed Eze"]},
             {"kind": "cap", "attribute": "organisation", "max": 1}]
    event = _event(rules, organisations="AACDEFGH")
    assert quick_clashes(event) == []
    clash = find_clash(event, time_limit=5)
    assert clash is not None and [rule.kind for rule in clash.rules] == ["keep_together", "cap"]
    assert clash.message == ("these 2 rules cannot all hold together: keep_together (rules entry 1: Amara Ahmed, "
                             "Bilal Brown); cap (rules entry 3: at most 1 per organisation at a table)")
    with pytest.raises(InfeasibleError, match="keep_together .*cap"):
        solve(event, solver="greedy", time_limit=0.5)


def test_rules_that_can_hold_are_no_clash() -> None:
    """A plan exists: no clash is reported, quick or by CP-SAT."""
    rules = [{"kind": "keep_together", "people": ["Amara Ahmed", "Bilal Brown"]},
             {"kind": "cap", "attribute": "organisation", "max": 1}]
    assert find_clash(_event(rules), time_limit=5) is None


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "250"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    people = tmp_path / "people.csv"
    people.write_text("name,organisation\n" + "".join(f"{n},{o}\n" for n, o in zip(NAMES, "ABCDEFGH")), "utf-8")
    event = tmp_path / "event.toml"
    body = "rounds = 2\n[tables]\nsize = 4\n" + "".join(
        f'[[rules]]\nkind = "{r["kind"]}"\npeople = {json.dumps(r["people"])}\n' for r in TRIANGLE)
    event.write_text(body, "utf-8")
    return people, event


def test_check_and_plan_catch_the_triangle(files: tuple[Path, Path], tmp_path: Path) -> None:
    """``mixer check`` and ``mixer plan`` exit 1 naming all three rules; plan writes no file."""
    people, event = files
    checked = run("check", people, "--event", event)
    assert checked.exit_code == 1 and "keep_apart (rules entry 3: Amara Ahmed, Carl Cole)" in checked.stderr
    out = tmp_path / "plan.json"
    planned = run("plan", people, "--event", event, "--solver", "greedy", "--time-limit", "1", "-o", out)
    assert planned.exit_code == 1 and "keep_together (rules entry 2: Bilal Brown, Carl Cole)" in planned.stderr
    assert not out.exists()


def test_check_finds_a_clash_only_cpsat_sees(tmp_path: Path) -> None:
    """check_files runs the CP-SAT analysis when counting finds nothing."""
    people = tmp_path / "people.csv"
    people.write_text("name,organisation\n" + "".join(f"{n},{o}\n" for n, o in zip(NAMES, "AACDEFGH")), "utf-8")
    event = tmp_path / "event.toml"
    event.write_text('rounds = 1\n[tables]\nsize = 4\n[[rules]]\nkind = "keep_together"\npeople = ["1", "2"]\n'
                     '[[rules]]\nkind = "cap"\nattribute = "organisation"\nmax = 1\n', "utf-8")
    (problem,) = [p for p in check_files(people, event, clash_time_limit=5) if p.fatal]
    assert "keep_together (rules entry 1: Amara Ahmed, Bilal Brown); cap (rules entry 2" in problem.message


def test_plan_breaking_a_rule_without_a_clash_is_not_written(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no rule-keeping plan is found in time, plan lists the violations and exits 1, unless allowed."""
    import mixer_cli.solving

    people, _ = files
    event = tmp_path / "apart.toml"
    event.write_text('rounds = 1\n[tables]\nsize = 4\n[[rules]]\nkind = "keep_apart"\npeople = ["1", "2"]\n', "utf-8")

    def careless(event, **kwargs):  # a solver that ran out of time with the two side by side
        plan = solve(event, solver="greedy", time_limit=0.2)
        broken = RoundSeating(round=1, tables=(TableSeating(table="1", participants=("1", "2", "3", "4")),
                                               TableSeating(table="2", participants=("5", "6", "7", "8"))))
        return plan.model_copy(update={"rounds": (broken,)})

    monkeypatch.setattr(mixer_cli.solving, "solve", careless)
    out = tmp_path / "plan.json"
    refused = run("plan", people, "--event", event, "-o", out)
    assert refused.exit_code == 1 and not out.exists()
    assert "Amara Ahmed (1), Bilal Brown (2) sit together" in refused.stderr and "--allow-violations" in refused.stderr
    allowed = run("plan", people, "--event", event, "--allow-violations", "-o", out)
    assert allowed.exit_code == 0 and out.exists()
