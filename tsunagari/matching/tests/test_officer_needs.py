"""An officer posts needs for their municipality (「〇〇市の担当者として」), alongside the
organisations and the secretariat they may act for, and then edits and closes them;
suggestions are ranked for those needs like any other."""

from __future__ import annotations

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.geo.models import Municipality
from tsunagari.matching.models import Need
from tsunagari.matching.tests.test_needs import make_need, need_data
from tsunagari.race import Post, RaceTestCase, at_once, make_people
from tsunagari.test import MultiRoleTestCase

NEW = "/needs/new/"


class OfficerPostsNeedTests(MultiRoleTestCase):
    def test_an_officer_alone_posts_for_their_municipality_without_being_asked(self) -> None:
        self.login(self.officer)
        r = self.client.get(NEW)
        self.assertEqual(r.status_code, 200)
        self.assertNotContains(r, "どの立場で")
        # Whatever place is sent, the need is the officer's municipality's.
        r = self.client.post(NEW, need_data(municipality="141003"))
        need = Need.objects.get()
        self.assertRedirects(r, f"/needs/{need.pk}/", fetch_redirect_response=False)
        self.assertEqual(need.origin, Need.Origin.MUNICIPALITY)
        self.assertEqual(need.get_origin_display(), "市町村が登録")
        self.assertIsNone(need.organization)
        self.assertEqual(need.municipality_id, "142051")
        self.assertEqual(need.created_by, self.officer)
        self.assertTrue(AuditEvent.objects.for_object(need).exists())

    def test_an_officer_who_is_also_staff_is_asked_and_the_choice_is_remembered(self) -> None:
        self.login(self.officer_staff)
        r = self.client.get(NEW)
        self.assertContains(r, "どの立場で")
        self.assertContains(r, "藤沢市の担当者として")
        self.assertContains(r, self.municipality_member.name)
        r = self.client.post(NEW, need_data(acting_for="", title="未選択"))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "どの立場で行うかを選んでください。", status_code=400)
        self.assertContains(r, "未選択", status_code=400)

        self.client.post(NEW, need_data(acting_for="municipality:142051", municipality="140007"))
        need = Need.objects.get()
        self.assertEqual(need.origin, Need.Origin.MUNICIPALITY)
        self.assertEqual(need.municipality_id, "142051")
        r = self.client.get(NEW)
        self.assertEqual(r.context["form"]["acting_for"].initial, "municipality:142051")

        self.client.post(
            NEW, need_data(acting_for=str(self.municipality_member.pk), title="団体として")
        )
        as_member = Need.objects.get(title="団体として")
        self.assertEqual(as_member.organization, self.municipality_member)
        self.assertEqual(as_member.origin, Need.Origin.MEMBER)
        r = self.client.get(NEW)
        self.assertEqual(r.context["form"]["acting_for"].initial, str(self.municipality_member.pk))

    def test_the_link_from_the_municipality_page_preselects_the_officer(self) -> None:
        self.login(self.officer_staff)
        r = self.client.get(NEW, {"acting_for": "municipality:142051"})
        self.assertEqual(r.context["form"]["acting_for"].initial, "municipality:142051")

    def test_an_officer_may_not_post_as_another_municipality(self) -> None:
        self.login(self.officer_staff)
        r = self.client.post(NEW, need_data(acting_for="municipality:141003"))
        self.assertEqual(r.status_code, 400)
        self.assertContains(r, "あなたの立場にないものは選べません。", status_code=400)
        self.assertFalse(Need.objects.exists())

    def test_staff_and_the_secretariat_post_as_before(self) -> None:
        self.login(self.staff)
        self.client.post(NEW, need_data(title="職員"))
        self.assertEqual(Need.objects.get(title="職員").organization, self.organization)
        self.login(self.secretariat)
        self.client.post(NEW, need_data(title="事務局"))
        need = Need.objects.get(title="事務局")
        self.assertIsNone(need.organization)
        self.assertEqual(need.origin, Need.Origin.MEMBER)


class OfficerEditsNeedTests(MultiRoleTestCase):
    def setUp(self) -> None:
        self.need = make_need(origin=Need.Origin.MUNICIPALITY, created_by=self.officer)
        self.yokohama = factory.make_user(
            "yokohama@example.jp",
            User.Role.MUNICIPALITY,
            municipality=Municipality.objects.get(pk="141003"),
        )

    def test_the_officers_of_the_municipality_edit_and_close_it(self) -> None:
        self.login(self.officer_staff)  # another officer of 藤沢市
        r = self.client.post(
            f"/needs/{self.need.pk}/edit/", need_data(title="見出しを直した", municipality="141003")
        )
        self.assertEqual(r.status_code, 302)
        self.need.refresh_from_db()
        self.assertEqual(self.need.title, "見出しを直した")
        self.assertEqual(self.need.municipality_id, "142051")  # stays the municipality's
        r = self.client.post(f"/needs/{self.need.pk}/status/close/")
        self.assertEqual(r.status_code, 302)
        self.need.refresh_from_db()
        self.assertEqual(self.need.status, Need.Status.CLOSED)

    def test_others_may_not(self) -> None:
        for user in (self.yokohama, self.staff):
            self.login(user)
            self.assertEqual(self.client.get(f"/needs/{self.need.pk}/edit/").status_code, 403)
            r = self.client.post(f"/needs/{self.need.pk}/status/close/")
            self.assertEqual(r.status_code, 403)

    def test_an_officer_may_not_edit_a_member_s_need_in_their_municipality(self) -> None:
        member_need = make_need(organization=self.organization)
        self.login(self.officer)
        self.assertEqual(self.client.get(f"/needs/{member_need.pk}/edit/").status_code, 403)

    def test_suggestions_are_ranked_for_a_municipality_need(self) -> None:
        resource = factory.make_resource("サンプル 親子の居場所", targets=("kosodate",))
        self.login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(NEW, need_data(title="親子で過ごせる場"))
        need = Need.objects.get(title="親子で過ごせる場")
        self.run_tasks()
        self.assertIn(resource.pk, list(need.suggestions.values_list("resource_id", flat=True)))
        r = self.client.get(f"/needs/{need.pk}/")
        self.assertContains(r, "サンプル 親子の居場所")


class OfficerNeedRaceTests(RaceTestCase):
    def test_two_officers_closing_at_once_close_it_once(self) -> None:
        fujisawa = Municipality.objects.get(pk="142051")
        officers = make_people(4, "fujisawa", User.Role.MUNICIPALITY, municipality=fujisawa)
        need = make_need(origin=Need.Origin.MUNICIPALITY)
        outcomes = at_once([Post(u, f"/needs/{need.pk}/status/close/") for u in officers])
        self.assertEqual([o.status for o in outcomes], [302] * 4)
        status_events = AuditEvent.objects.for_object(need).filter(action=AuditEvent.Action.STATUS)
        self.assertEqual(status_events.count(), 1)
