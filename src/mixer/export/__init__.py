"""Exports of a plan for the room: seating cards, table rosters, the facilitator's sheet, CSV and a web page.

:func:`export_plan` is the one entry point; the PDF makers (and fpdf2 with them) are imported only
when a PDF is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mixer.constraints.base import Problem
from mixer.export.seating import PlanView, Selection, changed_since, named
from mixer.io.atomic import write_atomically
from mixer.model import Plan

FORMATS = ("cards", "rosters", "sheet", "csv", "html")
PDF_FORMATS = ("cards", "rosters", "sheet")
PAPERS = ("a4", "letter")

__all__ = ["FORMATS", "PAPERS", "PDF_FORMATS", "Exported", "Selection", "changed_since", "export_plan", "named"]


@dataclass
class Exported:
    """What an export wrote: how many cards, rosters or rows, pages (PDF), bytes, and warnings."""

    path: Path
    format: str
    items: int
    pages: int | None = None
    size: int = 0
    warnings: list[Problem] = field(default_factory=list)


def export_plan(plan: Plan, fmt: str, path: str | Path, *, paper: str = "a4", card: str = "badge", wide: bool = False,
                selection: Selection = Selection()) -> Exported:
    """Write ``plan`` to ``path`` as ``fmt`` (one of :data:`FORMATS`), limited to ``selection``.

    When the selection holds nobody to print (nothing changed since the old plan), nothing is written
    and the result says so in a warning.
    """
    path = Path(path)
    view = PlanView(plan)
    if fmt == "rosters" and not any(selection.has_group(g) for g in view.groups()) or fmt in ("cards", "sheet", "csv") \
            and not any(selection.has_person(p.id) for p in plan.event.participants):
        what = "table" if fmt == "rosters" else "person"
        return Exported(path, fmt, 0, warnings=[Problem(f"no {what} to print, so {path} was not written", fatal=False)])
    if fmt == "csv":
        from mixer.export.csv_export import plan_csv

        text = plan_csv(view, selection, wide=wide)
        data = "\ufeff" + text
        write_atomically(path, data)
        return Exported(path, fmt, sum(1 for p in plan.event.participants if selection.has_person(p.id)),
                        size=len(data.encode()))
    if fmt == "html":
        from mixer.export.html_export import plan_html

        data = plan_html(view)
        write_atomically(path, data)
        return Exported(path, fmt, len(plan.event.participants), size=len(data.encode()))
    if fmt == "cards":
        from mixer.export.cards import write_cards

        doc, items = write_cards(view, path, paper=paper, card=card, selection=selection)
    elif fmt in ("rosters", "sheet"):
        from mixer.export import rosters

        write = rosters.write_rosters if fmt == "rosters" else rosters.write_sheet
        doc, items = write(view, path, paper=paper, selection=selection)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return Exported(path, fmt, items, pages=doc.pages, size=path.stat().st_size, warnings=doc.fonts.warnings())
