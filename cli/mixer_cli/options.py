"""Options shared by several commands, as decorators."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any, TypeVar

import click

AUTO = "auto"  # mixer.solvers.AUTO, repeated so that options load without the solvers

F = TypeVar("F", bound=Callable[..., Any])

FILE = click.Path(dir_okay=False, path_type=Path)


def _one_layout(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """``--table-size`` and ``--tables`` say the same thing two ways: allow one at most."""
    other = "tables" if param.name == "table_size" else "table_size"
    if value is not None and ctx.params.get(other) is not None:
        raise click.UsageError("use --table-size or --tables, not both", ctx)
    return value


def event_options(command: F) -> F:
    """``--event``, ``--rounds``, ``--table-size`` and ``--tables``; given values override the event file's."""
    for option in reversed(
        [
            click.option("--event", "event_file", type=FILE, metavar="FILE", help="Event settings (TOML)."),
            click.option("--rounds", type=click.IntRange(min=1), metavar="R", help="Number of rounds."),
            click.option(
                "--table-size", type=click.IntRange(min=1), callback=_one_layout, metavar="K",
                help="Seat at most K people per table (tables balanced).",
            ),
            click.option(
                "--tables", type=click.IntRange(min=1), callback=_one_layout, metavar="T",
                help="Use T tables (people spread evenly).",
            ),
        ]
    ):
        command = option(command)
    return command


class LazyChoice(click.Choice):
    """Choices looked up only when an option is parsed or shown, so that loading the command stays light."""

    def __init__(self, module: str, name: str) -> None:
        self._where = (module, name)
        super().__init__([])

    @property
    def choices(self) -> Sequence[str]:  # type: ignore[override]
        found = getattr(import_module(self._where[0]), self._where[1])
        return list(found() if callable(found) else found)

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # set by click.Choice.__init__; the module named is the truth


def solver_options(default_time_limit: float) -> Callable[[F], F]:
    """``--solver``, ``--time-limit`` and ``--seed``."""

    def decorate(command: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--solver", type=LazyChoice("mixer.solvers", "solver_names"), default=AUTO, show_default=True,
                    help=f"{AUTO} = local (tabu search from a greedy start); cpsat proves optimality or that rules clash.",
                ),
                click.option(
                    "--time-limit", type=click.FloatRange(min=0, min_open=True), default=default_time_limit,
                    show_default=True, metavar="S", help="Seconds the solver may take.",
                ),
                click.option("--seed", type=int, default=0, show_default=True, help="Random seed."),
            ]
        ):
            command = option(command)
        return command

    return decorate


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout instead.")
