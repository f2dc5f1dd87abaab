"""The network graph (つながりの見える化): members as nodes, ties between them as edges.

A tie between two members is seen whenever they work together:

- **collaboration** (weight 3): both are parties of a collaboration that was accepted,
  is in progress or was completed; dated by the collaboration's last change;
- **group** (weight 2): both are (or were) members of the same working group (分科会)
  at the same time; dated by the first and last day they overlapped (today when
  neither has left);
- **meeting** (weight 1): both attended the same closed meeting; dated by the meeting.

An edge's weight is the sum of the weights of its sightings (two meetings and one
collaboration weigh 1 + 1 + 3 = 5); its first and last dates are those of its earliest
and latest sightings. `since` keeps only sightings on or after that day. The graph is
built in a fixed number of queries whatever the size of the network.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tsunagari.members.models import Organization, Sector

COLLABORATION = "collaboration"
GROUP = "group"
MEETING = "meeting"
WEIGHTS = {COLLABORATION: 3, GROUP: 2, MEETING: 1}
KIND_LABELS = {
    COLLABORATION: _("連携・協働"),
    GROUP: pgettext_lazy("network", "分科会"),
    MEETING: _("会議に同席"),
}
KINDS = tuple(WEIGHTS)


@dataclass
class Node:
    id: int
    name: str
    sector: str
    municipalities: list[tuple[str, str]]  # (code, label)
    degree: int = 0
    strength: int = 0  # the sum of the weights of its edges

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector in Sector.values else self.sector

    @property
    def municipality_labels(self) -> str:
        return gettext("、").join(label for _code, label in self.municipalities)


@dataclass
class Edge:
    a: int  # the smaller organisation id
    b: int
    reasons: Counter[str] = field(default_factory=Counter)
    first: date | None = None
    last: date | None = None

    @property
    def weight(self) -> int:
        return sum(WEIGHTS[kind] * n for kind, n in self.reasons.items())

    @property
    def kinds(self) -> list[str]:
        return [kind for kind in KINDS if self.reasons.get(kind)]

    @property
    def reason_rows(self) -> list[tuple[str, str, int]]:
        """(kind, label, count) in the order of KINDS, for templates."""
        return [(kind, str(KIND_LABELS[kind]), self.reasons[kind]) for kind in self.kinds]

    def see(self, kind: str, day: date) -> None:
        self.reasons[kind] += 1
        self.first = day if self.first is None or day < self.first else self.first
        self.last = day if self.last is None or day > self.last else self.last


@dataclass
class Graph:
    nodes: dict[int, Node]
    edges: list[Edge]
    since: date | None = None
    kinds: tuple[str, ...] = KINDS

    def node(self, pk: int) -> Node:
        return self.nodes[pk]

    def pairs(self) -> set[tuple[int, int]]:
        return {(e.a, e.b) for e in self.edges}

    def isolated(self) -> list[Node]:
        """Members with no tie, or only one, fewest ties first."""
        few = [n for n in self.nodes.values() if n.degree <= 1]
        return sorted(few, key=lambda n: (n.degree, n.strength, n.name))


def _local_day(value: object) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    return timezone.localdate(value)  # type: ignore[arg-type]


def collaboration_edges(since: date | None) -> Iterator[tuple[int, int, date]]:
    """(org_a, org_b, day) for every pair of organisations that both accepted a part in a
    collaboration that was accepted, is in progress or was completed (2..n parties);
    `day` is its last change."""
    from tsunagari.collaborations.models import Collaboration, CollaborationParty

    live = (
        Collaboration.Status.ACCEPTED,
        Collaboration.Status.IN_PROGRESS,
        Collaboration.Status.COMPLETED,
    )
    qs = CollaborationParty.objects.filter(
        status=CollaborationParty.Status.ACCEPTED, collaboration__status__in=live
    )
    if since is not None:
        qs = qs.filter(collaboration__updated_at__date__gte=since)
    by_collaboration: dict[int, tuple[date, list[int]]] = {}
    for collaboration_id, organization_id, updated_at in qs.values_list(
        "collaboration_id", "organization_id", "collaboration__updated_at"
    ).order_by("collaboration_id", "organization_id"):
        by_collaboration.setdefault(collaboration_id, (_local_day(updated_at), []))[1].append(
            organization_id
        )
    for day, organizations in by_collaboration.values():
        for a, b in combinations(organizations, 2):
            yield a, b, day


def meeting_edges(since: date | None) -> Iterator[tuple[int, int, date]]:
    """(org_a, org_b, day) for every pair of organisations that attended one closed meeting."""
    from tsunagari.meetings.models import Meeting

    through = Meeting.attending_organizations.through
    qs = through.objects.filter(meeting__status=Meeting.Status.CLOSED)
    if since is not None:
        qs = qs.filter(meeting__starts_at__date__gte=since)
    by_meeting: dict[int, tuple[date, list[int]]] = {}
    for meeting_id, organization_id, starts_at in qs.values_list(
        "meeting_id", "organization_id", "meeting__starts_at"
    ).order_by("meeting_id", "organization_id"):
        by_meeting.setdefault(meeting_id, (_local_day(starts_at), []))[1].append(organization_id)
    for day, organizations in by_meeting.values():
        for a, b in combinations(organizations, 2):
            yield a, b, day


def group_edges(since: date | None) -> Iterator[tuple[int, int, date, date]]:
    """(org_a, org_b, first, last) for two organisations in one working group at the same
    time: from the later joining to the earlier leaving (today while both stay)."""
    from tsunagari.groups.models import GroupMembership

    today = timezone.localdate()
    qs = GroupMembership.objects.all()
    if since is not None:
        qs = qs.filter(Q(left_on__isnull=True) | Q(left_on__gte=since))
    by_group: dict[int, list[tuple[int, date, date]]] = {}
    for group_id, organization_id, joined_on, left_on in qs.values_list(
        "group_id", "organization_id", "joined_on", "left_on"
    ).order_by("group_id", "organization_id"):
        by_group.setdefault(group_id, []).append((organization_id, joined_on, left_on or today))
    for members in by_group.values():
        for (a, a_in, a_out), (b, b_in, b_out) in combinations(members, 2):
            first, last = max(a_in, b_in), min(a_out, b_out)
            if since is not None:
                first = max(first, since)
            if first > last:
                continue
            yield a, b, first, last


def member_nodes(day: date | None = None) -> dict[int, Node]:
    """The members on `day` (today by default), 【サンプル】 ones included as elsewhere in
    the members' own pages: two queries."""
    members = (
        Organization.objects.members_on(day or timezone.localdate(), include_samples=True)
        .by_reading()
        .prefetch_related("municipalities")
    )
    return {
        o.pk: Node(
            id=o.pk,
            name=o.name,
            sector=o.sector,
            municipalities=[(m.code, str(m.label)) for m in o.municipalities.all()],
        )
        for o in members
    }


