from __future__ import annotations

import re
from typing import Any

from django.core import mail

from tsunagari import factory
from tsunagari.accounts.models import User
from tsunagari.accounts.services import invitation_path
from tsunagari.test import BaseTestCase


def without_tokens(content: bytes) -> str:
    """The page without what differs on every response (CSP nonce, CSRF token)."""
    # The whole quoted value: a nonce may begin with "-", which `nonce\W+` used to swallow.
    text = re.sub(r'(nonce"?\s*[=:]\s*")[^"]*', r"\1", content.decode(), flags=re.IGNORECASE)
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", text)


def test_without_tokens_ignores_any_nonce_however_it_begins() -> None:
    for first, second in (("-abc_DEF", "xyz-123"), ("abc", "-_-"), ("Zz9", "_Zz9")):
        page = '<script nonce="{0}"></script><meta content=\'{{"inlineScriptNonce": "{0}"}}\'>'
        assert without_tokens(page.format(first).encode()) == without_tokens(
            page.format(second).encode()
        )


NEW_PASSWORD = "kanagawa-tsunagari-2025"
INVALID = "このリンクは無効か、有効期限（7日間）が切れています。"


class InvitationTestCase(BaseTestCase):
    invited: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.invited = User.objects.create_user(
            "new-staff@example.jp",
            full_name="新人 職員",
            role=User.Role.MEMBER,
            organization=cls.organization,
        )

    def open_link(self, path: str) -> Any:
        """Follow the link as the browser does: Django swaps the token for a session."""
        return self.client.get(path, follow=True)

    def set_password(self, path: str, p1: str = NEW_PASSWORD, p2: str | None = None) -> Any:
        r = self.open_link(path)
        form_url = r.redirect_chain[-1][0] if r.redirect_chain else path
        return self.client.post(
            form_url, {"new_password1": p1, "new_password2": p1 if p2 is None else p2}
        )

    def test_the_invited_account_cannot_sign_in_before_setting_a_password(self) -> None:
        self.assertFalse(self.invited.has_usable_password())

    def test_the_link_shows_the_password_form(self) -> None:
        r = self.open_link(invitation_path(self.invited))
        self.assertContains(r, "ログインに使うパスワードを設定してください。")
        self.assertContains(r, 'name="new_password1"')

    def test_the_link_lets_the_user_set_a_password_and_signs_them_in(self) -> None:
        r = self.set_password(invitation_path(self.invited))
        self.assertRedirects(r, "/accounts/invitation/done/")
        self.invited.refresh_from_db()
        self.assertTrue(self.invited.check_password(NEW_PASSWORD))
        self.assertTrue(self.invited.password.startswith("argon2"))
        r = self.client.get("/my/")
        self.assertEqual(r.context["user"], self.invited)
        self.assertContains(r, "団体情報を編集する")

    def test_the_new_password_works_on_the_login_page(self) -> None:
        self.set_password(invitation_path(self.invited))
        self.client.logout()
        r = self.client.post(
            "/accounts/login/", {"username": "new-staff@example.jp", "password": NEW_PASSWORD}
        )
        self.assertRedirects(r, "/my/")

    def test_a_used_link_shows_the_invalid_link_page(self) -> None:
        path = invitation_path(self.invited)
        self.set_password(path)
        self.client.logout()
        r = self.open_link(path)
        self.assertContains(r, INVALID)
        self.assertNotContains(r, 'name="new_password1"')

    def test_a_tampered_token_shows_the_invalid_link_page(self) -> None:
        path = invitation_path(self.invited)
        tampered = re.sub(r"/([^/]+)/$", lambda m: "/" + m.group(1)[:-1] + "x/", path)
        self.assertNotEqual(tampered, path)
        r = self.open_link(tampered)
        self.assertContains(r, INVALID)

    def test_a_link_for_another_user_id_shows_the_invalid_link_page(self) -> None:
        path = invitation_path(self.invited)
        other_uid = invitation_path(self.staff).split("/")[3]
        parts = path.split("/")
        parts[3] = other_uid
        r = self.open_link("/".join(parts))
        self.assertContains(r, INVALID)

    def test_a_posted_tampered_link_does_not_change_the_password(self) -> None:
        path = invitation_path(self.invited)
        uid = path.split("/")[3]
        r = self.client.post(
            f"/accounts/invitation/{uid}/set-password/",
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertContains(r, INVALID)
        self.invited.refresh_from_db()
        self.assertFalse(self.invited.has_usable_password())

    def test_a_short_password_is_rejected_in_japanese(self) -> None:
        r = self.set_password(invitation_path(self.invited), "short1")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "このパスワードは短すぎます。")
        self.invited.refresh_from_db()
        self.assertFalse(self.invited.has_usable_password())

    def test_a_common_password_is_rejected_in_japanese(self) -> None:
        r = self.set_password(invitation_path(self.invited), "password123")
        self.assertContains(r, "このパスワードは一般的すぎます。")

    def test_a_numeric_password_is_rejected_in_japanese(self) -> None:
        r = self.set_password(invitation_path(self.invited), "4829301746")
        self.assertContains(r, "このパスワードは数字しか使われていません。")

    def test_mismatched_passwords_are_rejected_in_japanese(self) -> None:
        r = self.set_password(invitation_path(self.invited), NEW_PASSWORD, NEW_PASSWORD + "x")
        self.assertContains(r, "確認用パスワードが一致しません。")
        self.invited.refresh_from_db()
        self.assertFalse(self.invited.has_usable_password())


