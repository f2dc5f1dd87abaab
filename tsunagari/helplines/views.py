"""The public help page and the secretariat's pages of the national lines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.audit.models import AuditEvent
from tsunagari.core.access import secretariat_required
from tsunagari.helplines import services
from tsunagari.helplines.forms import PeriodForm, RetireForm, ReverifyForm
from tsunagari.helplines.models import NationalLine
from tsunagari.helplines.wording import asks_for_easy


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    """「いますぐ助けが必要なとき」: 110 / 119 and every published national line."""
    easy = asks_for_easy(request.GET.get("wording"))
    return render(request, "helplines/help.html", {"easy": easy})


@secretariat_required
def line_list(request: HttpRequest) -> HttpResponse:
    lines = NationalLine.objects.select_related("verified_by").order_by("status", "position", "pk")
    return render(request, "helplines/line_list.html", {"lines": lines})


def _get_line(pk: int) -> NationalLine:
    return get_object_or_404(NationalLine.objects.select_related("verified_by"), pk=pk)


def _detail(
    request: HttpRequest, line: NationalLine, *, status: int = 200, **forms: Any
) -> HttpResponse:
    ctx = {
        "line": line,
        "verify_form": forms.get("verify_form") or ReverifyForm(line=line),
        "retire_form": forms.get("retire_form") or RetireForm(),
        "period_form": forms.get("period_form")
        or PeriodForm(initial={"starts_on": line.period_starts_on, "ends_on": line.period_ends_on}),
        "history": AuditEvent.objects.for_object(line).select_related("actor"),
    }
    return render(request, "helplines/line_detail.html", ctx, status=status)


@secretariat_required
def line_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_line(pk))


def _done(request: HttpRequest, line: NationalLine, ok: bool, message: str) -> HttpResponse:
    if ok:
        messages.success(request, message % {"name": line.name_ja})
    else:
        messages.error(
            request,
            _("「%(name)s」はほかの操作で状態が変わっていたため、変更しませんでした。")
            % {"name": line.name_ja},
        )
    return redirect("helplines:line_detail", pk=line.pk)


@require_POST
@secretariat_required
def line_verify(request: HttpRequest, pk: int) -> HttpResponse:
    line = _get_line(pk)
    form = ReverifyForm(request.POST, line=line)
    if not form.is_valid():
        return _detail(request, line, status=400, verify_form=form)
    ok = services.reverify(
        line,
        by=request.user,
        source_url=form.cleaned_data["source_url"],
        source_seen=form.cleaned_data["source_seen"],
    )
    return _done(request, line, ok, _("「%(name)s」を確認済みにしました。"))


@require_POST
@secretariat_required
def line_retire(request: HttpRequest, pk: int) -> HttpResponse:
    line = _get_line(pk)
    form = RetireForm(request.POST)
    if not form.is_valid():
        return _detail(request, line, status=400, retire_form=form)
    ok = services.retire(line, by=request.user, reason=form.cleaned_data["reason"])
    return _done(request, line, ok, _("「%(name)s」の掲載を終了しました。"))


@require_POST
@secretariat_required
def line_restore(request: HttpRequest, pk: int) -> HttpResponse:
    line = _get_line(pk)
    ok = services.restore(line, by=request.user)
    return _done(request, line, ok, _("「%(name)s」の掲載を再開しました。"))


@require_POST
@secretariat_required
def line_period(request: HttpRequest, pk: int) -> HttpResponse:
    line = _get_line(pk)
    if not line.period_only:
        messages.error(request, _("この窓口は常設のため、実施期間はありません。"))
        return redirect("helplines:line_detail", pk=line.pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _detail(request, line, status=400, period_form=form)
    ok = services.set_period(
        line,
        by=request.user,
        starts_on=form.cleaned_data["starts_on"],
        ends_on=form.cleaned_data["ends_on"],
    )
    return _done(request, line, ok, _("「%(name)s」の実施期間を保存しました。"))
