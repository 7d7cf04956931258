"""``mixer resolve``: plan the remaining rounds again on the day, and ``mixer diff``: what changed between two plans."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mixer_cli.errors import INTERRUPTED, on_error, show_problems, stderr
from mixer_cli.options import FILE, _one_layout, json_option, round_size_option

if TYPE_CHECKING:
    from mixer.model import Participant, Plan
    from mixer.solvers import Progress

# The library's defaults (mixer.resolving), written out so that ``mixer --help`` loads no numpy.
DEFAULT_TIME_LIMIT = 2.0
DEFAULT_STABILITY = 2.0


@click.command("resolve")
@click.argument("plan_file", metavar="PLAN", type=FILE)
@click.option("--from-round", "from_round", required=True, type=click.IntRange(min=1), metavar="R",
              help="The first round to plan again; earlier rounds are kept exactly.")
@click.option("--absent", multiple=True, metavar="PERSON",
              help="Someone not here from round R on (id, name or the start of a name). Repeatable; or A,B,C.")
@click.option("--arrive", multiple=True, type=FILE, metavar="PEOPLE",
              help="People who walked in, as a participant list (.csv or .xlsx). Repeatable.")
@click.option("--leave", multiple=True, metavar="PERSON@ROUND",
              help='Someone present before ROUND only, as "Name@3". Repeatable.')
@click.option("--checkin", type=FILE, metavar="SHEET",
              help="A filled check-in sheet (from mixer attendance): unticked people are absent, walk-ins arrive.")
@click.option("--table-size", type=click.IntRange(min=1), callback=_one_layout, metavar="K",
              help="Seat the rounds planned again in groups of at most K (balanced) instead of at the tables.")
@click.option("--tables", type=click.IntRange(min=1), callback=_one_layout, metavar="T",
              help="Seat the rounds planned again in T groups instead of at the tables.")
@round_size_option
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIME_LIMIT,
              show_default=True, metavar="S", help="Seconds to improve the first plan.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--stability", type=click.FloatRange(min=0), default=DEFAULT_STABILITY, show_default=True,
              metavar="W", help="Value one moved seat costs (a new pairing is worth 1 to 4); 0 ignores moves.")
@click.option("-o", "--output", required=True, type=FILE, metavar="NEW_PLAN", help="Where to write the new plan.")
@json_option
def resolve_command(plan_file: Path, from_round: int, absent: tuple[str, ...], arrive: tuple[Path, ...],
                    leave: tuple[str, ...], checkin: Path | None, table_size: int | None, tables: int | None,
                    round_sizes: dict[int, int] | None, time_limit: float, seed: int, stability: float,
                    output: Path, as_json: bool) -> None:
    """Plan rounds R onwards again for who is actually here, moving as few people as possible.

    Rounds before R are copied from PLAN exactly and count as played. A first plan (the old one
    repaired) is ready at once; the rest of the time limit improves it. Ctrl-C keeps the best so far.
    Nothing is written when a person cannot be found. Example:

        mixer resolve plan.json --from-round 2 --absent "Ann Lee,Tomas" --arrive walkins.csv -o plan2.json

    With --table-size, --tables or --round-size the rounds planned again are seated in numbered
    groups of their own (pairs for the rest of the afternoon: --table-size 2).
    """
    from mixer.io.checkin import read_checkin
    from mixer.io.plan_file import read_plan, save_plan
    from mixer.plan_diff import diff_json
    from mixer.resolving import Changes, parse_leave, resolve, split_names
    from mixer.scoring import score_plan
    from mixer_cli.render import plan_json, print_json, show_plan

    plan = read_plan(plan_file)
    changes = Changes(
        absent=split_names(absent),
        leave=tuple(parse_leave(text) for text in leave),
        arrive=tuple(p for path in arrive for p in _people(path)),
        table_size=table_size,
        table_count=tables,
        round_sizes=round_sizes or {},
    )
    if checkin is not None:
        sheet = read_checkin(checkin, plan.event)
        show_problems(sheet.warnings)
        changes = replace(changes, arrive=changes.arrive + sheet.walk_ins, present=sheet.present)
    from rich.status import Status

    with Status("Re-solving...", console=stderr()) as status:
        new = resolve(plan, from_round, changes, time_limit=time_limit, seed=seed, stability=stability,
                      source=plan_file.name, progress=lambda p: status.update(_progress_text(p)))
    path = save_plan(new, output)
    score = score_plan(new)
    if as_json:
        print_json({**plan_json(new, score, path), "changes": diff_json(plan, new)})
    else:
        show_plan(new, score, path, with_seating=False)
        show_changes(plan, new)
    if new.metadata.interrupted:
        on_error(f"interrupted: the best plan found so far was written to {path}", code=INTERRUPTED)


@click.command("diff")
@click.argument("old_file", metavar="OLD", type=FILE)
@click.argument("new_file", metavar="NEW", type=FILE)
@json_option
def diff_command(old_file: Path, new_file: Path, as_json: bool) -> None:
    """Who moved, round by round, and who was added or removed, between two plans. Example:

        mixer diff plan.json plan2.json
    """
    from mixer.io.plan_file import read_plan
    from mixer.plan_diff import diff_json
    from mixer_cli.render import print_json

    old, new = read_plan(old_file), read_plan(new_file)
    if as_json:
        print_json(diff_json(old, new))
    else:
        show_changes(old, new)


def show_changes(old: Plan, new: Plan) -> None:
    """Per round: who moved from which table to which, who was added and who removed."""
    from rich.table import Table
    from rich.text import Text

    from mixer.plan_diff import diff_json
    from mixer_cli.render import stdout

    data = diff_json(old, new)
    console = stdout()
    tables = {t.id: t.display_name for t in (*old.event.tables, *new.event.tables)}
    for key, label in (("people_added", "New people"), ("people_removed", "People no longer in the plan")):
        if data[key]:
            console.print(Text(f"{label}: " + ", ".join(f"{p['name']} ({p['id']})" for p in data[key])))
    for r in data["rounds"]:
        if not (r["moved"] or r["added"] or r["removed"]):
            continue
        grid = Table(title=f"Round {r['round']}", title_style="bold", title_justify="left", box=None,
                     show_header=False)
        grid.add_column(no_wrap=True)
        grid.add_column()
        for m in r["moved"]:
            grid.add_row(Text("moved"), Text(f"{m['name']}: {tables.get(m['from'], m['from'])} -> "
                                             f"{tables.get(m['to'], m['to'])}"))
        for s in r["added"]:
            grid.add_row(Text("added", style="green"), Text(f"{s['name']} at {tables.get(s['table'], s['table'])}"))
        for s in r["removed"]:
            grid.add_row(Text("removed", style="red"),
                         Text(f"{s['name']} (was at {tables.get(s['table'], s['table'])})"))
        console.print(grid)
    console.print(Text(f"{data['moved_seats']} seat{'s' * (data['moved_seats'] != 1)} moved."))


def _people(path: Path) -> tuple[Participant, ...]:
    """The people in an arrivals list; its warnings are shown, its errors raised."""
    from mixer.errors import InputError
    from mixer.io.participants import read_participants

    roster = read_participants(path)
    if roster.fatal:
        raise InputError(roster.fatal)
    show_problems(p for p in roster.problems if not p.fatal)
    return roster.participants


def _progress_text(progress: Progress) -> str:
    text = f"Re-solving ({progress.elapsed:.1f} s): {progress.message}"
    if progress.best:
        text += f"; best so far: {progress.best['repeats']} repeats, value {progress.best['value']:g}"
    return text
