"""The May page, its iCalendar feed and flyer, and the secretariat's page of the month's
own items."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.awareness import flyer, month
from tsunagari.awareness.forms import AwarenessItemForm, MonthFilterForm
from tsunagari.awareness.models import AwarenessItem
from tsunagari.core.access import secretariat_required
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.lib.pdf import FontMissing
from tsunagari.lib.qr import qr_svg

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a May outside these is not a page
FLYER_AREAS = 12  # municipalities named on the flyer; the rest are counted together
FLYER_EVENTS = 8  # events named on the flyer (the earliest)
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
FAMILIES = ("awareness", "directory", "members", "geo")


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


def page_url(year: int) -> str:
    """The May page as an absolute address (the QR code and the flyer print it)."""
    return settings.SITE_URL.rstrip("/") + reverse("awareness:month", args=[year])


@login_not_required
def current(request: HttpRequest) -> HttpResponse:
    """/awareness-month/ → this May until it ends, then next May."""
    return redirect("awareness:month", year=month.year_to_show())


@login_not_required
@anonymous_page(*FAMILIES)
def month_page(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    form = MonthFilterForm(request.GET, year=year)
    events = month.month_events(year, form.filters())
    ctx = {
        "year": year,
        "month_label": month.month_label(year),
        "form": form,
        "filtered": form.is_filtered(),
        "groups": month.group_events(events),
        "total": len(events),
        "items": month.month_items(year),
        "places": month.map_places(events),
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
        "map_options": {"interactive": False},
        "today": timezone.localdate(),
    }
    return render(request, "awareness/month.html", ctx)


@login_not_required
@anonymous_page(*FAMILIES)
def month_ics(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    response = HttpResponse(month.calendar(year), content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="awareness-month-{year}.ics"'
    return response


def flyer_context(year: int) -> dict[str, Any]:
    events = month.month_events(year)
    counts = month.counts_by_area(events)
    shown, rest = counts[:FLYER_AREAS], counts[FLYER_AREAS:]
    items = month.month_items(year)
    return {
        "year": year,
        "first": month.may_days(year)[0],
        "month_label": month.month_label(year),
        "items": items,
        "total": len(events),
        "counts": shown,
        "other_areas": len(rest),
        "other_count": sum(n for _name, n in rest),
        "highlights": events[:FLYER_EVENTS],
        "url": page_url(year),
        "has_samples": any(e.resource.is_sample for e in events) or any(i.is_sample for i in items),
    }


@login_not_required
@anonymous_page(*FAMILIES)
def flyer_page(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    ctx = flyer_context(year)
    ctx["qr"] = qr_svg(ctx["url"], title=_("このページのQRコード"), inline=True).decode()
    return render(request, "awareness/flyer.html", ctx)


@login_not_required
@anonymous_page(*FAMILIES)  # the PDF takes about a second to lay out: kept like the pages
def flyer_pdf(request: HttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    try:
        body = flyer.render(flyer_context(year))
    except FontMissing:
        return render(request, "surveys/paper_no_font.html", status=503)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="awareness-month-{year}.pdf"'
    return response


# --- The secretariat's page of the month's own items ----------------------------------


@secretariat_required
def item_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    ctx = {
        "items": AwarenessItem.objects.order_by("-starts_on", "kind", "pk"),
        "year": month.year_to_show(today),
    }
    return render(request, "awareness/item_list.html", ctx)


@secretariat_required
def item_new(request: HttpRequest) -> HttpResponse:
    form = AwarenessItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = form.save()
        messages.success(request, _("「%(title)s」を登録しました。") % {"title": item.title})
        return redirect("awareness:item_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "awareness/item_form.html", {"form": form}, status=status)


@secretariat_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AwarenessItem, pk=pk)
    form = AwarenessItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Saved only while the row is still there: a removal in between wins, kindly.
            if not AwarenessItem.objects.select_for_update().filter(pk=pk).exists():
                messages.error(request, _("この取組はほかの操作で削除されていました。"))
                return redirect("awareness:item_list")
            item = form.save()
        messages.success(request, _("「%(title)s」を更新しました。") % {"title": item.title})
        return redirect("awareness:item_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "awareness/item_form.html", {"form": form, "item": item}, status=status)


@require_POST
@secretariat_required
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _rows = AwarenessItem.objects.filter(pk=pk).delete()
    if deleted:
        messages.success(request, _("取組を削除しました。"))
    else:
        messages.info(request, _("この取組はすでに削除されていました。"))
    return redirect("awareness:item_list")
