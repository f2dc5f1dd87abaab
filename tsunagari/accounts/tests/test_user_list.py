from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import IntegrityError, transaction

from tsunagari import factory
from tsunagari.accounts.models import Affiliation, Assignment, User
from tsunagari.audit.models import AuditEvent
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Organization
from tsunagari.test import BaseTestCase


class UserListTestCase(BaseTestCase):
    url = "/accounts/users/"

    def invite(self, **overrides: str) -> Any:
        data = {
            "email": "kamakura@example.jp",
            "full_name": "鎌倉 担当",
            "role": "municipality",
            "municipality": "142042",
            "organization": "",
        }
        data.update(overrides)
        return self.client.post(self.url, data)

    def test_it_lists_every_account_with_its_binding(self) -> None:
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertContains(r, "アカウント管理")
        for user in (self.secretariat, self.officer, self.staff, self.other_staff):
            self.assertContains(r, user.email)
        self.assertContains(r, "市町村担当者：藤沢市")
        self.assertContains(r, f"構成員団体の職員：{self.organization.name}")
        self.assertContains(r, "利用中")

    def test_secretariat_invites_a_municipality_officer(self) -> None:
        self.login(self.secretariat)
        r = self.invite()
        self.assertRedirects(r, self.url)
        user = User.objects.get(email="kamakura@example.jp")
        self.assertEqual(
            list(user.officer_municipalities), [Municipality.objects.get(name="鎌倉市")]
        )
        self.assertFalse(user.is_member_staff)
        self.assertFalse(user.is_secretariat)
        self.assertFalse(user.has_usable_password())
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.run_tasks(), 1)
        invitation = self.sent_to("kamakura@example.jp")[0]
        self.assertEqual(invitation.subject, "【かながわつながりネットワーク】アカウントのご案内")
        self.assertIn("鎌倉 担当 様", invitation.body)
        self.assertIn("/accounts/invitation/", invitation.body)
        event = AuditEvent.objects.get(action="invite")
        self.assertEqual(event.actor, self.secretariat)
        self.assertEqual(event.object_id, str(user.pk))
        self.assertEqual(event.note, "市町村担当者")

    def test_the_invited_account_shows_as_invited(self) -> None:
        self.login(self.secretariat)
        r = self.client.get(self.invite().url)
        self.assertContains(r, "kamakura@example.jp に招待メールを送ります。")
        self.assertContains(r, "招待中")

    def test_the_invitation_link_in_the_email_works(self) -> None:
        self.login(self.secretariat)
        self.invite()
        self.run_tasks()
        self.client.logout()
        body = self.sent_to("kamakura@example.jp")[0].body
        path = next(w for w in body.split() if "/accounts/invitation/" in w)
        r = self.client.get(path[path.index("/accounts/") :], follow=True)
        self.assertContains(r, 'name="new_password1"')

    def test_secretariat_invites_member_staff(self) -> None:
        self.login(self.secretariat)
        r = self.invite(
            email="ＮＥＷ＠Example.jp",
            role="member",
            municipality="142042",
            organization=str(self.organization.pk),
        )
        self.assertRedirects(r, self.url)
        user = User.objects.get(email="new@example.jp")
        self.assertEqual(list(user.organizations), [self.organization])
        self.assertFalse(user.is_municipality_officer, "a binding that does not fit is dropped")

    def test_a_municipality_officer_needs_a_municipality(self) -> None:
        self.login(self.secretariat)
        r = self.invite(municipality="")
        self.assertContains(r, "市町村担当者には担当市町村が必要です。", status_code=400)
        self.assertFalse(User.objects.filter(email="kamakura@example.jp").exists())
        self.assertEqual(self.run_tasks(), 0)

    def test_member_staff_need_an_organisation(self) -> None:
        self.login(self.secretariat)
        r = self.invite(role="member", municipality="")
        self.assertContains(r, "構成員団体の職員には所属団体が必要です。", status_code=400)
        self.assertFalse(User.objects.filter(email="kamakura@example.jp").exists())

    def test_a_ward_is_not_a_municipality_to_be_bound_to(self) -> None:
        self.login(self.secretariat)
        r = self.invite(municipality="141097")
        self.assertEqual(r.status_code, 400)
        self.assertFalse(User.objects.filter(email="kamakura@example.jp").exists())

    def test_a_duplicate_email_is_rejected_in_any_case(self) -> None:
        self.login(self.secretariat)
        r = self.invite(email="Fujisawa@Example.jp")
        self.assertContains(r, "このメールアドレスはすでに登録されています。", status_code=400)
        self.assertEqual(User.objects.filter(email__iexact="fujisawa@example.jp").count(), 1)
        self.assertFalse(AuditEvent.objects.exists())

    def test_an_account_cannot_be_created_with_half_a_capacity(self) -> None:
        with self.assertRaises(ValueError):
            User.objects.create_user("x@example.jp", full_name="x", role=User.Role.MEMBER)
        with self.assertRaises(ValueError):
            User.objects.create_user("x@example.jp", full_name="x", role=User.Role.MUNICIPALITY)
        self.assertFalse(User.objects.filter(email="x@example.jp").exists())

    def test_the_database_holds_each_capacity_once(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            Affiliation.objects.create(user=self.staff, organization=self.organization)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Assignment.objects.create(user=self.officer, municipality=self.municipality)

    def test_the_number_of_queries_does_not_grow_with_the_accounts(self) -> None:
        self.login(self.secretariat)
        baseline = self.count_queries()
        for i, org in enumerate(Organization.objects.all()[:10]):
            factory.make_user(f"staff{i}@example.jp", User.Role.MEMBER, organization=org)
        for i, code in enumerate(["142018", "142034", "142042"]):
            factory.make_user(
                f"officer{i}@example.jp",
                User.Role.MUNICIPALITY,
                municipality=Municipality.objects.get(code=code),
            )
        with self.assertNumQueries(baseline):
            r = self.client.get(self.url)
        self.assertContains(r, "staff9@example.jp")
        self.assertContains(r, "officer2@example.jp")

    def count_queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(self.url).status_code, 200)
        return len(ctx.captured_queries)

    def test_other_roles_are_refused(self) -> None:
        for user in (self.officer, self.staff):
            with self.subTest(user=user.email):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.invite().status_code, 403)
        self.assertFalse(User.objects.filter(email="kamakura@example.jp").exists())

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        r = self.client.get(self.url)
        self.assertRedirects(r, "/accounts/login/?next=/accounts/users/")
