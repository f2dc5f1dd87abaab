"""Local councils (孤独・孤立対策地域協議会): the public list and notice, and the
officers' forms. The public pages are not kept in the page cache (they are small and
change when an officer saves)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tsunagari.audit.models import snapshot
from tsunagari.core.forms import StaleEdit, save_edit
from tsunagari.councils.access import can_manage, get_council_for_manager, require_register
from tsunagari.councils.forms import CouncilForm, CouncilMemberFormSet, municipalities_for
from tsunagari.councils.models import LocalCouncil

FIELDS = ["municipality", "name", "coordinating_body", "established_on", "notice", "source_url"]


@login_not_required
def council_list(request: HttpRequest) -> HttpResponse:
    councils = LocalCouncil.objects.select_related("municipality").order_by(
        "municipality__code", "name"
    )
    return render(
        request,
        "councils/council_list.html",
        {"councils": councils, "can_register": _can_register(request.user)},
    )


def _can_register(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False)) or bool(
        getattr(user, "is_municipality_officer", False)
    )


@login_not_required
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public notice (孤独・孤立対策推進法 第15条); the council's meetings for its
    municipality's officers and the secretariat."""
    council = get_object_or_404(LocalCouncil.objects.select_related("municipality"), pk=pk)
    members = list(council.member_bodies.select_related("organization"))
    manager = can_manage(request.user, council)
    meetings = list(council.meetings.order_by("-starts_at", "-id")) if manager else []
    return render(
        request,
        "councils/council_detail.html",
        {"council": council, "members": members, "manager": manager, "meetings": meetings},
    )


def _state(council: LocalCouncil) -> dict[str, Any]:
    """What the audit log compares: the fields and the member bodies' names."""
    return {
        **snapshot(council, FIELDS),
        "member_bodies": [m.name for m in council.member_bodies.all()],
    }


def _save(request: HttpRequest, council: LocalCouncil | None) -> HttpResponse:
    user: Any = request.user
    form = CouncilForm(
        request.POST or None, instance=council, municipalities=municipalities_for(user)
    )
    formset = CouncilMemberFormSet(request.POST or None, instance=council, prefix="members")
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = save_edit(form, formset, council, state=_state, fields=FIELDS, by=user)
        except StaleEdit:  # an edit made meanwhile by someone else is not overwritten
            status = 409
        else:
            messages.success(
                request, _("地域協議会「%(name)s」を保存しました。") % {"name": saved.name}
            )
            return redirect("councils:council_detail", pk=saved.pk)
    return render(
        request,
        "councils/council_form.html",
        {"form": form, "formset": formset, "council": council},
        status=status,
    )


def council_new(request: HttpRequest) -> HttpResponse:
    require_register(request)
    return _save(request, None)


def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = get_council_for_manager(request, pk)
    return _save(request, council)
