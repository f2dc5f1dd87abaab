"""The roll-out across the 33 municipalities: /rollout/, a page per municipality,
the secretariat's edits with their history, population figures, and /about/ (the
network's own timeline)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tsunagari.accounts.models import User
from tsunagari.core.access import secretariat_required
from tsunagari.geo.models import Municipality
from tsunagari.lib.spreadsheet import csv_response
from tsunagari.lib.wareki import format_wareki
from tsunagari.members.models import ROSTER_BASELINE_DATE, Organization
from tsunagari.rollout import services, tilemap
from tsunagari.rollout.forms import DUPLICATE_POPULATION, PopulationForm, RolloutForm
from tsunagari.rollout.models import MunicipalityRollout, PopulationFigure
from tsunagari.rollout.sample import SAMPLE_MARK

# The day 孤独・孤立対策推進法 took effect, and the platform with it (第1ステージ).
LAUNCH_DATE = dt.date(2024, 4, 1)


def _table_context() -> dict[str, Any]:
    figures = list(services.municipality_figures().values())
    return {
        "figures": figures,
        "tilemap": tilemap.svg(figures),
        "legend": tilemap.legend(figures),
        "sample_mark": SAMPLE_MARK,
    }


@login_not_required
def rollout(request: HttpRequest) -> HttpResponse:
    return render(request, "rollout/rollout.html", _table_context())


ROLLOUT_HEADER = [
    "団体コード",
    "市町村",
    "ステージ",
    "官民連携プラットフォーム",
    "設置日",
    "地域協議会",
    "モデル事例（実施・定着）",
    "モデル事例（すべて）",
    "構成員団体",
    "社会資源",
    "社会資源（1万人あたり）",
    "人口",
    "人口の基準日",
    "人口の出典",
    "サポーター（今年度の受講者）",
    "サンプル",
]


@login_not_required
def rollout_csv(request: HttpRequest) -> HttpResponse:
    rows = []
    for f in services.municipality_figures().values():
        r = f.rollout
        rows.append(
            [
                f.code,
                f.municipality.name,
                f.stage_number,
                r.get_local_platform_display() if r else "",
                r.local_platform_since if r and r.local_platform_since else "",
                len(f.councils),
                f.adoptions_active,
                f.adoptions_total,
                f.members,
                f.resources,
                f.resources_per_10k if f.resources_per_10k is not None else "",
                f.population.population if f.population else "",
                f.population.as_of if f.population else "",
                f.population.source_name if f.population else "",
                "<10" if f.supporters is None else f.supporters,
                "1" if r and r.is_sample else "",
            ]
        )
    return csv_response(f"展開状況_{timezone.localdate():%Y%m%d}.csv", ROLLOUT_HEADER, rows)


def _municipality_or_404(code: str) -> Municipality:
    municipality = get_object_or_404(Municipality.objects.select_related("parent"), pk=code)
    if municipality.kind == Municipality.Kind.PREFECTURE:
        raise Http404
    return municipality


def selfcheck_summary(code: str) -> Any:
    """The municipality's self-check aggregates for the current fiscal year, with the
    aggregates' own disclosure control; None when they cannot be computed."""
    from tsunagari.surveys import aggregates

    # Only the numbers are shown here: the aggregates' own labels (bands, answers, years)
    # are built in standard Japanese and never reach the page.
    with translation.override("ja"):
        try:
            return aggregates.compute(aggregates.make_filters(city=code))
        except aggregates.FilterError:
            return None


@login_not_required
def municipality(request: HttpRequest, code: str) -> HttpResponse:
    place = _municipality_or_404(code)
    if place.kind == Municipality.Kind.WARD and place.parent_id:
        return HttpResponsePermanentRedirect(
            reverse("rollout:municipality", args=[place.parent_id])
        )
    from tsunagari.matching import gap

    figures = services.municipality_figures([place.code])[place.code]
    user = request.user
    return render(
        request,
        "rollout/municipality.html",
        {
            "municipality": place,
            "f": figures,
            "rollout": figures.rollout,
            "members": services.members_in(place),
            "adoptions": services.adoptions_in(place),
            "gaps": gap.gaps(gap.area_scope(place)),
            "selfcheck": selfcheck_summary(place.code),
            "wards": list(place.wards.order_by("code")),
            "is_officer_here": user.is_authenticated
            and isinstance(user, User)
            and user.is_officer_of(place),
            "sample_mark": SAMPLE_MARK,
        },
    )


