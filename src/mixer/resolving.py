"""Re-solve on the day: plan the remaining rounds again for who is here, moving as few people as possible.

``resolve(plan, from_round, changes)`` keeps the rounds before ``from_round``
exactly (they were played: their meetings count), builds the event as it now
stands (absentees attend no later round, arrivals attend from ``from_round``
on), repairs the old plan into a first plan at once (see :mod:`mixer.repair`),
then improves it with a solver until the time limit. The new event carries a
:class:`~mixer.constraints.stay.Stay` rule, so every seat moved away from the
old plan costs ``stability`` value units in search and in the plan's score.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mixer.assemble import check_event, with_round_sizes
from mixer.constraints.base import Problem
from mixer.constraints.host import Host, host_tables
from mixer.constraints.stay import DEFAULT_STABILITY, Stay
from mixer.errors import InputError
from mixer.model import Event, Lineage, Participant, Plan, PlanMetadata, RoundSeating, RoundTables, Table
from mixer.people import PeopleIndex, fold
from mixer.plan_diff import diff_plans, seating_hash
from mixer.repair import repair
from mixer.scoring import score_plan
from mixer.solvers import ProgressCallback, solve
from mixer.solvers.common import Progress

DEFAULT_TIME_LIMIT = 2.0


@dataclass(frozen=True)
class Changes:
    """What changed since the plan was made. People are given as a facilitator types them: id, name or a prefix.

    ``leave`` pairs a person with the round they leave before (present before it only).
    ``present``, from a check-in sheet, lists everyone here: the others on the list are absent.
    ``arrive`` are people who walked in; one whose name is exactly that of someone
    on the list is that person, back. ``table_size`` or ``table_count`` seat every
    round planned again in numbered groups of that size or number ("pairs for the
    rest of the afternoon"); ``round_sizes`` (round -> size) does so for single rounds.
    """

    absent: tuple[str, ...] = ()
    leave: tuple[tuple[str, int], ...] = ()
    arrive: tuple[Participant, ...] = ()
    present: tuple[str, ...] | None = None
    table_size: int | None = None
    table_count: int | None = None
    round_sizes: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Resolved:
    """The changes with every person found: ids of who is absent, who leaves when, who arrives or returns."""

    absent: tuple[str, ...] = ()
    left: dict[str, int] = field(default_factory=dict)
    arrivals: tuple[Participant, ...] = ()
    returned: tuple[str, ...] = ()


def resolve(
    plan: Plan,
    from_round: int,
    changes: Changes = Changes(),
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    stability: float = DEFAULT_STABILITY,
    solver: str = "local",
    source: str = "plan",
    progress: ProgressCallback | None = None,
) -> Plan:
    """Plan rounds ``from_round`` onwards again after ``changes``; earlier rounds come back unchanged.

    ``stability`` is what one moved seat costs, in value units (the value of a new
    pairing with no bonus is 1). ``source`` names the old plan in the new plan's
    lineage. A first plan is ready at once; the rest of ``time_limit`` (seconds)
    improves it, and Ctrl-C keeps the best so far. Raises InputError naming any
    person who cannot be found, or rules the new attendance breaks.
    """
    started = time.perf_counter()
    if not 1 <= from_round <= plan.event.rounds:
        raise InputError(f"--from-round must be between 1 and {plan.event.rounds}, the plan's rounds", where=source)
    found = _find_people(plan, from_round, changes)
    event = updated_event(plan, from_round, found, stability, _regrouped(plan.event, from_round, changes))
    first = repair(event, plan.rounds, from_round)
    first_time = time.perf_counter() - started
    if progress is not None:
        progress(Progress(round(first_time, 3), "first plan (repair of the old one)"))
    best, interrupted = _improve(event, plan, first, from_round, solver, max(0.0, time_limit - first_time), seed,
                                 progress)
    lineage = Lineage(
        source=source, source_seating=seating_hash(plan), from_round=from_round, absent=found.absent,
        left=found.left, arrived=tuple(p.id for p in found.arrivals), returned=found.returned,
        stability=stability, moved_seats=diff_plans(plan, best).moved_seats,
    )
    metadata = best.metadata.model_copy(update={
        "lineage": lineage, "notes": (f"first plan after {first_time:.3f} s (repair of {source})", *best.metadata.notes),
        "time_used": round(time.perf_counter() - started, 3), "time_limit": time_limit, "interrupted": interrupted,
    })
    return Plan(event=event, rounds=best.rounds, metadata=metadata, score=score_plan(best).summary())


def _improve(event: Event, old: Plan, first: tuple[RoundSeating, ...], from_round: int, solver: str,
             time_limit: float, seed: int, progress: ProgressCallback | None) -> tuple[Plan, bool]:
    """The better of the repaired plan and what ``solver`` makes of it in ``time_limit``; whether Ctrl-C stopped it.

    When the repair moved nobody (nothing changed) the plan is kept as it is: the cards people hold stay right.
    """
    def repaired(*notes: str) -> Plan:
        return Plan(event=event, rounds=first, metadata=PlanMetadata(solver="repair", seed=seed, status="feasible",
                                                                     notes=notes))

    if [r.table_of() for r in first] == [r.table_of() for r in old.rounds]:
        return repaired("nothing changed: the plan is kept"), False
    try:
        improved = solve(event, solver=solver, time_limit=time_limit, seed=seed, progress=progress, start=first,
                         frozen=from_round - 1)
    except KeyboardInterrupt:
        return repaired("interrupted: the repaired plan is kept"), True
    kept = repaired("search found nothing better than the repaired plan", *improved.metadata.notes)
    best = improved if score_plan(improved).better_than(score_plan(kept)) else kept
    return best, improved.metadata.interrupted


def _regrouped(event: Event, from_round: int, changes: Changes) -> tuple[RoundTables, ...]:
    """The event's own-group rounds after the size changes, which may touch only rounds planned again."""
    played = sorted(r for r in changes.round_sizes if not from_round <= r <= event.rounds)
    if played:
        raise InputError(f"--round-size names round {played[0]}, but only rounds {from_round} to {event.rounds} "
                         "are planned again", where="--round-size")
    specs = event.round_tables
    if changes.table_size is not None or changes.table_count is not None:
        later = tuple(range(from_round, event.rounds + 1))
        played_groups = [spec.model_copy(update={"rounds": rest}) for spec in specs
                         if (rest := tuple(r for r in spec.rounds if r < from_round))]
        specs = (*played_groups, RoundTables(rounds=later, size=changes.table_size, count=changes.table_count))
    return with_round_sizes(specs, changes.round_sizes)


def updated_event(plan: Plan, from_round: int, found: _Resolved, stability: float,
                  round_tables: tuple[RoundTables, ...] | None = None) -> Event:
    """The plan's event as it now stands; raises InputError if the changes make its rules impossible."""
    old = plan.event
    participants = (*old.participants, *found.arrivals)
    gone = set(found.absent)
    returned = set(found.returned)
    attendance: dict[str, tuple[int, ...]] = {}
    for p in participants:
        rounds = tuple(r for r in range(1, old.rounds + 1) if _attends(plan, from_round, found, gone, returned, p.id, r))
        if len(rounds) < old.rounds:
            attendance[p.id] = rounds
    stay_seats = {
        r: {pid: table for pid, table in plan.rounds[r - 1].table_of().items() if r in attendance.get(pid, [r])}
        for r in range(from_round, old.rounds + 1)
    }
    rules: list[Any] = [rule for rule in _hosts_kept(old) if not isinstance(rule, Stay)]  # an earlier re-solve's is stale
    if stability > 0:
        rules.append(Stay(seats=stay_seats, weight=stability, note="seats moved from the plan re-solved"))
    present = max(sum(1 for p in participants if r in attendance.get(p.id, [r])) for r in range(1, old.rounds + 1))
    event = Event.model_validate({**dict(old), "participants": participants, "attendance": attendance,
                                  "rules": tuple(rules), "tables": _enough_tables(old.tables, present),
                                  "round_tables": old.round_tables if round_tables is None else round_tables})
    known = {str(p) for p in check_event(old)}  # the plan was made despite these: only new problems stop a re-solve
    fatal = [p for p in check_event(event) if p.fatal and str(p) not in known]
    if fatal:
        raise InputError(fatal)
    return event


def _hosts_kept(event: Event) -> list[Any]:
    """The event's rules, each host without a ``table`` given the one the plan was made with, so that new
    attendance cannot move a host to another table (:func:`host_tables` chooses from the tables in use)."""
    chosen = host_tables(event)
    return [rule.model_copy(update={"table": chosen[rule.person]})
            if isinstance(rule, Host) and rule.table is None and rule.person in chosen else rule
            for rule in event.rules]


def _attends(plan: Plan, from_round: int, found: _Resolved, gone: set[str], returned: set[str],
             pid: str, r: int) -> bool:
    """Played rounds: whoever sat in them. Later rounds: the plan's attendance after the changes."""
    if r < from_round:
        return pid in plan.rounds[r - 1].table_of()
    if pid in returned or pid in {p.id for p in found.arrivals}:
        return True
    if pid in gone:
        return False
    return plan.event.attends(pid, r) and r < found.left.get(pid, r + 1)


def _enough_tables(tables: tuple[Table, ...], people: int) -> tuple[Table, ...]:
    """The tables, with numbered ones of the largest capacity added until everyone fits."""
    tables = list(tables)
    largest = max(t.capacity for t in tables)
    taken = {t.id for t in tables}
    number = len(tables)
    while sum(t.capacity for t in tables) < people:
        number += 1
        if str(number) not in taken:
            tables.append(Table(id=str(number), name=f"Table {number}", capacity=largest))
    return tuple(tables)


def _find_people(plan: Plan, from_round: int, changes: Changes) -> _Resolved:
    """Every person the changes name, found forgivingly; InputError lists all who cannot be found."""
    index = PeopleIndex(plan.event.participants)
    problems: list[Problem] = []

    def find(ref: str, where: str) -> str | None:
        problem = index.problem(ref, where)
        if problem is not None:
            problems.append(problem)
            return None
        return index.find(ref)[0]

    absent = [pid for ref in changes.absent if (pid := find(ref, "--absent")) is not None]
    left: dict[str, int] = {}
    for ref, round_no in changes.leave:
        pid = find(ref, "--leave")
        if pid is not None and not 1 <= round_no <= plan.event.rounds:
            problems.append(Problem(f"{index.who(pid)} leaves before round {round_no}, but the plan has rounds "
                                    f"1 to {plan.event.rounds}", "--leave"))
        elif pid is not None:
            left[pid] = round_no
    if changes.present is not None:
        here = {pid for ref in changes.present if (pid := find(ref, "check-in")) is not None}
        absent += [pid for pid in plan.event.participant_ids if pid not in here]
    if problems:
        raise InputError(problems)
    arrivals, returned = _arrivals(index, changes.arrive)
    absent = [pid for pid in dict.fromkeys(absent) if pid not in returned]
    return _Resolved(tuple(absent), left, arrivals, returned)


def _arrivals(index: PeopleIndex, people: Iterable[Participant]) -> tuple[tuple[Participant, ...], tuple[str, ...]]:
    """New people with fresh ids, and the ids of people on the list who arrived after all (same name exactly)."""
    arrivals: list[Participant] = []
    returned: list[str] = []
    taken = set(index.people)
    for person in people:
        same = [pid for pid in index.find(person.name) if fold(index.people[pid].name) == fold(person.name)]
        if len(same) == 1:
            returned.append(same[0])
            continue
        pid = fresh_id(taken)
        taken.add(pid)
        arrivals.append(person.model_copy(update={"id": pid}))
    return tuple(arrivals), tuple(returned)


def fresh_id(taken: Iterable[str]) -> str:
    """The next number after the largest numeric id taken that is itself free."""
    taken = set(taken)
    number = max((int(t) for t in taken if t.isdigit()), default=0) + 1
    while str(number) in taken:
        number += 1
    return str(number)


def parse_leave(text: str) -> tuple[str, int]:
    """``"Name@3"`` -> ``("Name", 3)``; InputError when there is no ``@ROUND``."""
    person, at, round_text = text.rpartition("@")
    if not at or not person.strip() or not round_text.strip().isdigit():
        raise InputError(f"{text!r}: give a person and the round they leave before, as \"Name@3\"", where="--leave")
    return person.strip(), int(round_text)


def split_names(values: Sequence[str]) -> tuple[str, ...]:
    """Repeated and comma-separated names as one list, blanks dropped."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())
