"""The built-in sample cohort."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mixer.sample import LEVELS, ORGANISATIONS, sample_event, sample_participants


def test_same_seed_same_people() -> None:
    """The sample is deterministic for a seed and changes with it."""
    assert sample_participants(seed=7) == sample_participants(seed=7)
    assert sample_participants(seed=7) != sample_participants(seed=8)


def test_default_cohort_is_a_realistic_mix() -> None:
    """Fifty people with every level, every sector and most organisations represented."""
    people = sample_participants()
    assert [p.id for p in people] == [str(i) for i in range(1, 51)]
    assert {p.level for p in people} == set(LEVELS)
    assert {p.sector for p in people} == {org.sector for org in ORGANISATIONS}
    assert len({p.organisation for p in people}) == len(ORGANISATIONS)
    assert any(not p.name.isascii() for p in people)


def test_roles_fit_organisation_and_level() -> None:
    """Each person's role is one their organisation has at their level."""
    roles = {org.name: org.roles for org in ORGANISATIONS}
    for p in sample_participants(120, seed=3):
        assert p.role in roles[p.organisation][p.level]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=400), seed=st.integers(min_value=0, max_value=10**6))
def test_any_size_has_distinct_ids_and_names(n: int, seed: int) -> None:
    """Any cohort size gives that many people, ids and names all distinct."""
    people = sample_participants(n, seed)
    assert len(people) == n
    assert len({p.id for p in people}) == n
    assert len({p.name for p in people}) == n


def test_sample_event_is_tables_of_five_over_four_rounds() -> None:
    """The demo event seats 50 people at tables of at most 5 for 4 rounds."""
    event = sample_event()
    assert len(event.participants) == 50
    assert event.rounds == 4
    assert sum(t.capacity for t in event.tables) == 50
    assert max(t.capacity for t in event.tables) == 5
    assert len({t.id for t in event.tables}) == len(event.tables)