def _rollout_or_404(code: str) -> MunicipalityRollout:
    return get_object_or_404(
        MunicipalityRollout.objects.select_related("municipality"),
        pk=code,
        municipality__kind__in=Municipality.MUNICIPAL_KINDS,
    )


@secretariat_required
def rollout_edit(request: HttpRequest, code: str) -> HttpResponse:
    row = _rollout_or_404(code)
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        form = RolloutForm(request.POST, instance=MunicipalityRollout.objects.get(pk=row.pk))
        if form.is_valid():
            try:
                change = services.save_rollout(
                    row.pk,
                    {name: form.cleaned_data[name] for name in MunicipalityRollout.AUDITED_FIELDS},
                    seen=form.cleaned_data["seen"],
                    reason=form.cleaned_data["reason"],
                    by=user,
                )
            except services.StaleEdit:
                form.add_error(
                    None,
                    _(
                        "この画面を開いたあとに、ほかの人が変更を保存しました。"
                        "履歴を確認してから、もう一度開いて入力してください。"
                    ),
                )
            else:
                if change is None:
                    messages.info(request, _("変更はありませんでした。"))
                else:
                    messages.success(
                        request,
                        _("%(name)sの展開状況を保存しました。") % {"name": row.municipality.label},
                    )
                return redirect("rollout:history", code=row.pk)
    else:
        form = RolloutForm(instance=row)
    return render(request, "rollout/edit.html", {"form": form, "row": row})


@login_not_required
def rollout_history(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    assert isinstance(user, User)
    row = _rollout_or_404(code)
    if not (user.is_secretariat or user.is_officer_of(row.municipality)):
        raise PermissionDenied
    changes = list(row.changes.select_related("by"))
    labels = {
        name: str(getattr(MunicipalityRollout._meta.get_field(name), "verbose_name", name))
        for name in MunicipalityRollout.AUDITED_FIELDS
    }
    entries = [
        (
            change,
            [(labels.get(name, name), pair[0], pair[1]) for name, pair in change.changes.items()],
        )
        for change in changes
    ]
    return render(request, "rollout/history.html", {"row": row, "entries": entries})


@secretariat_required
def population(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        form = PopulationForm(request.POST)
        if form.is_valid():
            figure = form.save(commit=False)
            figure.entered_by = user
            try:
                with transaction.atomic():
                    figure.save()
            except IntegrityError:  # the same figure entered by someone else meanwhile
                form.add_error(None, DUPLICATE_POPULATION)
            else:
                messages.success(
                    request,
                    _("%(name)sの人口（%(day)s時点）を登録しました。")
                    % {"name": figure.municipality.label, "day": format_wareki(figure.as_of)},
                )
                return redirect("rollout:population")
    else:
        form = PopulationForm()
    newest = services.latest_populations()
    places = list(Municipality.objects.selectable().order_by("code"))
    rows = [(m, newest.get(m.code)) for m in places]
    return render(
        request,
        "rollout/population.html",
        {"form": form, "rows": rows, "count": PopulationFigure.objects.count()},
        status=400 if form.errors else 200,
    )


@login_not_required
def about(request: HttpRequest) -> HttpResponse:
    from tsunagari.members import services as member_services

    today = timezone.localdate()
    figures = list(services.municipality_figures().values())
    roster_day = member_services.roster_date()
    return render(
        request,
        "rollout/about.html",
        {
            "launch_date": LAUNCH_DATE,
            "baseline_date": ROSTER_BASELINE_DATE,
            "baseline_count": Organization.objects.members_on(ROSTER_BASELINE_DATE).count(),
            "roster_day": roster_day,
            "members_today": Organization.objects.members_on(today).count(),
            "stages": services.stage_counts(figures),
            "figures": figures,
        },
    )
