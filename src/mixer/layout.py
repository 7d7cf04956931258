"""How many people sit at each table in each round.

The rule: use the fewest tables (in the event's order) whose seats hold
everyone present, then spread people over them as evenly as capacities allow,
so sizes differ by at most one where they can. With tables of 5, 54 people sit
at ten tables of 5 and one of 4; 47 at seven of 5 and three of 4.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mixer.model import Event, Table


FEWEST_AT_A_TABLE = 3


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
    if tables > people:
        raise ValueError(f"{tables} tables for {people} people would leave tables empty")
    return spread(people, [people] * tables)


def numbered_capacities(people: int, size: int | None = None, count: int | None = None) -> list[int]:
    """Capacities of numbered tables for ``people``: at most ``size`` each, or ``count`` of them, or both.

    With a size K there are ceil(people / K) tables of capacity K, so each round's layout
    rebalances when people are absent; with only a count T, there are T tables of ceil(people / T)
    seats, which an event that uses every table fills with sizes differing by one at most.
    """
    if size is not None and count is not None:
        capacities = [size] * count
    elif size is not None:
        capacities = [size] * len(balanced_tables(people, table_size=size))
    elif count is not None:
        capacities = [max(balanced_tables(people, tables=count))] * count
    else:
        raise ValueError("give a table size or a number of tables")
    if not capacities or min(capacities) < 1:
        raise ValueError("the table size and the number of tables must be at least 1")
    return capacities


def spread(people: int, capacities: list[int]) -> list[int]:
    """Seat ``people`` over tables as evenly as their capacities allow (water filling).

    Every table is filled to a common level (or to its capacity if smaller);
    the people left over take one more seat each at the first tables with room.
    """
    if people > sum(capacities):
        raise ValueError(f"{people} people do not fit in {sum(capacities)} seats")
    level = 0
    while level < max(capacities, default=0) and sum(min(c, level + 1) for c in capacities) <= people:
        level += 1
    seats = [min(c, level) for c in capacities]
    left = people - sum(seats)
    for i, capacity in enumerate(capacities):
        if left and capacity > level:
            seats[i] += 1
            left -= 1
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
    """Table id -> people to seat there in this round; unused tables are left out.

    An event that uses every table (``--tables T``) keeps all its tables while
    each can seat at least ``FEWEST_AT_A_TABLE`` people.
    """
    present = len(event.present(round_no))
    if present == 0:
        return {}
    tables = event.tables_in(round_no)
    if event.at_event_tables(round_no):
        count = tables_used(present, tables)
        if event.use_every_table:
            count = max(count, min(len(tables), present // FEWEST_AT_A_TABLE))
    else:
        count = len(tables)  # a round's own groups are made for the people present: every one is used
    used = tables[:count]
    seats = spread(present, [t.capacity for t in used])
    return {t.id: s for t, s in zip(used, seats) if s > 0}


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def describe_sizes(sizes: Sequence[int]) -> str:
    """Table sizes in words, largest first: '10 tables: seven of 5, three of 4', or '9 tables of 5'."""
    counts = sorted(Counter(sizes).items(), reverse=True)
    tables = f"{len(sizes)} table{'s' * (len(sizes) != 1)}"
    if len(counts) == 1:
        return f"{tables} of {counts[0][0]}"
    return f"{tables}: " + ", ".join(f"{_number(n)} of {size}" for size, n in counts)


def describe_rounds(sizes_by_round: Sequence[Sequence[int]]) -> list[str]:
    """The table sizes of each round in words, rounds alike told once: ['rounds 1-3: 9 tables of 5', 'round 4: ...'].

    When every round is alike, just the sizes.
    """
    runs: list[tuple[list[int], str]] = []
    for r, sizes in enumerate(sizes_by_round, start=1):
        text = describe_sizes(sizes) if sizes else "nobody attends"
        if runs and runs[-1][1] == text:
            runs[-1][0].append(r)
        else:
            runs.append(([r], text))
    if len(runs) == 1:
        return [runs[0][1]]
    return [f"round {rs[0]}: {text}" if len(rs) == 1 else f"rounds {rs[0]}-{rs[-1]}: {text}" for rs, text in runs]


def _number(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
