"""Sentences for people: validation errors that name the field and value at fault, and did-you-mean hints."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pydantic import ValidationError


def describe_validation_error(exc: ValidationError) -> str:
    """One line per error: where it is (dotted path), what is wrong, and the value given."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "value"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] in ("missing",):
            lines.append(f"{where}: is required")
        elif "input" in error and error["type"] not in ("value_error",) and not isinstance(error["input"], (dict, list)):
            lines.append(f"{where}: {message} (got {error['input']!r})")
        else:
            lines.append(f"{where}: {message}")
    return "; ".join(lines)


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """A hint naming the closest of ``choices`` to a misspelt ``word``, else listing them all."""
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(choices)}"
