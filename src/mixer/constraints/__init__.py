"""The rules a plan must keep, one module per kind of rule.

``BUILT_IN`` rules hold for every event; ``RuleSpec`` lists the kinds an event
file may add under ``[[rules]]``. To add a kind: write its module following
:mod:`mixer.constraints.base` and add its class to ``RuleSpec``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Union

from pydantic import Field

from mixer.constraints.at_least import AtLeast
from mixer.constraints.base import Problem, Rule, Violation
from mixer.constraints.cap import Cap
from mixer.constraints.host import Host
from mixer.constraints.keep_apart import KeepApart
from mixer.constraints.keep_together import KeepTogether
from mixer.constraints.new_table import NewTable
from mixer.constraints.pin import Pin
from mixer.constraints.seated_once import SeatedOnce
from mixer.constraints.stay import Stay
from mixer.constraints.table_capacity import TableCapacity
from mixer.constraints.terms import CountTerm, PairTerm, SeatTerm, Term, VisitTerm

if TYPE_CHECKING:
    from mixer.model import Event

RuleSpec = Annotated[
    Union[KeepApart, KeepTogether, Pin, Host, Cap, AtLeast, NewTable, Stay], Field(discriminator="kind")
]

BUILT_IN: tuple[Rule, ...] = (TableCapacity(), SeatedOnce())


def rules_for(event: Event) -> list[Rule]:
    """Every rule that holds for the event: the built-in ones, then the event's own."""
    return [*BUILT_IN, *event.rules]


def rule_kinds(event: Event) -> list[str]:
    """The kinds of rule in force, each once, in order."""
    return list(dict.fromkeys(rule.kind for rule in rules_for(event)))


__all__ = [
    "AtLeast",
    "BUILT_IN",
    "Cap",
    "CountTerm",
    "Host",
    "KeepApart",
    "KeepTogether",
    "NewTable",
    "PairTerm",
    "Pin",
    "Problem",
    "Rule",
    "RuleSpec",
    "SeatTerm",
    "SeatedOnce",
    "Stay",
    "TableCapacity",
    "Term",
    "Violation",
    "VisitTerm",
    "rule_kinds",
    "rules_for",
]
