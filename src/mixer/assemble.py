"""Put an event together from a participant list, event settings and command-line values, and check it.

Values given on the command line override the event file's. People in rules
and attendance are found by :class:`mixer.people.PeopleIndex` (id, email, or
name ignoring case, accents and spacing); earlier plans given as history are
matched person by person (:func:`mixer.people.follow_history`). Every problem
is collected before anything is raised, so a facilitator fixes their files in
one pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from mixer.clashes import find_clash, quick_clashes
from mixer.constraints import RuleSpec, rules_for
from mixer.constraints.base import Problem, column_key, round_layouts
from mixer.errors import InputError
from mixer.io.event_file import EventSettings, parse_event_settings
from mixer.io.messages import describe_validation_error, did_you_mean
from mixer.io.pair_values import read_pair_values
from mixer.io.participants import read_participants
from mixer.layout import numbered_capacities
from mixer.model import Event, History, PairValue, Participant, Plan, RoundTables, Table
from mixer.people import PeopleIndex, fold, follow_history
from mixer.repeat_bound import forced_repeats

YES = ("yes", "y", "true", "1", "x")
NO = ("no", "n", "false", "0", "")
RULE_KINDS = tuple(spec.model_fields["kind"].default for spec in get_args(get_args(RuleSpec)[0]))


@dataclass(frozen=True)
class _Given:
    """Values given on the command line; each one set overrides the event file's."""

    rounds: int | None = None
    table_size: int | None = None
    table_count: int | None = None
    history: History | None = None
    name: str | None = None
    history_plans: tuple[tuple[str, Plan], ...] = ()
    pair_values: Path | None = None
    columns: tuple[tuple[str, str], ...] = ()
    known_pairs: Path | None = None
    wanted_pairs: Path | None = None
    rules: tuple[dict[str, Any], ...] = ()
    round_sizes: dict[int, int] | None = None


def assemble_event(
    participants: Iterable[Participant],
    settings: EventSettings | None = None,
    *,
    rounds: int | None = None,
    table_size: int | None = None,
    table_count: int | None = None,
    history: History | None = None,
    name: str | None = None,
    id_source: str | None = None,
    pair_values: str | Path | None = None,
    round_sizes: dict[int, int] | None = None,
) -> Event:
    """The event to plan; raises InputError listing every fatal problem at once.

    ``round_sizes`` (round -> group size, as ``--round-size``) gives those rounds their own groups.
    """
    given = _Given(rounds, table_size, table_count, history, name, pair_values=_path(pair_values),
                   round_sizes=round_sizes)
    event, problems = _assemble(tuple(participants), settings or EventSettings(), given, id_source)
    return _event_or_raise(event, problems)


def load_event(
    participants_path: str | Path,
    event_path: str | Path | None = None,
    *,
    rounds: int | None = None,
    table_size: int | None = None,
    table_count: int | None = None,
    history: History | None = None,
    name: str | None = None,
    history_plans: Sequence[tuple[str, Plan]] = (),
    pair_values: str | Path | None = None,
    columns: Mapping[str, str] | None = None,
    known_pairs: str | Path | None = None,
    wanted_pairs: str | Path | None = None,
    rules: Sequence[Mapping[str, Any]] = (),
    round_sizes: dict[int, int] | None = None,
) -> tuple[Event, list[Problem]]:
    """Read a participant list and event file into an event; returns it with the warnings.

    ``history_plans`` are earlier plans of the cohort as (file name, plan): their
    people are found in the list by :func:`mixer.people.follow_history` and their
    meetings become the event's history; a note per plan says who was found.
    ``columns`` maps a field to the list's heading for it (``{"level": "Band/Grade"}``),
    over the event file's ``[columns]``. ``known_pairs`` and ``wanted_pairs`` are CSV
    files (over the event file's); ``rules`` are rules given on the command line, as
    ``[[rules]]`` entries with an ``origin`` ("--keep-apart"), added to the file's.
    Raises InputError listing every fatal problem in either file or in the event.
    """
    given = _Given(rounds, table_size, table_count, history, name, tuple(history_plans), _path(pair_values),
                   tuple((columns or {}).items()), _path(known_pairs), _path(wanted_pairs),
                   tuple(dict(rule) for rule in rules), round_sizes)
    event, problems = _gather(participants_path, event_path, given, whole_event=True)
    return _event_or_raise(event, problems), [p for p in problems if not p.fatal]


