"""People with several capacities act in the one that fits, and are asked 「どの立場で」
only when more than one fits."""

from __future__ import annotations

from django.core import mail

from tsunagari.collaborations.models import Collaboration
from tsunagari.collaborations.tests.test_services import make_collaboration, make_need
from tsunagari.directory.models import Resource
from tsunagari.factory import make_resource
from tsunagari.matching.models import Need
from tsunagari.matching.tests.test_needs import need_data
from tsunagari.surveys.models import Campaign
from tsunagari.surveys.tests.test_campaigns import campaign_data, standard
from tsunagari.test import MultiRoleTestCase

AS_WHOM = "どの立場で"


class OfficerWhoIsStaffTestCase(MultiRoleTestCase):
    """The officer of 藤沢市 who is also staff of the member 藤沢市."""

    def setUp(self) -> None:
        self.login(self.officer_staff)

    def test_posts_a_need_as_the_member_when_asked(self) -> None:
        # Issue 15: the officer capacity posts needs too, so the form asks as whom.
        form = self.client.get("/needs/new/")
        self.assertEqual(form.status_code, 200)
        self.assertContains(form, AS_WHOM)
        self.assertContains(form, "藤沢市の担当者として")
        r = self.client.post("/needs/new/", need_data(acting_for=str(self.municipality_member.pk)))
        need = Need.objects.get()
        self.assertRedirects(r, f"/needs/{need.pk}/", fetch_redirect_response=False)
        self.assertEqual(need.organization, self.municipality_member)
        self.assertEqual(need.created_by, self.officer_staff)

    def test_edits_the_need_of_the_member_but_not_another_members(self) -> None:
        own = make_need(organization=self.municipality_member)
        other = make_need(organization=self.organization)
        self.assertEqual(self.client.get(f"/needs/{own.pk}/edit/").status_code, 200)
        self.assertEqual(self.client.get(f"/needs/{other.pk}/edit/").status_code, 403)

    def test_proposes_a_collaboration_as_the_member(self) -> None:
        r = self.client.post(
            "/collaborations/new/",
            {
                "partner": str(self.organization.pk),
                "title": "一緒に居場所を",
                "message": "市と一緒に取り組みませんか。",
            },
        )
        collaboration = Collaboration.objects.get()
        self.assertRedirects(
            r, f"/collaborations/{collaboration.pk}/", fetch_redirect_response=False
        )
        self.assertEqual(collaboration.proposer, self.municipality_member)
        self.assertEqual(collaboration.partner, self.organization)
        self.assertIn("staff@example.jp", [a for m in self.outbox() for a in m.to])

    def test_runs_a_survey_campaign_for_the_member(self) -> None:
        self.assertEqual(self.client.get("/surveys/new/").status_code, 200)
        r = self.client.post("/surveys/new/", campaign_data([standard("direct")]))
        campaign = Campaign.objects.get()
        self.assertRedirects(r, f"/surveys/{campaign.pk}/", fetch_redirect_response=False)
        self.assertEqual(campaign.organization, self.municipality_member)
        self.assertEqual(self.client.get(f"/surveys/{campaign.pk}/").status_code, 200)

    def test_sees_the_gap_view_of_the_city_as_officer(self) -> None:
        r = self.client.get("/gaps/")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<option value="142051" selected>', html=False)

    def test_the_dashboard_has_a_section_per_capacity(self) -> None:
        r = self.client.get("/my/")
        self.assertContains(r, "市町村担当者・構成員団体の職員")
        self.assertContains(r, "藤沢市の担当者として")
        self.assertContains(r, "藤沢市の職員として")
        self.assertContains(r, "/needs/?municipality=142051")

    def outbox(self) -> list[mail.EmailMessage]:

        self.run_tasks()
        return list(mail.outbox)


