"""Participant lists from CSV or Excel, as facilitators and booking systems export them.

Only a name column is required; other known columns (id, email, organisation,
sector, level, role) are found by their usual headings and the rest become
tags. Every row is checked and every problem kept, each naming the file and
the row as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path

from mixer.constraints.base import Problem
from mixer.errors import InputError
from mixer.io.messages import did_you_mean
from mixer.model import Participant

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = ",;\t"
# What a spreadsheet may run as a formula when a cell begins with it (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ATTRIBUTES = ("organisation", "sector", "level", "role")

# Headings for each column mixer knows, compared by ``_heading_key``.
HEADINGS = {
    "name": ("name", "fullname", "participant", "participantname", "delegate", "delegatename", "attendee"),
    "first": ("firstname", "forename", "forenames", "givenname", "first"),
    "last": ("lastname", "surname", "familyname", "last"),
    "id": ("id", "identifier", "participantid", "delegateid", "attendeeid", "bookingid", "bookingreference", "ref"),
    "email": ("email", "emailaddress", "workemail", "mail"),
    "organisation": ("organisation", "organization", "org", "employer", "company", "trust", "employerorganisation",
                     "employerorganization", "organisationname", "organizationname", "employername", "provider"),
    "sector": ("sector", "partofsystem", "staffgroup", "professionalgroup", "sectorname"),
    "level": ("level", "grade", "band", "seniority", "bandgrade", "gradeband", "payband", "paygrade", "afcband",
              "agendaforchangeband", "jobband", "jobgrade", "senioritylevel", "careerlevel"),
    "role": ("role", "jobtitle", "title", "position", "jobrole"),
}
FIELD_OF = {heading: field for field, headings in HEADINGS.items() for heading in headings}
# Words that name an attribute inside a longer heading ("Current pay band", "Employing trust").
ATTRIBUTE_WORDS = {
    "organisation": ("organisation", "organization", "employer", "employing", "trust", "company"),
    "sector": ("sector",),
    "level": ("band", "grade", "level", "seniority"),
}
# Attributes a mixed table is built from, as a facilitator maps them: --level-column, [columns] level = "...".
MAPPABLE = ("organisation", "sector", "level", "role")
# Columns that say where someone sits (see mixer.assemble): host (yes/true/1), table (a pin), needs (a table tag).
RULE_COLUMNS = ("host", "table", "needs")
LOST_CHARACTERS = ("?", "\ufffd")

Row = tuple[int, list[str]]


@dataclass(frozen=True)
class Roster:
    """The participants read from a file, and every problem found in it.

    Rows with a fatal problem are left out of ``participants``.
    """

    participants: tuple[Participant, ...]
    problems: tuple[Problem, ...]
    source: str
    id_source: str = "row"

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]


def read_participants(path: str | Path, columns: Mapping[str, str] | None = None) -> Roster:
    """Read a .csv/.tsv/.txt or .xlsx participant list.

    ``columns`` maps a field (organisation, sector, level, role) to the heading
    of the column that holds it, as a facilitator wrote it ("Band/Grade"); it
    overrides the headings mixer recognises. Raises InputError only when the
    file cannot be read as a list at all: missing, an unknown format, or no
    header with a name column.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES + EXCEL_SUFFIXES:
        known = ", ".join(TEXT_SUFFIXES + EXCEL_SUFFIXES)
        raise InputError(f"cannot read {suffix or 'a file without an extension'}: give one of {known}", where=str(path))
    if not path.is_file():
        raise InputError("file not found", where=str(path))
    if suffix in EXCEL_SUFFIXES:
        rows, problems = _excel_rows(path), []
    else:
        rows, problems = text_rows(path)
    return _roster(path, rows, problems, dict(columns or {}))


def read_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """The rows of a text or Excel table, numbered as a spreadsheet shows them, with any decoding warning."""
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _excel_rows(path), []
    return text_rows(path)


