"""Resource CSV import: encodings, every kind of bad row with its line number, atomicity."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import threading
from decimal import Decimal
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.directory import csv_import
from tsunagari.directory.models import Resource, Schedule
from tsunagari.directory.search_models import SearchDocument
from tsunagari.test import BaseTestCase

URL = "/manage/resources/import/"


def csv_bytes(
    rows: list[dict[str, str]], *, encoding: str = "utf-8-sig", header: list[str] | None = None
) -> bytes:
    header = header or list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buffer.getvalue().encode(encoding)


def good_row(**overrides: str) -> dict[str, str]:
    row = {
        "名称": "サンプル 水曜ひろば",
        "フリガナ": "すいようひろば",
        "内容": "どなたでも立ち寄れる居場所です。",
        "種類": "居場所、イベント",
        "対象": "どなたでも; koreisha",
        "対応言語": "日本語、en",
        "無料": "はい",
        "市区町村": "藤沢市",
        "場所の名称": "サンプル 地区センター",
        "郵便番号": "２５１－００００",
        "住所": "藤沢市藤沢0-0-0（サンプル）",
        "緯度": "35.338",
        "経度": "139.487",
        "日程": "毎週水曜 10:00-12:00",
        "電話番号": "０４６６（００）００００",
        "メールアドレス": "Hiroba@Example.JP",
        "URL": "https://example.jp/hiroba",
        "参加方法": "直接お越しください。",
    }
    row.update(overrides)
    return row


class ImportTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Previews are kept under VAR_DIR: give each test an empty one of its own.
        folder = self.enterContext(tempfile.TemporaryDirectory())
        self.enterContext(override_settings(VAR_DIR=folder))

    def preview(self, data: bytes, *, name: str = "resources.csv", **extra: Any) -> Any:
        """Step one: choose the file; the answer is the preview (or the errors)."""
        return self.client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})

    def confirm(self, preview: Any, *, follow: bool = False) -> Any:
        """Step two: 「この内容で登録する」 on a preview page."""
        return self.client.post(URL, {"preview": preview.context["preview"]}, follow=follow)

    def upload(
        self, data: bytes, *, name: str = "resources.csv", follow: bool = False, **extra: Any
    ) -> Any:  # the test client's response
        """Both steps, as a person who confirms what the preview shows."""
        r = self.preview(data, name=name, **extra)
        if r.status_code == 200 and r.context.get("preview"):
            return self.confirm(r, follow=follow)
        return r

    def error_rows(self, response: Any) -> list[tuple[int, str, str]]:
        plan = response.context["plan"]
        return [(e.line, e.column, e.message) for e in plan.errors]


class ImportSuccessTestCase(ImportTestCase):
    def test_it_creates_published_resources_with_place_schedule_and_terms(self) -> None:
        self.login(self.staff)
        r = self.upload(csv_bytes([good_row()]))
        self.assertRedirects(r, URL, fetch_redirect_response=False)
        resource = Resource.objects.get(name="サンプル 水曜ひろば")
        self.assertEqual(resource.organization, self.organization)
        self.assertEqual(resource.status, Resource.Status.PUBLISHED)
        self.assertEqual(resource.last_verified_on, timezone.localdate())
        self.assertEqual(resource.created_by, self.staff)
        self.assertEqual(resource.name_kana, "スイヨウヒロバ")
        self.assertEqual(resource.phone, "0466-00-0000")
        self.assertEqual(resource.email, "hiroba@example.jp")
        self.assertTrue(resource.is_free)
        self.assertEqual(sorted(resource.kinds.values_list("slug", flat=True)), ["event", "ibasho"])
        self.assertEqual(
            sorted(resource.target_groups.values_list("slug", flat=True)),
            ["everyone", "koreisha"],
        )
        self.assertEqual(sorted(resource.languages.values_list("code", flat=True)), ["en", "ja"])
        location = resource.locations.get()
        self.assertEqual(location.municipality_id, "142051")
        self.assertEqual(location.postal_code, "251-0000")
        self.assertEqual(location.latitude, Decimal("35.338000"))
        schedule = resource.schedules.get()
        self.assertEqual(schedule.describe(), "毎週水曜 10:00〜12:00")
        self.assertEqual(schedule.location, location)

    def test_it_says_how_many_were_created_and_records_them_in_the_audit_trail(self) -> None:
        self.login(self.staff)
        rows = [good_row(名称=f"サンプル 居場所{i}") for i in range(3)]
        r = self.upload(csv_bytes(rows), follow=True)
        self.assertContains(r, "社会資源を3件登録しました")
        events = AuditEvent.objects.filter(action="create", object_type="directory.resource")
        self.assertEqual(events.count(), 3)
        self.assertIn("resources.csv 2行目", events.order_by("id").first().note)  # type: ignore[union-attr]

    def test_imported_resources_are_found_by_search(self) -> None:
        self.login(self.staff)
        self.upload(csv_bytes([good_row()]))
        resource = Resource.objects.get()
        self.assertTrue(SearchDocument.objects.filter(resource=resource).exists())

    def test_it_reads_utf8_with_and_without_bom_and_cp932(self) -> None:
        self.login(self.staff)
        for encoding, label in (
            ("utf-8-sig", "UTF-8（BOM付き）"),
            ("utf-8", "UTF-8）"),
            ("cp932", "Shift_JIS（CP932）"),
        ):
            with self.subTest(encoding=encoding):
                name = f"サンプル ①髙橋さんの居場所 {encoding}"
                if encoding == "cp932":
                    name = f"サンプル 髙橋さんの居場所 {encoding}"  # 髙 is in CP932 only
                r = self.upload(csv_bytes([good_row(名称=name)], encoding=encoding), follow=True)
                self.assertContains(r, label)
                self.assertTrue(Resource.objects.filter(name=name).exists())

    def test_it_reports_a_file_in_neither_encoding(self) -> None:
        self.login(self.staff)
        data = csv_bytes([good_row()]).replace(b"\xe6", b"\xff\xfe")
        r = self.upload(data)
        self.assertContains(r, "文字コードを判別できませんでした")
        self.assertFalse(Resource.objects.exists())

    def test_it_accepts_headers_with_required_marks_and_any_column_order(self) -> None:
        self.login(self.staff)
        data = "種類,内容＊,名称*,市区町村\r\n居場所,説明,サンプル 順番,横浜市港北区\r\n"
        r = self.upload(data.encode("utf-8"))
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Resource.objects.get().locations.get().municipality_id, "141097")

    def test_an_online_only_resource_needs_no_place(self) -> None:
        self.login(self.staff)
        row = {
            "名称": "サンプル オンライン",
            "内容": "説明",
            "種類": "online",
            "オンラインのみ": "○",
        }
        self.assertEqual(self.upload(csv_bytes([row])).status_code, 302)
        resource = Resource.objects.get()
        self.assertTrue(resource.online_only)
        self.assertTrue(resource.is_online)
        self.assertFalse(resource.locations.exists())

    def test_it_swaps_latitude_and_longitude_and_says_so(self) -> None:
        self.login(self.staff)
        r = self.upload(csv_bytes([good_row(緯度="139.487", 経度="35.338")]), follow=True)
        self.assertContains(r, "2行目 緯度・経度：緯度と経度が逆になっていたので入れ替えました。")
        location = Resource.objects.get().locations.get()
        self.assertEqual(
            (location.latitude, location.longitude), (Decimal("35.338"), Decimal("139.487"))
        )

    def test_the_template_file_has_the_documented_columns_and_imports_as_is(self) -> None:
        self.login(self.staff)
        r = self.client.get("/manage/resources/import/template.csv")
        self.assertTrue(r.content.startswith(b"\xef\xbb\xbf"))
        header = r.content.decode("utf-8-sig").splitlines()[0].split(",")
        self.assertEqual(header, csv_import.HEADERS)
        self.assertIn("attachment", r["Content-Disposition"])
        self.assertEqual(self.upload(r.content).status_code, 302)
        self.assertEqual(Resource.objects.get().name, "サンプル 水曜ひろば")


class ImportErrorsTestCase(ImportTestCase):
    def test_every_bad_row_is_listed_with_its_line_number_and_nothing_is_written(self) -> None:
        self.login(self.staff)
        rows = [
            good_row(),  # line 2
            good_row(名称=""),  # line 3
            good_row(種類="カラオケ"),  # line 4
            good_row(市区町村="東京都新宿区"),  # line 5
            good_row(緯度="abc"),  # line 6
            good_row(緯度="10", 経度="10"),  # line 7
            good_row(日程="ときどき"),  # line 8
            good_row(無料="たぶん"),  # line 9
            good_row(電話番号="12345"),  # line 10
            good_row(メールアドレス="not-an-address"),  # line 11
            good_row(郵便番号="12"),  # line 12
            good_row(市区町村="999999"),  # line 13
            good_row(内容="", 種類=""),  # line 14
            good_row(名称="あ" * 121),  # line 15
            good_row(市区町村="", オンラインのみ="いいえ"),  # line 16
            good_row(経度=""),  # line 17
            good_row(URL="example"),  # line 18
            good_row(対応言語="クリンゴン語"),  # line 19
        ]
        r = self.upload(csv_bytes(rows))
        self.assertEqual(r.status_code, 200)
        errors = self.error_rows(r)
        self.assertEqual(
            [(line, column) for line, column, _ in errors],
            [
                (3, "名称"),
                (4, "種類"),
                (5, "市区町村"),
                (6, "緯度・経度"),
                (7, "緯度・経度"),
                (8, "日程"),
                (9, "無料"),
                (10, "電話番号"),
                (11, "メールアドレス"),
                (12, "郵便番号"),
                (13, "市区町村"),
                (14, "内容"),
                (14, "種類"),
                (15, "名称"),
                (16, "市区町村"),
                (17, "緯度・経度"),
                (18, "URL"),
                (19, "対応言語"),
            ],
        )
        messages = dict(((line, column), message) for line, column, message in errors)
        self.assertEqual(messages[3, "名称"], "必須の項目です。")
        self.assertIn("種類「カラオケ」は登録されていません", messages[4, "種類"])
        self.assertIn("市区町村「東京都新宿区」が見つかりません", messages[5, "市区町村"])
        self.assertIn("数値で入力してください", messages[6, "緯度・経度"])
        self.assertIn("日本の範囲にありません", messages[7, "緯度・経度"])
        self.assertIn("「はい」か「いいえ」", messages[9, "無料"])
        self.assertIn("電話番号の形式が正しくありません", messages[10, "電話番号"])
        self.assertIn("120", messages[15, "名称"])
        self.assertIn("両方入力してください", messages[17, "緯度・経度"])
        # The page shows them in a table with a caption and a line number column.
        self.assertContains(r, "<caption>誤りのある行</caption>", html=True)
        self.assertContains(r, '<th scope="col">行番号</th>', html=True)
        self.assertContains(r, "<td>19行目</td>", html=True)
        self.assertContains(r, "17行に誤りがあります。何も登録していません。")
        self.assertFalse(Resource.objects.exists())
        self.assertFalse(Schedule.objects.exists())
        self.assertFalse(AuditEvent.objects.filter(object_type="directory.resource").exists())

    def test_one_bad_row_among_good_ones_writes_nothing(self) -> None:
        self.login(self.staff)
        rows = [good_row(名称=f"サンプル {i}") for i in range(5)] + [good_row(種類="")]
        r = self.upload(csv_bytes(rows))
        self.assertEqual(self.error_rows(r), [(7, "種類", "必須の項目です。")])
        self.assertFalse(Resource.objects.exists())

    def test_line_numbers_count_physical_lines_of_multiline_cells(self) -> None:
        self.login(self.staff)
        rows = [good_row(内容="一行目\n二行目\n三行目"), good_row(種類="")]
        r = self.upload(csv_bytes(rows))
        self.assertEqual(self.error_rows(r), [(5, "種類", "必須の項目です。")])

    def test_blank_lines_are_skipped_but_still_counted(self) -> None:
        self.login(self.staff)
        data = csv_bytes([good_row(), {}, good_row(名称="")])
        self.assertEqual(self.error_rows(self.upload(data)), [(4, "名称", "必須の項目です。")])

    def test_header_problems_are_reported_on_line_1(self) -> None:
        self.login(self.staff)
        data = "名前,内容,内容,種類,市区町村\r\nサンプル,説明,説明,居場所,藤沢市\r\n".encode()
        errors = self.error_rows(self.upload(data))
        self.assertEqual(
            [(line, column) for line, column, _ in errors],
            [(1, "名前"), (1, "名称"), (1, "内容")],
        )
        self.assertIn("この列名は使えません", errors[0][2])
        self.assertIn("必須の列がありません", errors[1][2])
        self.assertIn("同じ名前の列が複数あります", errors[2][2])

    def test_a_row_with_too_many_cells_is_reported(self) -> None:
        self.login(self.staff)
        data = "名称,内容,種類,市区町村\r\nサンプル,説明,居場所,藤沢市,余分\r\n".encode()
        (error,) = self.error_rows(self.upload(data))
        self.assertEqual(error[0], 2)
        self.assertIn("列の数が見出しより多くなっています", error[2])

    def test_a_file_with_only_a_header_or_nothing_is_rejected(self) -> None:
        self.login(self.staff)
        self.assertContains(self.upload("名称,内容,種類\r\n".encode()), "登録する行がありません")
        self.assertContains(self.upload(b""), "ファイルは空です")

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10 * 1024 * 1024)
    def test_it_rejects_a_file_over_the_size_limit(self) -> None:
        self.login(self.staff)
        data = csv_bytes([good_row()]) + b"#" * csv_import.MAX_BYTES
        self.assertContains(self.upload(data), "ファイルが大きすぎます（上限2MB）")
        self.assertFalse(Resource.objects.exists())

    def test_it_rejects_more_rows_than_the_limit(self) -> None:
        self.login(self.staff)
        data = "名称,内容,種類,市区町村\r\n" + "サンプル,説明,居場所,藤沢市\r\n" * (
            csv_import.MAX_ROWS + 1
        )
        self.assertContains(self.upload(data.encode()), "一度に登録できるのは2000行までです")


class ImportPreviewTestCase(ImportTestCase):
    """The file is shown as a plan first; only the confirmation writes, exactly once."""

    def test_the_preview_writes_nothing_and_lists_rows_to_create_and_update(self) -> None:
        self.login(self.staff)
        self.upload(csv_bytes([good_row(名称="サンプル 既存のひろば", 内容="古い説明")]))
        before = AuditEvent.objects.count()
        rows = [
            good_row(名称="サンプル 既存のひろば", 内容="新しい説明"),
            good_row(名称="サンプル 新しいひろば", 緯度="139.487", 経度="35.338"),
        ]
        r = self.preview(csv_bytes(rows))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "新しく登録 1件、更新 1件。まだ登録していません。")
        self.assertContains(r, "新しく登録する社会資源（1件）")
        self.assertContains(r, "更新する社会資源（1件）")
        self.assertContains(r, "緯度と経度が逆になっていたので入れ替えました。")
        self.assertContains(r, "この内容で登録する")
        plan = r.context["plan"]
        self.assertEqual([row.line for row in plan.to_create], [3])
        self.assertEqual([row.line for row in plan.to_update], [2])
        self.assertEqual(Resource.objects.count(), 1)
        self.assertEqual(Resource.objects.get().description, "古い説明")
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_the_confirmation_writes_exactly_the_previewed_rows(self) -> None:
        self.login(self.staff)
        self.upload(csv_bytes([good_row(名称="サンプル 既存のひろば", 内容="古い説明")]))
        existing = Resource.objects.get()
        existing.concerns.set([])  # a field the file does not have stays as it was
        existing.hours_note = "祝日は休み"
        existing.save()
        rows = [
            good_row(名称="サンプル 既存のひろば", 内容="新しい説明", 日程="毎週金曜 13:00-15:00"),
            good_row(名称="サンプル 新しいひろば"),
        ]
        r = self.confirm(self.preview(csv_bytes(rows)), follow=True)
        self.assertContains(r, "社会資源を1件登録し、1件更新しました")
        self.assertEqual(
            sorted(Resource.objects.values_list("name", flat=True)),
            ["サンプル 新しいひろば", "サンプル 既存のひろば"],
        )
        existing.refresh_from_db()
        self.assertEqual(existing.description, "新しい説明")
        self.assertEqual(existing.hours_note, "祝日は休み")
        self.assertEqual(existing.locations.count(), 1)
        self.assertEqual(
            [s.describe() for s in existing.schedules.all()], ["毎週金曜 13:00〜15:00"]
        )
        update = AuditEvent.objects.get(action="update", object_id=str(existing.pk))
        self.assertEqual(update.changes["description"], ["古い説明", "新しい説明"])

    def test_a_second_confirmation_of_the_same_preview_imports_nothing_more(self) -> None:
        self.login(self.staff)
        preview = self.preview(csv_bytes([good_row()]))
        first = self.confirm(preview)
        self.assertRedirects(first, URL, fetch_redirect_response=False)
        second = self.confirm(preview, follow=True)
        self.assertContains(second, "すでに登録したか、期限が切れています")
        self.assertEqual(Resource.objects.count(), 1)
        self.assertEqual(AuditEvent.objects.filter(action="create").count(), 1)

    def test_of_two_simultaneous_confirmations_only_one_gets_the_file(self) -> None:
        plan = csv_import.plan_import(csv_bytes([good_row()]), self.organization)
        token = csv_import.stage(
            b"data", user_id=self.staff.pk, organization_id=None, filename="a.csv", plan=plan
        )
        barrier = threading.Barrier(4)
        outcomes: list[str] = []

        def confirm() -> None:
            barrier.wait()
            try:
                outcomes.append(csv_import.claim(token, user_id=self.staff.pk).data.decode())
            except csv_import.PreviewError:
                outcomes.append("refused")

        threads = [threading.Thread(target=confirm) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(outcomes), ["data", "refused", "refused", "refused"])

    def test_an_expired_preview_says_so_and_writes_nothing(self) -> None:
        self.login(self.staff)
        preview = self.preview(csv_bytes([good_row()]))
        with mock.patch.object(csv_import, "PREVIEW_MAX_AGE", -1):
            r = self.confirm(preview, follow=True)
        self.assertContains(r, "確認画面を表示してから時間がたったため、登録できませんでした")
        self.assertFalse(Resource.objects.exists())

    def test_a_forged_or_someone_elses_preview_is_refused(self) -> None:
        self.login(self.staff)
        preview = self.preview(csv_bytes([good_row()]))
        r = self.client.post(URL, {"preview": "forged"}, follow=True)
        self.assertContains(r, "確認の情報を読み取れません")
        self.login(self.other_staff)
        r = self.confirm(preview, follow=True)
        self.assertContains(r, "確認の情報を読み取れません")
        self.assertFalse(Resource.objects.exists())

    def test_a_change_after_the_preview_shows_a_new_preview_instead_of_writing(self) -> None:
        self.login(self.staff)
        preview = self.preview(csv_bytes([good_row(名称="サンプル 既存のひろば")]))
        self.assertContains(preview, "新しく登録 1件、更新 0件")
        self.upload(csv_bytes([good_row(名称="サンプル 既存のひろば", 内容="ほかの人が登録")]))
        r = self.confirm(preview)
        self.assertContains(r, "確認画面を表示した後に登録内容が変わったため")
        self.assertContains(r, "新しく登録 0件、更新 1件")
        self.assertEqual(Resource.objects.count(), 1)
        self.assertEqual(Resource.objects.get().description, "ほかの人が登録")

    def test_two_resources_of_the_same_name_cannot_be_updated_by_name(self) -> None:
        self.login(self.staff)
        self.upload(csv_bytes([good_row(名称="サンプル 同名"), good_row(名称="サンプル 同名")]))
        self.assertEqual(Resource.objects.filter(name="サンプル 同名").count(), 2)
        errors = self.error_rows(self.preview(csv_bytes([good_row(名称="サンプル 同名")])))
        self.assertEqual([(line, column) for line, column, _ in errors], [(2, "名称")])
        self.assertIn("同じ名称の社会資源が2件登録されている", errors[0][2])

    def test_another_organisations_resource_of_the_same_name_is_not_updated(self) -> None:
        self.login(self.other_staff)
        self.upload(csv_bytes([good_row()]))
        self.login(self.staff)
        r = self.preview(csv_bytes([good_row()]))
        self.assertContains(r, "新しく登録 1件、更新 0件")


class ImportAccessTestCase(ImportTestCase):
    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        r = self.client.get(URL)
        self.assertRedirects(r, f"/accounts/login/?next={URL}", fetch_redirect_response=False)

    def test_staff_import_into_their_own_organisation_whatever_they_post(self) -> None:
        self.login(self.other_staff)
        r = self.upload(csv_bytes([good_row()]), organization=self.organization.pk)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Resource.objects.get().organization, self.other_organization)

    def test_staff_do_not_see_an_organisation_choice(self) -> None:
        self.login(self.staff)
        r = self.client.get(URL)
        self.assertNotContains(r, 'name="organization"')
        self.assertContains(r, 'name="file"')

    def test_the_secretariat_chooses_the_organisation(self) -> None:
        self.login(self.secretariat)
        r = self.upload(csv_bytes([good_row()]))
        self.assertContains(r, "このフィールドは必須です")
        r = self.upload(csv_bytes([good_row()]), organization=self.other_organization.pk)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Resource.objects.get().organization, self.other_organization)

    def test_a_municipality_officer_may_not_import(self) -> None:
        self.login(self.officer)
        self.assertEqual(self.client.get(URL).status_code, 403)
        self.assertEqual(self.upload(csv_bytes([good_row()])).status_code, 403)
        self.assertFalse(Resource.objects.exists())


EVENT_HEADER = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "場所名称",
    "住所",
    "緯度",
    "経度",
    "URL",
]


def event_row(**overrides: str) -> dict[str, str]:
    row = {
        "都道府県コード又は市区町村コード": "142051",
        "NO": "1",
        "都道府県名": "神奈川県",
        "市区町村名": "藤沢市",
        "イベント名": "サンプル 冬のつどい",
        "イベント名_カナ": "サンプル フユノツドイ",
        "開始日": "2026-12-05",
        "終了日": "2026-12-05",
        "開始時間": "10:00",
        "終了時間": "12:00",
        "説明": "どなたでも参加できます（サンプル）。",
        "料金(基本)": "無料",
        "連絡先名称": "サンプル事務局",
        "連絡先電話番号": "0466-00-0000",
        "場所名称": "サンプル 市民会館",
        "住所": "藤沢市藤沢0-0-0（サンプル）",
        "緯度": "35.338",
        "経度": "139.487",
        "URL": "https://example.jp/event",
    }
    row.update(overrides)
    return row


class EventListImportTestCase(ImportTestCase):
    def test_it_detects_the_event_list_and_imports_one_off_events(self) -> None:
        self.login(self.staff)
        r = self.upload(csv_bytes([event_row()], header=EVENT_HEADER))
        self.assertEqual(r.status_code, 302)
        resource = Resource.objects.get()
        self.assertEqual(list(resource.kinds.values_list("slug", flat=True)), ["event"])
        self.assertTrue(resource.is_free)
        self.assertEqual(resource.contact_name, "サンプル事務局")
        schedule = resource.schedules.get()
        self.assertEqual(schedule.frequency, "once")
        self.assertEqual(schedule.starts_on, dt.date(2026, 12, 5))
        self.assertIsNone(schedule.ends_on)
        self.assertEqual((schedule.opens_at, schedule.closes_at), (dt.time(10), dt.time(12)))
        self.assertEqual(resource.locations.get().name, "サンプル 市民会館")

    def test_it_fixes_codes_without_check_digit_or_leading_zero_and_swapped_coordinates(
        self,
    ) -> None:
        self.login(self.staff)
        rows = [
            event_row(**{"都道府県コード又は市区町村コード": "14205"}),
            event_row(
                イベント名="サンプル 2",
                緯度="139.487",
                経度="35.338",
                **{"都道府県コード又は市区町村コード": "141003", "市区町村名": "横浜市"},
            ),
            event_row(イベント名="サンプル 3", **{"都道府県コード又は市区町村コード": ""}),
        ]
        r = self.upload(csv_bytes(rows, header=EVENT_HEADER), follow=True)
        self.assertContains(
            r,
            "2行目 都道府県コード又は市区町村コード："
            "コード「14205」に検査数字がなかったので「142051」としました。",
        )
        self.assertContains(r, "3行目 緯度・経度：緯度と経度が逆になっていたので入れ替えました。")
        self.assertEqual(Resource.objects.count(), 3)
        self.assertEqual(
            sorted(Resource.objects.values_list("locations__municipality_id", flat=True)),
            ["141003", "142051", "142051"],
        )
        second = Resource.objects.get(name="サンプル 2").locations.get()
        self.assertEqual(second.latitude, Decimal("35.338"))

    def test_it_reports_bad_event_rows_by_line(self) -> None:
        self.login(self.staff)
        rows = [
            event_row(),
            event_row(開始日=""),
            event_row(終了日="2026-12-01"),
            event_row(**{"料金(基本)": "たぶん"}),
            event_row(**{"都道府県コード又は市区町村コード": "13101", "市区町村名": ""}),
            event_row(開始時間="10時半"),
        ]
        errors = self.error_rows(self.upload(csv_bytes(rows, header=EVENT_HEADER)))
        self.assertEqual(
            [(line, column) for line, column, _ in errors],
            [
                (3, "開始日"),
                (4, "終了日・終了時間"),
                (5, "料金(基本)"),
                (6, "都道府県コード又は市区町村コード"),
            ],
        )
        self.assertFalse(Resource.objects.exists())
