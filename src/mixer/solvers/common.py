"""What every solver takes and gives back."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from mixer.model import Event, RoundSeating, TableSeating


@dataclass(frozen=True)
class Progress:
    """A report from a running solver: seconds so far, what it is doing, the best plan's score summary."""

    elapsed: float
    message: str
    best: dict[str, object] | None = None


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Budget:
    """How long a solver may run, its seed, who listens to its progress, and what it starts from.

    ``start`` is a seating of every round to start from (a re-solve's repaired
    plan); its first ``frozen`` rounds have been played and must come back unchanged.
    ``limit`` is the whole solve's time limit, which a part given a share of the time
    may pass but no part may overrun. ``processes`` is how many processes a solver may
    run side by side (only ``auto`` uses more than one).
    """

    time_limit: float | None
    seed: int
    progress: ProgressCallback | None
    started: float
    start: tuple[RoundSeating, ...] | None = None
    frozen: int = 0
    limit: float | None = None
    processes: int = 1

    @property
    def fixed(self) -> tuple[RoundSeating, ...]:
        """The rounds no solver may change."""
        return self.start[: self.frozen] if self.start else ()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def remaining(self, default: float) -> float:
        """Seconds left, counting from ``started``; ``default`` stands in for no limit."""
        limit = default if self.time_limit is None else self.time_limit
        return max(0.0, limit - self.elapsed())

    def share(self, fraction: float, default: float) -> Budget:
        """A budget for the next ``fraction`` of the time left (``default`` standing in for no limit)."""
        until = self.elapsed() + fraction * self.remaining(default)
        return replace(self, time_limit=until)

    def overrun(self) -> bool:
        """Whether the whole solve's time limit is reached."""
        return self.limit is not None and self.elapsed() >= self.limit

    def report(self, message: str, best: dict[str, object] | None = None) -> None:
        if self.progress is not None:
            self.progress(Progress(round(self.elapsed(), 3), message, best))


@dataclass(frozen=True)
class Outcome:
    """A solver's answer: the seating, what is proven about it, and notes for the plan's metadata."""

    rounds: tuple[RoundSeating, ...]
    status: str
    optimal: bool = False
    objective_bound: float | None = None
    notes: tuple[str, ...] = ()
    interrupted: bool = False


def seating_from_tables(
    event: Event, table_of: Sequence[Mapping[str, str]], first_round: int = 1
) -> tuple[RoundSeating, ...]:
    """Rounds ``first_round``, ... built from person -> table maps (one per round), tables in each round's order."""
    rounds = []
    for r, assignment in enumerate(table_of, start=first_round):
        order = {t.id: i for i, t in enumerate(event.tables_in(r))}
        members: dict[str, list[str]] = {}
        for pid in event.present(r):
            members.setdefault(assignment[pid], []).append(pid)
        tables = tuple(
            TableSeating(table=t, participants=tuple(people))
            for t, people in sorted(members.items(), key=lambda item: order[item[0]])
        )
        rounds.append(RoundSeating(round=r, tables=tables))
    return tuple(rounds)
