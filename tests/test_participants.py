"""Reading participant lists: messy CSV and Excel files as people really export them."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from mixer.errors import InputError
from mixer.io.participants import read_participants

FIXTURES = Path(__file__).parent / "fixtures"


def _write(tmp_path: Path, text: str | bytes, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _problems(roster, fatal: bool) -> list[str]:
    return [str(p) for p in roster.problems if p.fatal == fatal]


def test_bom_semicolons_quotes_and_names_from_first_and_last(tmp_path):
    """A BOM'd semicolon file with quoted delimiters and line breaks reads cleanly, names untouched."""
    roster = read_participants(FIXTURES / "people_messy.csv")
    assert roster.problems == ()
    assert [p.name for p in roster.participants] == ["Łukasz Żółć", "Amina Khan", "王 小明"]
    lukasz, amina, wang = roster.participants
    assert lukasz.id == "lz@example.org"
    assert lukasz.organisation == "Health; North"
    assert (lukasz.sector, lukasz.level) == ("NHS", "Band 7")
    assert amina.tags == {"Dietary needs": "vegetarian\r\nno nuts"}
    assert "First name" not in lukasz.tags and "Surname" not in lukasz.tags
    assert wang.tags == {}


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    """A record with a line break is one row, blank lines count, the header is row 1."""
    path = _write(tmp_path, 'name,notes\nAnn,"two\nlines"\n\n,orphan note\nBob,\n')
    roster = read_participants(path)
    assert _problems(roster, fatal=True) == ["people.csv row 4: no name (the row has 'orphan note')"]
    assert [p.name for p in roster.participants] == ["Ann", "Bob"]


def test_ids_follow_row_order_counting_only_non_blank_rows(tmp_path):
    """Without an id column the ids are 1, 2, ... over the non-blank data rows, skipped rows included."""
    path = _write(tmp_path, "Name\n\nAnn\n\n\nBob\n ,\nCy\n")
    roster = read_participants(path)
    assert [(p.id, p.name) for p in roster.participants] == [("1", "Ann"), ("2", "Bob"), ("3", "Cy")]
    assert roster.problems == ()


def test_tab_delimited_with_commas_in_cells(tmp_path):
    """A tab-separated file whose cells hold commas and semicolons is split on tabs."""
    path = _write(tmp_path, "Name\tCompany\tRole\nSmith, John\tAcme; Ltd\tCEO\n")
    (john,) = read_participants(path).participants
    assert (john.name, john.organisation, john.role) == ("Smith, John", "Acme; Ltd", "CEO")


def test_utf16_unicode_text_export(tmp_path):
    """Excel's 'Unicode Text' export (UTF-16 with a BOM, tabs) is read."""
    path = _write(tmp_path, "Name\tOrg\nمحمد علی\tNHS\n".encode("utf-16"), "people.txt")
    (person,) = read_participants(path).participants
    assert (person.name, person.organisation) == ("محمد علی", "NHS")


def test_name_only_csv(tmp_path):
    """A list with nothing but names is enough."""
    roster = read_participants(_write(tmp_path, "Name\nAnn Lee\nBo Chen\n"))
    assert [(p.id, p.name, p.organisation, p.tags) for p in roster.participants] == [
        ("1", "Ann Lee", None, {}),
        ("2", "Bo Chen", None, {}),
    ]


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        (" Full Name: ", "name"),
        ("Organization", "organisation"),
        ("EMPLOYER", "organisation"),
        ("Part of system", "sector"),
        ("Seniority", "level"),
        ("Job title", "role"),
        ("E-mail address", "id"),
        ("Identifier", "id"),
    ],
)
def test_headings_match_synonyms_ignoring_case_and_punctuation(tmp_path, heading, field):
    """Common headings for each column are recognised."""
    other = "Name" if field != "name" else "Notes"
    (person,) = read_participants(_write(tmp_path, f"{other},{heading}\nAnn,x@y.z\n")).participants
    assert getattr(person, field) == "x@y.z"


def test_unknown_columns_become_tags_and_empty_cells_are_not_stored(tmp_path):
    """Unrecognised columns are kept as tags under the heading as written; blank cells are dropped."""
    path = _write(tmp_path, "Name, Dietary needs ,Access\nAnn,vegan,\nBob,,wheelchair\n")
    ann, bob = read_participants(path).participants
    assert ann.tags == {"Dietary needs": "vegan"}
    assert bob.tags == {"Access": "wheelchair"}


def test_id_column_wins_over_email_which_becomes_a_tag(tmp_path):
    """With both an ID and an Email column, the ID is the id and the email a tag named 'email'."""
    (ann,) = read_participants(_write(tmp_path, "ID,Name,Email\np1,Ann,ann@x.org\n")).participants
    assert ann.id == "p1"
    assert ann.tags == {"email": "ann@x.org"}


