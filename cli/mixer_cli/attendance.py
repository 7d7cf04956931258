"""``mixer attendance``: write the check-in sheet for a plan."""

from __future__ import annotations

from pathlib import Path

import click

from mixer_cli.options import FILE

WALK_IN_ROWS = 10  # mixer.io.checkin's default, written out so that ``mixer --help`` loads no numpy


@click.command("attendance")
@click.argument("plan_file", metavar="PLAN", type=FILE)
@click.option("-o", "--output", required=True, type=FILE, metavar="SHEET", help="Where to write the sheet (.csv).")
@click.option("--walk-in-rows", type=click.IntRange(min=0), default=WALK_IN_ROWS, show_default=True, metavar="N",
              help="Empty rows at the end for people who walk in.")
def attendance_command(plan_file: Path, output: Path, walk_in_rows: int) -> None:
    """Write a check-in sheet for PLAN: one row per person to tick, and empty rows for walk-ins.

    Tick `present` (yes, y, 1 or x) for everyone here, write walk-ins' names in the empty rows, then
    re-solve with it. Example:

        mixer attendance plan.json -o checkin.csv
        mixer resolve plan.json --checkin checkin.csv --from-round 1 -o plan2.json
    """
    from rich.text import Text

    from mixer.io.checkin import write_checkin
    from mixer.io.plan_file import read_plan
    from mixer_cli.render import stdout

    plan = read_plan(plan_file)
    write_checkin(plan.event, output, walk_in_rows)
    stdout().print(Text(f"Check-in sheet for {len(plan.event.participants)} people written to {output}"))