def check_files(
    participants_path: str | Path,
    event_path: str | Path | None = None,
    *,
    rounds: int | None = None,
    table_size: int | None = None,
    table_count: int | None = None,
    history: History | None = None,
    name: str | None = None,
    pair_values: str | Path | None = None,
    columns: Mapping[str, str] | None = None,
    clash_time_limit: float = 10.0,
    rules: Sequence[Mapping[str, Any]] = (),
    round_sizes: dict[int, int] | None = None,
) -> list[Problem]:
    """Every problem in a participant list and event file, fatal or not, without raising for any.

    With neither an event file nor rounds or tables given, only the list is checked. Rules that
    clash are looked for by CP-SAT for up to ``clash_time_limit`` seconds (:func:`mixer.clashes.find_clash`).
    """
    whole_event = event_path is not None or any(v is not None for v in (rounds, table_size, table_count, round_sizes))
    given = _Given(rounds, table_size, table_count, history, name, pair_values=_path(pair_values),
                   columns=tuple((columns or {}).items()), rules=tuple(dict(rule) for rule in rules),
                   round_sizes=round_sizes)
    event, problems = _gather(participants_path, event_path, given, whole_event)
    if event is not None and not any(p.fatal for p in problems):
        clash = find_clash(event, time_limit=clash_time_limit)
        if clash is not None:
            problems.append(clash.problem())
    return problems


def check_event(event: Event, *, repeats: bool = True) -> list[Problem]:
    """What every rule finds wrong with the event, rules that clash by counting, and warnings about layouts.

    With ``repeats``, and nothing fatal found, a warning too when the rounds force repeats.
    """
    problems = [problem for rule in rules_for(event) for problem in rule.check_event(event)]
    if not any(p.fatal for p in problems):
        problems += [clash.problem() for clash in quick_clashes(event)]
    problems += _layout_warnings(event)
    if repeats and not any(p.fatal for p in problems):
        problems += _repeat_warnings(event)
    return problems


def _repeat_warnings(event: Event) -> list[Problem]:
    """A warning when the rounds asked for are more than the numbers let go without a repeat."""
    forced, free = forced_repeats(event)
    if not forced:
        return []
    return [
        Problem(
            f"{event.rounds} rounds force at least {_count(forced, 'repeat')}: at most {_count(free, 'round')} "
            "can go without one "
            f"(after round {free} the tables must seat people who have met already); plan fewer rounds, "
            "or accept that people meet again",
            where="rounds",
            fatal=False,
        )
    ]


def _path(path: str | Path | None) -> Path | None:
    return Path(path) if path else None


def _event_or_raise(event: Event | None, problems: list[Problem]) -> Event:
    fatal = [p for p in problems if p.fatal]
    if fatal or event is None:
        raise InputError(fatal)
    return event


def _gather(
    participants_path: str | Path,
    event_path: str | Path | None,
    given: _Given,
    whole_event: bool,
) -> tuple[Event | None, list[Problem]]:
    """Read both files and, if ``whole_event``, assemble the event from the usable rows."""
    problems: list[Problem] = []
    participants = settings = None
    id_source = None
    try:
        settings, settings_problems = parse_event_settings(event_path) if event_path else (EventSettings(), [])
        problems += settings_problems
    except InputError as exc:
        problems += exc.problems
    columns = {**(settings.columns if settings else {}), **dict(given.columns)}
    try:
        roster = read_participants(participants_path, columns)
        participants, id_source = roster.participants, roster.id_source
        problems = [*roster.problems, *problems]
    except InputError as exc:
        problems = exc.problems + problems
    if settings is not None and settings.history:
        given = replace(given, history_plans=(*given.history_plans, *_plans(settings.history, problems)))
    if participants is not None and given.history_plans:
        followed = follow_history(participants, id_source, given.history_plans, where=str(participants_path))
        participants = followed.participants
        given = replace(given, history=followed.history)
        problems += followed.problems
        problems += [Problem(str(found), found.source, fatal=False, note=not found.missing) for found in followed.found]
    if participants is None or settings is None or not whole_event:
        return None, problems
    event, more = _assemble(participants, settings, given, id_source)
    return event, problems + more


