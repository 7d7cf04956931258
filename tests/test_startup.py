"""The commands a facilitator runs first start fast: they never load the solvers' heavy libraries, nor rich unless it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("numpy", "ortools", "numba", "fpdf", "uharfbuzz", "fontTools", "rich")

RUN = """
import sys
from mixer_cli.main import main
sys.argv = ["mixer", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("LOADED", *sorted(m for m in {heavy!r} if m in sys.modules))
"""


def loaded(*args: str) -> list[str]:
    """The heavy modules loaded by running ``mixer ARGS`` in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", RUN.format(heavy=HEAVY), *args], capture_output=True, text=True,
                         check=True)
    line = next(line for line in out.stdout.splitlines() if line.startswith("LOADED"))
    return line.split()[1:]


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["--version"]])
def test_help_loads_no_heavy_library(args: list[str]) -> None:
    assert loaded(*args) == []


def test_check_loads_no_heavy_library(tmp_path: Path) -> None:
    """A clean ``check`` loads none of them; its forced-repeats warning (14 rounds of 10 tables) loads rich alone."""
    people = tmp_path / "people.csv"
    people.write_text("name,organisation\n" + "".join(f"Person {i},Org {i % 7}\n" for i in range(50)), encoding="utf-8")
    assert loaded("check", str(people), "--rounds", "4", "--table-size", "5") == []
    assert loaded("check", str(people), "--rounds", "14", "--table-size", "5") == ["rich"]
