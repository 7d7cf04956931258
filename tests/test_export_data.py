"""CSV and HTML exports, choosing what to print (--people, --changed-since) and the export command."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from export_plans import NAMES, SEATING, TABLES, people, plan, table_of
from mixer.export import Selection, changed_since, export_plan, named
from mixer.export.csv_export import safe_cell
from mixer.errors import InputError
from mixer.io.participants import FORMULA_STARTS
from mixer.io.plan_file import write_plan
from mixer.model import Participant, RoundTables
from mixer_cli.main import cli


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def unquote(cell: str) -> str:
    """A cell as it was before formula neutralising."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def test_csv_round_trips_to_the_same_seating(tmp_path: Path) -> None:
    p = plan()
    export_plan(p, "csv", tmp_path / "plan.csv")
    rows = read_csv(tmp_path / "plan.csv")
    assert list(rows[0]) == ["id", "name", "organisation", "round", "table", "table_id", "topic"]
    assert len(rows) == len(NAMES) * len(SEATING)
    seated = {(r["id"], int(r["round"])): r["table_id"] for r in rows if r["table_id"]}
    assert seated == table_of(p)
    by_label = {(int(r["round"]), r["table"]): set() for r in rows if r["table"]}
    for r in rows:
        if r["table"]:
            by_label[(int(r["round"]), r["table"])].add(r["id"])
    assert sorted(map(sorted, by_label.values())) == sorted(sorted(g) for rnd in SEATING for g in rnd)
    assert {r["name"] for r in rows} == {n for n, *_ in NAMES.values()}  # every script comes back as written
    window = next(r for r in rows if r["table_id"] == "1")
    assert (window["table"], window["topic"]) == ("Window", "Hospital discharge")
    absent = next(r for r in rows if r["id"] == "12" and r["round"] == "3")
    assert absent["table"] == absent["table_id"] == ""


def test_wide_csv_has_one_row_per_person_and_a_column_per_round(tmp_path: Path) -> None:
    p = plan()
    export_plan(p, "csv", tmp_path / "wide.csv", wide=True)
    rows = read_csv(tmp_path / "wide.csv")
    assert list(rows[0]) == ["id", "name", "organisation", "Round 1", "Round 2", "Round 3"]
    assert len(rows) == len(NAMES)
    label = {t.id: t.display_name for t in TABLES}
    assert {(r["id"], n): r[f"Round {n}"] for r in rows for n in (1, 2, 3) if r[f"Round {n}"]} == {
        key: label[t] for key, t in table_of(p).items()
    }


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    risky = {"1": ('=HYPERLINK("http://evil.example","click")', "+44 Trust", None, None),
             "2": ("@SUM(A1:A9)", "-2+3 Ltd", None, None), "3": ("Ann\tLee", "\tTabbed", None, None),
             "4": ("Plain Name", "-", None, None)}
    participants = tuple(
        Participant.model_construct(id=pid, name=n, organisation=o, sector=None, level=None, role=None, tags={})
        for pid, (n, o, _, _) in risky.items()
    )
    p = plan(seating=((("1", "2"), ("3", "4")),), participants=participants, attendance={})
    export_plan(p, "csv", tmp_path / "risky.csv")
    rows = read_csv(tmp_path / "risky.csv")
    cells = [c for r in rows for c in r.values()]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and c != "-"], "a formula start left bare"
    assert {unquote(r["name"]) for r in rows} == {n for n, *_ in risky.values()}
    assert {unquote(r["organisation"]) for r in rows} == {o for _, o, *_ in risky.values()}
    assert safe_cell("-3") == "-3" and safe_cell("\rcmd") == "'\rcmd"


def test_html_page_is_self_contained_escaped_and_draws_every_round(tmp_path: Path) -> None:
    hostile = dict(NAMES)
    hostile["5"] = ('<script>alert("x")</script>', "Org & <b>Co</b>", "acute", "senior")
    p = plan(participants=people(hostile))
    export_plan(p, "html", tmp_path / "plan.html")
    page = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert '<script>alert("x")' not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Org &amp; &lt;b&gt;Co&lt;/b&gt;" in page and "Café &lt;Brackenford&gt; &amp; friends" in page
    assert "default-src 'none'" in page
    references = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', page) + re.findall(r"url\(", page)
    assert all(ref.startswith(("#", "data:")) for ref in references), references
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "").replace("http-equiv", "")
    for r, groups in enumerate(SEATING, start=1):
        section = page.split(f'id="round-{r}"')[1].split("</section>")[0]
        assert re.findall(r'<g class="table" data-table="([^"]+)"', section) == [t.id for t in TABLES[:len(groups)]]
        for i, ids in enumerate(groups):
            table = section.split(f'data-table="{TABLES[i].id}"')[1].split('<g class="table"')[0]
            assert sorted(re.findall(r'class="dot"[^>]*data-person="([^"]+)"', table)) == sorted(ids)
    assert "Hospital discharge" in page and "Carers&#x27; voices" in page


