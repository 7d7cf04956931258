"""Rule: at least ``count`` people with one value of an attribute at every table (someone from the front line)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from mixer.constraints.base import (
    Problem,
    Violation,
    attribute_problem,
    attribute_values,
    round_layouts,
    rule_label,
    table_name,
)
from mixer.constraints.terms import CountTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class AtLeast(BaseModel):
    """At least ``count`` people whose ``attribute`` is ``value`` at every table in every round.

    Soft by default: each one short at a table costs ``weight`` value units, so too few such
    people are spread as far as they go. Hard (``hard = true``) when the numbers allow it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["at_least"] = "at_least"
    attribute: str = Field(min_length=1)
    value: str = Field(min_length=1)
    count: int = Field(default=1, ge=1)
    hard: bool = False
    weight: float = Field(default=1.0, gt=0)
    origin: str = ""

    def describe(self, event: Event) -> str:
        return f"at least {self.count} with {self.attribute} {self.value!r} at every table"

    def members(self, event: Event) -> list[str]:
        """Ids of the people whose attribute has the value (case, accents and spacing ignored)."""
        from mixer.people import fold

        return [pid for pid, v in attribute_values(event, self.attribute).items() if v == fold(self.value)]

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        missing = attribute_problem(event, self.attribute, label)
        if missing is not None:
            return [missing]
        members = set(self.members(event))
        if not members:
            return [Problem(f"{label}: nobody has {self.attribute} {self.value!r}", fatal=self.hard)]
        if not self.hard:
            return []
        problems = []
        for r, layout in round_layouts(event).items():
            here = sum(1 for pid in event.present(r) if pid in members)
            if here < self.count * len(layout):
                problems.append(
                    Problem(
                        f"{label} cannot hold in round {r}: {len(layout)} tables need {self.count * len(layout)} "
                        f"people with {self.attribute} {self.value!r}, but only {here} attend"
                    )
                )
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        if not self.hard:
            return  # soft: priced by scoring and search, not a CP-SAT constraint
        members = self.members(event)
        for r in seats.rounds:
            for table_id in seats.layout(r):
                here = [v for pid in members if (v := seats.seat(pid, table_id, r)) is not None]
                seats.model.add(sum(here) >= self.count)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        members = set(self.members(event))
        if not members:
            return []  # nobody could meet it; check_event says so
        found = []
        for seating in rounds:
            for ts in seating.tables:
                short = self.count - sum(1 for pid in ts.participants if pid in members)
                if short > 0:
                    found.append(
                        Violation(
                            self.kind,
                            f"round {seating.round}: {table_name(event, ts.table)} has "
                            f"{self.count - short} of the {self.count} people with {self.attribute} "
                            f"{self.value!r} it should have",
                            (),
                            (ts.table,),
                            (seating.round,),
                            hard=self.hard,
                            cost=0.0 if self.hard else self.weight * short,
                        )
                    )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        costs = tuple(float(self.count - k) for k in range(self.count + 1)) + (0.0,)
        rounds = tuple(range(1, event.rounds + 1))
        weight = 1.0 if self.hard else self.weight
        return [CountTerm(dict.fromkeys(self.members(event), "yes"), costs, rounds, weight, self.hard)]
