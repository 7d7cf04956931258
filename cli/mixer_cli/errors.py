"""One place where errors a user can fix become a message on stderr and an exit code, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from mixer.errors import MixerError

if TYPE_CHECKING:
    from rich.console import Console

    from mixer.constraints import Problem

INTERRUPTED = 130


def stderr() -> Console:
    """A console on stderr (made per use, so it writes to whatever ``sys.stderr`` is now)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def on_error(message: str, code: int = 1) -> NoReturn:
    """Print each line of ``message`` as an error on stderr and exit with ``code``."""
    from rich.text import Text

    console = stderr()
    for line in message.splitlines() or [""]:
        console.print(Text.assemble(("error: ", "bold red"), line))
    sys.exit(code)


def show_problems(problems: Iterable[Problem]) -> None:
    """Print problems on stderr, each marked error (fatal), warning or note (rich is loaded only if there are any)."""
    shown = list(problems)
    if not shown:
        return
    from rich.text import Text

    console = stderr()
    for problem in shown:
        if problem.fatal:
            label = ("error: ", "bold red")
        else:
            label = ("note: ", "cyan") if problem.note else ("warning: ", "yellow")
        console.print(Text.assemble(label, str(problem)))


@contextmanager
def user_errors() -> Iterator[None]:
    """Report mixer's errors, file errors and Ctrl-C in words; exit 1 (or 130 when interrupted)."""
    try:
        yield
    except MixerError as exc:
        on_error(str(exc))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        on_error(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        on_error("interrupted; nothing was written", code=INTERRUPTED)
