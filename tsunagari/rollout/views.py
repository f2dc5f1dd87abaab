"""The roll-out across the 33 municipalities (skeleton; the issue-15 work fills it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagari.rollout.models import MunicipalityRollout


@login_not_required
def rollout(request: HttpRequest) -> HttpResponse:
    rows = MunicipalityRollout.objects.select_related("municipality")
    return render(request, "rollout/rollout.html", {"rows": rows})