class StaffOfTwoOrganisationsTestCase(MultiRoleTestCase):
    def setUp(self) -> None:
        self.login(self.two_org_staff)

    def test_is_asked_as_whom_with_both_organisations_and_no_other(self) -> None:
        r = self.client.get("/needs/new/")
        self.assertContains(r, AS_WHOM)
        self.assertContains(r, f'name="acting_for" value="{self.organization.pk}"')
        self.assertContains(r, f'name="acting_for" value="{self.other_organization.pk}"')
        self.assertNotContains(r, f'name="acting_for" value="{self.municipality_member.pk}"')

    def test_posts_as_the_organisation_chosen_and_it_is_preselected_next_time(self) -> None:
        data = need_data(acting_for=str(self.other_organization.pk))
        self.assertEqual(self.client.post("/needs/new/", data).status_code, 302)
        self.assertEqual(Need.objects.get().organization, self.other_organization)
        again = self.client.get("/needs/new/")
        self.assertContains(
            again,
            f'value="{self.other_organization.pk}" required id="id_acting_for_1" checked',
            html=False,
        )

    def test_cannot_post_for_an_organisation_they_do_not_belong_to(self) -> None:
        data = need_data(acting_for=str(self.municipality_member.pk))
        r = self.client.post("/needs/new/", data)
        self.assertContains(r, "あなたが所属していない団体は選べません。", status_code=400)
        self.assertContains(r, "週末に親子で参加できる場がほしい", status_code=400)
        self.assertFalse(Need.objects.exists())
        r = self.client.post("/needs/new/", need_data(acting_for="not-a-number"))
        self.assertEqual(r.status_code, 400)

    def test_must_say_as_whom(self) -> None:
        r = self.client.post("/needs/new/", need_data())
        self.assertContains(r, "どの立場で行うかを選んでください。", status_code=400)
        self.assertFalse(Need.objects.exists())

    def test_a_tampered_proposal_is_a_form_error(self) -> None:
        base = {"partner": str(self.municipality_member.pk), "title": "t", "message": "m"}
        r = self.client.post(
            "/collaborations/new/", {**base, "acting_for": str(self.municipality_member.pk)}
        )
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            "/collaborations/new/",
            {**base, "partner": str(self.organization.pk), "acting_for": str(self.organization.pk)},
        )
        self.assertContains(r, "提案する団体とは別の団体を選んでください。", status_code=400)
        self.assertFalse(Collaboration.objects.exists())
        r = self.client.post(
            "/collaborations/new/", {**base, "acting_for": str(self.other_organization.pk)}
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Collaboration.objects.get().proposer, self.other_organization)

    def test_a_proposal_about_their_own_need_is_made_as_its_owner(self) -> None:
        need = make_need(organization=self.other_organization)
        url = f"/collaborations/new/?need={need.pk}"
        self.assertNotContains(self.client.get(url), AS_WHOM)
        r = self.client.post(
            url, {"partner": str(self.municipality_member.pk), "title": "t", "message": "m"}
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Collaboration.objects.get().proposer, self.other_organization)

    def test_accepts_a_proposal_to_one_organisation_and_sees_both_lists(self) -> None:
        received = make_collaboration(self.municipality_member, self.other_organization, "proposed")
        sent = make_collaboration(self.organization, self.municipality_member, "proposed")
        listing = self.client.get("/collaborations/")
        self.assertContains(listing, received.title)
        self.assertContains(listing, sent.title)
        r = self.client.post(f"/collaborations/{received.pk}/accept/", {"accept-note": ""})
        self.assertEqual(r.status_code, 302)
        received.refresh_from_db()
        self.assertEqual(received.status, "accepted")
        self.assertEqual(received.messages.last().organization, self.other_organization)  # type: ignore[union-attr]

    def test_a_campaign_for_the_organisation_chosen(self) -> None:
        data = campaign_data([standard("direct")], acting_for=str(self.other_organization.pk))
        self.assertEqual(self.client.post("/surveys/new/", data).status_code, 302)
        self.assertEqual(Campaign.objects.get().organization, self.other_organization)
        tampered = campaign_data([standard("direct")], acting_for=str(self.municipality_member.pk))
        self.assertEqual(self.client.post("/surveys/new/", tampered).status_code, 400)
        self.assertEqual(Campaign.objects.count(), 1)

    def test_manages_the_resources_of_both_organisations(self) -> None:
        mine = make_resource("ひとつめの居場所", organization=self.organization)
        theirs = make_resource("ふたつめの居場所", organization=self.other_organization)
        stranger = make_resource("ほかの居場所", organization=self.municipality_member)
        listing = self.client.get("/manage/resources/")
        self.assertContains(listing, mine.name)
        self.assertContains(listing, theirs.name)
        self.assertNotContains(listing, stranger.name)
        self.assertContains(self.client.get("/manage/resources/new/"), AS_WHOM)
        self.assertEqual(self.client.get(f"/manage/resources/{theirs.pk}/edit/").status_code, 200)
        self.assertEqual(self.client.get(f"/manage/resources/{stranger.pk}/edit/").status_code, 403)
        self.assertEqual(Resource.objects.count(), 3)
