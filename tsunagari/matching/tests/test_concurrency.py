"""Matching's state changes under concurrency (PostgreSQL, real threads): exactly one of
many simultaneous clicks changes the state, records it and mails about it; the others are
told kindly what happened instead."""

from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.collaborations.tests.test_services import make_need
from tsunagari.matching.models import Need, Suggestion
from tsunagari.matching.tests.test_requests_screening import make_request, publish_data
from tsunagari.members.models import Organization
from tsunagari.race import Post, RaceTestCase, at_once, make_people, messages_of


class NeedRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.organization = Organization.objects.get(roster_no=13)
        self.staff = make_people(8, "staff", User.Role.MEMBER, organization=self.organization)
        self.need = make_need(organization=self.organization)

    def test_closing_a_need_eight_times_at_once_closes_it_once(self) -> None:
        outcomes = at_once([Post(u, f"/needs/{self.need.pk}/status/close/") for u in self.staff])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        self.assertEqual(
            AuditEvent.objects.filter(
                action=AuditEvent.Action.STATUS, object_id=str(self.need.pk)
            ).count(),
            1,
        )
        said = messages_of(outcomes)
        self.assertEqual(sum("」を「終了」にしました" in m for m in said), 1)
        self.assertEqual(sum("」はすでに「終了」になっています" in m for m in said), 7)

    def test_bookmarking_a_suggestion_at_once_bookmarks_it(self) -> None:
        resource = factory.make_resource(organization=self.organization)
        suggestion = Suggestion.objects.create(need=self.need, resource=resource, rank=1, score=1)
        url = f"/needs/{self.need.pk}/suggestions/{suggestion.pk}/bookmark/"
        outcomes = at_once([Post(u, url) for u in self.staff])
        self.assertEqual([o.status for o in outcomes], [302] * 8)
        suggestion.refresh_from_db()
        self.assertEqual(suggestion.state, Suggestion.State.BOOKMARKED)


class VoiceScreeningRaceTestCase(RaceTestCase):
    def setUp(self) -> None:
        self.officers = make_people(10, "jimukyoku", User.Role.SECRETARIAT)

    def test_publishing_and_rejecting_at_once_screen_a_voice_once(self) -> None:
        voice = make_request()
        posts = [
            Post(u, f"/secretariat/voices/{voice.pk}/publish/", publish_data())
            for u in self.officers[:5]
        ] + [
            Post(u, f"/secretariat/voices/{voice.pk}/reject/", {"note": "窓口につなぐ"})
            for u in self.officers[5:]
        ]
        outcomes = at_once(posts)
        self.assertEqual([o.status for o in outcomes], [302] * 10)
        voice.refresh_from_db()
        self.assertEqual(Need.objects.count(), int(voice.status == voice.Status.PUBLISHED))
        self.assertEqual(
            AuditEvent.objects.filter(
                action=AuditEvent.Action.STATUS, object_id=str(voice.pk)
            ).count(),
            1,
        )
        already = f"この声はすでに「{voice.get_status_display()}」になっています。"
        self.assertEqual(messages_of(outcomes).count(already), 9)

    def test_forgetting_a_contact_twice_at_once_records_it_once(self) -> None:
        voice = make_request(
            contact_consent=True, contact_name="神奈川 花子", contact_phone="0466-00-0000"
        )
        url = f"/secretariat/voices/{voice.pk}/forget-contact/"
        outcomes = at_once([Post(u, url) for u in self.officers[:6]])
        self.assertEqual([o.status for o in outcomes], [302] * 6)
        voice.refresh_from_db()
        self.assertEqual((voice.contact_consent, voice.contact_name), (False, ""))
        self.assertEqual(
            AuditEvent.objects.filter(
                action=AuditEvent.Action.UPDATE, object_id=str(voice.pk)
            ).count(),
            1,
        )
        self.assertEqual(messages_of(outcomes).count("この声の連絡先はすでに削除されています。"), 5)
