"""Tabu search internals: the compiled swap price is exactly the change a full recount sees, for every term shape."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import events, seatings

from mixer.constraints import CountTerm, PairTerm, SeatTerm, Term, VisitTerm
from mixer.constraints.terms import terms_cost
from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, meeting_counts
from mixer.solvers.tabu_state import TabuState


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


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_compiled_swap_prices_match_a_full_recount(data: st.DataObject) -> None:
    """After random swaps, the summed compiled prices equal the recounted change, and the kept counts a rebuild."""
    event = data.draw(events(max_people=16, max_rounds=4))
    terms = data.draw(hand_made_terms(event))
    pairs = PairTable.of(event)
    start = seatings(event, random.Random(1))
    state = TabuState(event, pairs, start, frozen=0, seed=0, terms=terms)
    before = recount(state, event, pairs, terms, start)
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
