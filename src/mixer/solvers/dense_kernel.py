"""The compiled tabu search that prices every swap of every round on each move (numba).

For an event past its counting bound (repeats are certain) nearly everyone is
in a repeat, so the conflict-directed search samples almost at random. This
one keeps ``sums[r, p, t]``: what ``p`` sitting with everyone at table ``t`` in
round ``r`` costs, given the other rounds (a repeat ``rw`` for a pair that
meets elsewhere, else minus its value), as :mod:`mixer.solvers.round_kernel`
does for one round. A swap is then priced in O(1) and every swap of every
round is priced on each move. A swap in round ``r`` leaves the round-``r``
weights as they were and changes those of the moved people's old and new
tablemates in the other rounds: O(people + table size * rounds) a move. Only
for events without rule terms (value and history only).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from mixer.solvers.tabu_kernel import EPS, rebuild, stalled, swap


@njit(cache=True)
def _weight(core, rw, r, p, x):  # type: ignore[no-untyped-def]
    """What ``p`` and ``x`` sharing a table in round ``r`` costs, given their meetings in the other rounds."""
    table, met, value = core[0], core[4], core[5]
    if p == x:
        return 0.0
    together = table[r, p] >= 0 and table[r, p] == table[r, x]
    return rw if met[p, x] - together >= 1 else -value[p, x]


@njit(cache=True)
def fill(core, rw, sums):  # type: ignore[no-untyped-def]
    """Recount ``sums`` from the plan."""
    table = core[0]
    rounds, n = table.shape
    sums[:, :, :] = 0.0
    for r in range(rounds):
        for x in range(n):
            t = table[r, x]
            if t >= 0:
                for p in range(n):
                    if table[r, p] >= 0:
                        sums[r, p, t] += _weight(core, rw, r, p, x)


@njit(cache=True)
def _elsewhere(core, rw, sums, r, p, x, sign):  # type: ignore[no-untyped-def]
    """Add (``sign`` 1) or take away (-1) the weight of ``p`` and ``x`` in every round but ``r``."""
    table = core[0]
    for s in range(table.shape[0]):
        tp, tx = table[s, p], table[s, x]
        if s != r and tp >= 0 and tx >= 0:
            w = sign * _weight(core, rw, s, p, x)
            sums[s, p, tx] += w
            sums[s, x, tp] += w


@njit(cache=True)
def move(core, terms, rw, sums, r, p, q):  # type: ignore[no-untyped-def]
    """Swap ``p`` and ``q`` in round ``r``, keeping the kernel's counts and ``sums`` up to date."""
    table, members, size = core[0], core[1], core[2]
    n = table.shape[1]
    a, b = table[r, p], table[r, q]
    for x in range(n):
        if table[r, x] >= 0:
            change = _weight(core, rw, r, x, q) - _weight(core, rw, r, x, p)
            sums[r, x, a] += change
            sums[r, x, b] -= change
    others = np.empty(size[r, a] + size[r, b], dtype=np.int64)
    k = 0
    for t, who in ((a, p), (b, q)):
        for i in range(size[r, t]):
            if members[r, t, i] != who:
                others[k] = members[r, t, i]
                k += 1
    for i in range(k):
        _elsewhere(core, rw, sums, r, p, others[i], -1.0)
        _elsewhere(core, rw, sums, r, q, others[i], -1.0)
    swap(core, terms, r, p, q)
    for i in range(k):
        _elsewhere(core, rw, sums, r, p, others[i], 1.0)
        _elsewhere(core, rw, sums, r, q, others[i], 1.0)


@njit(cache=True)
def _swap_delta(sums, met, value, rw, r, p, q, a, b):  # type: ignore[no-untyped-def]
    """Cost change of ``p`` (at table ``a``) and ``q`` (at ``b``) trading seats in round ``r``."""
    w = rw if met[p, q] >= 1 else -value[p, q]
    return sums[r, p, b] - sums[r, p, a] + sums[r, q, a] - sums[r, q, b] - 2.0 * w


@njit(cache=True)
def run(core, terms, rw, sums, movable, tabu, best_table, counters, costs,  # type: ignore[no-untyped-def]
        iterations, tenure_low, tenure_high, stall, shake, history):
    """Make up to ``iterations`` best-swap moves over all rounds; return the number of swaps priced.

    ``counters`` holds [iteration, last improvement, shakes since the best], ``costs``
    [current, best] (relative to the start); ``tabu[r, p, t]`` is the iteration until
    which ``p`` may not go back to table ``t`` in round ``r`` unless that gives a new
    best. After ``stall`` moves without a new best the search returns to the best
    plan and makes ``shake`` random swaps.
    """
    table, met, value = core[0], core[4], core[5]
    rounds, n = table.shape
    priced = 0
    for _ in range(iterations):
        it = counters[0]
        best_d, ties, br, bp, bq = np.inf, 0, -1, -1, -1
        for r in range(rounds):
            if not movable[r]:
                continue
            for p in range(n):
                a = table[r, p]
                if a < 0:
                    continue
                for q in range(p + 1, n):
                    b = table[r, q]
                    if b < 0 or b == a:
                        continue
                    d = _swap_delta(sums, met, value, rw, r, p, q, a, b)
                    priced += 1
                    if d > best_d + EPS:
                        continue
                    if (tabu[r, p, b] > it or tabu[r, q, a] > it) and costs[0] + d >= costs[1] - EPS:
                        continue
                    if d < best_d - EPS:
                        best_d, ties, br, bp, bq = d, 1, r, p, q
                    else:
                        ties += 1
                        if np.random.randint(ties) == 0:
                            br, bp, bq = r, p, q
        counters[0] += 1
        if br < 0:  # every move tabu: lift the bans
            tabu[:, :, :] = 0
            continue
        a, b = table[br, bp], table[br, bq]
        move(core, terms, rw, sums, br, bp, bq)
        costs[0] += best_d
        tabu[br, bp, a] = it + np.random.randint(tenure_low, tenure_high + 1)
        tabu[br, bq, b] = it + np.random.randint(tenure_low, tenure_high + 1)
        if stalled(costs, counters, table, best_table, stall):
            rebuild(core, terms, history)
            fill(core, rw, sums)
            for _ in range(shake):
                r = np.random.randint(rounds)
                p = np.random.randint(n)
                q = np.random.randint(n)
                if movable[r] and table[r, p] >= 0 and table[r, q] >= 0 and table[r, p] != table[r, q]:
                    costs[0] += _swap_delta(sums, met, value, rw, r, p, q, table[r, p], table[r, q])
                    move(core, terms, rw, sums, r, p, q)
            counters[1] = counters[0]
            counters[2] += 1
    return priced
