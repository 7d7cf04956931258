"""``mixer plan``: seat a participant list over several rounds and write the plan file."""

from __future__ import annotations

from pathlib import Path

import click

from mixer_cli.errors import show_problems
from mixer_cli.options import FILE, event_options, json_option, rule_options, solver_options


@click.command("plan")
@click.argument("participants", type=FILE)
@event_options
@rule_options
@solver_options(default_time_limit=10.0)
@click.option("--history", multiple=True, type=FILE, metavar="PLAN",
              help="A plan from an earlier session; its meetings count as already made. Repeatable.")
@click.option("--pair-values", type=FILE, metavar="FILE",
              help="CSV with columns a,b,value: what each pair meeting is worth (others 0). Overrides the event file's.")
@click.option("--known-pairs", type=FILE, metavar="FILE",
              help="CSV with columns a,b: pairs who already know each other (count as met once). Overrides the event file's.")
@click.option("--wanted-pairs", type=FILE, metavar="FILE",
              help="CSV with columns a,b,value: value added when the pair first meets. Overrides the event file's.")
@click.option("-o", "--output", required=True, type=FILE, metavar="PLAN", help="Where to write the plan (JSON).")
@click.option("--allow-violations", is_flag=True,
              help="Write the plan even if it breaks a hard rule (when no rule-keeping plan was found in time).")
@click.option("-q", "--quiet", is_flag=True, help="Print just the summary: no progress, no seating.")
@json_option
def plan_command(participants: Path, event_file: Path | None, rounds: int | None, table_size: int | None,
                 tables: int | None, round_sizes: dict[int, int] | None, columns: dict[str, str],
                 rules: list[dict[str, object]], solver: str, time_limit: float, seed: int, processes: int | None,
                 history: tuple[Path, ...],
                 pair_values: Path | None, known_pairs: Path | None, wanted_pairs: Path | None, output: Path,
                 allow_violations: bool, quiet: bool, as_json: bool) -> None:
    """Seat a participant list over several rounds, write the plan and show who sits where.

    Reads PARTICIPANTS (.csv or .xlsx) and the event file, plans, and writes PLAN, but only
    when planning succeeds: an existing file is never replaced by a failed run. When the hard
    rules clash, says which ones and exits 1. Prints a summary, then each round's tables with
    names (not with --quiet). Example:

        mixer plan people.csv --rounds 4 --table-size 5 -o plan.json
    """
    from mixer.assemble import load_event
    from mixer.io.plan_file import read_plan
    from mixer_cli.solving import solve_and_write

    past = [(str(p), read_plan(p)) for p in history]
    event, warnings = load_event(participants, event_file, rounds=rounds, table_size=table_size, table_count=tables,
                                 history_plans=past, pair_values=pair_values, known_pairs=known_pairs,
                                 wanted_pairs=wanted_pairs, rules=rules, round_sizes=round_sizes, columns=columns)
    show_problems(warnings)
    solve_and_write(event, output, solver=solver, time_limit=time_limit, seed=seed, processes=processes,
                    as_json=as_json, quiet=quiet, allow_violations=allow_violations)
