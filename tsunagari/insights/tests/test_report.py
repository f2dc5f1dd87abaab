"""The annual report PDF: what a reader finds in it (every chart's title and every value of
its table, suppressed ones as 「10未満」), which years exist, and that it is cached."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from tsunagari.insights import report
from tsunagari.insights.charts import CHARTS, Chart, ChartData, Filters, Series, register
from tsunagari.insights.models import SurveyFigure
from tsunagari.lib.wareki import fiscal_year_of
from tsunagari.test import BaseTestCase

# ---------------------------------------------------------------- a small PDF text reader
# pypdf is not installed; fpdf2's output is simple enough to read: literal strings of
# 2-byte glyph codes in Tj/TJ, each font with a ToUnicode CMap.

_OBJECT = re.compile(
    rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream\r?\n(.*?)\r?\nendstream)?\s*endobj", re.S
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    found = {}
    for number, head, stream in _OBJECT.findall(pdf):
        if stream and b"/FlateDecode" in head:
            stream = zlib.decompress(stream)
        found[int(number)] = (head, stream)
    return found


def _cmap(stream: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for a, b, uni in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(uni, 16)
            for i, code in enumerate(range(int(a, 16), int(b, 16) + 1)):
                table[code] = chr(start + i)
    return table


def _literal(data: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(data):
        ch = data[i : i + 1]
        if ch == b"\\":
            nxt = data[i + 1 : i + 2]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
            elif nxt.isdigit():
                octal = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                assert octal is not None
                out.append(int(octal.group(), 8) & 0xFF)
                i += 1 + len(octal.group())
            else:
                out += nxt
                i += 2
        else:
            out += ch
            i += 1
    return bytes(out)


_TOKENS = re.compile(rb"/(F\d+)\s+[\d.]+\s+Tf|\((?:\\.|[^\\)])*\)|\[|\]\s*TJ|Tj|ET", re.S)


def pdf_text(pdf: bytes) -> list[str]:
    """The strings each text object of the PDF shows, in drawing order."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _stream in objects.values():
        for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", head):
            font_head = objects[int(ref)][0]
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", font_head)
            if unicode_ref:
                fonts[name] = _cmap(objects[int(unicode_ref.group(1))][1])
    texts: list[str] = []
    for _head, stream in objects.values():
        if not stream or b"BT" not in stream:
            continue
        table: dict[int, str] = {}
        for match in _TOKENS.finditer(stream):
            if match.group(1):
                table = fonts.get(match.group(1), {})
            elif match.group().startswith(b"("):
                raw = _literal(match.group()[1:-1])
                texts.append(
                    "".join(
                        table.get(int.from_bytes(raw[i : i + 2]), "")
                        for i in range(0, len(raw) - 1, 2)
                    )
                )
    return texts


# ---------------------------------------------------------------- test charts


def _chart_one(filters: Filters) -> ChartData:
    return ChartData(
        slug="test-resources",
        title="テスト：市町村別の社会資源",
        kind="bar",
        categories=["藤沢市", "鎌倉市", "寒川町"],
        series=[
            Series("居場所", [1234, 56, None]),
            Series("相談窓口", [12.5, 0, 40]),
        ],
        reading="テスト：藤沢市の居場所が最も多い。",
        source="テスト出典：社会資源の登録",
        as_of=dt.date(2026, 3, 31),
        unit="件",
    )


def _chart_two(filters: Filters) -> ChartData:
    return ChartData(
        slug="test-trend",
        title="テスト：ニーズの推移",
        kind="line",
        categories=["4月", "5月", "6月"],
        series=[Series("ニーズ", [11, 27, 35]), Series("応答", [None, 14, 22])],
        reading="テスト：ニーズは月ごとに増えている。",
        source="テスト出典：ニーズの登録",
        as_of=dt.date(2026, 6, 30),
        notes=["テスト：6月は速報値です。"],
    )


@contextmanager
def registered_charts(*builders: Chart) -> Iterator[None]:
    """Register charts for one test, and leave CHARTS as it was."""
    saved = dict(CHARTS)
    CHARTS.clear()
    try:
        for chart in builders:
            register(chart)
        yield
    finally:
        CHARTS.clear()
        CHARTS.update(saved)


TEST_CHARTS = (
    Chart("test-resources", "テスト：市町村別の社会資源", _chart_one),
    Chart("test-trend", "テスト：ニーズの推移", _chart_two),
)


