"""Rule: a table host stays at one table in every round they attend while the others rotate (World Café).

A host without a ``table`` gets one chosen for them, the same way every time
(:func:`host_tables`): the first table in use in every round they host that no
other host has and that their other rules (a pin, say) allow, avoiding tables
others are pinned to. So no two hosts share a table, and every solver, report
and check means the same table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict

from mixer.constraints.base import (
    Problem,
    Violation,
    find_table,
    names_phrase,
    round_layouts,
    rounds_phrase,
    rule_label,
    table_name,
    unknown_people,
    unknown_table,
    who,
)
from mixer.constraints.terms import SeatTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class Host(BaseModel):
    """``person`` sits at one table (``table``, or one chosen for them) in every round they attend at the event's tables."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["host"] = "host"
    person: str
    table: str | None = None
    origin: str = ""

    def describe(self, event: Event) -> str:
        at = f" at {self.table}" if self.table is not None else ""
        return f"{names_phrase(event, [self.person])}{at}"

    def applies_in(self, event: Event) -> list[int]:
        """The rounds the host attends at the event's own tables."""
        return [r for r in range(1, event.rounds + 1) if event.attends(self.person, r) and event.at_event_tables(r)]

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        problems = unknown_people("host", [self.person], event, label)
        if self.table is not None and find_table(event, self.table) is None:
            problems.append(unknown_table(event, self.table, label))
        if problems:
            return problems
        hosts = [rule for rule in event.rules if isinstance(rule, Host)]
        table = host_tables(event).get(self.person)
        same_table = [h for h in hosts[: hosts.index(self)] if h.table is not None and self.table is not None
                      and find_table(event, h.table) == find_table(event, self.table)]
        if same_table:
            other = rule_label(same_table[0], event)
            problems.append(Problem(f"{label} and {other} would share {table_name(event, table or '')}; "
                                    "two hosts cannot host one table"))
        elif table is None and self.applies_in(event):
            problems.append(Problem(f"{label} has no table to host: every table in use in all of "
                                    f"{rounds_phrase(self.applies_in(event))} has a host already"))
        else:
            layouts = round_layouts(event)
            missing = [r for r in self.applies_in(event) if r in layouts and table not in layouts[r]]
            if missing:
                problems.append(Problem(f"{label} cannot hold in {rounds_phrase(missing)}: "
                                        f"{table_name(event, table or '')} is not in use then, as fewer people attend"))
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        table = host_tables(event).get(self.person)
        for r in self.applies_in(event):
            if r not in seats.rounds:
                continue
            for table_id in seats.layout(r):
                if table_id != table and (var := seats.seat(self.person, table_id, r)) is not None:
                    seats.model.add(var == 0)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        table = host_tables(event).get(self.person)
        applies = set(self.applies_in(event))
        found = []
        for seating in rounds:
            sits = seating.table_of().get(self.person)
            if table is not None and seating.round in applies and sits is not None and sits != table:
                found.append(
                    Violation(
                        self.kind,
                        f"round {seating.round}: {who(event, self.person)} hosts {table_name(event, table)} "
                        f"but sits at {table_name(event, sits)}",
                        (self.person,),
                        (sits,),
                        (seating.round,),
                    )
                )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        table = host_tables(event).get(self.person)
        if table is None:
            return []
        return [SeatTerm(self.person, r, frozenset({table})) for r in self.applies_in(event)]


def host_people(event: Event) -> set[str]:
    """Everyone who hosts a table (and so stays put while others rotate)."""
    return {rule.person for rule in event.rules if isinstance(rule, Host)}


def host_tables(event: Event) -> dict[str, str]:
    """Each host's table: the one asked for, else the first in use in all their rounds, free of hosts, that their
    other hard seat rules allow (if none does, the first free one), preferring tables nobody else is pinned to."""
    hosts = [rule for rule in event.rules if isinstance(rule, Host)]
    if not hosts:
        return {}
    chosen: dict[str, str] = {}
    for host in hosts:
        if host.table is not None and (table_id := find_table(event, host.table)) is not None:
            chosen.setdefault(host.person, table_id)
    taken = set(chosen.values())
    wishes: dict[str, list[frozenset[str]]] = {}
    for rule in event.rules:
        if not isinstance(rule, Host):
            for term in rule.search_terms(event):
                if isinstance(term, SeatTerm) and term.hard:
                    wishes.setdefault(term.person, []).append(term.tables)
    layouts = round_layouts(event)
    options: dict[str, list[str]] = {}
    choice: dict[str, int] = {}  # how many tables a host's other rules leave them; the fewest choose first
    for host in hosts:
        if host.person not in chosen and host.table is None and (rounds := host.applies_in(event)):
            usable = [t.id for t in event.tables if all(t.id in layouts.get(r, {}) for r in rounds)]
            fits = [t for t in usable if all(t in allowed for allowed in wishes.get(host.person, []))]
            # Tables others are pinned to come last: a host there would meet them in every round.
            pinned = {t for person, sets in wishes.items() if person != host.person for allowed in sets for t in allowed}
            options[host.person] = sorted(fits, key=lambda t: t in pinned) + [t for t in usable if t not in fits]
            choice[host.person] = len(fits) if host.person in wishes else len(event.tables) + 1
    for person in sorted(options, key=choice.__getitem__):
        free = [t for t in options[person] if t not in taken]
        if free:
            chosen[person] = free[0]
            taken.add(free[0])
    return chosen
