"""The contact office (CONTACT_OFFICE_*): in the footer, on the thanks pages and in the
e-mails; only what is set is shown; a demo without settings shows marked samples."""

from __future__ import annotations

from django.core import mail
from django.test import override_settings

from tsunagari.core.context_processors import ContactOffice, contact_office
from tsunagari.core.mail import queue_email
from tsunagari.factory import make_application, make_resource
from tsunagari.test import BaseTestCase

OFFICE = {
    "CONTACT_OFFICE_NAME": "かながわつながりネットワーク事務局（テスト）",
    "CONTACT_OFFICE_PHONE": "045-210-0000",
    "CONTACT_OFFICE_EMAIL": "office@example.jp",
    "CONTACT_OFFICE_URL": "https://example.jp/office/",
}
UNSET = {
    "CONTACT_OFFICE_NAME": "",
    "CONTACT_OFFICE_PHONE": "",
    "CONTACT_OFFICE_EMAIL": "",
    "CONTACT_OFFICE_URL": "",
    "DEMO": False,
}
DEFAULT_NAME = "神奈川県 福祉子どもみらい局 福祉部 生活援護課"


def thanks_pages() -> dict[str, str]:
    """The four thanks pages a resident or an applicant lands on."""
    from tsunagari.members.models import Organization
    from tsunagari.surveys.tests.test_campaigns import make_campaign

    resource = make_resource()
    campaign = make_campaign(Organization.objects.get(roster_no=13))
    return {
        "apply": "/apply/thanks/",
        "voice": "/voice/thanks/",
        "report": f"/resources/{resource.pk}/report/thanks/",
        "campaign": f"/s/{campaign.token}/thanks/",
    }


class ConfiguredTests(BaseTestCase):
    @override_settings(**OFFICE, DEMO=False)
    def test_the_footer_shows_every_way_to_reach_the_office(self) -> None:
        r = self.client.get("/")
        footer = r.content.decode().split('<footer class="site-footer">')[1]
        self.assertIn("かながわつながりネットワーク事務局（テスト）", footer)
        self.assertIn('href="tel:0452100000"', footer)
        self.assertIn('href="mailto:office@example.jp"', footer)
        self.assertIn('href="https://example.jp/office/"', footer)
        self.assertNotIn("サンプル", footer)

    @override_settings(**OFFICE, DEMO=False)
    def test_every_thanks_page_shows_the_office(self) -> None:
        for name, path in thanks_pages().items():
            with self.subTest(page=name):
                html = self.client.get(path).content.decode()
                main = html.split("<main")[1].split("</main>")[0]
                self.assertIn("お問い合わせ先", main)
                self.assertIn("office@example.jp", main)
                self.assertIn("045-210-0000", main)

    @override_settings(**OFFICE, DEMO=False)
    def test_the_emails_sign_with_the_office(self) -> None:
        application = make_application()
        for template, extra in (
            ("members/email/application_received", {}),
            ("members/email/application_declined", {"reason": "県外のみで活動しているため"}),
            ("members/email/application_returned", {"reason": "所在地", "path": "/x/"}),
        ):
            with self.subTest(template=template):
                mail.outbox.clear()
                queue_email(template, ["a@example.org"], {"application": application, **extra})
                self.run_tasks()
                (message,) = mail.outbox
                self.assertIn(
                    "お問い合わせ先: かながわつながりネットワーク事務局（テスト）", message.body
                )
                self.assertIn("電話: 045-210-0000", message.body)
                self.assertIn("メール: office@example.jp", message.body)
                self.assertNotIn("生活援護課まで", message.body)


@override_settings(**UNSET)
class NotConfiguredTests(BaseTestCase):
    def test_only_the_default_name_is_shown_and_no_number_is_invented(self) -> None:
        office = contact_office()
        self.assertEqual(str(office.name), DEFAULT_NAME)
        self.assertEqual((office.phone, office.email, office.url), ("", "", ""))
        footer = self.client.get("/").content.decode().split('<footer class="site-footer">')[1]
        self.assertIn(DEFAULT_NAME, footer)
        self.assertNotIn("tel:", footer)
        self.assertNotIn("mailto:", footer)

    @override_settings(CONTACT_OFFICE_EMAIL="only@example.jp")
    def test_only_what_is_set_is_shown(self) -> None:
        html = self.client.get("/apply/thanks/").content.decode()
        self.assertIn("only@example.jp", html)
        self.assertNotIn("電話：", html)

    def test_the_name_is_english_on_english_pages(self) -> None:
        self.client.cookies["django_language"] = "en"
        footer = self.client.get("/").content.decode().split('<footer class="site-footer">')[1]
        self.assertIn("Livelihood Support Division", footer)


@override_settings(**{**UNSET, "DEMO": True})
class DemoTests(BaseTestCase):
    def test_the_demo_shows_marked_sample_values_that_cannot_be_dialled(self) -> None:
        office = contact_office()
        self.assertTrue(office.sample)
        self.assertEqual(office.phone, "0XX-000-XXXX")
        self.assertTrue(office.email.endswith("@example.jp"))
        self.assertEqual(office.tel_href, "")
        footer = self.client.get("/").content.decode().split('<footer class="site-footer">')[1]
        self.assertIn("【サンプル】", footer)
        self.assertIn("0XX-000-XXXX", footer)
        self.assertNotIn("tel:", footer)

    @override_settings(CONTACT_OFFICE_PHONE="045-210-0000")
    def test_a_demo_with_real_settings_shows_them_unmarked(self) -> None:
        office = contact_office()
        self.assertFalse(office.sample)
        self.assertEqual(office.phone, "045-210-0000")

    def test_a_sample_in_an_email_is_marked(self) -> None:
        queue_email(
            "members/email/application_received",
            ["a@example.org"],
            {"application": make_application()},
        )
        self.run_tasks()
        self.assertIn("【サンプル】", mail.outbox[0].body)


class TelHrefTests(BaseTestCase):
    def test_a_real_number_is_dialable(self) -> None:
        self.assertEqual(ContactOffice(name="x", phone="045-210-0000").tel_href, "tel:0452100000")


class SettingsTests(BaseTestCase):
    def test_a_malformed_email_or_url_stops_start_up(self) -> None:
        import os
        from unittest import mock

        from django.core.exceptions import ImproperlyConfigured

        from tsunagari.settings import envcontact

        for name, kind, value in (
            ("CONTACT_OFFICE_EMAIL", "email", "生活援護課"),
            ("CONTACT_OFFICE_URL", "url", "www.pref.example.jp"),
        ):
            with (
                self.subTest(name=name),
                mock.patch.dict(os.environ, {name: value}),
                self.assertRaises(ImproperlyConfigured),
            ):
                envcontact(name, kind)
        with mock.patch.dict(os.environ, {"CONTACT_OFFICE_URL": " https://example.jp/ "}):
            self.assertEqual(envcontact("CONTACT_OFFICE_URL", "url"), "https://example.jp/")
