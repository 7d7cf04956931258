"""The one matcher for people: ids, emails, forgiving names, prefixes and suggestions."""

import pytest

from mixer.errors import InputError
from mixer.model import Participant
from mixer.people import PeopleIndex, fold

PEOPLE = [
    Participant(id="1", name="Tomás Ó Briain"),
    Participant(id="2", name="Ayşe Yıldız", tags={"email": "Ayse@Example.org"}),
    Participant(id="3", name="Ann Lee"),
    Participant(id="4", name="Ann Leigh"),
]


def test_fold_ignores_case_accents_and_spacing():
    assert fold("  Tomás   Ó Briain ") == fold("tomas o briain") == "tomas o briain"


@pytest.mark.parametrize(("ref", "expected"), [
    ("1", ["1"]), ("Tomas O Briain", ["1"]), ("ayse@example.ORG", ["2"]), ("tom", ["1"]),
    ("Ann Le", ["3", "4"]), ("Nobody", []),
])
def test_find(ref, expected):
    assert PeopleIndex(PEOPLE).find(ref) == expected


def test_unknown_name_suggests_the_closest():
    with pytest.raises(InputError, match="did you mean 'Ann Lee'") as caught:
        PeopleIndex(PEOPLE).resolve("Anne Lee", where="event.toml, rules entry 2 (keep_apart)")
    assert "event.toml, rules entry 2 (keep_apart)" in str(caught.value)


def test_ambiguous_prefix_lists_candidates():
    problem = PeopleIndex(PEOPLE).problem("ann", where="here")
    assert problem is not None and "Ann Lee (3)" in problem.message and "Ann Leigh (4)" in problem.message
