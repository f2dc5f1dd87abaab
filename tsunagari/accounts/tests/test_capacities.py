"""One account, several capacities: the access questions, and the secretariat's screen
that adds and removes capacities (audited)."""

from __future__ import annotations

from django.test import RequestFactory

from tsunagari import factory
from tsunagari.accounts.acting import ActingFor
from tsunagari.accounts.backends import LockoutModelBackend
from tsunagari.accounts.models import Affiliation, Assignment, User
from tsunagari.audit.models import AuditEvent
from tsunagari.geo.models import Municipality
from tsunagari.test import MultiRoleTestCase


class AccessQuestionsTestCase(MultiRoleTestCase):
    def test_staff_of_two_organisations_may_act_for_both_and_no_other(self) -> None:
        user = User.objects.get(pk=self.two_org_staff.pk)
        self.assertTrue(user.may_act_for(self.organization))
        self.assertTrue(user.may_act_for(self.other_organization.pk))
        self.assertFalse(user.may_act_for(self.municipality_member))
        self.assertFalse(user.may_act_for(None))
        self.assertEqual(set(user.organizations), {self.organization, self.other_organization})
        self.assertTrue(user.is_member_staff)
        self.assertFalse(user.is_municipality_officer)
        self.assertFalse(user.is_secretariat)

    def test_the_officer_who_is_staff_answers_yes_to_both(self) -> None:
        user = User.objects.get(pk=self.officer_staff.pk)
        self.assertTrue(user.is_officer_of(self.municipality))
        self.assertFalse(user.is_officer_of(Municipality.objects.get(name="鎌倉市")))
        self.assertEqual(list(user.officer_municipalities), [self.municipality])
        self.assertTrue(user.may_act_for(self.municipality_member))
        self.assertTrue(user.is_member_staff and user.is_municipality_officer)
        self.assertEqual(user.capacity_labels, ["市町村担当者", "構成員団体の職員"])

    def test_the_capacities_cost_one_query_however_often_asked(self) -> None:
        user = User.objects.get(pk=self.officer_staff.pk)
        with self.assertNumQueries(1):
            answers = [
                user.is_member_staff,
                user.is_municipality_officer,
                user.may_act_for(self.municipality_member),
                user.is_officer_of(self.municipality),
            ]
        self.assertEqual(answers, [True] * 4)
        self.assertTrue(user.is_officer_of("142051"))

    def test_the_signed_in_user_comes_with_the_capacities_in_one_query(self) -> None:
        with self.assertNumQueries(1):
            user = LockoutModelBackend().get_user(self.officer_staff.pk)
            assert user is not None
            answers = [
                user.is_officer_of(self.municipality),
                user.is_officer_of("142051"),
                user.may_act_for(self.municipality_member),
                user.may_act_for(self.organization),
                user.is_secretariat,
            ]
        self.assertEqual(answers, [True, True, True, False, False])
        self.assertEqual(user.officer_municipality_ids, {"142051"})
        self.assertEqual(user.organization_ids, {self.municipality_member.pk})

    def test_a_deactivated_account_has_no_capacity(self) -> None:
        User.objects.filter(pk=self.officer_staff.pk).update(is_active=False)
        user = User.objects.get(pk=self.officer_staff.pk)
        self.assertFalse(user.may_act_for(self.municipality_member))
        self.assertFalse(user.is_officer_of(self.municipality))
        self.assertFalse(user.is_member_staff or user.is_municipality_officer)

    def test_staff_of_lists_every_active_person_of_an_organisation(self) -> None:
        emails = set(User.objects.staff_of(self.organization.pk).values_list("email", flat=True))
        self.assertEqual(emails, {"staff@example.jp", "two-orgs@example.jp"})
        self.assertFalse(User.objects.staff_of(None).exists())

    def test_acting_for_asks_only_with_more_than_one_fitting_capacity(self) -> None:
        def acting(user: User, **kwargs: bool) -> ActingFor:
            request = RequestFactory().get("/")
            request.user = User.objects.get(pk=user.pk)
            request.session = {}  # type: ignore[assignment]
            return ActingFor(request, **kwargs)

        self.assertFalse(acting(self.staff).asks)
        self.assertFalse(acting(self.officer_staff).asks, "one organisation: no question")
        self.assertTrue(acting(self.two_org_staff).asks)
        self.assertFalse(acting(self.officer).allowed)
        self.assertFalse(acting(self.secretariat).allowed)
        self.assertTrue(acting(self.secretariat, secretariat=True).allowed)
        factory.add_capacities(self.secretariat, organizations=(self.organization,))
        self.assertTrue(acting(self.secretariat, secretariat=True).asks)


