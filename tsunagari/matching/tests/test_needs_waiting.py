"""あなたの資源を待っているニーズ: the open needs a member's own resources could answer."""

from __future__ import annotations

from typing import Any
from unittest import mock

from tsunagari.factory import make_resource
from tsunagari.matching.models import Need
from tsunagari.matching.tests.test_needs import make_need
from tsunagari.test import BaseTestCase


def per_resource(answer: Any) -> Any:
    """A stand-in for engine.needs_for_resources from a one-resource answer."""
    return lambda resources, limit=10: {r.pk: answer(r, limit=limit) for r in resources}


class NeedsWaitingTestCase(BaseTestCase):
    def test_it_lists_each_own_published_resource_with_the_needs_it_could_answer(self) -> None:
        hiroba = make_resource("サンプル 週末親子ひろば", organization=self.organization)
        make_resource("サンプル 下書きの資源", organization=self.organization, status="draft")
        make_resource("サンプル 他団体の資源", organization=self.other_organization)
        need = make_need(organization=self.other_organization)
        answers = {hiroba.pk: [(need, 0.9, ["対象: 子育て世帯", "「親子」が一致"])]}

        def needs_for_resource(resource: Any, limit: int = 10) -> list[Any]:
            self.assertEqual(limit, 5)
            return answers.get(resource.pk, [])

        self.login(self.staff)
        with mock.patch(
            "tsunagari.matching.engine.needs_for_resources", per_resource(needs_for_resource)
        ):
            r = self.client.get("/needs/waiting/")
        self.assertContains(r, "サンプル 週末親子ひろば")
        self.assertContains(r, "週末に親子で参加できる場がほしい")
        self.assertContains(r, "「親子」が一致")
        self.assertNotContains(r, "サンプル 下書きの資源")
        self.assertNotContains(r, "サンプル 他団体の資源")

    def test_it_drops_needs_that_are_no_longer_open(self) -> None:
        hiroba = make_resource("サンプル 週末親子ひろば", organization=self.organization)
        closed = make_need("もう終わったニーズ", status=Need.Status.CLOSED)
        self.login(self.staff)
        with mock.patch(
            "tsunagari.matching.engine.needs_for_resources",
            per_resource(
                lambda resource, limit=10: [(closed, 0.5, [])] if resource == hiroba else []
            ),
        ):
            r = self.client.get("/needs/waiting/")
        self.assertNotContains(r, "もう終わったニーズ")
        self.assertContains(r, "合いそうな募集中のニーズはありません")

    def test_the_needs_are_read_in_one_query_whatever_their_number(self) -> None:
        resources = [
            make_resource(f"サンプル 資源{n}", organization=self.organization) for n in range(3)
        ]
        needs = [make_need(f"ニーズ{n}") for n in range(5)]
        self.login(self.staff)
        with mock.patch(
            "tsunagari.matching.engine.needs_for_resources",
            per_resource(lambda resource, limit=10: [(n, 0.5, ["同じ市町村"]) for n in needs]),
        ):
            self.client.get("/needs/waiting/")
            # session, user, resources, needs, their target groups and kinds, and the
            # needs the organisation already responded to
            with self.assertNumQueries(7):
                r = self.client.get("/needs/waiting/")
        self.assertContains(r, "ニーズ4", count=len(resources))

    def test_it_is_for_member_staff_only(self) -> None:
        for user in (self.officer, self.secretariat):
            self.login(user)
            self.assertEqual(self.client.get("/needs/waiting/").status_code, 403)

    def test_it_asks_the_real_engine(self) -> None:
        from tsunagari.matching.engine import compute_suggestions  # noqa: F401

        make_resource(
            "サンプル 週末親子ひろば",
            organization=self.organization,
            description="土曜と日曜に親子で遊べるひろばです（サンプル）。",
            targets=("kosodate",),
        )
        need = make_need(organization=self.other_organization)
        from tsunagari.matching.tasks import refresh_need

        refresh_need.enqueue(need.pk)
        self.run_tasks()
        self.login(self.staff)
        r = self.client.get("/needs/waiting/")
        self.assertContains(r, "週末に親子で参加できる場がほしい")
