"""Pages where member staff manage their resources and the secretariat oversees all."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import ActingFor
from tsunagari.core.access import secretariat_required
from tsunagari.directory import services
from tsunagari.directory.access import (
    get_report_for_user,
    get_resource_for_user,
    is_secretariat,
    managed_resources,
    require_resource_manager,
)
from tsunagari.directory.forms import (
    ErrorReportForm,
    LocationFormSet,
    ResourceFilterForm,
    ResourceForm,
    ScheduleFormSet,
    UnpublishForm,
    add_row,
    term_form_class,
    without_errors,
)
from tsunagari.directory.models import (
    AccessibilityFeature,
    Concern,
    ErrorReport,
    Kind,
    Resource,
    TargetGroup,
    Term,
)
from tsunagari.directory.sample import CENTRES
from tsunagari.geo.models import Municipality
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.members import services as member_services

LOCATIONS_PREFIX = "loc"
SCHEDULES_PREFIX = "sch"

# The form's fields in the order and groups a person fills them in.
SECTIONS = [
    (
        gettext_lazy("基本情報"),
        ["organization", "provider_name", "name", "name_kana", "description"],
    ),
    (
        gettext_lazy("分類"),
        ["kinds", "target_groups", "concerns", "languages", "accessibility", "accessibility_note"],
    ),
    (
        gettext_lazy("地域・オンライン"),
        ["service_area", "is_online", "online_only"],
    ),
    (
        gettext_lazy("費用・参加方法"),
        ["is_free", "fee", "capacity", "how_to_join", "hours_note", "is_24h"],
    ),
    (gettext_lazy("問い合わせ先"), ["contact_name", "phone", "email", "url"]),
    (
        gettext_lazy("公開と確認"),
        ["status", "source", "last_verified_on", "is_sample"],
    ),
]

TAXONOMY_PAGES: dict[str, type[Term]] = {
    "kinds": Kind,
    "targets": TargetGroup,
    "concerns": Concern,
    "accessibility": AccessibilityFeature,
}


# Resources


def pin_centres() -> dict[str, tuple[float, float]]:
    """Where the pin picker opens for a place in each municipality (a ward: its city's
    centre); the approximate centres the sample data pins by."""
    centres = dict(CENTRES)
    wards = Municipality.objects.filter(kind=Municipality.Kind.WARD, parent__isnull=False)
    for code, parent in wards.values_list("code", "parent_id"):
        if parent in CENTRES:
            centres[code] = CENTRES[parent]
    return centres


def resource_list(request: HttpRequest) -> HttpResponse:
    require_resource_manager(request)
    secretariat = is_secretariat(request.user)
    qs = managed_resources(request.user)
    filters = ResourceFilterForm(request.GET or None) if secretariat else None
    if filters is not None and filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(name__icontains=data["q"])
                | Q(provider_name__icontains=data["q"])
                | Q(organization__name__icontains=data["q"])
            )
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["organization"]:
            qs = qs.filter(organization=data["organization"])
        if data["stale"]:
            qs = qs.stale()
    rows = (
        qs.select_related("organization")
        .prefetch_related("kinds")
        .annotate(open_reports=Count("error_reports", filter=Q(error_reports__status="open")))
        .order_by("-updated_at", "-id")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/manage/resource_list.html",
        {"page": page, "filters": filters, "secretariat": secretariat},
    )


def resource_new(request: HttpRequest) -> HttpResponse:
    require_resource_manager(request)
    return _resource_form_page(request, Resource())


def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request, pk)
    return _resource_form_page(request, resource)


def _resource_form_page(request: HttpRequest, resource: Resource) -> HttpResponse:
    """Create or edit a resource with its places and schedules.

    「場所を追加」「日程を追加」 are submit buttons: the page comes back with one more
    blank row and everything typed so far, without saving and without JavaScript.
    """
    data: Any = request.POST if request.method == "POST" else None
    adding = None
    if data is not None:
        if "add_location" in data:
            adding, data = "location", add_row(data, LOCATIONS_PREFIX)
        elif "add_schedule" in data:
            adding, data = "schedule", add_row(data, SCHEDULES_PREFIX)
    form = ResourceForm(data, instance=resource, user=request.user)
    acting = None
    if resource.pk is None and not is_secretariat(request.user):
        acting = ActingFor(request)
        acting.add_to(form)
    locations = LocationFormSet(data, instance=form.instance, prefix=LOCATIONS_PREFIX)
    schedules = ScheduleFormSet(data, instance=form.instance, prefix=SCHEDULES_PREFIX)
    schedules.set_locations(locations)
    if data is not None and adding:
        without_errors(form, locations, schedules)
    elif data is not None:
        form_ok = form.is_valid()
        locations.online_only = bool(form.cleaned_data.get("online_only"))  # type: ignore[attr-defined]
        if all([form_ok, locations.is_valid(), schedules.is_valid()]):
            creating = resource.pk is None
            if acting is not None:
                acting.organization(form)  # remembered for next time
            saved = services.save_resource(form, locations, schedules, by=request.user)
            if creating:
                messages.success(request, _("「%(name)s」を登録しました。") % {"name": saved.name})
            else:
                messages.success(request, _("「%(name)s」を保存しました。") % {"name": saved.name})
            return redirect("directory:manage_resource_list")
    sections = [
        (legend, [form[name] for name in names if name in form.fields])
        for legend, names in SECTIONS
    ]
    if "acting_for" in form.fields:
        sections.insert(0, (gettext_lazy("どの立場で"), [form["acting_for"]]))
    return render(
        request,
        "directory/manage/resource_form.html",
        {
            "resource": resource if resource.pk else None,
            "form": form,
            "sections": sections,
            "locations": locations,
            "schedules": schedules,
            "adding": adding,
            "secretariat": is_secretariat(request.user),
            "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
            "pin_centres": pin_centres(),
        },
        status=400 if data is not None and not adding else 200,
    )


@require_POST
def resource_verify(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request, pk)
    if services.mark_verified(resource, by=request.user):
        messages.success(
            request, _("「%(name)s」の情報を確認済みにしました。") % {"name": resource.name}
        )
    else:
        messages.info(
            request, _("「%(name)s」の情報はすでに今日確認済みです。") % {"name": resource.name}
        )
    return redirect("directory:manage_resource_edit", pk=pk)


def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request, pk)
    if request.method == "POST":
        name = resource.name
        if services.delete_resource(resource, by=request.user):
            messages.success(request, _("「%(name)s」を削除しました。") % {"name": name})
        else:
            messages.info(request, _("「%(name)s」はすでに削除されています。") % {"name": name})
        return redirect("directory:manage_resource_list")
    return render(request, "directory/manage/resource_delete.html", {"resource": resource})


@secretariat_required
def resource_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request, pk)
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish(resource, by=request.user, reason=form.cleaned_data["reason"])
        except AlreadyChanged as e:
            messages.info(request, e.message)
        else:
            messages.success(
                request, _("「%(name)s」を非公開にしました。") % {"name": resource.name}
            )
        return redirect("directory:manage_resource_edit", pk=pk)
    return render(
        request,
        "directory/manage/resource_unpublish.html",
        {"resource": resource, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@secretariat_required
def resource_republish(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request, pk)
    try:
        services.republish(resource, by=request.user)
    except AlreadyChanged as e:
        messages.info(request, e.message)
    else:
        messages.success(request, _("「%(name)s」を再公開しました。") % {"name": resource.name})
    return redirect("directory:manage_resource_edit", pk=pk)


def _field_label(name: str) -> str:
    extra = {"locations": _("場所"), "schedules": _("日程")}
    if name in extra:
        return extra[name]
    try:
        field = Resource._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _shown(name: str, value: Any) -> str:
    if value in (None, "", []):
        return _("（空）")
    if value is True:
        return _("はい")
    if value is False:
        return _("いいえ")
    if name == "status":
        return str(dict(Resource.Status.choices).get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


EVENT_NOTES = {
    services.REMINDER_NOTE: gettext_lazy("確認のお願いのメールを送りました"),
    services.VERIFIED_NOTE: gettext_lazy("情報を確認しました"),
}


def resource_history(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource_for_user(request, pk)
    events = []
    for event in services.history(resource)[:200]:
        changes = [
            (_field_label(name), _shown(name, old), _shown(name, new))
            for name, (old, new) in event.changes.items()
        ]
        note = EVENT_NOTES.get(event.note, event.note)
        events.append((event, changes, note))
    return render(
        request, "directory/manage/resource_history.html", {"resource": resource, "events": events}
    )


# Taxonomies


def _taxonomy(slug: str) -> type[Term]:
    if slug not in TAXONOMY_PAGES:
        raise Http404
    return TAXONOMY_PAGES[slug]


@secretariat_required
def taxonomy_index(request: HttpRequest) -> HttpResponse:
    taxonomies = [(slug, model._meta.verbose_name) for slug, model in TAXONOMY_PAGES.items()]
    return render(request, "directory/manage/taxonomy_index.html", {"taxonomies": taxonomies})


@secretariat_required
def term_list(request: HttpRequest, taxonomy: str) -> HttpResponse:
    model = _taxonomy(taxonomy)
    terms = model.objects.annotate(resource_count=Count("resources")).order_by(  # type: ignore[attr-defined]
        "sort_order", "id"
    )
    return render(
        request,
        "directory/manage/term_list.html",
        {"taxonomy": taxonomy, "title": model._meta.verbose_name, "terms": terms},
    )


@secretariat_required
def term_edit(request: HttpRequest, taxonomy: str, pk: int | None = None) -> HttpResponse:
    model = _taxonomy(taxonomy)
    term = get_object_or_404(model, pk=pk) if pk else model()
    form = term_form_class(model)(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        member_services.save_with_audit(
            form,
            by=request.user,  # type: ignore[arg-type]
            fields=["slug", "name", "name_en", "description", "sort_order", "is_active"],
        )
        messages.success(request, _("「%(name)s」を保存しました。") % {"name": form.instance.name})
        return redirect("directory:manage_term_list", taxonomy=taxonomy)
    return render(
        request,
        "directory/manage/term_form.html",
        {"taxonomy": taxonomy, "title": model._meta.verbose_name, "term": term, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# Error reports


def report_list(request: HttpRequest) -> HttpResponse:
    require_resource_manager(request)
    status = request.GET.get("status", ErrorReport.Status.OPEN)
    if status not in ErrorReport.Status.values:
        status = "all"
    qs = ErrorReport.objects.filter(resource__in=managed_resources(request.user)).select_related(
        "resource", "resource__organization", "resolved_by"
    )
    if status != "all":
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/manage/report_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*ErrorReport.Status.choices, ("all", _("すべて"))],
            "secretariat": is_secretariat(request.user),
        },
    )


@require_POST
def report_close(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_report_for_user(request, pk)
    targets = {"resolve": ErrorReport.Status.RESOLVED, "dismiss": ErrorReport.Status.DISMISSED}
    if action not in targets:
        raise Http404
    try:
        services.close_error_report(report, by=request.user, status=targets[action])
    except AlreadyChanged as e:
        messages.info(request, e.message)
        return redirect("directory:manage_report_list")
    messages.success(
        request,
        _("「%(name)s」への報告を「%(status)s」にしました。")
        % {"name": report.resource.name, "status": report.get_status_display()},
    )
    return redirect("directory:manage_report_list")


def _get_public_resource(pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("organization"), pk=pk)
    if resource.status != Resource.Status.PUBLISHED:
        raise Http404
    return resource


# Generous enough for a family or a community centre sharing one connection.
REPORT_LIMIT = RateLimit("report", per_network=10, overall=300, window=3600)


@login_not_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """「情報の誤りを報告」: anyone may say a resource's information is wrong."""
    resource = _get_public_resource(pk)
    form = ErrorReportForm(request.POST or None, instance=ErrorReport(resource=resource))
    if request.method == "POST":
        if REPORT_LIMIT.exceeded(request):
            # Nothing is checked or stored; what was typed stays on the page.
            return render(
                request,
                "directory/report.html",
                {"resource": resource, "form": form, "limited": True},
                status=429,
            )
        valid = form.is_valid()
        if form.is_from_a_robot:
            # A robot sees the same thanks; nothing is stored and nothing is sent.
            REPORT_LIMIT.hit(request)
            return redirect("directory:report_thanks", pk=pk)
        if valid and not REPORT_LIMIT.take(request):
            # Counted atomically: of reports sent at once, only the limit's worth pass.
            return render(
                request,
                "directory/report.html",
                {"resource": resource, "form": form, "limited": True},
                status=429,
            )
        if valid:
            report = form.save(commit=False)
            report.created_on = timezone.localdate()
            services.submit_error_report(report)
            return redirect("directory:report_thanks", pk=pk)
    return render(
        request,
        "directory/report.html",
        {"resource": resource, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_not_required
def report_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _get_public_resource(pk)
    return render(request, "directory/report_thanks.html", {"resource": resource})
