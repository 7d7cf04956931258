"""mixer: table plans for facilitated workshops.

Seats a cohort at tables over several rounds so that people meet as many new
people as possible and every table mixes organisations, sectors and levels.
"""

from mixer.model import Event, History, Participant, Plan, PlanMetadata, RoundSeating, Table, TableSeating, Weights
from mixer.scoring import Score, score_plan, score_rounds

__version__ = "0.1.0"

__all__ = [
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
    "score_plan",
    "score_rounds",
]
