"""The arrays the compiled tabu search works on, built from a seating and turned back into one.

Imports numba (through :mod:`mixer.solvers.tabu_kernel`): only a local search loads this module.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mixer.layout import round_layout
from mixer.constraints import Term
from mixer.model import Event, RoundSeating, TableSeating
from mixer.scoring import PairTable
from mixer.solvers import dense_kernel, round_kernel, tabu_kernel as kernel
from mixer.solvers.term_arrays import TermArrays, compile_terms, event_terms, outweighing

TENURE = (3, 12)  # a moved person stays put in that round for this many moves (drawn at random)
CANDIDATES = 48  # people (in a round) priced per move
PARTNERS = 256  # each priced against everyone in the round, or this many drawn at random when there are more
STALL = 600  # moves without a new best before returning to the best plan and shaking it, while repeats remain
VALUE_STALL_PER_SEAT = 0.5  # the same once none do, per seat planned (at least LEAST_VALUE_STALL)
LEAST_VALUE_STALL = 100
SHAKE = 6  # random swaps in a shake
ROUND_SWAPS_PER_MOVE = 250_000  # the one-round search prices every swap up to this many, else a sample of people
# When every swap is priced (tuned on 10-5-13 and 8-4-11): moves a swapped person may not go back to the table
# they left, and moves without a new best before a shake.
DENSE_TENURE = (5, 15)
DENSE_STALL = 2000
BY_RULE = -1_000_000  # meetings a pair seated together by rule starts from, so theirs never count


class TabuState:
    """A seating of every round as kernel arrays, with the weights that make the cost lexicographic.

    One repeat (``repeat_weight``) outweighs all value and soft terms; one hard
    breach (``hard_cost``) outweighs every possible repeat.
    """

    def __init__(self, event: Event, pairs: PairTable, start: Sequence[RoundSeating], frozen: int, seed: int,
                 terms: Sequence[Term] | None = None) -> None:
        """``terms`` default to every rule's search terms."""
        self.event, self.pairs = event, pairs
        n = len(pairs.ids)
        ids: dict[str, None] = {}
        for r in range(1, event.rounds + 1):
            ids.update(dict.fromkeys(round_layout(event, r)))
        for seating in start:
            ids.update(dict.fromkeys(ts.table for ts in seating.tables))
        self.tables = list(ids)
        largest = max(len(ts.participants) for seating in start for ts in seating.tables)
        terms = event_terms(event) if terms is None else terms
        value = np.where(pairs.history == 0, pairs.value, 0.0)
        self.repeat_weight = outweighing(value, terms, len(self.tables), largest)
        meetings = sum(len(ts.participants) ** 2 for seating in start for ts in seating.tables)
        self.hard_cost = self.repeat_weight * (meetings + 2)
        self.terms: TermArrays = compile_terms(terms, pairs, event.rounds, self.tables, largest, self.hard_cost)
        rounds, width = event.rounds, len(self.tables)
        self.history = pairs.history.astype(np.int32)
        for i, j in pairs.kept_together:  # together by rule: never a repeat, no value (scoring's rule)
            value[i, j] = value[j, i] = 0.0
            self.history[i, j] = self.history[j, i] = BY_RULE
        self.table = np.full((rounds, n), -1, dtype=np.int64)
        self.core = (
            self.table,
            np.zeros((rounds, width, largest), dtype=np.int64),
            np.zeros((rounds, width), dtype=np.int64),
            np.zeros((rounds, n), dtype=np.int64),
            self.history.copy(),
            value,
            np.zeros((rounds, n), dtype=np.int64),
        )
        t = self.terms
        self.kernel_terms = (
            t.seat, t.pair_start, t.pair_other, t.pair_cost, t.count_class, t.count_cost, t.count_round,
            np.zeros((len(t.count_class), rounds, width, t.classes), dtype=np.int64),
            np.zeros((len(t.count_class), rounds, width)),
            t.visit_start, t.visit_round, t.visit_cost,
            np.zeros((len(t.visit_cost), width), dtype=np.int64),
        )
        self.movable = np.array(
            [r >= frozen and len(seating.tables) > 1 for r, seating in enumerate(start)], dtype=np.bool_
        )
        self.tabu = np.zeros((rounds, n), dtype=np.int64)
        self.partner = np.full((rounds, n), -1, dtype=np.int64)
        self.value_stall = max(LEAST_VALUE_STALL, int(VALUE_STALL_PER_SEAT * n * self.movable.sum()))
        self.best_table = self.table.copy()
        self.counters = np.zeros(3, dtype=np.int64)  # iteration, last improvement, shakes since the best
        self.costs = np.zeros(2)  # current and best cost, relative to the start
        self.priced = 0
        # Once every swap is priced (``price_every_swap``), per round, person and table: the cost of sitting there,
        # and the move until which the person may not go back there.
        self.sums: np.ndarray | None = None
        self.dense_tabu: np.ndarray | None = None
        kernel.seed(seed)
        self.load(start)

    def load(self, seating: Sequence[RoundSeating]) -> None:
        """Start again from ``seating`` (its cost counts as zero)."""
        where = {t: i for i, t in enumerate(self.tables)}
        self.table[:, :] = -1
        for r, rs in enumerate(seating):
            for ts in rs.tables:
                for pid in ts.participants:
                    self.table[r, self.pairs.index[pid]] = where[ts.table]
        self.rebuild()
        self.best_table[:, :] = self.table
        self.tabu[:, :] = 0
        if self.sums is not None:
            self.dense_tabu[:, :, :] = 0  # type: ignore[index]
            dense_kernel.fill(self.core, self.repeat_weight, self.sums)
        self.costs[:] = 0.0
        self.counters[1] = self.counters[0]
        self.counters[2] = 0

    def rebuild(self) -> None:
        kernel.rebuild(self.core, self.kernel_terms, self.history)

    def price_every_swap(self) -> None:
        """From now on price every swap of every round on each move (:mod:`mixer.solvers.dense_kernel`).

        For an event without rule terms in which repeats are certain: then nearly
        everyone is in a repeat and the conflict-directed sample is almost blind.
        """
        self.sums = np.zeros((*self.table.shape, len(self.tables)))
        self.dense_tabu = np.zeros(self.sums.shape, dtype=np.int64)
        dense_kernel.fill(self.core, self.repeat_weight, self.sums)

    def swap_cost(self, r: int, p: int, q: int) -> float:
        return float(kernel.swap_cost(self.core, self.kernel_terms, self.repeat_weight, r, p, q))

    def swap(self, r: int, p: int, q: int) -> None:
        kernel.swap(self.core, self.kernel_terms, r, p, q)

    def run(self, iterations: int) -> None:
        """Make up to ``iterations`` tabu moves (see :func:`mixer.solvers.tabu_kernel.run`, or
        :func:`mixer.solvers.dense_kernel.run` once every swap is priced)."""
        if self.sums is not None:
            self.priced += dense_kernel.run(
                self.core, self.kernel_terms, self.repeat_weight, self.sums, self.movable, self.dense_tabu,
                self.best_table, self.counters, self.costs, iterations, *DENSE_TENURE, DENSE_STALL, SHAKE,
                self.history,
            )
            return
        self.priced += kernel.run(
            self.core, self.kernel_terms, self.repeat_weight, self.hard_cost, self.terms.has_hard,
            self.terms.count_hard, self.terms.visit_hard, self.movable, self.tabu, self.partner, self.best_table, self.counters,
            self.costs, iterations, TENURE[0], TENURE[1], CANDIDATES, PARTNERS, STALL, self.value_stall, SHAKE,
            self.history,
        )

    @property
    def moves(self) -> int:
        return int(self.counters[0])

    @property
    def shakes(self) -> int:
        return int(self.counters[2])

    def rounds(self, table: np.ndarray | None = None) -> tuple[RoundSeating, ...]:
        """The seating ``table`` (default: the current one) stands for, tables in the order of ``tables``."""
        table = self.table if table is None else table
        result = []
        for r in range(table.shape[0]):
            members: dict[int, list[str]] = {}
            for p in np.flatnonzero(table[r] >= 0):
                members.setdefault(int(table[r, p]), []).append(self.pairs.ids[p])
            result.append(RoundSeating(round=r + 1, tables=tuple(
                TableSeating(table=self.tables[t], participants=tuple(people)) for t, people in sorted(members.items())
            )))
        return tuple(result)


