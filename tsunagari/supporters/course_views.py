"""Courses (講座): the public list and detail with the sign-up form, and the organiser's
pages (my courses, new, edit, publish, cancel).

The public pages are cached for anonymous visitors (lib/pagecache.py, family
`supporters`, bumped by registrations.py and courses.py on every change of seats or
courses). A draft is seen only by its organiser; a cancelled course stays visible with
a notice, so that a person who had its link learns what happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import FRESH_TOKEN
from tsunagari.lib.pagecache import anonymous_page
from tsunagari.lib.ratelimit import RateLimit
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.lib.wareki import format_wareki_month
from tsunagari.members.forms import MunicipalityChoiceField
from tsunagari.supporters import courses as course_services
from tsunagari.supporters import registrations
from tsunagari.supporters.access import (
    courses_managed_by,
    get_course_for_manager,
    may_manage_course,
    require_organiser,
)
from tsunagari.supporters.course_forms import CourseForm, OrganiserChoice
from tsunagari.supporters.models import Course, CourseQuerySet, Registration
from tsunagari.supporters.registration_forms import RegistrationForm

FAMILIES = ("supporters", "directory", "geo", "members")
# A community centre's sign-up desk may share one connection: generous per network.
LIMIT = RateLimit("course-registration", per_network=10, overall=500, window=3600)
MONTHS_AHEAD = 12


def with_counts(qs: CourseQuerySet) -> CourseQuerySet:
    """Courses with what a list shows, and their confirmed and waiting counts, in one query."""
    return qs.select_related(
        "organization", "organizing_municipality", "municipality", "location__municipality"
    ).annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
    )


def seats(course: Course) -> dict[str, Any]:
    """Seats left, and whether a sign-up now would wait."""
    confirmed = getattr(course, "confirmed_count", None)
    if confirmed is None:
        confirmed = registrations.seats_taken(course)
    left = max(0, course.capacity - confirmed)
    return {"left": left, "full": left == 0, "open": course.is_open_for_registration}


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = [("", str(gettext_lazy("すべての月")))]
    year, month = today.year, today.month
    for _i in range(MONTHS_AHEAD):
        first = dt.date(year, month, 1)
        label = format_wareki_month(first) if _is_japanese() else first.strftime("%Y-%m")
        choices.append((f"{year:04d}-{month:02d}", label))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


def _is_japanese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "ja").startswith("ja")


class CourseFilterForm(forms.Form):
    municipality = MunicipalityChoiceField(
        label=gettext_lazy("市町村"), required=False, blank_label=gettext_lazy("すべての市町村")
    )
    month = forms.ChoiceField(label=gettext_lazy("月"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(timezone.localdate())  # type: ignore[attr-defined]

    def apply(self, qs: CourseQuerySet) -> CourseQuerySet:
        if not self.is_valid():
            return qs
        place: Municipality | None = self.cleaned_data.get("municipality")
        if place is not None:
            city = place.city_code
            if place.kind == Municipality.Kind.PREFECTURE:
                pass
            else:
                qs = qs.filter(Q(municipality_id=city) | Q(municipality_id=place.pk))
        month = self.cleaned_data.get("month")
        if month:
            year, number = (int(part) for part in month.split("-"))
            first = timezone.make_aware(dt.datetime(year, number, 1))
            after = timezone.make_aware(
                dt.datetime(year + (number == 12), 1 if number == 12 else number + 1, 1)
            )
            qs = qs.filter(starts_at__gte=first, starts_at__lt=after)
        return qs


# Public pages


@login_not_required
@anonymous_page(*FAMILIES)
def course_list(request: HttpRequest) -> HttpResponse:
    """/supporters/: what a つながりサポーター is, and the courses to come."""
    filters = CourseFilterForm(request.GET)
    rows = list(with_counts(filters.apply(Course.objects.upcoming())))
    return render(
        request,
        "supporters/course_list.html",
        {
            "filters": filters,
            "filtered": bool(request.GET.get("municipality") or request.GET.get("month")),
            "rows": [(course, seats(course)) for course in rows],
        },
    )


def get_course_for_viewer(request: HttpRequest, pk: int) -> Course:
    """A published or cancelled course is everyone's; a draft only its organiser's
    (anyone else gets 404, as for a course that never existed)."""
    course = get_object_or_404(
        Course.objects.select_related(
            "organization",
            "organizing_municipality",
            "municipality",
            "location__municipality",
            "location__resource",
        ),
        pk=pk,
    )
    if course.status == Course.Status.DRAFT and not may_manage_course(request.user, course):
        raise Http404
    return course


def _detail_page(
    request: HttpRequest, course: Course, form: RegistrationForm, status: int = 200, **extra: Any
) -> HttpResponse:
    location = course.location
    places = []
    if location is not None and (coordinates := location.public_coordinates) is not None:
        places = [{"name": location.name, "lat": coordinates[0], "lon": coordinates[1]}]
    context = {
        "course": course,
        "seats": seats(course),
        "form": form,
        "places": places,
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION},
        "languages": list(course.languages.all()),
        "features": list(course.accessibility.all()),
        "manager": may_manage_course(request.user, course),
        **extra,
    }
    return render(request, "supporters/course_detail.html", context, status=status)


@login_not_required
@anonymous_page(*FAMILIES, fresh=[FRESH_TOKEN])  # GET only: POSTs are never cached
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The course, its place and map, and the sign-up form (posted here)."""
    course = get_course_for_viewer(request, pk)
    if request.method != "POST":
        return _detail_page(request, course, RegistrationForm())
    form = RegistrationForm(request.POST)
    if LIMIT.exceeded(request):
        return _detail_page(request, course, form, status=429, limited=True)
    valid = form.is_valid()
    if form.is_from_a_robot:
        LIMIT.hit(request)
        return redirect("supporters:course_detail", pk=course.pk)
    if not valid:
        return _detail_page(request, course, form, status=400)
    try:
        registration = registrations.register(course, form.cleaned_data)
    except registrations.RegistrationClosed as closed:
        return _detail_page(request, course, form, status=409, closed=closed.message)
    except registrations.AlreadyRegistered as already:
        LIMIT.hit(request)
        return render(
            request,
            "supporters/registration_exists.html",
            {"course": course, "by_email": bool(already.registration.email)},
            status=409,
        )
    LIMIT.hit(request)
    return redirect("supporters:registration_thanks", token=registration.token)


