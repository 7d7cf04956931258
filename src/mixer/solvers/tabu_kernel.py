"""The compiled inner loop of the tabu search (numba; imported only when a local search runs).

The plan is ``table[r, p]`` (a table number, -1 when absent) with, kept up to
date move by move, each table's members, the meetings of every pair
(``met``, history included), for each person and round how many tablemates
they meet more than once (``clash``) and the counts the terms need. A swap of
two people in one round is priced in O(table size) from these: what each
loses at the table they leave and gains at the one they join, plus the terms'
costs. The cost is ``repeat_weight * repeats - value`` plus the terms.

``Core`` and ``Terms`` are plain tuples of arrays so the functions compile
once and are cached on disk (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-9


@njit(cache=True)
def _leave(m: int, v: float, rw: float) -> float:
    """Cost change when a pair that met ``m`` times meets once less."""
    return -rw if m >= 2 else v


@njit(cache=True)
def _join(m: int, v: float, rw: float) -> float:
    """Cost change when a pair that met ``m`` times meets once more."""
    return rw if m >= 1 else -v


@njit(cache=True)
def seed(s: int) -> None:
    np.random.seed(s)


@njit(cache=True)
def rebuild(core, terms, history):  # type: ignore[no-untyped-def]
    """Recount members, meetings, clashes and term counts from ``table`` alone."""
    table, members, size, slot, met, value, clash = core
    seat, pair_start, pair_other, pair_cost, count_class, count_cost, count_round, count_at, count_sum, \
        visit_start, visit_round, visit_cost, visit_seen = terms
    rounds, n = table.shape
    met[:, :] = history
    size[:, :] = 0
    for r in range(rounds):
        for p in range(n):
            t = table[r, p]
            if t >= 0:
                slot[r, p] = size[r, t]
                members[r, t, size[r, t]] = p
                size[r, t] += 1
    for r in range(rounds):
        for t in range(size.shape[1]):
            for i in range(size[r, t]):
                for j in range(i + 1, size[r, t]):
                    p, q = members[r, t, i], members[r, t, j]
                    met[p, q] += 1
                    met[q, p] += 1
    clash[:, :] = 0
    for r in range(rounds):
        for t in range(size.shape[1]):
            for i in range(size[r, t]):
                for j in range(i + 1, size[r, t]):
                    p, q = members[r, t, i], members[r, t, j]
                    if met[p, q] >= 2:
                        clash[r, p] += 1
                        clash[r, q] += 1
    count_at[:, :, :, :] = 0
    count_sum[:, :, :] = 0.0
    for i in range(count_class.shape[0]):
        for r in range(rounds):
            if not count_round[i, r]:
                continue
            for p in range(n):
                c = count_class[i, p]
                if c >= 0 and table[r, p] >= 0:
                    count_at[i, r, table[r, p], c] += 1
            for t in range(size.shape[1]):
                if size[r, t] == 0:
                    continue
                for c in range(count_at.shape[3]):
                    count_sum[i, r, t] += count_cost[i, count_at[i, r, t, c]]
    visit_seen[:, :] = 0
    for p in range(n):
        for k in range(visit_start[p], visit_start[p + 1]):
            for r in range(rounds):
                if visit_round[k, r] and table[r, p] >= 0:
                    visit_seen[k, table[r, p]] += 1


@njit(cache=True)
def swap_cost(core, terms, rw, r, p, q):  # type: ignore[no-untyped-def]
    """Cost change of swapping ``p`` and ``q`` (at different tables) in round ``r``."""
    table, members, size, slot, met, value, clash = core
    seat, pair_start, pair_other, pair_cost, count_class, count_cost, count_round, count_at, count_sum, \
        visit_start, visit_round, visit_cost, visit_seen = terms
    n = table.shape[1]
    a, b = table[r, p], table[r, q]
    d = 0.0
    for i in range(size[r, a]):
        x = members[r, a, i]
        if x != p:
            d += _leave(met[p, x], value[p, x], rw) + _join(met[q, x], value[q, x], rw)
    for i in range(size[r, b]):
        y = members[r, b, i]
        if y != q:
            d += _leave(met[q, y], value[q, y], rw) + _join(met[p, y], value[p, y], rw)
    for who, here, there in ((p, a, b), (q, b, a)):
        for e in range(pair_start[r * n + who], pair_start[r * n + who + 1]):
            x = pair_other[e]
            if x == p or x == q:
                continue
            tx = table[r, x]
            if tx == here:
                d -= pair_cost[e]
            elif tx == there:
                d += pair_cost[e]
    return d + seat_count_visit_cost(terms, r, p, q, a, b)


@njit(cache=True)
def seat_count_visit_cost(terms, r, p, q, a, b):  # type: ignore[no-untyped-def]
    """What the seat, count and visit terms add when ``p`` (at table ``a``) and ``q`` (at ``b``) swap in round ``r``."""
    seat, pair_start, pair_other, pair_cost, count_class, count_cost, count_round, count_at, count_sum, \
        visit_start, visit_round, visit_cost, visit_seen = terms
    d = 0.0
    if seat.shape[0] > 0:
        d += seat[r, p, b] - seat[r, p, a] + seat[r, q, a] - seat[r, q, b]
    for who, here, there in ((p, a, b), (q, b, a)):
        for k in range(visit_start[who], visit_start[who + 1]):
            if visit_round[k, r]:
                d += visit_cost[k] * ((visit_seen[k, there] >= 1) - (visit_seen[k, here] >= 2))
    for i in range(count_class.shape[0]):
        if not count_round[i, r]:
            continue
        cp, cq = count_class[i, p], count_class[i, q]
        if cp == cq:
            continue
        for c, here, there in ((cp, a, b), (cq, b, a)):
            if c >= 0:
                k, j = count_at[i, r, here, c], count_at[i, r, there, c]
                d += count_cost[i, k - 1] - count_cost[i, k] + count_cost[i, j + 1] - count_cost[i, j]
    return d


@njit(cache=True)
def _clash_elsewhere(table, clash, r, p, x, change):  # type: ignore[no-untyped-def]
    """``p`` and ``x`` crossed between one and two meetings: count it in every other round they share."""
    for s in range(table.shape[0]):
        if s != r and table[s, p] >= 0 and table[s, p] == table[s, x]:
            clash[s, p] += change
            clash[s, x] += change


@njit(cache=True)
def swap(core, terms, r, p, q):  # type: ignore[no-untyped-def]
    """Swap ``p`` and ``q`` in round ``r`` and bring every count up to date."""
    table, members, size, slot, met, value, clash = core
    seat, pair_start, pair_other, pair_cost, count_class, count_cost, count_round, count_at, count_sum, \
        visit_start, visit_round, visit_cost, visit_seen = terms
    a, b = table[r, p], table[r, q]
    for who, t in ((p, a), (q, b)):  # each leaves their table
        for i in range(size[r, t]):
            x = members[r, t, i]
            if x == who:
                continue
            m = met[who, x]
            if m >= 2:
                clash[r, who] -= 1
                clash[r, x] -= 1
            met[who, x] = met[x, who] = m - 1
            if m == 2:
                _clash_elsewhere(table, clash, r, who, x, -1)
    for who, t, other in ((p, b, q), (q, a, p)):  # and joins the other's
        for i in range(size[r, t]):
            x = members[r, t, i]
            if x == other:
                continue
            m = met[who, x] + 1
            met[who, x] = met[x, who] = m
            if m == 2:
                _clash_elsewhere(table, clash, r, who, x, 1)
            if m >= 2:
                clash[r, who] += 1
                clash[r, x] += 1
    members[r, a, slot[r, p]] = q
    members[r, b, slot[r, q]] = p
    slot[r, p], slot[r, q] = slot[r, q], slot[r, p]
    table[r, p], table[r, q] = b, a
    for i in range(count_class.shape[0]):
        if not count_round[i, r]:
            continue
        for c, here, there in ((count_class[i, p], a, b), (count_class[i, q], b, a)):
            if c >= 0:
                k, j = count_at[i, r, here, c], count_at[i, r, there, c]
                count_sum[i, r, here] += count_cost[i, k - 1] - count_cost[i, k]
                count_sum[i, r, there] += count_cost[i, j + 1] - count_cost[i, j]
                count_at[i, r, here, c] = k - 1
                count_at[i, r, there, c] = j + 1
    for who, here, there in ((p, a, b), (q, b, a)):
        for k in range(visit_start[who], visit_start[who + 1]):
            if visit_round[k, r]:
                visit_seen[k, here] -= 1
                visit_seen[k, there] += 1


@njit(cache=True)
def breaks_hard(core, terms, hard, count_hard, visit_hard, r, p):  # type: ignore[no-untyped-def]
    """Whether ``p`` in round ``r`` is part of a broken hard term (costs of at least ``hard`` / 2 are hard)."""
    table, members, size, slot, met, value, clash = core
    seat, pair_start, pair_other, pair_cost, count_class, count_cost, count_round, count_at, count_sum, \
        visit_start, visit_round, visit_cost, visit_seen = terms
    n = table.shape[1]
    t = table[r, p]
    if seat.shape[0] > 0 and seat[r, p, t] >= hard / 2:
        return True
    for e in range(pair_start[r * n + p], pair_start[r * n + p + 1]):
        c = pair_cost[e]
        tx = table[r, pair_other[e]]
        if abs(c) >= hard / 2 and tx >= 0 and (tx == t) == (c > 0):
            return True
    for i in range(count_class.shape[0]):
        if count_hard[i] and count_round[i, r] and count_sum[i, r, t] > EPS:
            return True
    for k in range(visit_start[p], visit_start[p + 1]):
        if visit_hard[k] and visit_round[k, r] and visit_seen[k, t] >= 2:
            return True
    return False


@njit(cache=True)
def stalled(costs, counters, table, best_table, stall):  # type: ignore[no-untyped-def]
    """Keep the plan if it is the best so far; True when ``stall`` moves have passed without a better one.

    The plan is then set back to the best (``costs[0]`` too), for the caller to recount and shake.
    """
    if costs[0] < costs[1] - EPS:
        costs[1] = costs[0]
        best_table[:, :] = table
        counters[1] = counters[0]
        counters[2] = 0
        return False
    if counters[0] - counters[1] > stall:
        table[:, :] = best_table
        costs[0] = costs[1]
        return True
    return False


@njit(cache=True)
def run(core, terms, rw, hard, has_hard, count_hard, visit_hard, movable, tabu, partner, best_table, counters, costs,
        iterations, tenure_low, tenure_high, candidates, partners, stall, value_stall, shake,
        history):  # type: ignore[no-untyped-def]
    """Make up to ``iterations`` tabu moves; return the number of swaps priced.

    ``counters`` holds [iteration, last improvement, shakes since the best], ``costs``
    [current cost, best cost]; both persist between calls. While any person
    is in a repeat or a broken hard term, only swaps moving such a person are
    priced (at most ``candidates`` of them, chosen at random); otherwise
    ``candidates`` random people are tried. Each is tried against everyone,
    or against ``partners`` people drawn at random when there are more. After ``stall``
    moves without a new best (``value_stall`` once nobody is in a repeat or a
    broken hard term), the search returns to the best plan and makes ``shake``
    random swaps.
    """
    table, members, size, slot, met, value, clash = core
    rounds, n = table.shape
    cand_r = np.empty(rounds * n, dtype=np.int64)
    cand_p = np.empty(rounds * n, dtype=np.int64)
    priced = 0
    for _ in range(iterations):
        it = counters[0]
        found = 0
        for r in range(rounds):
            if not movable[r]:
                continue
            for p in range(n):
                if table[r, p] >= 0 and (clash[r, p] > 0 or (has_hard and breaks_hard(
                        core, terms, hard, count_hard, visit_hard, r, p))):
                    cand_r[found], cand_p[found] = r, p
                    found += 1
        conflicted = found > 0
        if found == 0:
            for r in range(rounds):
                if movable[r]:
                    for p in range(n):
                        if table[r, p] >= 0:
                            cand_r[found], cand_p[found] = r, p
                            found += 1
        if found == 0:
            break
        take = min(found, candidates)
        for i in range(take):  # a random sample of the candidates, in front
            j = i + np.random.randint(found - i)
            cand_r[i], cand_r[j] = cand_r[j], cand_r[i]
            cand_p[i], cand_p[j] = cand_p[j], cand_p[i]
        best_d, ties, br, bp, bq = np.inf, 0, -1, -1, -1
        for i in range(take):
            r, p = cand_r[i], cand_p[i]
            a = table[r, p]
            for k in range(min(n, partners)):
                q = k if n <= partners else np.random.randint(n)
                b = table[r, q]
                if b < 0 or b == a:
                    continue
                d = swap_cost(core, terms, rw, r, p, q)
                priced += 1
                banned = (partner[r, p] == q and tabu[r, p] > it) or (partner[r, q] == p and tabu[r, q] > it)
                if banned and costs[0] + d >= costs[1] - EPS:
                    continue
                if d < best_d - EPS:
                    best_d, ties, br, bp, bq = d, 1, r, p, q
                elif d <= best_d + EPS:
                    ties += 1
                    if np.random.randint(ties) == 0:
                        br, bp, bq = r, p, q
        if br < 0:  # every move tabu: free the oldest ban
            tabu[:, :] = 0
            counters[0] += 1
            continue
        swap(core, terms, br, bp, bq)
        costs[0] += best_d
        tabu[br, bp] = tabu[br, bq] = it + np.random.randint(tenure_low, tenure_high + 1)
        partner[br, bp], partner[br, bq] = bq, bp
        counters[0] += 1
        if stalled(costs, counters, table, best_table, stall if conflicted else value_stall):
            rebuild(core, terms, history)
            for _ in range(shake):
                r = np.random.randint(rounds)
                p = np.random.randint(n)
                q = np.random.randint(n)
                if movable[r] and table[r, p] >= 0 and table[r, q] >= 0 and table[r, p] != table[r, q]:
                    costs[0] += swap_cost(core, terms, rw, r, p, q)
                    swap(core, terms, r, p, q)
            counters[1] = counters[0]
            counters[2] += 1
    return priced
