"""Placeholder: written by its owner."""

from django.http import HttpResponse


def selfcheck(request):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)
