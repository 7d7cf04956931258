"""Scoring: an independent recount, invariance under renaming and reordering, bounds, and plan ordering."""

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mixer.constraints import KeepTogether
from mixer.layout import round_layout
from mixer.model import Event, History, Participant, PastMeeting, Plan, PlanMetadata, RoundSeating, Table, TableSeating
from mixer.scoring import (Bounds, PairTable, Score, bounds, count_repeats, meeting_counts, score_plan, score_rounds,
                           summary_key)

from strategies import event_seatings, events, seatings


def _pair_value(event: Event, a: Participant, b: Participant) -> float:
    value = 1.0
    for attr in ("organisation", "sector", "level"):
        x, y = getattr(a, attr), getattr(b, attr)
        if x is not None and y is not None and x.casefold() != y.casefold():
            value += getattr(event.weights, attr)
    return value


def _recount(event: Event, rounds) -> dict:
    """Repeats, value and new people met, counted pair by pair with plain loops."""
    people = {p.id: p for p in event.participants}
    met: Counter = Counter()
    for seating in rounds:
        for ts in seating.tables:
            for i, a in enumerate(ts.participants):
                for b in ts.participants[i + 1 :]:
                    met[frozenset((a, b))] += 1
    past: Counter = Counter()
    for m in event.history.meetings:
        past[frozenset((m.a, m.b))] += m.times
    ids = list(people)
    repeats, value = 0, 0.0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            pair = frozenset((a, b))
            repeats += met[pair] if past[pair] else max(0, met[pair] - 1)
            if met[pair] and not past[pair]:
                value += _pair_value(event, people[a], people[b])
    attending = [p for p in ids if any(event.attends(p, r) for r in range(1, event.rounds + 1))]
    new_met = {
        p: sum(1 for q in ids if q != p and met[frozenset((p, q))] and not past[frozenset((p, q))]) for p in attending
    }
    return {"repeats": repeats, "value": value, "new_met": new_met}


@given(event_seatings())
def test_score_matches_recount(case):
    """score_rounds agrees with a plain recount of repeats, value and new people met, with history and attendance."""
    event, rounds = case
    score = score_rounds(event, rounds)
    expected = _recount(event, rounds)
    assert score.repeats == expected["repeats"]
    assert score.value == pytest.approx(expected["value"], abs=1e-6)
    assert score.new_met == expected["new_met"]
    assert score.total_violations == 0


@given(event_seatings(rules=True))
def test_a_summary_orders_plans_as_their_scores_do(case):
    """A progress report carries a score summary; ordered by summary_key it ranks plans exactly as Score.key."""
    event, rounds = case
    score = score_rounds(event, rounds)
    assert summary_key(score.summary()) == score.key()


@given(event_seatings(rules=True))
def test_count_repeats_is_the_scores_count(case):
    """The repeats solvers count for part of a plan are the repeats its score shows, for every prefix of rounds
    (history, attendance and pairs a rule seats together included)."""
    event, rounds = case
    pairs = PairTable.of(event)
    for k in range(len(rounds) + 1):
        assert count_repeats(pairs, rounds[:k]) == score_rounds(event, rounds[:k], pairs).repeats


@given(event_seatings(), st.randoms(use_true_random=False))
def test_score_invariant_under_renaming_and_reordering(case, rng):
    """Renaming tables and reordering participants, tables and seats leaves the figures unchanged."""
    event, rounds = case
    people = list(event.participants)
    rng.shuffle(people)
    rename = {t.id: f"renamed {t.id}!" for t in event.tables}
    other = event.model_copy(update={
        "participants": tuple(people),
        "tables": tuple(t.model_copy(update={"id": rename[t.id]}) for t in event.tables),
    })
    other_rounds = []
    for seating in rounds:
        tables = [TableSeating(table=rename[ts.table], participants=tuple(rng.sample(ts.participants, len(ts.participants))))
                  for ts in seating.tables]
        rng.shuffle(tables)
        other_rounds.append(RoundSeating(round=seating.round, tables=tuple(tables)))
    before, after = score_rounds(event, rounds), score_rounds(other, other_rounds)
    assert after.repeats == before.repeats
    assert after.value == pytest.approx(before.value, abs=1e-6)
    assert after.new_met == before.new_met
    assert (after.min_new_met, after.mean_new_met, after.max_new_met) == (
        before.min_new_met, before.mean_new_met, before.max_new_met)
    assert after.bounds.repeats_lower_bound == before.bounds.repeats_lower_bound
    assert after.bounds.value_upper_bound == pytest.approx(before.bounds.value_upper_bound, abs=1e-6)