class ReportTests(BaseTestCase):
    pdf: bytes
    charts: list[ChartData]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with translation.override("ja"), registered_charts(*TEST_CHARTS):
            cls.pdf = report.build(2025, today=dt.date(2026, 5, 12))  # one build: it takes seconds
            cls.charts = report.build_charts(2025)

    def setUp(self) -> None:
        translation.activate("ja")
        self.addCleanup(translation.deactivate)

    def test_every_title_and_table_value_is_in_the_pdf_text(self) -> None:
        pdf, charts = self.pdf, self.charts
        self.assertTrue(pdf.startswith(b"%PDF"))
        lines = pdf_text(pdf)
        text = "".join(lines)
        self.assertIn("かながわつながりネットワーク", text)
        self.assertIn("令和7年度", text)  # the cover's 和暦 fiscal year
        self.assertIn("令和8年5月12日作成", text)
        self.assertIn("目次", text)
        self.assertIn("調査と集計の方法", text)
        for chart in charts:
            self.assertIn(chart.title, text)
            self.assertIn(chart.reading, text)
            self.assertIn(chart.source, text)
            for heading, rows in report.table_blocks(chart):
                for row in [heading, *rows]:
                    # Every cell, in order, on one line of the table.
                    self.assertIn("".join(row), text, row)
        # The values as a reader sees them: thousands separated, a hidden count as 10未満.
        self.assertIn("藤沢市1,23412.5", text)
        self.assertIn("寒川町10未満40", text)
        self.assertIn("4月11", text)

    def test_contents_list_each_chart_with_its_page(self) -> None:
        lines = pdf_text(self.pdf)
        start = lines.index("目次")
        contents = lines[start + 1 : start + 7]
        # Cover 1, contents 2, then a page per chart, then the methods.
        self.assertEqual(
            contents,
            [
                "テスト：市町村別の社会資源",
                "3",
                "テスト：ニーズの推移",
                "4",
                "調査と集計の方法",
                "5",
            ],
        )

    def test_the_methods_describe_suppression_and_the_survey_source(self) -> None:
        text = "".join(pdf_text(self.pdf))
        self.assertIn("1〜9のときは", text)
        self.assertIn("二次秘匿", text)
        self.assertIn("テスト出典：社会資源の登録", text)
        figure = SurveyFigure.objects.get(fiscal_year=2023)  # R5, from the source document
        self.assertIn(f"令和5年度：十分＋かなり{figure.satisfied}%", text.replace(" ", ""))
        self.assertIn(figure.source_name[:20], text)

    def test_download_only_years_from_2024_to_the_current_one(self) -> None:
        current = fiscal_year_of(dt.date.today())
        self.assertEqual(self.client.get("/visible/report/2023.pdf").status_code, 404)
        self.assertEqual(self.client.get(f"/visible/report/{current + 1}.pdf").status_code, 404)
        with registered_charts(*TEST_CHARTS):
            response = self.client.get(f"/visible/report/{current}.pdf")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertIn(f"tsunagari_annual_report_{current}.pdf", response["Content-Disposition"])
        self.assertIn("テスト：ニーズの推移", "".join(pdf_text(response.content)))

    @override_settings(PAGE_CACHE_SECONDS=600)
    def test_a_rush_of_downloads_builds_it_once(self) -> None:
        cache.clear()
        calls = []
        real = report.build

        def counting(year: int, **kwargs: object) -> bytes:
            calls.append(year)
            return b"%PDF built " + str(len(calls)).encode()  # what was built is not the point

        with registered_charts(*TEST_CHARTS):
            report.build = counting  # type: ignore[assignment]
            try:
                first = self.client.get("/visible/report/2025.pdf").content
                second = self.client.get("/visible/report/2025.pdf").content
                self.assertEqual(calls, [2025])
                self.assertEqual(first, second)
                # New survey figures are new data: the next download is built afresh.
                SurveyFigure.objects.create(
                    fiscal_year=2031,
                    fully=1,
                    fairly=10,
                    neutral=30,
                    hardly=35,
                    not_at_all=20,
                    unknown=3,
                    no_answer=1,
                    source_name="【テスト】出典",
                )
                self.client.get("/visible/report/2025.pdf")
                self.assertEqual(calls, [2025, 2025])
            finally:
                report.build = real


class ReportOfTheRealChartsTests(BaseTestCase):
    """The report built from the dashboard's own charts (not test charts): every chart's
    title and every value of its table are in the PDF's text."""

    def test_every_chart_of_the_dashboard_is_in_the_report(self) -> None:
        from tsunagari.insights.tests.test_visible import sample_counts

        self.assertGreaterEqual(len(CHARTS), 10)
        with translation.override("ja"), sample_counts():
            pdf = report.build(2025, today=dt.date(2026, 5, 12))
            charts = report.build_charts(2025)
        text = "".join(pdf_text(pdf))
        self.assertEqual([c.slug for c in charts], list(CHARTS))
        for chart in charts:
            self.assertIn(chart.title, text)
            for heading, rows in report.table_blocks(chart):
                for row in [heading, *rows]:
                    self.assertIn("".join(row), text, (chart.slug, row))
        self.assertIn("11.4", text)  # the 県民ニーズ調査 KPI of R5
