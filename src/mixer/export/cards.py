"""Seating cards: one per participant, sorted by name, with their table in every round.

Card stock (``card``) matches stationery facilitators buy:

- ``badge``: credit-card badge inserts, 86 x 54 mm, 10 to a page, with cut marks;
- ``label``: badge label sheets, 8 to a page (A4: 99.1 x 67.7 mm, as Avery L7165;
  letter: 3 3/8 x 2 1/3 in, as Avery 5395), printed where the labels are, no marks;
- ``tent``: folded table-tent cards, 2 to a page: the half facing the table shows the name
  large, the other half (upside down on the sheet) shows the holder their tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mixer.export.pdf_doc import LINE, MUTED, POINT, Document
from mixer.export.seating import PlanView, Selection, table_label
from mixer.model import Participant, Table

MARK = 5.0  # length of a cut mark, mm
MARK_GAP = 1.5  # space between a card's corner and its marks, mm


@dataclass(frozen=True)
class Stock:
    """A sheet of cards: card size and grid in mm, centred on the page."""

    width: float
    height: float
    columns: int
    rows: int
    gap_x: float = 0.0
    gap_y: float = 0.0
    cut_marks: bool = True
    tent: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


STOCKS = {
    ("badge", "a4"): Stock(86, 54, 2, 5),
    ("badge", "letter"): Stock(86, 54, 2, 5),
    ("label", "a4"): Stock(99.1, 67.7, 2, 4, gap_x=2.5, cut_marks=False),
    ("label", "letter"): Stock(85.725, 59.267, 2, 4, gap_x=11.05, gap_y=4.24, cut_marks=False),
    ("tent", "a4"): Stock(210, 148.5, 1, 2, cut_marks=False, tent=True),
    ("tent", "letter"): Stock(215.9, 139.7, 1, 2, cut_marks=False, tent=True),
}
CARDS = ("badge", "label", "tent")


def card_texts(view: PlanView, people: list[Participant]) -> list[tuple[str, str]]:
    """Every text the cards print, with whose card it is on (to name them if a script has no font)."""
    texts = []
    for p in people:
        who = f"{p.name} ({p.id})"
        texts += [(who, p.name), (who, p.organisation or "")]
        texts += [(who, table_label(t)) for t in view.seats(p.id) if t is not None]
    return texts


def write_cards(view: PlanView, path: str | Path, *, paper: str = "a4", card: str = "badge",
                selection: Selection = Selection()) -> tuple[Document, int]:
    """Write the selected people's cards; returns the document (pages, warnings) and the number of cards."""
    stock = STOCKS[(card, paper)]
    people = [p for p in view.people() if selection.has_person(p.id)]
    doc = Document(card_texts(view, people), paper, title=f"{view.event.name}: seating cards")
    for start in range(0, len(people), stock.per_page):
        doc.page()
        cells = card_cells(stock, doc.width, doc.height)
        for person, (x, y) in zip(people[start:start + stock.per_page], cells):
            if stock.tent:
                _tent(doc, view, person, x, y, stock)
            else:
                _card(doc, view, person, x, y, stock.width, stock.height)
        if stock.tent:  # tents fill the page: a faint line to cut along between them
            for _, y in cells[1:]:
                doc.line(0, y, doc.width, y, width=0.1)
        elif stock.cut_marks:
            _cut_marks(doc, stock, cells)
    doc.save(path)
    return doc, len(people)


def card_cells(stock: Stock, page_width: float, page_height: float) -> list[tuple[float, float]]:
    """Top-left corners of the cards on a page, row by row, the grid centred on the page (mm)."""
    grid_w = stock.columns * stock.width + (stock.columns - 1) * stock.gap_x
    grid_h = stock.rows * stock.height + (stock.rows - 1) * stock.gap_y
    left, top = (page_width - grid_w) / 2, (page_height - grid_h) / 2
    return [
        (left + c * (stock.width + stock.gap_x), top + r * (stock.height + stock.gap_y))
        for r in range(stock.rows)
        for c in range(stock.columns)
    ]


