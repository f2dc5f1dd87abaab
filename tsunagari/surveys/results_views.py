"""Self-check results: the public aggregates page, its CSV, the codebook, and the
secretariat's response-level export for researchers.

The page and its CSV read the tallies through aggregates.compute (suppressed, public).
The response-level export is the only place answers leave one by one: secretariat only,
audited, month precision and municipalities at city level.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.geo.models import Municipality
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.lib.spreadsheet import CSV_CONTENT_TYPE, content_disposition, csv_response
from tsunagari.surveys import aggregates, national, scoring, services
from tsunagari.surveys.aggregates import Aggregates, Filters, Share
from tsunagari.surveys.items import Wording
from tsunagari.surveys.models import AgeBand, Channel, Help, SelfCheckResponse

FORM_MONTHS = 36  # months offered in the period select
FORM_FISCAL_YEARS = 6


class ResultsFilterForm(forms.Form):
    """The filters of the results page (GET). Blank means the default.

    The public page offers periods of the grid only (fiscal years, their quarters,
    months): aggregates.make_filters says why. `start`, `end` and `fiscal_year` are
    the parameters of older links (and the staff export's range); a public query off
    the grid is shown as the nearest period on it, with `note` saying so.
    """

    period = forms.CharField(
        label=_("期間"),
        required=False,
        help_text=_("年度（4月〜翌年3月）、年度の四半期、または月を選びます。"),
    )
    fiscal_year = forms.CharField(required=False)
    start = forms.CharField(required=False)
    end = forms.CharField(required=False)
    city = forms.ChoiceField(
        label=_("市町村"),
        required=False,
        help_text=_("市町村別・年代別は年度単位です。"),
    )
    age_band = forms.ChoiceField(label=_("年代"), required=False)
    by = forms.ChoiceField(
        label=_("推移の区切り"),
        required=False,
        choices=[
            (aggregates.BY_QUARTER, _("四半期（年度）")),
            (aggregates.BY_MONTH, _("月")),
            (aggregates.BY_FISCAL_YEAR, _("年度")),
        ],
    )

    def __init__(
        self, *args: Any, cities: dict[str, str], grid: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cities = cities
        self.grid = grid
        self.note = ""
        this_month = timezone.localdate().replace(day=1)
        last_year = aggregates.fiscal_year_of(this_month)
        years = range(last_year, last_year - FORM_FISCAL_YEARS, -1)
        quarters = [
            aggregates.add_months(dt.date(y, 4, 1), 3 * q) for y in years for q in range(3, -1, -1)
        ]
        months = [aggregates.add_months(this_month, -i) for i in range(FORM_MONTHS)]
        kinds = (
            (_("年度"), aggregates.BY_FISCAL_YEAR, [dt.date(y, 4, 1) for y in years]),
            (_("四半期"), aggregates.BY_QUARTER, [q for q in quarters if q <= this_month]),
            (_("月"), aggregates.BY_MONTH, months),
        )
        self.fields["period"].widget = forms.Select(
            choices=[
                ("", _("今年度（既定）")),
                *(
                    (
                        group,
                        [
                            (aggregates.period_key(m, kind), aggregates.period_label(m, kind))
                            for m in firsts
                        ],
                    )
                    for group, kind, firsts in kinds
                ),
            ]
        )
        for name in ("fiscal_year", "start", "end"):  # older links: read, never shown
            self.fields[name].widget = forms.HiddenInput()
        self._choices("city", [("", _("神奈川県全体")), *cities.items()])
        self._choices("age_band", [("", _("すべての年代")), *AgeBand.choices])

    def _choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        params = {
            name: data.get(name, "")
            for name in ("period", "start", "end", "fiscal_year", "city", "age_band", "by")
        }
        try:
            data["filters"] = aggregates.make_filters(**params, cities=self.cities, grid=self.grid)
        except aggregates.FilterError as error:
            if error.fallback is None:
                for name, message in error.problems.items():
                    self.add_error(name if name in self.fields else None, message)
                return data
            # Off the grid: show the nearest period on it, and say so.
            nearest = error.fallback
            data["filters"] = aggregates.make_filters(
                period=nearest["period"],
                city=nearest["city"],
                age_band=nearest["age_band"],
                by=nearest.get("by", ""),
                cities=self.cities,
            )
            self.note = " ".join(error.problems.values())
            shown = QueryDict(mutable=True)
            shown.update(self.data)
            for name in ("start", "end", "fiscal_year"):
                shown.pop(name, None)
            shown.update(error.fallback)
            self.data = shown
        return data


def _default_city(request: HttpRequest) -> str:
    """A municipality officer lands on their own city (a ward officer on the ward's city)."""
    user = request.user
    if isinstance(user, User) and user.is_municipality_officer:
        municipality = user.officer_municipalities.order_by("code").first()
        if municipality is not None:
            return services.city_code(municipality)
    return ""


def _filter_form(request: HttpRequest, cities: dict[str, str]) -> ResultsFilterForm:
    data = request.GET.copy()
    if "city" not in data:
        data["city"] = _default_city(request)
    return ResultsFilterForm(data, cities=cities)


def share_html(share: Share) -> str:
    """A share with its interval and a bar (<meter>, no inline style), or the suppressed
    mark. Built here rather than by an include per cell: the page has a hundred of them."""
    if share.percent is None:
        return share.text
    return format_html(
        '<span class="share">{}</span> <meter class="share-bar" min="0" max="100" value="{}"'
        ' aria-hidden="true"></meter>',
        share.text,
        f"{share.percent:.1f}",
    )


def percent_html(percent: float | None) -> str:
    if percent is None:
        return aggregates.SUPPRESSED_TEXT
    return format_html(
        '<span class="share">{}%</span> <meter class="share-bar" min="0" max="100" value="{}"'
        ' aria-hidden="true"></meter>',
        f"{percent:.1f}",
        f"{percent:.1f}",
    )


def _table_rows(rows: list[aggregates.Row]) -> list[dict[str, Any]]:
    return [
        {
            "label": row.label,
            "n": row.n_text,
            "selected": row.selected,
            "indirect": share_html(row.indirect),
            "direct": share_html(row.direct),
        }
        for row in rows
    ]


def _tables(result: Aggregates) -> dict[str, Any]:
    return {
        "overall": {
            "indirect": share_html(result.indirect_lonely),
            "direct": share_html(result.direct_lonely),
        },
        "bands": [(c, percent_html(c.percent)) for c in result.indirect_bands],
        "levels": [(c, percent_html(c.percent)) for c in result.direct_levels],
        "by_city": _table_rows(result.by_city),
        "by_age": _table_rows(result.by_age),
        "over_time": _table_rows(result.over_time),
        "helps": [(c, share_html(c.share)) for c in result.helps.cells],
    }


def _scope(result: Aggregates) -> str:
    """What the figures cover: 令和6年度・藤沢市・60歳代."""
    f = result.filters
    parts = [aggregates.period_text(f), result.city_name or gettext("神奈川県全体")]
    parts.append(str(AgeBand(f.age_band).label) if f.age_band else gettext("すべての年代"))
    return pgettext("list separator", "・").join(parts)


def _query(form: ResultsFilterForm) -> str:
    """The query of what is shown (the nearest grid period when the link was off it)."""
    if not form.is_valid():
        return ""
    params = {k: v for k, v in form.cleaned_data["filters"].as_params().items() if v}
    return urlencode(params)


@login_not_required
@require_GET
@anonymous_page("surveys", "geo")
def results(request: HttpRequest) -> HttpResponse:
    """The public aggregates page (anonymous counts, every small cell suppressed)."""
    cities = aggregates.city_codes()
    form = _filter_form(request, cities)
    result = aggregates.compute(form.cleaned_data["filters"], cities) if form.is_valid() else None
    return render(
        request,
        "surveys/results.html",
        {
            "form": form,
            "result": result,
            "scope": _scope(result) if result else "",
            **(_tables(result) if result else {}),
            "query": _query(form),
            "min_cell": aggregates.MIN_CELL,
            "surveys": national.SURVEYS,
            "source": national.SOURCE,
            "scale_version": scoring.SCALE_VERSION,
        },
    )


# ---------------------------------------------------------------- results.csv

RESULTS_HEADER = [
    "section",
    "key",
    "label",
    "n",
    "percent",
    "percent_ci95_low",
    "percent_ci95_high",
    "indirect_lonely_percent",
    "indirect_lonely_ci95_low",
    "indirect_lonely_ci95_high",
    "direct_lonely_percent",
    "direct_lonely_ci95_low",
    "direct_lonely_ci95_high",
    "period_start",
    "period_end",
    "city_filter",
    "age_band_filter",
    "scale_version",
]
SUPPRESSED = "<10"


def _count(n: int | None) -> object:
    return SUPPRESSED if n is None else n


def _share_cells(share: Share) -> list[object]:
    return [share.percent, share.low_percent, share.high_percent]


def results_rows(result: Aggregates) -> Iterator[list[object]]:
    """Every table of the page as rows of one long CSV, with the filters on each row."""
    f = result.filters
    tail = [f"{f.start:%Y-%m}", f"{f.end:%Y-%m}", f.city, f.age_band, scoring.SCALE_VERSION]
    no_shares = [None] * 6
    no_interval = [None] * 2
    yield [
        "total",
        "",
        result.city_name or gettext("神奈川県全体"),
        _count(result.n),
        None,
        *no_interval,
        *_share_cells(result.indirect_lonely),
        *_share_cells(result.direct_lonely),
        *tail,
    ]
    for section, cells in (
        ("indirect_band", result.indirect_bands),
        ("direct_level", result.direct_levels),
    ):
        for cell in cells:
            yield [
                section,
                cell.key,
                cell.label,
                _count(cell.n),
                cell.percent,
                *no_interval,
                *no_shares,
                *tail,
            ]
    for section, rows in (
        ("city", result.by_city),
        ("age_band", result.by_age),
        ("period", result.over_time),
    ):
        for row in rows:
            yield [
                section,
                row.key,
                row.label,
                _count(row.n),
                None,
                *no_interval,
                *_share_cells(row.indirect),
                *_share_cells(row.direct),
                *tail,
            ]
    helps = result.helps
    yield [
        "help_answered",
        "",
        gettext("「あるとよいもの」に回答した人"),
        _count(helps.answered),
        None,
        *no_interval,
        *no_shares,
        *tail,
    ]
    for help_cell in helps.cells:
        yield [
            "help",
            help_cell.key,
            help_cell.label,
            _count(help_cell.n),
            *_share_cells(help_cell.share),
            *no_shares,
            *tail,
        ]


@login_not_required
@require_GET
def results_csv(request: HttpRequest) -> HttpResponse:
    """The page's aggregates as CSV (UTF-8 with BOM), suppressed the same way."""
    cities = aggregates.city_codes()
    form = _filter_form(request, cities)
    if not form.is_valid():
        return HttpResponseBadRequest(_errors_text(form), content_type="text/plain; charset=utf-8")
    result = aggregates.compute(form.cleaned_data["filters"], cities)
    return csv_response(
        f"selfcheck_results_{timezone.localdate():%Y%m%d}.csv",
        RESULTS_HEADER,
        results_rows(result),
    )


def _errors_text(form: forms.Form) -> str:
    return "\n".join(
        f"{name}: {' '.join(str(e) for e in errors)}" for name, errors in form.errors.items()
    )


# ---------------------------------------------------------------- codebook.csv

CODEBOOK_HEADER = [
    "file",
    "variable",
    "label_ja",
    "label_en",
    "type",
    "values",
    "scale_version",
    "source",
]
_SURVEY = "内閣府「孤独・孤立の実態把握に関する全国調査」"
_UCLA = (
    "UCLA孤独感尺度 3項目短縮版（Hughes et al. 2004）の日本語版、"
    "全国調査の4件法 / Japanese UCLA 3-item short form, 4-point format of the national survey"
)


def _values(choices: Sequence[tuple[Any, Any]]) -> str:
    return "; ".join(f"{value}={label}" for value, label in choices)


def _codebook_rows() -> list[list[object]]:
    """One row per variable of responses.csv and results.csv, in Japanese and English."""
    version = scoring.SCALE_VERSION
    indirect = _values(scoring.IndirectAnswer.choices)
    rows: list[list[object]] = []
    responses: list[tuple[str, str, str, str, str, str, str]] = [
        ("month", "回答月", "Month answered (never the day)", "YYYY-MM", "", "", ""),
        (
            "municipality_code",
            "市町村コード（区は市）",
            "Municipality code, wards counted under their city; empty = not answered",
            "string(6)",
            "全国地方公共団体コード",
            "",
            "",
        ),
        ("scale_version", "尺度の版", "Scale version", "string", version, version, ""),
        ("wording", "文言", "Wording shown", "string", _values(Wording.choices), "", ""),
        ("channel", "回答方法", "Channel", "string", _values(Channel.choices), "", ""),
        *(
            (
                f"indirect_{i}",
                f"間接質問{i}",
                f"Indirect item {i} ({name})",
                "integer 1–4",
                indirect,
                version,
                _UCLA,
            )
            for i, name in ((1, "lack companionship"), (2, "left out"), (3, "isolated"))
        ),
        (
            "direct",
            "直接質問（孤独感）",
            "Direct question: how often do you feel lonely",
            "integer 1–5",
            _values(scoring.DirectLevel.choices),
            version,
            _SURVEY,
        ),
        (
            "indirect_score",
            "間接質問の得点",
            "Indirect score (sum of the three items)",
            "integer 3–12",
            "3–12; 7–12 = 孤独感あり / feels lonely",
            version,
            _SURVEY,
        ),
        (
            "indirect_band",
            "間接質問の区分",
            "Indirect band",
            "string",
            _values(scoring.Band.choices),
            version,
            "厚生労働白書 令和5年版 図表1-3-10",
        ),
        ("age_band", "年代", "Age band; empty = not answered", "string", "", "", ""),
    ]
    for variable, ja, en, kind, values, scale, source in responses:
        if variable == "age_band":
            values = _values(AgeBand.choices)
        rows.append(["responses.csv", variable, ja, en, kind, values, scale, source])
    for code, label in Help.choices:
        rows.append(
            [
                "responses.csv",
                f"help_{code}",
                f"あるとよいもの：{label}",
                f"Would help: {code}",
                "integer 0/1",
                "0=選ばなかった; 1=選んだ",
                "",
                "",
            ]
        )
    share = "percent 0–100, 1 decimal; empty = not shown (suppressed)"
    results = [
        (
            "section",
            "表",
            "Table: total, indirect_band, direct_level, city, age_band, period; help_answered "
            "(responses that chose at least one thing that would help: the denominator of "
            "the help shares, as the question is optional), help (each thing that would "
            "help; multiple choice, so the help rows do not add up to help_answered)",
            "string",
            "total; indirect_band; direct_level; city; age_band; period; help_answered; help",
        ),
        (
            "key",
            "区分のコード",
            "Category code (band, level, city code, age band, period, what would help)",
            "string",
            "help: " + _values(Help.choices),
        ),
        ("label", "区分の名前", "Category label (Japanese)", "string", ""),
        (
            "n",
            "回答数（helpの行は選んだ人の数）",
            f"Responses (in help rows, those who chose it); '<10' = suppressed (fewer than "
            f"{aggregates.MIN_CELL}, or hidden so that a small count cannot be worked out by "
            "subtraction)",
            "integer or '<10'",
            "",
        ),
        (
            "percent",
            "構成比（%）。helpの行は「あるとよいもの」に回答した人のうち選んだ人の割合",
            "Share of the table's total; in help rows, share of help_answered who chose it",
            share,
            "",
        ),
        (
            "percent_ci95_low",
            "同 95%信頼区間の下限（helpの行のみ）",
            "Wilson 95% CI of percent, lower (help rows only)",
            share,
            "",
        ),
        (
            "percent_ci95_high",
            "同 95%信頼区間の上限（helpの行のみ）",
            "Wilson 95% CI of percent, upper (help rows only)",
            share,
            "",
        ),
        (
            "indirect_lonely_percent",
            "孤独感あり（間接7〜12点）の割合",
            "Indirect score 7–12",
            share,
            "",
        ),
        ("indirect_lonely_ci95_low", "同 95%信頼区間の下限", "Wilson 95% CI, lower", share, ""),
        ("indirect_lonely_ci95_high", "同 95%信頼区間の上限", "Wilson 95% CI, upper", share, ""),
        ("direct_lonely_percent", "孤独感あり（直接3〜5）の割合", "Direct level 3–5", share, ""),
        ("direct_lonely_ci95_low", "同 95%信頼区間の下限", "Wilson 95% CI, lower", share, ""),
        ("direct_lonely_ci95_high", "同 95%信頼区間の上限", "Wilson 95% CI, upper", share, ""),
        ("period_start", "期間のはじめ", "First month of the period", "YYYY-MM", ""),
        ("period_end", "期間のおわり", "Last month of the period", "YYYY-MM", ""),
        ("city_filter", "市町村の絞り込み", "City filter (empty = all)", "string(6)", ""),
        ("age_band_filter", "年代の絞り込み", "Age band filter (empty = all)", "string", ""),
        ("scale_version", "尺度の版", "Scale version", "string", version),
    ]
    for variable, ja, en, kind, values in results:
        rows.append(["results.csv", variable, ja, en, kind, values, version, _SURVEY])
    return rows


@login_not_required
@require_GET
def codebook_csv(request: HttpRequest) -> HttpResponse:
    """The public codebook of both CSV files (Japanese and English labels)."""
    return csv_response("selfcheck_codebook.csv", CODEBOOK_HEADER, _codebook_rows())


# ---------------------------------------------------------------- responses.csv

RESPONSES_HEADER = [
    "month",
    "municipality_code",
    "scale_version",
    "wording",
    "channel",
    "indirect_1",
    "indirect_2",
    "indirect_3",
    "direct",
    "indirect_score",
    "indirect_band",
    "age_band",
    *(f"help_{code}" for code in Help.values),
]
_EXPORT_CHUNK = 2000


class _Echo:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def export_rows(filters: Filters) -> Iterator[list[object]]:
    """Response-level rows, month precision, city level. Ordered by month and answers,
    not by arrival, so the order of rows tells nothing about the day."""
    cities = {
        m.code: services.city_code(m)
        for m in Municipality.objects.only("code", "kind", "parent_id")
    }
    last_day = aggregates.add_months(filters.end, 1) - dt.timedelta(days=1)
    qs = SelfCheckResponse.objects.filter(answered_on__gte=filters.start, answered_on__lte=last_day)
    if filters.city:
        qs = qs.filter(Q(municipality_id=filters.city) | Q(municipality__parent_id=filters.city))
    if filters.age_band:
        qs = qs.filter(age_band=filters.age_band)
    fields = [
        "municipality_id",
        "age_band",
        "indirect_1",
        "indirect_2",
        "indirect_3",
        "direct",
        "helps",
        "channel",
        "wording",
        "scale_version",
    ]
    values = qs.annotate(month=TruncMonth("answered_on")).order_by("month", *fields)
    helps = Help.values
    for row in values.values_list("month", *fields, "indirect_score", "indirect_band").iterator(
        chunk_size=_EXPORT_CHUNK
    ):
        month, code, age, i1, i2, i3, direct, chosen, channel, wording, version, score, band = row
        picked = set(chosen.split(",")) if chosen else set()
        yield [
            f"{month:%Y-%m}",
            cities.get(code, "") if code else "",
            version,
            wording,
            channel,
            i1,
            i2,
            i3,
            direct,
            score,
            band,
            age,
            *(1 if h in picked else 0 for h in helps),
        ]


def _csv_stream(header: list[str], rows: Iterator[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow(row))
        if len(lines) >= _EXPORT_CHUNK:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


@require_GET
@secretariat_required
def responses_csv(request: HttpRequest) -> HttpResponse:
    """Response-level export for researchers: secretariat only, recorded in the audit log."""
    cities = aggregates.city_codes()
    form = ResultsFilterForm(request.GET, cities=cities, grid=False)  # secretariat: any range
    if not form.is_valid():
        return HttpResponseBadRequest(_errors_text(form), content_type="text/plain; charset=utf-8")
    filters: Filters = form.cleaned_data["filters"]
    user = request.user
    assert isinstance(user, User)
    params = {k: v for k, v in filters.as_params().items() if v and k != "by"}
    record(
        user,
        AuditEvent.Action.EXPORT,
        user,
        changes={"filters": params},
        note=f"selfcheck responses.csv {aggregates.period_text(filters)}",
    )
    response: Any = StreamingHttpResponse(
        _csv_stream(RESPONSES_HEADER, export_rows(filters)), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition(
        f"selfcheck_responses_{timezone.localdate():%Y%m%d}.csv"
    )
    return response
