"""The data model: participants, tables, events, history and plans.

Everything is a pydantic v2 model that validates on construction, so a bad
value is reported with the field that holds it. Ids are strings throughout.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mixer.constraints import RuleSpec
from mixer.layout import numbered_capacities

NonEmpty = Annotated[str, Field(min_length=1)]


class Frozen(BaseModel):
    """Base for the model: immutable, no unknown fields, whitespace trimmed."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Participant(Frozen):
    """One person in the cohort. Unknown attributes are ``None``, never guessed."""

    id: NonEmpty
    name: NonEmpty
    organisation: str | None = None
    sector: str | None = None
    level: str | None = None
    role: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)

    @field_validator("organisation", "sector", "level", "role", mode="before")
    @classmethod
    def _blank_is_unknown(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value


class Table(Frozen):
    """A table in the room; ``tags`` describe it (``accessible``), ``topic`` is its theme (World Café)."""

    id: NonEmpty
    name: str = ""
    capacity: int = Field(ge=1)
    tags: tuple[str, ...] = ()
    topic: str = ""

    @property
    def display_name(self) -> str:
        return self.name or f"Table {self.id}"


GROUP_ID = re.compile(r"r(\d+)-g(\d+)")


def group_id(round_no: int, group: int) -> str:
    """The table id of a round's own numbered group; no event table may have an id of this form."""
    return f"r{round_no}-g{group}"


class RoundTables(Frozen):
    """Rounds seated in their own numbered groups ("Group 1", ...) instead of at the event's tables.

    ``size``: balanced groups of at most ``size``; ``count``: that many groups;
    both: ``count`` groups of at most ``size``. Worked out from the people present in each round.
    """

    rounds: tuple[int, ...] = Field(min_length=1)
    size: int | None = Field(default=None, ge=1)
    count: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _size_or_count(self) -> RoundTables:
        if self.size is None and self.count is None:
            raise ValueError("give `size` (people per group) or `count` (number of groups)")
        return self

    def describe(self) -> str:
        """The groups in words, as a facilitator asked for them."""
        if self.size is not None and self.count is not None:
            return f"{self.count} groups of at most {self.size}"
        return f"groups of {self.size}" if self.size is not None else f"{self.count} groups"

    def groups(self, round_no: int, present: int) -> tuple[Table, ...]:
        """The numbered groups of ``round_no`` for ``present`` people (none if nobody is present)."""
        if present < 1:
            return ()
        count = None if self.count is None else min(self.count, present) if self.size is None else self.count
        capacities = numbered_capacities(present, self.size, count)
        return tuple(
            Table(id=group_id(round_no, g), name=f"Group {g}", capacity=c) for g, c in enumerate(capacities, start=1)
        )


class Weights(Frozen):
    """Bonus a new pairing earns for crossing organisation, sector or level."""

    organisation: float = Field(default=1.0, ge=0)
    sector: float = Field(default=1.0, ge=0)
    level: float = Field(default=1.0, ge=0)


class PastMeeting(Frozen):
    """Two people who already met ``times`` times before this event."""

    a: NonEmpty
    b: NonEmpty
    times: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _distinct(self) -> PastMeeting:
        if self.a == self.b:
            raise ValueError(f"a person cannot meet themselves: {self.a!r}")
        return self


class History(Frozen):
    """Who already met whom in earlier events (days, cohorts)."""

    meetings: tuple[PastMeeting, ...] = ()

    def counts(self) -> Counter[tuple[str, str]]:
        """Times met, keyed by the pair of ids in sorted order."""
        counts: Counter[tuple[str, str]] = Counter()
        for m in self.meetings:
            counts[_pair(m.a, m.b)] += m.times
        return counts

    @classmethod
    def from_counts(cls, counts: Counter[tuple[str, str]]) -> History:
        return cls(
            meetings=tuple(
                PastMeeting(a=a, b=b, times=n) for (a, b), n in sorted(counts.items()) if n > 0
            )
        )


class PairValue(Frozen):
    """What it is worth that ``a`` and ``b`` meet for the first time (negative: they should rather not meet)."""

    a: NonEmpty
    b: NonEmpty
    value: Annotated[float, Field(allow_inf_nan=False)]

    @model_validator(mode="after")
    def _distinct(self) -> PairValue:
        if self.a == self.b:
            raise ValueError(f"a pair needs two people, got {self.a!r} twice")
        return self


class Event(Frozen):
    """What is to be planned: who, at which tables, over how many rounds, under which rules.

    ``attendance`` maps a participant id to the rounds (1-based) they attend;
    anyone not listed attends every round. ``id_source`` says how the ids were
    made, so a later run knows whether to trust them across files: ``"column"``
    (the list's id column), ``"email"`` (its emails), ``"row"`` (places in the
    list: positions, not identities), or None (given in code, or not recorded).
    ``pair_values``, when given, replaces the value of every pair (see
    :mod:`mixer.scoring`): pairs not listed are worth 0. ``wanted_pairs`` add
    their value to a pair's (a facilitator's matched wants and offers).
    ``use_every_table`` (a number of tables was asked for): every round seats
    people at all the tables, as long as each gets at least three.
    ``round_tables`` gives some rounds their own numbered groups instead of the event's ``tables``.
    """

    name: str = "Workshop"
    participants: tuple[Participant, ...]
    tables: tuple[Table, ...] = Field(min_length=1)
    rounds: int = Field(ge=1, le=100)
    weights: Weights = Weights()
    rules: tuple[RuleSpec, ...] = ()
    attendance: dict[str, tuple[int, ...]] = Field(default_factory=dict)
    history: History = History()
    id_source: Literal["column", "email", "row"] | None = None
    pair_values: tuple[PairValue, ...] | None = None
    wanted_pairs: tuple[PairValue, ...] = ()
    use_every_table: bool = False
    round_tables: tuple[RoundTables, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        _no_duplicates("participant id", [p.id for p in self.participants])
        _no_duplicates("table id", [t.id for t in self.tables])
        for t in self.tables:
            if GROUP_ID.fullmatch(t.id):
                raise ValueError(f"table id {t.id!r} is kept for a round's own groups; give the table another id")
        _no_duplicates("round with its own groups", [str(r) for spec in self.round_tables for r in spec.rounds])
        for spec in self.round_tables:
            bad = [r for r in spec.rounds if not 1 <= r <= self.rounds]
            if bad:
                raise ValueError(f"round_tables names round {bad[0]}, but the event has rounds 1 to {self.rounds}")
        ids = {p.id for p in self.participants}
        for what, pairs in (("pair values", self.pair_values or ()), ("wanted pairs", self.wanted_pairs)):
            for pair in pairs:
                if pair.a not in ids or pair.b not in ids:
                    raise ValueError(f"{what} name unknown participant {pair.a if pair.a not in ids else pair.b!r}")
        for pid, rounds in self.attendance.items():
            if pid not in ids:
                raise ValueError(f"attendance names unknown participant {pid!r}")
            bad = [r for r in rounds if not 1 <= r <= self.rounds]
            if bad:
                raise ValueError(
                    f"attendance of {pid!r} names round {bad[0]}, "
                    f"but the event has rounds 1 to {self.rounds}"
                )
        return self

    def attends(self, participant_id: str, round_no: int) -> bool:
        rounds = self.attendance.get(participant_id)
        return rounds is None or round_no in rounds

    def present(self, round_no: int) -> list[str]:
        """Ids of the people present in a round, in participant order."""
        return [p.id for p in self.participants if self.attends(p.id, round_no)]

    @property
    def participant_ids(self) -> list[str]:
        return [p.id for p in self.participants]

    def participant(self, participant_id: str) -> Participant:
        for p in self.participants:
            if p.id == participant_id:
                return p
        raise KeyError(participant_id)

    def round_groups(self, round_no: int) -> RoundTables | None:
        """The own groups a round is seated in, or None if it uses the event's tables."""
        return next((spec for spec in self.round_tables if round_no in spec.rounds), None)

    def tables_in(self, round_no: int) -> tuple[Table, ...]:
        """The tables a round may use, in order: the event's, or the round's own numbered groups."""
        spec = self.round_groups(round_no)
        return self.tables if spec is None else spec.groups(round_no, len(self.present(round_no)))

    def at_event_tables(self, round_no: int) -> bool:
        """Whether a round is seated at the event's own tables (rules naming tables or tags apply)."""
        return self.round_groups(round_no) is None

    def event_table_rounds(self) -> tuple[int, ...]:
        """The rounds seated at the event's own tables."""
        return tuple(r for r in range(1, self.rounds + 1) if self.at_event_tables(r))

    def table(self, table_id: str, round_no: int | None = None) -> Table:
        """The event's table with this id, or, given a round, the table or group of that round."""
        for t in self.tables if round_no is None else self.tables_in(round_no):
            if t.id == table_id:
                return t
        raise KeyError(table_id)


class TableSeating(Frozen):
    """Who sits at one table in one round."""

    table: NonEmpty
    participants: tuple[str, ...]


class RoundSeating(Frozen):
    """The seating of one round; tables nobody sits at are left out."""

    round: int = Field(ge=1)
    tables: tuple[TableSeating, ...]

    def table_of(self) -> dict[str, str]:
        """Participant id -> table id for this round."""
        return {pid: ts.table for ts in self.tables for pid in ts.participants}


class Lineage(Frozen):
    """Where a re-solved plan came from: the plan it re-planned, from which round, and what changed.

    ``source_seating`` is the SHA-256 of the source plan's rounds (see
    :func:`mixer.plan_diff.seating_hash`); ``absent``, ``left`` (id -> the round they
    left before), ``arrived`` and ``returned`` hold participant ids.
    """

    source: str
    source_seating: str
    from_round: int = Field(ge=1)
    absent: tuple[str, ...] = ()
    left: dict[str, int] = Field(default_factory=dict)
    arrived: tuple[str, ...] = ()
    returned: tuple[str, ...] = ()
    stability: float = 0.0
    moved_seats: int = 0


class PlanMetadata(Frozen):
    """How a plan was made; ``lineage`` is set on a re-solved plan."""

    solver: str
    seed: int | None = None
    time_limit: float | None = None
    time_used: float = 0.0
    optimal: bool = False
    interrupted: bool = False
    status: str = ""
    objective_bound: float | None = None
    created: str = ""
    mixer_version: str = ""
    notes: tuple[str, ...] = ()
    lineage: Lineage | None = None


class Plan(Frozen):
    """A seating for every round of an event, with how it was made and how it scores.

    ``score`` is the summary stored in the plan file for people and other tools;
    :func:`mixer.scoring.score_plan` recomputes it from the seating, which is the truth.
    """

    event: Event
    rounds: tuple[RoundSeating, ...]
    metadata: PlanMetadata
    score: dict[str, object] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _rounds_in_order(self) -> Plan:
        numbers = [r.round for r in self.rounds]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"rounds must be numbered 1, 2, ... in order, got {numbers}")
        if len(numbers) != self.event.rounds:
            raise ValueError(f"plan has {len(numbers)} rounds but the event has {self.event.rounds}")
        return self

    def seating(self) -> list[list[list[str]]]:
        """Rounds -> tables -> participant ids, as plain lists."""
        return [[list(ts.participants) for ts in r.tables] for r in self.rounds]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def pairs_of(ids: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """All unordered pairs of a group, each in sorted order."""
    return [_pair(a, b) for a, b in combinations(ids, 2)]


def _no_duplicates(what: str, values: list[str]) -> None:
    dupes = sorted(v for v, n in Counter(values).items() if n > 1)
    if dupes:
        raise ValueError(f"duplicate {what}: {', '.join(repr(d) for d in dupes)}")
