"""Suggestions (提案) on a need's page: ranked seeds with reasons, bookmark and dismiss."""

from __future__ import annotations

from django.utils import timezone

from tsunagari.factory import make_resource
from tsunagari.matching.models import Need, Suggestion
from tsunagari.matching.tests.test_needs import make_need, make_suggestion
from tsunagari.test import BaseTestCase

HTMX = {"HX-Request": "true"}


class SuggestionsTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.need = make_need(
            organization=self.organization, suggestions_computed_at=timezone.now()
        )
        self.hiroba = make_resource(
            "サンプル 週末親子ひろば", organization=self.other_organization, is_online=True
        )
        self.cafe = make_resource("サンプル 子ども食堂", municipality="141097")
        self.first = make_suggestion(
            self.need, self.hiroba, rank=1, reasons=["同じ市町村", "「親子」「週末」が一致"]
        )
        self.second = make_suggestion(self.need, self.cafe, rank=2, reasons=["意味が近い"])

    def page(self, query: str = "") -> str:
        return self.client.get(f"/needs/{self.need.pk}/{query}").content.decode()

    def test_the_owner_sees_ranked_seeds_with_their_reasons(self) -> None:
        self.login(self.staff)
        html = self.page()
        self.assertLess(html.index("サンプル 週末親子ひろば"), html.index("サンプル 子ども食堂"))
        self.assertIn(f'href="/resources/{self.hiroba.pk}/"', html)
        self.assertIn("「親子」「週末」が一致", html)
        self.assertIn("意味が近い", html)
        self.assertIn(self.other_organization.name, html)  # the provider
        self.assertIn("横浜市港北区", html)  # the area of the second seed
        self.assertIn("オンライン", html)

    def test_the_secretariat_sees_them_too(self) -> None:
        self.login(self.secretariat)
        self.assertIn("サンプル 週末親子ひろば", self.page())

    def test_it_links_a_member_seed_to_a_collaboration_proposal(self) -> None:
        self.login(self.staff)
        html = self.page()
        self.assertIn(
            f'href="/collaborations/new/?need={self.need.pk}&amp;resource={self.hiroba.pk}"', html
        )
        # The other seed has no member organisation to propose to.
        self.assertNotIn(f"resource={self.cafe.pk}", html)

    def test_a_bookmark_persists(self) -> None:
        self.login(self.staff)
        url = f"/needs/{self.need.pk}/suggestions/{self.first.pk}/bookmark/"
        r = self.client.post(url)
        self.assertRedirects(
            r, f"/needs/{self.need.pk}/#suggestion-{self.first.pk}", fetch_redirect_response=False
        )
        self.first.refresh_from_db()
        self.assertEqual(self.first.state, Suggestion.State.BOOKMARKED)
        self.assertIn("ブックマーク済み", self.page())
        self.assertIn("ブックマークを外す", self.page())

    def test_htmx_swaps_only_the_row(self) -> None:
        self.login(self.staff)
        url = f"/needs/{self.need.pk}/suggestions/{self.first.pk}/bookmark/"
        r = self.client.post(url, headers=HTMX)
        html = r.content.decode()
        self.assertTrue(html.startswith(f'<li id="suggestion-{self.first.pk}"'))
        self.assertIn("ブックマーク済み", html)
        self.assertNotIn("サンプル 子ども食堂", html)

    def test_a_dismissed_seed_is_hidden_until_asked_for_and_can_be_restored(self) -> None:
        self.login(self.staff)
        self.client.post(f"/needs/{self.need.pk}/suggestions/{self.second.pk}/dismiss/")
        html = self.page()
        self.assertNotIn("サンプル 子ども食堂", html)
        self.assertIn("対象外にした提案も表示する（1件）", html)
        html = self.page("?dismissed=1")
        self.assertIn("サンプル 子ども食堂", html)
        self.assertIn("元に戻す", html)
        r = self.client.post(
            f"/needs/{self.need.pk}/suggestions/{self.second.pk}/restore/", {"dismissed": "1"}
        )
        self.assertRedirects(
            r,
            f"/needs/{self.need.pk}/?dismissed=1#suggestion-{self.second.pk}",
            fetch_redirect_response=False,
        )
        self.assertIn("サンプル 子ども食堂", self.page())

    def test_states_survive_a_refresh_of_the_suggestions(self) -> None:
        from tsunagari.matching.engine import compute_suggestions

        self.first.state = Suggestion.State.BOOKMARKED
        self.first.save()
        self.second.state = Suggestion.State.DISMISSED
        self.second.save()
        compute_suggestions(self.need)
        states = dict(self.need.suggestions.values_list("resource_id", "state"))
        self.assertEqual(states[self.hiroba.pk], Suggestion.State.BOOKMARKED)
        self.assertEqual(states[self.cafe.pk], Suggestion.State.DISMISSED)

    def test_refresh_queues_the_engine(self) -> None:
        self.login(self.staff)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(f"/needs/{self.need.pk}/refresh/")
        self.assertRedirects(r, f"/needs/{self.need.pk}/", fetch_redirect_response=False)
        from django_tasks_db.models import DBTaskResult

        self.assertTrue(DBTaskResult.objects.get().task_path.endswith("refresh_need"))

    def test_staff_of_another_member_cannot_change_states(self) -> None:
        self.login(self.other_staff)
        r = self.client.post(f"/needs/{self.need.pk}/suggestions/{self.first.pk}/dismiss/")
        self.assertEqual(r.status_code, 403)
        self.first.refresh_from_db()
        self.assertEqual(self.first.state, Suggestion.State.NEW)

    def test_a_suggestion_of_another_need_is_not_found(self) -> None:
        other = make_need(organization=self.organization)
        self.login(self.staff)
        r = self.client.post(f"/needs/{other.pk}/suggestions/{self.first.pk}/bookmark/")
        self.assertEqual(r.status_code, 404)

    def test_an_unpublished_seed_is_not_suggested(self) -> None:
        self.cafe.status = "unpublished"
        self.cafe.save()
        self.login(self.staff)
        self.assertNotIn("サンプル 子ども食堂", self.page())

    def test_polling_gets_the_suggestions_only(self) -> None:
        self.login(self.staff)
        r = self.client.get(f"/needs/{self.need.pk}/", headers={**HTMX, "HX-Target": "suggestions"})
        html = r.content.decode()
        self.assertTrue(html.strip().startswith('<div id="suggestions"'))
        self.assertNotIn("<html", html)
        self.assertIn("サンプル 週末親子ひろば", html)

    def test_the_page_takes_a_fixed_number_of_queries(self) -> None:
        for n in range(8):
            make_suggestion(self.need, make_resource(f"サンプル 資源{n}"), rank=3 + n)
        self.login(self.staff)
        self.page()
        # session, user, need, target groups, kinds, suggestions, kinds, service areas,
        # locations, dismissed count
        with self.assertNumQueries(10):
            html = self.page()
        self.assertIn("サンプル 資源7", html)


