"""Plan files: versioned JSON that a person can read and that round-trips exactly.

Shape (stable; other tools read it)::

    {"format": "mixer-plan", "version": 1,
     "event": {"participants": [{"id": "1", "name": ...}, ...], "tables": [...], ...},
     "rounds": [{"round": 1, "tables": [{"table": "1", "participants": ["4", "17", ...]}, ...]}, ...],
     "metadata": {...}, "score": {...}}
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from mixer.errors import InputError
from mixer.io.atomic import write_atomically
from mixer.io.messages import describe_validation_error
from mixer.model import Plan
from mixer.scoring import score_plan

FORMAT = "mixer-plan"
VERSION = 1
INDENTED_UP_TO = 10_000  # pair values; past this the file is written without indents (460,000 pairs: 4.4 s -> 0.8 s)


def plan_to_json(plan: Plan) -> str:
    """The plan file's text: indented for a reader, unless the event lists more pair values than anyone reads."""
    body = {"format": FORMAT, "version": VERSION, **plan.model_dump(mode="json")}
    if plan.metadata.lineage is None:
        del body["metadata"]["lineage"]  # only re-solved plans have one
    indent = 2 if len(plan.event.pair_values or ()) <= INDENTED_UP_TO else None
    return json.dumps(body, indent=indent, ensure_ascii=False) + "\n"


def write_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan file atomically: an existing file is replaced whole or not at all."""
    write_atomically(path, plan_to_json(plan))


def save_plan(plan: Plan, path: str | Path) -> Path:
    """Write ``plan`` to ``path``, unless it is from an interrupted solve and ``path`` holds a plan at least as good.

    Then the plan goes beside it, as ``NAME.interrupted.json``, so nothing is lost.
    Returns where the plan was written.
    """
    path = Path(path)
    if plan.metadata.interrupted and _holds_plan_as_good(path, plan):
        path = path.with_name(f"{path.stem}.interrupted{path.suffix or '.json'}")
    write_plan(plan, path)
    return path


def _holds_plan_as_good(path: Path, plan: Plan) -> bool:
    try:
        existing = read_plan(path)
    except InputError:
        return path.exists()  # something we cannot read is kept, not overwritten
    return existing.event == plan.event and not score_plan(plan).better_than(score_plan(existing))


def plan_from_json(text: str, source: str = "plan") -> Plan:
    """Parse a plan file's text; errors name the source and the field at fault."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", where=source) from None
    except (ValueError, RecursionError) as exc:  # a number with thousands of digits, nesting too deep
        raise InputError(f"not valid JSON: {exc}", where=source) from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise InputError(f"not a mixer plan file (expected \"format\": \"{FORMAT}\")", where=source)
    version = body.get("version")
    if version != VERSION:
        raise InputError(f"plan file version {version!r} is not supported (this mixer reads version {VERSION})", where=source)
    body = {k: v for k, v in body.items() if k not in ("format", "version")}
    try:
        return Plan.model_validate(body)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc), where=source) from None


def read_plan(path: str | Path) -> Plan:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start} cannot be read)", where=str(path)) from None
    return plan_from_json(text, source=str(path))
