"""Shared hypothesis strategies: random events, and valid random seatings of them.

- ``events()`` draws an :class:`Event` with random participants (non-Latin names,
  attributes in mixed case, some unknown), tables, rounds, attendance and history;
  with ``round_tables`` some rounds get their own group size or count.
- ``seatings(event, rng)`` seats every round by its layout
  (:func:`mixer.layout.round_layout`): the people present, shuffled with ``rng``,
  fill the layout's tables in order. Such a seating keeps every built-in rule.
- ``event_seatings()`` draws an event with one such seating; ``plans()`` a whole plan.
"""

from __future__ import annotations

import random
import string

from hypothesis import strategies as st

from mixer.layout import round_layout
from mixer.model import (
    Event,
    History,
    Participant,
    PastMeeting,
    Plan,
    RoundTables,
    PlanMetadata,
    RoundSeating,
    Table,
    TableSeating,
    Weights,
)
from mixer.scoring import score_rounds

ID_ALPHABET = string.ascii_letters + string.digits + "-_éßΩ字"
NAMES = ["Ann Lee", "Zoë Brontë", "Łukasz Żółw", "山田 太郎", "Ђорђе Петровић", "محمد علي", "Ngozi 🙂", "O'Brien"]
# Case variants and "ß"/"SS" check that attributes compare case-insensitively.
ORGANISATIONS = ["Acme", "ACME", "acme", "Straße AG", "STRASSE AG", "Beta", "Gamma"]
SECTORS = ["public", "Public", "private", "NGO"]
LEVELS = ["junior", "senior", "Senior", "director"]
WEIGHTS = [0.0, 0.5, 1.0, 1.25, 2.0, 3.0]


def _known_or_not(values: list[str]) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.sampled_from(values))


ids = st.text(ID_ALPHABET, min_size=1, max_size=6)
names = st.one_of(st.sampled_from(NAMES), st.text(min_size=1, max_size=12).filter(lambda s: s.strip()))
tags = st.dictionaries(st.sampled_from(["lang", "diet", "team", "ロール"]), st.text(ID_ALPHABET, max_size=5), max_size=2)


@st.composite
def participants(draw: st.DrawFn, min_size: int = 4, max_size: int = 24) -> tuple[Participant, ...]:
    """People with unique ids, random names and partly unknown attributes."""
    people_ids = draw(st.lists(ids, min_size=min_size, max_size=max_size, unique=True))
    return tuple(
        Participant(
            id=pid,
            name=draw(names),
            organisation=draw(_known_or_not(ORGANISATIONS)),
            sector=draw(_known_or_not(SECTORS)),
            level=draw(_known_or_not(LEVELS)),
            role=draw(st.one_of(st.none(), st.sampled_from(["host", "guest"]))),
            tags=draw(tags),
        )
        for pid in people_ids
    )


