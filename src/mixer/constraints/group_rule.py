"""The fields and wording shared by rules about a named group of people (keep apart, keep together)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from mixer.constraints.base import names_phrase

if TYPE_CHECKING:
    from mixer.model import Event


class GroupRule(BaseModel):
    """Two or more ``people``, with the facilitator's ``note`` and where the rule came from (``origin``).

    Each kind narrows ``kind`` to its own literal, which the event file's ``[[rules]]`` are told apart by.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: str
    people: tuple[str, ...] = Field(min_length=2)
    note: str = ""
    origin: str = ""

    def describe(self, event: Event) -> str:
        return names_phrase(event, self.people)
