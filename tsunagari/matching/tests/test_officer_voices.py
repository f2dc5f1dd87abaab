"""Municipality officers screen the voices from their area: the list, reading them
(every look audited), publishing as a need and rejecting; other municipalities' voices
and the secretariat's own pages stay out of reach."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.geo.models import Municipality
from tsunagari.matching.models import Need, ResidentRequest
from tsunagari.matching.tests.test_requests_screening import make_request, publish_data
from tsunagari.race import Post, RaceTestCase, at_once, make_people
from tsunagari.test import BaseTestCase

LIST = "/manage/area/voices/"


class OfficerVoiceListTests(BaseTestCase):
    def test_the_officer_sees_only_voices_of_their_municipality(self) -> None:
        mine = make_request(text="藤沢の声です。")
        make_request(text="横浜の声です。", municipality_id="141003")
        make_request(text="地域のない声です。", municipality_id=None)
        self.login(self.officer)
        r = self.client.get(LIST)
        self.assertEqual(list(r.context["page"]), [mine])
        self.assertContains(r, "藤沢の声です。")
        self.assertNotContains(r, "横浜の声です。")
        self.assertContains(r, f'href="/manage/area/voices/{mine.pk}/"')

    def test_a_yokohama_officer_sees_the_voices_of_its_wards(self) -> None:
        ward = make_request(text="港北区の声です。", municipality_id="141097")
        yokohama = factory.make_user(
            "yokohama@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(pk="141003"),
        )
        self.login(yokohama)
        r = self.client.get(LIST, {"municipality": "141003"})
        self.assertEqual(list(r.context["page"]), [ward])
        self.assertEqual(self.client.get(f"{LIST}{ward.pk}/").status_code, 200)

    def test_only_officers_reach_the_list(self) -> None:
        for user in (self.staff, self.secretariat):
            self.login(user)
            self.assertEqual(self.client.get(LIST).status_code, 403)

    def test_the_list_costs_the_same_queries_for_one_or_many(self) -> None:
        make_request()
        self.login(self.officer)
        self.client.get(LIST)
        with CaptureQueriesContext(connection) as few:
            self.client.get(LIST)
        for i in range(5):
            make_request(text=f"声{i}")
        with CaptureQueriesContext(connection) as many:
            r = self.client.get(LIST)
        self.assertEqual(len(r.context["page"]), 6)
        self.assertEqual(len(many), len(few))


class OfficerScreeningTests(BaseTestCase):
    def setUp(self) -> None:
        self.voice = make_request(
            contact_consent=True, contact_name="山田", contact_email="yamada@example.org"
        )
        self.other = make_request(
            text="横浜の声です。",
            municipality_id="141003",
            contact_consent=True,
            contact_email="yokohama-resident@example.org",
        )
        self.login(self.officer)

    def test_reading_a_voice_with_contact_is_audited_each_time(self) -> None:
        url = f"{LIST}{self.voice.pk}/"
        r = self.client.get(url)
        self.assertContains(r, "yamada@example.org")
        self.assertContains(r, "この市町村の担当者")
        self.assertNotContains(r, "連絡先を削除")  # the secretariat's
        self.client.get(url)
        views = AuditEvent.objects.for_object(self.voice).filter(action=AuditEvent.Action.VIEW)
        self.assertEqual(views.count(), 2)
        self.assertTrue(all(e.actor == self.officer for e in views))

    def test_another_municipality_s_voice_is_forbidden_and_not_shown(self) -> None:
        base = f"{LIST}{self.other.pk}"
        r = self.client.get(f"{base}/")
        self.assertEqual(r.status_code, 403)
        self.assertNotContains(r, "yokohama-resident@example.org", status_code=403)
        self.assertEqual(self.client.post(f"{base}/publish/", publish_data()).status_code, 403)
        self.assertEqual(self.client.post(f"{base}/reject/", {"note": "x"}).status_code, 403)
        self.assertFalse(AuditEvent.objects.for_object(self.other).exists())

    def test_the_secretariat_pages_stay_the_secretariat_s(self) -> None:
        self.assertEqual(self.client.get("/secretariat/voices/").status_code, 403)
        r = self.client.get(f"/secretariat/voices/{self.voice.pk}/")
        self.assertEqual(r.status_code, 403)

    def test_publishing_makes_a_need_and_returns_to_the_area_list(self) -> None:
        r = self.client.post(f"{LIST}{self.voice.pk}/publish/", publish_data())
        self.assertRedirects(r, LIST, fetch_redirect_response=False)
        self.voice.refresh_from_db()
        self.assertEqual(self.voice.status, ResidentRequest.Status.PUBLISHED)
        self.assertEqual(self.voice.screened_by, self.officer)
        need = self.voice.need
        assert need is not None
        self.assertEqual(need.origin, Need.Origin.RESIDENT)
        self.assertIsNone(need.organization)
        self.assertEqual(need.municipality_id, "142051")
        self.assertNotIn("山田", need.description)

    def test_publishing_for_another_municipality_is_refused_and_the_text_kept(self) -> None:
        r = self.client.post(f"{LIST}{self.voice.pk}/publish/", publish_data(municipality="141003"))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "担当する市町村（区を含む）を選んでください。", status_code=400)
        self.assertContains(r, "週末に親子で参加できる場がほしい", status_code=400)
        self.voice.refresh_from_db()
        self.assertEqual(self.voice.status, ResidentRequest.Status.NEW)

    def test_the_same_rules_apply_personal_details_must_be_removed(self) -> None:
        data = publish_data()
        del data["personal_details_removed"]
        r = self.client.post(f"{LIST}{self.voice.pk}/publish/", data)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Need.objects.exists())

    def test_rejecting_records_the_note(self) -> None:
        r = self.client.post(f"{LIST}{self.voice.pk}/reject/", {"note": "個別の相談のため"})
        self.assertRedirects(r, LIST, fetch_redirect_response=False)
        self.voice.refresh_from_db()
        self.assertEqual(self.voice.status, ResidentRequest.Status.REJECTED)
        self.assertEqual(self.voice.screening_note, "個別の相談のため")
        r = self.client.post(f"{LIST}{self.voice.pk}/reject/", {"note": "もう一度"}, follow=True)
        self.assertContains(r, "この声はすでに「公開しない」になっています。")

    def test_the_secretariat_still_screens_on_its_own_pages(self) -> None:
        self.login(self.secretariat)
        r = self.client.get(f"/secretariat/voices/{self.voice.pk}/")
        self.assertContains(r, "連絡先を削除")
        self.assertContains(r, f'action="/secretariat/voices/{self.voice.pk}/publish/"')
        r = self.client.post(f"/secretariat/voices/{self.voice.pk}/publish/", publish_data())
        self.assertRedirects(r, "/secretariat/voices/", fetch_redirect_response=False)


class OfficerScreeningRaceTests(RaceTestCase):
    def test_officers_and_the_secretariat_screening_at_once_publish_once(self) -> None:
        fujisawa = Municipality.objects.get(pk="142051")
        officers = make_people(4, "fujisawa", User.Role.MUNICIPALITY, municipality=fujisawa)
        secretariat = make_people(2, "jimukyoku", User.Role.SECRETARIAT)
        voice = make_request()
        posts = [Post(u, f"{LIST}{voice.pk}/publish/", publish_data()) for u in officers]
        posts += [
            Post(u, f"/secretariat/voices/{voice.pk}/publish/", publish_data()) for u in secretariat
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 6)
        self.assertEqual(Need.objects.count(), 1)
        voice.refresh_from_db()
        self.assertEqual(voice.status, ResidentRequest.Status.PUBLISHED)
