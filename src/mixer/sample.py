"""A fictitious cohort for demos and tests: health and care leaders of the invented city of Brackenford.

Everything is made up. The same ``seed`` always gives the same people.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mixer.assemble import numbered_tables
from mixer.model import Event, Participant

DEMO_EVENT_FILE = "demo-event.toml"
LEVELS = ("executive", "senior", "middle", "front line")
LEVEL_WEIGHTS = (1, 2, 2, 2)


@dataclass(frozen=True)
class Organisation:
    """An organisation in the sample, with how many of a cohort of 50 come from it and their roles by level."""

    name: str
    sector: str
    size: int
    roles: dict[str, tuple[str, ...]]


def _roles(executive: str, senior: str, middle: str, front_line: str) -> dict[str, tuple[str, ...]]:
    """Roles by level; each argument lists the roles at one level separated by ``;``."""
    by_level = zip(LEVELS, (executive, senior, middle, front_line))
    return {level: tuple(r.strip() for r in roles.split(";")) for level, roles in by_level}


_GP = _roles(
    "Senior Partner",
    "GP Partner; Practice Manager",
    "Lead Practice Nurse; Salaried GP",
    "Practice Nurse; Healthcare Assistant; Care Navigator",
)

ORGANISATIONS = (
    Organisation(
        "Brackenford University Hospitals NHS Trust", "acute", 8,
        _roles(
            "Chief Nurse; Medical Director; Chief Operating Officer",
            "Divisional Director of Nursing; Consultant Geriatrician; Head of Patient Flow",
            "Ward Manager; Discharge Team Lead; Emergency Department Matron",
            "Staff Nurse; Physiotherapist; Healthcare Assistant; Junior Doctor",
        ),
    ),
    Organisation(
        "Brackenford Community Health NHS Trust", "community", 5,
        _roles(
            "Director of Operations",
            "Head of Community Nursing; Head of Therapies",
            "District Nursing Team Leader; Virtual Ward Manager",
            "District Nurse; Occupational Therapist; Community Matron",
        ),
    ),
    Organisation(
        "Brackenford and Wyre Mental Health NHS Foundation Trust", "mental health", 5,
        _roles(
            "Director of Clinical Services",
            "Consultant Psychiatrist; Head of Psychological Therapies",
            "Community Mental Health Team Manager; Crisis Team Lead",
            "Mental Health Nurse; Peer Support Worker; Clinical Psychologist",
        ),
    ),
    Organisation("Riverside Medical Practice", "primary care", 2, _GP),
    Organisation("Hollins Lane Surgery", "primary care", 2, _GP),
    Organisation("Northgate Health Centre", "primary care", 2, _GP),
    Organisation(
        "Brackenford Central Primary Care Network", "primary care", 2,
        _roles(
            "PCN Clinical Director",
            "PCN Manager",
            "Clinical Pharmacist; Social Prescribing Lead",
            "Social Prescribing Link Worker; Care Coordinator",
        ),
    ),
    Organisation(
        "Brackenford City Council Adult Social Care", "local authority", 5,
        _roles(
            "Director of Adult Social Services",
            "Head of Commissioning; Principal Social Worker",
            "Hospital Social Work Team Manager; Reablement Manager",
            "Social Worker; Reablement Worker; Occupational Therapist",
        ),
    ),
    Organisation(
        "Brackenford City Council Public Health", "local authority", 3,
        _roles(
            "Director of Public Health",
            "Consultant in Public Health",
            "Public Health Programme Manager; Health Intelligence Analyst",
            "Health Improvement Practitioner",
        ),
    ),
    Organisation(
        "Brackenford City Council Children's Services", "local authority", 3,
        _roles(
            "Director of Children's Services",
            "Head of Early Help",
            "Family Support Team Manager",
            "Children's Social Worker; Family Support Worker",
        ),
    ),
    Organisation(
        "University of Brackenford", "academia", 3,
        _roles(
            "Dean of Health Sciences",
            "Professor of Nursing; Professor of Health Policy",
            "Senior Lecturer in Social Work; Research Fellow",
            "Research Associate; PhD Researcher",
        ),
    ),
    Organisation(
        "Brackenford Carers' Centre", "voluntary", 2,
        _roles("Chief Executive", "Head of Services", "Carer Support Coordinator", "Carer Support Worker"),
    ),
    Organisation(
        "Open Door Homelessness Trust", "voluntary", 2,
        _roles("Chief Executive", "Head of Housing Support", "Outreach Team Leader", "Outreach Worker"),
    ),
    Organisation(
        "Healthwatch Brackenford", "voluntary", 2,
        _roles("Chair", "Healthwatch Manager", "Engagement Lead", "Community Engagement Officer; Volunteer"),
    ),
    Organisation(
        "Brackenford Age Well", "voluntary", 2,
        _roles("Chief Executive", "Services Director", "Befriending Coordinator", "Community Connector"),
    ),
    Organisation(
        "Brackenford Refugee and Migrant Forum", "voluntary", 2,
        _roles("Director", "Partnerships Manager", "Advice Services Coordinator", "Advocate; Interpreter"),
    ),
)

FIRST_NAMES = (
    "Aisha", "Amara", "Anil", "Aoife", "Ben", "Bogdan", "Carmen", "Chidi", "Chloé", "Dafydd", "Daniel", "Deepa",
    "Ebony", "Elif", "Emma", "Farah", "Femi", "Grace", "Hamza", "Hannah", "Ines", "Imran", "Jack", "Jasmine",
    "José", "Kwame", "Lena", "Liam", "Łukasz", "Maria", "Marek", "Mei", "Mohammed", "Nadia", "Niamh", "Noah",
    "Olu", "Priya", "Rafael", "Rhys", "Rosa", "Ruth", "Samir", "Sarah", "Siobhán", "Sofia", "Tariq", "Tom",
    "Tomasz", "Uchenna", "Yusuf", "Zainab", "Zoë",
)
SURNAMES = (
    "Adeyemi", "Ahmed", "Bailey", "Begum", "Brennan", "Chen", "Clarke", "Costa", "Davies", "Dubois", "Evans",
    "Fernández", "Gallagher", "Green", "Hughes", "Hussain", "Iqbal", "Jones", "Kaur", "Kowalski", "Lewis",
    "Mensah", "Müller", "Murphy", "Nowak", "Nguyen", "Okafor", "O'Brien", "Osei", "Patel", "Pereira", "Price",
    "Rahman", "Roberts", "Santos", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Walker", "Williams", "Wright",
    "Yilmaz",
)
# Full names in their own scripts (one in ten people at most), so demos show that mixer handles them.
OWN_SCRIPT_NAMES = ("张伟", "Αλεξάνδρα Παπαδοπούλου", "Ольга Смирнова", "فاطمة الزهراء")


def sample_participants(n: int = 50, seed: int = 2026) -> list[Participant]:
    """``n`` invented people with ids "1".."n", drawn from the Brackenford organisations."""
    most = len(FIRST_NAMES) * len(SURNAMES)
    if not 1 <= n <= most:
        raise ValueError(f"the sample has between 1 and {most} people, not {n}")
    rng = random.Random(seed)
    own_script = list(OWN_SCRIPT_NAMES[: n // 10])
    names = own_script + _latin_names(rng, n - len(own_script))
    rng.shuffle(names)
    people = []
    for i, (name, organisation) in enumerate(zip(names, _organisations(rng, n)), start=1):
        level = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        people.append(
            Participant(
                id=str(i),
                name=name,
                organisation=organisation.name,
                sector=organisation.sector,
                level=level,
                role=rng.choice(organisation.roles[level]),
            )
        )
    return people


def sample_event() -> Event:
    """The demo event: 50 sample people at tables of 5 over 4 rounds."""
    people = sample_participants()
    return Event(
        name="Brackenford health and care partnership workshop",
        participants=tuple(people),
        tables=numbered_tables(len(people), table_size=5),
        rounds=4,
    )


def demo_event() -> Event:
    """The sample cohort under the shipped demo event file (``mixer/data/demo-event.toml``): an interpreter kept
    with the person she interprets for, two people kept apart, a table host, an accessible-table pin and one
    person per organisation at each table."""
    from importlib.resources import as_file, files

    from mixer.assemble import assemble_event
    from mixer.io.event_file import read_event_settings

    with as_file(files("mixer") / "data" / DEMO_EVENT_FILE) as path:
        settings = read_event_settings(path)
    return assemble_event(sample_participants(), settings)


def _latin_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct first-name + surname combinations."""
    picks = rng.sample(range(len(FIRST_NAMES) * len(SURNAMES)), n)
    return [f"{FIRST_NAMES[k // len(SURNAMES)]} {SURNAMES[k % len(SURNAMES)]}" for k in picks]


def _organisations(rng: random.Random, n: int) -> list[Organisation]:
    """An organisation per person, in the proportions of ``Organisation.size``, shuffled."""
    slots = [org for org in ORGANISATIONS for _ in range(org.size)]
    chosen: list[Organisation] = []
    while len(chosen) < n:
        rng.shuffle(slots)
        chosen.extend(slots)
    return chosen[:n]
