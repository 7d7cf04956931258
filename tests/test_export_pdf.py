"""PDF exports read back with poppler: every name exact in its own script, every round's table on each card."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from debian_tools import require_cjk_font, require_program
from export_plans import NAMES, SEATING, TABLES, people, plan, table_of
from mixer.export import changed_since, export_plan
from mixer.export.cards import STOCKS, card_cells
from mixer.export.fonts import choose_fonts, coverage
from mixer.export.pdf_doc import PAPER_SIZES
from mixer.people import fold

MM = 72 / 25.4  # points per millimetre
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # poppler wraps right-to-left runs in these


def pdftotext(pdf: Path, page: int = 1, box: tuple[float, float, float, float] | None = None) -> str:
    """The text of one page, or of the box (x, y, width, height in mm) on it, without bidi marks."""
    args = [require_program("pdftotext", "poppler-utils"), "-f", str(page), "-l", str(page), "-r", "72"]
    if box:
        x, y, w, h = (round(v * MM) for v in box)
        args += ["-x", str(x), "-y", str(y), "-W", str(w), "-H", str(h)]
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return BIDI_MARKS.sub("", out)


def pages(pdf: Path) -> int:
    info = subprocess.run([require_program("pdfinfo", "poppler-utils"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def label(table_id: str) -> str:
    table = next(t for t in TABLES if t.id == table_id)
    return f"{table.display_name} · {table.topic}" if table.topic else table.display_name


def sorted_ids() -> list[str]:
    return sorted(NAMES, key=lambda pid: (fold(NAMES[pid][0]), NAMES[pid][0]))


@pytest.mark.parametrize(("card", "paper"), [("badge", "a4"), ("label", "letter"), ("tent", "a4")])
def test_every_card_has_its_persons_name_and_each_rounds_table(tmp_path: Path, card: str, paper: str) -> None:
    require_cjk_font()
    p = plan()
    result = export_plan(p, "cards", tmp_path / "cards.pdf", card=card, paper=paper)
    assert result.warnings == [] and result.items == len(NAMES)
    stock = STOCKS[(card, paper)]
    assert result.pages == pages(tmp_path / "cards.pdf") == -(-len(NAMES) // stock.per_page)
    seats = table_of(p)
    cells = card_cells(stock, *PAPER_SIZES[paper])
    for i, pid in enumerate(sorted_ids()):
        x, y = cells[i % stock.per_page]
        text = pdftotext(tmp_path / "cards.pdf", i // stock.per_page + 1, (x, y, stock.width, stock.height))
        lines = [line.strip() for line in text.splitlines()]
        name, organisation, *_ = NAMES[pid]
        assert name in lines or (pid == "12" and name in " ".join(lines)), (name, lines)  # a long name takes two lines
        assert organisation in lines
        for r in range(1, len(SEATING) + 1):
            where = label(seats[(pid, r)]) if (pid, r) in seats else "not there"
            assert any(line.startswith(f"Round {r}") and line.endswith(where) for line in lines), (pid, r, where, lines)


def test_names_in_polish_urdu_arabic_and_chinese_come_back_exactly(tmp_path: Path) -> None:
    require_cjk_font()
    export_plan(plan(), "sheet", tmp_path / "sheet.pdf")
    lines = {line.strip() for line in pdftotext(tmp_path / "sheet.pdf").splitlines()}
    for pid in ("1", "2", "3", "4", "8", "9"):
        assert NAMES[pid][0] in lines, NAMES[pid][0]


def test_arabic_is_drawn_with_glyphs_on_a_page_that_is_not_blank(tmp_path: Path) -> None:
    import uharfbuzz as hb

    require_program("pdftoppm", "poppler-utils")
    arabic = NAMES["3"][0]
    choice = choose_fonts([("3", arabic)])
    assert not choice.missing
    font = next(f for f in choice.fonts if all(ord(c) in coverage(f) for c in arabic if c != " "))
    buffer = hb.Buffer()
    buffer.add_str(arabic)
    buffer.guess_segment_properties()
    hb.shape(hb.Font(hb.Face(hb.Blob.from_file_path(str(font.path)), font.index)), buffer)
    assert buffer.direction == "rtl" and 0 not in [g.codepoint for g in buffer.glyph_infos]  # no .notdef box
    export_plan(plan(seating=((("3",),),), attendance={}, participants=_only("3")), "cards", tmp_path / "one.pdf")
    fonts = subprocess.run(["pdffonts", str(tmp_path / "one.pdf")], capture_output=True, text=True).stdout
    assert "Amiri" in fonts
    subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "one.pdf"),
                    str(tmp_path / "page")], check=True)
    ink = _dark_pixels(next(tmp_path.glob("page*.pgm")))
    assert ink > 200, "the page came out blank"


def test_long_names_shrink_to_fit_their_card(tmp_path: Path) -> None:
    export_plan(plan(), "cards", tmp_path / "cards.pdf")
    bbox = subprocess.run([require_program("pdftotext", "poppler-utils"), "-bbox", str(tmp_path / "cards.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    stock = STOCKS[("badge", "a4")]
    cells = card_cells(stock, *PAPER_SIZES["a4"])
    left_edges = sorted({x for x, _ in cells})
    for x_min, x_max, word in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', bbox):
        column = max(e for e in left_edges if e <= float(x_min) / MM + 0.01)
        assert float(x_max) / MM <= column + stock.width, f"{word!r} runs off its card"
    long_name = NAMES["12"][0]
    text = pdftotext(tmp_path / "cards.pdf", 1 + sorted_ids().index("12") // stock.per_page)
    assert long_name not in text.splitlines() and long_name in " ".join(text.split())  # on two lines, whole


def test_a_name_no_font_has_is_reported_with_how_to_install_one(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mixer.export.fonts.system_fonts", lambda: ())
    result = export_plan(plan(), "cards", tmp_path / "cards.pdf")
    [warning] = result.warnings
    assert "王秀英 (4)" in str(warning) and "CJK" in str(warning) and "apt-get install fonts-noto-cjk" in str(warning)
    assert (tmp_path / "cards.pdf").exists()


def test_rosters_and_sheet(tmp_path: Path) -> None:
    require_cjk_font()
    p = plan()
    result = export_plan(p, "rosters", tmp_path / "rosters.pdf")
    groups = [(r, i) for r, rnd in enumerate(SEATING, start=1) for i in range(len(rnd))]
    assert result.items == result.pages == pages(tmp_path / "rosters.pdf") == len(groups)
    for page, (r, i) in enumerate(groups, start=1):
        text = pdftotext(tmp_path / "rosters.pdf", page)
        lines = [line.strip() for line in text.splitlines()]
        assert f"Round {r} of 3" in lines and TABLES[i].display_name in lines
        assert all(NAMES[pid][0] in lines for pid in SEATING[r - 1][i])
        assert (TABLES[i].topic or TABLES[i].display_name) in lines
    result = export_plan(p, "sheet", tmp_path / "sheet.pdf", paper="letter")
    assert result.pages == 1
    text = pdftotext(tmp_path / "sheet.pdf")
    assert all(NAMES[pid][0] in text for pid in NAMES) and "Window · Hospital discharge" in text


def test_changed_since_reprints_only_the_changed_cards_and_rosters(tmp_path: Path) -> None:
    old = plan()
    new = plan(seating=(SEATING[0], (("1", "5", "9", "6"), ("2", "10", "11", "12"), SEATING[1][2]), SEATING[2]))
    chosen = changed_since(new, old)
    cards = export_plan(new, "cards", tmp_path / "cards.pdf", selection=chosen)
    assert cards.items == 2
    text = pdftotext(tmp_path / "cards.pdf")
    assert NAMES["6"][0] in text and NAMES["10"][0] in text and NAMES["5"][0] not in text
    rosters = export_plan(new, "rosters", tmp_path / "rosters.pdf", selection=chosen)
    assert rosters.items == rosters.pages == 2


def _only(pid: str) -> tuple:
    return tuple(p for p in people() if p.id == pid)


def _dark_pixels(pgm: Path) -> int:
    data = pgm.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    return sum(1 for b in data[header.end():] if b < 128)
