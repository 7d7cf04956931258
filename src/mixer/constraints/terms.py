"""How a rule shows itself to search: costs a heuristic can price one move at a time.

Every rule module returns its terms from ``search_terms(event)``; greedy, local
search and every other heuristic read rules only through these four shapes,
never by testing a rule's kind. A term is ``hard`` (the rule must hold: search
gives it a cost above any repeat or value) or soft (each breach costs
``weight`` in value units, as :mod:`mixer.scoring` counts it).

- :class:`SeatTerm`: a person in a round should sit at one of some tables (pins, hosts, tags).
- :class:`PairTerm`: two people should, or should not, share a table (keep apart, keep together).
- :class:`CountTerm`: how many people of one class sit at a table (organisation caps, at-least-one).
- :class:`VisitTerm`: a person should not return to a table sat at in an earlier round (themed tables).

:func:`terms_cost` prices a whole seating from terms alone; tests hold each
rule's ``violations`` to it, so search and reports mean the same thing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from mixer.model import RoundSeating


@dataclass(frozen=True)
class SeatTerm:
    """Costs ``weight`` when ``person`` sits in round ``round`` at a table not in ``tables``."""

    person: str
    round: int
    tables: frozenset[str]
    weight: float = 1.0
    hard: bool = True


@dataclass(frozen=True)
class PairTerm:
    """Costs ``weight`` for each round in ``rounds`` where ``a`` and ``b`` both sit and break the wish.

    ``together`` true: a breach is sitting at different tables; false: sharing one.
    """

    a: str
    b: str
    together: bool
    rounds: tuple[int, ...]
    weight: float = 1.0
    hard: bool = True


@dataclass(frozen=True)
class CountTerm:
    """At each table in each of ``rounds``, for each class: ``cost(k)`` where ``k`` people of that class sit there.

    ``classes`` maps a person to their class (people not in it belong to none);
    every class named in ``classes`` is priced at every table, so ``cost(0)`` may
    be non-zero (at least one per table). ``costs[k]`` is the cost of ``k``; past
    its end the cost grows by its last step. Costs are in units of ``weight``.
    """

    classes: Mapping[str, str]
    costs: tuple[float, ...]
    rounds: tuple[int, ...]
    weight: float = 1.0
    hard: bool = True

    def cost(self, k: int) -> float:
        last = len(self.costs) - 1
        if k <= last:
            return self.costs[k]
        step = self.costs[last] - self.costs[last - 1] if last >= 1 else 0.0
        return self.costs[last] + (k - last) * step


@dataclass(frozen=True)
class VisitTerm:
    """Costs ``weight`` each time ``person`` sits, in one of ``rounds``, at a table they sat at in an earlier one of them."""

    person: str
    rounds: tuple[int, ...]
    weight: float = 1.0
    hard: bool = True


Term = Union[SeatTerm, PairTerm, CountTerm, VisitTerm]


def terms_cost(terms: Sequence[Term], rounds: Sequence[RoundSeating], hard: bool) -> float:
    """Total cost, in breaches times weight, of the hard (or soft) terms over a seating."""
    tables = {s.round: s.table_of() for s in rounds}
    total = 0.0
    for term in terms:
        if term.hard == hard:
            total += term.weight * _breaches(term, tables, rounds)
    return total


def _breaches(term: Term, tables: Mapping[int, Mapping[str, str]], rounds: Sequence[RoundSeating]) -> float:
    if isinstance(term, SeatTerm):
        table = tables.get(term.round, {}).get(term.person)
        return float(table is not None and table not in term.tables)
    if isinstance(term, PairTerm):
        count = 0
        for r in term.rounds:
            ta, tb = tables.get(r, {}).get(term.a), tables.get(r, {}).get(term.b)
            if ta is not None and tb is not None and (ta == tb) != term.together:
                count += 1
        return float(count)
    if isinstance(term, CountTerm):
        labels = set(term.classes.values())
        total = 0.0
        for seating in rounds:
            if seating.round not in term.rounds:
                continue
            for ts in seating.tables:
                here = Counter(term.classes[p] for p in ts.participants if p in term.classes)
                total += sum(term.cost(here[label]) for label in labels)
        return total
    seen: set[str] = set()
    count = 0
    for r in sorted(term.rounds):
        table = tables.get(r, {}).get(term.person)
        if table is None:
            continue
        count += table in seen
        seen.add(table)
    return float(count)
