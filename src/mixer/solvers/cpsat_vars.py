"""The seat variables of a CP-SAT model, with the queries rules need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mixer.model import Event, RoundSeating

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


@dataclass(frozen=True)
class FreeCells:
    """What a model may change in one round: some tables (id -> seats to fill) and the people to seat there.

    Whoever sits at one of these tables now and is not among ``people`` keeps their seat.
    """

    layout: Mapping[str, int]
    people: Sequence[str]
    hint: Mapping[str, str] = field(default_factory=dict)  # person -> table, when it differs from the current plan


@dataclass
class SeatVars:
    """``seat(p, t, r)`` is true when person ``p`` sits at table ``t`` in round ``r``.

    Only the free cells of a round (see :class:`FreeCells`) get variables; everyone
    else keeps their seat in the current plan, which ``seat`` answers with a
    constant true or false, so a rule encodes itself the same way whatever is free.
    ``seat`` is None only for people absent from the round or tables it does not use.
    ``rounds`` and ``layout`` name only the rounds and tables where the model chooses
    seats: a rule held in each round at each table need not look elsewhere, where
    nothing changes. ``planned`` is every round of the plan, for rules that span rounds.
    """

    model: cp_model.CpModel
    event: Event
    planned: list[int]
    rounds: list[int] = field(default_factory=list)
    _layouts: dict[int, dict[str, int]] = field(default_factory=dict)
    _tables: dict[int, set[str]] = field(default_factory=dict)
    _seats: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)
    _fixed: dict[tuple[str, int], str] = field(default_factory=dict)
    _at_table: dict[tuple[str, int], list[cp_model.IntVar]] = field(default_factory=dict)
    _constants: tuple[cp_model.IntVar, ...] = ()

    @classmethod
    def create(
        cls,
        model: cp_model.CpModel,
        event: Event,
        current: Sequence[RoundSeating],
        free: Mapping[int, FreeCells],
    ) -> SeatVars:
        """Variables for the ``free`` cells of each round; everyone else sits where ``current`` seats them."""
        seats = cls(model, event, [seating.round for seating in current])
        seats._constants = (model.new_constant(0), model.new_constant(1))
        for seating in current:
            r = seating.round
            cells = free.get(r)
            free_tables = cells.layout if cells else {}
            free_people = set(cells.people) if cells else set()
            seats._tables[r] = {ts.table for ts in seating.tables} | set(free_tables)
            for ts in seating.tables:
                seats._fixed.update(((pid, r), ts.table) for pid in ts.participants if pid not in free_people)
            if not cells:
                continue
            seats.rounds.append(r)
            layout = seats._layouts[r] = dict(free_tables)
            for ts in seating.tables:
                if ts.table in free_tables:
                    staying = sum(1 for pid in ts.participants if pid not in free_people)
                    layout[ts.table] += staying
                    seats._at_table[ts.table, r] = [seats._constants[1]] * staying
            for table_id in free_tables:
                at_table = seats._at_table.setdefault((table_id, r), [])
                for pid in cells.people:
                    var = model.new_bool_var(f"seat[{pid},{table_id},{r}]")
                    seats._seats[pid, table_id, r] = var
                    at_table.append(var)
        return seats

    def layout(self, round_no: int) -> dict[str, int]:
        """Table id -> seats to fill, for the tables where the model chooses seats in that round."""
        return self._layouts.get(round_no, {})

    def constant(self, var: object) -> int | None:
        """0 or 1 when ``var`` is one of the model's constants (a seat the model does not choose), else None."""
        return next((value for value, known in enumerate(self._constants) if known is var), None)

    def free(self, pid: str, round_no: int) -> bool:
        """Whether the model chooses this person's seat in that round."""
        return (pid, round_no) not in self._fixed and self.event.attends(pid, round_no)

    def seat(self, pid: str, table_id: str, round_no: int) -> cp_model.IntVar | None:
        var = self._seats.get((pid, table_id, round_no))
        if var is not None:
            return var
        if table_id not in self._tables.get(round_no, ()) or not self.event.attends(pid, round_no):
            return None
        return self._constants[self._fixed.get((pid, round_no)) == table_id]

    def of_person(self, pid: str, round_no: int) -> list[cp_model.IntVar]:
        if (pid, round_no) in self._fixed:
            return [self._constants[1]]
        return [v for t in self.layout(round_no) if (v := self._seats.get((pid, t, round_no))) is not None]

    def at_table(self, table_id: str, round_no: int) -> list[cp_model.IntVar]:
        return list(self._at_table.get((table_id, round_no), []))
