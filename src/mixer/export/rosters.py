"""Table rosters (one page per table per round, large type, to stand on the table) and the
facilitator's sheet (everyone by round on one grid, a page or two for 50 people)."""

from __future__ import annotations

from pathlib import Path

from mixer.export.pdf_doc import LINE, MUTED, POINT, Document
from mixer.export.seating import PlanView, Selection, table_label

MARGIN = 14.0


def write_rosters(view: PlanView, path: str | Path, *, paper: str = "a4",
                  selection: Selection = Selection()) -> tuple[Document, int]:
    """One landscape page per selected table and round: round, table (and topic), then its people."""
    groups = [g for g in view.groups() if selection.has_group(g)]
    texts = [(f"{table_label(g.table)}, round {g.round}", table_label(g.table)) for g in groups]
    texts += [(f"{p.name} ({p.id})", text) for g in groups for p in g.people for text in (p.name, p.organisation or "")]
    doc = Document(texts, paper, landscape=True, title=f"{view.event.name}: table rosters")
    width = doc.width - 2 * MARGIN
    for g in groups:
        doc.page()
        top = MARGIN
        top += doc.text(MARGIN, top, width, f"Round {g.round} of {view.rounds}", size=18, colour=MUTED)
        top += doc.text(MARGIN, top, width, g.table.display_name, size=44, min_size=16, bold=True)
        if g.table.topic:
            top += doc.text(MARGIN, top, width, g.table.topic, size=24, min_size=10)
        top += 3
        doc.line(MARGIN, top, doc.width - MARGIN, top, width=0.4)
        top += 4
        _people(doc, g.people, MARGIN, top, width, doc.height - MARGIN - top)
    doc.save(path)
    return doc, len(groups)


def _people(doc: Document, people: tuple, x: float, y: float, w: float, h: float) -> None:
    """Names large with organisations small beneath, in as many columns as needed to stay legible."""
    if not people:
        return
    columns = 1 if len(people) <= 8 else 2
    per_column = -(-len(people) // columns)
    row_h = h / per_column
    size = min(30.0, row_h * 0.62 / POINT / LINE)
    col_w = (w - (columns - 1) * 8) / columns
    for i, person in enumerate(people):
        cx, cy = x + (i // per_column) * (col_w + 8), y + (i % per_column) * row_h
        used = doc.text(cx, cy, col_w, person.name, size=size, min_size=8, bold=True)
        if person.organisation:
            doc.text(cx, cy + used, col_w, person.organisation, size=max(7.0, size * 0.45), min_size=6, colour=MUTED)


def write_sheet(view: PlanView, path: str | Path, *, paper: str = "a4",
                selection: Selection = Selection()) -> tuple[Document, int]:
    """The master grid: a row per person (sorted by name), a column per round, headings on every page."""
    people = [p for p in view.people() if selection.has_person(p.id)]
    texts = [(f"{p.name} ({p.id})", t) for p in people
             for t in (p.name, p.organisation or "", *(table_label(s) for s in view.seats(p.id) if s))]
    landscape = view.rounds > 5
    doc = Document(texts, paper, landscape=landscape, title=f"{view.event.name}: facilitator's sheet")
    margin = 10.0
    width = doc.width - 2 * margin
    row_h, size = 5.0, 8.0
    name_w = width * (0.22 if landscape else 0.27)
    labels = [table_label(t) for p in people for t in view.seats(p.id) if t] or ["—"]
    doc.pdf.set_font_size(size)
    widest = max(doc.pdf.get_string_width(label) for label in {*labels, "Round 10"}) + 3
    round_w = min(widest, (width - name_w - 30) / max(1, view.rounds))
    org_w = width - name_w - view.rounds * round_w
    rows_per_page = int((doc.height - 2 * margin - 16) // row_h)
    for start in range(0, len(people), rows_per_page):
        doc.page()
        top = margin
        title = f"{view.event.name} · {len(people)} people · page {start // rows_per_page + 1}"
        top += doc.text(margin, top, width, title, size=12, bold=True)
        top += 2
        heads = ["Name", "Organisation", *(f"Round {r}" for r in range(1, view.rounds + 1))]
        widths = [name_w, org_w, *([round_w] * view.rounds)]
        _row(doc, margin, top, widths, heads, size, bold=True)
        top += row_h
        doc.line(margin, top, margin + width, top, width=0.3)
        for i, person in enumerate(people[start:start + rows_per_page]):
            cells = [person.name, person.organisation or "",
                     *(table_label(t) if t else "—" for t in view.seats(person.id))]
            _row(doc, margin, top + i * row_h + 0.4, widths, cells, size)
            doc.line(margin, top + (i + 1) * row_h, margin + width, top + (i + 1) * row_h, width=0.1)
    doc.save(path)
    return doc, len(people)


def _row(doc: Document, x: float, y: float, widths: list[float], cells: list[str], size: float,
         bold: bool = False) -> None:
    for width, cell in zip(widths, cells):
        doc.text(x, y, width - 1.5, cell, size=size, min_size=5, bold=bold)
        x += width
