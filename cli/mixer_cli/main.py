"""The ``mixer`` command group and its entry point.

Ctrl-C at any moment, even while the first modules load, ends mixer with exit
code 130 and a line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

INTERRUPTED = 130

try:
    import click

    from mixer import __version__
    from mixer_cli.attendance import attendance_command
    from mixer_cli.check import check_command
    from mixer_cli.demo import demo_command
    from mixer_cli.errors import user_errors
    from mixer_cli.export import export_command
    from mixer_cli.plan import plan_command
    from mixer_cli.resolve import diff_command, resolve_command
    from mixer_cli.score import score_command
    from mixer_cli.show import show_command
except KeyboardInterrupt:
    sys.stderr.write("error: interrupted while starting; nothing was done\n")
    raise SystemExit(INTERRUPTED) from None


class MixerGroup(click.Group):
    """A command group that reports input errors in words instead of a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with user_errors():  # Ctrl-C while the command line is read: 130, not click's "Aborted!" and 1
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        with user_errors():
            return super().invoke(ctx)


@click.group("mixer", cls=MixerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mixer")
def cli() -> None:
    """Seat a workshop cohort at tables over several rounds so people meet as many new people as possible
    and every table mixes organisations, sectors and levels.

    Example:

        mixer plan people.csv --rounds 4 --table-size 5 -o plan.json
    """


for command in (demo_command, plan_command, show_command, score_command, check_command, export_command,
                resolve_command, attendance_command, diff_command):
    cli.add_command(command)


def main() -> None:
    try:
        cli(prog_name="mixer")
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(INTERRUPTED)
