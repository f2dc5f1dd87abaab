"""The public form 「こんな場・支えがほしい」: consent, anonymity, bot protection, rate limit."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone

from tsunagari.directory.models import TargetGroup
from tsunagari.lib import ratelimit
from tsunagari.lib.antibot import issue_token
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.matching import requests_views
from tsunagari.matching.models import ResidentRequest
from tsunagari.test import BaseTestCase

URL = "/voice/"


def voice_data(**overrides: Any) -> dict[str, Any]:
    """A resident's submission, shown to them a minute ago."""
    data: dict[str, Any] = {
        "text": "週末に親子で気軽に行ける場所が近くにほしいです。",
        "municipality": "142051",
        "shown_at": issue_token(now=time.time() - 60),
        "homepage": "",
    }
    data.update(overrides)
    return data


class PublicFormTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)


class VoiceFormTests(PublicFormTestCase):
    def test_it_is_open_to_everyone_and_explains_what_happens(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, "こんな場・支えがほしい")
        self.assertContains(r, "書いていただいた文章そのものは、構成員の団体には表示しません")
        self.assertContains(r, "事務局からの連絡を希望する")
        # The municipalities come grouped, as on the other forms.
        self.assertContains(r, '<optgroup label="横浜市">')

    def test_it_stores_the_text_and_says_thank_you(self) -> None:
        families = TargetGroup.objects.get(slug="kosodate")
        r = self.client.post(URL, voice_data(target_groups=[families.pk]))
        self.assertRedirects(r, "/voice/thanks/")
        saved = ResidentRequest.objects.get()
        self.assertEqual(saved.text, "週末に親子で気軽に行ける場所が近くにほしいです。")
        self.assertEqual(saved.municipality_id, "142051")
        self.assertEqual(list(saved.target_groups.all()), [families])
        self.assertEqual(saved.status, ResidentRequest.Status.NEW)
        thanks = self.client.get(r["Location"])
        self.assertContains(thanks, "声を受け付けました")

    def test_it_needs_the_text(self) -> None:
        r = self.client.post(URL, voice_data(text="  "))
        self.assertContains(r, "ほしい場や支えについて書いてください。", status_code=400)
        self.assertFalse(ResidentRequest.objects.exists())

    def test_it_refuses_more_than_2000_characters_and_keeps_them(self) -> None:
        r = self.client.post(URL, voice_data(text="あ" * 2001))
        self.assertContains(r, "2000文字以内で書いてください", status_code=400)
        self.assertContains(r, "あ" * 2001, status_code=400)

    def test_it_drops_the_contact_without_consent(self) -> None:
        self.client.post(
            URL,
            voice_data(
                contact_name="山田花子",
                contact_email="hanako@example.org",
                contact_phone="090-0000-0000",
            ),
        )
        saved = ResidentRequest.objects.get()
        self.assertFalse(saved.contact_consent)
        self.assertEqual(
            (saved.contact_name, saved.contact_email, saved.contact_phone), ("", "", "")
        )

    def test_it_keeps_the_contact_with_consent(self) -> None:
        self.client.post(
            URL,
            voice_data(
                contact_consent="on",
                contact_name="山田花子",
                contact_email="Hanako@Example.org",
                contact_phone="０９０−００００−００００",
            ),
        )
        saved = ResidentRequest.objects.get()
        self.assertTrue(saved.contact_consent)
        self.assertEqual(saved.contact_name, "山田花子")
        self.assertEqual(saved.contact_email, "hanako@example.org")
        self.assertEqual(saved.contact_phone, "090-0000-0000")

    def test_it_asks_for_a_way_to_reach_them_when_they_consent(self) -> None:
        r = self.client.post(URL, voice_data(contact_consent="on", contact_name="山田"))
        self.assertContains(r, "メールアドレスか電話番号を入力してください", status_code=400)
        self.assertFalse(ResidentRequest.objects.exists())

    def test_it_stores_nothing_about_the_sender(self) -> None:
        self.login(self.staff)  # even a signed-in person stays anonymous
        self.client.post(
            URL,
            voice_data(),
            REMOTE_ADDR="203.0.113.7",
            HTTP_USER_AGENT="Mozilla/5.0 (iPhone) TestPhone/1.0",
        )
        saved = ResidentRequest.objects.get()
        stored = {
            f.attname: getattr(saved, f.attname)
            for f in ResidentRequest._meta.concrete_fields
            if getattr(saved, f.attname) not in (None, "", False)
        }
        self.assertEqual(set(stored), {"id", "text", "municipality_id", "received_on", "status"})
        values = " ".join(str(v) for v in stored.values())
        for trace in ("203.0.113", "TestPhone", "staff@example.jp"):
            self.assertNotIn(trace, values)
        # The day only: a date, not a time of day.
        self.assertEqual(type(saved.received_on).__name__, "date")

    def test_the_page_and_the_footer_link_each_other(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, 'href="/voice/"')


