"""Property: random small events that include a rule yield plans keeping it, from every solver.

Events are drawn so the rules can hold (organisations no bigger than the number
of tables, the pinned tag on a table every round uses, hosts fewer than
tables); each solver runs briefly with a fixed seed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixer.model import Event, Participant, Table
from mixer.scoring import score_rounds
from mixer.solvers import AUTO, SOLVERS, solve

LEVELS = ("executive", "senior", "middle", "front line")


@st.composite
def rule_events(draw: st.DrawFn, kind: str, rounds_from: int = 2) -> Event:
    """8 to 15 people at 3 or 4 equal tables over ``rounds_from`` to 3 rounds, some absent now and then, with rules
    of ``kind``."""
    tables = draw(st.integers(3, 4))
    people = draw(st.integers(2 * tables, min(15, 4 * tables)))
    size = -(-people // tables)
    participants = [
        Participant(id=f"p{i}", name=f"Person {i}", organisation=f"Org {i // tables}",
                    level=LEVELS[3] if i < tables and kind == "at_least" else LEVELS[i % 3],
                    tags={"team": f"team {i % 3}"})
        for i in range(people)
    ]
    rounds = draw(st.integers(rounds_from, 3))
    ids = [p.id for p in participants]
    pick = st.sampled_from(ids)
    first = draw(pick)
    absent = draw(st.lists(st.sampled_from([i for i in ids if i != first]), max_size=2, unique=True))
    attendance = {pid: tuple(r for r in range(1, rounds + 1) if r != 1) for pid in absent}
    if kind == "pin":
        rules = [{"kind": "pin", "person": pid, "tag": "accessible"}
                 for pid in draw(st.lists(pick, min_size=1, max_size=2, unique=True))]
    elif kind == "host":
        hosts = draw(st.lists(pick, min_size=1, max_size=tables - 1, unique=True))
        rules = [{"kind": "host", "person": pid} for pid in hosts]
        attendance = {pid: r for pid, r in attendance.items() if pid not in hosts}
    elif kind == "cap":
        rules = [{"kind": "cap", "attribute": "organisation", "max": 1}]
    elif kind == "at_least":
        rules = [{"kind": "at_least", "attribute": "level", "value": "front line", "hard": True}]
        attendance = {}
    elif kind == "keep_together":
        rules = [{"kind": "keep_together", "people": draw(st.lists(pick, min_size=2, max_size=3, unique=True))}]
    else:
        rules = [{"kind": "keep_apart", "people": draw(st.lists(pick, min_size=2, max_size=tables, unique=True))}]
    return Event(
        participants=participants,
        tables=[Table(id=f"T{t}", capacity=size, tags=("accessible",) if t == 2 else ()) for t in range(1, tables + 1)],
        rounds=rounds,
        rules=rules,
        attendance=attendance,
    )


@pytest.mark.parametrize("solver", [AUTO, *sorted(SOLVERS)])
@pytest.mark.parametrize("kind", ["pin", "host", "cap", "at_least", "keep_together", "keep_apart"])
def test_every_solver_keeps_the_rule(solver: str, kind: str) -> None:
    """Plans for random events with the rule break no hard rule."""

    @settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
    @given(rule_events(kind))
    def check(event: Event) -> None:
        plan = solve(event, solver=solver, time_limit=0.2, seed=1)
        score = score_rounds(event, plan.rounds)
        assert score.total_violations == 0, [v.message for v in score.violation_details]

    check()


@pytest.mark.parametrize("kind", ["pin", "host", "cap", "at_least", "keep_together", "keep_apart"])
def test_one_round_search_keeps_the_rule(kind: str) -> None:
    """``local`` on one-round events (its search over every swap of the round) breaks no hard rule."""

    @settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
    @given(rule_events(kind, rounds_from=1).filter(lambda event: event.rounds == 1))
    def check(event: Event) -> None:
        plan = solve(event, solver="local", time_limit=0.2, seed=1)
        score = score_rounds(event, plan.rounds)
        assert score.total_violations == 0, [v.message for v in score.violation_details]

    check()