@st.composite
def tables_for(draw: st.DrawFn, people: int) -> tuple[Table, ...]:
    """Tables seating at least ``people``: all one size (sometimes spare ones), or mixed sizes."""
    if draw(st.booleans()):
        size = draw(st.integers(2, 6))
        count = -(-people // size) + draw(st.integers(0, 2))
        capacities = [size] * count
    else:
        capacities = []
        while sum(capacities) < people:
            capacities.append(draw(st.integers(1, 8)))
    prefix = draw(st.sampled_from(["", "T", "table-", "桌"]))
    return tuple(
        Table(id=f"{prefix}{i}", name=draw(st.sampled_from(["", f"Table {i}", "Fenêtre"])), capacity=c,
              tags=tuple(draw(st.lists(st.sampled_from(["accessible", "window"]), unique=True, max_size=2))))
        for i, c in enumerate(capacities, start=1)
    )


@st.composite
def attendance_for(draw: st.DrawFn, people: tuple[Participant, ...], rounds: int) -> dict[str, tuple[int, ...]]:
    """Some people attend only some rounds (possibly none)."""
    part_timers = draw(st.lists(st.sampled_from([p.id for p in people]), unique=True, max_size=len(people) // 2))
    return {
        pid: tuple(draw(st.lists(st.integers(1, rounds), unique=True, max_size=rounds).map(sorted)))
        for pid in part_timers
    }


@st.composite
def history_for(draw: st.DrawFn, people: tuple[Participant, ...]) -> History:
    """Past meetings between random pairs, sometimes with someone not in this event."""
    pool = [p.id for p in people] + ["former-guest"]
    pairs = draw(st.lists(st.lists(st.sampled_from(pool), min_size=2, max_size=2, unique=True), max_size=3 * len(pool)))
    return History(meetings=tuple(PastMeeting(a=a, b=b, times=draw(st.integers(1, 3))) for a, b in pairs))


@st.composite
def round_tables_for(draw: st.DrawFn, rounds: int) -> tuple[RoundTables, ...]:
    """Some rounds in their own groups: a size, a count, or both (count groups of at most size)."""
    own = draw(st.lists(st.integers(1, rounds), unique=True, max_size=rounds))
    specs = []
    for r in own:
        size, count = draw(st.sampled_from([(2, None), (3, None), (7, None), (None, 1), (None, 3), (4, 8)]))
        specs.append(RoundTables(rounds=(r,), size=size, count=count))
    return tuple(specs)


@st.composite
def events(
    draw: st.DrawFn,
    min_people: int = 4,
    max_people: int = 24,
    max_rounds: int = 5,
    attendance: bool = True,
    history: bool = True,
    rules: bool = False,
    round_tables: bool = False,
) -> Event:
    """A random event; ``rules`` adds keep_apart/keep_together rules (random seatings may break them).

    ``round_tables`` gives some rounds their own groups (a both-given count of 8 groups of 4 seats up to 32).
    """
    people = draw(participants(min_people, max_people))
    rounds = draw(st.integers(1, max_rounds))
    specs = []
    if rules:
        pick = st.lists(st.sampled_from([p.id for p in people]), min_size=2, max_size=3, unique=True)
        specs = [{"kind": kind, "people": draw(pick), "note": draw(st.sampled_from(["", "interpreter", "dispute"]))}
                 for kind in draw(st.lists(st.sampled_from(["keep_apart", "keep_together"]), max_size=2))]
    return Event(
        name=draw(st.sampled_from(["Workshop", "Atelier d'été", "ワークショップ"])),
        participants=people,
        tables=draw(tables_for(len(people))),
        rounds=rounds,
        weights=Weights(organisation=draw(st.sampled_from(WEIGHTS)), sector=draw(st.sampled_from(WEIGHTS)),
                        level=draw(st.sampled_from(WEIGHTS))),
        rules=specs,
        attendance=draw(attendance_for(people, rounds)) if attendance else {},
        history=draw(history_for(people)) if history else History(),
        round_tables=draw(round_tables_for(rounds)) if round_tables else (),
    )


def seatings(event: Event, rng: random.Random) -> tuple[RoundSeating, ...]:
    """A valid random seating: each round's present people, shuffled, fill its layout's tables in order."""
    rounds = []
    for r in range(1, event.rounds + 1):
        people = event.present(r)
        rng.shuffle(people)
        tables, start = [], 0
        for table_id, size in round_layout(event, r).items():
            tables.append(TableSeating(table=table_id, participants=tuple(people[start : start + size])))
            start += size
        rounds.append(RoundSeating(round=r, tables=tuple(tables)))
    return tuple(rounds)


@st.composite
def event_seatings(draw: st.DrawFn, **event_options: object) -> tuple[Event, tuple[RoundSeating, ...]]:
    """An event from ``events(**event_options)`` and a valid random seating of it."""
    event = draw(events(**event_options))
    return event, seatings(event, draw(st.randoms(use_true_random=False)))


metadata = st.builds(
    PlanMetadata,
    solver=st.sampled_from(["greedy", "cpsat", "hand-made"]),
    seed=st.one_of(st.none(), st.integers(0, 2**31)),
    time_limit=st.one_of(st.none(), st.floats(0, 600, allow_nan=False)),
    time_used=st.floats(0, 600, allow_nan=False),
    optimal=st.booleans(),
    status=st.sampled_from(["", "FEASIBLE", "OPTIMAL"]),
    objective_bound=st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    created=st.sampled_from(["", "2026-03-01T09:30:00+00:00"]),
    mixer_version=st.just("0.1.0"),
    notes=st.lists(st.text(max_size=20), max_size=2).map(tuple),
)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """A whole plan: random event (with rules), valid seating, metadata and its score summary."""
    event, rounds = draw(event_seatings(rules=True))
    return Plan(event=event, rounds=rounds, metadata=draw(metadata), score=score_rounds(event, rounds).summary())
