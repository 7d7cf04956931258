"""Rule: the people named never share a table (for example two people in a dispute)."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Literal, Sequence

from mixer.constraints.base import Problem, Violation, round_layouts, rule_label, unknown_people, who
from mixer.constraints.group_rule import GroupRule
from mixer.constraints.terms import PairTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class KeepApart(GroupRule):
    """No two of ``people`` sit at the same table in any round."""

    kind: Literal["keep_apart"] = "keep_apart"

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        problems = unknown_people("keep_apart", self.people, event, label)
        known = set(event.participant_ids)
        for r, layout in round_layouts(event).items():
            apart = sum(1 for pid in self.people if pid in known and event.attends(pid, r))
            if apart > len(layout):
                problems.append(
                    Problem(f"{label} needs {apart} tables, but only {len(layout)} are in use in round {r}")
                )
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        for r in seats.rounds:
            for table_id in seats.layout(r):
                group = [v for pid in self.people if (v := seats.seat(pid, table_id, r)) is not None]
                if len(group) > 1:
                    seats.model.add_at_most_one(group)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        found = []
        for seating in rounds:
            for ts in seating.tables:
                together = [pid for pid in self.people if pid in ts.participants]
                if len(together) > 1:
                    names = ", ".join(who(event, pid) for pid in together)
                    found.append(
                        Violation(
                            self.kind,
                            f"round {seating.round}: {names} sit together at table {ts.table!r} "
                            "but are to be kept apart",
                            tuple(together),
                            (ts.table,),
                            (seating.round,),
                        )
                    )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        rounds = tuple(range(1, event.rounds + 1))
        return [PairTerm(a, b, together=False, rounds=rounds) for a, b in combinations(self.people, 2)]
