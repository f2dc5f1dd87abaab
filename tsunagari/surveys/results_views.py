"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


results = results_csv = codebook_csv = responses_csv = _todo
