"""Pages of the model-case library: the public list and a case (with its photos), writing
a case (from scratch, from a completed collaboration or from a meeting's action item),
「自分の事例」 and the secretariat's review queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import ActingFor
from tsunagari.audit.models import record_changed, record_created, snapshot
from tsunagari.cases import services
from tsunagari.cases.forms import (
    CaseForm,
    FilterForm,
    PartnerFormSet,
    PhotoFormSet,
    ReturnForm,
    StepFormSet,
)
from tsunagari.cases.models import CasePhoto, ModelCase
from tsunagari.cases.search import index_case, keyword_filter
from tsunagari.collaborations.models import Collaboration
from tsunagari.core.access import secretariat_required
from tsunagari.core.forms import StaleEdit, save_in_order
from tsunagari.meetings.models import ActionItem

PAGE_SIZE = 20


def LOCKED_MESSAGE() -> str:
    return _("この事例は確認中または公開中のため、変更できません。")


# The public library


def filtered(form: FilterForm) -> QuerySet[ModelCase]:
    cases = ModelCase.objects.published()
    if not form.is_valid():
        return cases
    data = form.cleaned_data
    if data["theme"]:
        cases = cases.filter(themes=data["theme"])
    if data["target"]:
        cases = cases.filter(target_groups=data["target"])
    if data["municipality"]:
        # A city's cases include those of its wards (横浜市 → 横浜市青葉区).
        m = data["municipality"]
        cases = cases.filter(Q(municipalities=m) | Q(municipalities__parent=m))
    for sector in data["sector"]:
        cases = cases.filter(pk__in=ModelCase.objects.filter(partners__sector=sector).values("pk"))
    if data["q"]:
        condition = keyword_filter(data["q"])
        if condition is not None:
            cases = cases.filter(condition)
    return cases.distinct()


@login_not_required
def case_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    cases = (
        filtered(form)
        .select_related("organization")
        .prefetch_related("municipalities", "partners")
        .order_by("-published_at", "-pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "page": page, "cases": page.object_list, "query": query.urlencode()},
    )


def _case_for_viewer(request: HttpRequest, pk: int) -> ModelCase:
    case = get_object_or_404(
        ModelCase.objects.select_related(
            "organization", "contact_organization", "campaign", "collaboration", "action_item"
        ),
        pk=pk,
    )
    if not services.may_view(request.user, case):
        raise Http404
    return case


@login_not_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_viewer(request, pk)
    report = None
    if case.campaign_id:
        from tsunagari.surveys import campaigns

        report = campaigns.paired_report(case.campaign)  # type: ignore[arg-type]
    user: Any = request.user
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "partners": list(case.partners.all()),
            "steps": list(case.steps.all()),
            "photos": list(case.photos.all()),
            "report": report,
            "may_manage": services.may_manage(user, case),
            "may_edit": services.may_edit(user, case),
            "is_secretariat": services.is_secretariat(user),
            "return_form": ReturnForm(),
        },
    )


@login_not_required
def case_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = CasePhoto.objects.select_related("case").filter(pk=pk).first()
    if photo is None or not services.may_view(request.user, photo.case):
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if photo.case.status != ModelCase.Status.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response


# Writing


def _formsets(request: HttpRequest, case: ModelCase | None) -> dict[str, Any]:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    instance = case or ModelCase()
    return {
        "partners": PartnerFormSet(data, instance=instance, prefix="partners"),
        "steps": StepFormSet(data, instance=instance, prefix="steps"),
        "photos": PhotoFormSet(data, files, instance=instance, prefix="photos"),
    }


def _campaigns(request: HttpRequest) -> Any:
    from tsunagari.surveys.campaigns import campaigns_for

    return campaigns_for(request.user)


def _save_formsets(case: ModelCase, formsets: dict[str, Any], user: Any) -> None:
    def uploaded_by(photo: Any) -> None:
        if photo.uploaded_by_id is None:
            photo.uploaded_by = user

    for name, formset in formsets.items():
        save_in_order(formset, case, uploaded_by if name == "photos" else None)


def _edit(request: HttpRequest, case: ModelCase | None, acting: ActingFor | None) -> HttpResponse:
    user: Any = request.user
    form = CaseForm(request.POST or None, instance=case, campaigns=_campaigns(request))
    if acting is not None:
        acting.add_to(form)
    formsets = _formsets(request, case)
    status = 400 if request.method == "POST" else 200
    if (
        request.method == "POST"
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        try:
            with transaction.atomic():
                if case is None:
                    new: ModelCase = form.save(commit=False)
                    new.organization = acting.organization(form) if acting else None
                    new.contact_organization = new.organization
                    new.created_by = user
                    new.save()
                    form.save_m2m()
                    _save_formsets(new, formsets, user)
                    index_case(new)
                    record_created(user, new, ModelCase.AUDITED_FIELDS)
                    case = new
                    messages.success(request, _("下書きを保存しました。"))
                else:
                    # Still a draft? A case submitted meanwhile is not changed under the reviewer.
                    locked = ModelCase.objects.select_for_update().get(pk=case.pk)
                    if locked.status != ModelCase.Status.DRAFT:
                        messages.error(
                            request, _("この事例は確認中または公開中のため、変更できません。")
                        )
                        return redirect("cases:case_detail", pk=case.pk)
                    form.check_seen(locked)  # nor is a co-author's edit made meanwhile
                    before = snapshot(locked, ModelCase.AUDITED_FIELDS)
                    form.save()
                    _save_formsets(case, formsets, user)
                    index_case(case)
                    record_changed(user, case, before, snapshot(case, ModelCase.AUDITED_FIELDS))
                    messages.success(request, _("変更を保存しました。"))
        except StaleEdit:
            status = 409
        else:
            return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "case": case, **formsets},
        status=status,
    )


def case_new(request: HttpRequest) -> HttpResponse:
    acting = ActingFor(request, secretariat=True)
    acting.require()
    return _edit(request, None, acting)


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ModelCase, pk=pk)
    if not services.may_manage(request.user, case):
        raise PermissionDenied
    if not services.may_edit(request.user, case):
        messages.info(request, LOCKED_MESSAGE())
        return redirect("cases:case_detail", pk=case.pk)
    return _edit(request, case, None)


def case_mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (user.is_secretariat or user.is_member_staff):
        raise PermissionDenied
    cases = list(
        services.mine(user).select_related("organization").order_by("status", "-updated_at")[:300]
    )
    return render(request, "cases/case_mine.html", {"cases": cases})


@require_POST
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ModelCase, pk=pk)
    if not services.may_manage(request.user, case):
        raise PermissionDenied
    if services.submit(case, by=request.user):
        messages.success(request, _("事務局に確認を依頼しました。"))
    else:
        messages.info(request, _("この事例は、すでに確認を依頼済みか公開中です。"))
    return redirect("cases:case_detail", pk=case.pk)


# In one step from a collaboration or an action item


def _from_source(
    request: HttpRequest,
    source: Any,
    organizations: list[Any],
    make: Any,
    template_context: dict[str, Any],
) -> HttpResponse:
    user: Any = request.user
    acting = ActingFor(request, secretariat=True)
    acting.organizations = organizations
    acting.require()
    from django import forms

    form = forms.Form(request.POST if request.method == "POST" else None)
    acting.add_to(form)
    if request.method == "POST" and form.is_valid():
        case, made = make(source.pk, by=user, organization=acting.organization(form))
        if made:
            messages.success(
                request, _("モデル事例の下書きを作りました。内容を確かめて書き足してください。")
            )
            return redirect("cases:case_edit", pk=case.pk)
        messages.info(request, _("これをもとにした事例は、すでにあります。"))
        return redirect("cases:case_detail", pk=case.pk)
    existing = source.model_cases.order_by("pk").first()
    return render(
        request,
        "cases/case_from.html",
        {"form": form, "existing": existing, **template_context},
        status=400 if request.method == "POST" else 200,
    )


def from_collaboration(request: HttpRequest, pk: int) -> HttpResponse:
    collaboration = get_object_or_404(Collaboration.objects.select_related("need"), pk=pk)
    user: Any = request.user
    organizations = services.may_write_from_collaboration(user, collaboration)
    if not (organizations or user.is_secretariat):
        raise PermissionDenied
    if collaboration.status != Collaboration.Status.COMPLETED:
        messages.info(request, _("モデル事例にできるのは、完了した連携です。"))
        return redirect("collaborations:collaboration_detail", pk=collaboration.pk)
    return _from_source(
        request,
        collaboration,
        organizations,
        services.from_collaboration,
        {
            "source_title": collaboration.title,
            "source_kind": _("完了した連携"),
            "carried": [
                _("件名"),
                _("参加した団体（分野と役割）"),
                _("地域（ニーズの市町村、なければ資源の場所、なければ参加団体に共通の活動地域）"),
                _("成果"),
            ],
        },
    )


def from_action(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting", "owner_organization"), pk=pk
    )
    user: Any = request.user
    organizations = services.may_write_from_action(user, item)
    if not (organizations or user.is_secretariat):
        raise PermissionDenied
    return _from_source(
        request,
        item,
        organizations,
        services.from_action,
        {
            "source_title": item.text,
            "source_kind": _("会議のアクションアイテム"),
            "carried": [_("内容"), _("会議に出席した団体"), _("会議の市町村")],
        },
    )


# Review by the secretariat


@secretariat_required
def review_queue(request: HttpRequest) -> HttpResponse:
    cases = list(
        ModelCase.objects.filter(status=ModelCase.Status.REVIEW)
        .select_related("organization")
        .annotate(partner_count=Count("partners"))
        .order_by("submitted_at", "pk")[:300]
    )
    return render(request, "cases/review_queue.html", {"cases": cases})


@require_POST
@secretariat_required
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ModelCase, pk=pk)
    if services.publish(case, by=request.user):
        messages.success(request, _("「%(title)s」を公開しました。") % {"title": case.title})
    else:
        messages.info(request, _("この事例は、すでに公開されたか差し戻されています。"))
    return redirect("cases:case_detail", pk=case.pk)


@require_POST
@secretariat_required
def case_return(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ModelCase, pk=pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("差し戻しの理由を書いてください。"))
        return redirect("cases:case_detail", pk=case.pk)
    if services.return_to_author(case, by=request.user, reason=form.cleaned_data["reason"]):
        messages.success(request, _("「%(title)s」を差し戻しました。") % {"title": case.title})
    else:
        messages.info(request, _("この事例は、すでに公開されたか差し戻されています。"))
    return redirect("cases:review_queue")
