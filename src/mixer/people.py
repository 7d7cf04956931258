"""Who is who: the one place that finds a person from what a facilitator typed or a file holds.

Rules, attendance, history, known and wanted pairs, re-solve and exports all
find people through :class:`PeopleIndex`, so "Tomas O Briain" means
"Tomás Ó Briain" everywhere. A reference matches, in this order: an id
exactly, an id or email ignoring case, a name ignoring case, accents and
extra spaces, and last a unique prefix of a name.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from mixer.constraints.base import Problem
from mixer.errors import InputError
from mixer.model import Participant


def fold(text: str) -> str:
    """Text as compared for sameness: case, accents, punctuation spacing and extra spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


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
            return Problem(f"{ref!r} could be any of {len(ids)} people: {listed}; give the id or the full name", where)
        close = self.suggest(ref)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return Problem(f"{ref!r} is not a participant{hint}", where)

    def resolve(self, ref: str, where: str = "") -> str:
        """The one id ``ref`` names; raises InputError naming the candidates or the closest names."""
        problem = self.problem(ref, where)
        if problem is not None:
            raise InputError([problem])
        return self.find(ref)[0]
