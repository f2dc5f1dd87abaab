from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagari.audit.models import AuditEvent
from tsunagari.core.access import secretariat_required


@secretariat_required
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.select_related("actor")
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        qs = qs.filter(action=action)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_log.html",
        {"page": page, "action": action, "actions": AuditEvent.Action.choices},
    )
