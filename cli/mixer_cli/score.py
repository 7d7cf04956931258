"""``mixer score``: score a plan file from its seating."""

from __future__ import annotations

from pathlib import Path

import click

from mixer_cli.options import FILE, json_option


@click.command("score")
@click.argument("plan_file", metavar="PLAN", type=FILE)
@json_option
def score_command(plan_file: Path, as_json: bool) -> None:
    """Score a plan file from its seating.

    Recomputes repeats, value against its upper bound, rule violations, new people met and
    each table's mix from the seating in PLAN (the score stored in the file is ignored). Example:

        mixer score plan.json --json
    """
    from mixer.io.plan_file import read_plan
    from mixer.scoring import score_plan
    from mixer_cli.render import print_json, score_json, show_score

    plan = read_plan(plan_file)
    score = score_plan(plan)
    if as_json:
        print_json(score_json(plan, score))
    else:
        show_score(plan, score)
