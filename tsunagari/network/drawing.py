"""The graph drawn on the server: a circular layout grouped by sector (no JavaScript).

The members sit on one circle in the order of the sectors (民間事業者・地域・学識者・
行政・当事者) and then by reading, with a gap between sectors, so the same data always
gives the same picture and ties across sectors are the chords that cross the circle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tsunagari.members.models import Sector
from tsunagari.network.graph import Edge, Graph, Node

SIZE = 1000  # the viewBox is SIZE × SIZE; the picture scales to its box
RADIUS = 300
LABEL_CHARS = 10
# One colour per sector (Okabe–Ito, readable for colour-blind people); the legend
# and the table say the sector in words too.
SECTOR_COLOURS = {
    "private": "#0072B2",
    "community": "#009E73",
    "academic": "#CC79A7",
    "government": "#D55E00",
    "lived_experience": "#8A6D00",
}
DEFAULT_COLOUR = "#555555"


@dataclass
class PlacedNode:
    node: Node
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    rotate: float  # degrees: labels run outwards along the radius, so they never overlap
    label: str
    colour: str
    r: float


@dataclass
class PlacedEdge:
    edge: Edge
    a: PlacedNode
    b: PlacedNode
    width: float


@dataclass
class Drawing:
    size: int
    nodes: list[PlacedNode]
    edges: list[PlacedEdge]
    legend: list[tuple[str, str]]  # (sector label, colour)


# Legal forms dropped from the short labels in the picture (the full name is in the
# node's <title> and in the table).
LEGAL_FORMS = (
    "【サンプル】",
    "認定特定非営利活動法人",
    "特定非営利活動法人",
    "NPO法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "株式会社",
    "合同会社",
)


def _short(name: str) -> str:
    for prefix in LEGAL_FORMS:
        name = name.removeprefix(prefix).strip()
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def draw(graph: Graph) -> Drawing:
    order = {value: i for i, value in enumerate(Sector.values)}
    nodes = sorted(graph.nodes.values(), key=lambda n: (order.get(n.sector, 99), n.name, n.id))
    sectors = [n.sector for n in nodes]
    gaps = len(set(sectors))
    slots = len(nodes) + gaps  # one empty slot between sectors
    placed: dict[int, PlacedNode] = {}
    centre = SIZE / 2
    slot = 0
    previous: str | None = None
    for node in nodes:
        if previous is not None and node.sector != previous:
            slot += 1
        previous = node.sector
        angle = 2 * math.pi * slot / max(slots, 1) - math.pi / 2
        slot += 1
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = centre + RADIUS * cos, centre + RADIUS * sin
        placed[node.id] = PlacedNode(
            node=node,
            x=round(x, 1),
            y=round(y, 1),
            label_x=round(centre + (RADIUS + 16) * cos, 1),
            label_y=round(centre + (RADIUS + 16) * sin, 1),
            anchor="start" if cos >= 0 else "end",
            rotate=round(math.degrees(angle) + (0 if cos >= 0 else 180), 1),
            label=_short(node.name),
            colour=SECTOR_COLOURS.get(node.sector, DEFAULT_COLOUR),
            r=round(6 + min(node.degree, 8), 1),
        )
    edges = [
        PlacedEdge(edge=e, a=placed[e.a], b=placed[e.b], width=min(1 + e.weight, 12))
        for e in graph.edges
    ]
    legend = [
        (str(Sector(value).label), SECTOR_COLOURS.get(value, DEFAULT_COLOUR))
        for value in Sector.values
        if value in sectors
    ]
    return Drawing(size=SIZE, nodes=list(placed.values()), edges=edges, legend=legend)