def _cut_marks(doc: Document, stock: Stock, cells: list[tuple[float, float]]) -> None:
    """Short lines in the margins, in line with every card edge, so a guillotine can follow them."""
    xs = sorted({round(x, 2) for x, _ in cells} | {round(x + stock.width, 2) for x, _ in cells})
    ys = sorted({round(y, 2) for _, y in cells} | {round(y + stock.height, 2) for _, y in cells})
    left, right, top, bottom = xs[0], xs[-1], ys[0], ys[-1]
    room_x, room_y = min(left, doc.width - right), min(top, doc.height - bottom)
    if room_y > MARK_GAP + 1:
        length = min(MARK, room_y - MARK_GAP)
        for x in xs:
            doc.line(x, top - MARK_GAP - length, x, top - MARK_GAP)
            doc.line(x, bottom + MARK_GAP, x, bottom + MARK_GAP + length)
    if room_x > MARK_GAP + 1:
        length = min(MARK, room_x - MARK_GAP)
        for y in ys:
            doc.line(left - MARK_GAP - length, y, left - MARK_GAP, y)
            doc.line(right + MARK_GAP, y, right + MARK_GAP + length, y)


def _card(doc: Document, view: PlanView, person: Participant, x: float, y: float, w: float, h: float) -> None:
    """A badge: name, organisation, a rule, then the table for each round."""
    pad = max(3.5, w * 0.045)
    inner = w - 2 * pad
    top = y + pad * 0.8
    top += doc.lines(x + pad, top, inner, person.name, size=h * 0.33, min_size=8, bold=True)
    if person.organisation:
        top += doc.text(x + pad, top, inner, person.organisation, size=min(9, h * 0.15), min_size=5, colour=MUTED)
    top += 1.2
    doc.line(x + pad, top, x + w - pad, top, width=0.25)
    _rounds(doc, view.seats(person.id), x + pad, top + 1.2, inner, y + h - pad * 0.7 - top - 1.2)


def _rounds(doc: Document, seats: list[Table | None], x: float, y: float, w: float, h: float,
            max_size: float = 12.0) -> None:
    """``Round N  Table`` lines filling a box, in two columns when one would make them too small."""
    count = len(seats)
    columns = 1 if h / count / POINT / LINE >= 6 or count < 4 else 2
    per_column = -(-count // columns)
    size = min(max_size, h / per_column / POINT / LINE)
    col_w = (w - (columns - 1) * 3) / columns
    label_w = min(col_w * 0.38, _label_width(doc, count, size))
    for i, table in enumerate(seats):
        cx = x + (i // per_column) * (col_w + 3)
        cy = y + (i % per_column) * size * POINT * LINE
        doc.text(cx, cy, label_w, f"Round {i + 1}", size=size, min_size=4, colour=MUTED)
        where = table_label(table) if table is not None else "not there"
        doc.text(cx + label_w, cy, col_w - label_w, where, size=size, min_size=4, bold=table is not None,
                 colour=MUTED if table is None else (29, 36, 48))


def _label_width(doc: Document, count: int, size: float) -> float:
    doc.pdf.set_font_size(size)
    return doc.pdf.get_string_width(f"Round {count}") + 2.0


def _tent(doc: Document, view: PlanView, person: Participant, x: float, y: float, stock: Stock) -> None:
    """A folded tent: the lower half faces the table (name large), the upper half, upside down, faces its owner."""
    half = stock.height / 2
    pad = 12.0
    doc.line(x + 4, y + half, x + stock.width - 4, y + half, width=0.2, dash=1.5)  # fold here
    front_top = y + half + half * 0.22
    front_top += doc.lines(x + pad, front_top, stock.width - 2 * pad, person.name, size=40, min_size=12, align="C",
                           bold=True)
    if person.organisation:
        doc.text(x + pad, front_top + 2, stock.width - 2 * pad, person.organisation, size=16, min_size=7, align="C",
                 colour=MUTED)
    with doc.pdf.rotation(180, x + stock.width / 2, y + half / 2):
        top = y + pad * 0.8
        top += doc.lines(x + pad, top, stock.width - 2 * pad, person.name, size=26, min_size=10, bold=True)
        top += 2
        _rounds(doc, view.seats(person.id), x + pad, top, stock.width - 2 * pad, y + half - pad * 0.6 - top,
                max_size=20.0)
