"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


selfcheck_pdf = selfcheck_entry = campaign_pdf = campaign_entry = _todo
