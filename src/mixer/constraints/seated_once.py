"""Hard rule: everyone present sits exactly once in each round; nobody else sits."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel

from mixer.constraints.base import Problem, Violation, who

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class SeatedOnce(BaseModel, frozen=True):
    """Each person present in a round has exactly one seat in it."""

    kind: Literal["seated_once"] = "seated_once"

    def describe(self, event: Event) -> str:
        return ""

    def check_event(self, event: Event) -> list[Problem]:
        return []

    def encode(self, event: Event, seats: SeatVars) -> None:
        for r in seats.rounds:
            for pid in event.present(r):
                seats.model.add_exactly_one(seats.of_person(pid, r))

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        known = set(event.participant_ids)
        found = []
        for seating in rounds:
            r = seating.round
            seated = Counter(pid for ts in seating.tables for pid in ts.participants)
            for pid in event.present(r):
                if seated[pid] == 0:
                    found.append(Violation(self.kind, f"round {r}: {who(event, pid)} has no seat", (pid,), rounds=(r,)))
            for pid, times in sorted(seated.items()):
                if pid not in known:
                    message = f"round {r}: {pid!r} is seated but is not a participant"
                elif not event.attends(pid, r):
                    message = f"round {r}: {who(event, pid)} is seated but does not attend this round"
                elif times > 1:
                    message = f"round {r}: {who(event, pid)} is seated {times} times"
                else:
                    continue
                tables = tuple(ts.table for ts in seating.tables if pid in ts.participants)
                found.append(Violation(self.kind, message, (pid,), tables, (r,)))
        return found

    def search_terms(self, event: Event) -> list[Term]:
        return []  # every solver seats each round by its layout, which keeps this rule
