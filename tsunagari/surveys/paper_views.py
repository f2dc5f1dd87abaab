"""Paper questionnaires: the printable PDF and the keyed entry of the paper answers.

Anyone may print the self-check; a campaign's sheet and its entry page belong to the
campaign's organisation and the secretariat. Keyed answers are stored with
channel=paper, which is how results tell paper from web.
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tsunagari.surveys import pdf, services
from tsunagari.surveys.campaign_views import _get_campaign_for_user
from tsunagari.surveys.items import wording_for
from tsunagari.surveys.models import CampaignResponse, SelfCheckResponse
from tsunagari.surveys.paper_forms import (
    MUNICIPALITY_LIST_ID,
    CampaignEntryForm,
    PaperEntryForm,
    SelfCheckEntryForm,
    municipality_names,
)
from tsunagari.surveys.services import CodeAlreadyUsed

RECENT_SHEETS = 5


def _require_staff(request: HttpRequest) -> None:
    """Keyed self-checks: member staff, municipality officers and the secretariat."""
    user: Any = request.user
    if not (
        getattr(user, "is_member_staff", False)
        or getattr(user, "is_municipality_officer", False)
        or getattr(user, "is_secretariat", False)
    ):
        raise PermissionDenied


def _pdf_response(
    request: HttpRequest, questionnaire: pdf.Questionnaire, name: str
) -> HttpResponse:
    try:
        body = pdf.render(questionnaire)
    except pdf.FontMissing:
        return render(request, "surveys/paper_no_font.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    safe_name = "".join(ch for ch in name if ch not in '/\\:*?"<>|').strip() or "questionnaire"
    response["Content-Disposition"] = content_disposition_header(False, f"{safe_name}.pdf") or ""
    return response


@login_not_required
def selfcheck_pdf(request: HttpRequest) -> HttpResponse:
    """The self-check on paper, for anyone to print (?wording=easy: やさしい日本語)."""
    questionnaire = pdf.selfcheck_questionnaire(wording_for(request.GET.get("wording")))
    return _pdf_response(request, questionnaire, _("孤独感セルフチェック_回答用紙"))


def campaign_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    questionnaire = pdf.campaign_questionnaire(campaign, wording_for(request.GET.get("wording")))
    return _pdf_response(
        request, questionnaire, _("%(title)s_回答用紙") % {"title": campaign.title}
    )


def _remember(request: HttpRequest, scope: str, summary: str, pk: object) -> int:
    """Count the sheets keyed in this signed-in session and keep the last few (numbers
    only), so the page can say "N件目" and list them; and the last sheet's row, so that
    a sheet keyed by mistake can be taken back at once (only the last, only here)."""
    key = f"surveys-paper:{scope}"
    state = request.session.get(key, {"count": 0, "recent": []})
    state["count"] += 1
    state["recent"] = [[state["count"], summary], *state["recent"]][:RECENT_SHEETS]
    state["last"] = str(pk)  # a random key (UUID): kept as text in the session
    request.session[key] = state
    return int(state["count"])


def _undo_last(request: HttpRequest, scope: str, model: Any, undo: Any) -> None:
    """Delete the sheet keyed last in this session (a typing mistake), if it is still there."""
    key = f"surveys-paper:{scope}"
    state = request.session.get(key, {"count": 0, "recent": []})
    last = state.pop("last", None)
    response = model.objects.filter(pk=last, channel="paper").first() if last else None
    if response is None:
        messages.error(request, _("取り消せる用紙はありません。"))
        return
    if not undo(response):
        # Undone a moment ago, from this page pressed twice or another tab.
        messages.info(request, _("この用紙の入力はすでに取り消されています。"))
        return
    number = state["count"]
    state["count"] -= 1
    state["recent"] = [row for row in state["recent"] if row[0] != number]
    request.session[key] = state
    messages.success(
        request,
        _("%(count)s件目の入力を取り消しました。入力し直してください。") % {"count": number},
    )


# Each entry page carries a one-time key for its sheet: the first POST with it claims it
# atomically in the cache (shared by the web processes through Redis in production, as
# the rate limits are), so a sheet sent twice at once or again is stored once.
SHEET_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SHEET_KEY_SECONDS = 24 * 3600


def _sheet_key(request: HttpRequest) -> str:
    """The key the page carries: the one posted (a page shown again with its errors
    keeps it), else a new one."""
    posted = request.POST.get("sheet", "")
    if request.method == "POST" and SHEET_KEY.match(posted):
        return posted
    return secrets.token_urlsafe(18)


def _claim_sheet(request: HttpRequest) -> bool:
    posted = request.POST.get("sheet", "")
    if not SHEET_KEY.match(posted):
        return True  # a page from before the key: saved as always
    return cache.add(f"surveys:paper-sheet:{posted}", True, SHEET_KEY_SECONDS)


def _release_sheet(request: HttpRequest) -> None:
    """The sheet was not saved after all (an error to correct): it may be sent again."""
    posted = request.POST.get("sheet", "")
    if SHEET_KEY.match(posted):
        cache.delete(f"surveys:paper-sheet:{posted}")


def _entry_page(
    request: HttpRequest,
    make_form: Any,
    *,
    scope: str,
    context: dict[str, Any],
    model: Any,
    undo: Any,
) -> HttpResponse:
    """Keyed entry, one sheet per POST: save, then back to an empty row (PRG) with the
    day and wording kept; on an error, everything typed stays, focus on the first bad
    field."""
    if request.method == "POST" and "undo" in request.POST:
        _undo_last(request, scope, model, undo)
        kept = {k: request.POST[k] for k in ("answered_on", "wording") if request.POST.get(k)}
        return redirect(f"{request.path}?{urlencode(kept)}")
    sheet = _sheet_key(request)
    if request.method == "POST":
        form: PaperEntryForm = make_form(data=request.POST)
        if form.is_valid():
            if not _claim_sheet(request):
                # The same page sent twice (a double press of 保存, or two tabs): saved once.
                messages.info(request, _("この用紙はすでに保存されています。次の用紙へ進みます。"))
                return redirect(f"{request.path}?{urlencode(form.kept())}")
            try:
                saved = form.save()
            except CodeAlreadyUsed:
                _release_sheet(request)
                form.add_error("code", _("この合言葉の、この時点の回答はもう入力されています。"))
            else:
                count = _remember(request, scope, form.summary(), saved.pk)
                messages.success(request, _("%(count)s件目を保存しました。") % {"count": count})
                return redirect(f"{request.path}?{urlencode(form.kept())}")
    else:
        form = make_form(initial=PaperEntryForm.initial_from(request.GET))
    state = request.session.get(f"surveys-paper:{scope}", {"count": 0, "recent": []})
    form.fields[form.first_field_to_fill()].widget.attrs["autofocus"] = True
    return render(
        request,
        "surveys/paper_entry.html",
        {
            **context,
            "form": form,
            "sheet": sheet,
            "next_number": state["count"] + 1,
            "recent": state["recent"],
            "can_undo": bool(state.get("last")),
            "municipality_list_id": MUNICIPALITY_LIST_ID,
            "municipality_names": municipality_names() if "municipality" in form.fields else [],
        },
    )


def selfcheck_entry(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return _entry_page(
        request,
        SelfCheckEntryForm,
        scope="selfcheck",
        model=SelfCheckResponse,
        undo=services.unrecord_selfcheck,
        context={
            "title": _("孤独感のセルフチェック"),
            "pdf_url": reverse("surveys:selfcheck_pdf"),
        },
    )


def campaign_entry(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    return _entry_page(
        request,
        lambda **kwargs: CampaignEntryForm(campaign, **kwargs),
        scope=f"campaign-{campaign.pk}",
        model=CampaignResponse,
        undo=lambda response: response.delete()[0] > 0,
        context={
            "title": campaign.title,
            "campaign": campaign,
            "pdf_url": reverse("surveys:campaign_pdf", args=[campaign.pk]),
        },
    )
