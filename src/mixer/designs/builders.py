"""Zero-repeat schedules from combinatorial designs, and the operations that keep zero repeats.

A schedule is a list of rounds; a round is a list of groups (tables); a group is
a list of points ``0 .. n-1``. Every builder takes ``rounds``, the number of
rounds wanted (at most what the design has), and returns its first ``rounds``.
No two points share a group in more than one round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from mixer.designs.fields import field, prime_power_factors

Rounds = list[list[list[int]]]


def affine_geometry(k: int, q: int, rounds: int) -> Rounds:
    """Lines of AG(k, q): q^(k-1) groups of q over (q^k - 1)/(q - 1) rounds, one round per direction.

    k = 2 is the affine plane: every pair of points lies on exactly one line.
    """
    f = field(q)
    points = list(product(range(q), repeat=k))
    index = {x: i for i, x in enumerate(points)}
    directions = [d for d in points if any(d) and d[next(i for i, c in enumerate(d) if c)] == 1]
    schedule = []
    for d in directions[:rounds]:
        seen: set[int] = set()
        groups = []
        for x in points:
            if index[x] in seen:
                continue
            line = [index[tuple(f.add[xi][f.mul[t][di]] for xi, di in zip(x, d))] for t in range(q)]
            seen.update(line)
            groups.append(line)
        schedule.append(groups)
    return schedule


def affine_plane_minus_point(q: int, rounds: int) -> Rounds:
    """AG(2, q) without point 0: q + 1 tables of q - 1 for (q + 1) // 2 rounds.

    Round r takes the lines of direction r; each line not through the lost point
    gives up the point it shares with M_r, the line through the lost point in
    direction (q + 1) // 2 + r, and those q - 1 points form one more table. No
    direction is used twice, so every pair still meets at most once.
    """
    plane = affine_geometry(2, q, q + 1)
    half = (q + 1) // 2
    schedule = []
    for r in range(min(rounds, half)):
        through = next(set(line) for line in plane[half + r] if 0 in line)
        tables = [[p for p in line if p not in through] for line in plane[r]]
        tables = [t for t in tables if t] + [sorted(through - {0})]
        schedule.append([[p - 1 for p in t] for t in tables])
    return schedule


@dataclass(frozen=True)
class OrthogonalArray:
    """An OA(k, g) with a resolution: ``rows[i][c * g + x]``, row 0 being the class ``c`` of each column.

    Any two rows hold every ordered pair of symbols exactly once. Columns are
    the blocks of a transversal design TD(k, g); the columns of one class are
    disjoint blocks.
    """

    order: int
    rows: list[list[int]]

    @classmethod
    def from_difference_matrix(cls, add: Sequence[Sequence[int]], matrix: Sequence[Sequence[int]]) -> OrthogonalArray:
        """Rows ``c`` and ``D[i][c] + x`` for a difference matrix D over a group with addition table ``add``."""
        g = len(add)
        rows = [[c for c in range(g) for _ in range(g)]]
        rows += [[add[d[c]][x] for c in range(g) for x in range(g)] for d in matrix]
        return cls(g, rows)

    @classmethod
    def from_latin_squares(cls, squares: Sequence[Sequence[Sequence[int]]]) -> OrthogonalArray:
        """Rows: row index, column index, then each of the mutually orthogonal Latin squares."""
        g = len(squares[0])
        rows = [[r for r in range(g) for _ in range(g)], [c for _ in range(g) for c in range(g)]]
        rows += [[square[r][c] for r in range(g) for c in range(g)] for square in squares]
        return cls(g, rows)

    def transversal_rounds(self, size: int, rounds: int) -> Rounds:
        """Resolvable TD: ``size`` rows of ``order`` people; round c seats each block of class c at a table.

        People in different rows meet exactly once over ``order`` rounds; people in one row never meet.
        """
        g = self.order
        if not 1 <= size < len(self.rows):
            raise ValueError(f"an OA with {len(self.rows)} rows gives tables of at most {len(self.rows) - 1}")
        return [
            [[i * g + self.rows[i + 1][c * g + x] for i in range(size)] for x in range(g)] for c in range(rounds)
        ]

    def grid_rounds(self, rounds: int) -> Rounds:
        """The dual: ``order``² people (the blocks), one round per row, a table per symbol: order-order-k."""
        g = self.order
        return [[[j for j in range(g * g) if row[j] == s] for s in range(g)] for row in self.rows[:rounds]]


def field_product_array(g: int) -> OrthogonalArray:
    """MacNeish: over R = GF(q1) x ... x GF(qs) for g = q1 ... qs, D[i][c] = c * (i, ..., i) for i < min q.

    For a prime power g this is every field element: an OA(g + 1, g).
    """
    fields = [field(q) for q in prime_power_factors(g)]
    elements = list(product(*[range(f.q) for f in fields]))
    index = {e: n for n, e in enumerate(elements)}
    add = [[index[tuple(f.add[a][b] for f, a, b in zip(fields, x, y))] for y in elements] for x in elements]
    matrix = [
        [index[tuple(f.mul[c][i] for f, c in zip(fields, x))] for x in elements] for i in range(min(f.q for f in fields))
    ]
    return OrthogonalArray.from_difference_matrix(add, matrix)


def cyclic_group_addition(moduli: Sequence[int]) -> list[list[int]]:
    """Addition table of Z_m1 x ... x Z_ms, elements numbered in mixed radix (last modulus fastest)."""
    elements = list(product(*[range(m) for m in moduli]))
    index = {e: n for n, e in enumerate(elements)}
    return [[index[tuple((a + b) % m for a, b, m in zip(x, y, moduli))] for y in elements] for x in elements]


def round_robin(people: int, rounds: int) -> Rounds:
    """Circle method for an even number of people: pairs over people - 1 rounds, everyone meets everyone once."""
    m = people - 1
    return [[[m, r]] + [[(r + s) % m, (r - s) % m] for s in range(1, people // 2)] for r in range(rounds)]


def develop(
    moduli: Sequence[int], levels: int, base_rounds: Sequence[Sequence[Sequence[object]]], rounds: int
) -> Rounds:
    """Translate each base round by every element of Z_m1 x ... : points (x, level) and fixed points k.

    Point ``(x, l)`` is ``l * N + index(x)`` and fixed point ``k`` is ``levels * N + k``, N the group's order.
    """
    elements = list(product(*[range(m) for m in moduli]))
    index = {e: i for i, e in enumerate(elements)}
    n = len(elements)

    def point(p: object, shift: tuple[int, ...]) -> int:
        if isinstance(p, int):
            return levels * n + p
        x, level = p  # type: ignore[misc]
        x = x if isinstance(x, tuple) else (x,)
        return level * n + index[tuple((a + b) % m for a, b, m in zip(x, shift, moduli))]

    schedule = [[[point(p, t) for p in group] for group in base] for base in base_rounds for t in elements]
    return schedule[:rounds]


def one_rotational_kts(v: int, triples: Sequence[Sequence[int]], rounds: int) -> Rounds:
    """KTS(v) on Z_(v-1) and a fixed point: base round {oo, 0, h}, T and T + h; round t adds t (h = (v-1)/2)."""
    m, h = v - 1, (v - 1) // 2
    base = [[m, 0, h]] + [list(t) for t in triples] + [[(x + h) % m for x in t] for t in triples]
    return [[[x if x == m else (x + t) % m for x in group] for group in base] for t in range(min(rounds, h))]


def rotational_rgdd(m: int, base: Sequence[Sequence[tuple[int, int]]], rounds: int) -> Rounds:
    """4-RGDD of type 3^(m+1) on Z_m x Z_3 and three fixed points oo_0..oo_2 that (t, s) turns into oo_(i+s).

    ``base[0]`` holds the three points beside oo_0. Round t holds every base block plus (t, s) for each s,
    so ({x} x Z_3) and the three fixed points are the groups whose members never meet.
    Point (x, y) is ``y * m + x`` and oo_s is ``3m + s``.
    """

    def block(b: int, t: int, s: int) -> list[int]:
        moved = [(y + s) % 3 * m + (x + t) % m for x, y in base[b]]
        return [3 * m + s, *moved] if b == 0 else moved

    return [[block(b, t, s) for s in range(3) for b in range(len(base))] for t in range(min(rounds, m))]


def split_groups(schedule: Rounds, parts: int) -> Rounds:
    """Cut every group into ``parts`` equal pieces: people who meet still meet at most once."""
    return [[group[i::parts] for group in round_ for i in range(parts)] for round_ in schedule]


def side_by_side(first: Rounds, first_points: int, second: Rounds) -> Rounds:
    """Two schedules on disjoint people, round by round (as many rounds as the shorter)."""
    return [a + [[x + first_points for x in group] for group in b] for a, b in zip(first, second)]


def with_row_rounds(transversal: Rounds, order: int, rows: int, inner: Rounds) -> Rounds:
    """After a resolvable TD on ``rows`` rows of ``order`` people, seat each row by the same schedule ``inner``.

    The TD's rounds used every pair across rows, so later rounds may only seat people within a row.
    """
    extra = [[[i * order + x for x in group] for i in range(rows) for group in round_] for round_ in inner]
    return transversal + extra


def repeats(schedule: Rounds) -> int:
    """Meetings beyond the first, over all pairs."""
    seen: set[tuple[int, int]] = set()
    count = 0
    for round_ in schedule:
        for group in round_:
            members = sorted(group)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    count += (a, b) in seen
                    seen.add((a, b))
    return count

