"""Errors the library raises for input a person can fix; the CLI shows them without a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when needed, so the command line starts without loading every rule
    from mixer.constraints.base import Problem


class MixerError(Exception):
    """Base of every error mixer reports to a user."""


class InputError(MixerError):
    """The input is wrong; ``problems`` lists every problem found, each naming where it is."""

    def __init__(self, problems: list[Problem] | str, where: str = "") -> None:
        if isinstance(problems, str):
            from mixer.constraints.base import Problem

            problems = [Problem(problems, where=where)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class InfeasibleError(MixerError):
    """No plan can keep every rule; the message says which rules clash."""
