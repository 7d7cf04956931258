"""The Python API: what ``import mixer`` offers, that it stays light, and the README's example runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import mixer

README = Path(__file__).resolve().parent.parent / "README.md"


def test_top_level_exports() -> None:
    from mixer.assemble import load_event
    from mixer.io.plan_file import read_plan, save_plan
    from mixer.resolving import resolve
    from mixer.solvers import solve

    assert (mixer.solve, mixer.load_event, mixer.read_plan, mixer.save_plan, mixer.resolve) == (
        solve, load_event, read_plan, save_plan, resolve)
    assert set(mixer.__all__) >= {"solve", "load_event", "read_plan", "save_plan", "resolve", "Changes"}
    with pytest.raises(AttributeError):
        mixer.no_such_thing  # noqa: B018


def test_import_mixer_loads_no_solver_library() -> None:
    """``import mixer`` and reaching ``mixer.resolve`` load no OR-Tools; a CP-SAT solve would."""
    code = "import sys, mixer; mixer.resolve; mixer.solve; print(sorted(m for m in ('ortools', 'numba') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_from_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The code block under "From Python" in the README runs as written."""
    section = README.read_text(encoding="utf-8").split("## From Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "README.md", "exec"), {})
    new = mixer.read_plan(tmp_path / "plan2.json")
    assert new.metadata.lineage is not None and new.metadata.lineage.from_round == 3
    assert new.rounds[:2] == mixer.read_plan(tmp_path / "plan.json").rounds[:2]