def _assemble(
    participants: tuple[Participant, ...], settings: EventSettings, given: _Given, id_source: str | None = None
) -> tuple[Event | None, list[Problem]]:
    """The event (None if it cannot be built) and every problem found on the way."""
    problems: list[Problem] = []
    rounds = given.rounds if given.rounds is not None else settings.rounds
    if rounds is None:
        problems.append(Problem("the number of rounds is not set: give --rounds or set `rounds` in the event file"))
    if not participants:
        problems.append(Problem("there is nobody to seat: the participant list has no usable rows"))
    tables = _tables(len(participants), settings, given, problems)
    people = PeopleIndex(participants)
    attendance = _attendance(settings, people, rounds, problems)
    rules = _rules(settings, given.rules, participants, people, problems)
    history = _with_known_pairs(given.history or History(), given.known_pairs or settings.known_pairs, people, problems)
    wanted_file = given.wanted_pairs or settings.wanted_pairs
    wanted = _pair_values(wanted_file, participants, problems, "wanted pairs") if wanted_file else ()
    round_tables = _round_tables(with_round_sizes(settings.round_tables, given.round_sizes or {}), rounds, problems)
    if rounds is None or not tables:
        return None, problems
    values_file = given.pair_values or settings.pair_values
    pair_values = _pair_values(values_file, participants, problems) if values_file else None
    name = given.name or settings.name
    fields: dict[str, Any] = {"name": name} if name else {}
    try:
        event = Event(
            **fields,
            participants=participants,
            tables=tables,
            rounds=rounds,
            weights=settings.weights,
            rules=rules,
            attendance=attendance,
            history=history,
            id_source=id_source,
            round_tables=round_tables,
            pair_values=pair_values,
            wanted_pairs=wanted,
            use_every_table=_table_count(settings, given) is not None,
        )
    except ValidationError as exc:
        return None, problems + [Problem(describe_validation_error(exc), where="event")]
    return event, problems + check_event(event, repeats=not any(p.fatal for p in problems))


def _pair_values(
    path: Path, participants: tuple[Participant, ...], problems: list[Problem], what: str = "pair values"
) -> tuple[PairValue, ...]:
    """The values a pair values (or wanted pairs) file lists; its problems are added to ``problems``."""
    try:
        values, found = read_pair_values(path, PeopleIndex(participants), what)
    except InputError as exc:
        problems.extend(exc.problems)
        return ()
    problems.extend(found)
    return values


def _tables(people: int, settings: EventSettings, given: _Given, problems: list[Problem]) -> tuple[Table, ...]:
    """The explicit tables, or balanced ones from a table size and/or count (command line first)."""
    table_size, table_count = given.table_size, given.table_count
    if table_size is None and table_count is None:
        if settings.tables:
            return settings.tables
        table_size, table_count = settings.table_size, settings.table_count
    if table_size is None and table_count is None:
        problems.append(
            Problem(
                "no tables given: give --table-size or --tables, or set `size` or `count` under [tables] "
                "(or list each table as [[tables]]) in the event file"
            )
        )
        return ()
    if not people:
        return ()  # nobody to seat, reported already
    try:
        return numbered_tables(people, table_size=table_size, table_count=table_count)
    except ValueError as exc:
        problems.append(Problem(str(exc), where="tables"))
        return ()


def _table_count(settings: EventSettings, given: _Given) -> int | None:
    """The number of tables asked for (command line first), if one was."""
    if given.table_size is not None or given.table_count is not None:
        return given.table_count
    return None if settings.tables else settings.table_count


def with_round_sizes(round_tables: Iterable[RoundTables], sizes: dict[int, int]) -> tuple[RoundTables, ...]:
    """``round_tables`` with each round in ``sizes`` (round -> group size) given groups of that size instead."""
    kept = [
        spec.model_copy(update={"rounds": rest})
        for spec in round_tables
        if (rest := tuple(r for r in spec.rounds if r not in sizes))
    ]
    by_size: dict[int, list[int]] = defaultdict(list)
    for r, size in sorted(sizes.items()):
        by_size[size].append(r)
    return (*kept, *(RoundTables(rounds=tuple(rounds), size=size) for size, rounds in by_size.items()))


