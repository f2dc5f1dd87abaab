"""Member staff choose to receive the mailings (off until they do), and stop them with
one click from the mail: a POST without a session or CSRF token (RFC 8058)."""

from __future__ import annotations

from django.test import Client

from tsunagari.news import services
from tsunagari.news.models import Subscription
from tsunagari.news.tests.factory import subscribe
from tsunagari.test import BaseTestCase


class SubscriptionTests(BaseTestCase):
    def test_it_is_off_until_the_person_turns_it_on(self) -> None:
        self.assertFalse(services.is_subscribed(self.staff))
        self.login(self.staff)
        r = self.client.get("/news/mailings/subscription/")
        self.assertContains(r, "事務局からの会員向けメールを受け取る")
        self.assertNotContains(r, "checked")
        r = self.client.post("/news/mailings/subscription/", {"subscribed": "on"}, follow=True)
        self.assertContains(r, "会員向けメールを受け取る設定にしました。")
        self.assertContains(r, "checked")
        self.assertTrue(services.is_subscribed(self.staff))
        self.client.post("/news/mailings/subscription/", {})
        self.assertFalse(services.is_subscribed(self.staff))

    def test_the_dashboard_links_to_the_setting(self) -> None:
        self.login(self.staff)
        self.assertContains(self.client.get("/my/"), 'href="/news/mailings/subscription/"')


class OneClickUnsubscribeTests(BaseTestCase):
    def url(self) -> str:
        return f"/news/mailings/unsubscribe/{services.unsubscribe_token(self.staff)}/"

    def test_a_get_only_asks_and_changes_nothing(self) -> None:
        subscribe(self.staff)
        r = self.client.get(self.url())
        self.assertContains(r, "配信を停止する")
        self.assertTrue(services.is_subscribed(self.staff))

    def test_the_mail_clients_post_unsubscribes_without_a_csrf_token(self) -> None:
        subscribe(self.staff)
        client = Client(enforce_csrf_checks=True)
        r = client.post(self.url(), {"List-Unsubscribe": "One-Click"})
        self.assertContains(r, "配信を停止しました。")
        self.assertFalse(services.is_subscribed(self.staff))
        # Again: still stopped, still a kind answer.
        self.assertEqual(client.post(self.url()).status_code, 200)

    def test_other_forms_of_the_app_still_need_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        from tsunagari.test import sign_in

        sign_in(client, self.staff)
        r = client.post("/news/mailings/subscription/", {"subscribed": "on"})
        self.assertEqual(r.status_code, 403)

    def test_a_forged_or_altered_token_is_not_found(self) -> None:
        token = services.unsubscribe_token(self.staff)
        other_pk_token = token.replace(token.split(":")[0], "OTk5")
        for bad in ("abc", token[:-2] + "xx", other_pk_token):
            with self.subTest(bad):
                self.assertEqual(
                    self.client.post(f"/news/mailings/unsubscribe/{bad}/").status_code, 404
                )

    def test_the_token_does_not_show_the_email_address(self) -> None:
        token = services.unsubscribe_token(self.staff)
        self.assertNotIn("staff", token)
        self.assertNotIn("example", token)

    def test_someone_who_never_subscribed_can_still_press_it(self) -> None:
        r = self.client.post(self.url())
        self.assertEqual(r.status_code, 200)
        self.assertFalse(Subscription.objects.get(user=self.staff).subscribed)
