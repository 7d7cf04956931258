"""``mixer show``: print who sits where in a plan, by round, by table or by person."""

from __future__ import annotations

from pathlib import Path

import click

from mixer_cli.options import FILE

SEATING_VIEWS = ("round", "table", "person")


@click.command("show")
@click.argument("plan_file", metavar="PLAN", type=FILE)
@click.option("--by", type=click.Choice(SEATING_VIEWS), default="round", show_default=True,
              help="round: each table's people; table: who sits at each table each round; person: each one's tables.")
@click.option("--round", "round_no", type=click.IntRange(min=1), metavar="R", help="Only round R.")
def show_command(plan_file: Path, by: str, round_no: int | None) -> None:
    """Print who sits where in a plan, people by name with organisation and level.

    Example:

        mixer show plan.json --by person
    """
    from mixer.io.plan_file import read_plan
    from mixer_cli.render import show_seating

    plan = read_plan(plan_file)
    if round_no is not None and round_no > plan.event.rounds:
        raise click.BadParameter(f"the plan has rounds 1 to {plan.event.rounds}", param_hint="--round")
    show_seating(plan, by, round_no)
