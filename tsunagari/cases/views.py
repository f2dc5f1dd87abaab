"""The model-case library (skeleton: the list and a case; the issue-15 work fills them)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tsunagari.cases.models import ModelCase


@login_not_required
def case_list(request: HttpRequest) -> HttpResponse:
    cases = ModelCase.objects.published()
    return render(request, "cases/case_list.html", {"cases": cases})


@login_not_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(ModelCase.objects.published(), pk=pk)
    return render(request, "cases/case_detail.html", {"case": case})
