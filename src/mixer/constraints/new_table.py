"""Rule: nobody sits at the same table twice (World Café, Open Space), hosts aside.

Only rounds seated at the event's own tables count: a round in its own numbered
groups is no visit to a table. Hosts (:func:`mixer.constraints.host.host_people`)
stay at their table by their own rule and are exempt.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from mixer.constraints.base import (
    Problem,
    Violation,
    names_phrase,
    round_layouts,
    rule_label,
    table_name,
    unknown_people,
)
from mixer.constraints.host import host_people
from mixer.constraints.terms import VisitTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class NewTable(BaseModel):
    """Each of ``people`` (everyone if empty), hosts aside, sits at a table at most once over the rounds at the event's tables.

    Hard by default; soft (``hard = false``), each return to a table costs ``weight`` value units.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["new_table"] = "new_table"
    people: tuple[str, ...] = ()
    hard: bool = True
    weight: float = Field(default=1.0, gt=0)
    origin: str = ""

    def describe(self, event: Event) -> str:
        who = names_phrase(event, self.people) if self.people else "everyone"
        return who + ("" if self.hard else f", weight {self.weight:g}")

    def visitors(self, event: Event) -> list[str]:
        """The people this rule moves on each round: those named (else everyone), hosts left out."""
        hosts = host_people(event)
        known = set(event.participant_ids)
        named = self.people or tuple(event.participant_ids)
        return [pid for pid in named if pid in known and pid not in hosts]

    def rounds_of(self, event: Event, pid: str) -> tuple[int, ...]:
        """The rounds at the event's own tables that ``pid`` attends: those where a visit counts."""
        return tuple(r for r in event.event_table_rounds() if event.attends(pid, r))

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        problems = unknown_people("new_table", self.people, event, label)
        if problems or not self.hard:
            return problems
        layouts = round_layouts(event)
        short: dict[tuple[int, int], list[str]] = defaultdict(list)
        for pid in self.visitors(event):
            rounds = self.rounds_of(event, pid)
            tables = {t for r in rounds for t in layouts.get(r, {})}
            if len(rounds) > len(tables):
                short[len(rounds), len(tables)].append(pid)
        for (rounds, tables), people in sorted(short.items()):
            problems.append(
                Problem(
                    f"{label} cannot hold: {names_phrase(event, people)} sit in {rounds} rounds at the event's "
                    f"tables but only {tables} tables are in use, so someone must sit at a table twice; "
                    "plan fewer rounds at the tables, add tables, or set hard = false"
                )
            )
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        if not self.hard:
            return  # soft: priced by scoring and search, not a CP-SAT constraint
        for pid in self.visitors(event):
            rounds = [r for r in self.rounds_of(event, pid) if r in seats.planned]
            for table in event.tables:
                visits = [v for r in rounds if (v := seats.seat(pid, table.id, r)) is not None]
                if len(visits) > 1:
                    seats.model.add_at_most_one(visits)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        tables = {seating.round: seating.table_of() for seating in rounds}
        found = []
        for pid in self.visitors(event):
            first: dict[str, int] = {}
            for r in self.rounds_of(event, pid):
                table = tables.get(r, {}).get(pid)
                if table is None:
                    continue
                if table in first:
                    found.append(
                        Violation(
                            self.kind,
                            f"round {r}: {names_phrase(event, [pid])} is back at {table_name(event, table)}, "
                            f"first visited in round {first[table]}",
                            (pid,),
                            (table,),
                            (first[table], r),
                            hard=self.hard,
                            cost=0.0 if self.hard else self.weight,
                        )
                    )
                else:
                    first[table] = r
        return found

    def search_terms(self, event: Event) -> list[Term]:
        weight = 1.0 if self.hard else self.weight
        return [
            VisitTerm(pid, rounds, weight, self.hard)
            for pid in self.visitors(event)
            if len(rounds := self.rounds_of(event, pid)) > 1
        ]