def _round_tables(
    round_tables: tuple[RoundTables, ...], rounds: int | None, problems: list[Problem]
) -> tuple[RoundTables, ...]:
    """The rounds with their own groups, leaving out (as problems) rounds outside the event or given twice."""
    seen: set[int] = set()
    kept = []
    for spec in round_tables:
        good = []
        for r in spec.rounds:
            if rounds is not None and not 1 <= r <= rounds:
                problems.append(Problem(f"round {r} has its own groups, but the rounds are 1 to {rounds}", "round_tables"))
            elif r in seen:
                problems.append(Problem(f"round {r} is given its own groups more than once", "round_tables"))
            else:
                good.append(r)
                seen.add(r)
        if good:
            kept.append(spec.model_copy(update={"rounds": tuple(good)}))
    return tuple(kept)


def numbered_tables(people: int, table_size: int | None = None, table_count: int | None = None) -> tuple[Table, ...]:
    """Tables "1", "2", ... for ``people``: see :func:`mixer.layout.numbered_capacities`."""
    capacities = numbered_capacities(people, table_size, table_count)
    return tuple(Table(id=str(i), name=f"Table {i}", capacity=c) for i, c in enumerate(capacities, start=1))


def _attendance(
    settings: EventSettings, people: PeopleIndex, rounds: int | None, problems: list[Problem]
) -> dict[str, tuple[int, ...]]:
    """Attendance keyed by participant id; unknown, ambiguous or repeated people are problems."""
    where = _in_file(settings, "[attendance]")
    attendance: dict[str, tuple[int, ...]] = {}
    for ref, attended in settings.attendance.items():
        problem = people.problem(ref, where)
        ids = people.find(ref)
        if problem is not None:
            problems.append(problem)
        elif ids[0] in attendance:
            problems.append(Problem(f"{people.who(ids[0])} is listed more than once", where))
        else:
            bad = [r for r in attended if rounds is not None and not 1 <= r <= rounds]
            if bad:
                problems.append(
                    Problem(f"{people.who(ids[0])} attends round {bad[0]}, but the rounds are 1 to {rounds}", where)
                )
            else:
                attendance[ids[0]] = attended
    return attendance


def _rules(
    settings: EventSettings,
    given: Sequence[dict[str, Any]],
    participants: Sequence[Participant],
    people: PeopleIndex,
    problems: list[Problem],
) -> list[Any]:
    """The event file's rules, then those given on the command line and by the list's columns, people resolved to ids.

    A rule with a problem (such as an unknown person) is left out.
    """
    entries = [
        ({"origin": f"rules entry {number}", **raw}, _in_file(settings, f"rules entry {number}"))
        for number, raw in enumerate(settings.rules, start=1)
    ]
    entries += [(raw, raw.get("origin", "")) for raw in (*given, *column_rules(participants, problems))]
    rules = []
    adapter: TypeAdapter[Any] = TypeAdapter(RuleSpec)
    for spec, where in entries:
        kind = spec.get("kind")
        where += f" ({kind})" if kind else ""
        if kind not in RULE_KINDS:
            problems.append(Problem(_kind_problem(kind), where))
            continue
        spec = dict(spec)
        if isinstance(spec.get("people"), list):
            resolved = _resolve(spec["people"], people, where, problems)
            if resolved is None:
                continue
            spec["people"] = resolved
        if isinstance(spec.get("person"), (str, int)):
            resolved = _resolve([spec["person"]], people, where, problems)
            if resolved is None:
                continue
            spec["person"] = resolved[0]
        try:
            rules.append(adapter.validate_python(spec))
        except ValidationError as exc:
            problems.append(Problem(describe_validation_error(exc), where))
    return rules


def column_rules(participants: Sequence[Participant], problems: list[Problem]) -> list[dict[str, Any]]:
    """Rules the participant list's own columns give: ``host`` (yes/true/1), ``table`` (a pin), ``needs`` (a tag).

    ``needs`` may list several tags separated by ``;``. A ``host`` value that is neither yes nor no is a warning.
    """
    rules: list[dict[str, Any]] = []
    for p in participants:
        for heading, value in p.tags.items():
            column, value = column_key(heading), value.strip()
            origin = f"{heading!r} column"
            if column == "host" and fold(value) in YES:
                rules.append({"kind": "host", "person": p.id, "origin": origin})
            elif column == "host" and fold(value) not in NO:
                problems.append(Problem(f"{p.name}: {heading!r} is {value!r}; write yes or no", origin, fatal=False))
            elif column == "table" and value:
                rules.append({"kind": "pin", "person": p.id, "table": value, "origin": origin})
            elif column == "needs":
                rules += [{"kind": "pin", "person": p.id, "tag": tag.strip(), "origin": origin}
                          for tag in value.split(";") if tag.strip()]
    return rules


