"""Survey campaigns (調査キャンペーン): the item bank, the organiser's pages, the public
answering link with its QR code, results and the before/after report (事前・事後の比較).

A member organisation's staff run their organisation's campaigns; the secretariat runs
its own (no organisation) and sees all. Every campaign view calls
`_get_campaign_for_user` first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from tsunagari.accounts.acting import FIELD, ActingFor
from tsunagari.audit.models import AuditEvent, record
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.lib.spreadsheet import csv_response
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.surveys import campaigns, qr
from tsunagari.surveys.campaign_forms import (
    PRESET_FIELD,
    PRESETS,
    AnswerForm,
    CampaignForm,
    ItemForm,
)
from tsunagari.surveys.items import Wording, wording_for
from tsunagari.surveys.models import Campaign, CampaignResponse
from tsunagari.surveys.services import (
    CampaignChanged,
    CampaignClosed,
    CodeAlreadyUsed,
    record_response,
)

# An event room full of people shares one Wi-Fi: generous per network.
LIMIT = RateLimit("campaign", per_network=60, overall=3000, window=3600)


def _get_campaign_for_user(request: HttpRequest, pk: int) -> Campaign:
    """The campaign if the user runs it (their organisation's) or is the secretariat;
    404 when there is none, PermissionDenied for anyone else."""
    campaign = get_object_or_404(Campaign.objects.select_related("organization"), pk=pk)
    user = request.user
    if getattr(user, "is_secretariat", False):
        return campaign
    if getattr(user, "is_member_staff", False) and user.may_act_for(campaign.organization_id):  # type: ignore[union-attr]
        return campaign
    raise PermissionDenied


def _require_organiser(request: HttpRequest) -> None:
    if not campaigns.can_run_campaigns(request.user):
        raise PermissionDenied


def public_url(campaign: Campaign) -> str:
    return settings.SITE_URL + reverse("surveys:answer", args=[campaign.token])


def _acting(request: HttpRequest) -> tuple[ActingFor, int | None]:
    """Whom a new campaign or item is for (None: the secretariat's own), before the form
    is valid: the choice posted, or `?as=`, else the one remembered. Someone with
    several capacities is asked 「どの立場で」; the bank shown follows the choice."""
    acting = ActingFor(request, secretariat=True)
    raw = request.POST.get(FIELD) if request.method == "POST" else request.GET.get("as")
    for organization in acting.organizations:
        if raw == str(organization.pk):
            return acting, organization.pk
    if raw == "" and acting.secretariat:
        return acting, None
    preferred = acting.preferred()
    return acting, preferred.pk if preferred else None


# The item bank.


def item_list(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    items = campaigns.bank_for_user(request.user)
    rows = [(item, campaigns.question(item, Wording.JA)) for item in items]
    return render(request, "surveys/item_list.html", {"rows": rows})


def item_new(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    status = 200
    acting, _organization_id = _acting(request)
    if request.method == "POST":
        form = ItemForm(request.POST)
        acting.add_to(form)
        if form.is_valid():
            organization = acting.organization(form)
            item = form.save(organization.pk if organization else None)
            messages.success(
                request, _("質問項目「%(text)s」を追加しました。") % {"text": item.text}
            )
            return redirect("surveys:item_list")
        status = 400
    else:
        form = ItemForm()
        acting.add_to(form)
    return render(request, "surveys/item_form.html", {"form": form}, status=status)


# Campaigns.


def campaign_list(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    rows = campaigns.campaigns_for(request.user).annotate(n_responses=Count("responses"))
    return render(request, "surveys/campaign_list.html", {"campaigns": rows})


def _form_page(
    request: HttpRequest, form: CampaignForm, campaign: Campaign | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "surveys/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


def _preset(request: HttpRequest) -> str:
    """The preset asked for by its button, if any (an unknown one is ignored)."""
    preset = request.POST.get(PRESET_FIELD, "")
    return preset if preset in PRESETS else ""


def campaign_new(request: HttpRequest) -> HttpResponse:
    _require_organiser(request)
    acting, organization_id = _acting(request)
    bank = campaigns.bank_for_campaign(organization_id)
    instance = Campaign(organization_id=organization_id, created_by_id=request.user.pk)
    if request.method == "POST":
        if preset := _preset(request):
            form = CampaignForm.with_preset(request.POST, preset, instance=instance, bank=bank)
            acting.add_to(form)
            return _form_page(request, form, None)
        form = CampaignForm(request.POST, instance=instance, bank=bank)
        acting.add_to(form)
        if form.is_valid():
            organization = acting.organization(form)
            assert (organization.pk if organization else None) == organization_id
            campaign = form.save()
            messages.success(request, _("調査「%(title)s」を作りました。") % {"title": campaign})
            return redirect("surveys:campaign_detail", pk=campaign.pk)
        return _form_page(request, form, None, status=400)
    # Nothing ticked: the organiser chooses, or takes the national set (a preset).
    form = CampaignForm(instance=instance, bank=bank)
    acting.add_to(form)
    if FIELD in form.fields:
        form.fields[FIELD].initial = organization_id or ""
    return _form_page(request, form, None)


def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    bank = campaigns.bank_for_campaign(campaign.organization_id)
    if request.method == "POST":
        if (preset := _preset(request)) and not campaign.responses.exists():
            form = CampaignForm.with_preset(request.POST, preset, instance=campaign, bank=bank)
            return _form_page(request, form, campaign)
        form = CampaignForm(request.POST, instance=campaign, bank=bank)
        if form.is_valid():
            try:
                form.save()
            except AlreadyChanged as e:
                messages.error(request, e.message)
                return redirect("surveys:campaign_edit", pk=campaign.pk)
            messages.success(request, _("調査「%(title)s」を保存しました。") % {"title": campaign})
            if form.items_posted_anew():
                messages.warning(request, _("回答が届いているため、質問項目は変更していません。"))
            return redirect("surveys:campaign_detail", pk=campaign.pk)
        return _form_page(request, form, campaign, status=400)
    return _form_page(request, CampaignForm(instance=campaign, bank=bank), campaign)


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    entries = campaigns.entries_of(campaign)
    results = campaigns.results(campaign, entries)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "public_url": public_url(campaign),
            "entries": entries,
            "results": results,
            "min_responses": campaigns.MIN_RESPONSES,
            "national_direct": campaigns.national_direct(),
            "national_indirect": campaigns.national_indirect(),
            "satisfied_baseline": campaigns.SATISFIED_BASELINE,
        },
    )


def campaign_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code of the public link. The token never changes, so browsers may keep it."""
    campaign = _get_campaign_for_user(request, pk)
    svg = qr.qr_svg(public_url(campaign), title=campaign.title)
    response = HttpResponse(svg, content_type="image/svg+xml")
    patch_cache_control(response, private=True, max_age=24 * 3600)
    response["Content-Disposition"] = f'inline; filename="campaign-{campaign.pk}-qr.svg"'
    return response


def campaign_csv(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    total = campaign.responses.count()
    if total < campaigns.MIN_RESPONSES:
        messages.info(
            request,
            _("回答が%(n)d件以上になると、CSVで出力できます。") % {"n": campaigns.MIN_RESPONSES},
        )
        return redirect("surveys:campaign_detail", pk=campaign.pk)
    header, rows = campaigns.csv_table(campaign)
    # Response-level data leaves the platform: keep a record of who took it.
    record(request.user, AuditEvent.Action.EXPORT, campaign, note=f"results.csv ({total})")
    return csv_response(f"campaign-{campaign.pk}-responses.csv", header, rows)


def campaign_report(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _get_campaign_for_user(request, pk)
    return render(
        request,
        "surveys/campaign_report.html",
        {
            "campaign": campaign,
            "report": campaigns.paired_report(campaign),
            "min_pairs": campaigns.MIN_PAIRS,
        },
    )


# The public answering page.


def _answer_page(
    request: HttpRequest,
    campaign: Campaign,
    form: AnswerForm,
    wording: str,
    *,
    status: int = 200,
    limited: bool = False,
) -> HttpResponse:
    return render(
        request,
        "surveys/answer.html",
        {"campaign": campaign, "form": form, "wording": wording, "limited": limited},
        status=status,
    )


@login_not_required
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """One page, phone first. Stores the answers, the day, the wording and the channel;
    nothing about the person (no address, no browser, no account)."""
    campaign = get_object_or_404(Campaign, token=token)
    if not campaign.is_open:
        return render(request, "surveys/answer_closed.html", {"campaign": campaign})
    wording = wording_for(request.GET.get("wording"))
    questions = campaigns.questions(campaign, wording)
    if not questions:
        # Not ready yet: the organiser has not chosen any item.
        return render(request, "surveys/answer_closed.html", {"campaign": campaign, "empty": True})
    before_after = campaign.before_after
    if request.method != "POST":
        form = AnswerForm(questions=questions, before_after=before_after)
        return _answer_page(request, campaign, form, wording)
    form = AnswerForm(request.POST, questions=questions, before_after=before_after)
    if LIMIT.exceeded(request):
        return _answer_page(request, campaign, form, wording, status=429, limited=True)
    valid = form.is_valid()
    if form.is_from_a_robot:
        LIMIT.hit(request)
        return redirect("surveys:answer_thanks", token=campaign.token)
    if not valid:
        return _answer_page(request, campaign, form, wording, status=400)
    phase = form.cleaned_data.get("phase", "") if campaign.before_after else ""
    try:
        record_response(
            campaign,
            form.answers(),
            wording=wording,
            phase=phase,
            code=form.cleaned_data.get("code", "") if campaign.before_after else "",
        )
    except CodeAlreadyUsed:
        form.code_taken()
        return _answer_page(request, campaign, form, wording, status=400)
    except CampaignClosed:
        # Closed by the organiser while this person was answering.
        return render(request, "surveys/answer_closed.html", {"campaign": campaign})
    except CampaignChanged:
        # The organiser changed the questions meanwhile: the new ones, to answer again.
        messages.error(request, _("質問が変更されました。お手数ですが、もう一度回答してください。"))
        return redirect(request.get_full_path())
    LIMIT.hit(request)
    thanks = reverse("surveys:answer_thanks", args=[campaign.token])
    if phase == CampaignResponse.Phase.BEFORE:
        thanks += "?phase=before"
    return redirect(thanks)


@login_not_required
def answer_thanks(request: HttpRequest, token: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, token=token)
    before = request.GET.get("phase") == CampaignResponse.Phase.BEFORE and campaign.before_after
    return render(request, "surveys/answer_thanks.html", {"campaign": campaign, "before": before})
