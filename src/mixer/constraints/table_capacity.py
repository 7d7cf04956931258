"""Hard rule: a table holds at most its capacity, and each round uses only its own tables (or groups)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel

from mixer.constraints.base import Problem, Violation

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class TableCapacity(BaseModel, frozen=True):
    """No table seats more people than its capacity."""

    kind: Literal["table_capacity"] = "table_capacity"

    def describe(self, event: Event) -> str:
        return ""

    def check_event(self, event: Event) -> list[Problem]:
        problems = []
        for r in range(1, event.rounds + 1):
            present = len(event.present(r))
            seats = sum(t.capacity for t in event.tables_in(r))
            if present > seats:
                problems.append(
                    Problem(
                        f"{present} people attend round {r} but the tables seat only {seats}; "
                        "add tables or raise their capacity",
                        where="tables",
                    )
                )
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        # The layout spreads people evenly and never exceeds a capacity, so
        # holding each table to its layout seats keeps both promises at once.
        for r in seats.rounds:
            for table_id, size in seats.layout(r).items():
                seats.model.add(sum(seats.at_table(table_id, r)) <= size)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        found = []
        for seating in rounds:
            r = seating.round
            capacity = {t.id: t.capacity for t in event.tables_in(r)}
            allowed = "the event's tables" if event.at_event_tables(r) else "the round's own groups"
            for ts in seating.tables:
                if ts.table not in capacity:
                    found.append(
                        Violation(
                            self.kind,
                            f"round {r}: table {ts.table!r} is not one of {allowed}",
                            people=ts.participants,
                            tables=(ts.table,),
                            rounds=(r,),
                        )
                    )
                elif len(ts.participants) > capacity[ts.table]:
                    found.append(
                        Violation(
                            self.kind,
                            f"round {r}: table {ts.table!r} seats {len(ts.participants)} "
                            f"but holds only {capacity[ts.table]}",
                            people=ts.participants,
                            tables=(ts.table,),
                            rounds=(r,),
                        )
                    )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        return []  # every solver seats each round by its layout, which keeps this rule
