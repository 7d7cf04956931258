"""The rule pattern every rule module follows.

A rule validates itself against an event (``check_event``), encodes itself in
a CP-SAT model (``encode``), counts its own violations in a seating
(``violations``) and shows itself to heuristics as costs (``search_terms``,
see :mod:`mixer.constraints.terms`), so every solver, report and test means
the same thing by it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

from mixer.layout import round_layout

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, Participant, RoundSeating, Table
    from mixer.solvers.cpsat_vars import SeatVars

PARTICIPANT_ATTRIBUTES = ("organisation", "sector", "level", "role")


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
    stops planning, the others are warnings (or, with ``note``, plain information).
    """

    message: str
    where: str = ""
    fatal: bool = True
    note: bool = False

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

    def describe(self, event: Event) -> str:
        """What the rule asks, in words, naming people by name ('' for built-in rules)."""
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


def names_phrase(event: Event, people: Sequence[str], shown: int = 2) -> str:
    """People by name as a facilitator wrote them: all of up to three, else the first two and how many."""
    names = [_name(event, pid) for pid in people]
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])}, ... {len(names)} people"


def _name(event: Event, participant_id: str) -> str:
    try:
        return event.participant(participant_id).name
    except KeyError:
        return repr(participant_id)


def rule_label(rule: Rule, event: Event) -> str:
    """A rule as the facilitator wrote it: 'keep_together (rules entry 3: Amara Ahmed, Bilal Brown)'."""
    origin = getattr(rule, "origin", "")
    said = rule.describe(event)
    inside = ": ".join(part for part in (origin, said) if part)
    return f"{rule.kind} ({inside})" if inside else rule.kind


def attribute_of(participant: Participant, attribute: str) -> str | None:
    """A participant's value of a known attribute or of an extra column (heading ignoring case and spacing)."""
    if attribute in PARTICIPANT_ATTRIBUTES:
        return getattr(participant, attribute)
    wanted = column_key(attribute)
    for key, value in participant.tags.items():
        if column_key(key) == wanted:
            return value.strip() or None
    return None


def column_key(heading: str) -> str:
    """A column heading as compared: case, spaces and punctuation ignored ('Home team' ~ 'home_team')."""
    return "".join(ch for ch in heading.casefold() if ch.isalnum())


def attribute_problem(event: Event, attribute: str, where: str) -> Problem | None:
    """Why nobody has ``attribute`` (an unknown column, say), naming the columns there are; None if someone does."""
    if any(attribute_of(p, attribute) is not None for p in event.participants):
        return None
    columns = list(dict.fromkeys([*PARTICIPANT_ATTRIBUTES, *(k for p in event.participants for k in p.tags)]))
    close = [c for c in columns if column_key(c) == column_key(attribute)] or difflib.get_close_matches(
        attribute, columns, n=1
    )
    hint = f"did you mean {close[0]!r}?" if close else f"the columns are: {', '.join(columns)}"
    return Problem(f"nobody in the participant list has a value for {attribute!r}; {hint}", where)


def rounds_phrase(rounds: Sequence[int]) -> str:
    """'round 2' or 'rounds 1, 2, 4'."""
    return f"round {rounds[0]}" if len(rounds) == 1 else f"rounds {', '.join(map(str, rounds))}"


def table_name(event: Event, table_id: str) -> str:
    """A table as a facilitator reads it: its name, else 'Table <id>'."""
    try:
        return event.table(table_id).display_name
    except KeyError:
        return repr(table_id)


def find_table(event: Event, ref: str) -> str | None:
    """The id of the table ``ref`` names: by id, or by id or name ignoring case, accents and spacing."""
    from mixer.people import fold

    for t in event.tables:
        if t.id == ref:
            return t.id
    key = fold(ref)
    for t in event.tables:
        if key in (fold(t.id), fold(t.name), fold(t.display_name)):
            return t.id
    return None


def has_tag(table: Table, tag: str) -> bool:
    """Whether a table carries ``tag`` (case, accents and spacing ignored)."""
    from mixer.people import fold

    return fold(tag) in {fold(t) for t in table.tags}


def unknown_table(event: Event, ref: str, where: str) -> Problem:
    """A table reference nobody matches, with the closest table names."""
    from mixer.people import fold

    names = [t.display_name for t in event.tables]
    known = {fold(t.id): t.display_name for t in event.tables} | {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(ref), list(known), n=1)
    hint = f"did you mean {known[close[0]]!r}?" if close else f"the tables are: {', '.join(names)}"
    return Problem(f"there is no table {ref!r}; {hint}", where)


def unknown_tag(event: Event, tag: str, where: str) -> Problem:
    """A table tag no table carries, with the tags there are."""
    tags = sorted({t for table in event.tables for t in table.tags})
    hint = f"the tables' tags are: {', '.join(tags)}" if tags else "no table has tags; give them as tags = [...] under [[tables]]"
    return Problem(f"no table is tagged {tag!r}; {hint}", where)


def attribute_values(event: Event, attribute: str) -> dict[str, str]:
    """Participant id -> their value of ``attribute``, folded for comparing (people without one are left out)."""
    from mixer.people import fold

    return {p.id: fold(value) for p in event.participants if (value := attribute_of(p, attribute)) is not None}


def shown_values(event: Event, attribute: str) -> dict[str, str]:
    """Folded value -> the first spelling of it in the participant list, for messages."""
    from mixer.people import fold

    shown: dict[str, str] = {}
    for p in event.participants:
        if (value := attribute_of(p, attribute)) is not None:
            shown.setdefault(fold(value), value)
    return shown