class BotProtectionTests(PublicFormTestCase):
    def test_the_trap_is_hidden_from_people_and_assistive_technology(self) -> None:
        r = self.client.get(URL)
        html = r.content.decode()
        self.assertIn('<div class="trap" aria-hidden="true">', html)
        trap = html[html.index('name="homepage"') - 200 : html.index('name="homepage"') + 200]
        self.assertIn('tabindex="-1"', trap)
        self.assertIn('autocomplete="off"', trap)

    def test_a_robot_filling_the_trap_sees_thanks_and_nothing_is_stored(self) -> None:
        r = self.client.post(URL, voice_data(homepage="https://spam.example/"))
        self.assertRedirects(r, "/voice/thanks/")
        self.assertFalse(ResidentRequest.objects.exists())

    def test_it_refuses_a_submission_faster_than_a_person_and_keeps_the_text(self) -> None:
        r = self.client.post(URL, voice_data(shown_at=issue_token(now=time.time() - 1)))
        self.assertContains(r, "送信が早すぎたため", status_code=400)
        self.assertContains(r, "週末に親子で気軽に行ける場所", status_code=400)
        self.assertFalse(ResidentRequest.objects.exists())

    def test_a_second_try_a_little_later_goes_through(self) -> None:
        too_fast = issue_token(now=time.time() - 1)
        r = self.client.post(URL, voice_data(shown_at=too_fast))
        html = r.content.decode()
        # The page keeps the token of its first showing (lib/antibot.py): the time
        # counts from when the form was first shown.
        token = html.split('name="shown_at" value="')[1].split('"')[0]
        self.assertEqual(token, too_fast)
        later = time.time() + 5
        with mock.patch("tsunagari.lib.antibot.time") as clock:
            clock.time.return_value = later
            r = self.client.post(URL, voice_data(shown_at=token))
        self.assertRedirects(r, "/voice/thanks/")

    def test_it_refuses_a_token_older_than_two_hours(self) -> None:
        r = self.client.post(URL, voice_data(shown_at=issue_token(now=time.time() - 3 * 3600)))
        self.assertContains(r, "ページを開いてから時間がたちました", status_code=400)
        self.assertFalse(ResidentRequest.objects.exists())

    def test_it_refuses_a_forged_or_missing_token(self) -> None:
        for token in ("", "1700000000", issue_token().replace(":", ";")):
            with self.subTest(token=token):
                r = self.client.post(URL, voice_data(shown_at=token))
                self.assertEqual(r.status_code, 400)
        self.assertFalse(ResidentRequest.objects.exists())


class RateLimitTests(PublicFormTestCase):
    def post_from(self, address: str) -> int:
        return self.client.post(URL, voice_data(), REMOTE_ADDR=address).status_code

    def test_it_answers_429_after_ten_from_one_network_and_keeps_the_text(self) -> None:
        for _ in range(10):
            self.assertEqual(self.post_from("198.51.100.20"), 302)
        r = self.client.post(URL, voice_data(), REMOTE_ADDR="198.51.100.20")
        self.assertContains(r, "しばらくしてからお送りください", status_code=429)
        self.assertContains(r, "週末に親子で気軽に行ける場所", status_code=429)
        self.assertEqual(ResidentRequest.objects.count(), 10)

    def test_another_network_is_still_welcome(self) -> None:
        for _ in range(11):
            self.post_from("198.51.100.20")
        self.assertEqual(self.post_from("192.0.2.44"), 302)
        self.assertEqual(ResidentRequest.objects.count(), 11)

    def test_the_whole_ipv6_household_counts_as_one_network(self) -> None:
        for i in range(10):
            self.assertEqual(self.post_from(f"2001:db8:1:2::{i + 1:x}"), 302)
        self.assertEqual(self.post_from("2001:db8:1:2::ff"), 429)
        self.assertEqual(self.post_from("2001:db8:1:3::1"), 302)

    def test_the_overall_cap_stops_a_flood_from_many_networks(self) -> None:
        small = RateLimit("voice", per_network=10, overall=3)
        with mock.patch.object(requests_views, "LIMIT", small):
            for i in range(3):
                self.assertEqual(self.post_from(f"192.0.2.{i + 1}"), 302)
            self.assertEqual(self.post_from("192.0.2.99"), 429)

    def test_the_counts_live_in_the_cache_as_salted_hashes_only(self) -> None:
        self.post_from("198.51.100.20")
        request = RequestFactory().post(URL, REMOTE_ADDR="198.51.100.20")
        key = ratelimit.network_key(request)
        self.assertNotIn("198.51.100.20", key)
        cached = cache._cache  # type: ignore[attr-defined]  # LocMemCache's own store
        self.assertFalse(any("198.51.100" in str(k) for k in cached))
        # Tomorrow's salt gives the same network another key.
        cache.delete(f"ratelimit:salt:{timezone.localdate().isoformat()}")
        self.assertNotEqual(ratelimit.network_key(request), key)

    def test_behind_our_proxy_it_counts_the_address_the_proxy_saw(self) -> None:
        def post(forwarded: str) -> int:
            return self.client.post(
                URL, voice_data(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
            ).status_code

        with override_settings(BEHIND_PROXY=True):
            for i in range(10):
                # A forged first entry does not make a new network.
                self.assertEqual(post(f"192.0.2.{i}, 198.51.100.20"), 302)
            self.assertEqual(post("198.51.100.20"), 429)
            self.assertEqual(post("198.51.100.21"), 302)

    def test_invalid_forms_do_not_use_up_the_limit(self) -> None:
        for _ in range(12):
            self.client.post(URL, voice_data(text=""), REMOTE_ADDR="198.51.100.20")
        self.assertEqual(self.post_from("198.51.100.20"), 302)
