"""``auto``: a portfolio that hands the best plan so far from one solver to the next.

1. A start: a construction from a combinatorial design when one fits, and the
   greedy plan; the better one by :mod:`mixer.scoring`.
2. On a small event (CP-SAT can prove the optimum): the tabu search for a
   share of the time, then the whole CP-SAT model hinted with its plan, then
   the tabu search again, unless CP-SAT proved the plan optimal (then it stops,
   and says so).
3. With one round left to seat: the tabu search alone, all the time left (it
   prices every swap of the round and shakes its best plan when stuck).
4. Otherwise the tabu search, and when a spell of it finds nothing better,
   a spell of CP-SAT neighbourhood search from the best plan; in turn until
   the time is up or the plan meets both bounds. Once the plan has no repeat
   and breaks no hard rule, only value is left, and two searches raise it:
   the tabu search re-seating round by round, and CP-SAT re-grouping whole
   tables of a round (:mod:`mixer.solvers.cpsat_groups`). Which wins depends
   on the event (on a 50-person cohort over 6 rounds CP-SAT gains 10 value
   points more; on 120 people the tabu search gains 4 more, and every second
   of its time counts), so each has a short probe (a tenth of the time left),
   the tabu search first: it often meets the value bound at once on small
   cohorts, where CP-SAT creeps up to it. CP-SAT then has spells of half the
   time left while they gain; after a spell in vain the tabu search has all
   the time left.

Every part starts from the best plan so far and never returns a worse one, so
``auto`` is never worse than its start. Ctrl-C in any part ends the portfolio
with the best plan so far. Without a time limit it runs only the start and a
fixed number of tabu moves, so a seed always gives one plan.

With ``budget.processes`` above one (a time limit of 2 s or more on a machine
with two cores, by default), the portfolio runs as that many lines side by
side, each with a seed of its own (:mod:`mixer.solvers.side_by_side`), and the
best line's plan is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from mixer.model import Event, RoundSeating
from mixer.scoring import PairTable, Score, score_rounds
from mixer.solvers.common import Budget, Outcome
from mixer.solvers.construction import design_start
from mixer.solvers.cpsat import fits_whole_model, solve_cpsat
from mixer.solvers.greedy import solve_greedy
from mixer.solvers.local_search import solve_local
from mixer.solvers.side_by_side import SEED_STRIDE, run_lines

DEFAULT_TIME_LIMIT = 10.0
DESIGN_SHARE = 0.3  # of the time, at most, for placing people on a design's points (it stops when no swap helps)
GREEDY_SHARE = 0.05  # of the time, for the greedy plan
LOCAL_FIRST_SHARE = 0.75  # of the time left, for the tabu search before the whole CP-SAT model of a small event
WHOLE_MODEL_SHARE = 0.5  # of the time left then, for the whole model; the tabu search has the rest
LOCAL_SPELL = 0.5  # of the time left, for a spell of tabu search on a larger event
CPSAT_SPELL = 0.3  # of the time left, for a spell of CP-SAT neighbourhoods
VALUE_SPELL = 0.5  # of the time left, for a spell of CP-SAT re-grouping once only value is left
VALUE_PROBE = 0.1  # of the time left, for each probe of the value phase: the tabu search's, then CP-SAT's
SHORTEST_SPELL = 0.5  # seconds; less time than this left goes to one last tabu spell
DESIGN_NOTE = "start: a combinatorial design"


def solve_auto(event: Event, budget: Budget) -> Outcome:
    """The portfolio above, in ``budget.processes`` lines side by side under a time limit."""
    if budget.processes < 2 or budget.time_limit is None:
        return _line(event, budget)
    outcomes, interrupted = run_lines(partial(_line, event), budget, budget.processes)
    if not outcomes:
        raise KeyboardInterrupt
    pairs = PairTable.of(event)
    scored = [(score_rounds(event, outcome.rounds, pairs), k, outcome) for k, outcome in outcomes]
    score, k, best = min(scored, key=lambda entry: (entry[0].key(), entry[1]))
    budget.report(f"the best of {budget.processes} lines side by side", score.summary())
    notes = (*(n for n in best.notes if not n.startswith("interrupted")),
             f"{budget.processes} lines side by side: kept the plan of the line seeded {budget.seed + k * SEED_STRIDE}")
    if interrupted:
        notes += ("interrupted: the best plan found so far is kept",)
    return replace(best, notes=notes, interrupted=interrupted)


def _line(event: Event, budget: Budget) -> Outcome:
    """One line of the portfolio: start, tabu search, CP-SAT (whole on small events, else neighbourhoods unless
    one round)."""
    pairs = PairTable.of(event)
    notes: list[str] = []
    best = _Best(event, pairs, notes, *_start(event, budget, pairs, notes))
    spell = 0
    try:
        if best.interrupted or best.score.meets_bounds:
            pass
        elif budget.time_limit is None:
            best.run(solve_local, replace(budget, start=best.rounds))
        elif fits_whole_model(event, budget.frozen):
            import ortools.sat.python.cp_model  # noqa: F401  (loaded now, not in CP-SAT's share: 0.2-0.8 s)

            parts = ((solve_local, LOCAL_FIRST_SHARE), (solve_cpsat, WHOLE_MODEL_SHARE), (solve_local, 1.0))
            for solver, share in parts:
                best.run(solver, _spell(budget, best.rounds, share, spell))
                spell += 1
                if best.interrupted or best.score.meets_bounds or best.proven:
                    break
        elif event.rounds - budget.frozen == 1:
            best.run(solve_local, _spell(budget, best.rounds, 1.0, spell))
        else:
            spell = _repeat_phase(best, budget, spell)
            if best.score.only_value_left:
                _value_phase(best, budget, spell)
    except KeyboardInterrupt:
        best.interrupted = True
    if best.interrupted:
        notes.append("interrupted: the best plan found so far is kept")
    optimal = best.score.meets_bounds or best.proven
    rounds = (*budget.fixed, *best.rounds[budget.frozen :])
    return Outcome(rounds, "optimal" if optimal else "feasible", optimal, notes=tuple(notes),
                   interrupted=best.interrupted)


def _repeat_phase(best: _Best, budget: Budget, spell: int) -> int:
    """While repeats or broken rules are left: tabu spells, and after each in vain a CP-SAT spell. Returns the
    number of spells run so far."""
    solver = solve_local
    while _may_go_on(best, budget) and not best.score.only_value_left:
        share = 1.0 if budget.remaining(DEFAULT_TIME_LIMIT) < SHORTEST_SPELL else (
            LOCAL_SPELL if solver is solve_local else CPSAT_SPELL)
        before = best.score.key()
        best.run(solver, _spell(budget, best.rounds, share, spell))
        spell += 1
        if solver is solve_cpsat or best.score.key() == before:
            solver = solve_cpsat if solver is solve_local else solve_local
    return spell


def _value_phase(best: _Best, budget: Budget, spell: int) -> None:
    """Once only value is left: a tabu probe, then a CP-SAT re-grouping probe; CP-SAT keeps the time in spells
    while they gain, and the tabu search has the rest."""
    for solver in (solve_local, solve_cpsat):  # the probes
        if not _may_go_on(best, budget):
            return
        before = best.score.key()
        best.run(solver, _spell(budget, best.rounds, VALUE_PROBE, spell))
        spell += 1
    while _may_go_on(best, budget):
        if best.score.key() == before:  # the last CP-SAT spell (or probe) was in vain
            solver = solve_local
        last = solver is solve_local or budget.remaining(DEFAULT_TIME_LIMIT) < SHORTEST_SPELL
        before = best.score.key()
        best.run(solver, _spell(budget, best.rounds, 1.0 if last else VALUE_SPELL, spell))
        spell += 1


def _may_go_on(best: _Best, budget: Budget) -> bool:
    """Whether another spell may run: time left, no Ctrl-C, and the bounds not both met."""
    return not (best.interrupted or best.score.meets_bounds) and budget.remaining(DEFAULT_TIME_LIMIT) > 0.05


@dataclass
class _Best:
    """A line's best plan so far, kept as its parts run one after another."""

    event: Event
    pairs: PairTable
    notes: list[str]  # what the parts said, without what every part says
    rounds: tuple[RoundSeating, ...]
    score: Score
    interrupted: bool
    proven: bool = False  # a part proved its plan optimal: the plan kept, never worse, is optimal too

    def run(self, solver: Callable[[Event, Budget], Outcome], part: Budget) -> None:
        """Run one part from ``part.start``; keep its plan only if it scores better."""
        outcome = solver(self.event, part)
        found = score_rounds(self.event, outcome.rounds, self.pairs)
        self.notes.extend(n for n in outcome.notes
                          if n != "started from the given plan" and not n.startswith("interrupted"))
        if found.better_than(self.score):
            self.rounds, self.score = outcome.rounds, found
        self.interrupted = outcome.interrupted
        self.proven = self.proven or outcome.optimal


