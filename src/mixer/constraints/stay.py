"""Soft rule: people stay at the tables their cards already show (written by re-solve).

A re-solved plan keeps this rule in its event: for each round planned again,
the table the earlier plan gave each person. Every person seated elsewhere (a
*moved seat*) costs ``weight`` value units, so among plans with equal rule
violations and repeats the one that moves fewer people wins unless moving buys
more than ``weight`` of value per seat. ``mixer score`` of the re-solved plan
counts the moves honestly, as this rule's soft violations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from mixer.constraints.base import Problem, Violation, unknown_people, who
from mixer.constraints.terms import SeatTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars

DEFAULT_STABILITY = 2.0


class Stay(BaseModel):
    """Each person in ``seats[round]`` should sit at the table given there; a move costs ``weight``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["stay"] = "stay"
    seats: dict[int, dict[str, str]]
    weight: float = Field(default=DEFAULT_STABILITY, ge=0)
    note: str = ""

    def check_event(self, event: Event) -> list[Problem]:
        bad_rounds = [r for r in self.seats if not 1 <= r <= event.rounds]
        problems = [Problem(f"stay names round {r}, but the event has rounds 1 to {event.rounds}", "rule stay")
                    for r in bad_rounds]
        people = sorted({pid for seats in self.seats.values() for pid in seats})
        return problems + unknown_people("stay", people, event, "rule stay")

    def encode(self, event: Event, seats: SeatVars) -> None:
        """Nothing to require: a soft rule only prices plans (its terms guide search)."""

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        found = []
        for seating in rounds:
            told = self.seats.get(seating.round, {})
            for pid, table in seating.table_of().items():
                if pid in told and told[pid] != table:
                    found.append(
                        Violation(
                            self.kind,
                            f"round {seating.round}: {who(event, pid)} moved from table {told[pid]!r} to {table!r}",
                            (pid,),
                            (told[pid], table),
                            (seating.round,),
                            hard=False,
                            cost=self.weight,
                        )
                    )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        return [
            SeatTerm(pid, r, frozenset({table}), weight=self.weight, hard=False)
            for r, told in sorted(self.seats.items())
            for pid, table in told.items()
        ]
