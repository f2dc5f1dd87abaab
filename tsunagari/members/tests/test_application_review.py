from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent
from tsunagari.factory import make_application
from tsunagari.members.models import (
    ApplicationEvent,
    Membership,
    MembershipApplication,
    Organization,
    Theme,
)
from tsunagari.test import BaseTestCase

Status = MembershipApplication.Status

NOT_NOW = "この申込は現在の状態ではその操作ができません。"
REASON_REQUIRED = "理由を入力してください。"
ALREADY_REGISTERED = "担当者のメールアドレスはすでに別のアカウントで使われています。"


def link_in(body: object) -> str:
    """The site path of the first link to this site in an e-mail body."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", str(body))
    assert match, body
    return match.group(1)


class ApplicationQueueTestCase(BaseTestCase):
    url = "/secretariat/applications/"

    def setUp(self) -> None:
        now = timezone.now()
        self.newer = make_application(name="新しい申込の会", contact_email="a@example.org")
        self.older = make_application(
            name="古い申込の会", contact_email="b@example.org", submitted_at=now - timedelta(days=3)
        )
        self.reviewing = make_application(
            name="審査中の会", contact_email="c@example.org", submitted_at=now - timedelta(days=2)
        )
        self.reviewing.start_review(by=self.secretariat)
        self.declined = make_application(
            name="不承認の会", contact_email="d@example.org", submitted_at=now - timedelta(days=5)
        )
        self.declined.decline(by=self.secretariat, reason="対象外")
        self.login(self.secretariat)

    def positions(self, html: str, *applications: MembershipApplication) -> list[int]:
        return [html.index(a.reference) for a in applications]

    def test_it_shows_open_applications_oldest_first(self) -> None:
        r = self.client.get(self.url)
        html = r.content.decode()
        self.assertNotContains(r, self.declined.name)
        self.assertEqual(
            self.positions(html, self.older, self.reviewing, self.newer),
            sorted(self.positions(html, self.older, self.reviewing, self.newer)),
        )
        self.assertContains(r, "3件")
        self.assertContains(r, "審査中")

    def test_a_tab_shows_one_status(self) -> None:
        r = self.client.get(self.url, {"status": "declined"})
        self.assertContains(r, self.declined.name)
        for other in (self.older, self.reviewing, self.newer):
            self.assertNotContains(r, other.name)
        self.assertContains(r, "1件")

    def test_the_all_tab_shows_everything(self) -> None:
        r = self.client.get(self.url, {"status": "all"})
        for a in (self.older, self.reviewing, self.newer, self.declined):
            self.assertContains(r, a.name)

    def test_the_current_tab_is_marked(self) -> None:
        r = self.client.get(self.url, {"status": "under_review"})
        self.assertContains(r, 'href="?status=under_review"')
        self.assertRegex(r.content.decode(), r'\?status=under_review"[^>]*aria-current="page"')

    def test_an_htmx_request_gets_only_the_queue(self) -> None:
        r = self.client.get(self.url, {"status": "declined"}, headers={"HX-Request": "true"})
        html = r.content.decode()
        self.assertTrue(html.lstrip().startswith('<div id="queue"'))
        self.assertNotIn("<html", html)
        self.assertIn(self.declined.reference, html)
        self.assertRegex(html, r'\?status=declined"[^>]*aria-current="page"')
        self.assertNotRegex(html, r'\?status=open"[^>]*aria-current="page"')

    def test_the_query_count_does_not_grow_with_the_queue(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url)
        for i in range(10):
            make_application(name=f"追加の申込{i}", contact_email=f"extra{i}@example.org")
        with self.assertNumQueries(len(queries)):
            r = self.client.get(self.url)
        self.assertContains(r, "13件")


class ApplicationDetailTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.application = make_application(contact_phone="090-1234-5678")
        self.url = f"/secretariat/applications/{self.application.pk}/"
        self.login(self.secretariat)

    def test_it_shows_the_application_and_the_contact_person(self) -> None:
        r = self.client.get(self.url)
        self.assertContains(r, self.application.reference)
        self.assertContains(r, "一般社団法人サンプル")
        self.assertContains(r, "見本 太郎")
        self.assertContains(r, "taro@example.org")
        self.assertContains(r, "090-1234-5678")
        self.assertContains(r, "藤沢市")

    def test_every_look_is_recorded(self) -> None:
        self.client.get(self.url)
        self.client.get(self.url)
        views = AuditEvent.objects.filter(action="view", actor=self.secretariat)
        self.assertEqual(views.count(), 2)
        self.assertEqual(
            {(e.object_type, e.object_id) for e in views},
            {("members.membershipapplication", str(self.application.pk))},
        )

    def test_an_unknown_application_is_404(self) -> None:
        self.assertEqual(self.client.get("/secretariat/applications/999999/").status_code, 404)


class ApplicationActionTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.application = make_application(
            municipalities=["142051", "141097"],
            website="https://sample.example.org/",
            offers="交流サロン",
            needs="担い手",
        )
        self.application.themes.set(Theme.objects.filter(name__in=["居場所づくり", "相談支援"]))
        self.login(self.secretariat)

    def act(self, action: str, reason: str = "", application: MembershipApplication | None = None):
        application = application or self.application
        return self.client.post(
            f"/secretariat/applications/{application.pk}/{action}/", {"reason": reason}, follow=True
        )

    def refresh(self) -> MembershipApplication:
        self.application.refresh_from_db()
        return self.application

    # review

    def test_review_moves_the_application_under_review_with_history(self) -> None:
        r = self.act("review")
        self.assertContains(r, "審査を開始しました。")
        self.assertEqual(self.refresh().status, Status.UNDER_REVIEW)
        event = self.application.events.last()
        assert event is not None
        self.assertEqual(
            (event.from_status, event.to_status), (Status.SUBMITTED, Status.UNDER_REVIEW)
        )
        self.assertEqual(event.actor, self.secretariat)
        self.assertContains(r, "受付済み → <strong>審査中</strong>")
        self.assertContains(r, f"（{self.secretariat.full_name}）")

    # return and decline

    def test_return_and_decline_require_a_reason(self) -> None:
        for action in ("return", "decline"):
            with self.subTest(action):
                r = self.client.post(
                    f"/secretariat/applications/{self.application.pk}/{action}/", {"reason": "　"}
                )
                self.assertEqual(r.status_code, 400)
                self.assertContains(r, REASON_REQUIRED, status_code=400)
                self.assertEqual(self.refresh().status, Status.SUBMITTED)
        self.assertEqual(self.application.events.count(), 1)
        self.assertEqual(self.run_tasks(), 0)

    def test_return_mails_the_reason_and_the_edit_link(self) -> None:
        r = self.act("return", "所在地の番地まで記入してください。")
        self.assertContains(r, "修正を依頼しました。")
        self.assertEqual(self.refresh().status, Status.RETURNED)
        self.assertEqual(self.application.latest_reason(), "所在地の番地まで記入してください。")
        self.assertContains(r, "所在地の番地まで記入してください。")
        self.run_tasks()
        (message,) = self.sent_to("taro@example.org")
        self.assertIn(self.application.reference, message.subject)
        self.assertIn("修正", message.subject)
        self.assertIn("所在地の番地まで記入してください。", message.body)
        path = link_in(message.body)
        self.assertEqual(path, f"/apply/{self.application.edit_token}/edit/")
        self.client.logout()
        self.assertContains(self.client.get(path), "所在地の番地まで記入してください。")

    def test_decline_mails_the_reason(self) -> None:
        r = self.act("decline", "県外のみで活動しているため")
        self.assertContains(r, "不承認としました。")
        application = self.refresh()
        self.assertEqual(application.status, Status.DECLINED)
        self.assertIsNotNone(application.decided_at)
        self.assertIsNone(application.organization)
        self.run_tasks()
        (message,) = self.sent_to("taro@example.org")
        self.assertIn("県外のみで活動しているため", message.body)
        self.assertNotIn("/edit/", message.body)
        self.assertFalse(Organization.objects.filter(name=application.name).exists())

    def test_status_changes_are_audited(self) -> None:
        self.act("review")
        self.act("decline", "理由")
        notes = list(
            AuditEvent.objects.filter(
                action="status", object_id=str(self.application.pk), actor=self.secretariat
            )
            .order_by("at", "id")
            .values_list("note", flat=True)
        )
        self.assertEqual(notes, ["審査中", "不承認"])

    # approve

    def test_approve_registers_the_organisation(self) -> None:
        expected_no = Organization.next_roster_no()
        r = self.act("approve", "今後ともよろしくお願いします。")
        application = self.refresh()
        self.assertEqual(application.status, Status.APPROVED)
        self.assertIsNotNone(application.decided_at)
        organization = application.organization
        assert organization is not None
        self.assertContains(r, f"名簿番号 {expected_no} で登録し")
        self.assertEqual(organization.roster_no, expected_no)
        for field in (
            "name",
            "name_kana",
            "sector",
            "legal_form",
            "description",
            "offers",
            "needs",
            "website",
            "postal_code",
            "address",
            "phone",
        ):
            self.assertEqual(getattr(organization, field), getattr(application, field), field)
        self.assertEqual(
            set(organization.municipalities.all()), set(application.municipalities.all())
        )
        self.assertEqual(set(organization.themes.all()), set(application.themes.all()))
        self.assertEqual(organization.themes.count(), 2)
        membership = organization.memberships.get()
        self.assertEqual(membership.started_on, timezone.localdate())
        self.assertEqual(membership.start_basis, Membership.StartBasis.JOINED)
        self.assertIsNone(membership.ended_on)
        self.assertIn(application.reference, organization.source)

    def test_approve_creates_an_account_without_a_password(self) -> None:
        self.act("approve")
        contact = User.objects.get(email="taro@example.org")
        self.assertEqual(list(contact.organizations), [self.refresh().organization])
        self.assertFalse(contact.is_municipality_officer or contact.is_secretariat)
        self.assertEqual(contact.full_name, "見本 太郎")
        self.assertFalse(contact.has_usable_password())
        self.assertTrue(
            AuditEvent.objects.filter(action="invite", object_id=str(contact.pk)).exists()
        )

    def test_approve_mails_a_notice_and_an_invitation(self) -> None:
        self.act("approve", "交流会でお会いしましょう。")
        self.run_tasks()
        messages = self.sent_to("taro@example.org")
        self.assertEqual(len(messages), 2)
        notice = next(m for m in messages if "承認" in m.subject)
        self.assertIn(self.application.reference, notice.subject)
        self.assertIn(f"名簿番号 {self.refresh().organization.roster_no}", notice.body)  # type: ignore[union-attr]
        self.assertIn("交流会でお会いしましょう。", notice.body)
        invitation = next(m for m in messages if m is not notice)
        self.assertIn("/accounts/invitation/", link_in(invitation.body))

    def test_the_invitation_lets_the_contact_person_in_to_their_own_organisation(self) -> None:
        self.act("approve")
        organization = self.refresh().organization
        assert organization is not None
        self.client.logout()
        self.run_tasks()
        invitation = next(m for m in self.sent_to("taro@example.org") if "承認" not in m.subject)

        r = self.client.get(link_in(invitation.body))
        self.assertEqual(r.status_code, 302)
        set_password = r["Location"]
        self.assertTrue(set_password.endswith("/set-password/"))
        form = self.client.get(set_password)
        self.assertContains(form, "パスワードを設定する")
        password = "tsunagari-kanagawa-2025"
        done = self.client.post(
            set_password, {"new_password1": password, "new_password2": password}
        )
        self.assertRedirects(done, "/accounts/invitation/done/", fetch_redirect_response=False)
        self.client.logout()

        signed_in = self.client.post(
            "/accounts/login/", {"username": "taro@example.org", "password": password}
        )
        self.assertRedirects(signed_in, "/my/", fetch_redirect_response=False)
        page = self.client.get("/my/organization/")
        self.assertContains(page, organization.name)
        self.assertEqual(
            self.client.get(
                f"/secretariat/organizations/{self.other_organization.pk}/"
            ).status_code,
            403,
        )

    def test_approving_for_a_registered_address_changes_nothing(self) -> None:
        application = make_application(name="重複の会", contact_email="Staff@Example.jp")
        before = Organization.objects.count()
        r = self.act("approve", application=application)
        self.assertContains(r, ALREADY_REGISTERED)
        application.refresh_from_db()
        self.assertEqual(application.status, Status.SUBMITTED)
        self.assertIsNone(application.organization)
        self.assertEqual(Organization.objects.count(), before)
        self.assertEqual(User.objects.filter(email__iexact="staff@example.jp").count(), 1)
        self.assertEqual(self.run_tasks(), 0)

    # transitions that are not allowed

    def test_a_decided_application_cannot_be_acted_on(self) -> None:
        self.application.decline(by=self.secretariat, reason="対象外")
        events = self.application.events.count()
        for action in ("approve", "review", "return", "decline"):
            with self.subTest(action):
                r = self.act(action, "理由")
                self.assertContains(r, "この申込はすでに不承認になっています。")
                self.assertEqual(self.refresh().status, Status.DECLINED)
        self.assertEqual(self.application.events.count(), events)
        self.assertFalse(Organization.objects.filter(name=self.application.name).exists())
        self.assertFalse(User.objects.filter(email="taro@example.org").exists())
        self.assertEqual(self.run_tasks(), 0)

    def test_a_returned_application_cannot_be_approved_until_resubmitted(self) -> None:
        self.application.return_for_changes(by=self.secretariat, reason="修正を")
        r = self.act("approve")
        self.assertContains(r, NOT_NOW)
        self.assertEqual(self.refresh().status, Status.RETURNED)
        self.assertIsNone(self.application.organization)

    def test_review_twice_is_refused(self) -> None:
        self.act("review")
        r = self.act("review")
        self.assertContains(r, "この申込はすでに審査中です。")
        self.assertEqual(self.application.events.filter(to_status=Status.UNDER_REVIEW).count(), 1)

    def test_an_approved_application_cannot_be_approved_again(self) -> None:
        self.act("approve")
        count = Organization.objects.count()
        r = self.act("approve")
        self.assertContains(r, "この申込はすでに承認されています。")
        self.assertEqual(Organization.objects.count(), count)

    def test_an_unknown_action_is_404(self) -> None:
        r = self.client.post(f"/secretariat/applications/{self.application.pk}/delete/")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.refresh().status, Status.SUBMITTED)

    def test_actions_need_post(self) -> None:
        r = self.client.get(f"/secretariat/applications/{self.application.pk}/approve/")
        self.assertEqual(r.status_code, 405)
        self.assertEqual(self.refresh().status, Status.SUBMITTED)


class SecretariatOnlyTestCase(BaseTestCase):
    """Every secretariat page is closed to the other roles and asks strangers to sign in."""

    def setUp(self) -> None:
        self.application = make_application()
        a, o = self.application.pk, self.organization.pk
        self.pages = [
            "/secretariat/applications/",
            f"/secretariat/applications/{a}/",
            "/secretariat/organizations/",
            f"/secretariat/organizations/{o}/",
            "/secretariat/roster.csv",
            "/secretariat/roster.xlsx",
        ]
        self.actions = [
            f"/secretariat/applications/{a}/{x}/"
            for x in ("review", "approve", "return", "decline")
        ]

    def assert_nothing_changed(self) -> None:
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, Status.SUBMITTED)
        self.assertEqual(ApplicationEvent.objects.filter(application=self.application).count(), 1)
        self.assertFalse(AuditEvent.objects.exists())

    def test_other_roles_get_403(self) -> None:
        for persona in (self.officer, self.staff, self.other_staff):
            self.login(persona)
            for url in self.pages:
                with self.subTest(persona=persona.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            for url in self.actions:
                with self.subTest(persona=persona.email, url=url):
                    self.assertEqual(self.client.post(url, {"reason": "理由"}).status_code, 403)
        self.assert_nothing_changed()

    def test_the_own_organisation_admin_page_is_also_closed_to_its_staff(self) -> None:
        self.login(self.staff)
        self.assertEqual(
            self.client.get(f"/secretariat/organizations/{self.organization.pk}/").status_code, 403
        )

    def test_anonymous_users_are_sent_to_sign_in(self) -> None:
        for url in self.pages:
            with self.subTest(url=url):
                self.assertRedirects(
                    self.client.get(url),
                    f"/accounts/login/?next={url}",
                    fetch_redirect_response=False,
                )
        for url in self.actions:
            with self.subTest(url=url):
                r = self.client.post(url, {"reason": "理由"})
                self.assertRedirects(
                    r, f"/accounts/login/?next={url}", fetch_redirect_response=False
                )
        self.assert_nothing_changed()
