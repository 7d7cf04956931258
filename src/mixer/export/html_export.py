"""The plan as one self-contained web page: by round and by person, with a search box.

Each round is drawn (inline SVG) as its tables, with people as dots coloured by sector and
shaped by level, so a facilitator sees that every table is a diagonal slice; hovering or
tapping a dot names the person. Styles and script are inline and a content security policy
forbids any request, so the page works from a USB stick and prints cleanly. Every text is escaped.
"""

from __future__ import annotations

import math
from html import escape
from importlib.resources import files

from mixer.export.seating import Group, PlanView, table_label
from mixer.model import Participant
from mixer.people import fold
from mixer.scoring import score_plan

# Okabe-Ito and Tol colours, told apart by most colour-blind readers.
SECTOR_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999933",
                  "#882255", "#44AA99")
UNKNOWN_COLOUR = "#BBBBBB"
LEVEL_SHAPES = ("circle", "square", "triangle", "diamond", "down", "hexagon")
DOT = 7.0  # half the size of a person's mark
WIDTH = 1100.0  # the drawing's width in SVG units
POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _asset(name: str) -> str:
    return (files("mixer.export") / "assets" / name).read_text(encoding="utf-8")


class _Key:
    """Which colour each sector gets and which shape each level, the same in the drawing and the legend."""

    def __init__(self, people: tuple[Participant, ...]) -> None:
        sectors = sorted({p.sector for p in people if p.sector}, key=fold)
        levels = list(dict.fromkeys(p.level for p in people if p.level))
        self.colour = {s: SECTOR_COLOURS[i % len(SECTOR_COLOURS)] for i, s in enumerate(sectors)}
        self.shape = {lv: LEVEL_SHAPES[i % len(LEVEL_SHAPES)] for i, lv in enumerate(levels)}
        self.has_unknown_sector = any(not p.sector for p in people)
        self.has_unknown_level = any(not p.level for p in people)

    def mark(self, person: Participant | None, x: float, y: float, *, sector: str | None = None,
             level: str | None = None) -> str:
        """The SVG of one mark: a person's, or a legend entry's (``sector`` and ``level`` given)."""
        if person is not None:
            sector, level = person.sector, person.level
        fill = self.colour.get(sector or "", UNKNOWN_COLOUR)
        shape = self.shape.get(level or "")
        css = "mark" if shape else "mark unknown-level"
        return _shape(shape or "circle", x, y, f'class="{css}" fill="{fill}"')


def _shape(shape: str, x: float, y: float, attrs: str) -> str:
    d = DOT
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{d:.1f}" {attrs}/>'
    if shape == "square":
        return f'<rect x="{x - d * .85:.1f}" y="{y - d * .85:.1f}" width="{d * 1.7:.1f}" height="{d * 1.7:.1f}" {attrs}/>'
    corners = {"triangle": (3, -90), "down": (3, 90), "diamond": (4, -90), "hexagon": (6, 0)}[shape]
    sides, start = corners
    radius = d * (1.35 if sides == 3 else 1.15)
    points = " ".join(
        f"{x + radius * math.cos(math.radians(start + 360 * i / sides)):.1f},"
        f"{y + radius * math.sin(math.radians(start + 360 * i / sides)):.1f}"
        for i in range(sides)
    )
    return f'<polygon points="{points}" {attrs}/>'


def _describe(person: Participant) -> str:
    details = [v for v in (person.organisation, person.sector, person.level) if v]
    return f"{person.name} — {' · '.join(details)}" if details else person.name


