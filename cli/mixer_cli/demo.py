"""``mixer demo``: plan the built-in sample cohort, to see what mixer does."""

from __future__ import annotations

from pathlib import Path

import click

from mixer.sample import sample_event
from mixer_cli.options import json_option, solver_options
from mixer_cli.solving import solve_and_write


@click.command("demo")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("mixer-demo"),
              show_default=True, metavar="DIR", help="Folder for plan.json.")
@solver_options(default_time_limit=5.0)
@json_option
def demo_command(out_dir: Path, solver: str, time_limit: float, seed: int, as_json: bool) -> None:
    """Plan the built-in sample cohort and show the result.

    Seats 50 invented people at tables of 5 over 4 rounds, writes DIR/plan.json and prints
    the summary and the seating. Example:

        mixer demo --out-dir mixer-demo
    """
    solve_and_write(sample_event(), out_dir / "plan.json", solver=solver, time_limit=time_limit, seed=seed,
                    as_json=as_json, with_seating=True)
