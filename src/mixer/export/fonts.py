"""Which fonts print the names: packaged ones first, then fonts found on the computer.

Latin (with Greek, Cyrillic and Vietnamese), Arabic (with Urdu and Persian), Devanagari and Bengali
come from font packages installed with mixer (Noto Sans, Amiri, Noto Sans Devanagari, Hind Siliguri;
all under the SIL Open Font Licence). Chinese, Japanese and Korean fonts are too large to ship, so
they, and any other script, come from the system's fonts (``fc-list``, else the usual folders).
Only fonts a document needs are used, so a cohort of Latin names never loads a CJK font.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from mixer.constraints.base import Problem


@dataclass(frozen=True)
class FontFile:
    """One face of a font file (a ``.ttc`` collection holds several)."""

    path: Path
    index: int = 0
    family: str = ""


# (package, file name start); the first is the main font, the others fill in what it lacks.
PACKAGED = (
    ("fontpkg_noto_sans", "NotoSans["),
    ("fontpkg_amiri", "Amiri-Regular"),
    ("fontpkg_noto_sans_devanagari", "NotoSansDevanagari"),
    ("fontpkg_hind_siliguri", "HindSiliguri-Regular"),
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
                "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts", "C:/Windows/Fonts")
# Families tried first for the scripts no packaged font has, best first (CJK: simplified Chinese
# shapes first, as most Chinese names in the cohorts are written so).
PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans",
             "Source Han Sans", "WenQuanYi", "Droid Sans Fallback", "DejaVu Sans")
INSTALL_HINT = {
    "CJK": "fonts-noto-cjk",
    "Hangul": "fonts-noto-cjk",
    "Hiragana": "fonts-noto-cjk",
    "Katakana": "fonts-noto-cjk",
}
SCRIPT_NAMES = {"CJK": "Chinese, Japanese or Korean (CJK)", "Hangul": "Korean (Hangul)",
                "Hiragana": "Japanese (Hiragana)", "Katakana": "Japanese (Katakana)"}


def packaged_fonts() -> list[FontFile]:
    """The fonts shipped in mixer's font packages, main font first; a package not installed is skipped."""
    found = []
    for package, start in PACKAGED:
        try:
            folder = files(package) / "files"
        except ModuleNotFoundError:
            continue
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.startswith(start) and entry.name.endswith(FONT_SUFFIXES):
                found.append(FontFile(Path(str(entry)), 0, package))
                break
    return found


@cache
def system_fonts() -> tuple[FontFile, ...]:
    """The computer's fonts, regular sans faces and :data:`PREFERRED` families first."""
    fonts = _fc_list() or _font_folders()

    def rank(font: FontFile) -> tuple[int, int, str]:
        family = font.family.casefold()
        preferred = next((i for i, name in enumerate(PREFERRED) if family.startswith(name.casefold())), len(PREFERRED))
        plain = not any(word in str(font.path).casefold() for word in ("bold", "italic", "oblique", "mono", "light",
                                                                        "thin", "black", "heavy", "serif"))
        return (preferred, 0 if plain else 1, str(font.path))

    return tuple(sorted(fonts, key=rank))


def _fc_list() -> list[FontFile]:
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\t%{index}\t%{family[0]}\n"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    fonts = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].casefold().endswith(FONT_SUFFIXES) and parts[1].isdigit():
            fonts.append(FontFile(Path(parts[0]), int(parts[1]), parts[2]))
    return fonts


def _font_folders() -> list[FontFile]:
    fonts = []
    for folder in FONT_FOLDERS:
        root = Path(os.path.expanduser(folder))
        if root.is_dir():
            fonts += [FontFile(p, 0, p.stem) for p in root.rglob("*") if p.suffix.casefold() in FONT_SUFFIXES]
    return fonts


@cache
def coverage(font: FontFile) -> frozenset[int]:
    """The code points a font has glyphs for (read with HarfBuzz, which does not load the outlines)."""
    import uharfbuzz

    try:
        return frozenset(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font.path)), font.index).unicodes)
    except Exception:  # a damaged or unreadable file covers nothing  # noqa: BLE001
        return frozenset()


def needs_glyph(char: str) -> bool:
    """Whether a character is drawn (spaces, joiners and other format marks are not)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


@dataclass
class FontChoice:
    """The fonts a document uses, main font first, and the texts no font can print."""

    fonts: list[FontFile]
    missing: dict[str, list[str]] = field(default_factory=dict)  # script -> who has letters in it

    def warnings(self) -> list[Problem]:
        problems = []
        for script, who in sorted(self.missing.items()):
            package = INSTALL_HINT.get(script, "fonts-noto-core")
            shown = ", ".join(who[:6]) + (f" and {len(who) - 6} more" if len(who) > 6 else "")
            problems.append(Problem(
                f"no font on this computer has the {SCRIPT_NAMES.get(script, script)} letters in {shown}: they are "
                f"left blank. Install a font with them (on Debian or Ubuntu: `sudo apt-get install {package}`) "
                "and export again",
                fatal=False,
            ))
        return problems


def choose_fonts(texts: list[tuple[str, str]]) -> FontChoice:
    """The fewest fonts, packaged ones first, that print every text; ``texts`` are (who, text) pairs."""
    needed = {ord(c) for _, text in texts for c in text if needs_glyph(c)}
    packaged = packaged_fonts()
    if not packaged:
        raise RuntimeError("mixer's fonts are missing: reinstall mixer (pip install --force-reinstall mixer)")
    chosen = [packaged[0]]
    missing = needed - coverage(packaged[0])
    for font in packaged[1:]:
        if coverage(font) & missing:
            chosen.append(font)
            missing -= coverage(font)
    for font in system_fonts() if missing else ():
        if coverage(font) & missing:
            chosen.append(font)
            missing -= coverage(font)
            if not missing:
                break
    return FontChoice(chosen, _who_misses(texts, missing))


def _who_misses(texts: list[tuple[str, str]], missing: set[int]) -> dict[str, list[str]]:
    by_script: dict[str, list[str]] = defaultdict(list)
    for who, text in texts:
        for script in dict.fromkeys(script_of(c) for c in text if ord(c) in missing):
            if who not in by_script[script]:
                by_script[script].append(who)
    return dict(by_script)


def script_of(char: str) -> str:
    """A character's script as its Unicode name begins (``CJK``, ``Hangul``, ``Hebrew``...)."""
    name = unicodedata.name(char, "")
    first = name.split(" ")[0] if name else f"U+{ord(char):04X}"
    return "CJK" if first in ("CJK", "IDEOGRAPHIC") else first.title() if first.isupper() else first


def is_right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)

