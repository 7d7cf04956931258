"""``mixer check``: report every problem in a participant list and event file at once."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path

import click

from mixer_cli.errors import show_problems
from mixer_cli.options import FILE, event_options, json_option, rule_options


@click.command("check")
@click.argument("participants", type=FILE)
@event_options
@rule_options
@json_option
def check_command(participants: Path, event_file: Path | None, rounds: int | None, table_size: int | None,
                  tables: int | None, round_sizes: dict[int, int] | None, rules: list[dict[str, object]], as_json: bool) -> None:
    """List every problem in a participant list and event file.

    Checks PARTICIPANTS, and the event as a whole when an event file, rounds or tables are given.
    Errors and warnings are listed together, rules that clash among them; exits 1 if any error
    would stop planning. Example:

        mixer check people.csv --event event.toml
    """
    from mixer.assemble import check_files
    from mixer_cli.render import print_json, show_check

    problems = check_files(participants, event_file, rounds=rounds, table_size=table_size, table_count=tables,
                           rules=rules, round_sizes=round_sizes)
    fatal = any(p.fatal for p in problems)
    counts = found(participants)
    if as_json:
        print_json({"ok": not fatal, "problems": [asdict(p) for p in problems], **counts})
    else:
        show_problems(problems)
        if not fatal:
            show_check(counts, warnings=len(problems))
    if fatal:
        sys.exit(1)


def found(participants: Path) -> dict[str, int]:
    """How many usable people the list has, and how many distinct organisations, sectors and levels."""
    from mixer.errors import InputError
    from mixer.io.participants import read_participants

    try:
        people = read_participants(participants).participants
    except InputError:
        people = ()
    counts = {"people": len(people)}
    for attr, label in (("organisation", "organisations"), ("sector", "sectors"), ("level", "levels")):
        counts[label] = len({v.casefold() for p in people if (v := getattr(p, attr)) is not None})
    return counts