def build_graph(
    since: date | None = None, kinds: Iterable[str] | None = None, *, day: date | None = None
) -> Graph:
    """The graph of the members on `day`, with the ties seen on or after `since` of the
    given kinds (every kind by default)."""
    chosen = tuple(k for k in KINDS if kinds is None or k in set(kinds))
    nodes = member_nodes(day)
    edges: dict[tuple[int, int], Edge] = {}

    def see(a: int, b: int, kind: str, *days: date) -> None:
        if a == b or a not in nodes or b not in nodes:
            return
        key = (min(a, b), max(a, b))
        edge = edges.get(key)
        if edge is None:
            edge = edges[key] = Edge(*key)
        edge.see(kind, days[0])
        for other in days[1:]:
            edge.first = min(edge.first or other, other)
            edge.last = max(edge.last or other, other)

    if COLLABORATION in chosen:
        for a, b, d in collaboration_edges(since):
            see(a, b, COLLABORATION, d)
    if GROUP in chosen:
        for a, b, first, last in group_edges(since):
            see(a, b, GROUP, first, last)
    if MEETING in chosen:
        for a, b, d in meeting_edges(since):
            see(a, b, MEETING, d)

    ordered = sorted(edges.values(), key=lambda e: (-e.weight, e.a, e.b))
    for edge in ordered:
        for pk in (edge.a, edge.b):
            nodes[pk].degree += 1
            nodes[pk].strength += edge.weight
    return Graph(nodes=nodes, edges=ordered, since=since, kinds=chosen)
