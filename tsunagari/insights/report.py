"""The annual report (年次報告) of one fiscal year as a PDF: A4, Japanese font embedded.

It is built from the very ChartData the public dashboard shows (every chart in CHARTS,
public filters: small counts suppressed), so a figure in the report can never differ
from the page. Cover, contents with page numbers, then one page per chart (title, a
simple drawing, the table, the reading, date and source), then the methods and the
suppression rules. A built report is kept in the cache under the fiscal year and the
version of the data behind it, so a rush of downloads builds it once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection

from tsunagari.insights.builders import fiscal_years
from tsunagari.insights.charts import CHARTS, ChartData, Filters, build_all
from tsunagari.insights.models import SurveyFigure, Tally
from tsunagari.lib import pagecache
from tsunagari.lib.disclosure import MIN_CELL
from tsunagari.lib.pdf import FAMILY, FontMissing, add_japanese_fonts
from tsunagari.lib.wareki import format_wareki
from tsunagari.lib.wareki import format_wareki_fiscal_year as fiscal_year_label

MARGIN = 18
SUPPRESSED = "10未満"  # what a hidden count prints (lib/disclosure.py: 1 to MIN_CELL − 1)
COLOURS = (  # Okabe–Ito: told apart with every common colour-vision deficiency
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
    (86, 180, 233),
    (213, 94, 0),
    (240, 228, 66),
    (0, 0, 0),
)
MAX_TABLE_COLUMNS = 5  # series per table block: wider tables are split into blocks
# The data families whose changes make a built report stale (lib/pagecache.py).
FAMILIES = ("members", "directory", "geo", "surveys", "helplines", "awareness", "news")


def cell_text(value: float | int | None) -> str:
    """A table value as the report prints it (and the test looks for it)."""
    if value is None:
        return SUPPRESSED
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def build_charts(fiscal_year: int) -> list[ChartData]:
    """The public charts of the year, in the dashboard's order."""
    filters = Filters(fiscal_year=fiscal_year)
    return build_all(filters)


def table_blocks(chart: ChartData) -> list[tuple[list[str], list[list[str]]]]:
    """The chart's table with categories down the side (there may be 33 municipalities)
    and at most MAX_TABLE_COLUMNS series across: (heading, rows) per block."""
    blocks = []
    for start in range(0, max(len(chart.series), 1), MAX_TABLE_COLUMNS):
        series = chart.series[start : start + MAX_TABLE_COLUMNS]
        heading = [_("区分")] + [s.label for s in series]
        rows = [
            [category] + [cell_text(s.values[i] if i < len(s.values) else None) for s in series]
            for i, category in enumerate(chart.categories)
        ]
        blocks.append((heading, rows))
    return blocks


def methods_text(charts: list[ChartData]) -> list[tuple[str, str]]:
    """The methods page: (heading, paragraph) pairs."""
    sources = sorted({c.source for c in charts if c.source})
    paragraphs = [
        (
            _("この報告について"),
            _(
                "この報告の図表は、公開の可視化ページ（/visible/）と同じ集計から作っています。"
                "数値は各図表に記した日付時点のものです。"
            ),
        ),
        (
            _("数値の出典"),
            "\n".join(f"・{s}" for s in sources) if sources else _("（図表はまだありません）"),
        ),
        (
            _("小さな数の秘匿"),
            _(
                "人数や件数が1〜%(last)dのときは、個人が特定されないよう数値を示さず"
                "「10未満」と表示しています（0はそのまま示します）。"
                "表に合計があるときは、秘匿した数を合計からの引き算で求められないよう、"
                "同じ行または列で次に小さい0でない数もあわせて秘匿し（二次秘匿）、"
                "ほかに秘匿できる数がないときは合計を秘匿します。"
                "これを、どの行・列にも秘匿した数が1つだけ残らなくなるまで繰り返します。"
            )
            % {"last": MIN_CELL - 1},
        ),
        (
            _("セルフチェックの集計"),
            _(
                "セルフチェックの集計は、年度・四半期・月という決まった区切りでだけ公開し、"
                "市町村と年齢層を掛け合わせません。区切りごとの数を、0か10以上になる"
                "まとまりに束ねて公開するので、公開された数どうしを足し引きしても"
                "10未満の数は求められません。"
            ),
        ),
        (
            _("県民ニーズ調査"),
            _(
                "「助け合えるつながりを持っていること」の満足度は、神奈川県の県民ニーズ調査の"
                "結果を、事務局が出典とともに転記したものです。"
            ),
        ),
    ]
    return paragraphs


