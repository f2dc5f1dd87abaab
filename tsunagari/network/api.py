"""GET /api/v1/network/graph: the network graph as JSON, for the secretariat only.

The graph shows which members work with whom, including collaborations that are not
public: it is the secretariat's, like the drawn page. The API is otherwise public, so
this operation checks the session itself: 401 without one, 403 for anyone who is not
the secretariat (JSON bodies, as every error of the API).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from tsunagari.lib.apierrors import ApiProblem, ErrorOut
from tsunagari.network.graph import KINDS, WEIGHTS, build_graph

router = Router(tags=["network"])


class Municipality(Schema):
    code: str
    name: str


class GraphNode(Schema):
    id: int
    name: str
    sector: str = Field(
        description="private / community / academic / government / lived_experience"
    )
    sector_label: str
    municipalities: list[Municipality]
    degree: int = Field(description="How many members it has a tie with")
    strength: int = Field(description="The sum of the weights of its ties")


class GraphEdge(Schema):
    source: int = Field(description="The id of one organisation (the smaller)")
    target: int = Field(description="The id of the other")
    weight: int = Field(description=f"Sum over sightings of {WEIGHTS}")
    reasons: dict[str, int] = Field(description="Sightings counted by kind: " + ", ".join(KINDS))
    first_seen: dt.date
    last_seen: dt.date


class GraphOut(Schema):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    generated_at: dt.datetime
    since: dt.date | None
    weights: dict[str, int]


class GraphFilters(Schema):
    since: str | None = Field(None, description="YYYY-MM-DD: only ties seen on or after that day")


def parse_since(value: str | None) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ApiProblem(
            "Some parameters are not valid.", {"since": "Give a date as YYYY-MM-DD."}
        ) from None


@router.get(
    "/network/graph",
    response={200: GraphOut, 401: ErrorOut, 403: ErrorOut},
    summary="The network graph (secretariat only)",
    url_name="network_graph",
)
def network_graph(request: HttpRequest, filters: Query[GraphFilters]) -> Status:
    """Members as nodes; ties from collaborations (weight 3), working groups (2) and
    closed meetings attended together (1) as edges, each dated and with its reasons."""
    user = request.user
    if not user.is_authenticated:
        return Status(401, {"detail": "Sign in as the secretariat to read the network graph."})
    if not getattr(user, "is_secretariat", False):
        return Status(403, {"detail": "Only the secretariat may read the network graph."})
    since = parse_since(filters.since)
    graph = build_graph(since)
    return Status(
        200,
        {
            "nodes": [
                {
                    "id": n.id,
                    "name": n.name,
                    "sector": n.sector,
                    "sector_label": n.sector_label,
                    "municipalities": [{"code": c, "name": label} for c, label in n.municipalities],
                    "degree": n.degree,
                    "strength": n.strength,
                }
                for n in graph.nodes.values()
            ],
            "edges": [
                {
                    "source": e.a,
                    "target": e.b,
                    "weight": e.weight,
                    "reasons": {k: e.reasons[k] for k in e.kinds},
                    "first_seen": e.first,
                    "last_seen": e.last,
                }
                for e in graph.edges
            ],
            "generated_at": timezone.now(),
            "since": since,
            "weights": WEIGHTS,
        },
    )
