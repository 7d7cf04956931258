"""Counting bounds no plan can beat, so every report can show how far a plan is from the best possible.

All bounds assume each round is seated by its layout (:func:`mixer.layout.round_layout`),
as every solver does. The repeats bound is :func:`mixer.repeat_bound.repeats_lower_bound`
(plain Python, so ``mixer check`` can warn without numpy). The value bound combines:

- *Seats.* Person ``p`` sits beside at most ``hi[p]`` others over all rounds, and
  only ``free[p]`` of them can be new (co-present, never met, not seated together
  by a rule). ``p`` meets at most ``min(hi, free)`` new people, whose best values
  bound what ``p`` adds.
- *Pigeonholes.* A table of ``s`` drawn from ``k`` groups holds at least
  ``same_group_pairs(s, k)`` pairs from one group. Groups are an attribute's
  values: such a pair earns no bonus for that attribute.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from mixer.layout import round_layout
from mixer.repeat_bound import repeats_lower_bound, same_group_pairs

if TYPE_CHECKING:
    from mixer.scoring import PairTable

VALUE_DECIMALS = 6


@dataclass(frozen=True)
class Bounds:
    """Counting bounds that no plan seating each round by its layout (as every solver does) can beat.

    A seating that keeps the rules but not the layout (say, pairs at tables of
    five) may beat them: the bounds count seats from :func:`mixer.layout.round_layout`.
    """

    value_upper_bound: float
    repeats_lower_bound: int


def event_bounds(pairs: PairTable) -> Bounds:
    """The repeats lower bound and value upper bound of ``pairs.event``."""
    n = len(pairs.ids)
    present, sizes = _presence(pairs), _sizes(pairs)
    repeats_lb = repeats_lower_bound(pairs.event, pairs.kept_together)
    hi = sum(((s[-1] - 1) * present[r] for r, s in enumerate(sizes) if s), np.zeros(n, dtype=np.int64))
    eligible = _eligible(pairs, present)
    free = eligible.sum(axis=1)
    upper = np.triu_indices(n, k=1)

    meetings = sum(s * (s - 1) // 2 for round_sizes in sizes for s in round_sizes)
    reach = np.minimum(hi, free)
    new_pairs = min(meetings - repeats_lb, int(reach.sum()) // 2)
    values = np.where(eligible, pairs.value, 0.0)
    ranked = -np.sort(-values, axis=1)
    cumulative = np.concatenate([np.zeros((n, 1)), np.cumsum(ranked, axis=1)], axis=1)
    # Meeting fewer new people than ``reach`` (repeating instead) never loses a positive value but may avoid a negative one.
    best_prefix = np.maximum.accumulate(cumulative, axis=1)
    by_person = best_prefix[np.arange(n), reach].sum() / 2
    by_best_pairs = np.sort(np.maximum(values[upper], 0.0))[::-1][:new_pairs].sum()
    value_ub = min(by_person, by_best_pairs)
    if pairs.by_formula:
        value_ub = min(value_ub, _value_by_pigeonhole(pairs, present, sizes, meetings, new_pairs))
    return Bounds(value_upper_bound=round(float(value_ub), VALUE_DECIMALS), repeats_lower_bound=repeats_lb)


def _presence(pairs: PairTable) -> np.ndarray:
    """``present[r, p]``: whether person ``p`` attends round ``r + 1``."""
    event = pairs.event
    return np.array([[event.attends(pid, r) for pid in pairs.ids] for r in range(1, event.rounds + 1)], dtype=bool)


def _sizes(pairs: PairTable) -> list[list[int]]:
    """Each round's table sizes, smallest first."""
    event = pairs.event
    return [sorted(round_layout(event, r).values()) for r in range(1, event.rounds + 1)]


def _eligible(pairs: PairTable, present: np.ndarray) -> np.ndarray:
    """Pairs who can meet for the first time: present in a common round, never met, not seated together by a rule."""
    co_present = (present.T.astype(np.int64) @ present.astype(np.int64)) > 0
    np.fill_diagonal(co_present, False)
    eligible = co_present & (pairs.history == 0)
    for i, j in pairs.kept_together:
        eligible[i, j] = eligible[j, i] = False
    return eligible


def _value_by_pigeonhole(
    pairs: PairTable, present: np.ndarray, sizes: list[list[int]], meetings: int, new_pairs: int
) -> float:
    """Every new pair is worth 1 plus all bonuses, less the bonuses pigeonholes deny.

    Meetings of pairs that share an attribute value (or where one value is
    unknown) earn no bonus for it; at most ``meetings - new_pairs`` of them can
    be meetings that add no value anyway.
    """
    weights = pairs.event.weights
    full = 1.0 + weights.organisation + weights.sector + weights.level
    wasted = meetings - new_pairs
    value = new_pairs * full
    for attr, weight in (("organisation", weights.organisation), ("sector", weights.sector), ("level", weights.level)):
        codes = pairs.classes[attr]
        denied = 0
        for r, round_sizes in enumerate(sizes):
            here = codes[present[r]]
            groups = Counter(int(c) for c in here if c >= 0)
            by_table = sum(same_group_pairs(s, len(groups)) for s in round_sizes)
            by_group = sum(same_group_pairs(count, len(round_sizes)) for count in groups.values())
            denied += max(by_table, by_group)
        value -= weight * max(0, denied - wasted)
    return value
