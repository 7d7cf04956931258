"""Designs: finite fields, and every schedule the catalogue claims is built and has zero repeats."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mixer.designs import best_design, counting_bound, repeats
from mixer.designs import data
from mixer.designs.builders import affine_geometry, rotational_rgdd, side_by_side, split_groups
from mixer.designs.fields import field, prime_power
from mixer.designs.placement import apart_points, empty_points, table_numbers

CLAIMED_UP_TO = 96  # every g-p with g * p up to this many people is built and checked here


def assert_zero_repeat_schedule(schedule: list[list[list[int]]], groups: int, size: int) -> None:
    """Every round seats every point once at ``groups`` tables of ``size``, and no pair meets twice."""
    for round_ in schedule:
        assert len(round_) == groups
        assert all(len(group) == size for group in round_)
        assert sorted(x for group in round_ for x in group) == list(range(groups * size))
    assert repeats(schedule) == 0


@pytest.mark.parametrize("q", [2, 3, 4, 5, 7, 8, 9, 16, 25, 27])
def test_fields_have_no_zero_divisors_and_distribute(q: int) -> None:
    """GF(q) is a field: every non-zero element has an inverse, and multiplication distributes over addition."""
    f = field(q)
    for a in range(1, q):
        assert 1 in f.mul[a][1:]
    triples = itertools.islice(itertools.product(range(q), repeat=3), 0, None, max(1, q**3 // 2000))
    for a, b, c in triples:
        assert f.mul[a][f.add[b][c]] == f.add[f.mul[a][b]][f.mul[a][c]]
        assert f.add[f.sub[a][b]][b] == a


def test_arithmetic_mod_four_is_not_gf4() -> None:
    """GF(4) is not Z_4: 2 * 2 is 0 mod 4 but non-zero in the field; 6 and 10 are no prime powers."""
    assert field(4).mul[2][2] != 0
    assert prime_power(4) == (2, 2) and prime_power(6) is None and prime_power(10) is None


@pytest.mark.parametrize("people", range(4, CLAIMED_UP_TO + 1))
def test_every_claimed_size_has_zero_repeats(people: int) -> None:
    """For each g-p with this many people, the best design builds all its rounds without a repeat."""
    for size in range(2, people):
        if people % size == 0 and (design := best_design(people // size, size)) is not None:
            schedule = design.schedule()
            assert len(schedule) == design.rounds <= counting_bound(design.groups, size)
            assert_zero_repeat_schedule(schedule, design.groups, size)


@pytest.mark.parametrize(("groups", "size", "rounds"), [
    (5, 5, 6), (7, 7, 8), (8, 8, 9), (9, 9, 10), (4, 4, 5), (6, 6, 3), (10, 10, 4), (12, 12, 6),
    (8, 4, 10), (8, 6, 8), (10, 5, 9), (12, 4, 14), (9, 3, 13), (16, 4, 21), (15, 3, 22), (7, 4, 9),
    (10, 4, 13), (13, 4, 17), (17, 3, 25), (19, 3, 28), (20, 3, 29), (12, 5, 12), (15, 4, 15), (10, 6, 7),
    (12, 6, 13), (12, 12, 7), (15, 5, 16), (15, 15, 6), (9, 4, 11), (12, 4, 15), (15, 4, 19),
    (10, 8, 5), (12, 10, 6),
])
def test_named_designs_reach_their_rounds(groups: int, size: int, rounds: int) -> None:
    """Instances from the designs facts sheet: the catalogue finds at least as many rounds, all repeat-free."""
    design = best_design(groups, size)
    assert design is not None and design.rounds >= rounds
    assert_zero_repeat_schedule(design.schedule(), groups, size)


@pytest.mark.parametrize("name", sorted(data.DEVELOPED))
def test_every_developed_design_is_repeat_free(name: str) -> None:
    """Each base-block design in the data, developed over its group, seats everyone with no repeat."""
    from mixer.designs.builders import develop

    moduli, levels, _fixed, groups, size, _what, base = data.DEVELOPED[name]
    schedule = develop(moduli, levels, base, 10**6)
    assert_zero_repeat_schedule(schedule, groups, size)


@pytest.mark.parametrize(("groups", "size"), sorted(data.LISTED))
def test_every_listed_design_is_repeat_free(groups: int, size: int) -> None:
    """Each design listed round by round seats everyone with no repeat, in as many rounds as the counting bound."""
    _what, rounds = data.LISTED[groups, size]
    assert len(rounds) == counting_bound(groups, size)
    assert_zero_repeat_schedule(rounds, groups, size)


@pytest.mark.parametrize("m", sorted(data.RGDD_THREES))
def test_every_rotational_rgdd_meets_all_but_its_groups(m: int) -> None:
    """Each 4-RGDD of type 3^(m+1) gives m rounds with no repeat in which only members of a group never meet."""
    schedule = rotational_rgdd(m, data.RGDD_THREES[m], 10**6)
    people = 3 * (m + 1)
    assert len(schedule) == m
    assert_zero_repeat_schedule(schedule, people // 4, 4)
    met = {frozenset(pair) for round_ in schedule for table in round_ for pair in itertools.combinations(table, 2)}
    groups = [{y * m + x for y in range(3)} for x in range(m)] + [{3 * m, 3 * m + 1, 3 * m + 2}]
    never = {frozenset(pair) for group in groups for pair in itertools.combinations(group, 2)}
    assert len(met) + len(never) == people * (people - 1) // 2 and not met & never


def test_large_cohorts_have_designs() -> None:
    """500 people at tables of 5 and 2,000 at tables of 10 get many zero-repeat rounds, built in a blink."""
    for groups, size in ((100, 5), (200, 10)):
        design = best_design(groups, size)
        assert design is not None and design.rounds >= 10
        assert_zero_repeat_schedule(design.schedule(6), groups, size)


def test_operations_keep_zero_repeats() -> None:
    """Cutting tables in two and running two planes side by side keep zero repeats."""
    plane = affine_geometry(2, 4, 5)
    assert_zero_repeat_schedule(split_groups(plane, 2), 8, 2)
    assert_zero_repeat_schedule(side_by_side(plane, 16, plane), 8, 4)


def test_no_design_where_none_can_exist() -> None:
    """Fewer tables than seats allow one round only: no design is offered."""
    assert best_design(3, 5) is None
    assert best_design(6, 1) is None


@pytest.mark.parametrize(("groups", "size", "empty", "wanted"), [(10, 5, 3, 8), (5, 5, 2, 5), (8, 4, 2, 10), (7, 7, 6, 7)])
def test_empty_points_never_share_a_table_in_a_kept_round(groups: int, size: int, empty: int, wanted: int) -> None:
    """Tables then seat p or p - 1: exactly ``empty`` tables of p - 1 in each kept round."""
    design = best_design(groups, size)
    assert design is not None
    schedule = design.schedule()
    kept, points = empty_points(schedule, design.points, empty, wanted, np.random.default_rng(0))
    assert len(points) == empty and len(kept) >= min(wanted, design.rounds - 1)
    tables = table_numbers(schedule, design.points)
    for r in kept:
        assert len(set(tables[r, points])) == empty


@pytest.mark.parametrize("taken", [[], [0, 1, 2, 3]])
def test_points_taken_are_never_empty(taken: list[int]) -> None:
    """Points given to anchored people (hosts) stay seated: the empty ones are chosen among the rest."""
    design = best_design(7, 7)
    assert design is not None
    for empty in (1, 5):
        _kept, points = empty_points(design.schedule(), design.points, empty, 5, np.random.default_rng(0), taken)
        assert len(points) == empty and not set(points) & set(taken)


@pytest.mark.parametrize(("groups", "size", "rounds", "count"), [(5, 5, 4, 5), (8, 6, 5, 8), (10, 5, 6, 5)])
def test_apart_points_never_share_a_table(groups: int, size: int, rounds: int, count: int) -> None:
    """Points for hosts: no two at one table in any round of the schedule."""
    design = best_design(groups, size)
    assert design is not None
    schedule = design.schedule(rounds)
    points = apart_points(schedule, count, np.random.default_rng(1))
    assert len(points) == count
    tables = table_numbers(schedule, design.points)
    assert all(len(set(tables[r, points])) == count for r in range(rounds))
