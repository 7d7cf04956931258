"""``mixer check``: report every problem in a participant list and event file at once."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mixer_cli.errors import show_problems
from mixer_cli.options import FILE, event_options, json_option, rule_options

if TYPE_CHECKING:
    from mixer.model import Participant


@click.command("check")
@click.argument("participants", type=FILE)
@event_options
@rule_options
@json_option
def check_command(participants: Path, event_file: Path | None, rounds: int | None, table_size: int | None,
                  tables: int | None, round_sizes: dict[int, int] | None, columns: dict[str, str],
                  rules: list[dict[str, object]], as_json: bool) -> None:
    """List every problem in a participant list and event file, and the table sizes of each round.

    Checks PARTICIPANTS, and the event as a whole when an event file, rounds or tables are given.
    Errors and warnings are listed together, rules that clash among them; exits 1 if any error
    would stop planning. Example:

        mixer check people.csv --event event.toml
    """
    from mixer.assemble import check_files, load_event
    from mixer.layout import describe_rounds, round_layout

    given = {"rounds": rounds, "table_size": table_size, "table_count": tables, "columns": columns, "rules": rules,
             "round_sizes": round_sizes}
    problems = check_files(participants, event_file, **given)
    fatal = any(p.fatal for p in problems)
    sizes: list[list[int]] = []
    if not fatal and (event_file is not None or any(v is not None for v in (rounds, table_size, tables))):
        event, _ = load_event(participants, event_file, **given)
        counts = tally(event.participants)  # with the event file's [columns]
        sizes = [sorted(round_layout(event, r).values(), reverse=True) for r in range(1, event.rounds + 1)]
    else:
        counts = found(participants, columns)
    if as_json:
        from mixer_cli.render import print_json

        print_json({"ok": not fatal, "problems": [asdict(p) for p in problems], **counts, "table_sizes": sizes})
    else:
        show_problems(problems)
        if not fatal:
            show_ok(counts, warnings=len(problems), table_sizes=describe_rounds(sizes) if sizes else [])
    if fatal:
        sys.exit(1)


def show_ok(counts: dict[str, int], warnings: int, table_sizes: list[str]) -> None:
    """The OK line, and the table sizes of each round when the whole event was checked.

    Printed with click, not rich, so that a clean check never loads rich (about a tenth of its start-up).
    As rich did, "OK:" is bold green on a terminal only, and bold without colour under NO_COLOR.
    """
    note = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
    ok = click.style("OK: ", fg=None if os.environ.get("NO_COLOR") else "green", bold=True)
    click.echo(f"{ok}{counts['people']} people from {counts['organisations']} organisations, "
               f"{counts['sectors']} sectors and {counts['levels']} levels{note}")
    for line in table_sizes:
        click.echo(f"Tables: {line}")


def found(participants: Path, columns: dict[str, str] | None = None) -> dict[str, int]:
    """How many usable people the list has, and how many distinct organisations, sectors and levels."""
    from mixer.errors import InputError
    from mixer.io.participants import read_participants

    try:
        people = read_participants(participants, columns).participants
    except InputError:
        people = ()
    return tally(people)


def tally(people: Sequence[Participant]) -> dict[str, int]:
    """The number of people, and of distinct organisations, sectors and levels among them."""
    counts = {"people": len(people)}
    for attr, label in (("organisation", "organisations"), ("sector", "sectors"), ("level", "levels")):
        counts[label] = len({v.casefold() for p in people if (v := getattr(p, attr)) is not None})
    return counts