class PasswordResetTestCase(BaseTestCase):
    url = "/accounts/password-reset/"

    def test_it_queues_the_email_rather_than_sending_it_in_the_request(self) -> None:
        r = self.client.post(self.url, {"email": "staff@example.jp"})
        self.assertRedirects(r, "/accounts/password-reset/sent/")
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["staff@example.jp"])
        self.assertEqual(message.subject, "【かながわつながりネットワーク】パスワードの再設定")

    def test_the_emailed_link_sets_a_new_password(self) -> None:
        self.client.post(self.url, {"email": "staff@example.jp"})
        self.run_tasks()
        match = re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", str(mail.outbox[0].body))
        assert match is not None, mail.outbox[0].body
        r = self.client.get(match.group(1), follow=True)
        self.assertContains(r, 'name="new_password1"')
        r = self.client.post(
            r.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(r, "/accounts/invitation/done/")
        self.staff.refresh_from_db()
        self.assertTrue(self.staff.check_password(NEW_PASSWORD))

    def test_the_address_may_be_typed_in_full_width_capitals(self) -> None:
        self.client.post(self.url, {"email": "ＳＴＡＦＦ＠ＥＸＡＭＰＬＥ．ＪＰ"})
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(mail.outbox[0].to, ["staff@example.jp"])

    def test_it_does_not_reveal_whether_the_address_exists(self) -> None:
        known = self.client.post(self.url, {"email": "staff@example.jp"}, follow=True)
        unknown = self.client.post(self.url, {"email": "nobody@example.jp"}, follow=True)
        self.assertEqual(known.redirect_chain, unknown.redirect_chain)
        self.assertEqual(without_tokens(known.content), without_tokens(unknown.content))
        self.assertContains(unknown, "入力されたアドレスが登録されていれば")
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(self.sent_to("nobody@example.jp"), [])

    def test_an_invited_user_without_a_password_can_ask_for_a_new_link(self) -> None:
        factory.make_user(
            "invited@example.jp", User.Role.MEMBER, password="", organization=self.organization
        )
        self.client.post(self.url, {"email": "invited@example.jp"})
        self.assertEqual(self.run_tasks(), 1)
        self.assertEqual(len(self.sent_to("invited@example.jp")), 1)
