"""When hard rules cannot all hold: which ones clash, named as the facilitator wrote them.

Two steps. :func:`quick_clashes` counts, without a solver: the people that
keep-together wishes tie to one table (through shared people) must fit the
largest table, must not include two people kept apart, and must have a table
their seat rules (pins, hosts) all allow. :func:`find_clash` then asks CP-SAT,
with one assumption literal enforcing each rule: when no plan exists, its
sufficient assumptions for infeasibility, narrowed by dropping each rule that
is not needed, name a small set of clashing rules.
Both read rules only through their terms and encodings, never by kind.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from mixer.constraints import BUILT_IN, PairTerm, Rule, SeatTerm
from mixer.constraints.base import Problem, names_phrase, round_layouts, rounds_phrase, rule_label, table_name
from mixer.model import Event

DEFAULT_TIME_LIMIT = 10.0
LARGEST_MODEL = 200_000  # seat variables (people x tables, summed over rounds) beyond which only quick checks run


@dataclass(frozen=True)
class Clash:
    """Rules that cannot all hold, and why, in words."""

    rules: tuple[Rule, ...]
    message: str
    rounds: tuple[int, ...] = ()

    def problem(self) -> Problem:
        return Problem(self.message)


def quick_clashes(event: Event) -> list[Clash]:
    """Clashes between rules found by counting, each once, in the first round it shows."""
    found: dict[str, tuple[Clash, list[int]]] = {}
    for r, layout in round_layouts(event).items():
        if layout:
            for clash in _group_clashes(event, r, layout):
                found.setdefault(clash.message, (clash, []))[1].append(r)
    return [
        Clash(clash.rules, message + ("" if len(rounds) == event.rounds else f" in {rounds_phrase(rounds)}"),
              tuple(rounds))
        for message, (clash, rounds) in found.items()
    ]


def _group_clashes(event: Event, r: int, layout: dict[str, int]) -> list[Clash]:
    present = set(event.present(r))
    together: dict[str, list[tuple[str, Rule]]] = defaultdict(list)
    apart: list[tuple[str, str, Rule]] = []
    seats: dict[str, list[tuple[frozenset[str], Rule]]] = defaultdict(list)
    for rule in event.rules:
        for term in rule.search_terms(event):
            if not term.hard:
                continue
            if isinstance(term, PairTerm) and r in term.rounds and term.a in present and term.b in present:
                if term.together:
                    together[term.a].append((term.b, rule))
                    together[term.b].append((term.a, rule))
                else:
                    apart.append((term.a, term.b, rule))
            elif isinstance(term, SeatTerm) and term.round == r and term.person in present:
                seats[term.person].append((term.tables & layout.keys(), rule))
    clashes = []
    group_of: dict[str, int] = {}
    groups: list[list[str]] = []
    for start in together:
        if start not in group_of:
            group = _reach(start, together)
            group_of.update(dict.fromkeys(group, len(groups)))
            groups.append(group)
    largest = max(layout.values())
    for group in groups:
        rules = _unique(rule for pid in group for _, rule in together[pid])
        if len(group) > largest and len(rules) > 1:
            clashes.append(Clash(rules, f"{_and(event, rules)} together need {len(group)} seats at one table "
                                        f"({names_phrase(event, group)}), but the largest table holds {largest}",
                                 (r,)))
    for a, b, rule in apart:
        if a in group_of and group_of[a] == group_of.get(b):
            path = _path(a, b, together)
            clashes.append(Clash((*path, rule), f"{_and(event, path)} put {names_phrase(event, [a])} and "
                                                f"{names_phrase(event, [b])} at one table, but "
                                                f"{rule_label(rule, event)} keeps them apart", (r,)))
    for group in [*groups, *([pid] for pid in seats if pid not in group_of)]:
        wishes = [(pid, allowed, rule) for pid in group for allowed, rule in seats.get(pid, [])]
        if not wishes:
            continue
        allowed = frozenset(layout).intersection(*(w[1] for w in wishes))
        if allowed:
            continue
        first = wishes[0][0]
        path = _unique(rule for pid, _, _ in wishes for rule in _path(first, pid, together))
        seat_rules = _unique(rule for _, _, rule in wishes)
        if len(seat_rules) + len(path) < 2:
            continue  # one rule alone: its own check_event says so
        tables = sorted({t for _, allowed_here, _ in wishes for t in allowed_here})
        at = ", ".join(table_name(event, t) for t in tables) or "no table in use"
        message = (f"{_and(event, seat_rules)} leave no table in use for "
                   f"{names_phrase(event, sorted({pid for pid, _, _ in wishes}))} (they allow {at})")
        if path:
            message += f", and {_and(event, path)} seat them together"
        clashes.append(Clash((*seat_rules, *path), message, (r,)))
    clashes += _seat_counts(event, r, layout, seats)
    return clashes


def _seat_counts(
    event: Event, r: int, layout: dict[str, int], seats: dict[str, list[tuple[frozenset[str], Rule]]]
) -> list[Clash]:
    """More people whose seat rules allow only some tables than those tables seat."""
    allowed: dict[str, frozenset[str]] = {}
    for pid, wishes in seats.items():
        allowed[pid] = frozenset(layout).intersection(*(w for w, _ in wishes))
    clashes = []
    for tables in set(allowed.values()):
        if not tables:
            continue
        people = sorted(pid for pid, here in allowed.items() if here and here <= tables)
        room = sum(layout[t] for t in tables)
        if len(people) > room:
            rules = _unique(rule for pid in people for _, rule in seats[pid])
            at = ", ".join(table_name(event, t) for t in sorted(tables))
            clashes.append(Clash(rules, f"{_and(event, rules)} seat {len(people)} people at {at}, "
                                        f"which hold {room} ", (r,)))
    return clashes


def find_clash(event: Event, time_limit: float = DEFAULT_TIME_LIMIT) -> Clash | None:
    """A small set of hard rules no plan can keep together, or None if none is found in ``time_limit`` seconds."""
    quick = quick_clashes(event)
    if quick:
        return quick[0]
    cells = sum(len(event.present(r)) * len(layout) for r, layout in round_layouts(event).items())
    if not event.rules or cells > LARGEST_MODEL:
        return None
    core = _core(event, time_limit)
    if not core:
        return None
    said = "; ".join(rule_label(rule, event) for rule in core)
    lead = "this rule cannot hold" if len(core) == 1 else f"these {len(core)} rules cannot all hold together"
    return Clash(core, f"{lead}: {said}")


def _core(event: Event, time_limit: float) -> tuple[Rule, ...]:
    """The event's rules that together leave no plan, narrowed to the fewest needed; empty if none is found."""
    import time

    from ortools.sat.python import cp_model

    from mixer.layout import round_layout
    from mixer.model import RoundSeating
    from mixer.solvers.cpsat_vars import FreeCells, SeatVars

    deadline = time.perf_counter() + time_limit
    model = cp_model.CpModel()
    empty = [RoundSeating(round=r, tables=()) for r in range(1, event.rounds + 1)]
    free = {r: FreeCells(round_layout(event, r), event.present(r)) for r in range(1, event.rounds + 1)}
    seats = SeatVars.create(model, event, empty, free)
    for rule in BUILT_IN:
        rule.encode(event, seats)
    literals: dict[int, tuple[object, int]] = {}  # literal index -> (literal, rule number)
    for number, rule in enumerate(event.rules):
        first = len(model.proto.constraints)
        rule.encode(event, seats)
        if len(model.proto.constraints) > first:
            literal = model.new_bool_var(f"keeps rule {number + 1}")
            for c in range(first, len(model.proto.constraints)):
                model.proto.constraints[c].enforcement_literal.append(literal.index)
            literals[literal.index] = (literal, number)

    def clashing(chosen: list[int]) -> list[int]:
        """The literals among ``chosen`` that together leave no plan; empty if they may all hold or time ran out."""
        model.clear_assumptions()
        model.add_assumptions([literals[i][0] for i in chosen])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
        if solver.solve(model) != cp_model.INFEASIBLE:
            return []
        return [i for i in solver.sufficient_assumptions_for_infeasibility() if i in literals]

    core = clashing(list(literals))
    for index in list(core):
        if index in core and len(core) > 1 and time.perf_counter() < deadline:
            smaller = clashing([i for i in core if i != index])
            if smaller:
                core = smaller
    return tuple(event.rules[literals[i][1]] for i in sorted(core, key=lambda i: literals[i][1]))