def name_key(name: str) -> str:
    """A name as compared for sameness: case, spacing and Unicode composition ignored."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def text_rows(path: Path) -> tuple[list[Row], list[Problem]]:
    """The rows of a delimited text file, numbered from 1, cells trimmed; a warning if it is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=str(path)) from None
    text, problems = _decode(raw, path)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, header_line), skipinitialspace=True)
    try:
        rows = [(number, [cell.strip() for cell in cells]) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise InputError(f"cannot read as CSV (line {reader.line_num}): {exc}", where=str(path)) from None
    return rows, problems


def _decode(raw: bytes, path: Path) -> tuple[str, list[Problem]]:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; otherwise Windows-1252, with a warning."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise InputError("not valid UTF-16 text", where=str(path)) from None
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        warning = Problem(
            f"not valid UTF-8 (first at line {line}); read as Windows-1252, as older Excel saves CSV files. "
            "Check accented names, or save the file as 'CSV UTF-8'",
            where=str(path),
            fatal=False,
        )
        return raw.decode("cp1252", errors="replace"), [warning]


def _delimiter(text: str, header_line: str) -> str:
    """The sniffed delimiter if the header uses it, else the one the header uses most, else a comma."""
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    if sniffed in header_line:
        return sniffed
    counts = {d: header_line.count(d) for d in DELIMITERS}
    most = max(counts, key=lambda d: counts[d])
    return most if counts[most] else sniffed


def _excel_rows(path: Path) -> list[Row]:
    """Rows of the first sheet, cell values as text."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged or foreign file
        raise InputError(f"cannot read as an Excel workbook: {exc}", where=str(path)) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read-only mode trusts the size the file states, which some tools get wrong
        return [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except Exception as exc:
        raise InputError(f"cannot read the first sheet: {exc}", where=str(path)) from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()


def _heading_key(heading: str) -> str:
    """A heading with case, spaces and punctuation removed: 'E-mail address' -> 'emailaddress'."""
    return "".join(ch for ch in heading.casefold() if ch.isalnum())


@dataclass(frozen=True)
class _Columns:
    """Where each known field is, which columns are tags, and how ids compare."""

    fields: dict[str, int]
    tags: dict[int, str]
    width: int

    @property
    def id_column(self) -> int | None:
        return self.fields.get("id", self.fields.get("email"))

    @property
    def id_source(self) -> str:
        """How ids are made: from the id column, the email column, or the row's place in the list."""
        return "column" if "id" in self.fields else "email" if "email" in self.fields else "row"

    def unique(self) -> dict[str, tuple[int, bool]]:
        """Columns whose values must not repeat -> (column, compare ignoring case)."""
        checks = {}
        if "id" in self.fields:
            checks["id"] = (self.fields["id"], False)
        if "email" in self.fields:
            checks["email"] = (self.fields["email"], True)
        return checks

    def name(self, cells: list[str]) -> str:
        """The name cell, or first and last names joined."""
        if "name" in self.fields:
            return cells[self.fields["name"]]
        parts = [cells[self.fields[part]] for part in ("first", "last") if part in self.fields]
        return " ".join(part for part in parts if part)


def _field_of(heading: str) -> str | None:
    """The field a heading names: by the known headings, else by one attribute word among its words."""
    key = _heading_key(heading)
    if key in FIELD_OF:
        return FIELD_OF[key]
    words = set(re.findall(r"[^\W_]+", heading.casefold()))
    named = [field for field, keys in ATTRIBUTE_WORDS.items() if words & set(keys)]
    return named[0] if len(named) == 1 else None


def _columns(header: list[str], at: str, mapped: dict[str, str]) -> tuple[_Columns, list[Problem]]:
    problems = []
    chosen: dict[str, int] = {}
    for field, wanted in mapped.items():
        found = [i for i, heading in enumerate(header) if _heading_key(heading) == _heading_key(wanted)]
        if found:
            chosen[field] = found[0]
        else:
            headings = [h for h in header if h]
            problems.append(Problem(f"no column {wanted!r} for {field}; {did_you_mean(wanted, headings)}", at))
    fields: dict[str, int] = dict(chosen)
    tags: dict[int, str] = {}
    for index, heading in enumerate(header):
        if index in chosen.values():
            continue
        field = _field_of(heading)
        if field in chosen:
            field = None  # the facilitator chose another column for it
        if field is None:
            tags[index] = heading or f"column {index + 1}"
        elif field in fields:
            tags[index] = heading
            problems.append(
                Problem(
                    f"columns {header[fields[field]]!r} and {heading!r} both look like {field}; "
                    f"using {header[fields[field]]!r}, keeping {heading!r} as a tag",
                    where=at,
                    fatal=False,
                )
            )
        else:
            fields[field] = index
    if "id" in fields and "email" in fields:
        tags[fields["email"]] = "email"
    if "name" in fields:
        # With a name column, first and last names are only tags.
        for part in ("first", "last"):
            if part in fields:
                index = fields.pop(part)
                tags[index] = header[index]
    return _Columns(fields, tags, len(header)), problems


def _unmapped_warning(columns: _Columns, at: str) -> list[Problem]:
    """A warning when organisation, sector or level has no column while some columns stay tags."""
    missing = [field for field in ("organisation", "sector", "level") if field not in columns.fields]
    tags = [h for h in columns.tags.values() if h != "email" and _heading_key(h) not in RULE_COLUMNS]
    if not missing or not tags:
        return []
    option, example = f"--{missing[-1]}-column", tags[-1]
    return [
        Problem(
            f"no {' or '.join(missing)} column found, so tables cannot mix by {' or '.join(missing)}; "
            f"kept as tags: {', '.join(repr(t) for t in tags)}. To use one, give {option} {example!r} "
            f"(or {missing[-1]} = {example!r} under [columns] in the event file)",
            at,
            fatal=False,
        )
    ]


def _roster(path: Path, rows: list[Row], problems: list[Problem], mapped: dict[str, str]) -> Roster:
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        raise InputError("the file is empty: expected a header row with a 'name' column", where=str(path))
    (header_number, header), data = rows[0], rows[1:]
    columns, header_problems = _columns(header, f"{path.name} row {header_number}", mapped)
    header_problems += _unmapped_warning(columns, f"{path.name} row {header_number}")
    if "name" not in columns.fields and "first" not in columns.fields:
        found = ", ".join(repr(h) for h in header if h)
        raise InputError(
            f"no name column; the first row should be the headings, and they are: {found}. "
            "Add a 'name' column (or 'First name' and 'Last name')",
            where=str(path),
        )
    problems = problems + header_problems
    if not data:
        problems.append(Problem("no participants: the file has headings but no data rows", where=str(path)))
    participants = _read_rows(path.name, columns, header, data, problems)
    return Roster(tuple(participants), tuple(problems), str(path), columns.id_source)


def _read_rows(
    file: str, columns: _Columns, header: list[str], data: list[Row], problems: list[Problem]
) -> list[Participant]:
    """Participants from the data rows; problems are appended to ``problems``."""
    participants = []
    seen: dict[str, dict[str, int]] = {label: {} for label in columns.unique()}
    names: dict[str, tuple[int, str]] = {}
    for ordinal, (number, cells) in enumerate(data, start=1):
        at = f"{file} row {number}"
        extra = [c for c in cells[columns.width :] if c]
        if extra:
            problems.append(
                Problem(
                    f"{len(cells)} cells but only {columns.width} headings; ignored: {', '.join(map(repr, extra))}",
                    at,
                    fatal=False,
                )
            )
        filled = ", ".join(repr(c) for c in cells if c)
        cells = (cells + [""] * columns.width)[: columns.width]
        problems.extend(_formula_warnings(header, cells, at))
        name = columns.name(cells)
        if not name:
            problems.append(Problem(f"no name (the row has {filled})", at))
            continue
        lost = [c for c in LOST_CHARACTERS if c in name]
        if lost:
            problems.append(
                Problem(
                    f"the name {name!r} contains {lost[0]!r}: letters were probably lost when the list was saved "
                    "from a spreadsheet; save it as 'CSV UTF-8' (or .xlsx) and export again, or correct the name",
                    at,
                    fatal=False,
                )
            )
        pid = _row_id(columns, cells, ordinal, name, at, problems)
        if _duplicate(columns, cells, pid, number, name, seen, at, problems):
            continue
        earlier = names.setdefault(name_key(name), (number, pid))
        if earlier[1] != pid:
            problems.append(
                Problem(
                    f"{name!r} appears on rows {earlier[0]} and {number} with ids {earlier[1]!r} and {pid!r}; "
                    "is this the same person twice?",
                    at,
                    fatal=False,
                )
            )
        participants.append(_participant(columns, cells, pid, name))
    return participants


def _row_id(columns: _Columns, cells: list[str], ordinal: int, name: str, at: str, problems: list[Problem]) -> str:
    """The row's id: its id (or email) cell, or its place among the data rows."""
    column = columns.id_column
    if column is None:
        return str(ordinal)
    if not cells[column]:
        label = "id" if "id" in columns.fields else "email"
        problems.append(Problem(f"{name} has no {label}; using id {str(ordinal)!r}", at, fatal=False))
        return str(ordinal)
    return cells[column]


def _duplicate(
    columns: _Columns,
    cells: list[str],
    pid: str,
    number: int,
    name: str,
    seen: dict[str, dict[str, int]],
    at: str,
    problems: list[Problem],
) -> bool:
    """Whether the row repeats an id or email of an earlier row (a fatal problem naming both rows)."""
    found = False
    for label, (column, ignore_case) in columns.unique().items():
        value = pid if column == columns.id_column else cells[column]
        if not value:
            continue
        key = value.casefold() if ignore_case else value
        first = seen[label].setdefault(key, number)
        if first != number:
            problems.append(Problem(f"duplicate {label} {value!r} on rows {first} and {number} ({name})", at))
            found = True
    return found


def _formula_warnings(header: list[str], cells: list[str], at: str) -> list[Problem]:
    """Warn about cells a spreadsheet could run as a formula; the text is kept as it is."""
    return [
        Problem(
            f"{header[i] or f'column {i + 1}'!r} cell {cell!r} starts with {cell[0]!r}: kept as text, "
            "but a spreadsheet opening an export of it may run it as a formula",
            at,
            fatal=False,
        )
        for i, cell in enumerate(cells)
        if starts_formula(cell)
    ]


def starts_formula(cell: str) -> bool:
    """Whether a spreadsheet could run ``cell`` as a formula (a plain number such as ``-3`` it keeps as it is)."""
    return cell.startswith(FORMULA_STARTS) and not _is_number(cell)


def _is_number(cell: str) -> bool:
    """A plain number such as '-3' or '+2.5', or a lone '-' for 'none': a spreadsheet keeps these as they are."""
    return re.fullmatch(r"[+-]?\d+(?:[.,]\d+)?|-", cell) is not None


def _participant(columns: _Columns, cells: list[str], pid: str, name: str) -> Participant:
    known = {field: cells[i] for field, i in columns.fields.items() if field in ATTRIBUTES}
    tags = {key: cells[i] for i, key in columns.tags.items() if cells[i]}
    return Participant(id=pid, name=name, tags=tags, **known)
