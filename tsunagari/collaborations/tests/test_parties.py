"""Collaborations with many parties: the lead invites organisations with a role, each
organisation's staff answer for it, a declining party leaves, and the sectors are counted."""

from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.collaborations import services
from tsunagari.collaborations.models import Collaboration, CollaborationParty
from tsunagari.collaborations.tests.test_services import make_collaboration
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.members.models import Organization
from tsunagari.test import MultiRoleTestCase

Status = Collaboration.Status
Party = CollaborationParty


class PartiesTestCase(MultiRoleTestCase):
    """Lead: org 13 (staff, 民間). Invited: org 14 (other_staff, 民間) as partner and
    藤沢市 (city_staff, 行政) as venue."""

    city: Organization
    city_staff: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.city = cls.municipality_member
        cls.city_staff = factory.make_user(
            "city@example.jp", User.Role.MEMBER, organization=cls.city
        )

    def start(self) -> Collaboration:
        c = services.start_collaboration(
            lead=self.organization,
            parties=[(self.other_organization, Party.Role.PARTNER), (self.city, Party.Role.VENUE)],
            title="三者で開く居場所",
            by=self.staff,
            message="一緒にやりませんか。",
        )
        self.run_tasks()
        return c

    def party(self, c: Collaboration, organization: Organization) -> CollaborationParty:
        return c.parties.get(organization=organization)


class StartTestCase(PartiesTestCase):
    def test_start_collaboration_invites_each_party_and_mails_their_staff(self) -> None:
        c = self.start()
        self.assertEqual(c.status, Status.PROPOSED)
        self.assertEqual(c.proposer, self.organization)
        self.assertEqual(c.partner, self.other_organization)
        self.assertEqual(
            list(c.parties.values_list("organization__roster_no", "role", "status")),
            [
                (13, Party.Role.LEAD, Party.Status.ACCEPTED),
                (14, Party.Role.PARTNER, Party.Status.INVITED),
                (31, Party.Role.VENUE, Party.Status.INVITED),
            ],
        )
        self.assertTrue(self.sent_to("other@example.jp"))
        self.assertTrue(self.sent_to("city@example.jp"))
        self.assertFalse(self.sent_to("staff@example.jp"))
        self.assertEqual((c.sector_count, c.cross_sector), (2, True))

    def test_the_same_organisation_twice_or_as_the_lead_is_refused(self) -> None:
        for parties in (
            [(self.organization, Party.Role.PARTNER)],
            [(self.city, Party.Role.PARTNER), (self.city, Party.Role.VENUE)],
            [(self.city, Party.Role.LEAD)],
            [],
        ):
            with self.subTest(parties=parties), self.assertRaises(services.StepRefused):
                services.start_collaboration(
                    lead=self.organization, parties=parties, title="x", by=self.staff
                )
        self.assertFalse(Collaboration.objects.exists())


class AnswerTestCase(PartiesTestCase):
    def test_accepted_only_when_every_invited_party_accepted(self) -> None:
        c = self.start()
        services.take_step(c, "accept", by=self.other_staff)
        c.refresh_from_db()
        self.assertEqual(c.status, Status.PROPOSED)
        self.assertEqual(self.party(c, self.other_organization).status, Party.Status.ACCEPTED)
        self.assertEqual(self.party(c, self.other_organization).responded_by, self.other_staff)
        services.take_step(c, "accept", by=self.city_staff)
        c.refresh_from_db()
        self.assertEqual(c.status, Status.ACCEPTED)
        self.run_tasks()
        # The last acceptance is told to every other party's staff.
        self.assertTrue(self.sent_to("staff@example.jp"))
        self.assertTrue(self.sent_to("other@example.jp"))

    def test_a_declining_party_leaves_and_the_collaboration_continues(self) -> None:
        c = self.start()
        services.take_step(c, "decline", by=self.city_staff, note="今回は見送ります")
        services.take_step(c, "accept", by=self.other_staff)
        c.refresh_from_db()
        self.assertEqual(c.status, Status.ACCEPTED)
        self.assertEqual((c.sector_count, c.cross_sector), (1, False))
        # The party that left reads what it saw but no longer writes or appears in its list.
        self.login(self.city_staff)
        self.assertEqual(self.client.get(f"/collaborations/{c.pk}/").status_code, 200)
        r = self.client.post(f"/collaborations/{c.pk}/messages/", {"body": "まだいます"})
        self.assertEqual(r.status_code, 403)
        self.assertNotContains(self.client.get("/collaborations/"), "三者で開く居場所")

    def test_declined_when_too_few_accept(self) -> None:
        c = self.start()
        services.take_step(c, "decline", by=self.city_staff)
        services.take_step(c, "decline", by=self.other_staff)
        c.refresh_from_db()
        self.assertEqual(c.status, Status.DECLINED)

    def test_a_person_of_two_invited_organisations_answers_for_the_one_they_choose(self) -> None:
        c = services.start_collaboration(
            lead=self.city,
            parties=[
                (self.organization, Party.Role.PARTNER),
                (self.other_organization, Party.Role.FUNDER),
            ],
            title="資金と連携",
            by=self.city_staff,
        )
        self.login(self.two_org_staff)
        r = self.client.get(f"/collaborations/{c.pk}/")
        # 「どの立場で」: one answer per organisation, each named.
        self.assertContains(r, f"{self.organization.name}として（連携先）の回答")
        self.assertContains(r, f"{self.other_organization.name}として（資金提供）の回答")
        funder = self.party(c, self.other_organization)
        r = self.client.post(f"/collaborations/{c.pk}/parties/{funder.pk}/accept/")
        self.assertRedirects(r, f"/collaborations/{c.pk}/", fetch_redirect_response=False)
        self.assertEqual(self.party(c, self.other_organization).status, Party.Status.ACCEPTED)
        self.assertEqual(self.party(c, self.organization).status, Party.Status.INVITED)
        # A second answer for the same organisation is told kindly.
        r = self.client.post(f"/collaborations/{c.pk}/parties/{funder.pk}/decline/", follow=True)
        self.assertContains(r, "あなたの団体はすでに回答しています。")
        self.assertEqual(self.party(c, self.other_organization).status, Party.Status.ACCEPTED)

    def test_nobody_answers_for_another_organisation(self) -> None:
        c = self.start()
        venue = self.party(c, self.city)
        self.login(self.other_staff)
        r = self.client.post(f"/collaborations/{c.pk}/parties/{venue.pk}/accept/")
        self.assertEqual(r.status_code, 403)
        with self.assertRaises(services.StepRefused):
            services.answer(c, venue, "accept", by=self.other_staff)