def _with_known_pairs(history: History, path: Path | None, people: PeopleIndex, problems: list[Problem]) -> History:
    """``history`` with each pair of a known pairs file counted as met once more."""
    if path is None:
        return history
    try:
        pairs, found = read_pair_values(path, people, "known pairs", valued=False)
    except InputError as exc:
        problems.extend(exc.problems)
        return history
    problems.extend(found)
    counts = history.counts()
    counts.update((pair.a, pair.b) for pair in pairs)
    return History.from_counts(counts)


def _plans(paths: Sequence[Path], problems: list[Problem]) -> list[tuple[str, Plan]]:
    """The earlier plans an event file's ``history`` names, as (file name, plan)."""
    from mixer.io.plan_file import read_plan

    plans = []
    for path in paths:
        try:
            plans.append((str(path), read_plan(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    return plans


def _kind_problem(kind: object) -> str:
    if kind is None:
        return f"the rule has no `kind`; give one of: {', '.join(RULE_KINDS)}"
    return f"unknown kind of rule {kind!r}; {did_you_mean(str(kind), RULE_KINDS)}"


def _resolve(refs: list[Any], people: PeopleIndex, where: str, problems: list[Problem]) -> list[Any] | None:
    """Ids for the people a rule names, or None if anyone named is unknown, ambiguous or named twice."""
    resolved = []
    ok = True
    for ref in refs:
        if isinstance(ref, int) and not isinstance(ref, bool):
            ref = str(ref)  # TOML numbers for numeric ids
        if not isinstance(ref, str):
            resolved.append(ref)  # the rule's own validation reports it
            continue
        problem = people.problem(ref, where)
        if problem is not None:
            problems.append(problem)
            ok = False
            continue
        resolved.append(people.find(ref)[0])
    for pid, times in Counter(resolved).items():
        if times > 1 and pid in people.people:
            problems.append(Problem(f"names {people.who(pid)} {times} times", where))
            ok = False
    return resolved if ok else None


def _in_file(settings: EventSettings, part: str) -> str:
    """Where in the event file: "event.toml, rules entry 2 (keep_together)"."""
    return f"{settings.source}, {part}" if settings.source else part


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _layout_warnings(event: Event) -> list[Problem]:
    """Warnings for rounds nobody attends, tables of one or two that other tables could avoid, and people alone."""
    empty: list[int] = []
    small: dict[str, list[int]] = defaultdict(list)
    alone: list[Problem] = []
    for r, layout in round_layouts(event).items():
        spec = event.round_groups(r)
        if not layout:
            empty.append(r)
        elif spec is not None:
            alone += [
                Problem(
                    f"{spec.describe()} for {sum(layout.values())} people leave one person alone "
                    f"in {event.table(table_id, r).display_name}",
                    where=f"round {r}",
                    fatal=False,
                )
                for table_id, seats in layout.items()
                if seats == 1 and len(layout) > 1
            ]
        elif _groups_of_three_fit(sum(layout.values()), [t.capacity for t in event.tables]):
            for table_id, seats in layout.items():
                if seats <= 2:
                    small[f"{event.table(table_id).display_name} would seat only {seats}"].append(r)
    warnings = [Problem("nobody attends", where=_rounds(empty), fatal=False)] if empty else []
    warnings += [
        Problem(
            f"{message}, though the tables could seat everyone at tables of 3 or more; "
            "list bigger tables first or change capacities",
            where=_rounds(rounds),
            fatal=False,
        )
        for message, rounds in small.items()
    ]
    return warnings + alone


def _groups_of_three_fit(present: int, capacities: list[int]) -> bool:
    """Whether ``present`` people can sit at some of the tables with at least three at each."""
    seats = 0
    for count, capacity in enumerate(sorted((c for c in capacities if c >= 3), reverse=True), start=1):
        seats += capacity
        if 3 * count <= present <= seats:
            return True
    return False


def _rounds(numbers: list[int]) -> str:
    return f"round {numbers[0]}" if len(numbers) == 1 else f"rounds {', '.join(map(str, numbers))}"
