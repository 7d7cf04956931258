"""Who is who: the one place that finds a person from what a facilitator typed or a file holds.

Rules, attendance, history, known and wanted pairs, re-solve and exports all
find people through this module, so "Tomas O Briain" means "Tomás Ó Briain"
everywhere.

- A *reference* typed by a facilitator (:class:`PeopleIndex`) matches, in this
  order: an id exactly, an id or email ignoring case, a name ignoring case,
  accents and extra spaces, and last a unique prefix of a name.
- A *person in another file* (:func:`match_people`, :func:`follow_history`)
  matches by id where both lists had an id column; else by email where both
  people have one; else by name (ignoring case, accents and extra spaces),
  told apart by organisation when names are shared. Ids that are row numbers
  are positions, not identities: ``Event.id_source`` records how ids were made.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from mixer.constraints.base import Problem
from mixer.errors import InputError
from mixer.model import History, Participant, Plan, pairs_of

# Letters that carry no combining accent to strip, written as a reader without the key would type them.
_PLAIN_LETTERS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Text as compared for sameness: case, accents, punctuation spacing and extra spaces ignored (remembered:
    rules fold every participant's attributes each time CP-SAT re-solves part of a plan)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_PLAIN_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def email_of(person: Participant) -> str:
    """A person's email, folded for comparison: the email tag, or an id that is an email; '' if none."""
    email = person.tags.get("email") or (person.id if "@" in person.id else "")
    return fold(email)


class PeopleIndex:
    """Finds participants by id, email or name, forgiving case, accents and spacing."""

    def __init__(self, participants: Iterable[Participant]) -> None:
        self.people = {p.id: p for p in participants}
        self._by_key: dict[str, list[str]] = defaultdict(list)
        self._by_name: dict[str, list[str]] = defaultdict(list)
        for p in self.people.values():
            self._by_key[p.id.casefold()].append(p.id)
            email = p.tags.get("email") or ""
            if email:
                self._by_key[email.casefold()].append(p.id)
            self._by_name[fold(p.name)].append(p.id)

    def find(self, ref: str) -> list[str]:
        """Ids ``ref`` may mean: one, none, or several (people sharing a name, or a prefix of several names)."""
        ref = ref.strip()
        if ref in self.people:
            return [ref]
        found = self._by_key.get(ref.casefold()) or self._by_name.get(fold(ref))
        if found:
            return list(dict.fromkeys(found))
        key = fold(ref)
        if not key:
            return []
        return [pid for name, ids in self._by_name.items() if name.startswith(key) for pid in ids]

    def suggest(self, ref: str, n: int = 3) -> list[str]:
        """The closest names to a reference that matched nobody."""
        names = {fold(p.name): p.name for p in self.people.values()}
        return [names[k] for k in difflib.get_close_matches(fold(ref), list(names), n=n, cutoff=0.6)]

    def who(self, pid: str) -> str:
        """A person as a facilitator reads them: name and id."""
        return f"{self.people[pid].name} ({pid})"

    def problem(self, ref: str, where: str) -> Problem | None:
        """Why ``ref`` does not name exactly one person, or None when it does."""
        ids = self.find(ref)
        if len(ids) == 1:
            return None
        if ids:
            listed = ", ".join(self.who(pid) for pid in ids[:8]) + (", ..." if len(ids) > 8 else "")
            same_name = len({fold(self.people[pid].name) for pid in ids}) == 1
            fix = "give the id" if same_name else "give the id or the full name"
            return Problem(f"{ref!r} could be any of {len(ids)} people: {listed}; {fix}", where)
        close = self.suggest(ref)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return Problem(f"{ref!r} is not a participant{hint}", where)

    def resolve(self, ref: str, where: str = "") -> str:
        """The one id ``ref`` names; raises InputError naming the candidates or the closest names."""
        problem = self.problem(ref, where)
        if problem is not None:
            raise InputError([problem])
        return self.find(ref)[0]


@dataclass(frozen=True)
class Match:
    """Who of one list is who in another: ``ids`` maps an id in the other list to the id in this one."""

    ids: dict[str, str]
    by: str
    missing: tuple[Participant, ...]
    problems: tuple[Problem, ...]


def match_people(
    people: Sequence[Participant], id_source: str | None, others: Sequence[Participant], others_source: str | None,
    *, where: str = "", others_where: str = "",
) -> Match:
    """Find each of ``others`` (from another file) among ``people``.

    By id where both lists had an id column (``id_source == "column"``); else by
    email where both people have one; else by name, told apart by organisation
    when a name is shared. Two people whose names are the same and whom nothing
    else tells apart are a problem naming them, with the fix.
    """
    if id_source == "column" and others_source == "column":
        own = {p.id: p.id for p in people}
        ids = {o.id: own[o.id] for o in others if o.id in own}
        return Match(ids, "id", tuple(o for o in others if o.id not in ids), ())
    by_email = {email_of(p): p.id for p in people if email_of(p)}
    by_name = _by_name(people)
    others_by_name = _by_name(others)
    ids: dict[str, str] = {}
    ways: Counter[str] = Counter()
    problems: dict[str, Problem] = {}
    for o in others:
        email = email_of(o)
        if email in by_email:
            ids[o.id] = by_email[email]
            ways["email"] += 1
            continue
        key = fold(o.name)
        # Someone with another email is someone else; only people without one are matched by name.
        named = [p for p in by_name.get(key, []) if not (email and email_of(p))]
        here, there = _same_organisation(named, o), _same_organisation(others_by_name[key], o)
        if len(here) == 1 and len(there) == 1:
            ids[o.id] = here[0].id
            ways["name"] += 1
        elif here and key not in problems:
            problems[key] = _cannot_tell_apart(o.name, by_name[key], where, others_by_name[key], others_where)
    taken = Counter(ids.values())
    clashes = [pid for pid, n in taken.items() if n > 1]
    for pid in clashes:
        name = next(p.name for p in people if p.id == pid)
        problems.setdefault(fold(name), _cannot_tell_apart(name, by_name[fold(name)], where,
                                                            others_by_name.get(fold(name), []), others_where))
    ids = {old: new for old, new in ids.items() if new not in clashes}
    by = " and ".join(way for way, _ in ways.most_common()) or "name"
    return Match(ids, by, tuple(o for o in others if o.id not in ids), tuple(problems.values()))


