"""The loader: every row of the shipped list arrives with its source and seen date; bad
rows are reported by line and nothing is written; a reload changes nothing twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import TestCase

from tsunagari.audit.models import AuditEvent
from tsunagari.helplines import loader
from tsunagari.helplines.models import NationalLine

TODAY = dt.date(2026, 12, 2)


def shipped_rows() -> list[dict[str, str]]:
    with loader.DATA_FILE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=loader.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def row(**fields: str) -> dict[str, str]:
    base = {
        "name_ja": "【テスト】相談ダイヤル",
        "name_en": "Test line",
        "kind": "phone",
        "phone": "0120-000-000",
        "sns_or_url": "",
        "hours_ja": "24時間",
        "hours_en": "24 hours",
        "free": "yes",
        "languages": "ja;en",
        "targets": "everyone",
        "scope": "national",
        "source_url": "https://example.jp/line",
        "source_seen": "2025-04-01",
        "notes": "",
    }
    return {**base, **fields}


class ShippedListTests(TestCase):
    """The migration loaded the reference list (a fresh install has it)."""

    def test_every_row_of_the_list_is_loaded_with_its_source_and_date(self) -> None:
        rows = shipped_rows()
        self.assertEqual(NationalLine.objects.count(), len(rows))
        for raw in rows:
            with self.subTest(name=raw["name_ja"]):
                line = NationalLine.objects.get(name_ja=raw["name_ja"])
                self.assertEqual(line.source_url, raw["source_url"])
                self.assertTrue(line.source_url)
                seen = dt.date.fromisoformat(raw["source_seen"]) if raw["source_seen"] else None
                self.assertEqual(line.source_seen, seen)
                # Published exactly when the row has both; otherwise it waits.
                expected = "published" if seen else "pending"
                self.assertEqual(line.status, expected)

    def test_110_and_119_are_emergency_lines_open_24_hours(self) -> None:
        emergency = NationalLine.objects.filter(kind="emergency")
        self.assertEqual(sorted(emergency.values_list("phone", flat=True)), ["110", "119"])
        self.assertTrue(all(line.is_24h and line.status == "published" for line in emergency))

    def test_the_period_only_line_is_marked(self) -> None:
        self.assertEqual(
            list(NationalLine.objects.filter(period_only=True).values_list("phone", flat=True)),
            ["#9999"],
        )

    def test_hours_decide_24_hours(self) -> None:
        def is_24h(name: str) -> bool:
            return NationalLine.objects.get(name_ja__startswith=name).is_24h

        self.assertTrue(is_24h("よりそいホットライン"))
        self.assertTrue(is_24h("DV相談+"))  # 電話は24時間
        self.assertFalse(is_24h("いのちSOS"))  # 月・木・金は24時間
        self.assertFalse(is_24h("チャイルドライン"))


class ParseTests(TestCase):
    def test_a_good_row_parses(self) -> None:
        parsed = loader.parse(to_csv([row()]), today=TODAY)
        self.assertEqual(parsed.errors, [])
        self.assertEqual(parsed.rows[0]["source_seen"], dt.date(2025, 4, 1))
        self.assertTrue(parsed.rows[0]["for_everyone"])

    def test_bad_rows_are_reported_by_line(self) -> None:
        text = to_csv(
            [
                row(name_ja="出典なし", source_url=""),
                row(name_ja="日付が変", source_seen="2025/13/40"),
                row(name_ja="未来", source_seen="2027-01-01"),
                row(name_ja="種類が変", kind="fax"),
                row(name_ja="言語が変", languages="ja;xx"),
                row(name_ja="連絡先なし", phone="", sns_or_url=""),
                row(name_ja="URLでない", source_url="www.example.jp"),
                row(name_ja="良い行"),
                row(name_ja="良い行"),
            ]
        )
        parsed = loader.parse(text, today=TODAY)
        by_line = {p.line: p.name for p in parsed.errors}
        self.assertEqual(
            by_line,
            {
                2: "出典なし",
                3: "日付が変",
                4: "未来",
                5: "種類が変",
                6: "言語が変",
                7: "連絡先なし",
                8: "URLでない",
                10: "良い行",
            },
        )
        self.assertIn("出典URL", str(parsed.errors[0]))
        self.assertIn("2行目", str(parsed.errors[0]))

    def test_a_row_without_a_seen_date_is_a_warning_not_an_error(self) -> None:
        parsed = loader.parse(to_csv([row(source_seen="")]), today=TODAY)
        self.assertEqual(parsed.errors, [])
        self.assertEqual(len(parsed.warnings), 1)
        self.assertIn("確認待ち", str(parsed.warnings[0]))

    def test_a_file_without_the_columns_is_refused(self) -> None:
        parsed = loader.parse("name,phone\nx,110\n", today=TODAY)
        self.assertEqual(len(parsed.errors), 1)
        self.assertIn("source_url", parsed.errors[0].message)


class CommandTests(TestCase):
    def run_command(self, rows: list[dict[str, str]], *args: str) -> str:
        with TemporaryDirectory() as folder:
            path = Path(folder) / "lines.csv"
            path.write_text(to_csv(rows), encoding="utf-8")
            out = io.StringIO()
            call_command("load_national_lines", str(path), *args, stdout=out, stderr=io.StringIO())
            return out.getvalue()

    def test_reloading_the_shipped_list_changes_nothing(self) -> None:
        out = io.StringIO()
        call_command("load_national_lines", stdout=out)
        self.assertIn("新規 0件、更新 0件", out.getvalue())
        self.assertFalse(AuditEvent.objects.filter(object_type="helplines.nationalline").exists())

    def test_it_creates_then_updates_with_audit_and_is_idempotent(self) -> None:
        self.assertIn("新規 1件", self.run_command([row()]))
        line = NationalLine.objects.get(name_ja="【テスト】相談ダイヤル")
        self.assertEqual(line.status, "published")
        self.assertIn("新規 0件、更新 1件", self.run_command([row(hours_ja="平日9時〜17時")]))
        line.refresh_from_db()
        self.assertEqual(line.hours_ja, "平日9時〜17時")
        self.assertFalse(line.is_24h)
        self.assertIn("更新 0件、変更なし 1件", self.run_command([row(hours_ja="平日9時〜17時")]))
        events = AuditEvent.objects.for_object(line)
        self.assertEqual(sorted(e.action for e in events), ["create", "update"])
        update = events.get(action="update")
        self.assertEqual(update.changes["hours_ja"], ["24時間", "平日9時〜17時"])

    def test_one_bad_row_writes_nothing(self) -> None:
        with self.assertRaisesMessage(CommandError, "1件の誤り"):
            self.run_command([row(name_ja="良い行"), row(name_ja="悪い行", source_url="")])
        self.assertFalse(NationalLine.objects.filter(name_ja="良い行").exists())

    def test_dry_run_writes_nothing(self) -> None:
        self.assertIn("新規 1件", self.run_command([row()], "--dry-run"))
        self.assertFalse(NationalLine.objects.filter(name_ja="【テスト】相談ダイヤル").exists())

    def test_a_reload_keeps_the_secretariats_decisions(self) -> None:
        self.run_command([row()])
        line = NationalLine.objects.get(name_ja="【テスト】相談ダイヤル")
        NationalLine.objects.filter(pk=line.pk).update(
            status="retired", source_url="https://example.jp/new", source_seen=TODAY
        )
        self.run_command([row(hours_ja="毎日10時〜22時")])
        line.refresh_from_db()
        self.assertEqual(line.status, "retired")
        self.assertEqual(line.source_url, "https://example.jp/new")  # seen later than the CSV's
        self.assertEqual(line.source_seen, TODAY)
        self.assertEqual(line.hours_ja, "毎日10時〜22時")

    def test_a_pending_line_is_published_when_the_file_brings_its_date(self) -> None:
        self.run_command([row(source_seen="")])
        line = NationalLine.objects.get(name_ja="【テスト】相談ダイヤル")
        self.assertEqual(line.status, "pending")
        self.run_command([row()])
        line.refresh_from_db()
        self.assertEqual(line.status, "published")
