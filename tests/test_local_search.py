"""Tabu search internals: compiled swap prices are exactly the change a full recount sees, for every term shape;
the one-round search finds the optimum of tiny diversity instances; past the counting bound every swap is priced."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import events, seatings
from test_solvers import diversity_event, golfers

from mixer.constraints import CountTerm, PairTerm, SeatTerm, Term, VisitTerm
from mixer.constraints.terms import terms_cost
from mixer.model import Event, RoundSeating
from mixer.repeat_bound import repeats_lower_bound
from mixer.scoring import PairTable, meeting_counts
from mixer.solvers import dense_kernel, round_kernel, solve
from mixer.solvers.tabu_state import RoundSearch, TabuState


@st.composite
def hand_made_terms(draw: st.DrawFn, event: Event) -> list[Term]:
    """A few terms of every shape, hard and soft, over the event's people, tables and rounds."""
    ids = [p.id for p in event.participants]
    tables = [t.id for t in event.tables]
    rounds = st.lists(st.integers(1, event.rounds), min_size=1, max_size=event.rounds, unique=True).map(tuple)
    hard = st.booleans()
    weight = st.sampled_from([0.5, 1.0, 3.0])
    terms: list[Term] = []
    for _ in range(draw(st.integers(0, 2))):
        terms.append(SeatTerm(draw(st.sampled_from(ids)), draw(st.integers(1, event.rounds)),
                              frozenset(draw(st.lists(st.sampled_from(tables), min_size=1, unique=True))),
                              draw(weight), draw(hard)))
    for _ in range(draw(st.integers(0, 2))):
        a, b = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        terms.append(PairTerm(a, b, draw(st.booleans()), draw(rounds), draw(weight), draw(hard)))
    for _ in range(draw(st.integers(0, 2))):
        classes = {pid: draw(st.sampled_from("xyz")) for pid in draw(st.lists(st.sampled_from(ids), unique=True))}
        costs = draw(st.sampled_from([(0.0, 0.0, 1.0), (1.0, 0.0), (0.0, 0.5, 2.0)]))
        terms.append(CountTerm(classes, costs, draw(rounds), draw(weight), draw(hard)))
    for _ in range(draw(st.integers(0, 2))):
        terms.append(VisitTerm(draw(st.sampled_from(ids)), draw(rounds), draw(weight), draw(hard)))
    return terms


def recount(state: TabuState, event: Event, pairs: PairTable, terms: list[Term], rounds: tuple[RoundSeating, ...]) -> float:
    """The search's cost from scratch: repeats, value, and the terms priced by ``terms_cost`` (a hard breach costs ``hard_cost``)."""
    hard = [replace(t, weight=1.0) for t in terms if t.hard]
    met = meeting_counts(pairs, rounds) + pairs.history
    upper = np.triu_indices(len(pairs.ids), k=1)
    repeats = np.maximum(0, met - 1)[upper].sum()
    value = (pairs.value * ((met > 0) & (pairs.history == 0)))[upper].sum()
    return (state.repeat_weight * repeats - value + state.hard_cost * terms_cost(hard, rounds, hard=True)
            + terms_cost(terms, rounds, hard=False))


def searched_event(data: st.DataObject, max_rounds: int) -> tuple[Event, list[Term], PairTable, TabuState, float]:
    """A random event with hand-made terms, a search state on a random seating of it, and that seating's cost."""
    event = data.draw(events(max_people=16, max_rounds=max_rounds))
    terms = data.draw(hand_made_terms(event))
    pairs = PairTable.of(event)
    start = seatings(event, random.Random(1))
    state = TabuState(event, pairs, start, frozen=0, seed=data.draw(st.integers(0, 100)), terms=terms)
    return event, terms, pairs, state, recount(state, event, pairs, terms, start)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_compiled_swap_prices_match_a_full_recount(data: st.DataObject) -> None:
    """After random swaps, the summed compiled prices equal the recounted change, and the kept counts a rebuild."""
    event, terms, pairs, state, before = searched_event(data, 4)
    rng = random.Random(data.draw(st.integers(0, 1000)))
    total = 0.0
    for _ in range(15):
        r = rng.randrange(event.rounds)
        seated = np.flatnonzero(state.table[r] >= 0)
        p, q = (int(rng.choice(seated)) for _ in range(2))
        if state.table[r, p] == state.table[r, q]:
            continue
        total += state.swap_cost(r, p, q)
        state.swap(r, p, q)
        now = recount(state, event, pairs, terms, state.rounds())
        assert abs(now - before - total) <= 1e-6 * max(1.0, abs(now), abs(before))
    counts = lambda: [a.copy() for a in (state.core[4], state.core[6], *state.kernel_terms[7:9], state.kernel_terms[12])]
    kept = counts()
    state.rebuild()
    for a, b in zip(kept, counts()):
        assert np.allclose(a, b)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_round_search_tracks_its_cost_exactly(data: st.DataObject) -> None:
    """The one-round search's running cost (pricing every swap or a sample) equals the recounted change, and its
    table sums a fresh count."""
    event, terms, pairs, state, before = searched_event(data, 3)
    search = RoundSearch(state, data.draw(st.integers(0, event.rounds - 1)))
    search.rows = data.draw(st.sampled_from([search.rows, 1, 3]))  # every swap, or a sample of people's
    seated = state.table.copy()
    search.run(data.draw(st.integers(1, 150)))
    now = recount(state, event, pairs, terms, state.rounds())
    assert abs(now - before - search.costs[0]) <= 1e-6 * max(1.0, abs(now), abs(before))
    sums = np.zeros_like(search.sums)
    round_kernel.table_sums(state.table, search.r, search.weight, sums)
    assert np.allclose(sums, search.sums)
    others = np.arange(event.rounds) != search.r
    assert (state.table[others] == seated[others]).all()  # only its round moved


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_every_swap_search_tracks_its_cost_exactly(data: st.DataObject) -> None:
    """The search pricing every swap keeps its running cost equal to the recounted change (value, history,
    attendance), and its table sums equal a fresh count."""
    event = data.draw(events(max_people=16, max_rounds=4))
    pairs = PairTable.of(event)
    start = seatings(event, random.Random(1))
    state = TabuState(event, pairs, start, frozen=0, seed=data.draw(st.integers(0, 100)), terms=[])
    before = recount(state, event, pairs, [], start)
    state.price_every_swap()
    state.run(data.draw(st.integers(1, 150)))
    now = recount(state, event, pairs, [], state.rounds())
    assert abs(now - before - state.costs[0]) <= 1e-6 * max(1.0, abs(now), abs(before))
    sums = np.zeros_like(state.sums)
    dense_kernel.fill(state.core, state.repeat_weight, sums)
    assert np.allclose(sums, state.sums)