def test_duplicate_email_ignores_case_and_names_both_rows(tmp_path):
    """An email repeated in another case is fatal, names both rows and leaves the second row out."""
    path = _write(tmp_path, "Name,Email\nAnn,Ann@X.org\nBob,bob@x.org\nAnnie,ann@x.ORG\n")
    roster = read_participants(path)
    assert _problems(roster, fatal=True) == [
        "people.csv row 4: duplicate email 'ann@x.ORG' on rows 2 and 4 (Annie)"
    ]
    assert [p.id for p in roster.participants] == ["Ann@X.org", "bob@x.org"]


def test_duplicate_email_is_caught_when_an_id_column_exists(tmp_path):
    """The email column is checked for repeats even when it is only a tag."""
    path = _write(tmp_path, "ID,Name,Email\n1,Ann,a@x.org\n2,Bob,A@x.org\n")
    assert _problems(read_participants(path), fatal=True) == [
        "people.csv row 3: duplicate email 'A@x.org' on rows 2 and 3 (Bob)"
    ]


def test_duplicate_id_is_fatal(tmp_path):
    """Two rows with one id is fatal and names both rows."""
    roster = read_participants(_write(tmp_path, "ID;Name\n7;Ann\n7;Bob\n"))
    (problem,) = roster.fatal
    assert problem.where == "people.csv row 3"
    assert "duplicate id '7'" in problem.message and "rows 2 and 3" in problem.message
    assert [p.name for p in roster.participants] == ["Ann"]


def test_missing_id_falls_back_to_the_row_order(tmp_path):
    """A row without an id gets its place in the list, with a warning; a clash with a real id is fatal."""
    roster = read_participants(_write(tmp_path, "ID,Name\n2,Ann\n,Bob\n,Cy\n"))
    assert [(p.id, p.name) for p in roster.participants] == [("2", "Ann"), ("3", "Cy")]
    assert [str(p) for p in roster.problems] == [
        "people.csv row 3: Bob has no id; using id '2'",
        "people.csv row 3: duplicate id '2' on rows 2 and 3 (Bob)",
        "people.csv row 4: Cy has no id; using id '3'",
    ]


def test_same_name_with_different_ids_is_a_warning(tmp_path):
    """The same name twice (case and spacing aside) with different ids may be one person twice."""
    roster = read_participants(_write(tmp_path, "Name,Org\nAnn Lee,A\nann  lee,B\n"))
    assert roster.fatal == []
    (warning,) = roster.problems
    assert warning.where == "people.csv row 3"
    assert "rows 2 and 3" in warning.message and "'1' and '2'" in warning.message
    assert len(roster.participants) == 2


def test_empty_name_is_fatal_and_the_rest_are_kept(tmp_path):
    """A row with cells but no name is fatal, named by row, and left out."""
    roster = read_participants(_write(tmp_path, "Name,Org\nAnn,A\n  ,NHS\nBob,B\n"))
    assert _problems(roster, fatal=True) == ["people.csv row 3: no name (the row has 'NHS')"]
    assert [(p.id, p.name) for p in roster.participants] == [("1", "Ann"), ("3", "Bob")]


def test_non_latin_names_are_untouched(tmp_path):
    """Urdu, Polish and Chinese names come through exactly as written."""
    names = ["محمد علی", "Łukasz Żółć", "王小明"]
    roster = read_participants(_write(tmp_path, "Name\n" + "\n".join(names) + "\n"))
    assert [p.name for p in roster.participants] == names
    assert roster.problems == ()


def test_formula_like_cells_are_kept_and_warned(tmp_path):
    """Cells starting with =, @, + or - are kept as written with a warning; plain numbers are not warned."""
    path = _write(tmp_path, 'Name,Org,Phone,Score,Level\n"=HYPERLINK(""http://x"")",@acme,+44 20 7946 0958,-3,-\n')
    roster = read_participants(path)
    (person,) = roster.participants
    assert person.name == '=HYPERLINK("http://x")'
    assert (person.organisation, person.level) == ("@acme", "-")
    assert person.tags == {"Phone": "+44 20 7946 0958", "Score": "-3"}
    warnings = [w for w in _problems(roster, fatal=False) if "no sector column" not in w]
    assert len(warnings) == 3
    assert all(w.startswith("people.csv row 2: ") and "formula" in w for w in warnings)
    assert "'Name' cell '=HYPERLINK" in warnings[0] and "'Org' cell '@acme'" in warnings[1]
    assert "'Phone' cell '+44" in warnings[2]


