"""What the commands print: JSON reports on stdout, or rich tables and summaries."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # for type hints only: loading scoring would load numpy for `mixer check`
    from mixer.model import Event, Participant, Plan
    from mixer.scoring import Score

FEWEST_SHOWN = 5


def stdout() -> Console:
    """A console on stdout (made per use, so it writes to whatever ``sys.stdout`` is now)."""
    return Console(highlight=False)


def print_json(data: dict[str, object]) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def score_json(plan: Plan, score: Score) -> dict[str, object]:
    """``Score.summary()`` and the figures behind it: who met how many, each violation, each table's mix."""
    event = plan.event
    return {
        **score.summary(),
        "people": len(event.participants),
        "rounds": event.rounds,
        "tables": len(event.tables),
        "tables_per_round": [len(r.tables) for r in plan.rounds],
        "new_met": score.new_met,
        "violation_details": [asdict(v) for v in score.violation_details],
        "table_mix": [asdict(mix) for mix in score.tables],
    }


def plan_json(plan: Plan, score: Score, path: Path) -> dict[str, object]:
    """What ``plan --json`` and ``demo --json`` print: where the plan went, how it was made, its score."""
    return {"plan_file": str(path), "metadata": plan.metadata.model_dump(mode="json"), **score_json(plan, score)}