def survey_lines() -> list[str]:
    """The 県民ニーズ調査 figures, one line a year, with their source."""
    lines = []
    for figure in SurveyFigure.objects.order_by("fiscal_year"):
        lines.append(
            _("%(year)s：十分＋かなり %(satisfied)s%%（出典：%(source)s）")
            % {
                "year": fiscal_year_label(figure.fiscal_year),
                "satisfied": figure.satisfied,
                "source": figure.source_name,
            }
        )
    return lines


class ReportPDF(FPDF):
    def __init__(self, title: str, text: Iterable[str]) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        add_japanese_fonts(self, text)
        self.set_title(title)
        self.set_lang("en" if (translation.get_language() or "").startswith("en") else "ja")
        self.set_creator("Tsunagari")
        self.report_title = title

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self.report_title}　{self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)

    @property
    def width(self) -> float:
        return self.w - 2 * MARGIN

    def heading(self, text: str, size: float = 15) -> None:
        self.set_font(FAMILY, "B", size)
        self.multi_cell(self.width, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def paragraph(self, text: str, size: float = 10) -> None:
        self.set_font(FAMILY, "", size)
        self.multi_cell(self.width, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)


def _render_contents(doc: FPDF, outline: list[OutlineSection]) -> None:
    assert isinstance(doc, ReportPDF)
    doc.heading(_("目次"), 16)
    doc.set_font(FAMILY, "", 10.5)
    for section in outline:
        doc.cell(doc.width - 15, 7, section.name, new_x=XPos.RIGHT, new_y=YPos.TOP)
        doc.cell(15, 7, str(section.page_number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _numeric(values: Iterable[float | int | None]) -> list[float]:
    return [float(v) for v in values if v is not None]


def draw_chart(doc: ReportPDF, chart: ChartData) -> None:
    """A plain drawing of the numbers: horizontal bars (stacked where the chart stacks), or
    lines for a line chart. Suppressed values are left out (the table says 「10未満」)."""
    if not chart.categories or not chart.series or chart.kind in ("heatmap", "tiles"):
        return
    values = [_numeric(s.values) for s in chart.series]
    if not any(values):
        return
    if chart.kind == "line":
        _draw_lines(doc, chart)
    else:
        _draw_bars(doc, chart)
    _draw_legend(doc, chart)
    doc.ln(3)


def _draw_legend(doc: ReportPDF, chart: ChartData) -> None:
    if len(chart.series) < 2:
        return
    doc.set_font(FAMILY, "", 8)
    x = doc.l_margin
    for i, series in enumerate(chart.series):
        width = doc.get_string_width(series.label) + 9
        if x + width > doc.w - MARGIN:
            x = doc.l_margin
            doc.ln(5)
        doc.set_fill_color(*COLOURS[i % len(COLOURS)])
        doc.rect(x, doc.get_y() + 1, 3, 3, style="F")
        doc.set_xy(x + 4, doc.get_y())
        doc.cell(width - 4, 5, series.label)
        x += width
    doc.ln(6)


def _draw_bars(doc: ReportPDF, chart: ChartData) -> None:
    stacked = chart.kind == "stacked"
    categories = chart.categories[:40]  # a report page holds 40 bars; the table holds all
    per_category = 1 if stacked else len(chart.series)
    bar = 3.2 if per_category == 1 else max(1.2, 4.5 / per_category)
    row = bar * per_category + 1.2
    label_width = 45
    area = doc.width - label_width - 18
    if stacked:
        top = max(
            (
                sum(_numeric(s.values[i] for s in chart.series if i < len(s.values)))
                for i in range(len(categories))
            ),
            default=0,
        )
    else:
        top = max(
            (max(v, default=0) for v in (_numeric(s.values) for s in chart.series)), default=0
        )
    if top <= 0:
        return
    if doc.get_y() + row * len(categories) > doc.h - MARGIN - 10:
        doc.add_page()
    doc.set_font(FAMILY, "", 7.5)
    for i, category in enumerate(categories):
        y = doc.get_y()
        doc.set_xy(doc.l_margin, y)
        doc.cell(label_width - 2, min(row, 4.5), category[:22], align="R")
        x = doc.l_margin + label_width
        for j, series in enumerate(chart.series):
            value = series.values[i] if i < len(series.values) else None
            doc.set_fill_color(*COLOURS[j % len(COLOURS)])
            length = area * float(value) / top if value else 0
            if stacked:
                if length > 0:
                    doc.rect(x, y + 0.6, length, bar, style="F")
                x += length
            elif length > 0:
                doc.rect(x, y + 0.6 + j * bar, length, bar, style="F")
        doc.set_y(y + row)


def _draw_lines(doc: ReportPDF, chart: ChartData) -> None:
    height = 50
    if doc.get_y() + height > doc.h - MARGIN - 10:
        doc.add_page()
    top = max((max(_numeric(s.values), default=0) for s in chart.series), default=0)
    if top <= 0:
        return
    left, y0 = doc.l_margin + 10, doc.get_y()
    width = doc.width - 12
    doc.set_draw_color(150, 150, 150)
    doc.line(left, y0 + height, left + width, y0 + height)
    doc.line(left, y0, left, y0 + height)
    n = len(chart.categories)
    step = width / max(n - 1, 1)
    doc.set_line_width(0.6)
    for j, series in enumerate(chart.series):
        doc.set_draw_color(*COLOURS[j % len(COLOURS)])
        points = [
            (left + i * step, y0 + height - height * float(v) / top)
            for i, v in enumerate(series.values[:n])
            if v is not None
        ]
        for a, b in itertools.pairwise(points):
            doc.line(a[0], a[1], b[0], b[1])
    doc.set_line_width(0.2)
    doc.set_draw_color(0, 0, 0)
    doc.set_font(FAMILY, "", 7)
    for i, category in enumerate(chart.categories):
        if n <= 12 or i % max(n // 12, 1) == 0:
            doc.text(left + i * step - 3, y0 + height + 4, category[:8])
    doc.set_y(y0 + height + 7)


def _draw_table(doc: ReportPDF, chart: ChartData) -> None:
    doc.set_font(FAMILY, "", 8.5)
    for heading, rows in table_blocks(chart):
        columns = len(heading)
        first = min(60.0, doc.width / 2) if columns > 1 else doc.width
        rest = (doc.width - first) / max(columns - 1, 1)
        with doc.table(
            col_widths=[first] + [rest] * (columns - 1),
            width=first + rest * (columns - 1),
            align="LEFT",
            text_align=["LEFT"] + ["RIGHT"] * (columns - 1),
            line_height=4.5,
            first_row_as_headings=True,
            headings_style=FontFace(family=FAMILY, emphasis="BOLD", fill_color=(235, 235, 235)),
        ) as table:
            for line in [heading, *rows]:
                table.row(line)
        doc.ln(2)


def chart_page(doc: ReportPDF, chart: ChartData) -> None:
    doc.add_page()
    doc.start_section(chart.title)
    doc.heading(chart.title, 14)
    if chart.unit:
        doc.paragraph(_("単位：%(unit)s") % {"unit": chart.unit}, 8.5)
    draw_chart(doc, chart)
    _draw_table(doc, chart)
    doc.paragraph(chart.reading)
    for note in chart.notes:
        doc.paragraph("※" + note, 8.5)
    doc.paragraph(
        _("%(date)s時点　出典：%(source)s")
        % {"date": format_wareki(chart.as_of), "source": chart.source},
        8.5,
    )


def all_text(title: str, charts: list[ChartData], extra: Iterable[str]) -> list[str]:
    """Every string the PDF may print, so the font carries exactly these glyphs."""
    text = [title, SUPPRESSED, "目次…〜（）：・※「」、。", *extra]
    for chart in charts:
        text += [chart.title, chart.reading, chart.source, chart.unit, *chart.notes]
        text += chart.categories + [s.label for s in chart.series]
        text.append(format_wareki(chart.as_of))
    return text


def build(fiscal_year: int, *, today: dt.date | None = None) -> bytes:
    """The report of `fiscal_year`, built now (use `report_pdf` for the cached one)."""
    today = today or timezone.localdate()
    year = fiscal_year_label(fiscal_year)
    title = _("かながわつながりネットワーク 年次報告 %(year)s") % {"year": year}
    charts = build_charts(fiscal_year)
    methods = methods_text(charts)
    surveys = survey_lines()
    generated = _("%(date)s作成") % {"date": format_wareki(today)}
    sample_note = _("【サンプル】デモ用のサンプルデータを含みます。実際の数ではありません。")
    labels = [
        sample_note,
        _("目次"),
        _("区分"),
        _("調査と集計の方法"),
        _("単位：%(unit)s"),
        _("%(date)s時点　出典：%(source)s"),
        _("この年度の図表はまだありません。"),
        _("かながわつながりネットワーク"),
        _("年次報告"),
        year,
        generated,
    ]
    flat = [h for pair in methods for h in pair] + surveys + labels
    doc = ReportPDF(title, all_text(title, charts, flat))

    # Cover.
    doc.add_page()
    doc.set_y(90)
    doc.set_font(FAMILY, "B", 24)
    doc.cell(
        doc.width,
        14,
        _("かながわつながりネットワーク"),
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    doc.set_font(FAMILY, "B", 20)
    doc.cell(
        doc.width, 14, _("年次報告") + " " + year, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    doc.ln(30)
    doc.set_font(FAMILY, "", 11)
    doc.cell(doc.width, 8, generated, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if settings.DEMO:
        doc.ln(6)
        doc.cell(doc.width, 8, sample_note, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # Contents (filled in once every section's page is known).
    doc.insert_toc_placeholder(_render_contents, pages=1 + len(charts) // 36)

    if not charts:
        doc.add_page()
        doc.paragraph(_("この年度の図表はまだありません。"))
    for chart in charts:
        chart_page(doc, chart)

    doc.add_page()
    doc.start_section(_("調査と集計の方法"))
    doc.heading(_("調査と集計の方法"), 14)
    for heading, text in methods:
        doc.heading(heading, 11.5)
        doc.paragraph(text)
        if heading == _("県民ニーズ調査"):
            for line in surveys:
                doc.paragraph(line, 9)
    return bytes(doc.output())


def data_version() -> tuple[object, ...]:
    """What changes when the figures behind the report change without a page-cache bump
    (tallies rewritten in bulk, survey figures entered): one query."""
    tallies = Tally.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    surveys = SurveyFigure.objects.aggregate(n=Count("id"), last=Max("created_at"))
    return (tallies["n"], tallies["last"], surveys["n"], surveys["last"])


def report_pdf(fiscal_year: int) -> bytes:
    """The report, from the cache when nothing behind it changed since it was built."""
    return pagecache.remember(
        "insights-annual-report",
        FAMILIES,
        (fiscal_year, len(CHARTS), *data_version()),
        lambda: build(fiscal_year),
    )


@login_not_required
def report_view(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """/visible/report/2025.pdf: anyone may download it (the figures are the public ones)."""
    if fiscal_year not in fiscal_years():
        raise Http404
    try:
        body = report_pdf(fiscal_year)
    except FontMissing:
        return render(request, "surveys/paper_no_font.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"tsunagari_annual_report_{fiscal_year}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or ""
    return response
