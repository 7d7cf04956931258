"""Rule: the people named always share a table (an interpreter and the person they support)."""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Literal, Sequence

from mixer.constraints.base import Problem, Violation, round_layouts, rounds_phrase, rule_label, unknown_people, who
from mixer.constraints.group_rule import GroupRule
from mixer.constraints.terms import PairTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class KeepTogether(GroupRule):
    """All of ``people`` who attend a round sit at one table in it."""

    kind: Literal["keep_together"] = "keep_together"

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        problems = unknown_people("keep_together", self.people, event, label)
        known = set(event.participant_ids)
        short: dict[tuple[int, int], list[int]] = {}
        for r, layout in round_layouts(event).items():
            together = sum(1 for pid in self.people if pid in known and event.attends(pid, r))
            if layout and together > max(layout.values()):
                short.setdefault((together, max(layout.values())), []).append(r)
        for (together, largest), rounds in short.items():
            when = "" if len(rounds) == event.rounds else f" in {rounds_phrase(rounds)}"
            problems.append(Problem(f"{label} needs {together} seats, but the largest table holds {largest}{when}"))
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        for r in seats.rounds:
            present = [pid for pid in self.people if event.attends(pid, r)]
            for a, b in zip(present, present[1:]):
                for table_id in seats.layout(r):
                    seats.model.add(seats.seat(a, table_id, r) == seats.seat(b, table_id, r))

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        found = []
        for seating in rounds:
            table_of = seating.table_of()
            tables = sorted({table_of[pid] for pid in self.people if pid in table_of})
            if len(tables) > 1:
                names = ", ".join(who(event, pid) for pid in self.people if pid in table_of)
                found.append(
                    Violation(
                        self.kind,
                        f"round {seating.round}: {names} are to sit together but are split "
                        f"over tables {', '.join(repr(t) for t in tables)}",
                        tuple(pid for pid in self.people if pid in table_of),
                        tuple(tables),
                        (seating.round,),
                    )
                )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        rounds = tuple(range(1, event.rounds + 1))
        return [PairTerm(a, b, together=True, rounds=rounds) for a, b in combinations(self.people, 2)]
