"""Options shared by several commands, as decorators."""

from __future__ import annotations

import functools
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


def _round_sizes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[int, int] | None:
    """``--round-size 1=2 --round-size 5=8`` as {round: group size}; None if not given."""
    sizes: dict[int, int] = {}
    for value in values:
        round_text, _, size_text = value.partition("=")
        try:
            round_no, size = int(round_text), int(size_text)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not ROUND=SIZE, like 1=2", ctx, param) from None
        if round_no < 1 or size < 1:
            raise click.BadParameter(f"{value!r}: the round and the size must be at least 1", ctx, param)
        if round_no in sizes:
            raise click.BadParameter(f"round {round_no} is given a size more than once", ctx, param)
        sizes[round_no] = size
    return sizes or None


round_size_option = click.option(
    "--round-size", "round_sizes", multiple=True, callback=_round_sizes, metavar="R=K",
    help="Seat round R in its own groups of at most K (balanced), instead of at the tables. Repeatable.",
)


def _column(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Gather ``--level-column`` and the like into one ``columns`` mapping: field -> heading."""
    columns = ctx.params.setdefault("columns", {})
    if value:
        columns[str(param.name).removesuffix("_column")] = value


def _column_option(field: str, example: str) -> Callable[[F], F]:
    return click.option(
        f"--{field}-column", callback=_column, expose_value=False, metavar="HEADING",
        help=f"The list's column that holds each person's {field} (e.g. {example!r}); overrides [columns] {field}.",
    )


def event_options(command: F) -> F:
    """``--event``, ``--rounds``, ``--table-size``, ``--tables``, ``--round-size`` and the column options.

    Given values override the event file's.

    The column options reach the command as one ``columns`` mapping (field -> heading).
    """
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
                help="Use exactly T tables, sizes differing by one at most.",
            ),
            round_size_option,
            _column_option("organisation", "Employer"),
            _column_option("sector", "Staff group"),
            _column_option("level", "Band/Grade"),
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


def _people_rule(kind: str) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], list[dict[str, Any]]]:
    """A callback turning each "A,B" (or "A;B" when names hold commas) into a rule naming those people."""

    def parse(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[dict[str, Any]]:
        rules = []
        for value in values:
            people = [p.strip() for p in value.split(";" if ";" in value else ",") if p.strip()]
            if len(people) < 2:
                raise click.BadParameter(f"{value!r} names {len(people)} person; give two or more, like \"Ann Lee,Bob Ng\"")
            rules.append({"kind": kind, "people": people, "origin": f"--{kind.replace('_', '-')}"})
        return rules

    return parse


def _caps(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each "organisation=1" as a hard cap rule."""
    rules = []
    for value in values:
        attribute, _, most = value.partition("=")
        if not attribute.strip() or not most.strip().isdigit() or int(most) < 1:
            raise click.BadParameter(f"{value!r} is not ATTRIBUTE=N, like organisation=1")
        rules.append({"kind": "cap", "attribute": attribute.strip(), "max": int(most), "origin": f"--cap {value}"})
    return rules


def rule_options(command: F) -> F:
    """``--keep-apart``, ``--keep-together`` and ``--cap`` (each repeatable), passed on as ``rules``."""

    @functools.wraps(command)
    def with_rules(*args: Any, keep_apart: list[dict[str, Any]], keep_together: list[dict[str, Any]],
                   cap: list[dict[str, Any]], **kwargs: Any) -> Any:
        return command(*args, rules=[*keep_apart, *keep_together, *cap], **kwargs)

    for option in reversed(
        [
            click.option("--keep-apart", multiple=True, callback=_people_rule("keep_apart"), metavar='"A,B"',
                         help="These people never share a table (names or ids). Repeatable."),
            click.option("--keep-together", multiple=True, callback=_people_rule("keep_together"), metavar='"C,D"',
                         help="These people always share a table. Repeatable."),
            click.option("--cap", multiple=True, callback=_caps, metavar="ATTRIBUTE=N",
                         help="At most N people with one value of ATTRIBUTE (any column) per table. Repeatable."),
        ]
    ):
        with_rules = option(with_rules)
    return with_rules  # type: ignore[return-value]


def solver_options(default_time_limit: float) -> Callable[[F], F]:
    """``--solver``, ``--time-limit``, ``--seed`` and ``--processes``."""

    def decorate(command: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--solver", type=LazyChoice("mixer.solvers", "solver_names"), default=AUTO, show_default=True,
                    help=f"{AUTO} = the others in turn: a design or greedy start, tabu search, CP-SAT; cpsat proves optimality "
                         "or that rules clash.",
                ),
                click.option(
                    "--time-limit", type=click.FloatRange(min=0, min_open=True), default=default_time_limit,
                    show_default=True, metavar="S", help="Seconds the solver may take.",
                ),
                click.option("--seed", type=int, default=0, show_default=True, help="Random seed."),
                click.option(
                    "--processes", type=click.IntRange(min=1), default=None, metavar="N",
                    help=f"Processes {AUTO} runs side by side, each with its own seed, keeping the best plan "
                         "[default: one per core, up to 2, for time limits of 2 s or more].",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object to stdout instead.")
