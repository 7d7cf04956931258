"""Soft rules in CP-SAT's objective: each soft search term as a cost in scaled value units.

The four term shapes heuristics price (:mod:`mixer.constraints.terms`) are
encoded over the model's seat variables, so CP-SAT weighs a soft rule exactly
as :mod:`mixer.scoring` does (``terms_cost``). A seat the model does not
choose is a constant, so whatever a term costs there is added as a constant:
at the current plan the cost comes out as ``terms_cost`` of it, which keeps
the cut against the current plan sound.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mixer.constraints import CountTerm, PairTerm, SeatTerm, Term, VisitTerm
from mixer.layout import round_layout
from mixer.solvers.cpsat_vars import SeatVars


@dataclass
class SoftCost:
    """The soft terms' cost: ``constant`` plus ``coefficient * variable`` over ``parts``, all scaled to whole numbers.

    ``spread`` bounds how far the cost can move between plans, so one repeat can be weighed above it.
    """

    parts: list[tuple[int, object]] = field(default_factory=list)
    constant: int = 0
    spread: int = 0

    def expression(self):  # type: ignore[no-untyped-def]
        return sum(c * var for c, var in self.parts) + self.constant


def soft_numbers(terms: Iterable[Term], largest: int) -> list[float]:
    """Every cost the soft terms can charge, for the scale that makes them whole (tables of up to ``largest``)."""
    numbers = []
    for term in terms:
        if isinstance(term, CountTerm):
            numbers += [term.weight * term.cost(k) for k in range(largest + 1)]
        else:
            numbers.append(term.weight)
    return numbers


def soft_cost(seats: SeatVars, terms: Sequence[Term], scale: int) -> SoftCost:
    """The cost of ``terms`` (soft ones) over every planned round, in value units times ``scale``."""
    cost = SoftCost()
    planned = set(seats.planned)
    for term in terms:
        weight = round(term.weight * scale)
        rounds = [r for r in ((term.round,) if isinstance(term, SeatTerm) else term.rounds) if r in planned]
        if isinstance(term, SeatTerm):
            _seat(seats, term, rounds, weight, cost)
        elif isinstance(term, PairTerm):
            _pair(seats, term, rounds, weight, cost)
        elif isinstance(term, CountTerm):
            _count(seats, term, rounds, scale, cost)
        else:
            _visit(seats, term, rounds, weight, cost)
    return cost


def _split(seats: SeatVars, literals: Iterable[object | None]) -> tuple[int, list[object]]:
    """How many of ``literals`` are the constant true, and those the model chooses (constants false and None dropped)."""
    fixed, free = 0, []
    for var in literals:
        if var is None:
            continue
        known = seats.constant(var)
        if known is None:
            free.append(var)
        else:
            fixed += known
    return fixed, free


def _seat(seats: SeatVars, term: SeatTerm, rounds: list[int], weight: int, cost: SoftCost) -> None:
    """A breach unless the person sits at one of the term's tables."""
    for r in rounds:
        if not seats.event.attends(term.person, r):
            continue
        fixed, free = _split(seats, (seats.seat(term.person, t, r) for t in term.tables))
        cost.constant += weight * (1 - fixed)
        cost.parts += [(-weight, var) for var in free]
        cost.spread += weight * bool(free)


def _pair(seats: SeatVars, term: PairTerm, rounds: list[int], weight: int, cost: SoftCost) -> None:
    """A breach in each round where the two share a table (or, wished together, do not)."""
    for r in rounds:
        if not (seats.event.attends(term.a, r) and seats.event.attends(term.b, r)):
            continue
        same, free = 0, []
        for t in round_layout(seats.event, r):
            both = _both(seats, seats.seat(term.a, t, r), seats.seat(term.b, t, r), f"{term.a},{term.b},{t},{r}")
            if isinstance(both, int):
                same += both
            else:
                free.append(both)
        cost.constant += weight * (1 - same if term.together else same)
        cost.parts += [(-weight if term.together else weight, var) for var in free]
        cost.spread += weight * bool(free)


def _both(seats: SeatVars, x: object | None, y: object | None, name: str) -> int | object:
    """Whether seat literals ``x`` and ``y`` both hold: 0 or 1 when that is fixed, else a variable."""
    if x is None or y is None:
        return 0
    kx, ky = seats.constant(x), seats.constant(y)
    if kx == 0 or ky == 0:
        return 0
    if kx == 1 or ky == 1:
        return 1 if kx == ky else (y if kx == 1 else x)
    both = seats.model.new_bool_var(f"soft_together[{name}]")
    seats.model.add_bool_or([x.negated(), y.negated(), both])  # type: ignore[attr-defined]
    seats.model.add_implication(both, x)
    seats.model.add_implication(both, y)
    return both


def _count(seats: SeatVars, term: CountTerm, rounds: list[int], scale: int, cost: SoftCost) -> None:
    """At each table and for each class, the cost of how many of that class sit there."""
    model = seats.model
    labels = sorted(set(term.classes.values()))
    for r in rounds:
        for t in round_layout(seats.event, r):
            for label in labels:
                fixed, free = _split(seats, (seats.seat(pid, t, r) for pid, c in term.classes.items() if c == label))
                values = [round(term.weight * term.cost(fixed + k) * scale) for k in range(len(free) + 1)]
                if len(set(values)) == 1:
                    cost.constant += values[0]
                    continue
                count = model.new_int_var(0, len(free), f"soft_count[{label},{t},{r}]")
                model.add(count == sum(free))
                charged = model.new_int_var(min(values), max(values), f"soft_cost[{label},{t},{r}]")
                model.add_element(count, values, charged)
                cost.parts.append((1, charged))
                cost.spread += max(values) - min(values)


def _visit(seats: SeatVars, term: VisitTerm, rounds: list[int], weight: int, cost: SoftCost) -> None:
    """A breach for each return to a table: at each table, visits beyond the first (minimised, so exact)."""
    model = seats.model
    rounds = [r for r in rounds if seats.event.attends(term.person, r)]
    tables = dict.fromkeys(t for r in rounds for t in round_layout(seats.event, r))
    for t in tables:
        fixed, free = _split(seats, (seats.seat(term.person, t, r) for r in rounds))
        if not free:
            cost.constant += weight * max(0, fixed - 1)
            continue
        extra = model.new_int_var(0, fixed + len(free), f"soft_returns[{term.person},{t}]")
        model.add(extra >= fixed + sum(free) - 1)
        cost.parts.append((weight, extra))
        cost.spread += weight * len(free)
