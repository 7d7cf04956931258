"""``mixer export``: seating cards, table rosters, the facilitator's sheet, CSV or a web page from a plan."""

from __future__ import annotations

from pathlib import Path

import click

from typing import TYPE_CHECKING

from mixer_cli.errors import show_problems
from mixer_cli.options import FILE, LazyChoice, json_option

if TYPE_CHECKING:
    from mixer.export import Exported

SUFFIX_FORMATS = {".csv": "csv", ".html": "html", ".htm": "html"}
CARD_CHOICES = ("badge", "label", "tent")


@click.command("export")
@click.argument("plan_file", metavar="PLAN", type=FILE)
@click.option("--format", "fmt", type=LazyChoice("mixer.export", "FORMATS"), help="What to make (default: from -o's suffix, .csv or .html).")
@click.option("-o", "--output", type=FILE, required=True, metavar="FILE", help="File to write.")
@click.option("--paper", type=LazyChoice("mixer.export", "PAPERS"), default="a4", show_default=True, help="Paper size for PDFs.")
@click.option("--card", type=click.Choice(CARD_CHOICES), default="badge", show_default=True,
              help="Cards: badge = 86 x 54 mm inserts, 10 a page; label = badge label sheets, 8 a page; "
                   "tent = folded table tents, 2 a page.")
@click.option("--wide", is_flag=True, help="CSV: one row per person, one column per round.")
@click.option("--changed-since", "old_plan", type=FILE, metavar="OLD_PLAN",
              help="Cards and rosters only for the people and tables whose seating differs from OLD_PLAN.")
@click.option("--people", "people", multiple=True, metavar="'A,B'",
              help="Only these people (ids or names, comma-separated; repeatable).")
@json_option
def export_command(plan_file: Path, fmt: str | None, output: Path, paper: str, card: str, wide: bool,
                   old_plan: Path | None, people: tuple[str, ...], as_json: bool) -> None:
    """Make printable cards, rosters or a sheet (PDF), a spreadsheet (CSV) or a web page (HTML) from PLAN.

    Names in any script print as written (Arabic, Urdu, Chinese, Devanagari...). Examples:

        mixer export plan.json --format cards -o cards.pdf

        mixer export plan.json -o plan.html

        mixer export new.json --format cards --changed-since old.json -o reprint.pdf
    """
    from mixer.export import FORMATS, Selection, changed_since, export_plan, named
    from mixer.io.plan_file import read_plan
    from mixer_cli.render import print_json, stdout

    fmt = fmt or SUFFIX_FORMATS.get(output.suffix.casefold())
    if fmt is None:
        raise click.UsageError(f"say what to make with --format ({', '.join(FORMATS)})")
    if wide and fmt != "csv":
        raise click.UsageError("--wide is for --format csv")
    if old_plan is not None and fmt not in ("cards", "rosters"):
        raise click.UsageError("--changed-since is for --format cards or rosters")
    if people and fmt == "html":
        raise click.UsageError("--people is for cards, rosters, sheet and csv; the web page shows everyone")
    plan = read_plan(plan_file)
    selection = Selection()
    refs = [ref.strip() for value in people for ref in value.split(",") if ref.strip()]
    if refs:
        selection = selection & named(plan, refs)
    if old_plan is not None:
        selection = selection & changed_since(plan, read_plan(old_plan))
    result = export_plan(plan, fmt, output, paper=paper, card=card, wide=wide, selection=selection)
    show_problems(result.warnings)
    if as_json:
        print_json(exported_json(result))
    elif result.items:
        stdout().print(exported_line(result))


def exported_line(result: Exported) -> str:
    """One line saying what was written, as the terminal shows it."""
    one, many = {"cards": ("card", "cards"), "rosters": ("roster", "rosters")}.get(result.format, ("person", "people"))
    what = one if result.items == 1 else many
    pages = f", {result.pages} page{'s' if result.pages != 1 else ''}" if result.pages is not None else ""
    return f"Wrote {result.path} ({result.format}: {result.items} {what}{pages}, {result.size / 1024:.0f} KB)"


def exported_json(result: Exported) -> dict[str, object]:
    return {"file": str(result.path), "format": result.format, "items": result.items, "pages": result.pages,
            "bytes": result.size, "warnings": [str(w) for w in result.warnings]}
