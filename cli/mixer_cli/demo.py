"""``mixer demo``: plan the built-in sample cohort, to see what mixer does."""

from __future__ import annotations

from pathlib import Path

import click

from mixer_cli.options import json_option, solver_options


@click.command("demo")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("mixer-demo"),
              show_default=True, metavar="DIR", help="Folder for plan.json, cards.pdf and plan.html.")
@solver_options(default_time_limit=5.0)
@json_option
def demo_command(out_dir: Path, solver: str, time_limit: float, seed: int, processes: int | None,
                 as_json: bool) -> None:
    """Plan the built-in sample cohort and show the result.

    Seats 50 invented people at tables of 5 over 4 rounds under the demo event's rules (an interpreter
    kept with the person she interprets for, two people kept apart, a table host, the accessible table
    for a wheelchair user, one person per organisation at a table), writes DIR/plan.json, the seating cards
    (DIR/cards.pdf) and the web page (DIR/plan.html), and prints the summary and the seating. Example:

        mixer demo --out-dir mixer-demo
    """
    from mixer.export import export_plan
    from mixer.io.plan_file import read_plan
    from mixer.sample import demo_event
    from mixer_cli.errors import show_problems, stderr
    from mixer_cli.export import exported_line
    from mixer_cli.render import stdout
    from mixer_cli.solving import solve_and_write

    path = solve_and_write(demo_event(), out_dir / "plan.json", solver=solver, time_limit=time_limit, seed=seed,
                           processes=processes, as_json=as_json)
    plan = read_plan(path)
    console = stderr() if as_json else stdout()
    for fmt, name in (("cards", "cards.pdf"), ("html", "plan.html")):
        result = export_plan(plan, fmt, out_dir / name)
        show_problems(result.warnings)
        console.print(exported_line(result))
