"""Reading event settings from TOML: both forms of tables, and errors that name the file and key."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mixer.errors import InputError
from mixer.io.event_file import EventSettings, parse_event_settings, read_event_settings
from mixer.model import Table, Weights

FIXTURES = Path(__file__).parent / "fixtures"


def _write(tmp_path: Path, text: str, name: str = "event.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read_event_settings(path)
    return str(caught.value)


def test_full_event_file():
    """Name, rounds, table size, weights, rules and attendance are read as written."""
    settings = read_event_settings(FIXTURES / "event.toml")
    assert settings == EventSettings(
        name="Pilot cohort, day 1",
        rounds=2,
        table_size=2,
        weights=Weights(level=2.0),
        rules=({"kind": "keep_apart", "people": ["amina khan", "WX@example.org"]},),
        attendance={"王 小明": (2,)},
        source=str(FIXTURES / "event.toml"),
    )


@pytest.mark.parametrize(
    ("section", "size", "count"),
    [("size = 6", 6, None), ("count = 8", None, 8), ("count = 8\nsize = 6", 6, 8)],
)
def test_tables_section_with_size_and_or_count(tmp_path, section, size, count):
    """[tables] gives a table size, a number of tables, or both."""
    settings = read_event_settings(_write(tmp_path, f"[tables]\n{section}\n"))
    assert (settings.table_size, settings.table_count, settings.tables) == (size, count, ())


def test_explicit_table_list_numbers_tables_without_ids(tmp_path):
    """[[tables]] entries keep their ids, names and tags; entries without an id are numbered in order."""
    text = '[[tables]]\ncapacity = 6\n\n[[tables]]\nid = "window"\nname = "By the window"\ncapacity = 4\n'
    text += 'tags = ["accessible"]\n\n[[tables]]\ncapacity = 5\n'
    settings = read_event_settings(_write(tmp_path, text))
    assert settings.tables == (
        Table(id="1", capacity=6),
        Table(id="window", name="By the window", capacity=4, tags=("accessible",)),
        Table(id="3", capacity=5),
    )
    assert settings.table_size is None and settings.table_count is None


def test_table_without_capacity(tmp_path):
    """A [[tables]] entry without a capacity is an error naming the entry and the key."""
    message = _error(_write(tmp_path, "[[tables]]\ncapacity = 6\n[[tables]]\nname = 'Stage'\n"))
    assert "[[tables]] entry 2" in message and "capacity: is required" in message


def test_tables_section_needs_size_or_count(tmp_path):
    """An empty [tables] section says which keys it needs."""
    message = _error(_write(tmp_path, "rounds = 3\n[tables]\n"))
    assert "`size`" in message and "`count`" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rounds = 0\n", "rounds"),
        ("[tables]\nsize = 0\n", "[tables] size"),
        ("[weights]\nlevel = -1\n", "weights.level"),
        ("[attendance]\nann = 'all'\n", "attendance of 'ann' must be a list of rounds"),
        ("[attendance]\nann = [1, 'two']\n", "attendance.ann.1"),
        ("tables = 5\n", "`tables` must be"),
    ],
)
def test_wrong_values_name_the_key(tmp_path, text, expected):
    """A value of the wrong kind is an error naming the file and the key."""
    path = _write(tmp_path, text)
    message = _error(path)
    assert expected in message and str(path) in message


def test_unknown_key_suggests_the_closest(tmp_path):
    """A misspelt key is an error naming it and the file, with a suggestion."""
    path = _write(tmp_path, "round = 3\n[weigths]\nlevel = 1\n")
    with pytest.raises(InputError) as caught:
        read_event_settings(path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{path}: unknown key 'round'; did you mean 'rounds'?",
        f"{path}: unknown key 'weigths'; did you mean 'weights'?",
    ]


def test_key_after_a_heading_is_told_to_move(tmp_path):
    """`rounds` written under [tables] belongs to [tables]; the message says to move it up."""
    message = _error(_write(tmp_path, "[tables]\nsize = 5\nrounds = 3\n"))
    assert "unknown key 'tables.rounds'" in message and "move 'rounds' above" in message


def test_misspelt_key_in_a_table_entry(tmp_path):
    """Unknown keys inside [[tables]] entries are named with the entry's number."""
    message = _error(_write(tmp_path, "[[tables]]\ncapacity = 5\n[[tables]]\ncapacty = 5\n"))
    assert "unknown key 'tables[2].capacty'; did you mean 'capacity'?" in message


def test_rules_in_single_brackets(tmp_path):
    """[rules] written as a section instead of [[rules]] entries says so."""
    message = _error(_write(tmp_path, "[rules]\nkind = 'keep_apart'\n"))
    assert "[[rules]]" in message


def test_toml_syntax_error_names_line_and_column(tmp_path):
    """A TOML syntax error names the file, line and column."""
    path = _write(tmp_path, 'name = "Day 1"\n\nrounds = = 4\n')
    with pytest.raises(InputError) as caught:
        read_event_settings(path)
    (problem,) = caught.value.problems
    column = 'rounds = = 4'.index("= 4") + 1
    assert problem.where == f"{path} line 3, column {column}"
    assert "not valid TOML" in problem.message


def test_missing_and_non_utf8_files(tmp_path):
    """A missing file and a file that is not UTF-8 are errors naming the file."""
    assert "file not found" in _error(tmp_path / "none.toml")
    path = tmp_path / "latin.toml"
    path.write_bytes('name = "Café"\n'.encode("cp1252"))
    assert "not UTF-8" in _error(path)


def test_parse_keeps_the_good_parts(tmp_path):
    """parse_event_settings returns what it could read alongside every problem."""
    path = _write(tmp_path, "rounds = 'three'\nname = 'Day 2'\ncolour = 'red'\n[tables]\ncount = 4\n")
    settings, problems = parse_event_settings(path)
    assert (settings.name, settings.rounds, settings.table_count) == ("Day 2", None, 4)
    assert len(problems) == 2
    assert "unknown key 'colour'" in problems[0].message
    assert problems[1].message.startswith("rounds:")


toml_snippets = st.sampled_from(
    ["rounds = 3", "rounds = 'x'", "[tables]", "[[tables]]", "size = 4", "count = 0", "capacity = 5", "id = 2",
     "[weights]", "level = -1", "[[rules]]", "kind = 'keep_apart'", "people = ['a', 1]", "[attendance]",
     "a = [1, 2]", "b = 3", "name = 5", "tables = 4", "= oops", "[rules]", "extra = true"]
)


@given(st.lists(toml_snippets, max_size=8))
def test_any_mix_of_keys_gives_settings_or_input_error(tmp_path_factory, lines):
    """Any mix of right and wrong keys and sections gives settings or an InputError naming the file."""
    path = _write(tmp_path_factory.mktemp("toml"), "\n".join(lines) + "\n")
    try:
        read_event_settings(path)
    except InputError as exc:
        assert exc.problems and all(p.where.startswith(str(path)) for p in exc.problems)
