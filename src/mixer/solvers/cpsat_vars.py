"""The seat variables of a CP-SAT model, with the queries rules need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mixer.layout import round_layout
from mixer.model import Event, RoundSeating

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


@dataclass
class SeatVars:
    """``seat(p, t, r)`` is true when person ``p`` sits at table ``t`` in round ``r``.

    Variables exist only for people present in a round and the tables its layout uses.
    """

    model: cp_model.CpModel
    event: Event
    rounds: list[int]
    _layouts: dict[int, dict[str, int]] = field(default_factory=dict)
    _seats: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)

    @classmethod
    def create(
        cls, model: cp_model.CpModel, event: Event, rounds: list[int], fixed: tuple[RoundSeating, ...] = ()
    ) -> SeatVars:
        """Variables for ``rounds``; the ``fixed`` rounds (1, 2, ...) keep their seating, every seat variable fixed."""
        seats = cls(model, event, rounds)
        for r in rounds:
            seats._layouts[r] = (
                {ts.table: len(ts.participants) for ts in fixed[r - 1].tables} if r <= len(fixed) else round_layout(event, r)
            )
            for pid in event.present(r):
                for table_id in seats._layouts[r]:
                    seats._seats[pid, table_id, r] = model.new_bool_var(f"seat[{pid},{table_id},{r}]")
        for seating in fixed:
            for ts in seating.tables:
                for pid in ts.participants:
                    if (var := seats.seat(pid, ts.table, seating.round)) is not None:
                        model.add(var == 1)
        return seats

    def layout(self, round_no: int) -> dict[str, int]:
        """Table id -> seats to fill in that round."""
        return self._layouts[round_no]

    def seat(self, pid: str, table_id: str, round_no: int) -> cp_model.IntVar | None:
        return self._seats.get((pid, table_id, round_no))

    def of_person(self, pid: str, round_no: int) -> list[cp_model.IntVar]:
        return [v for t in self._layouts[round_no] if (v := self.seat(pid, t, round_no)) is not None]

    def at_table(self, table_id: str, round_no: int) -> list[cp_model.IntVar]:
        return [v for pid in self.event.present(round_no) if (v := self.seat(pid, table_id, round_no)) is not None]