def test_html_and_csv_show_each_rounds_own_groups(tmp_path: Path) -> None:
    """A round seated in its own numbered groups (pairs here) shows those groups, not the event's tables."""
    seating = ((("1", "2"), ("3", "4"), ("5", "6"), ("7", "8"), ("9", "10"), ("11", "12")), *SEATING[1:])
    p = plan(seating=seating, round_tables=(RoundTables(rounds=(1,), size=2),))
    pairs = p.event.tables_in(1)
    assert len(pairs) == 6 and not set(pairs) & set(TABLES)
    export_plan(p, "html", tmp_path / "plan.html")
    page = (tmp_path / "plan.html").read_text(encoding="utf-8")
    round1 = page.split('id="round-1"')[1].split("</section>")[0]
    assert re.findall(r'data-table="([^"]+)"', round1) == [t.id for t in pairs]
    assert "6 groups" in round1 and pairs[5].display_name in round1 and "Window" not in round1
    export_plan(p, "csv", tmp_path / "plan.csv", wide=True)
    first = {r["id"]: r["Round 1"] for r in read_csv(tmp_path / "plan.csv")}
    assert first["1"] == first["2"] == pairs[0].display_name and first["12"] == pairs[5].display_name


def test_changed_since_selects_people_and_tables_whose_seating_changed() -> None:
    old = plan()
    swapped = list(map(list, SEATING))
    swapped[1] = (("1", "5", "9", "6"), ("2", "10", "11", "12"), SEATING[1][2])  # 10 and 6 trade tables in round 2
    new = plan(seating=tuple(tuple(map(tuple, r)) for r in swapped))
    chosen = changed_since(new, old)
    assert chosen.people == {"6", "10"}
    assert chosen.tables == {(2, "1"), (2, "2")}
    assert changed_since(old, old) == Selection(frozenset(), frozenset())
    renamed = new.model_copy(update={"event": new.event.model_copy(update={"tables": (
        TABLES[0].model_copy(update={"topic": "Hospital at home"}), *TABLES[1:])})})
    assert changed_since(renamed, new).people == {pid for pid, r in table_of(new) if table_of(new)[(pid, r)] == "1"}


def test_named_people_are_found_forgivingly_and_unknown_ones_reported() -> None:
    chosen = named(plan(), ["Tomas O Briain", "9", "王秀英"])
    assert chosen.people == {"5", "9", "4"}
    assert (1, "2") in chosen.tables and (1, "1") in chosen.tables
    with pytest.raises(InputError, match="'Tomas Smith' is not a participant"):
        named(plan(), ["Tomas Smith"])


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_export_command_writes_csv_and_html_and_reports_json(tmp_path: Path) -> None:
    write_plan(plan(), tmp_path / "plan.json")
    done = run("export", tmp_path / "plan.json", "-o", tmp_path / "out.csv", "--people", "Tomás Ó Briain, 3", "--json")
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert report["format"] == "csv" and report["items"] == 2
    assert {r["id"] for r in read_csv(tmp_path / "out.csv")} == {"5", "3"}
    done = run("export", tmp_path / "plan.json", "-o", tmp_path / "page.html")
    assert done.exit_code == 0 and "page.html" in done.stdout and (tmp_path / "page.html").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "x.pdf"], "--format"),
    (["--format", "html", "-o", "x.html", "--wide"], "--wide"),
    (["--format", "csv", "-o", "x.csv", "--changed-since", "plan.json"], "--changed-since"),
    (["--format", "html", "-o", "x.html", "--people", "3"], "--people"),
])
def test_export_command_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    write_plan(plan(), tmp_path / "plan.json")
    done = run("export", tmp_path / "plan.json", *[a.replace("plan.json", str(tmp_path / "plan.json")) for a in args])
    assert done.exit_code == 2 and message in done.output


def test_export_command_names_unknown_people_and_exits_1(tmp_path: Path) -> None:
    write_plan(plan(), tmp_path / "plan.json")
    done = run("export", tmp_path / "plan.json", "-o", tmp_path / "x.csv", "--people", "chidi okonkwo,Nobody")
    assert done.exit_code == 1
    assert "'Nobody' is not a participant" in done.output and "chidi" not in done.output
    assert not (tmp_path / "x.csv").exists()


def test_nothing_changed_since_the_old_plan_writes_nothing(tmp_path: Path) -> None:
    write_plan(plan(), tmp_path / "plan.json")
    for fmt, what in (("cards", "person"), ("rosters", "table")):
        done = run("export", tmp_path / "plan.json", "--format", fmt, "--changed-since", tmp_path / "plan.json",
                   "-o", tmp_path / f"{fmt}.pdf")
        assert done.exit_code == 0 and f"no {what} to print" in done.output
        assert not (tmp_path / f"{fmt}.pdf").exists()
