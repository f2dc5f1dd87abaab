"""The resident's loneliness self-check (孤独感のセルフチェック): the form and its result.

Anyone can answer, without an account. The result is rendered in the response to the
POST itself (no redirect), so answers never appear in a URL or in the browser's
history of addresses, and no page with answers is cached (Cache-Control: no-store).
What is stored is what services.record_selfcheck stores: the answers, the day, the
wording and the channel; nothing about the person, their network or their device.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.views.decorators.cache import never_cache

from tsunagari.lib.antibot import FRESH_TOKEN
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.surveys import national, scoring, services, suggestions
from tsunagari.surveys.items import (
    DIRECT_OPTIONS,
    STANDARD_ITEMS,
    UCLA_CODES,
    UCLA_OPTIONS,
    Option,
    wording_for,
)
from tsunagari.surveys.models import Channel, Help
from tsunagari.surveys.selfcheck_forms import (
    EASY,
    EASY_HELP,
    SelfCheckForm,
    furigana,
    wording_of,
)

# A family or a community centre on one connection answers many times without a wait.
LIMIT = RateLimit("selfcheck", per_network=30, overall=3000)
USED_TOKEN_PREFIX = "selfcheck:used-token:"


def _first_use(token: str) -> bool:
    """True the first time a form's fill-time token is stored; a reload that posts the
    same form again finds it used. Remembered as long as the token is accepted."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    return cache.add(USED_TOKEN_PREFIX + digest, 1, SelfCheckForm.max_seconds)


def _form_page(
    request: HttpRequest, form: SelfCheckForm, wording: str, *, status: int, limited: bool = False
) -> HttpResponse:
    ctx = {
        "form": form,
        "easy": wording == EASY,
        "wording": wording,
        "questions": [form[code] for code in (*UCLA_CODES, "direct")],
        "limited": limited,
        "national_source": national.SOURCE,
    }
    return render(request, "surveys/selfcheck.html", ctx, status=status)


def _answer_label(options: tuple[Option, ...], value: int, easy: bool) -> str | Promise:
    option = next(o for o in options if o.value == value)
    return furigana(option.easy) if easy else option.label


EASY_RANGES = ("3てん", "4〜6てん", "7〜9てん", "10〜12てん")


def _bands(current: scoring.Band, easy: bool) -> list[dict[str, object]]:
    """The four reporting bands, the resident's marked, as a scale to read at a glance."""
    return [
        {
            "name": f"{UCLA_OPTIONS[i].easy}（{EASY_RANGES[i]}）" if easy else band.label,
            "current": band == current,
        }
        for i, band in enumerate(scoring.BAND_ORDER)
    ]


def _result_page(
    request: HttpRequest, form: SelfCheckForm, result: scoring.Result, wording: str
) -> HttpResponse:
    easy = wording == EASY
    data = form.cleaned_data
    helps = data.get("helps") or []
    municipality = data.get("municipality")
    band_index = scoring.BAND_ORDER.index(result.indirect_band)
    found = suggestions.suggest(
        municipality,
        helps,
        strong=result.strong,
        age_band=data.get("age_band") or "",
        wording=wording_for(wording),
    )
    ctx = {
        "easy": easy,
        "wording": wording,
        "result": result,
        "band_name": _answer_label(UCLA_OPTIONS, band_index + 1, easy),
        "bands": _bands(result.indirect_band, easy),
        "direct_answer": _answer_label(DIRECT_OPTIONS, result.direct, easy),
        "direct_question": furigana(STANDARD_ITEMS["direct"].easy)
        if easy
        else STANDARD_ITEMS["direct"].text,
        "lonely_score": scoring.LONELY_SCORE,
        "national": national.LATEST,
        "national_source": national.SOURCE,
        "municipality": municipality,
        "help_labels": [EASY_HELP[Help(h)] if easy else Help(h).label for h in helps],
        "suggestions": found,
        "consult_url": reverse("directory:consult"),
        "today": timezone.localdate(),
    }
    return render(request, "surveys/selfcheck_result.html", ctx)


@login_not_required
@never_cache
@anonymous_page("geo", fresh=[FRESH_TOKEN])  # GET only: the questions
def selfcheck(request: HttpRequest) -> HttpResponse:
    """GET: the questions on one page. POST: the result, in the same response."""
    if request.method != "POST":
        wording = wording_of(request.GET.get("wording"))
        return _form_page(request, SelfCheckForm(wording=wording), wording, status=200)

    wording = wording_of(request.POST.get("wording"))
    form = SelfCheckForm(request.POST, wording=wording)
    if LIMIT.exceeded(request):
        # Nothing is checked or stored; the answers stay on the page.
        return _form_page(request, form, wording, status=429, limited=True)
    if not form.is_valid():
        return _form_page(request, form, wording, status=400)
    result = scoring.score(*form.answers)
    if form.is_from_a_robot:
        # A robot sees a result like anyone's; nothing is stored.
        LIMIT.hit(request)
    elif _first_use(form.cleaned_data[form.TOKEN]):
        data = form.cleaned_data
        services.record_selfcheck(
            result,
            channel=Channel.WEB,
            wording=wording_for(wording),
            age_band=data.get("age_band") or "",
            municipality=data.get("municipality"),
            helps=data.get("helps") or [],
        )
        LIMIT.hit(request)
    return _result_page(request, form, result, wording)