def _reach(start: str, links: dict[str, list[tuple[str, Rule]]]) -> list[str]:
    seen = [start]
    queue = deque([start])
    while queue:
        for other, _ in links[queue.popleft()]:
            if other not in seen:
                seen.append(other)
                queue.append(other)
    return seen


def _path(a: str, b: str, links: dict[str, list[tuple[str, Rule]]]) -> tuple[Rule, ...]:
    """The rules along a shortest chain of keep-together links from ``a`` to ``b``."""
    if a == b:
        return ()
    came: dict[str, tuple[str, Rule] | None] = {a: None}
    queue = deque([a])
    while queue and b not in came:
        here = queue.popleft()
        for other, rule in links.get(here, []):
            if other not in came:
                came[other] = (here, rule)
                queue.append(other)
    rules = []
    step = came.get(b)
    while step is not None:
        rules.append(step[1])
        step = came[step[0]]
    return _unique(reversed(rules))


def _unique(rules) -> tuple[Rule, ...]:  # type: ignore[no-untyped-def]
    found: list[Rule] = []
    for rule in rules:
        if not any(rule is seen for seen in found):
            found.append(rule)
    return tuple(found)


def _and(event: Event, rules: tuple[Rule, ...]) -> str:
    labels = [rule_label(rule, event) for rule in rules]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
