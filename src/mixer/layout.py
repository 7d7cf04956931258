"""How many people sit at each table in each round.

The rule: use the fewest tables (in the event's order) whose seats hold
everyone present, then spread people over them as evenly as capacities allow,
so sizes differ by at most one where they can. With tables of 5, 54 people sit
at ten tables of 5 and one of 4; 47 at seven of 5 and three of 4.
"""

from __future__ import annotations

import math

from mixer.model import Event, Table


def balanced_tables(people: int, table_size: int | None = None, tables: int | None = None) -> list[int]:
    """Capacities of balanced tables for ``people``: at most ``table_size`` each, or ``tables`` of them."""
    if (table_size is None) == (tables is None):
        raise ValueError("give exactly one of table_size and tables")
    if people < 1:
        raise ValueError("there must be at least one person")
    if tables is None:
        assert table_size is not None
        if table_size < 1:
            raise ValueError(f"table size must be at least 1, got {table_size}")
        tables = math.ceil(people / table_size)
    if tables < 1:
        raise ValueError(f"the number of tables must be at least 1, got {tables}")
    return spread(people, [people] * tables)


def spread(people: int, capacities: list[int]) -> list[int]:
    """Seat ``people`` over tables as evenly as their capacities allow (water filling)."""
    if people > sum(capacities):
        raise ValueError(f"{people} people do not fit in {sum(capacities)} seats")
    seats = [0] * len(capacities)
    left = people
    open_tables = [i for i, c in enumerate(capacities) if c > 0]
    while left > 0:
        share, extra = divmod(left, len(open_tables))
        for rank, i in enumerate(open_tables):
            seats[i] += min(share + (1 if rank < extra else 0), capacities[i] - seats[i])
        left = people - sum(seats)
        open_tables = [i for i in open_tables if seats[i] < capacities[i]]
    return seats


def tables_used(people: int, tables: tuple[Table, ...]) -> int:
    """The fewest tables, taken in order, whose seats hold ``people``."""
    total = 0
    for count, table in enumerate(tables, start=1):
        total += table.capacity
        if total >= people:
            return count
    raise ValueError(f"{people} people do not fit in {total} seats")


def round_layout(event: Event, round_no: int) -> dict[str, int]:
    """Table id -> people to seat there in this round; unused tables are left out."""
    present = len(event.present(round_no))
    if present == 0:
        return {}
    used = event.tables[: tables_used(present, event.tables)]
    seats = spread(present, [t.capacity for t in used])
    return {t.id: s for t, s in zip(used, seats) if s > 0}