def _start(event: Event, budget: Budget, pairs: PairTable,
           notes: list[str]) -> tuple[tuple[RoundSeating, ...], Score, bool]:
    """The better of a design-built plan (when a design fits) and the greedy plan, or the given start.

    A design-built plan that meets both bounds is taken at once, with no greedy plan.
    """
    if budget.start is not None:
        notes.append("started from the given plan")
        return budget.start, score_rounds(event, budget.start, pairs), False
    timed = budget.time_limit is not None
    budget.report("construction")
    designed = design_start(event, budget.share(DESIGN_SHARE, DEFAULT_TIME_LIMIT) if timed else budget)
    design = (designed, score_rounds(event, designed, pairs)) if designed is not None else None
    if design is not None and design[1].meets_bounds:  # nothing can beat it
        return _started(budget, notes, DESIGN_NOTE, *design, interrupted=False)
    greedy = solve_greedy(event, budget.share(GREEDY_SHARE, DEFAULT_TIME_LIMIT) if timed else budget)
    score = score_rounds(event, greedy.rounds, pairs)
    if design is not None and design[1].key() <= score.key():
        return _started(budget, notes, DESIGN_NOTE, *design, interrupted=greedy.interrupted)
    said = ', '.join(n for n in greedy.notes if not n.startswith("interrupted"))  # said once, at the end
    return _started(budget, notes, f"start: greedy ({said})", greedy.rounds, score,
                    interrupted=greedy.interrupted)


def _started(budget: Budget, notes: list[str], note: str, rounds: tuple[RoundSeating, ...], score: Score,
             interrupted: bool) -> tuple[tuple[RoundSeating, ...], Score, bool]:
    """The start chosen: noted and reported."""
    notes.append(note)
    budget.report("start", score.summary())
    return rounds, score, interrupted


def _spell(budget: Budget, start: tuple[RoundSeating, ...], share: float, spell: int) -> Budget:
    """A budget for the next ``share`` of the time left, from ``start``, with a seed of its own."""
    until = budget.elapsed() + share * budget.remaining(DEFAULT_TIME_LIMIT)
    return replace(budget, start=start, time_limit=until, seed=budget.seed + spell)
