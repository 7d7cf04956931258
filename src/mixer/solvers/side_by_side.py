"""Lines of a search side by side, one process each, on a machine with cores to spare.

The line in this process runs as usual; each other line is forked from it with a seed of its own,
sends its best score as it improves (merged into this process's progress reports) and its plan
when it ends. Ctrl-C reaches every line (a terminal interrupts the whole process group, and an
interrupt raised in this process, say by a progress callback, is passed on), and each line then
sends the best plan it has. Forking is only used where it is cheap and safe: on Linux, outside
daemonic processes (a multiprocessing pool's); elsewhere there is one line.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mixer.scoring import summary_key
from mixer.solvers.common import Budget, Outcome, Progress, ProgressCallback

PARALLEL_FROM = 2.0  # seconds of time limit from which a second line is worth its fork
MOST_LINES = 2
SEED_STRIDE = 1000  # line k's seed is the solve's seed + k * SEED_STRIDE
HEADSTART = 0.1  # seconds before the limit at which the other lines end, so that their plans arrive in time
NOTICE = 0.5  # seconds past the limit (or past Ctrl-C, which reaches every line) for a line to send its plan
LATE = 1.0  # seconds more once a line still running has been interrupted; then it is given up
TELL_EVERY = 0.2  # seconds between a line's progress messages, at least

Line = Callable[[Budget], Outcome]


def default_processes(time_limit: float | None) -> int:
    """Lines for a solve by default: one per usable core, up to MOST_LINES, under a limit of PARALLEL_FROM s or more;
    one when called from a thread other than the main one (a web server's worker, say: forking a process that
    runs many threads is best avoided)."""
    if time_limit is None or time_limit < PARALLEL_FROM or not can_fork():
        return 1
    if threading.current_thread() is not threading.main_thread():
        return 1
    return min(MOST_LINES, usable_cores())


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux") and not multiprocessing.current_process().daemon


def run_lines(line: Line, budget: Budget, processes: int) -> tuple[list[tuple[int, Outcome]], bool]:
    """Run ``line`` here (line 0) and in ``processes - 1`` forked processes (line k seeded ``budget.seed + k *
    SEED_STRIDE``). Returns the outcomes that came back, by line, and whether this line was interrupted.

    Needs a time limit. When this line's plan is proven optimal the others end at once; a line that fails or
    sends nothing in time is left out.
    """
    assert budget.time_limit is not None, "lines side by side need a time limit"
    context = multiprocessing.get_context("fork")
    others = []
    for k in range(1, processes):
        try:
            others.append(_Other.start(context, line, budget, k))
        except OSError:  # no fork to be had (process or memory limits): fewer lines
            break
    for other in others:
        other.listen()
    try:
        own = line(replace(budget, progress=_merged(budget.progress, others)))
    except KeyboardInterrupt:  # outside any part's own handler: nothing of this line to keep
        own = None
    except BaseException:
        for other in others:
            other.stop()
        raise
    interrupted = own is None or own.interrupted
    if own is not None and own.optimal:
        for other in others:
            other.stop()
    else:
        _collect(others, budget, interrupted)
    outcomes = [(k, o) for k, o in enumerate((own, *(other.outcome for other in others))) if o is not None]
    return outcomes, interrupted


def _collect(others: list[_Other], budget: Budget, interrupted: bool) -> None:
    """Wait for the other lines' plans: until the limit (not when interrupted) and NOTICE s more, then interrupt
    the lines still running and wait LATE s more; end them all."""
    try:
        if not interrupted:
            _wait(others, budget.remaining(0.0))
        _wait(others, NOTICE)
    except KeyboardInterrupt:
        pass
    for other in others:
        other.interrupt()
    _wait(others, LATE)
    for other in others:
        other.stop()


def _wait(others: list[_Other], seconds: float) -> None:
    until = time.perf_counter() + seconds
    for other in others:
        other.done.wait(max(0.0, until - time.perf_counter()))


@dataclass
class _Other:
    """Another line: its process, the pipe its messages come through, and what it has said."""

    process: multiprocessing.process.BaseProcess
    reader: object
    best: dict[str, object] | None = None
    outcome: Outcome | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def start(cls, context, line: Line, budget: Budget, k: int) -> _Other:  # type: ignore[no-untyped-def]
        reader, writer = context.Pipe(duplex=False)
        limit = max(0.0, (budget.time_limit or 0.0) - HEADSTART)  # run_lines needs a time limit
        theirs = replace(budget, seed=budget.seed + k * SEED_STRIDE, progress=None, time_limit=limit,
                         limit=limit if budget.limit is None else min(budget.limit, limit))
        process = context.Process(target=_line_process, args=(line, theirs, writer), name=f"mixer line {k + 1}")
        process.start()
        writer.close()
        return cls(process, reader)

    def listen(self) -> None:
        """Read the line's messages on a thread of this process until its plan comes or its pipe closes."""
        threading.Thread(target=self._read, name=f"{self.process.name} reader", daemon=True).start()

    def _read(self) -> None:
        try:
            while True:
                kind, payload = self.reader.recv()
                if kind == "best":
                    self.best = payload
                else:
                    self.outcome = payload
                    return
        except (EOFError, OSError):
            return
        finally:
            self.done.set()

    def interrupt(self) -> None:
        if not self.done.is_set() and self.process.is_alive():
            os.kill(self.process.pid, signal.SIGINT)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(LATE)


def _line_process(line: Line, budget: Budget, writer) -> None:  # type: ignore[no-untyped-def]
    """A forked line: run, tell the best score now and then, send the outcome; never print a traceback."""
    teller = _Teller(writer)
    try:
        outcome = line(replace(budget, progress=teller))
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a late Ctrl-C must not cut the plan short on its way
        writer.send(("outcome", outcome))
    except BaseException:  # noqa: BLE001 - the line ends without a plan; the others go on
        os._exit(1)
    os._exit(0)


@dataclass
class _Teller:
    """A forked line's progress callback: its best score, at most every TELL_EVERY s."""

    writer: object
    told: float = float("-inf")

    def __call__(self, progress: Progress) -> None:
        now = time.perf_counter()
        if progress.best is not None and now - self.told >= TELL_EVERY:
            self.writer.send(("best", progress.best))
            self.told = now


def _merged(progress: ProgressCallback | None, others: list[_Other]) -> ProgressCallback | None:
    """This line's progress callback, reporting the best score of every line."""
    if progress is None:
        return None

    def report(update: Progress) -> None:
        best = update.best
        for other in others:
            if best is not None and other.best is not None and summary_key(other.best) < summary_key(best):
                best = other.best
        progress(replace(update, best=best))

    return report