def _by_name(people: Sequence[Participant]) -> dict[str, list[Participant]]:
    named: dict[str, list[Participant]] = defaultdict(list)
    for p in people:
        named[fold(p.name)].append(p)
    return named


def _same_organisation(people: list[Participant], person: Participant) -> list[Participant]:
    """``people`` if only one shares the name, else those of ``person``'s organisation."""
    if len(people) <= 1:
        return people
    return [p for p in people if fold(p.organisation or "") == fold(person.organisation or "")]


def _cannot_tell_apart(
    name: str, here: list[Participant], where: str, there: list[Participant], there_where: str
) -> Problem:
    def listed(people: list[Participant], source: str) -> str:
        ids = ", ".join(p.id + (f" of {p.organisation}" if p.organisation else "") for p in people)
        return f"{len(people)} in {source or 'the list'} (ids {ids})"

    return Problem(
        f"{name!r} names {listed(here, where)} and {listed(there, there_where)}, and nothing else tells them apart; "
        "add an id or email column to both lists (or make the names differ) so their meetings are counted for "
        "the right person",
        where=there_where,
    )


@dataclass(frozen=True)
class HistoryFound:
    """How the people of one earlier plan were found in the list being planned."""

    source: str
    found: int
    total: int
    by: str
    missing: tuple[str, ...]

    def __str__(self) -> str:
        text = f"{self.found} of {self.total} people found in the list (matched by {self.by})"
        if self.missing:
            text += f"; not found, so they have no meetings to count: {', '.join(self.missing)}"
        return text


@dataclass(frozen=True)
class FollowedHistory:
    """The list's people with ids agreed with earlier plans, who met whom in them, and what was found."""

    participants: tuple[Participant, ...]
    history: History
    found: tuple[HistoryFound, ...]
    problems: tuple[Problem, ...]


def follow_history(
    participants: Sequence[Participant], id_source: str | None, plans: Sequence[tuple[str, Plan]], where: str = ""
) -> FollowedHistory:
    """Match each earlier plan's people to ``participants`` and count who met whom, by person, not by row.

    ``plans`` are (file name, plan) pairs. Unless the list had an id column,
    people found in an earlier plan take that plan's id (the first plan's where
    several name them) and newcomers get fresh ids no plan uses, so plan files
    of one cohort agree on who is who.
    """
    matches = [
        match_people(participants, id_source, plan.event.participants, plan.event.id_source,
                     where=where, others_where=source)
        for source, plan in plans
    ]
    renamed = _agreed_ids(participants, id_source, [match.ids for match in matches], plans)
    counts: Counter[tuple[str, str]] = Counter()
    for match, (_, plan) in zip(matches, plans):
        for seating in plan.rounds:
            for table in seating.tables:
                met = sorted({renamed[match.ids[pid]] for pid in table.participants if pid in match.ids})
                counts.update(pairs_of(met))
    found = tuple(
        HistoryFound(source, len(match.ids), len(plan.event.participants), match.by, tuple(p.name for p in match.missing))
        for match, (source, plan) in zip(matches, plans)
    )
    people = tuple(p.model_copy(update={"id": renamed[p.id]}) for p in participants)
    problems = tuple(problem for match in matches for problem in match.problems)
    return FollowedHistory(people, History.from_counts(counts), found, problems)


def _agreed_ids(
    participants: Sequence[Participant], id_source: str | None, matched: list[dict[str, str]],
    plans: Sequence[tuple[str, Plan]],
) -> dict[str, str]:
    """Each participant's id in the new plan: the list's own if it had an id column, else the earlier plans'."""
    if id_source == "column":
        return {p.id: p.id for p in participants}
    renamed: dict[str, str] = {}
    kept: set[str] = set()
    for ids in matched:
        for old, new in ids.items():
            if new not in renamed and old not in kept:
                renamed[new] = old
                kept.add(old)
    used = {p.id for _, plan in plans for p in plan.event.participants} | kept
    number = max((int(pid) for pid in used | {p.id for p in participants} if pid.isdigit()), default=0)
    for p in participants:
        if p.id in renamed:
            continue
        if id_source == "email" and p.id not in used:
            renamed[p.id] = p.id
        else:
            number += 1
            renamed[p.id] = str(number)
        used.add(renamed[p.id])
    return renamed