class InviteTestCase(PartiesTestCase):
    def test_the_lead_invites_one_more_on_the_detail_page(self) -> None:
        c = make_collaboration(self.organization, self.other_organization, Status.ACCEPTED)
        self.login(self.staff)
        self.assertContains(self.client.get(f"/collaborations/{c.pk}/"), "団体を招待する")
        r = self.client.post(
            f"/collaborations/{c.pk}/parties/",
            {"invite-organization": self.city.pk, "invite-role": "funder"},
        )
        self.assertRedirects(r, f"/collaborations/{c.pk}/", fetch_redirect_response=False)
        party = self.party(c, self.city)
        self.assertEqual((party.role, party.status), (Party.Role.FUNDER, Party.Status.INVITED))
        self.run_tasks()
        self.assertTrue(self.sent_to("city@example.jp"))
        # Joining an accepted collaboration leaves it accepted.
        services.answer(c, party, "accept", by=self.city_staff)
        c.refresh_from_db()
        self.assertEqual(c.status, Status.ACCEPTED)
        self.assertEqual(c.sector_count, 2)

    def test_only_the_lead_invites_and_not_twice(self) -> None:
        c = make_collaboration(self.organization, self.other_organization)
        self.login(self.other_staff)
        self.assertNotContains(self.client.get(f"/collaborations/{c.pk}/"), "団体を招待する")
        r = self.client.post(
            f"/collaborations/{c.pk}/parties/",
            {"invite-organization": self.city.pk, "invite-role": "venue"},
        )
        self.assertEqual(r.status_code, 403)
        with self.assertRaises(AlreadyChanged):
            services.invite(c, organization=self.other_organization, role="venue", by=self.staff)


class ThreadTestCase(PartiesTestCase):
    def test_every_party_reads_and_writes_and_the_others_are_mailed(self) -> None:
        c = self.start()
        self.login(self.city_staff)
        r = self.client.post(
            f"/collaborations/{c.pk}/messages/", {"body": "会場を見に来てください"}
        )
        self.assertEqual(r.status_code, 302)
        self.run_tasks()
        self.assertTrue(self.sent_to("staff@example.jp"))
        self.assertTrue(self.sent_to("other@example.jp"))
        self.login(self.other_staff)
        r = self.client.get(f"/collaborations/{c.pk}/")
        self.assertContains(r, "会場を見に来てください")
        self.assertContains(r, "会場提供")

    def test_the_list_shows_collaborations_of_any_party_in_constant_queries(self) -> None:
        self.start()
        self.login(self.city_staff)
        with self.assertNumQueries(5):  # session, user, count, page, its parties
            r = self.client.get("/collaborations/")
        self.assertContains(r, "三者で開く居場所")
        self.assertContains(r, "返事を待っています")
        for _i in range(5):
            self.start()
        with self.assertNumQueries(5):
            self.client.get("/collaborations/")
