from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import openpyxl
from django.test import SimpleTestCase

from tsunagari.lib.spreadsheet import (
    content_disposition,
    csv_response,
    display_width,
    xlsx_response,
)

HEADER = ["No", "組織名", "フリガナ", "構成員となった日"]
ROWS: list[list[object]] = [
    [1, "特定非営利活動法人つながり", "ツナガリ", date(2025, 7, 30)],
    [2, "横浜ボランティア会", None, date(2019, 5, 1)],
]


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


class ContentDispositionTests(SimpleTestCase):
    def test_it_sends_the_japanese_name_percent_encoded_with_an_ascii_fallback(self) -> None:
        header = content_disposition("構成員名簿_20250730.csv")
        self.assertTrue(header.startswith('attachment; filename="20250730.csv"; '))
        encoded = header.split("filename*=UTF-8''", 1)[1]
        self.assertTrue(encoded.isascii())
        self.assertEqual(unquote(encoded), "構成員名簿_20250730.csv")

    def test_the_fallback_is_never_empty_and_never_breaks_the_header(self) -> None:
        self.assertIn('filename="download.xlsx"', content_disposition("名簿.xlsx"))
        header = content_disposition('a"b\r\nX-Evil: 1.csv')
        self.assertNotIn("\r", header)
        self.assertNotIn("\n", header)
        self.assertIn('filename="a_b_X-Evil_1.csv"', header)


class CsvResponseTests(SimpleTestCase):
    def test_it_starts_with_the_utf8_bom_and_uses_crlf(self) -> None:
        response = csv_response("名簿.csv", HEADER, ROWS)
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"))
        self.assertEqual(response.content.count(b"\r\n"), 3)
        self.assertNotIn(b"\n", response.content.replace(b"\r\n", b""))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("filename*=UTF-8''%E5%90%8D%E7%B0%BF.csv", response["Content-Disposition"])

    def test_it_decodes_back_to_the_same_japanese_cells(self) -> None:
        response = csv_response("名簿.csv", HEADER, ROWS)
        self.assertEqual(
            _csv_rows(response.content),
            [
                HEADER,
                ["1", "特定非営利活動法人つながり", "ツナガリ", "2025-07-30"],
                ["2", "横浜ボランティア会", "", "2019-05-01"],
            ],
        )

    def test_it_quotes_commas_quotes_and_newlines(self) -> None:
        row = ["中区, 本町", '「"つながり"」', "一行目\n二行目"]
        response = csv_response("x.csv", ["a", "b", "c"], [row])
        self.assertEqual(_csv_rows(response.content)[1], row)

    def test_it_writes_datetimes_in_local_time(self) -> None:
        moment = datetime(2025, 7, 30, 1, 0, tzinfo=UTC)
        with self.settings(TIME_ZONE="Asia/Tokyo"):
            response = csv_response("x.csv", ["日時"], [[moment]])
        self.assertEqual(_csv_rows(response.content)[1], ["2025-07-30 10:00:00"])

    def test_it_neutralises_formula_injection(self) -> None:
        cells = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "普通"]
        response = csv_response("x.csv", ["a"] * len(cells), [cells])
        self.assertEqual(
            _csv_rows(response.content)[1],
            ['\'=HYPERLINK("http://x")', "'+1", "'-1+2", "'@SUM(A1)", "'\tx", "'\rx", "普通"],
        )

    def test_it_leaves_numbers_alone(self) -> None:
        response = csv_response("x.csv", ["n"], [[-5]])
        self.assertEqual(_csv_rows(response.content)[1], ["-5"])


class XlsxResponseTests(SimpleTestCase):
    def test_it_opens_with_the_header_and_values(self) -> None:
        response = xlsx_response("名簿.xlsx", "構成員名簿", HEADER, ROWS)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn("filename*=UTF-8''%E5%90%8D%E7%B0%BF.xlsx", response["Content-Disposition"])
        sheet = _workbook(response.content).active
        assert sheet is not None
        self.assertEqual(sheet.title, "構成員名簿")
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        self.assertEqual(values[0], HEADER)
        self.assertEqual(values[1][:3], [1, "特定非営利活動法人つながり", "ツナガリ"])
        self.assertEqual(values[2][:3], [2, "横浜ボランティア会", None])
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual(sheet.freeze_panes, "A2")

    def test_it_writes_dates_as_real_excel_dates(self) -> None:
        response = xlsx_response("x.xlsx", "s", HEADER, ROWS)
        sheet = _workbook(response.content).active
        assert sheet is not None
        cell = sheet["D2"]
        self.assertTrue(cell.is_date)
        self.assertEqual(cell.value, datetime(2025, 7, 30))
        self.assertEqual(cell.number_format, "yyyy/mm/dd")

    def test_it_puts_the_title_line_above_a_frozen_bold_header(self) -> None:
        title = "構成員名簿 令和7年7月30日時点"
        response = xlsx_response("x.xlsx", "s", HEADER, ROWS, title_line=title)
        sheet = _workbook(response.content).active
        assert sheet is not None
        self.assertEqual(sheet["A1"].value, title)
        self.assertEqual([c.value for c in sheet[2]], HEADER)
        self.assertTrue(sheet["B2"].font.bold)
        self.assertEqual(sheet.freeze_panes, "A3")
        self.assertEqual(sheet["B3"].value, "特定非営利活動法人つながり")

    def test_it_sizes_columns_counting_japanese_characters_as_two(self) -> None:
        self.assertEqual(display_width("ab"), 2)
        self.assertEqual(display_width("つながり"), 8)
        response = xlsx_response("x.xlsx", "s", HEADER, ROWS)
        sheet = _workbook(response.content).active
        assert sheet is not None
        longest_name = "特定非営利活動法人つながり"
        self.assertEqual(sheet.column_dimensions["B"].width, display_width(longest_name) + 2)
        self.assertLess(sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width)

    def test_it_neutralises_formula_injection(self) -> None:
        cells = ["=1+1", "+1", "-1", "@SUM(A1)", "普通"]
        response = xlsx_response("x.xlsx", "s", ["a"] * len(cells), [cells])
        sheet = _workbook(response.content).active
        assert sheet is not None
        for cell, text in zip(sheet[2], cells, strict=True):
            self.assertEqual(cell.data_type, "s")
            self.assertEqual(cell.value, text)
            self.assertEqual(cell.quotePrefix, text != "普通")

    def test_it_makes_the_sheet_title_acceptable_to_excel(self) -> None:
        response = xlsx_response("x.xlsx", "名簿[2025/07/30]: 全件*", ["a"], [])
        sheet = _workbook(response.content).active
        assert sheet is not None
        self.assertEqual(sheet.title, "名簿_2025_07_30__ 全件_")