def test_past_the_counting_bound_local_search_reaches_it() -> None:
    """20 golfers at tables of 4 for 7 rounds, one past the counting bound: greedy leaves 27 repeats, the search
    pricing every swap reaches the bound of 20."""
    event = golfers(5, 4, 7)
    assert repeats_lower_bound(event) == 20
    assert solve(event, solver="greedy", seed=1).score["repeats"] > 20
    plan = solve(event, solver="local", seed=1)
    assert plan.score["repeats"] == 20
    assert any("every swap priced" in note for note in plan.metadata.notes)


def _best_value(event: Event) -> float:
    """The most value any seating of the single round can earn, by trying every way to fill the tables."""
    pairs = PairTable.of(event)
    size = event.tables[0].capacity

    def best(left: tuple[int, ...]) -> float:
        if not left:
            return 0.0
        first, rest = left[0], left[1:]
        return max(sum(pairs.value[i, j] for i, j in itertools.combinations((first, *others), 2))
                   + best(tuple(p for p in rest if p not in others))
                   for others in itertools.combinations(rest, size - 1))

    return best(tuple(range(len(pairs.ids))))


@pytest.mark.parametrize(("people", "tables", "seed"), [(8, 2, 1), (9, 3, 2), (12, 3, 3)])
def test_one_round_search_finds_the_optimum(people: int, tables: int, seed: int) -> None:
    """On tiny one-round diversity instances the local search reaches the brute-force best value."""
    event = diversity_event(people, tables, seed)
    plan = solve(event, solver="local", seed=0)
    assert plan.score["repeats"] == 0
    assert plan.score["value"] == _best_value(event)


def test_one_round_search_same_seed_same_plan() -> None:
    """Without a time limit a seed gives one plan."""
    event = diversity_event(12, 3, 4)
    plans = [solve(event, solver="local", seed=5).rounds for _ in range(2)]
    assert plans[0] == plans[1]


def _partitions(people: tuple[int, ...], size: int) -> list[list[tuple[int, ...]]]:
    """Every way to split ``people`` into tables of ``size``."""
    if not people:
        return [[]]
    first, rest = people[0], people[1:]
    return [[(first, *others), *tail] for others in itertools.combinations(rest, size - 1)
            for tail in _partitions(tuple(p for p in rest if p not in others), size)]


def _best_two_round_value(event: Event) -> float:
    """The most value two rounds can earn (distinct pairs met), trying every pair of seatings."""
    pairs = PairTable.of(event)
    met_in = [{pair for table in seating for pair in itertools.combinations(table, 2)}
              for seating in _partitions(tuple(range(len(pairs.ids))), event.tables[0].capacity)]
    return max(sum(pairs.value[pair] for pair in one | two) for one in met_in for two in met_in)


def test_value_phase_reaches_the_optimum_of_a_tiny_two_round_event() -> None:
    """Once no repeat is left, the search re-seats one round at a time; on 9 people in two rounds at three tables
    with random pair values it reaches the brute-force best value."""
    event = diversity_event(9, 3, 6).model_copy(update={"rounds": 2})
    plan = solve(event, solver="local", seed=0)
    assert any(note.startswith("value phase") for note in plan.metadata.notes)
    assert plan.score["value"] == _best_two_round_value(event)


def test_ctrl_c_in_the_local_search_keeps_its_best_plan() -> None:
    """Ctrl-C (here raised from the progress callback) returns the best plan the search had reported, not its start."""
    event = diversity_event(20, 4, 7).model_copy(update={"rounds": 3})
    reports: list[tuple[int, float]] = []  # (repeats, -value): smaller is better

    def listen(progress) -> None:  # type: ignore[no-untyped-def]
        if progress.best is not None and "swap" in progress.message:
            reports.append((int(progress.best["repeats"]), -float(progress.best["value"])))
            if len(reports) == 3:
                raise KeyboardInterrupt

    plan = solve(event, solver="local", time_limit=5.0, seed=1, progress=listen)
    assert plan.metadata.interrupted
    assert len(reports) == 3 and reports[2] < reports[0]
    assert (plan.score["repeats"], -plan.score["value"]) == reports[2]


def test_value_phase_same_seed_same_plan() -> None:
    """Without a time limit the value phase makes a fixed number of moves too: one seed, one plan."""
    event = diversity_event(12, 4, 5).model_copy(update={"rounds": 3})
    plans = [solve(event, solver="local", seed=2) for _ in range(2)]
    assert any(note.startswith("value phase") for note in plans[0].metadata.notes)
    assert plans[0].rounds == plans[1].rounds
