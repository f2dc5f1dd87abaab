"""Adoption by the municipalities' officers, the adoptions overview, and a case's
recipe PDF and JSON."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tsunagari.cases import adoption as services
from tsunagari.cases import exports
from tsunagari.cases.adoption_forms import AdoptionForm
from tsunagari.cases.models import CaseAdoption, ModelCase
from tsunagari.directory.models import TargetGroup
from tsunagari.geo.models import Municipality
from tsunagari.lib.pdf import FontMissing
from tsunagari.members.models import Theme


def adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer marks where their municipality stands with a published case."""
    municipalities = services.municipalities_of(request.user)
    if not municipalities:
        raise PermissionDenied
    case = get_object_or_404(ModelCase.objects.published(), pk=pk)
    chosen = None
    wanted = request.GET.get("municipality", "")
    for m in municipalities:
        if m.pk == wanted:
            chosen = m
    form = AdoptionForm(
        request.POST or None, case=case, municipalities=municipalities, chosen=chosen
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.set_stage(
                case,
                data["municipality"],
                stage=data["stage"],
                on=data["on"],
                note=data["note"],
                collaboration=data["collaboration"],
                resource=data["resource"],
                by=request.user,
            )
        except services.NotPublished:
            raise Http404 from None
        stage = outcome.adoption.get_stage_display()
        place = data["municipality"].label
        if outcome.moved:
            messages.success(
                request,
                _("%(place)sの段階を「%(stage)s」にしました。") % {"place": place, "stage": stage},
            )
        else:
            messages.success(request, _("%(place)sの記録を更新しました。") % {"place": place})
        return redirect("cases:case_detail", pk=case.pk)
    current = list(
        CaseAdoption.objects.filter(case=case, municipality__in=municipalities)
        .select_related("municipality")
        .prefetch_related("history")
    )
    return render(
        request,
        "cases/adoption_form.html",
        {"case": case, "form": form, "current": current, "several": len(municipalities) > 1},
    )


def adoption_list(request: HttpRequest) -> HttpResponse:
    """Officers: their municipality's adoptions. The secretariat: all of them, with the
    counts per stage and municipality (the third stage's measure)."""
    user: Any = request.user
    secretariat = bool(getattr(user, "is_secretariat", False))
    municipalities = services.municipalities_of(user)
    if not secretariat and not municipalities:
        raise PermissionDenied
    if secretariat:
        rows = list(services.adoptions().order_by("municipality__code", "case__title"))
        counts = services.adoption_counts()
        names = {m.pk: m for m in Municipality.objects.filter(pk__in=counts).order_by("code")}
        per_municipality = [
            {
                "municipality": names[code],
                "stages": [per[s] for s in services.STAGES],
                "total": sum(per.values()),
            }
            for code, per in sorted(counts.items())
            if code in names
        ]
        totals = services.stage_totals(counts)
    else:
        rows = list(services.officer_adoptions(municipalities))
        per_municipality = []
        totals = {}
    return render(
        request,
        "cases/adoption_list.html",
        {
            "rows": rows,
            "secretariat": secretariat,
            "municipalities": municipalities,
            "per_municipality": per_municipality,
            "stage_labels": [str(label) for _value, label in CaseAdoption.Stage.choices],
            "totals": [totals.get(s, 0) for s in services.STAGES],
            "grand_total": sum(totals.values()),
        },
    )


def _readable_case(request: HttpRequest, pk: int) -> ModelCase:
    """A published case, or a draft for the secretariat and the writing organisation."""
    case = get_object_or_404(exports.with_everything(ModelCase.objects.all()), pk=pk)
    if case.status == ModelCase.Status.PUBLISHED:
        return case
    user: Any = request.user
    if getattr(user, "is_secretariat", False):
        return case
    if getattr(user, "is_authenticated", False) and user.may_act_for(case.organization_id):
        return case
    raise Http404


@login_not_required
def recipe_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _readable_case(request, pk)
    try:
        body = exports.render_recipe(case)
    except FontMissing:
        return render(request, "surveys/paper_no_font.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="case-{case.pk}-recipe.pdf"'
    if case.status != ModelCase.Status.PUBLISHED:
        response["Cache-Control"] = "private, no-store"
    return response


def _json(body: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
def case_json(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(exports.with_everything(ModelCase.objects.published()), pk=pk)
    return _json(exports.case_as_json(case))


@login_not_required
def cases_json(request: HttpRequest) -> HttpResponse:
    """Every published case; ?municipality=, ?theme=, ?target_group=, ?q= narrow it
    (an unknown value is ignored, as on the list page)."""
    place = None
    code = request.GET.get("municipality", "")
    if code:
        place = Municipality.objects.filter(pk=code[:6]).first()
        if place is not None and place.kind == Municipality.Kind.PREFECTURE:
            place = None
    theme = request.GET.get("theme", "")
    theme_id = int(theme) if theme.isdigit() and len(theme) < 10 else None
    if theme_id is not None and not Theme.objects.filter(pk=theme_id).exists():
        theme_id = None
    target = request.GET.get("target_group", "")[:40]
    if target and not TargetGroup.objects.filter(slug=target).exists():
        target = ""
    cases = exports.filter_cases(
        ModelCase.objects.published(),
        municipality=place,
        theme=theme_id,
        target_group=target or None,
        q=request.GET.get("q", "")[:100],
    )
    return _json(exports.cases_as_json(cases))
