"""Rule: at most ``max`` people sharing one value of an attribute at a table (one per organisation, say)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from mixer.constraints.base import (
    Problem,
    Violation,
    attribute_problem,
    attribute_values,
    names_phrase,
    round_layouts,
    rule_label,
    shown_values,
    table_name,
)
from mixer.constraints.terms import CountTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class Cap(BaseModel):
    """At most ``max`` people with one value of ``attribute`` (organisation, sector, level, role or any column) per table.

    Hard by default; soft (``hard = false``), each person over the cap costs ``weight`` value units.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["cap"] = "cap"
    attribute: str = Field(min_length=1)
    max: int = Field(ge=1)
    hard: bool = True
    weight: float = Field(default=1.0, gt=0)
    origin: str = ""

    def describe(self, event: Event) -> str:
        return f"at most {self.max} per {self.attribute} at a table" + ("" if self.hard else f", weight {self.weight:g}")

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        missing = attribute_problem(event, self.attribute, label)
        if missing is not None or not self.hard:
            return [missing] if missing else []
        values = attribute_values(event, self.attribute)
        shown = shown_values(event, self.attribute)
        problems = []
        for r, layout in round_layouts(event).items():
            counts: dict[str, list[str]] = defaultdict(list)
            for pid in event.present(r):
                if pid in values:
                    counts[values[pid]].append(pid)
            for value, people in counts.items():
                if len(people) > self.max * len(layout):
                    problems.append(
                        Problem(
                            f"{label} cannot hold in round {r}: {len(people)} people have {self.attribute} "
                            f"{shown[value]!r} ({names_phrase(event, people)}), but {len(layout)} tables "
                            f"at {self.max} each seat only {self.max * len(layout)} of them"
                        )
                    )
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        if not self.hard:
            return  # soft: priced by scoring and search, not a CP-SAT constraint
        values = attribute_values(event, self.attribute)
        for r in seats.rounds:
            groups: dict[str, list[str]] = defaultdict(list)
            for pid in seats.event.present(r):
                if pid in values:
                    groups[values[pid]].append(pid)
            for people in groups.values():
                if len(people) <= self.max:
                    continue
                for table_id in seats.layout(r):
                    here = [v for pid in people if (v := seats.seat(pid, table_id, r)) is not None]
                    if len(here) > self.max:
                        seats.model.add(sum(here) <= self.max)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        values = attribute_values(event, self.attribute)
        shown = shown_values(event, self.attribute)
        found = []
        for seating in rounds:
            for ts in seating.tables:
                groups: dict[str, list[str]] = defaultdict(list)
                for pid in ts.participants:
                    if pid in values:
                        groups[values[pid]].append(pid)
                for value, people in groups.items():
                    over = len(people) - self.max
                    if over > 0:
                        found.append(
                            Violation(
                                self.kind,
                                f"round {seating.round}: {len(people)} people with {self.attribute} "
                                f"{shown[value]!r} sit at {table_name(event, ts.table)} "
                                f"({names_phrase(event, people, shown=4)}); at most {self.max}",
                                tuple(people),
                                (ts.table,),
                                (seating.round,),
                                hard=self.hard,
                                cost=0.0 if self.hard else self.weight * over,
                            )
                        )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        costs = (0.0,) * (self.max + 1) + (1.0,)
        rounds = tuple(range(1, event.rounds + 1))
        weight = 1.0 if self.hard else self.weight
        return [CountTerm(attribute_values(event, self.attribute), costs, rounds, weight, self.hard)]
