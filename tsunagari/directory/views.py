"""Public pages of the directory: search, detail, consultation windows, print."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/search.html", {})