# The organiser's pages


def manage_course_list(request: HttpRequest) -> HttpResponse:
    """「わたしの講座」: the courses the person organises, with their counts."""
    require_organiser(request)
    show = request.GET.get("show", "upcoming")
    qs = courses_managed_by(request.user)
    if show == "past":
        qs = qs.filter(starts_at__lt=timezone.now()).order_by("-starts_at", "-id")
    else:
        show = "upcoming"
        qs = qs.filter(starts_at__gte=timezone.now() - dt.timedelta(hours=12))
    return render(
        request,
        "supporters/manage_course_list.html",
        {"courses": list(with_counts(qs)), "show": show},
    )


def _form_page(
    request: HttpRequest, form: CourseForm, course: Course | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "supporters/manage_course_form.html",
        {"form": form, "course": course},
        status=status,
    )


def manage_course_new(request: HttpRequest) -> HttpResponse:
    require_organiser(request)
    choice = OrganiserChoice(request)
    form = CourseForm(request.POST or None, user=request.user)
    choice.add_to(form)
    if request.method == "POST" and form.is_valid():
        organiser = choice.chosen(form)
        form.instance.organization = organiser.organization
        form.instance.organizing_municipality = organiser.municipality
        course = course_services.create(form, by=request.user)
        messages.success(
            request,
            _(
                "講座「%(title)s」を下書きとして保存しました。内容を確かめて「公開する」を押してください。"
            )
            % {"title": course.title},
        )
        return redirect("supporters:manage_course_edit", pk=course.pk)
    return _form_page(request, form, None, status=400 if request.method == "POST" else 200)


def manage_course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_manager(request, pk)
    form = CourseForm(request.POST or None, instance=course, user=request.user)
    if request.method == "POST":
        if course.status == Course.Status.CANCELLED:
            messages.error(request, _("中止した講座は変更できません。"))
            return redirect("supporters:manage_course_edit", pk=course.pk)
        if form.is_valid():
            course, promoted = course_services.update(form, by=request.user)
            messages.success(
                request, _("講座「%(title)s」を保存しました。") % {"title": course.title}
            )
            if promoted:
                messages.info(
                    request,
                    _(
                        "定員が増えたため、キャンセル待ちの%(count)s人の参加が確定しました（メールでお知らせしました）。"
                    )
                    % {"count": len(promoted)},
                )
            return redirect("supporters:manage_course_edit", pk=course.pk)
    return _form_page(request, form, course, status=400 if request.method == "POST" else 200)


@require_POST
def manage_course_publish(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_manager(request, pk)
    try:
        course_services.publish(course, by=request.user)
    except AlreadyChanged as e:
        messages.info(request, e.message)
    else:
        messages.success(
            request,
            _("講座「%(title)s」を公開しました。申し込みを受け付けます。")
            % {"title": course.title},
        )
    return redirect("supporters:manage_course_edit", pk=course.pk)


class CancelCourseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("中止の理由（申し込んだ方へのメールに書きます）"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )


def manage_course_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """中止: a confirmation page, then the POST that mails everyone signed up."""
    course = get_course_for_manager(request, pk)
    form = CancelCourseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = course_services.cancel(
                course, by=request.user, reason=form.cleaned_data["reason"]
            )
        except AlreadyChanged as e:
            messages.info(request, e.message)
        else:
            messages.success(
                request,
                _(
                    "講座「%(title)s」を中止にしました。申し込んだ%(count)s人にメールでお知らせしました。"
                )
                % {"title": course.title, "count": sent},
            )
        return redirect("supporters:manage_course_list")
    people = with_counts(Course.objects.filter(pk=course.pk)).get()
    return render(
        request,
        "supporters/manage_course_cancel.html",
        {"course": people, "form": form},
        status=400 if request.method == "POST" else 200,
    )
