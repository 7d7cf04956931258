"""Which design gives the most zero-repeat rounds for g tables of p: :func:`best_design`.

Candidates, each a recipe that knows its round count before it is built:
round robin (p = 2), affine planes and geometries AG(k, q), grids of
mutually orthogonal Latin squares (g = p), resolvable transversal designs
(p <= tables, from a field product or a difference matrix) with a smaller
schedule inside each row for extra rounds, Kirkman and other developed
designs, designs found by search and listed round by round, groups cut into
equal parts, and two schedules side by side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from mixer.designs import data
from mixer.designs.builders import (
    OrthogonalArray,
    Rounds,
    affine_geometry,
    affine_plane_minus_point,
    cyclic_group_addition,
    develop,
    field_product_array,
    one_rotational_kts,
    rotational_rgdd,
    round_robin,
    side_by_side,
    split_groups,
    with_row_rounds,
)
from mixer.designs.fields import prime_power, prime_power_factors

MIN_ROUNDS = 2  # one round needs no design


@dataclass(frozen=True)
class Design:
    """A zero-repeat schedule of ``groups`` tables of ``size`` for up to ``rounds`` rounds, built on demand."""

    groups: int
    size: int
    rounds: int
    name: str
    build: Callable[[int], Rounds]

    @property
    def points(self) -> int:
        return self.groups * self.size

    def schedule(self, rounds: int | None = None) -> Rounds:
        """The first ``rounds`` rounds (all by default)."""
        return self.build(self.rounds if rounds is None else min(rounds, self.rounds))


def counting_bound(groups: int, size: int) -> int:
    """No schedule of ``groups`` tables of ``size`` has more zero-repeat rounds than this."""
    if size < 2 or groups < 1:
        return 0
    if groups < size:
        return 1
    return (groups * size - 1) // (size - 1)


def orthogonal_array(order: int) -> tuple[int, Callable[[], OrthogonalArray]]:
    """The most rows of a known resolved OA(k, order), and how to build it."""
    options: list[tuple[int, Callable[[], OrthogonalArray]]] = [
        (min(prime_power_factors(order)) + 1, partial(field_product_array, order))
    ]
    if order == 10:
        options.append((len(data.MOLS10) + 2, partial(OrthogonalArray.from_latin_squares, data.MOLS10)))
    for size, moduli, matrix in ((12, (2, 6), data.DM12), (15, (15,), data.DM15)):
        if order == size:  # a (size, k; 1) difference matrix gives an OA(k + 1, size)
            build = partial(OrthogonalArray.from_difference_matrix, cyclic_group_addition(moduli), matrix)
            options.append((len(matrix) + 1, build))
    return max(options, key=lambda option: option[0])


_CACHE: dict[tuple[int, int], tuple[Design, ...]] = {}


def best_design(groups: int, size: int) -> Design | None:
    """The design with the most zero-repeat rounds (at least two) for ``groups`` tables of ``size``, if any."""
    return next(iter(designs(groups, size)), None)


def designs(groups: int, size: int) -> tuple[Design, ...]:
    """Every design of at least two zero-repeat rounds for ``groups`` tables of ``size``, the most rounds first.

    With seats left empty a design of fewer rounds may keep more of them: the
    people leaving seats empty must never have shared a table in a round kept.
    """
    if groups < size or size < 2:
        return ()
    key = (groups, size)
    if key not in _CACHE:
        for smaller in range(size, groups):  # fill the cache bottom-up: side by side recurses on every split
            if (smaller, size) not in _CACHE:
                _CACHE[smaller, size] = _candidates(smaller, size)
        _CACHE[key] = _candidates(groups, size)
    return _CACHE[key]


def _candidates(g: int, p: int) -> tuple[Design, ...]:
    """Direct designs, and derived ones unless a direct one reaches the counting bound; the most rounds first."""
    found = _direct(g, p)
    if max((d.rounds for d in found), default=0) < counting_bound(g, p):
        found += _derived(g, p)
    return tuple(sorted((d for d in found if d.rounds >= MIN_ROUNDS), key=lambda d: -d.rounds))


def _direct(g: int, p: int) -> list[Design]:
    """Designs built straight from algebra or base blocks."""
    found = []
    if p == 2:
        found.append(Design(g, 2, 2 * g - 1, "round robin", partial(round_robin, 2 * g)))
    power = prime_power(p)
    if power is not None:
        k = 2
        while p ** (k - 1) < g:
            k += 1
        if p ** (k - 1) == g:
            found.append(Design(g, p, (p**k - 1) // (p - 1), f"AG({k},{p}) lines", partial(affine_geometry, k, p)))
    if g == p + 2 and prime_power(p + 1) is not None:
        q = p + 1
        found.append(Design(g, p, (q + 1) // 2, f"AG(2,{q}) minus a point", partial(affine_plane_minus_point, q)))
    rows, array = orthogonal_array(g)
    if g == p and power is None:
        found.append(Design(g, p, rows, f"grid of {rows - 2} orthogonal Latin squares", lambda w: array().grid_rounds(w)))
    if p < g and p <= rows - 1:
        found.append(_transversal(g, p, array))
    for name, (moduli, levels, _fixed, groups, size, what, base) in data.DEVELOPED.items():
        if (groups, size) == (g, p):
            count = len(base) * _order(moduli)
            found.append(Design(g, p, count, what, partial(develop, moduli, levels, base)))
    if (g, p) in data.LISTED:
        what, listed = data.LISTED[g, p]
        found.append(Design(g, p, len(listed), what, lambda w: [[list(t) for t in r] for r in listed[:w]]))
    m = 4 * g // 3 - 1  # a 4-RGDD of type 3^(m+1) seats 4g = 3(m+1) people
    if p == 4 and g % 3 == 0 and m in data.RGDD_THREES:
        build = partial(rotational_rgdd, m, data.RGDD_THREES[m])
        found.append(Design(g, 4, m, f"4-RGDD 3^{m + 1}: Z{m} x Z3 + 3oo", build))
    v = 3 * g
    if p == 3 and v in data.KTS_ONE_ROTATIONAL:
        triples = data.KTS_ONE_ROTATIONAL[v]
        found.append(Design(g, 3, (v - 1) // 2, f"KTS({v}) 1-rotational", partial(one_rotational_kts, v, triples)))
    return found


def _transversal(g: int, p: int, array: Callable[[], OrthogonalArray]) -> Design:
    """Resolvable TD(p, g): g rounds; then, when p divides g, a (g/p)-p schedule inside each row."""
    inner = (best_design(g // p, p) or _one_round(g // p, p)) if g % p == 0 else None

    def build(w: int) -> Rounds:
        rounds = array().transversal_rounds(p, min(w, g))
        if w > g and inner is not None:
            rounds = with_row_rounds(rounds, g, p, inner.schedule(w - g))
        return rounds

    if inner is None:
        return Design(g, p, g, f"RTD({p},{g})", build)
    return Design(g, p, g + inner.rounds, f"RTD({p},{g}) + {inner.name} in rows", build)


def _one_round(g: int, p: int) -> Design:
    """Any partition is a zero-repeat round: tables of consecutive points."""
    return Design(g, p, 1, f"{g}-{p}-1", lambda w: [[list(range(t * p, t * p + p)) for t in range(g)]][:w])


def _derived(g: int, p: int) -> list[Design]:
    """Designs from smaller ones: groups cut into equal parts, two schedules side by side."""
    found = []
    for parts in range(2, g + 1):
        if g % parts == 0:
            whole = best_design(g // parts, p * parts)
            if whole is not None:
                found.append(
                    Design(g, p, whole.rounds, f"{whole.name}, tables cut in {parts}",
                           lambda w, whole=whole, parts=parts: split_groups(whole.schedule(w), parts))
                )
    for left in range(p, g // 2 + 1):
        a, b = best_design(left, p), best_design(g - left, p)
        if a is not None and b is not None:
            found.append(
                Design(g, p, min(a.rounds, b.rounds), f"{a.name} beside {b.name}",
                       lambda w, a=a, b=b: side_by_side(a.schedule(w), a.points, b.schedule(w)))
            )
    return found


def _order(moduli: tuple[int, ...]) -> int:
    order = 1
    for m in moduli:
        order *= m
    return order
