"""A plan as the exports read it: who sits at which table in each round, and which part to print.

Each round's tables are looked up with ``event.tables_in(round)``, so a round that seats
people in its own numbered groups shows those groups, not the event's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from mixer.errors import InputError
from mixer.model import Participant, Plan, Table
from mixer.people import PeopleIndex, fold


def table_label(table: Table) -> str:
    """A table as a card names it: its name (or ``Table N``), then its topic if it has one."""
    return f"{table.display_name} · {table.topic}" if table.topic else table.display_name


@dataclass(frozen=True)
class Group:
    """The people at one table in one round, sorted by name."""

    round: int
    table: Table
    people: tuple[Participant, ...]

    @property
    def key(self) -> tuple[int, str]:
        return (self.round, self.table.id)


class PlanView:
    """Read-only questions the exports ask of a plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.event = plan.event
        self.rounds = len(plan.rounds)
        self._people = {p.id: p for p in self.event.participants}
        self._tables = [{t.id: t for t in self.event.tables_in(r.round)} for r in plan.rounds]
        self._table_of = [r.table_of() for r in plan.rounds]

    def people(self) -> list[Participant]:
        """Everyone in the plan, sorted by name as a person would look them up."""
        return sorted(self.event.participants, key=lambda p: (fold(p.name), p.name, p.id))

    def table(self, round_no: int, table_id: str) -> Table:
        """A round's table by id; a table the event does not list is shown by its id."""
        known = self._tables[round_no - 1].get(table_id)
        return known if known is not None else Table(id=table_id, capacity=1)

    def seat(self, person_id: str, round_no: int) -> Table | None:
        """Where someone sits in a round, or None when they are not there."""
        table_id = self._table_of[round_no - 1].get(person_id)
        return None if table_id is None else self.table(round_no, table_id)

    def seats(self, person_id: str) -> list[Table | None]:
        """Someone's table in every round (None where absent)."""
        return [self.seat(person_id, r) for r in range(1, self.rounds + 1)]

    def groups(self, round_no: int | None = None) -> list[Group]:
        """Every table's people, round by round in the plan's table order (or for one round)."""
        numbers = range(1, self.rounds + 1) if round_no is None else [round_no]
        return [
            Group(r, self.table(r, ts.table), tuple(sorted((self._people[p] for p in ts.participants if p in self._people),
                                                           key=lambda p: (fold(p.name), p.name))))
            for r in numbers
            for ts in self.plan.rounds[r - 1].tables
        ]


@dataclass(frozen=True)
class Selection:
    """The part of a plan to print: some people (cards) and some tables (rosters); None means all."""

    people: frozenset[str] | None = None
    tables: frozenset[tuple[int, str]] | None = None

    def has_person(self, person_id: str) -> bool:
        return self.people is None or person_id in self.people

    def has_group(self, group: Group) -> bool:
        return self.tables is None or group.key in self.tables

    def __and__(self, other: Selection) -> Selection:
        return Selection(_both(self.people, other.people), _both(self.tables, other.tables))


def _both(a: frozenset | None, b: frozenset | None) -> frozenset | None:
    if a is None:
        return b
    return a if b is None else a & b


def named(plan: Plan, refs: list[str]) -> Selection:
    """The people ``refs`` name (ids, emails or names, as :class:`PeopleIndex` reads them) and their tables.

    Every reference that names nobody, or several people, is reported at once.
    """
    index = PeopleIndex(plan.event.participants)
    problems = [p for ref in refs if (p := index.problem(ref, "--people")) is not None]
    if problems:
        raise InputError(problems)
    ids = frozenset(index.find(ref)[0] for ref in refs)
    view = PlanView(plan)
    tables = frozenset(g.key for g in view.groups() if any(p.id in ids for p in g.people))
    return Selection(ids, tables)


def changed_since(plan: Plan, old: Plan) -> Selection:
    """The people whose tables changed from ``old`` to ``plan`` and the tables whose people changed.

    People are matched by id. Someone new, or whose table, table name or topic changed in any
    round, needs a new card; a table whose people, name or topic changed needs a new roster.
    """
    new_view, old_view = PlanView(plan), PlanView(old)

    def where(view: PlanView, person_id: str, round_no: int) -> tuple[str, str] | None:
        if round_no > view.rounds:
            return None
        table = view.seat(person_id, round_no)
        return None if table is None else (table.id, table_label(table))

    people = frozenset(
        p.id for p in plan.event.participants
        if any(where(new_view, p.id, r) != where(old_view, p.id, r) for r in range(1, new_view.rounds + 1))
    )
    before = {
        g.key: (table_label(g.table), {p.id for p in g.people}) for g in old_view.groups()
    }
    tables = frozenset(
        g.key for g in new_view.groups() if before.get(g.key) != (table_label(g.table), {p.id for p in g.people})
    )
    return Selection(people, tables)

