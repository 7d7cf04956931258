"""The live display on stderr while a plan is solved: time used of the limit, phase, best plan, gap to the bounds.

The library reports through its progress callback only; this module turns those
reports into a few lines that redraw several times a second (the clock keeps
running between reports). ``quiet`` shows nothing.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from mixer.solvers import Progress


def best_text(best: dict[str, object]) -> str:
    """The best plan so far in words: repeats and value, each against its bound."""
    repeats, floor = best["repeats"], best.get("repeats_lower_bound")
    value, ceiling, gap = best["value"], best.get("value_upper_bound"), best.get("value_gap")
    text = f"{repeats} repeats" + (f" (at least {floor})" if floor is not None else "")
    text += f", value {value:g}" + (f" of at most {ceiling:g} (gap {gap:g})" if ceiling is not None else "")
    broken = best.get("total_violations")
    if broken:
        text += f", {broken} rules broken"
    return text


class SolveDisplay:
    """A context manager whose ``update`` takes the solver's progress reports."""

    def __init__(self, solver: str, time_limit: float | None, console: Console, quiet: bool = False) -> None:
        self.solver, self.time_limit, self.console, self.quiet = solver, time_limit, console, quiet
        self.started = time.perf_counter()
        self.last: Progress | None = None
        self._live = None

    def __enter__(self) -> SolveDisplay:
        if not self.quiet:
            from rich.live import Live
            from rich.spinner import Spinner

            self._spinner = Spinner("dots", style="cyan")
            self._live = Live(console=self.console, get_renderable=self._render, refresh_per_second=8, transient=True)
            self._live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._live is not None:
            self._live.__exit__(kind, error, tb)

    def update(self, progress: Progress) -> None:
        self.last = progress

    def _render(self) -> RenderableType:
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        elapsed = time.perf_counter() - self.started
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        clock = f"{elapsed:.1f} s" + (f" of {self.time_limit:g} s" if self.time_limit else "")
        head = Table.grid(padding=(0, 1))
        head.add_row(f"Planning with [bold]{self.solver}[/]", clock)
        if self.time_limit:
            head.add_row("", ProgressBar(total=self.time_limit, completed=min(elapsed, self.time_limit), width=30))
        grid.add_row(self._spinner, head)
        phase = self.last.message if self.last else "starting"
        grid.add_row("", f"[dim]phase:[/] {phase}")
        if self.last is not None and self.last.best:
            grid.add_row("", f"[dim]best so far:[/] {best_text(self.last.best)}")
        return grid
