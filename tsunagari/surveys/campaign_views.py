"""Placeholder: written by its owner."""

from django.http import HttpResponse


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


campaign_list = campaign_new = campaign_detail = campaign_edit = campaign_qr = _todo
campaign_report = campaign_csv = item_list = item_new = answer = answer_thanks = _todo
