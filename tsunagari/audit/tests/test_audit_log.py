from __future__ import annotations

from tsunagari.audit.models import AuditEvent, diff, record, snapshot
from tsunagari.factory import make_application
from tsunagari.test import BaseTestCase


class AuditLogTestCase(BaseTestCase):
    url = "/secretariat/audit/"

    def test_it_lists_who_did_what(self) -> None:
        application = make_application()
        record(self.secretariat, AuditEvent.Action.VIEW, application)
        self.login(self.secretariat)
        r = self.client.get(self.url)
        self.assertContains(r, "操作記録")
        self.assertContains(r, "個人情報の閲覧")
        self.assertContains(r, "jimukyoku")
        self.assertContains(r, application.reference)

    def test_it_filters_by_action(self) -> None:
        record(self.secretariat, AuditEvent.Action.VIEW, make_application())
        record(self.secretariat, AuditEvent.Action.EXPORT, self.secretariat, note="roster.csv")
        self.login(self.secretariat)
        r = self.client.get(self.url, {"action": "export"})
        self.assertEqual([e.action for e in r.context["page"]], ["export"])
        self.assertContains(r, '<option value="export" selected>', html=False)

    def test_an_unknown_action_shows_everything(self) -> None:
        record(self.secretariat, AuditEvent.Action.VIEW, make_application())
        record(self.secretariat, AuditEvent.Action.EXPORT, self.secretariat)
        self.login(self.secretariat)
        r = self.client.get(self.url, {"action": "drop table"})
        self.assertEqual(len(r.context["page"]), 2)

    def test_changes_are_shown_field_by_field(self) -> None:
        before = snapshot(self.organization, ["name_kana", "themes"])
        self.organization.name_kana = "ヒマワリ"
        self.organization.save()
        changes = diff(before, snapshot(self.organization, ["name_kana", "themes"]))
        self.assertEqual(changes, {"name_kana": ["", "ヒマワリ"]})
        record(self.staff, AuditEvent.Action.UPDATE, self.organization, changes=changes)
        self.login(self.secretariat)
        r = self.client.get(self.url)
        # The field's label, not its code name.
        self.assertContains(r, "フリガナ</span>: （空） → ヒマワリ", html=False)
        self.assertNotContains(r, "name_kana")

    def test_a_signed_out_actor_is_recorded_as_nobody(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        event = record(AnonymousUser(), AuditEvent.Action.CREATE, self.organization)
        self.assertIsNone(event.actor)

    def test_it_is_only_for_the_secretariat(self) -> None:
        for user in (self.staff, self.officer):
            with self.subTest(user=user.email):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 403)
