from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import quote

from openpyxl import load_workbook

from tsunagari.audit.models import AuditEvent
from tsunagari.members import services
from tsunagari.members.models import ROSTER_BASELINE_DATE, Membership
from tsunagari.members.tests.helpers import roster_groups
from tsunagari.test import BaseTestCase


class ExportTestCase(BaseTestCase):
    def setUp(self) -> None:
        self.login(self.secretariat)

    def roster_on_page(self, **params: str) -> list[tuple[str, str, str]]:
        """(No, 分野, 組織名) as the roster page lists them, in number order."""
        html = self.client.get("/roster/", params).content.decode()
        rows = [(no, label, name) for label, group in roster_groups(html) for no, name in group]
        return sorted(rows, key=lambda row: int(row[0]))

    def csv_rows(self, **params: str) -> list[list[str]]:
        r = self.client.get("/secretariat/roster.csv", params)
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.content.startswith(b"\xef\xbb\xbf"))
        return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))

    def xlsx_rows(self, **params: str) -> list[list[object]]:
        r = self.client.get("/secretariat/roster.xlsx", params)
        self.assertEqual(r.status_code, 200)
        sheet = load_workbook(io.BytesIO(r.content)).active
        assert sheet is not None
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def withdraw(self) -> None:
        Membership.objects.filter(organization=self.organization).update(
            ended_on=ROSTER_BASELINE_DATE + timedelta(days=30), end_reason="退会届"
        )

    # CSV

    def test_the_csv_is_the_roster(self) -> None:
        header, *rows = self.csv_rows()
        self.assertEqual(header, services.ROSTER_HEADER)
        self.assertEqual(len(rows), 35)
        # One flat table in the official numbering, with 分野 as a column.
        self.assertEqual([(row[0], row[1], row[2]) for row in rows], self.roster_on_page())
        himawari = next(row for row in rows if row[0] == "13")
        self.assertEqual(himawari[2], self.organization.name)
        self.assertEqual(himawari[6], "2025-07-30")
        self.assertEqual(himawari[7], "この日時点で構成員（加入日は不明）")
        fujisawa = next(row for row in rows if row[2] == "藤沢市")
        self.assertEqual((fujisawa[4], fujisawa[5]), ("地方公共団体", "藤沢市"))

    def test_a_past_date_reproduces_the_earlier_roster(self) -> None:
        self.withdraw()
        _, *latest = self.csv_rows()
        self.assertEqual(len(latest), 34)
        self.assertNotIn(self.organization.name, [row[2] for row in latest])
        _, *earlier = self.csv_rows(as_of="2025-08-01")
        self.assertEqual(len(earlier), 35)
        self.assertIn(self.organization.name, [row[2] for row in earlier])
        self.assertEqual(
            [(row[0], row[1], row[2]) for row in earlier],
            self.roster_on_page(as_of="2025-08-01"),
        )

    def test_an_era_date_works_too(self) -> None:
        self.withdraw()
        _, *rows = self.csv_rows(as_of="令和7年8月1日")
        self.assertEqual(len(rows), 35)

    def test_a_bad_date_is_not_exported(self) -> None:
        for url in ("/secretariat/roster.csv", "/secretariat/roster.xlsx"):
            for as_of in ("そのうち", "2025-02-30", "1800-01-01"):
                with self.subTest(url=url, as_of=as_of):
                    r = self.client.get(url, {"as_of": as_of})
                    self.assertEqual(r.status_code, 404)
        self.assertFalse(AuditEvent.objects.filter(action="export").exists())

    def test_the_filename_is_dated_and_in_utf8(self) -> None:
        r = self.client.get("/secretariat/roster.csv", {"as_of": "2025-08-01"})
        disposition = r["Content-Disposition"]
        self.assertTrue(disposition.startswith("attachment;"))
        self.assertIn("filename*=UTF-8''" + quote("構成員名簿_20250801.csv"), disposition)
        self.assertEqual(r["Content-Type"], "text/csv; charset=utf-8")

    # Excel

    def test_the_xlsx_has_a_title_and_the_same_rows(self) -> None:
        title, header, *rows = self.xlsx_rows()
        self.assertIn("令和7年7月30日時点", str(title[0]))
        self.assertEqual(list(header), services.ROSTER_HEADER)
        _, *csv_rows = self.csv_rows()
        self.assertEqual(len(rows), 35)
        self.assertEqual(
            [(r[0], r[1], r[2]) for r in rows], [(int(c[0]), c[1], c[2]) for c in csv_rows]
        )

    def test_the_xlsx_for_a_past_date(self) -> None:
        self.withdraw()
        title, _, *rows = self.xlsx_rows(as_of="2025-08-01")
        self.assertIn("令和7年8月1日時点", str(title[0]))
        self.assertIn(self.organization.name, [row[2] for row in rows])
        r = self.client.get("/secretariat/roster.xlsx", {"as_of": "2025-08-01"})
        self.assertIn(quote("構成員名簿_20250801.xlsx"), r["Content-Disposition"])

    # Who may export

    def test_every_export_is_recorded(self) -> None:
        self.client.get("/secretariat/roster.csv", {"as_of": "2025-08-01"})
        self.client.get("/secretariat/roster.xlsx")
        notes = sorted(
            AuditEvent.objects.filter(action="export", actor=self.secretariat).values_list(
                "note", flat=True
            )
        )
        self.assertEqual(len(notes), 2)
        self.assertIn("2025-08-01", notes[0])
        self.assertIn("roster.csv", notes[0])
        self.assertIn("roster.xlsx", notes[1])

    def test_only_the_secretariat_may_export(self) -> None:
        for persona in (self.officer, self.staff, self.other_staff):
            self.login(persona)
            for url in ("/secretariat/roster.csv", "/secretariat/roster.xlsx"):
                with self.subTest(persona=persona.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        r = self.client.get("/secretariat/roster.csv")
        self.assertRedirects(
            r, "/accounts/login/?next=/secretariat/roster.csv", fetch_redirect_response=False
        )
        self.assertFalse(AuditEvent.objects.filter(action="export").exists())

    def test_the_roster_page_links_to_the_exports_for_its_date(self) -> None:
        r = self.client.get("/roster/", {"as_of": "令和7年8月1日"})
        self.assertContains(r, 'href="/secretariat/roster.csv?as_of=2025-08-01"')
        self.client.logout()
        self.assertNotContains(self.client.get("/roster/"), "/secretariat/roster.csv")
