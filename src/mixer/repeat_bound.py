"""The repeats no plan can avoid, counted in plain Python so that ``mixer check`` loads no numpy.

Rounds are seated by their layouts (:func:`mixer.layout.round_layout`), as every
solver does. Two arguments are combined:

- *Seats.* Person ``p`` sits beside between ``lo[p]`` and ``hi[p]`` others over
  all rounds, and everyone together fills exactly the seats the layouts give.
  Only some of those neighbours can be new (co-present, never met, not seated
  together by a rule) and some are seated beside ``p`` by a rule; every
  neighbour beyond those is a repeat, shared by two people.
- *Pigeonholes.* A table of ``s`` drawn from ``k`` groups holds at least
  ``same_group_pairs(s, k)`` pairs from one group. Each table of a round draws
  from the previous round's tables, and a pair from one of them is a repeat
  unless a rule seats it together.

Only pairs that met before or that a rule keeps together are visited one by
one; everyone else is counted by attendance pattern, so the count stays cheap
for thousands of people. :mod:`mixer.bounds` adds the value bound.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from mixer.constraints import PairTerm, rules_for
from mixer.layout import round_layout
from mixer.model import Event

KeptTogether = Mapping[tuple[int, int], frozenset[int]]


def same_group_pairs(size: int, groups: int) -> int:
    """The fewest pairs from one group among ``size`` people drawn from ``groups`` groups."""
    if groups <= 0:
        return size * (size - 1) // 2
    share, extra = divmod(size, groups)
    return extra * (share + 1) * share // 2 + (groups - extra) * share * (share - 1) // 2


def kept_together(event: Event, index: Mapping[str, int]) -> dict[tuple[int, int], frozenset[int]]:
    """Pairs ``(i, j)``, ``i < j``, that the rules' hard together terms seat together, with the rounds they cover."""
    kept: dict[tuple[int, int], frozenset[int]] = {}
    for rule in rules_for(event):
        for term in rule.search_terms(event):
            if isinstance(term, PairTerm) and term.hard and term.together and term.a in index and term.b in index:
                i, j = sorted((index[term.a], index[term.b]))
                if i != j:
                    kept[i, j] = kept.get((i, j), frozenset()) | frozenset(term.rounds)
    return kept


def repeats_lower_bound(event: Event, kept: KeptTogether | None = None) -> int:
    """The repeats every plan of ``event`` has; ``kept`` is :func:`kept_together`, if already known."""
    counting = _Counting.of(event, kept)
    return counting.bound(event.rounds)


def forced_repeats(event: Event) -> tuple[int, int]:
    """The repeats the numbers force over all rounds, and the most rounds (from the first) that can go without one."""
    counting = _Counting.of(event)
    forced = counting.bound(event.rounds)
    free_of_repeats = event.rounds
    if forced:
        free_of_repeats = next(r for r in range(event.rounds) if counting.bound(r + 1))
    return forced, free_of_repeats


@dataclass(frozen=True)
class _Counting:
    """An event as the bound reads it: people by position, each with a bit per round attended."""

    attends: tuple[int, ...]
    sizes: tuple[tuple[int, ...], ...]  # each round's table sizes, smallest first
    met: frozenset[tuple[int, int]]  # pairs ``(i, j)``, ``i < j``, that met before
    kept: KeptTogether

    @classmethod
    def of(cls, event: Event, kept: KeptTogether | None = None) -> _Counting:
        index = {p.id: i for i, p in enumerate(event.participants)}
        rounds = range(1, event.rounds + 1)
        attends = tuple(sum(1 << (r - 1) for r in rounds if event.attends(p.id, r)) for p in event.participants)
        sizes = tuple(tuple(sorted(round_layout(event, r).values())) for r in rounds)
        met = frozenset(
            (min(index[a], index[b]), max(index[a], index[b]))
            for (a, b), times in event.history.counts().items()
            if times and a in index and b in index and a != b
        )
        return cls(attends, sizes, met, kept_together(event, index) if kept is None else kept)

    def bound(self, rounds: int) -> int:
        """Repeats forced in the first ``rounds`` rounds, by seats and by pigeonholes."""
        return max(self._by_seats(rounds), self._by_pigeonhole(rounds))

    def _by_seats(self, rounds: int) -> int:
        sizes = self.sizes[:rounds]
        pattern = [a & ((1 << rounds) - 1) for a in self.attends]
        patterns = Counter(pattern)
        low = {m: sum(s[0] - 1 for r, s in enumerate(sizes) if s and m >> r & 1) for m in patterns}
        high = {m: sum(s[-1] - 1 for r, s in enumerate(sizes) if s and m >> r & 1) for m in patterns}
        # Neighbours that need not be repeats: new people, and those a rule seats beside them.
        co_present = {m: sum(n for other, n in patterns.items() if other & m) - (m != 0) for m in patterns}
        room = [co_present[m] for m in pattern]
        for i, j in self.met | self.kept.keys():
            if pattern[i] & pattern[j]:
                room[i] -= 1
                room[j] -= 1
        for (i, j), covered in self.kept.items():
            times = sum(1 for r in covered if r <= rounds and (pattern[i] & pattern[j]) >> (r - 1) & 1)
            room[i] += times
            room[j] += times
        over = sum(max(0, low[m] - free) for m, free in zip(pattern, room))
        filled = sum(max(low[m], min(high[m], free)) for m, free in zip(pattern, room))
        seats = sum(s * (s - 1) for round_sizes in sizes for s in round_sizes)
        return -(-(over + max(0, seats - filled)) // 2)

    def _by_pigeonhole(self, rounds: int) -> int:
        """Only rounds with exactly the same people as the round before count."""
        repeats = 0
        for r in range(1, rounds):
            if self.sizes[r] and all((a >> r & 1) == (a >> (r - 1) & 1) for a in self.attends):
                forced = sum(same_group_pairs(s, len(self.sizes[r - 1])) for s in self.sizes[r])
                by_rule = sum(1 for (i, j), covered in self.kept.items()
                              if r + 1 in covered and (self.attends[i] & self.attends[j]) >> r & 1)
                repeats += max(0, forced - by_rule)
        return repeats
