"""The network graph: members as nodes, weighted and dated ties as edges."""

from __future__ import annotations

from datetime import date
from typing import Any

from tsunagari.members.models import Membership, Organization
from tsunagari.network.graph import build_graph
from tsunagari.network.tests.factory import attend, collaborate, group_of, make_member
from tsunagari.test import BaseTestCase


class GraphTests(BaseTestCase):
    def setUp(self) -> None:
        self.a = make_member("【テスト】団体A", municipalities=("142051",))
        self.b = make_member("【テスト】団体B", "private")
        self.c = make_member("【テスト】団体C", "academic")

    def edge(self, graph: Any, x: Organization, y: Organization) -> Any:
        key = (min(x.pk, y.pk), max(x.pk, y.pk))
        return next((e for e in graph.edges if (e.a, e.b) == key), None)

    def test_members_are_nodes_with_sector_and_municipality(self) -> None:
        graph = build_graph()
        node = graph.nodes[self.a.pk]
        self.assertEqual(node.sector, "community")
        self.assertEqual(node.municipalities, [("142051", "藤沢市")])
        self.assertIn(self.organization.pk, graph.nodes)

    def test_former_members_are_not_nodes(self) -> None:
        gone = Organization.objects.create(name="【テスト】退会", sector="community")
        Membership.objects.create(organization=gone, started_on="2024-04-01", ended_on="2024-05-01")
        collaborate(self.a, gone, on=date(2024, 4, 20))
        graph = build_graph()
        self.assertNotIn(gone.pk, graph.nodes)
        self.assertEqual(graph.edges, [])

    def test_weights_add_up_by_kind_and_dates_span_the_sightings(self) -> None:
        collaborate(self.a, self.b, on=date(2025, 6, 1))
        attend(self.a, self.b, self.c, on=date(2025, 1, 10))
        attend(self.a, self.b, on=date(2025, 9, 3))
        group_of((self.a, date(2025, 2, 1), date(2025, 3, 31)), (self.b, date(2025, 1, 1), None))
        edge = self.edge(build_graph(), self.a, self.b)
        self.assertEqual(dict(edge.reasons), {"collaboration": 1, "meeting": 2, "group": 1})
        self.assertEqual(edge.weight, 3 + 1 + 1 + 2)
        self.assertEqual(edge.first, date(2025, 1, 10))
        self.assertEqual(edge.last, date(2025, 9, 3))

    def test_proposed_or_declined_collaborations_and_open_meetings_are_no_tie(self) -> None:
        collaborate(self.a, self.b, on=date(2025, 6, 1), status="proposed")
        collaborate(self.a, self.c, on=date(2025, 6, 1), status="declined")
        attend(self.b, self.c, on=date(2025, 6, 2), closed=False)
        self.assertEqual(build_graph().edges, [])

    def test_every_two_accepted_parties_of_a_collaboration_are_tied(self) -> None:
        from tsunagari.collaborations.models import CollaborationParty

        collaboration = collaborate(self.a, self.b, on=date(2025, 6, 1))
        CollaborationParty.objects.create(
            collaboration=collaboration, organization=self.c, role="venue", status="accepted"
        )
        declined = make_member("【テスト】団体D")
        CollaborationParty.objects.create(
            collaboration=collaboration, organization=declined, role="funder", status="declined"
        )
        graph = build_graph()
        for x, y in ((self.a, self.b), (self.a, self.c), (self.b, self.c)):
            self.assertEqual(dict(self.edge(graph, x, y).reasons), {"collaboration": 1})
        self.assertIsNone(self.edge(graph, self.a, declined))

    def test_group_members_who_never_overlapped_are_no_tie(self) -> None:
        group_of((self.a, date(2024, 5, 1), date(2024, 6, 1)), (self.b, date(2024, 7, 1), None))
        self.assertIsNone(self.edge(build_graph(), self.a, self.b))

    def test_since_keeps_only_ties_seen_on_or_after_the_day(self) -> None:
        attend(self.a, self.b, on=date(2024, 12, 1))
        attend(self.a, self.c, on=date(2025, 4, 1))
        graph = build_graph(date(2025, 4, 1))
        self.assertIsNone(self.edge(graph, self.a, self.b))
        self.assertIsNotNone(self.edge(graph, self.a, self.c))

    def test_kinds_filter_the_ties(self) -> None:
        attend(self.a, self.b, on=date(2025, 4, 1))
        collaborate(self.a, self.c, on=date(2025, 4, 1))
        graph = build_graph(kinds=["collaboration"])
        self.assertEqual([(e.a, e.b) for e in graph.edges], [(self.a.pk, self.c.pk)])

    def test_isolated_lists_members_with_no_tie_or_only_one(self) -> None:
        collaborate(self.a, self.b, on=date(2025, 6, 1))
        collaborate(self.a, self.c, on=date(2025, 6, 1))
        isolated = {n.id for n in build_graph().isolated()}
        self.assertNotIn(self.a.pk, isolated)
        self.assertIn(self.b.pk, isolated)
        self.assertIn(self.organization.pk, isolated)

    def test_it_takes_the_same_few_queries_however_big(self) -> None:
        for i in range(5):
            other = make_member(f"【テスト】追加{i}")
            attend(self.a, other, on=date(2025, 5, 1))
            collaborate(self.b, other, on=date(2025, 5, 2))
        group_of((self.a, date(2025, 1, 1), None), (self.c, date(2025, 1, 1), None))
        with self.assertNumQueries(5):
            graph = build_graph()
        self.assertEqual(len(graph.edges), 11)
