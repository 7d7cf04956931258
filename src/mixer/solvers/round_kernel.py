"""The compiled iterated tabu search over one round, the other rounds held fixed (numba).

With the other rounds fixed, what two people sitting together in round ``r``
costs is a constant ``weight[p, q]``: a repeat (``rw``) when they meet anywhere
else, else minus their value, plus the rules' pair terms. Keeping
``sums[p, t]``, the weights from ``p`` to everyone at table ``t``, prices a swap
in O(1) (plus the seat, count and visit terms, when there are any) and updates
in O(people), so every swap of the round is priced on each move, as in the
swap tabu searches for maximally diverse grouping (Palubeckis et al.'s iterated
tabu search; Lai and Hao; Yang et al., EJOR 2022). A moved person may not go
back to the table they left for a random tenure; after ``stall`` moves without
a new best the search returns to its best seating of the round and shakes it
with a random number of random swaps.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from mixer.solvers.tabu_kernel import EPS, rebuild, seat_count_visit_cost, swap


@njit(cache=True)
def weights(core, terms, rw, r, weight):  # type: ignore[no-untyped-def]
    """Fill ``weight[p, q]``: the cost of ``p`` and ``q`` sharing a table in round ``r``, all other rounds as they are."""
    table, members, size, slot, met, value, clash = core
    pair_start, pair_other, pair_cost = terms[1], terms[2], terms[3]
    n = table.shape[1]
    for p in range(n):
        for q in range(n):
            together = table[r, p] >= 0 and table[r, p] == table[r, q]
            weight[p, q] = 0.0 if p == q else (rw if met[p, q] - together >= 1 else -value[p, q])
        for e in range(pair_start[r * n + p], pair_start[r * n + p + 1]):
            weight[p, pair_other[e]] += pair_cost[e]


@njit(cache=True)
def table_sums(table, r, weight, sums):  # type: ignore[no-untyped-def]
    """Fill ``sums[p, t]``: the weights from ``p`` to everyone (else) at table ``t`` in round ``r``."""
    sums[:, :] = 0.0
    n = table.shape[1]
    for x in range(n):
        t = table[r, x]
        if t >= 0:
            for p in range(n):
                sums[p, t] += weight[p, x]


@njit(cache=True)
def _move(core, terms, r, weight, sums, p, q):  # type: ignore[no-untyped-def]
    """Swap ``p`` and ``q`` in round ``r``, keeping the kernel's counts and ``sums`` up to date."""
    table = core[0]
    a, b = table[r, p], table[r, q]
    swap(core, terms, r, p, q)
    for x in range(table.shape[1]):
        change = weight[x, q] - weight[x, p]
        sums[x, a] += change
        sums[x, b] -= change


@njit(cache=True)
def _price(core, terms, r, weight, sums, ruled, p, q, a, b):  # type: ignore[no-untyped-def]
    d = sums[p, b] - sums[p, a] + sums[q, a] - sums[q, b] - 2.0 * weight[p, q]
    if ruled:
        d += seat_count_visit_cost(terms, r, p, q, a, b)
    return d


@njit(cache=True)
def run(core, terms, r, weight, sums, ruled, rows, tabu, best_row, counters, costs,  # type: ignore[no-untyped-def]
        iterations, tenure_low, tenure_high, stall, shake_low, shake_high, history):
    """Make up to ``iterations`` best-swap moves in round ``r``; return the number of swaps priced.

    Each move prices every swap, or when ``rows`` is less than the number of people,
    those of ``rows`` people drawn at random with everyone (so a move stays cheap in
    a very large round). ``counters`` holds [iteration, last improvement, shakes],
    ``costs`` [current, best] (relative to the start); ``tabu[p, t]`` is the iteration
    until which ``p`` may not move to table ``t`` unless that gives a new best.
    ``best_row`` is the best seating of the round.
    """
    table = core[0]
    row = table[r]
    n = table.shape[1]
    every = rows >= n
    order = np.arange(n)
    priced = 0
    for _ in range(iterations):
        it = counters[0]
        best_d, ties, bp, bq = np.inf, 0, -1, -1
        for i in range(0 if every else rows):  # a random sample of people in front
            j = i + np.random.randint(n - i)
            order[i], order[j] = order[j], order[i]
        for i in range(n if every else rows):
            p = order[i]
            a = row[p]
            if a < 0:
                continue
            sp, wp = sums[p], weight[p]
            base = sp[a]
            for q in range(p + 1 if every else 0, n):
                b = row[q]
                if b < 0 or b == a:
                    continue
                sq = sums[q]
                d = sp[b] - base + sq[a] - sq[b] - 2.0 * wp[q]
                if ruled:
                    d += seat_count_visit_cost(terms, r, p, q, a, b)
                priced += 1
                if d > best_d + EPS:
                    continue
                if (tabu[p, b] > it or tabu[q, a] > it) and costs[0] + d >= costs[1] - EPS:
                    continue
                if d < best_d - EPS:
                    best_d, ties, bp, bq = d, 1, p, q
                else:
                    ties += 1
                    if np.random.randint(ties) == 0:
                        bp, bq = p, q
        counters[0] += 1
        if bp < 0:  # every swap tabu (or none possible): lift the bans
            tabu[:, :] = 0
            continue
        a, b = table[r, bp], table[r, bq]
        _move(core, terms, r, weight, sums, bp, bq)
        tabu[bp, a] = it + np.random.randint(tenure_low, tenure_high + 1)
        tabu[bq, b] = it + np.random.randint(tenure_low, tenure_high + 1)
        costs[0] += best_d
        if costs[0] < costs[1] - EPS:
            costs[1] = costs[0]
            best_row[:] = table[r]
            counters[1] = counters[0]
        elif counters[0] - counters[1] > stall:
            _shake(core, terms, r, weight, sums, ruled, tabu, best_row, counters, costs, shake_low, shake_high, history)
    return priced


@njit(cache=True)
def _shake(core, terms, r, weight, sums, ruled, tabu, best_row, counters, costs,  # type: ignore[no-untyped-def]
           shake_low, shake_high, history):
    """Go back to the best seating of the round and make a random number of random swaps, each made tabu to undo."""
    table = core[0]
    n = table.shape[1]
    table[r] = best_row
    rebuild(core, terms, history)
    table_sums(table, r, weight, sums)
    costs[0] = costs[1]
    it = counters[0]
    for _ in range(np.random.randint(shake_low, shake_high + 1)):
        p, q = np.random.randint(n), np.random.randint(n)
        a, b = table[r, p], table[r, q]
        if a < 0 or b < 0 or a == b:
            continue
        costs[0] += _price(core, terms, r, weight, sums, ruled, p, q, a, b)
        _move(core, terms, r, weight, sums, p, q)
        tabu[p, a] = tabu[q, b] = it + shake_high
    counters[1] = counters[0]
    counters[2] += 1