def test_more_cells_than_headings_is_a_warning(tmp_path):
    """Extra cells are ignored with a warning naming them; trailing empty cells are not."""
    roster = read_participants(_write(tmp_path, "Name,Org\nAnn,A,stray\nBob,B,,\n"))
    assert _problems(roster, fatal=False) == [
        "people.csv row 2: 3 cells but only 2 headings; ignored: 'stray'"
    ]
    assert len(roster.participants) == 2


def test_windows_1252_is_read_with_a_warning(tmp_path):
    """Bytes that are not UTF-8 are read as Windows-1252 with a warning, not a crash."""
    path = _write(tmp_path, "Name,Org\nJosé Müller,Caf\xe9 – Co\n".encode("cp1252"))
    roster = read_participants(path)
    (person,) = roster.participants
    assert (person.name, person.organisation) == ("José Müller", "Café – Co")
    (warning,) = roster.problems
    assert not warning.fatal
    assert "Windows-1252" in warning.message and "line 2" in warning.message
    assert warning.where == str(path)


def test_missing_name_column_lists_the_headings_found(tmp_path):
    """A file without a name column is an error naming the file and the columns it has."""
    path = _write(tmp_path, "Email,Organisation,Surname\na@x.org,NHS,Lee\n")
    with pytest.raises(InputError) as caught:
        read_participants(path)
    message = str(caught.value)
    assert str(path) in message
    assert "no name column" in message
    assert "'Email', 'Organisation', 'Surname'" in message


def test_header_without_data_rows_is_fatal(tmp_path):
    """A header and nothing else is a fatal problem naming the file."""
    path = _write(tmp_path, "\ufeffName,Org\n\n\n")
    roster = read_participants(path)
    (problem,) = roster.fatal
    assert problem.where == str(path) and "no data rows" in problem.message
    assert roster.participants == ()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("people.csv", "\n \n", "empty"),
        ("people.json", "[]", "people.json"),
        ("people.xlsx", "not a workbook", "cannot read as an Excel workbook"),
    ],
)
def test_unreadable_files_raise_input_error(tmp_path, name, content, expected):
    """Empty files, unknown formats and damaged workbooks are InputErrors naming the file."""
    path = _write(tmp_path, content, name)
    with pytest.raises(InputError) as caught:
        read_participants(path)
    assert expected in str(caught.value) and str(path) in str(caught.value)


def test_missing_file_raises_input_error(tmp_path):
    """A missing file is an InputError naming it."""
    with pytest.raises(InputError, match="file not found"):
        read_participants(tmp_path / "nobody.csv")


def test_xlsx_first_sheet(tmp_path):
    """An .xlsx is read from its first sheet; numbers become text and rows keep the sheet's numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ID", "Name", "Organisation", "Grade"])
    sheet.append([1001, "王小明", "Charity", 7.0])
    sheet.append([])
    sheet.append([1002, None, "NHS", None])
    sheet.append([1003, "=cmd", "NHS", None])
    sheet["B5"].data_type = "s"  # text that looks like a formula, as a spreadsheet stores it
    workbook.create_sheet("Ignored").append(["Name"])
    path = tmp_path / "people.xlsx"
    workbook.save(path)

    roster = read_participants(path)
    kept = [(p.id, p.name, p.level) for p in roster.participants]
    assert kept == [("1001", "王小明", "7"), ("1003", "=cmd", None)]
    assert _problems(roster, fatal=True) == ["people.xlsx row 4: no name (the row has '1002', 'NHS')"]
    assert [p.where for p in roster.problems if not p.fatal] == ["people.xlsx row 5"]


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s != "")


@given(st.lists(names, min_size=1, max_size=8), st.sampled_from([",", ";", "\t"]))
def test_any_names_round_trip_through_a_csv_writer(tmp_path_factory, written, delimiter):
    """Whatever the names and delimiter, a file written by a CSV writer reads back to the same names."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Name", "Organisation"])
    writer.writerows([name, "Org"] for name in written)
    path = _write(tmp_path_factory.mktemp("csv"), out.getvalue())
    roster = read_participants(path)
    assert [p.name for p in roster.participants] == written
    assert roster.fatal == []


@given(st.binary(max_size=300) | st.text(alphabet=',;\t"\n\r =@-Name Org ID Email é王', max_size=200))
def test_arbitrary_content_never_escapes_as_another_error(tmp_path_factory, content):
    """Whatever a .csv holds, reading it gives a roster or an InputError, never another exception."""
    path = _write(tmp_path_factory.mktemp("fuzz"), content)
    try:
        roster = read_participants(path)
    except InputError as exc:
        assert exc.problems and all(p.where for p in exc.problems)
    else:
        assert all(p.where.startswith("people.csv") or p.where == str(path) for p in roster.problems)
        assert len({p.id for p in roster.participants}) == len(roster.participants)
