"""A PDF page maker that prints any script: fpdf2 with HarfBuzz shaping and per-glyph font fallback.

Every text is shaped (Arabic joined and right to left, Devanagari and Bengali conjuncts formed),
each glyph taken from the first font that has it, and shrunk to fit its box, then condensed if
even the smallest size is too wide, so it never overflows. Text that reads left to right is also
tagged with its exact characters (``/ActualText``) so copying or searching the PDF finds what
was written, whatever the glyphs; poppler reverses such tags in right-to-left text, so there the
glyphs' own mapping is relied on (Amiri's maps cleanly back to the letters).

fpdf2 and uharfbuzz are imported here only, when a PDF is made, so ``mixer --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from mixer.export.fonts import FontChoice, choose_fonts, is_right_to_left
from mixer.io.atomic import write_atomically

PAPER_SIZES = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
POINT = 25.4 / 72  # millimetres in a point
LINE = 1.25  # line height as a multiple of the font size
INK = (29, 36, 48)
MUTED = (91, 101, 116)
Align = Literal["L", "C", "R"]


class Document:
    """Pages of one paper size, with the fonts that print ``texts`` ((who, text) pairs, for warnings)."""

    def __init__(self, texts: list[tuple[str, str]], paper: str = "a4", landscape: bool = False, title: str = "") -> None:
        from fpdf import FPDF

        width, height = PAPER_SIZES[paper]
        self.width, self.height = (height, width) if landscape else (width, height)
        self.fonts: FontChoice = choose_fonts(texts)
        pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format=(width, height))
        pdf.set_auto_page_break(False)
        pdf.set_margins(0, 0, 0)
        pdf.c_margin = 0
        pdf.set_creator("mixer")
        pdf.set_title(title)
        names = []
        for i, font in enumerate(self.fonts.fonts):
            pdf.add_font(f"f{i}", fname=str(font.path), collection_font_number=font.index)
            names.append(f"f{i}")
        pdf.set_fallback_fonts(names[1:], exact_match=False)
        pdf.set_text_shaping(True)
        pdf.set_font(names[0], size=10)
        self.pdf = pdf

    def page(self) -> None:
        self.pdf.add_page()

    @property
    def pages(self) -> int:
        return self.pdf.page

    def fitted_size(self, text: str, width: float, size: float, min_size: float) -> tuple[float, float]:
        """The largest size up to ``size`` (points) at which ``text`` fits in ``width`` mm, but not below
        ``min_size``, and the text's width at that size."""
        self.pdf.set_font_size(size)
        natural = self.pdf.get_string_width(text)
        fitted = size if natural <= width or natural == 0 else max(min_size, size * width / natural)
        return fitted, natural * fitted / size

    def text(self, x: float, y: float, width: float, text: str, size: float, *, min_size: float = 5.0,
             align: Align = "L", bold: bool = False, colour: tuple[int, int, int] = INK) -> float:
        """Write one line whose top is at ``y``, shrunk (then condensed) to fit ``width``; returns its height in mm."""
        from fpdf.enums import TextMode
        from fpdf.syntax import PDFString

        pdf = self.pdf
        size, natural = self.fitted_size(text, width, size, min_size)
        pdf.set_font_size(size)
        pdf.set_stretching(100.0 if natural <= width else max(50.0, 100.0 * width / natural))
        pdf.set_text_color(*colour)
        pdf.set_draw_color(*colour)
        if bold:  # the variable fonts' bold instance takes seconds to make: stroke the outline instead
            pdf.text_mode = TextMode.FILL_STROKE
            pdf.set_line_width(size * POINT / 30)
        height = size * POINT * LINE
        tagged = not is_right_to_left(text)
        if tagged:
            pdf._out(f"/Span <</ActualText {PDFString(text).serialize()}>> BDC")
        # fpdf2 may leave a fallback font's Tf inside a q/Q pair and then skip it: set the font afresh.
        pdf.current_font_is_set_on_page = False
        pdf.set_xy(x, y)
        pdf.cell(width, height, text, align=align)
        if tagged:
            pdf._out("EMC")
        pdf.text_mode = TextMode.FILL
        pdf.set_stretching(100.0)
        return height

    def lines(self, x: float, y: float, width: float, text: str, size: float, *, min_size: float = 5.0,
              **style: object) -> float:
        """Like :meth:`text`, but a text that would shrink below two thirds of ``size`` on one line is
        split at the space nearest its middle and set on two; returns the height used."""
        fitted, _ = self.fitted_size(text, width, size, min_size)
        words = text.split(" ")
        if fitted >= size * 2 / 3 or len(words) < 2:
            return self.text(x, y, width, text, size, min_size=min_size, **style)
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        first, second = min(splits, key=lambda pair: abs(len(pair[0]) - len(pair[1])))
        size = min(self.fitted_size(part, width, size * 0.8, min_size)[0] for part in (first, second))
        height = self.text(x, y, width, first, size, min_size=size, **style)
        return height + self.text(x, y + height, width, second, size, min_size=size, **style)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.2, colour: tuple[int, int, int] = MUTED,
             dash: float = 0.0) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*colour)
        pdf.set_line_width(width)
        pdf.set_dash_pattern(dash=dash, gap=dash)
        pdf.line(x1, y1, x2, y2)
        pdf.set_dash_pattern()

    def save(self, path: str | Path) -> int:
        """Write the PDF atomically; returns its size in bytes."""
        data = bytes(self.pdf.output())
        write_atomically(path, data)
        return len(data)
