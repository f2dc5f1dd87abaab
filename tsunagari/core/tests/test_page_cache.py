"""Anonymous pages from the cache (tsunagari/lib/pagecache.py): what a resident notices is
that a change shows at once, that every language and wording stays its own, that a
signed-in person always sees their own page, and that forms keep working."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagari.directory import search, services
from tsunagari.directory.models import Resource
from tsunagari.factory import make_resource
from tsunagari.lib.antibot import token_age
from tsunagari.members.models import Membership, Organization
from tsunagari.surveys import scoring
from tsunagari.surveys import services as survey_services
from tsunagari.test import BaseTestCase

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')
FILL_TIME = re.compile(r'name="shown_at" value="([^"]+)"')


def html(response: Any) -> str:
    return response.content.decode()


def served(response: Any) -> str:
    """ "hit" or "miss" for a page the page cache handled, "" for one it left alone."""
    return getattr(response, "pagecache", "")


class PageCacheTestCase(BaseTestCase):
    resource: Resource

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.resource = make_resource("サンプル ひだまり食堂", organization=cls.organization)
        search.reindex(cls.resource)

    def detail_url(self) -> str:
        return f"/resources/{self.resource.pk}/"


class ChangesShowAtOnceTests(PageCacheTestCase):
    def test_a_renamed_resource_shows_on_its_page_and_in_search_at_once(self) -> None:
        self.client.get(self.detail_url())
        self.assertContains(self.client.get("/resources/?q=たんぽぽ"), "0件見つかりました")
        self.assertEqual(self.client.get("/api/v1/services?q=たんぽぽ").json()["count"], 0)

        self.resource.name = "サンプル たんぽぽ食堂"
        self.resource.save()
        search.reindex(self.resource)

        self.assertContains(self.client.get(self.detail_url()), "たんぽぽ食堂")
        found = self.client.get("/resources/?q=たんぽぽ")
        self.assertContains(found, "1件見つかりました")
        self.assertContains(found, "たんぽぽ食堂")
        api = self.client.get("/api/v1/services?q=たんぽぽ").json()
        self.assertEqual([r["name"] for r in api["results"]], ["サンプル たんぽぽ食堂"])

    def test_an_unpublished_resource_leaves_the_public_pages_at_once(self) -> None:
        self.assertEqual(self.client.get(self.detail_url()).status_code, 200)
        self.assertContains(self.client.get("/resources/?q=ひだまり"), "ひだまり食堂")

        services.unpublish(self.resource, by=self.secretariat, reason="閉所")

        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.assertNotContains(self.client.get("/resources/?q=ひだまり"), "ひだまり食堂")

    def test_a_new_kind_label_shows_on_the_resource_page(self) -> None:
        self.client.get(self.detail_url())
        kind = self.resource.kinds.get()
        kind.name = "みんなの居場所（改称）"
        kind.save()
        self.assertContains(self.client.get(self.detail_url()), "みんなの居場所（改称）")

    def test_a_member_that_leaves_the_roster_leaves_the_home_page(self) -> None:
        self.assertContains(self.client.get("/"), self.other_organization.name)
        membership = Membership.objects.get(organization=self.other_organization, ended_on=None)
        membership.ended_on = timezone.localdate()
        membership.save()
        self.assertNotContains(self.client.get("/"), self.other_organization.name)

    def test_a_renamed_organization_shows_as_the_provider(self) -> None:
        self.client.get(self.detail_url())
        organization = Organization.objects.get(pk=self.organization.pk)
        organization.name = "サンプル 改称した法人"
        organization.save()
        self.assertContains(self.client.get(self.detail_url()), "サンプル 改称した法人")

    def test_a_stored_self_check_is_counted_on_the_results_page(self) -> None:
        first = self.client.get("/selfcheck/results/")
        self.assertEqual(served(first), "miss")
        self.assertEqual(served(self.client.get("/selfcheck/results/")), "hit")
        survey_services.record_selfcheck(scoring.score([2, 2, 2], 3))
        again = self.client.get("/selfcheck/results/")
        self.assertEqual(served(again), "miss")  # rendered afresh from the new tallies


class LanguagesAndWordingsTests(PageCacheTestCase):
    def test_japanese_english_and_easy_japanese_are_cached_apart(self) -> None:
        for _ in range(2):  # the second round comes from the cache
            ja = self.client.get("/resources/")
            easy = self.client.get("/resources/?wording=easy")
            self.client.cookies.pop("wording", None)
            en = self.client.get("/resources/", headers={"accept-language": "en"})
            self.assertContains(ja, '<html lang="ja">')
            self.assertContains(ja, "地域の居場所・支えをさがす")
            self.assertContains(easy, 'data-wording="easy"')
            self.assertContains(en, '<html lang="en">')
            self.assertNotContains(en, "地域の居場所・支えをさがす")
        self.assertEqual(served(en), "hit")

    def test_the_wording_cookie_gives_the_easy_page_at_the_same_address(self) -> None:
        plain = self.client.get("/selfcheck/")
        self.client.cookies["wording"] = "easy"
        easy = self.client.get("/selfcheck/")
        self.assertNotContains(plain, "こたえてください")
        self.assertContains(easy, "こたえてください")
        del self.client.cookies["wording"]
        self.assertNotContains(self.client.get("/selfcheck/"), "こたえてください")


class SignedInTests(PageCacheTestCase):
    def test_a_signed_in_person_never_gets_the_anonymous_page(self) -> None:
        anonymous = self.client.get("/")
        self.assertContains(anonymous, "ログイン")
        self.login(self.staff)
        mine = self.client.get("/")
        self.assertContains(mine, "ログアウト")
        self.assertContains(mine, "マイページ")
        self.assertEqual(served(mine), "")

    def test_staff_see_their_draft_where_visitors_get_not_found(self) -> None:
        self.resource.status = Resource.Status.DRAFT
        self.resource.save()
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)
        self.login(self.staff)
        self.assertContains(self.client.get(self.detail_url()), "ひだまり食堂")
        self.client.logout()
        self.assertEqual(self.client.get(self.detail_url()).status_code, 404)

    def test_the_anonymous_page_is_not_stored_from_a_signed_in_visit(self) -> None:
        self.login(self.secretariat)
        self.client.get("/selfcheck/results/")
        self.client.logout()
        page = self.client.get("/selfcheck/results/")
        self.assertEqual(served(page), "miss")
        self.assertNotContains(page, "研究者向け")  # the secretariat's export link


class QueriesTests(PageCacheTestCase):
    def test_the_cached_pages_read_nothing_from_the_database(self) -> None:
        for url in (
            "/",
            self.detail_url(),
            "/resources/?q=ひだまり",
            "/selfcheck/",
            "/selfcheck/results/",
        ):
            with self.subTest(url=url):
                self.client.get(url)
                with self.assertNumQueries(0):
                    self.assertEqual(served(self.client.get(url)), "hit")

    def test_the_services_api_reads_nothing_the_second_time(self) -> None:
        first = self.client.get("/api/v1/services?q=ひだまり").json()
        with self.assertNumQueries(0):
            again = self.client.get("/api/v1/services?q=ひだまり").json()
        self.assertEqual(first, again)

    @override_settings(PAGE_CACHE_SECONDS=0)
    def test_the_cache_can_be_turned_off(self) -> None:
        with CaptureQueriesContext(connection) as first:
            self.client.get(self.detail_url())
        with self.assertNumQueries(len(first)):
            self.assertEqual(served(self.client.get(self.detail_url())), "")


class FreshValuesTests(PageCacheTestCase):
    def test_each_response_has_its_own_csrf_token_and_nonce(self) -> None:
        pages = [self.client.get("/") for _ in range(3)]
        self.assertEqual([served(p) for p in pages], ["miss", "hit", "hit"])
        tokens = {CSRF.search(html(p)).group(1) for p in pages}  # type: ignore[union-attr]
        self.assertEqual(len(tokens), 3)
        for page in pages:
            nonce = NONCE.search(html(page)).group(1)  # type: ignore[union-attr]
            self.assertIn(f"'nonce-{nonce}'", page["Content-Security-Policy"])
            self.assertNotIn("pagecache-", html(page))
        self.assertIn("csrftoken", pages[-1].cookies)

    def test_the_language_select_works_from_a_cached_page(self) -> None:
        self.client.get("/")
        client = self.client_class(enforce_csrf_checks=True)
        page = client.get("/")
        self.assertEqual(served(page), "hit")
        token = CSRF.search(html(page)).group(1)  # type: ignore[union-attr]
        chosen = client.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        self.assertEqual(chosen.status_code, 302)
        self.assertContains(client.get("/"), '<html lang="en">')

    def test_the_self_check_form_gets_a_new_fill_time_token(self) -> None:
        first = self.client.get("/selfcheck/")
        second = self.client.get("/selfcheck/")
        self.assertEqual(served(second), "hit")
        tokens = [FILL_TIME.search(html(p)).group(1) for p in (first, second)]  # type: ignore[union-attr]
        self.assertNotEqual(tokens[0], tokens[1])
        age = token_age(tokens[1])
        self.assertIsNotNone(age)
        self.assertLess(age, 60)  # type: ignore[arg-type]
        self.assertEqual(second["Cache-Control"], first["Cache-Control"])  # still no-store

    def test_a_page_with_a_message_waiting_is_not_taken_from_the_cache(self) -> None:
        self.client.get("/")
        request = HttpRequest()
        storage = CookieStorage(request)
        storage.add(constants.INFO, "お知らせ（テスト）")
        response = self.client.get("/")  # a response to carry the cookie
        storage.update(response)
        self.client.cookies["messages"] = response.cookies["messages"].value
        page = self.client.get("/")
        self.assertContains(page, "お知らせ（テスト）")
        self.assertEqual(served(page), "")