class RoundSearch:
    """An iterated tabu search over every swap in one round of a :class:`TabuState`, the other rounds held fixed.

    Its best seating of the round is kept in the state's ``best_table``.
    """

    def __init__(self, state: TabuState, r: int) -> None:
        self.state, self.r = state, r
        n, width = state.table.shape[1], len(state.tables)
        self.weight = np.zeros((n, n))
        self.sums = np.zeros((n, width))
        t = state.terms
        self.ruled = bool(t.seat.size or len(t.count_class) or len(t.visit_cost))
        self.tabu = np.zeros((n, width), dtype=np.int64)
        self.counters = np.zeros(3, dtype=np.int64)  # iteration, last improvement, shakes
        self.costs = np.zeros(2)  # current and best cost, relative to the start
        self.priced = 0
        seated = int((state.table[r] >= 0).sum())  # tuned on the 120-person diversity instances
        self.tenure = (max(1, seated // 40), max(2, seated // 12))
        self.shake = (max(2, seated // 20), max(3, seated // 6))
        self.stall = max(100, 8 * seated)
        every = seated * (seated - 1) // 2 <= ROUND_SWAPS_PER_MOVE
        self.rows = n if every else max(1, ROUND_SWAPS_PER_MOVE // seated)
        round_kernel.weights(state.core, state.kernel_terms, state.repeat_weight, r, self.weight)
        round_kernel.table_sums(state.table, r, self.weight, self.sums)
        state.best_table[:, :] = state.table

    def run(self, iterations: int) -> None:
        """Make up to ``iterations`` moves (see :func:`mixer.solvers.round_kernel.run`)."""
        s = self.state
        self.priced += round_kernel.run(
            s.core, s.kernel_terms, self.r, self.weight, self.sums, self.ruled, self.rows, self.tabu, s.best_table[self.r],
            self.counters, self.costs, iterations, *self.tenure, self.stall, *self.shake, s.history,
        )

    @property
    def moves(self) -> int:
        return int(self.counters[0])


def warm_cache() -> None:
    """Compile the kernel once (numba caches it next to the module), so the first real search spends no time on it."""
    from mixer.model import Participant, Table

    people = tuple(Participant(id=str(i), name=str(i)) for i in range(8))
    event = Event(participants=people, tables=(Table(id="A", capacity=4), Table(id="B", capacity=4)), rounds=2)
    start = tuple(
        RoundSeating(round=r, tables=(TableSeating(table="A", participants=("0", "1", "2", "3")),
                                      TableSeating(table="B", participants=("4", "5", "6", "7"))))
        for r in (1, 2)
    )
    state = TabuState(event, PairTable.of(event), start, frozen=0, seed=0)
    state.run(10)
    state.swap_cost(0, 0, 4)
    state.swap(0, 0, 4)
    RoundSearch(state, 0).run(10)
    state.price_every_swap()
    state.run(10)
