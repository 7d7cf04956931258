"""The rule pattern every rule module follows.

A rule validates itself against an event (``check_event``), encodes itself in
a CP-SAT model (``encode``), counts its own violations in a seating
(``violations``) and shows itself to heuristics as costs (``search_terms``,
see :mod:`mixer.constraints.terms`), so every solver, report and test means
the same thing by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

from mixer.layout import round_layout

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


@dataclass(frozen=True)
class Violation:
    """One breach of a rule, said in words, with the people, tables and rounds to blame.

    A hard breach makes the plan wrong; a soft one (``hard`` false) costs ``cost``
    value units, taken off the plan's value by :mod:`mixer.scoring`.
    """

    rule: str
    message: str
    people: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    rounds: tuple[int, ...] = ()
    hard: bool = True
    cost: float = 0.0


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, found before any solving.

    ``where`` names the file, row, person or rule at fault; a fatal problem
    stops planning, the others are warnings.
    """

    message: str
    where: str = ""
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@runtime_checkable
class Rule(Protocol):
    """What every rule module provides."""

    kind: str

    def check_event(self, event: Event) -> list[Problem]:
        """Problems that make this rule meaningless or impossible for the event."""
        ...

    def encode(self, event: Event, seats: SeatVars) -> None:
        """Add this rule to the CP-SAT model behind ``seats`` as hard constraints."""
        ...

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        """Every breach of this rule in the given rounds."""
        ...

    def search_terms(self, event: Event) -> list[Term]:
        """This rule as costs heuristics can price (see :mod:`mixer.constraints.terms`); empty if layouts keep it."""
        ...


def who(event: Event, participant_id: str) -> str:
    """A person as a facilitator reads them: name and id (just the id if they are not a participant)."""
    try:
        return f"{event.participant(participant_id).name} ({participant_id})"
    except KeyError:
        return repr(participant_id)


def round_layouts(event: Event) -> dict[int, dict[str, int]]:
    """Each round's layout (table id -> seats), leaving out rounds whose people do not fit the tables."""
    layouts = {}
    for r in range(1, event.rounds + 1):
        try:
            layouts[r] = round_layout(event, r)
        except ValueError:
            continue  # table_capacity reports these rounds
    return layouts


def unknown_people(rule: str, people: Sequence[str], event: Event, where: str) -> list[Problem]:
    """A problem for each id a rule names that is not a participant."""
    known = set(event.participant_ids)
    return [
        Problem(f"{rule} names {pid!r}, who is not a participant", where=where)
        for pid in people
        if pid not in known
    ]
