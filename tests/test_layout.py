"""Table sizes: balanced tables, even spreading within capacities, and round layouts with absentees."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixer.layout import balanced_tables, round_layout, spread, tables_used
from mixer.model import Event, Participant, Table

from strategies import events


def _event(people: int, capacities: list[int], absent: int = 0) -> Event:
    return Event(
        participants=[Participant(id=str(i), name=f"P{i}") for i in range(people)],
        tables=[Table(id=f"T{i}", capacity=c) for i, c in enumerate(capacities, start=1)],
        rounds=2,
        attendance={str(i): (2,) for i in range(absent)},
    )


def test_54_people_at_tables_of_5():
    """54 people at tables of 5 sit at ten tables of 5 and one of 4."""
    assert sorted(balanced_tables(54, table_size=5), reverse=True) == [5] * 10 + [4]


def test_47_people_at_tables_of_5():
    """47 people at tables of 5 sit at seven tables of 5 and three of 4."""
    assert sorted(balanced_tables(47, table_size=5), reverse=True) == [5] * 7 + [4] * 3


def test_table_count_given():
    """Given a number of tables, people are spread over exactly that many."""
    assert sorted(balanced_tables(50, tables=8)) == [6] * 6 + [7] * 2


@given(st.integers(1, 2000), st.integers(1, 12))
def test_balanced_tables_by_size(people, size):
    """Sizes sum to the people, differ by at most one, stay within the size, using the fewest tables."""
    sizes = balanced_tables(people, table_size=size)
    assert sum(sizes) == people
    assert max(sizes) - min(sizes) <= 1
    assert max(sizes) <= size
    assert len(sizes) == math.ceil(people / size)


@given(st.integers(6, 2000), st.integers(5, 12))
def test_no_table_of_two(people, size):
    """With six or more people and tables of five or more, nobody sits at a table of two or fewer."""
    assert min(balanced_tables(people, table_size=size)) >= 3


@given(st.integers(1, 500), st.integers(1, 60))
def test_balanced_tables_by_count(people, tables):
    """Given a table count no larger than the people, every table gets someone and sizes differ by at most one."""
    if tables > people:
        with pytest.raises(ValueError, match="tables"):
            balanced_tables(people, tables=tables)
        return
    sizes = balanced_tables(people, tables=tables)
    assert len(sizes) == tables and sum(sizes) == people
    assert min(sizes) >= 1 and max(sizes) - min(sizes) <= 1


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"people": 10}, "exactly one"),
        ({"people": 10, "table_size": 5, "tables": 2}, "exactly one"),
        ({"people": 0, "table_size": 5}, "at least one person"),
        ({"people": 10, "table_size": 0}, "table size"),
        ({"people": 10, "tables": 0}, "number of tables"),
    ],
)
def test_balanced_tables_rejects_bad_arguments(kwargs, fragment):
    """Impossible requests raise ValueError saying what is wrong."""
    with pytest.raises(ValueError, match=fragment):
        balanced_tables(**kwargs)


@given(st.lists(st.integers(0, 9), min_size=1, max_size=12), st.data())
def test_spread_respects_capacities(capacities, data):
    """Spread seats everyone, never beyond a capacity, and only leaves a table two short when it is full."""
    people = data.draw(st.integers(0, sum(capacities)))
    seats = spread(people, capacities)
    assert sum(seats) == people
    assert all(0 <= s <= c for s, c in zip(seats, capacities))
    for i, small in enumerate(seats):
        if small < max(seats) - 1:
            assert small == capacities[i]


def test_spread_too_many_people():
    """More people than seats is an error naming both numbers."""
    with pytest.raises(ValueError, match="11 people do not fit in 10 seats"):
        spread(11, [5, 5])


def test_round_layout_with_absentees():
    """Absentees shrink a round to ceil(present / K) tables of capacity K, spread evenly."""
    event = _event(50, [5] * 10, absent=8)
    assert round_layout(event, 2) == {f"T{i}": 5 for i in range(1, 11)}
    first = round_layout(event, 1)
    assert list(first) == [f"T{i}" for i in range(1, 10)]
    assert sorted(first.values()) == [4] * 3 + [5] * 6


@given(st.integers(1, 120), st.integers(2, 8), st.data())
def test_round_layout_uses_fewest_tables(people, size, data):
    """For tables of capacity K, a round with P present uses the first ceil(P / K) tables."""
    absent = data.draw(st.integers(0, people - 1))
    event = _event(people, [size] * math.ceil(people / size), absent=absent)
    layout = round_layout(event, 1)
    present = people - absent
    assert list(layout) == [t.id for t in event.tables[: math.ceil(present / size)]]
    assert sum(layout.values()) == present
    assert max(layout.values()) - min(layout.values()) <= 1


@given(events())
def test_round_layout_fits_the_tables(event):
    """Every round's layout seats exactly the people present, within each table's capacity."""
    for r in range(1, event.rounds + 1):
        layout = round_layout(event, r)
        assert sum(layout.values()) == len(event.present(r))
        assert all(0 < seats <= event.table(t).capacity for t, seats in layout.items())
        assert len(layout) == (tables_used(len(event.present(r)), event.tables) if event.present(r) else 0)


def test_round_layout_nobody_present():
    """A round nobody attends has an empty layout."""
    event = _event(4, [4], absent=4)
    assert round_layout(event, 1) == {}