def summary(plan: Plan, score: Score) -> Table:
    """The headline figures of a plan, one per row."""
    from mixer.layout import describe_rounds

    event = plan.event
    meta = plan.metadata
    upper = score.bounds.value_upper_bound
    gap = f" (gap {100 * (upper - score.value) / upper:.1f}%)" if upper > 0 else ""
    broken = ", ".join(f"{kind} {n}" for kind, n in score.violations.items() if n)
    soft = ", ".join(f"{kind} {n}" for kind, n in score.soft_violations.items() if n)
    solver = f"{meta.solver}, {meta.time_used:.1f} s" + (f", {meta.status}" if meta.status else "")
    rows = [
        ("Event", Text(event.name)),
        ("People", Text(str(len(event.participants)))),
        ("Tables", Text("\n".join(describe_rounds([[len(ts.participants) for ts in r.tables] for r in plan.rounds])))),
        ("Rounds", Text(str(event.rounds))),
        ("Repeats", Text(f"{score.repeats} (lower bound {score.bounds.repeats_lower_bound})")),
        *((("Together by rule", Text(together_by_rule(plan, score))),) if score.together_by_rule else ()),
        ("Value", Text(f"{score.value:g} of at most {upper:g}{gap}")),
        ("New people met", Text(f"min {score.min_new_met}, mean {score.mean_new_met:g}, max {score.max_new_met}")),
        ("Rule violations", Text(broken, style="red") if broken else Text("none")),
        *((("Soft rules", Text(f"{soft}, costing {score.soft_cost:g} of the value", style="yellow")),) if soft else ()),
        ("Solver", Text(solver)),
        *(("Note", Text(note)) for note in meta.notes),
    ]
    table = Table(box=box.SIMPLE, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        table.add_row(label, value)
    return table


def person_label(person: Participant) -> str:
    """A person as a seating shows them: 'Ann Lee (Northgate Trust, Band 7)'."""
    known = [v for v in (person.organisation, person.level) if v]
    return f"{person.name} ({', '.join(known)})" if known else person.name


def _table_names(event: Event, round_no: int) -> dict[str, str]:
    """Table id -> the name shown for it in a round, with its topic if it has one."""
    tables = {t.id: t for t in (*event.tables, *event.tables_in(round_no))}
    return {tid: t.display_name + (f" - {t.topic}" if t.topic else "") for tid, t in tables.items()}


def seating(plan: Plan, by: str = "round", round_no: int | None = None) -> list[Table]:
    """Who sits where, by round (each table's people), by table (its people each round) or by person (their tables)."""
    from mixer.people import fold

    rounds = [r for r in plan.rounds if round_no is None or r.round == round_no]
    people = {p.id: p for p in plan.event.participants}

    def label(pid: str) -> str:
        return person_label(people[pid]) if pid in people else pid

    if by == "person":
        grid = Table(title="Seating by person", title_style="bold", title_justify="left", box=box.SIMPLE_HEAD)
        grid.add_column("Person")
        for r in rounds:
            grid.add_column(f"Round {r.round}", no_wrap=True)
        where = [(r.table_of(), _table_names(plan.event, r.round)) for r in rounds]
        for p in sorted(plan.event.participants, key=lambda p: fold(p.name)):
            grid.add_row(Text(person_label(p)), *(Text(names.get(t[p.id], t[p.id]) if p.id in t else "-")
                                                  for t, names in where))
        return [grid]
    if by == "table":
        shown: dict[str, Table] = {}
        for r in rounds:
            names = _table_names(plan.event, r.round)
            for ts in r.tables:
                if ts.table not in shown:
                    shown[ts.table] = _grid(names.get(ts.table, ts.table))
                shown[ts.table].add_row(Text(f"Round {r.round}"), Text("; ".join(map(label, ts.participants))))
        return list(shown.values())
    shown_rounds = []
    for r in rounds:
        names = _table_names(plan.event, r.round)
        grid = _grid(f"Round {r.round}")
        for ts in r.tables:
            grid.add_row(Text(names.get(ts.table, ts.table)), Text("; ".join(map(label, ts.participants))))
        shown_rounds.append(grid)
    return shown_rounds


def _grid(title: str) -> Table:
    grid = Table(title=title, title_style="bold", title_justify="left", box=None, show_header=False, padding=(0, 2, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    return grid


def show_seating(plan: Plan, by: str = "round", round_no: int | None = None) -> None:
    """Print who sits where (``mixer show`` and after ``mixer plan``'s summary)."""
    console = stdout()
    for part in seating(plan, by, round_no):
        console.print(part)
        console.print()


def violations(score: Score) -> Table | Text:
    """Every rule breach with its message, hard ones first, grouped by rule; soft ones with what they cost."""
    if not score.violation_details:
        return Text("No rule is broken.", style="green")
    table = Table(title="Rule violations", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("Rule", no_wrap=True)
    table.add_column("Hard or soft", no_wrap=True)
    table.add_column("What is wrong")
    for v in sorted(score.violation_details, key=lambda v: (not v.hard, v.rule)):
        kind = Text("hard", style="red") if v.hard else Text(f"soft, costs {v.cost:g}", style="yellow")
        table.add_row(Text(v.rule, style="red" if v.hard else "yellow"), kind, Text(v.message))
    return table


def fairness(plan: Plan, score: Score) -> Text:
    """How evenly new meetings are shared, naming who meets the fewest new people."""
    text = Text(
        f"New people met per person: min {score.min_new_met}, mean {score.mean_new_met:g}, max {score.max_new_met}."
    )
    if score.min_new_met < score.max_new_met:
        names = {p.id: p.name for p in plan.event.participants}
        fewest = sorted(score.new_met.items(), key=lambda item: item[1])[:FEWEST_SHOWN]
        text.append(f"\nFewest: {', '.join(f'{names[pid]} ({n})' for pid, n in fewest)}.")
    return text


def table_mix(plan: Plan, score: Score) -> Table:
    """Organisations / sectors / levels at each table in each round."""
    grid = Table(
        title="Table mix: people / organisations / sectors / levels",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    grid.add_column("Table", no_wrap=True)
    for r in range(1, plan.event.rounds + 1):
        grid.add_column(f"Round {r}", justify="right")
    event = plan.event
    names = {(r, t.id): t.display_name for r in range(1, event.rounds + 1) for t in event.tables_in(r)}
    cells: dict[str, dict[int, str]] = {}  # a round's own "Group 3" shares a row with other rounds' "Group 3"
    for mix in score.tables:
        name = names.get((mix.round, mix.table), mix.table)
        cells.setdefault(name, {})[mix.round] = f"{mix.size} / {mix.organisations} / {mix.sectors} / {mix.levels}"
    for name, row in cells.items():
        grid.add_row(Text(name), *(row.get(r, "") for r in range(1, event.rounds + 1)))
    return grid


def together_by_rule(plan: Plan, score: Score) -> str:
    """The pairs a rule seats together, named once each: 'Ann Lee & Bo Chan; ...'."""
    names = {p.id: p.name for p in plan.event.participants}
    return "; ".join(f"{names.get(a, a)} & {names.get(b, b)}" for a, b in score.together_by_rule)


def show_plan(plan: Plan, score: Score, path: Path, *, with_seating: bool) -> None:
    """The summary of a plan just written to ``path``, then (unless ``--quiet``) who sits where."""
    console = stdout()
    console.print(summary(plan, score))
    if with_seating:
        show_seating(plan)
    console.print(Text(f"Plan written to {path}"))


def show_score(plan: Plan, score: Score) -> None:
    """The full report of ``mixer score``."""
    console = stdout()
    for part in (summary(plan, score), violations(score), fairness(plan, score), table_mix(plan, score)):
        console.print(part)
        console.print()