def _round_svg(groups: list[Group], key: _Key, round_no: int) -> str:
    """One round drawn as tables (circles) with each person a dot on the rim."""
    most = max((len(g.people) for g in groups), default=1)
    ring = max(34.0, most * 3.2 * DOT / (2 * math.pi))
    cell_w, cell_h = max(160.0, 2 * ring + 40), 2 * ring + 70
    columns = max(1, min(len(groups), int(WIDTH // cell_w)))
    rows = math.ceil(len(groups) / columns)
    parts = [f'<svg class="round" viewBox="0 0 {columns * cell_w:.0f} {rows * cell_h:.0f}" role="img" '
             f'aria-label="Round {round_no}: {len(groups)} tables" xmlns="http://www.w3.org/2000/svg">']
    for i, group in enumerate(groups):
        cx = (i % columns + .5) * cell_w
        cy = (i // columns) * cell_h + ring + 12
        table = group.table
        parts.append(f'<g class="table" data-table="{escape(table.id)}">'
                     f'<title>{escape(table_label(table))}: {len(group.people)} people</title>'
                     f'<circle class="table-shape" cx="{cx:.1f}" cy="{cy:.1f}" r="{ring - DOT - 5:.1f}"/>'
                     f'<text class="table-name" x="{cx:.1f}" y="{cy + ring + 22:.1f}">{escape(table.display_name)}</text>')
        if table.topic:
            parts.append(f'<text class="table-topic" x="{cx:.1f}" y="{cy + ring + 38:.1f}">{escape(table.topic)}</text>')
        for j, person in enumerate(group.people):
            angle = -math.pi / 2 + 2 * math.pi * j / max(1, len(group.people))
            x, y = cx + ring * math.cos(angle), cy + ring * math.sin(angle)
            label = escape(_describe(person))
            parts.append(f'<g class="dot" tabindex="0" data-person="{escape(person.id)}" data-label="{label}">'
                         f'<title>{label}</title>{key.mark(person, x, y)}</g>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _legend(key: _Key) -> str:
    def item(mark: str, text: str) -> str:
        return f'<span><svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{mark}</svg>{escape(text)}</span>'

    sectors = [item(key.mark(None, 9, 9, sector=s, level=next(iter(key.shape), None)), s) for s in key.colour]
    if key.has_unknown_sector:
        sectors.append(item(key.mark(None, 9, 9, sector=None, level=next(iter(key.shape), None)), "sector not known"))
    levels = [item(key.mark(None, 9, 9, sector=None, level=lv), lv) for lv in key.shape]
    if key.has_unknown_level:
        levels.append(item(key.mark(None, 9, 9, sector=None, level=None), "level not known"))
    return (f'<div class="legend" aria-label="Colours: sectors">{"".join(sectors)}</div>'
            f'<div class="legend" aria-label="Shapes: levels">{"".join(levels)}</div>')


def _group_list(groups: list[Group]) -> str:
    items = []
    for g in groups:
        names = ", ".join(f'<span data-person="{escape(p.id)}">{escape(p.name)}</span>' for p in g.people)
        items.append(f"<p><b>{escape(table_label(g.table))}</b>{names}</p>")
    return f'<div class="groups">{"".join(items)}</div>'


def _people_table(view: PlanView) -> str:
    head = "".join(f"<th>Round {r}</th>" for r in range(1, view.rounds + 1))
    rows = []
    for p in view.people():
        search = escape(fold(" ".join(v for v in (p.name, p.id, p.organisation or "") if v)))
        cells = "".join(
            f"<td>{escape(table_label(t))}</td>" if t else '<td class="absent">not there</td>' for t in view.seats(p.id)
        )
        rows.append(f'<tr data-person="{escape(p.id)}" data-search="{search}"><td>{escape(p.name)}</td>'
                    f'<td>{escape(p.organisation or "")}</td>{cells}</tr>')
    return (f'<table class="people"><thead><tr><th>Name</th><th>Organisation</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def plan_html(view: PlanView) -> str:
    """The whole page."""
    event = view.event
    key = _Key(event.participants)
    score = score_plan(view.plan)
    facts = (f"{len(event.participants)} people · {view.rounds} rounds · {score.repeats} repeat meetings · "
             f"each person meets {score.min_new_met} to {score.max_new_met} new people")
    rounds = []
    for r in range(1, view.rounds + 1):
        groups = view.groups(r)
        kind = "tables" if event.at_event_tables(r) else "groups"
        rounds.append(f'<section class="round" id="round-{r}"><h3>Round {r} · {len(groups)} {kind}</h3>'
                      f"{_round_svg(groups, key, r)}{_group_list(groups)}</section>")
    title = escape(event.name)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title} · table plan</title>
<style>{_asset("plan.css")}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="facts">{escape(facts)}</p>
<div class="tools">
<input id="search" type="search" placeholder="Find a person by name, id or organisation" aria-label="Find a person" autocomplete="off">
<span id="found" role="status"></span>
<nav><a href="#by-round">By round</a><a href="#by-person">By person</a></nav>
</div>
</header>
<main>
<section id="by-round">
<h2>By round</h2>
<p class="hint">Each circle is a table; each mark a person, coloured by sector and shaped by level. Hover or tap a mark to see who it is.</p>
{_legend(key)}
{"".join(rounds)}
</section>
<section id="by-person">
<h2>By person</h2>
{_people_table(view)}
</section>
</main>
<p id="tip" role="status" aria-live="polite"></p>
<script>{_asset("plan.js")}</script>
</body>
</html>
"""