@given(st.one_of(event_seatings(), event_seatings(min_people=4, max_people=12, max_rounds=9)))
def test_bounds_hold_for_every_seating(case):
    """No seating that follows the round layouts has fewer repeats or more value than the bounds allow."""
    event, rounds = case
    score = score_rounds(event, rounds)
    assert score.repeats >= score.bounds.repeats_lower_bound
    assert score.value <= score.bounds.value_upper_bound + 1e-6


def _event(people: int, size: int, rounds: int, **changes) -> Event:
    return Event(
        participants=[Participant(id=f"p{i}", name=f"P{i}") for i in range(people)],
        tables=[Table(id=str(t), capacity=size) for t in range(-(-people // size))],
        rounds=rounds,
        **changes,
    )


@pytest.mark.parametrize("people, size, rounds, expected", [
    (32, 4, 11, 32),   # 33 neighbours each, 31 others: 2 repeats each, shared by pairs
    (50, 5, 13, 75),   # 52 neighbours each, 49 others: 3 repeats each
    (50, 5, 12, 0),    # 12 * 4 = 48 <= 49
    (47, 5, 15, 239),  # 15 rounds of seven tables of 5 and three of 4: 1320 meetings, 1081 pairs
    (16, 4, 5, 0),     # an affine plane: 5 * 3 = 15 = 16 - 1
    (9, 3, 4, 0),
])
def test_repeats_lower_bound_counting(people, size, rounds, expected):
    """The repeats bound matches known counting results."""
    assert bounds(_event(people, size, rounds)).repeats_lower_bound == expected


@given(st.integers(2, 8), st.data())
def test_repeats_lower_bound_zero_when_room(size, data):
    """With rounds * (size - 1) <= people - 1 and no table larger than the number of tables, no repeat is forced."""
    people = data.draw(st.integers(size * size, 80))
    rounds = data.draw(st.integers(1, (people - 1) // (size - 1)))
    assert bounds(_event(people, size, rounds)).repeats_lower_bound == 0


@pytest.mark.parametrize("people, size, rounds, expected", [
    (20, 5, 2, 4),    # each table of 5 in round 2 draws from 4 tables of round 1: one old pair each
    (20, 5, 4, 12),
    (5, 3, 2, 1),     # tables of 3 and 2: the table of 3 holds an old pair
    (36, 6, 3, 0),    # 6 tables of 6: room for everyone to come from a different table
])
def test_repeats_lower_bound_by_pigeonhole(people, size, rounds, expected):
    """When a table is larger than the number of tables, each later round forces repeats."""
    assert bounds(_event(people, size, rounds)).repeats_lower_bound == expected


def test_value_bound_denies_bonuses_pigeonholes_force():
    """Ten tables of 5 drawn from 4 levels: every table has a same-level pair, so 10 level bonuses a round are lost."""
    people = [Participant(id=f"p{i}", name=f"P{i}", organisation=f"O{i}", sector=f"S{i}", level=f"L{i % 4}")
              for i in range(50)]
    event = Event(participants=people, tables=[Table(id=str(t), capacity=5) for t in range(10)], rounds=2)
    assert bounds(event).value_upper_bound == 200 * 4 - 2 * 10


def test_history_meetings_are_not_this_plans_repeats():
    """Pairs who met twice before but do not meet again add no repeat to this plan."""
    event = _event(4, 2, 1, history=History(meetings=(PastMeeting(a="p0", b="p1", times=2),
                                                      PastMeeting(a="p2", b="p3"))))
    rounds = [RoundSeating(round=1, tables=(TableSeating(table="0", participants=("p0", "p2")),
                                            TableSeating(table="1", participants=("p1", "p3"))))]
    score = score_rounds(event, rounds)
    assert score.repeats == 0 and score.bounds.repeats_lower_bound == 0
    assert score.value == 2.0 and score.bounds.value_upper_bound == 2.0


def test_pair_values_case_insensitive_and_unknowns():
    """A pair earns a bonus only when both values are known and differ ignoring case."""
    event = Event(
        participants=[Participant(id="a", name="A", organisation="Acme", sector="NGO"),
                      Participant(id="b", name="B", organisation="ACME", sector="public", level="senior"),
                      Participant(id="c", name="C", organisation="Beta", sector="ngo", level="Senior")],
        tables=[Table(id="1", capacity=3)], rounds=1,
        weights={"organisation": 2.0, "sector": 0.5, "level": 3.0},
    )
    values = PairTable.of(event).value
    assert values[0, 1] == 1 + 0.5          # same organisation, sectors differ, a's level unknown
    assert values[0, 2] == 1 + 2.0          # organisations differ, same sector, level unknown
    assert values[1, 2] == 1 + 2.0 + 0.5    # same level ignoring case
    assert (values.diagonal() == 0).all()


def test_meeting_counts_ignores_unknown_ids():
    """Meetings are counted per pair and round; ids not in the event are ignored."""
    event = _event(3, 3, 2)
    rounds = [RoundSeating(round=r, tables=(TableSeating(table="0", participants=("p0", "p1", "ghost")),))
              for r in (1, 2)]
    counts = meeting_counts(PairTable.of(event), rounds)
    assert counts[0, 1] == counts[1, 0] == 2 and counts.sum() == 4


def test_violations_counted_per_rule_kind():
    """Each rule kind in force is reported, with zero when kept."""
    event = _event(4, 2, 1, rules=[{"kind": "keep_apart", "people": ["p0", "p1"]}])
    rounds = [RoundSeating(round=1, tables=(TableSeating(table="0", participants=("p0", "p1", "p2")),))]
    score = score_rounds(event, rounds)
    assert score.violations == {"table_capacity": 1, "seated_once": 1, "keep_apart": 1}
    assert score.total_violations == 3 and len(score.violation_details) == 3


def test_score_plan_uses_the_seating_not_the_stored_score():
    """A plan is scored from its seating, whatever summary it carries."""
    event = _event(4, 2, 1)
    rounds = seatings(event, random.Random(1))
    plan = Plan(event=event, rounds=rounds, metadata=PlanMetadata(solver="test"), score={"repeats": 99})
    assert score_plan(plan).summary() == score_rounds(event, rounds).summary()


def test_summary_figures():
    """The summary carries violations, repeats, value, bounds, the gap and new people met."""
    event = _event(6, 3, 2)
    score = score_rounds(event, seatings(event, random.Random(3)))
    summary = score.summary()
    assert summary["value_gap"] == pytest.approx(summary["value_upper_bound"] - summary["value"])
    assert summary["min_new_met"] <= summary["mean_new_met"] <= summary["max_new_met"] <= 5
    assert summary["total_violations"] == 0 and summary["repeats"] >= summary["repeats_lower_bound"]


def _score(violations=0, repeats=0, value=0.0, new_met=(0,)) -> Score:
    return Score(violations={"seated_once": violations}, violation_details=(), repeats=repeats, value=value,
                 bounds=Bounds(0.0, 0), new_met={str(i): n for i, n in enumerate(new_met)})


def test_key_orders_violations_first():
    """Fewer violations win over any repeats, value or new people met."""
    assert _score(0, repeats=50, value=0, new_met=(0,)).better_than(_score(1, repeats=0, value=99, new_met=(9,)))


def test_key_orders_repeats_before_value():
    """With equal violations, fewer repeats win over more value."""
    assert _score(repeats=1, value=0, new_met=(0,)).better_than(_score(repeats=2, value=99, new_met=(9,)))


def test_key_orders_value_before_min_new_met():
    """With equal violations and repeats, more value wins over a higher minimum of new people met."""
    assert _score(value=10.5, new_met=(1, 9)).better_than(_score(value=10.0, new_met=(5, 5)))


def test_key_orders_min_new_met_last():
    """With all else equal, the higher minimum of new people met wins; a tie is not better."""
    assert _score(value=3, new_met=(2, 4)).better_than(_score(value=3, new_met=(1, 5)))
    assert not _score(value=3, new_met=(2, 4)).better_than(_score(value=3, new_met=(2, 4)))
    assert _score().better_than(None)


@given(events())
def test_empty_rounds_score_nothing(event):
    """Seating nobody meets nobody: no repeats beyond history, no value, and every present person unseated."""
    rounds = [RoundSeating(round=r, tables=()) for r in range(1, event.rounds + 1)]
    score = score_rounds(event, rounds)
    assert score.value == 0 and set(score.new_met.values()) <= {0}
    assert score.violations["seated_once"] == sum(len(event.present(r)) for r in range(1, event.rounds + 1))


def _partitions(people: list[str], sizes: list[int]):
    """Every way to seat ``people`` at tables of the given sizes (tables told apart only by size order)."""
    if not sizes:
        yield []
        return
    first, rest = people[0], people[1:]
    for others in itertools.combinations(rest, sizes[0] - 1):
        remaining = [p for p in rest if p not in others]
        for tail in _partitions(remaining, sizes[1:]):
            yield [(first, *others), *tail]


@settings(max_examples=25)
@given(
    st.sampled_from([(6, 3), (7, 4), (8, 4), (6, 2)]),
    st.integers(1, 3),
    st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from("XYZ"), st.sampled_from([None, "1", "2"])),
             min_size=8, max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_bounds_hold_against_the_true_optimum(shape, rounds, attributes, with_history, with_rule):
    """On events small enough to try every plan (kept together by a rule or not), no plan beats either bound."""
    people_count, size = shape
    rounds = rounds if shape == (6, 3) else min(rounds, 2)
    people = [Participant(id=f"p{i}", name=f"P{i}", organisation=o, sector=s, level=lv)
              for i, (o, s, lv) in enumerate(attributes[:people_count])]
    history = History(meetings=(PastMeeting(a="p0", b="p1"),)) if with_history else History()
    event = Event(participants=people, tables=[Table(id=str(t), capacity=size) for t in range(-(-people_count // size))],
                  rounds=rounds, history=history, rules=(KeepTogether(people=("p1", "p2")),) if with_rule else ())
    layout = round_layout(event, 1)
    ids = [p.id for p in people]
    options = [[RoundSeating(round=r, tables=tuple(TableSeating(table=t, participants=group)
                                                  for t, group in zip(layout, seating)))
                for seating in _partitions(ids, list(layout.values()))] for r in range(1, rounds + 1)]
    scores = [score_rounds(event, plan) for plan in itertools.product(*options)]
    limits = bounds(event)
    assert max(s.value for s in scores) <= limits.value_upper_bound + 1e-9
    assert min(s.repeats for s in scores) >= limits.repeats_lower_bound


def test_pairs_kept_together_by_rule_are_neither_repeats_nor_value():
    """An interpreter beside the person they support every round: no repeat, no value, listed once."""
    event = _event(4, 2, 3, rules=(KeepTogether(people=("p0", "p1")),))
    rounds = [RoundSeating(round=r, tables=(TableSeating(table="0", participants=("p0", "p1")),
                                            TableSeating(table="1", participants=("p2", "p3")))) for r in (1, 2, 3)]
    score = score_rounds(event, rounds)
    assert score.repeats == 2  # p2 and p3 meet three times
    assert score.value == 1.0 and score.together_by_rule == (("p0", "p1"),)
