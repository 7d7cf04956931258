"""The repeats bound counts people by attendance pattern; here it is checked against counting pair by pair."""

from __future__ import annotations

from hypothesis import given, settings

from mixer.layout import round_layout
from mixer.model import Event
from mixer.repeat_bound import forced_repeats, kept_together, repeats_lower_bound, same_group_pairs

from strategies import events


def _by_pairs(event: Event, rounds: int) -> int:
    """The same bound over the first ``rounds`` rounds, every pair visited (quadratic, as the definition reads)."""
    ids = [p.id for p in event.participants]
    index = {pid: i for i, pid in enumerate(ids)}
    kept = kept_together(event, index)
    met = {tuple(sorted((index[a], index[b]))) for (a, b), n in event.history.counts().items()
           if n and a in index and b in index and a != b}
    here = [[event.attends(pid, r) for pid in ids] for r in range(1, rounds + 1)]
    sizes = [sorted(round_layout(event, r).values()) for r in range(1, rounds + 1)]
    over = filled = 0
    for i in range(len(ids)):
        low = sum(s[0] - 1 for r, s in enumerate(sizes) if s and here[r][i])
        high = sum(s[-1] - 1 for r, s in enumerate(sizes) if s and here[r][i])
        room = 0
        for j in range(len(ids)):
            pair = (min(i, j), max(i, j))
            both = [r + 1 for r in range(rounds) if here[r][i] and here[r][j]]
            room += i != j and bool(both) and pair not in met and pair not in kept
            room += sum(1 for r in kept.get(pair, ()) if r in both)
        over += max(0, low - room)
        filled += max(low, min(high, room))
    seats = sum(s * (s - 1) for round_sizes in sizes for s in round_sizes)
    by_seats = -(-(over + max(0, seats - filled)) // 2)
    by_pigeonhole = 0
    for r in range(1, rounds):
        if sizes[r] and here[r] == here[r - 1]:
            forced = sum(same_group_pairs(s, len(sizes[r - 1])) for s in sizes[r])
            by_rule = sum(1 for (i, j), covered in kept.items() if r + 1 in covered and here[r][i] and here[r][j])
            by_pigeonhole += max(0, forced - by_rule)
    return max(by_seats, by_pigeonhole)


@settings(max_examples=200, deadline=None)
@given(events(max_rounds=6, rules=True, round_tables=True))
def test_bound_matches_counting_pair_by_pair(event: Event) -> None:
    """With attendance, history, rules seating pairs together and rounds of their own sizes, both counts agree."""
    assert repeats_lower_bound(event) == _by_pairs(event, event.rounds)
    forced, free = forced_repeats(event)
    assert forced == _by_pairs(event, event.rounds)
    assert free == next((r for r in range(event.rounds) if _by_pairs(event, r + 1)), event.rounds)
