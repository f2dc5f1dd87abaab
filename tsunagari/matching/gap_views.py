"""The gap view for the secretariat and municipality officers, as a page and as CSV.

A municipality officer starts with their own municipality (a designated city with its
wards) and may widen the view to the whole prefecture or another municipality.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.geo.models import Municipality
from tsunagari.lib.spreadsheet import csv_response
from tsunagari.matching import gap

ALL = "all"


class AreaForm(forms.Form):
    area = forms.ChoiceField(label=_("地域"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (ALL, _("神奈川県全体")),
            *Municipality.objects.municipalities().values_list("code", "name"),
        ]


def _require_gap_reader(request: HttpRequest) -> None:
    user = request.user
    if not (
        getattr(user, "is_secretariat", False) or getattr(user, "is_municipality_officer", False)
    ):
        raise PermissionDenied


def _area(request: HttpRequest) -> tuple[AreaForm, Municipality | None]:
    """The municipality chosen (None for the whole prefecture); an officer's own by default."""
    user = request.user
    default = None
    if getattr(user, "is_municipality_officer", False):
        default = user.officer_municipalities.order_by("code").first()  # type: ignore[union-attr]
        if default is not None and default.kind == Municipality.Kind.WARD:
            default = default.parent
    form = AreaForm(request.GET or {"area": default.code if default else ALL})
    if not form.is_valid() or form.cleaned_data["area"] in ("", ALL):
        return form, None
    return form, Municipality.objects.prefetch_related("wards").get(code=form.cleaned_data["area"])


def gap_view(request: HttpRequest) -> HttpResponse:
    _require_gap_reader(request)
    form, municipality = _area(request)
    codes = gap.area_scope(municipality) if municipality is not None else None
    result = gap.gaps(codes)
    unmet = list(gap.unmet_needs(codes)[:100])
    return render(
        request,
        "matching/gap.html",
        {
            "form": form,
            "municipality": municipality,
            "result": result,
            "unmet": unmet,
            "threshold": gap.GOOD_MATCH_SCORE,
            "query": request.GET.urlencode(),
        },
    )


def gap_csv(request: HttpRequest) -> HttpResponse:
    _require_gap_reader(request)
    _form, municipality = _area(request)
    codes = gap.area_scope(municipality) if municipality is not None else None
    area = municipality.name if municipality is not None else "神奈川県"
    filename = f"ニーズとシーズのギャップ_{area}_{timezone.localdate():%Y%m%d}.csv"
    return csv_response(filename, gap.CSV_HEADER, gap.csv_rows(gap.gaps(codes)))