class CapacityScreenTestCase(MultiRoleTestCase):
    def url(self, user: User) -> str:
        return f"/accounts/users/{user.pk}/"

    def test_the_list_shows_every_capacity_of_an_account(self) -> None:
        self.login(self.secretariat)
        r = self.client.get("/accounts/users/")
        self.assertContains(r, "市町村担当者：藤沢市<br>構成員団体の職員：藤沢市", html=False)
        self.assertContains(r, f'href="{self.url(self.officer_staff)}"')

    def test_the_secretariat_adds_a_capacity_and_it_is_audited(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            self.url(self.officer),
            {"role": "member", "organization": str(self.municipality_member.pk)},
            follow=True,
        )
        self.assertRedirects(r, self.url(self.officer))
        officer = User.objects.get(pk=self.officer.pk)
        self.assertTrue(officer.may_act_for(self.municipality_member))
        self.assertTrue(officer.is_officer_of(self.municipality), "the first capacity stays")
        event = AuditEvent.objects.get(action="update", object_id=str(officer.pk))
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(
            event.changes["capacities"],
            [["市町村担当者：藤沢市"], ["市町村担当者：藤沢市", "構成員団体の職員：藤沢市"]],
        )
        self.assertContains(r, "立場を追加しました。")
        self.assertContains(r, "構成員団体の職員：藤沢市")

    def test_adding_a_capacity_held_already_changes_nothing(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            self.url(self.staff), {"role": "member", "organization": str(self.organization.pk)}
        )
        self.assertContains(self.client.get(r["Location"]), "その立場はすでにあります。")
        self.assertEqual(Affiliation.objects.filter(user=self.staff).count(), 1)
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_incomplete_capacity_is_refused_with_the_reason(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(self.url(self.staff), {"role": "municipality", "municipality": ""})
        self.assertContains(r, "市町村担当者には担当市町村が必要です。", status_code=400)
        self.assertFalse(Assignment.objects.filter(user=self.staff).exists())

    def test_the_secretariat_removes_a_capacity_and_it_is_audited(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            f"{self.url(self.two_org_staff)}capacities/remove/",
            {"role": "member", "target": str(self.other_organization.pk)},
        )
        self.assertRedirects(r, self.url(self.two_org_staff))
        user = User.objects.get(pk=self.two_org_staff.pk)
        self.assertEqual(list(user.organizations), [self.organization])
        event = AuditEvent.objects.get(action="update", object_id=str(user.pk))
        self.assertEqual(len(event.changes["capacities"][0]), 2)
        self.assertEqual(len(event.changes["capacities"][1]), 1)

    def test_the_secretariat_cannot_remove_its_own_secretariat_capacity(self) -> None:
        self.login(self.secretariat)
        r = self.client.post(
            f"{self.url(self.secretariat)}capacities/remove/", {"role": "secretariat"}
        )
        self.assertContains(self.client.get(r["Location"]), "自分の事務局の立場は外せません。")
        self.assertTrue(User.objects.get(pk=self.secretariat.pk).is_secretariat)

    def test_a_tampered_removal_is_not_a_server_error(self) -> None:
        self.login(self.secretariat)
        remove = f"{self.url(self.staff)}capacities/remove/"
        self.assertEqual(self.client.post(remove, {"role": "king"}).status_code, 404)
        self.assertEqual(
            self.client.post(remove, {"role": "member", "target": "x"}).status_code, 404
        )
        r = self.client.post(remove, {"role": "member", "target": "999999"})
        self.assertRedirects(r, self.url(self.staff))
        self.assertTrue(User.objects.get(pk=self.staff.pk).is_member_staff)

    def test_only_the_secretariat_changes_capacities(self) -> None:
        for user in (self.officer, self.staff, self.officer_staff):
            with self.subTest(user=user.email):
                self.login(user)
                self.assertEqual(self.client.get(self.url(self.staff)).status_code, 403)
                r = self.client.post(
                    self.url(user), {"role": "secretariat", "organization": "", "municipality": ""}
                )
                self.assertEqual(r.status_code, 403)
                r = self.client.post(
                    f"{self.url(self.staff)}capacities/remove/",
                    {"role": "member", "target": str(self.organization.pk)},
                )
                self.assertEqual(r.status_code, 403)
        self.assertFalse(User.objects.filter(secretariat=True).exclude(pk=self.secretariat.pk))
        self.assertTrue(User.objects.get(pk=self.staff.pk).is_member_staff)