class EngineSuggestionsTestCase(BaseTestCase):
    """The page with the real engine's results, run as the background task."""

    def test_a_posted_need_gets_ranked_seeds_with_reasons(self) -> None:
        hiroba = make_resource(
            "サンプル 週末親子ひろば",
            organization=self.other_organization,
            description="土曜と日曜に親子で遊べるひろばです（サンプル）。",
            targets=("kosodate",),
        )
        make_resource(
            "サンプル 高齢者の囲碁クラブ",
            description="平日の午後に囲碁を楽しむクラブです（サンプル）。",
            targets=("koreisha",),
            municipality="143821",  # 箱根町
        )
        self.login(self.staff)
        from tsunagari.matching.tests.test_needs import need_data

        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/needs/new/", need_data())
        need = Need.objects.get()
        self.assertContains(self.client.get(f"/needs/{need.pk}/"), "計算中です")
        self.run_tasks()
        need.refresh_from_db()
        self.assertIsNotNone(need.suggestions_computed_at)
        first = need.suggestions.order_by("rank").first()
        assert first is not None
        self.assertEqual(first.resource, hiroba)
        self.assertTrue(first.reasons)
        html = self.client.get(f"/needs/{need.pk}/").content.decode()
        self.assertIn("サンプル 週末親子ひろば", html)
        for reason in first.reasons:
            self.assertIn(reason, html)
