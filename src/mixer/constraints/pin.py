"""Rule: a person sits at one table, or at a table with a tag (the accessible table), in some or all rounds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Sequence

from pydantic import BaseModel, ConfigDict, model_validator

from mixer.constraints.base import (
    Problem,
    Violation,
    find_table,
    has_tag,
    names_phrase,
    round_layouts,
    rule_label,
    table_name,
    unknown_people,
    unknown_table,
    unknown_tag,
    who,
)
from mixer.constraints.terms import SeatTerm

if TYPE_CHECKING:
    from mixer.constraints.terms import Term
    from mixer.model import Event, RoundSeating
    from mixer.solvers.cpsat_vars import SeatVars


class Pin(BaseModel):
    """``person`` sits at ``table`` (id or name) or at a table tagged ``tag``, in ``rounds`` (default: all they attend).

    It applies only in rounds seated at the event's own tables (:meth:`Event.at_event_tables`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: Literal["pin"] = "pin"
    person: str
    table: str | None = None
    tag: str | None = None
    rounds: tuple[int, ...] | None = None
    origin: str = ""

    @model_validator(mode="after")
    def _table_or_tag(self) -> Pin:
        if (self.table is None) == (self.tag is None):
            raise ValueError("a pin needs either `table` (a table's id or name) or `tag` (such as \"accessible\")")
        return self

    def describe(self, event: Event) -> str:
        where = f"at {self.table}" if self.table is not None else f"at a table tagged {self.tag!r}"
        when = f" in rounds {', '.join(map(str, self.rounds))}" if self.rounds else ""
        return f"{names_phrase(event, [self.person])} {where}{when}"

    def applies_in(self, event: Event) -> list[int]:
        """The rounds the pin holds in: those asked for (else all) that the person attends at the event's tables."""
        wanted = self.rounds or range(1, event.rounds + 1)
        return [
            r for r in wanted
            if 1 <= r <= event.rounds and event.attends(self.person, r) and event.at_event_tables(r)
        ]

    def allowed(self, event: Event, round_no: int) -> frozenset[str]:
        """The tables the person may sit at in a round."""
        if self.table is not None:
            table_id = find_table(event, self.table)
            return frozenset(t.id for t in event.tables_in(round_no) if t.id == table_id)
        assert self.tag is not None
        return frozenset(t.id for t in event.tables_in(round_no) if has_tag(t, self.tag))

    def check_event(self, event: Event) -> list[Problem]:
        label = rule_label(self, event)
        problems = unknown_people("pin", [self.person], event, label)
        if self.table is not None and find_table(event, self.table) is None:
            problems.append(unknown_table(event, self.table, label))
        if self.tag is not None and not any(has_tag(t, self.tag) for t in event.tables):
            problems.append(unknown_tag(event, self.tag, label))
        bad = [r for r in self.rounds or () if not 1 <= r <= event.rounds]
        if bad:
            problems.append(Problem(f"names round {bad[0]}, but the event has rounds 1 to {event.rounds}", label))
        if problems:
            return problems
        layouts = round_layouts(event)
        for r in self.applies_in(event):
            if r in layouts and not self.allowed(event, r) & layouts[r].keys():
                problems.append(
                    Problem(
                        f"{label} cannot hold in round {r}: its {len(layouts[r])} tables in use hold everyone present, "
                        f"and the table asked for is not among them; list it earlier under [[tables]]"
                    )
                )
        return problems

    def encode(self, event: Event, seats: SeatVars) -> None:
        for r in self.applies_in(event):
            if r not in seats.rounds:
                continue
            allowed = self.allowed(event, r)
            for table_id in seats.layout(r):
                if table_id not in allowed and (var := seats.seat(self.person, table_id, r)) is not None:
                    seats.model.add(var == 0)

    def violations(self, event: Event, rounds: Sequence[RoundSeating]) -> list[Violation]:
        applies = set(self.applies_in(event))
        found = []
        for seating in rounds:
            table = seating.table_of().get(self.person)
            if seating.round in applies and table is not None and table not in self.allowed(event, seating.round):
                wanted = table_name(event, find_table(event, self.table) or self.table) if self.table is not None else f"a table tagged {self.tag!r}"
                found.append(
                    Violation(
                        self.kind,
                        f"round {seating.round}: {who(event, self.person)} sits at {table_name(event, table)}, "
                        f"but is pinned to {wanted}",
                        (self.person,),
                        (table,),
                        (seating.round,),
                    )
                )
        return found

    def search_terms(self, event: Event) -> list[Term]:
        return [SeatTerm(self.person, r, self.allowed(event, r)) for r in self.applies_in(event)]
