"""mixer: table plans for facilitated workshops.

Seats a cohort at tables over several rounds so that people meet as many new
people as possible and every table mixes organisations, sectors and levels.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mixer.model import Event, History, Participant, Plan, PlanMetadata, RoundSeating, Table, TableSeating, Weights
    from mixer.assemble import load_event
    from mixer.io.plan_file import read_plan, save_plan
    from mixer.resolving import Changes, resolve
    from mixer.scoring import Score, score_plan, score_rounds
    from mixer.solvers import solve

__version__ = "0.1.0"

# Loaded on first use, so `mixer --help` does not build the data model or import numpy.
_HOME = {
    **dict.fromkeys(
        ("Event", "History", "Participant", "Plan", "PlanMetadata", "RoundSeating", "Table", "TableSeating", "Weights"),
        "mixer.model",
    ),
    **dict.fromkeys(("Score", "score_plan", "score_rounds"), "mixer.scoring"),
    **dict.fromkeys(("read_plan", "save_plan"), "mixer.io.plan_file"),
    **dict.fromkeys(("Changes", "resolve"), "mixer.resolving"),
    "load_event": "mixer.assemble",
    "solve": "mixer.solvers",
}


def __getattr__(name: str) -> object:
    if name in _HOME:
        return getattr(import_module(_HOME[name]), name)
    raise AttributeError(f"module 'mixer' has no attribute {name!r}")

__all__ = [
    "Changes",
    "Event",
    "History",
    "Participant",
    "Plan",
    "PlanMetadata",
    "RoundSeating",
    "Score",
    "Table",
    "TableSeating",
    "Weights",
    "__version__",
    "load_event",
    "read_plan",
    "resolve",
    "save_plan",
    "score_plan",
    "score_rounds",
    "solve",
]
