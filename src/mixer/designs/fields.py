"""Finite fields GF(q) for prime powers q, with real field arithmetic.

An element is an integer ``0 <= a < q`` whose base-``p`` digits are the
coefficients (lowest degree first) of a polynomial over Z_p of degree below
``k``; products are reduced modulo a monic irreducible polynomial of degree
``k``. For prime ``q`` this is arithmetic mod ``q``; for q = 4, 8, 9, 16, ...
it is not (plain arithmetic mod 4 has zero divisors).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product


def prime_power(q: int) -> tuple[int, int] | None:
    """``(p, k)`` with ``q == p**k`` for a prime ``p``, else ``None``."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    k = 0
    while q % p == 0:
        q //= p
        k += 1
    return (p, k) if q == 1 else None


def prime_power_factors(n: int) -> list[int]:
    """``n`` as a product of powers of distinct primes, smallest prime first (12 -> [4, 3])."""
    factors, d = [], 2
    while n > 1:
        if n % d == 0:
            q = 1
            while n % d == 0:
                n //= d
                q *= d
            factors.append(q)
        d += 1
    return factors


def _remainder(poly: list[int], modulus: list[int], p: int) -> list[int]:
    """``poly`` modulo the monic ``modulus`` over Z_p (coefficient lists, lowest degree first)."""
    poly = list(poly)
    while len(poly) >= len(modulus):
        lead = poly[-1] % p
        if lead:
            shift = len(poly) - len(modulus)
            for i, c in enumerate(modulus):
                poly[shift + i] = (poly[shift + i] - lead * c) % p
        poly.pop()
    return poly


def _monic(degree: int, p: int) -> list[list[int]]:
    return [list(low) + [1] for low in product(range(p), repeat=degree)]


def irreducible(p: int, k: int) -> list[int]:
    """The first monic irreducible polynomial of degree ``k`` over Z_p (no factor of degree up to k/2)."""
    for f in _monic(k, p):
        if all(any(_remainder(f, d, p)) for degree in range(1, k // 2 + 1) for d in _monic(degree, p)):
            return f
    raise ValueError(f"no irreducible polynomial of degree {k} over Z_{p}")  # pragma: no cover (one always exists)


class Field:
    """GF(q): addition and multiplication tables over the elements ``0 .. q-1`` (0 and 1 are the field's 0 and 1)."""

    def __init__(self, q: int) -> None:
        pk = prime_power(q)
        if pk is None:
            raise ValueError(f"GF({q}) does not exist: {q} is not a prime power")
        p, k = pk
        self.q, self.p, self.k = q, p, k
        modulus = irreducible(p, k) if k > 1 else [0, 1]
        digits = [[(a // p**i) % p for i in range(k)] for a in range(q)]

        def number(coefficients: list[int]) -> int:
            return sum(c * p**i for i, c in enumerate(coefficients[:k]))

        def times(a: int, b: int) -> int:
            poly = [0] * (2 * k - 1)
            for i, x in enumerate(digits[a]):
                for j, y in enumerate(digits[b]):
                    poly[i + j] = (poly[i + j] + x * y) % p
            return number(_remainder(poly, modulus, p) if k > 1 else poly)

        self.add = [[number([(x + y) % p for x, y in zip(digits[a], digits[b])]) for b in range(q)] for a in range(q)]
        self.mul = [[times(a, b) for b in range(q)] for a in range(q)]
        self.neg = [self.add[a].index(0) for a in range(q)]
        self.sub = [[self.add[a][self.neg[b]] for b in range(q)] for a in range(q)]


@lru_cache(maxsize=None)
def field(q: int) -> Field:
    """GF(q), built once."""
    return Field(q)
