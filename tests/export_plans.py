"""Small plans for the export tests, written out seat by seat (no solver), with names in many scripts."""

from __future__ import annotations

from mixer.model import Event, Participant, Plan, PlanMetadata, RoundSeating, RoundTables, Table, TableSeating

NAMES = {
    "1": ("Małgorzata Wójcik-Żółć", "Szpital Miejski w Brackenford", "acute", "senior"),
    "2": ("محمد عمران چوہدری", "Brackenford Mosque Trust", "voluntary", "executive"),
    "3": ("عائشة الرشيد", "Healthwatch Brackenford", "voluntary", "front line"),
    "4": ("王秀英", "University of Brackenford", "academia", "middle"),
    "5": ("Tomás Ó Briain", "Riverside Medical Practice", "primary care", "senior"),
    "6": ("प्रिया शर्मा", "Brackenford Community Health NHS Trust", "community", "front line"),
    "7": ("রবীন্দ্রনাথ ঠাকুর", "Brackenford Carers' Centre", "voluntary", "middle"),
    "8": ("Αλεξάνδρα Παπαδοπούλου", "Hollins Lane Surgery", "primary care", None),
    "9": ("Ольга Смирнова", "Northgate Health Centre", None, "executive"),
    "10": ("Chidi Okonkwo", "Brackenford City Council Adult Social Care", "local authority", "senior"),
    "11": ("Siobhán Nic Mhathúna", "Brackenford University Hospitals NHS Trust", "acute", "middle"),
    "12": ("Dr Anna-Katharina Hohenzollern-Sigmaringen von Brackenford-Wyre", "Open Door", "voluntary", "front line"),
}
# Round 3 leaves person 12 out (attendance), so one table has three people.
SEATING = (
    (("1", "2", "3", "4"), ("5", "6", "7", "8"), ("9", "10", "11", "12")),
    (("1", "5", "9", "10"), ("2", "6", "11", "12"), ("3", "4", "7", "8")),
    (("1", "6", "8", "11"), ("2", "5", "4", "9"), ("3", "7", "10")),
)
TABLES = (
    Table(id="1", name="Window", capacity=4, topic="Hospital discharge"),
    Table(id="2", capacity=4),
    Table(id="3", name="Garden", capacity=4, topic="Carers' voices"),
)


def people(names: dict[str, tuple[str, str | None, str | None, str | None]] = NAMES) -> tuple[Participant, ...]:
    return tuple(Participant(id=pid, name=n, organisation=o, sector=s, level=lv) for pid, (n, o, s, lv) in names.items())


def plan(seating=SEATING, participants: tuple[Participant, ...] | None = None, tables=TABLES,
         attendance: dict[str, tuple[int, ...]] | None = None, round_tables: tuple[RoundTables, ...] = ()) -> Plan:
    """A plan that seats ``seating`` (rounds of groups of ids, at each round's tables in order)."""
    participants = participants or people()
    event = Event(name="Café <Brackenford> & friends", participants=participants, tables=tables,
                  rounds=len(seating), attendance={"12": (1, 2)} if attendance is None else attendance,
                  round_tables=round_tables)
    rounds = tuple(
        RoundSeating(round=r, tables=tuple(TableSeating(table=event.tables_in(r)[i].id, participants=ids)
                                           for i, ids in enumerate(groups)))
        for r, groups in enumerate(seating, start=1)
    )
    return Plan(event=event, rounds=rounds, metadata=PlanMetadata(solver="test"))


def table_of(p: Plan) -> dict[tuple[str, int], str]:
    """(person id, round) -> table id."""
    return {(pid, r.round): ts.table for r in p.rounds for ts in r.tables for pid in ts.participants}
