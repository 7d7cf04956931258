"""The ``mixer`` command group and its entry point.

Ctrl-C at any moment, even while the first modules load, ends mixer with exit
code 130 and a line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

INTERRUPTED = 130

# Each command's module and function: a command's module is imported only when that command runs
# (or --help lists it), so `mixer check` loads nothing the other commands need.
COMMANDS = {
    "attendance": "mixer_cli.attendance:attendance_command",
    "check": "mixer_cli.check:check_command",
    "demo": "mixer_cli.demo:demo_command",
    "diff": "mixer_cli.resolve:diff_command",
    "export": "mixer_cli.export:export_command",
    "plan": "mixer_cli.plan:plan_command",
    "resolve": "mixer_cli.resolve:resolve_command",
    "score": "mixer_cli.score:score_command",
    "show": "mixer_cli.show:show_command",
}

try:
    import click

    from mixer import __version__
    from mixer_cli.errors import user_errors
except KeyboardInterrupt:
    sys.stderr.write("error: interrupted while starting; nothing was done\n")
    raise SystemExit(INTERRUPTED) from None


class MixerGroup(click.Group):
    """A command group that loads each command on first use and reports input errors in words, not a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(import_module(module), name)
        return command

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


def main() -> None:
    try:
        cli(prog_name="mixer")
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(INTERRUPTED)
