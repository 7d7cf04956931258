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
    """What a model may change in one round: some tables (id -> seats to fill) and the people to seat there."""

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
    """

    model: cp_model.CpModel
    event: Event
    rounds: list[int]
    _layouts: dict[int, dict[str, int]] = field(default_factory=dict)
    _seats: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)
    _fixed: dict[tuple[str, int], str] = field(default_factory=dict)
    _at_table: dict[tuple[str, int], list[cp_model.IntVar]] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        model: cp_model.CpModel,
        event: Event,
        current: Sequence[RoundSeating],
        free: Mapping[int, FreeCells],
    ) -> SeatVars:
        """Variables for the ``free`` cells of each round; everyone else sits where ``current`` seats them."""
        seats = cls(model, event, list(range(1, len(current) + 1)))
        one = model.new_constant(1)
        for seating in current:
            r = seating.round
            cells = free.get(r)
            free_tables = cells.layout if cells else {}
            free_people = set(cells.people) if cells else set()
            layout = {}
            for ts in seating.tables:
                staying = [pid for pid in ts.participants if pid not in free_people]
                if ts.table not in free_tables and staying:
                    layout[ts.table] = len(staying)
                    seats._fixed.update(((pid, r), ts.table) for pid in staying)
                    seats._at_table[ts.table, r] = [one] * len(staying)
            seats._layouts[r] = {**layout, **free_tables}
            for table_id in free_tables:
                seats._at_table[table_id, r] = []
            for pid in cells.people if cells else ():
                for table_id in free_tables:
                    var = model.new_bool_var(f"seat[{pid},{table_id},{r}]")
                    seats._seats[pid, table_id, r] = var
                    seats._at_table[table_id, r].append(var)
        return seats

    def layout(self, round_no: int) -> dict[str, int]:
        """Table id -> seats to fill in that round."""
        return self._layouts[round_no]

    def free(self, pid: str, round_no: int) -> bool:
        """Whether the model chooses this person's seat in that round."""
        return (pid, round_no) not in self._fixed and self.event.attends(pid, round_no)

    def seat(self, pid: str, table_id: str, round_no: int) -> cp_model.IntVar | None:
        var = self._seats.get((pid, table_id, round_no))
        if var is not None:
            return var
        if table_id not in self._layouts[round_no] or not self.event.attends(pid, round_no):
            return None
        return self.model.new_constant(int(self._fixed.get((pid, round_no)) == table_id))

    def of_person(self, pid: str, round_no: int) -> list[cp_model.IntVar]:
        if (pid, round_no) in self._fixed:
            return [self.model.new_constant(1)]
        return [v for t in self._layouts[round_no] if (v := self._seats.get((pid, t, round_no))) is not None]

    def at_table(self, table_id: str, round_no: int) -> list[cp_model.IntVar]:
        return list(self._at_table.get((table_id, round_no), []))
