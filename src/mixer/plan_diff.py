"""What changed between two plans of one event: who moved, round by round, and who was added or removed.

A *moved seat* is a person at a different table in the new plan than in the
old one, in a round where both plans seat them. Re-solve reports its changes
this way, ``mixer diff`` prints them, and exports reprint only the cards they touch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from mixer.model import Plan


@dataclass(frozen=True)
class Move:
    """``person`` sits at ``new_table`` in ``round`` where the old plan had ``old_table``."""

    round: int
    person: str
    old_table: str
    new_table: str


@dataclass(frozen=True)
class Seat:
    """``person`` at ``table`` in ``round`` (someone added to or removed from a round)."""

    round: int
    person: str
    table: str


@dataclass(frozen=True)
class PlanDiff:
    """Every difference in seating between an old and a new plan."""

    moved: tuple[Move, ...]
    added: tuple[Seat, ...]
    removed: tuple[Seat, ...]
    rounds: tuple[int, ...]

    @property
    def moved_seats(self) -> int:
        return len(self.moved)

    def people_changed(self) -> set[str]:
        """Everyone whose card differs: moved, added to or removed from some round."""
        return {c.person for c in (*self.moved, *self.added, *self.removed)}

    def in_round(self, round_no: int) -> tuple[list[Move], list[Seat], list[Seat]]:
        """The moves, additions and removals of one round."""
        return (
            [m for m in self.moved if m.round == round_no],
            [s for s in self.added if s.round == round_no],
            [s for s in self.removed if s.round == round_no],
        )


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """Compare the rounds both plans have, round by round."""
    moved, added, removed = [], [], []
    common = min(len(old.rounds), len(new.rounds))
    for before, after in zip(old.rounds[:common], new.rounds[:common]):
        was, now = before.table_of(), after.table_of()
        r = after.round
        moved += [Move(r, pid, was[pid], table) for pid, table in now.items() if pid in was and was[pid] != table]
        added += [Seat(r, pid, table) for pid, table in now.items() if pid not in was]
        removed += [Seat(r, pid, table) for pid, table in was.items() if pid not in now]
    return PlanDiff(tuple(moved), tuple(added), tuple(removed), tuple(range(1, common + 1)))


def diff_json(old: Plan, new: Plan, diff: PlanDiff | None = None) -> dict[str, object]:
    """The diff as plain JSON data, people with their names, grouped by round."""
    diff = diff or diff_plans(old, new)
    names = {p.id: p.name for p in (*old.event.participants, *new.event.participants)}
    rounds = []
    for r in diff.rounds:
        moved, added, removed = diff.in_round(r)
        rounds.append({
            "round": r,
            "moved": [{"id": m.person, "name": names.get(m.person, m.person), "from": m.old_table,
                       "to": m.new_table} for m in moved],
            "added": [{"id": s.person, "name": names.get(s.person, s.person), "table": s.table} for s in added],
            "removed": [{"id": s.person, "name": names.get(s.person, s.person), "table": s.table} for s in removed],
        })
    old_ids, new_ids = set(old.event.participant_ids), set(new.event.participant_ids)
    return {
        "moved_seats": diff.moved_seats,
        "people_added": [{"id": pid, "name": names[pid]} for pid in new.event.participant_ids if pid not in old_ids],
        "people_removed": [{"id": pid, "name": names[pid]} for pid in old.event.participant_ids if pid not in new_ids],
        "rounds": rounds,
    }


def seating_hash(plan: Plan) -> str:
    """SHA-256 of a plan's rounds (who sits where), to recognise the plan a re-solve came from."""
    rounds = [r.model_dump(mode="json") for r in plan.rounds]
    text = json.dumps(rounds, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
