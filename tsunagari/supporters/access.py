"""Who organises a course (主催者) and so reads its participants' personal data.

A course is organised by a member organisation (its staff), by a municipality (its
officers) or, with neither, by the secretariat; the secretariat may manage every course.
Views call `get_course_for_manager(request, pk)` first: it returns the course or raises
404 (no such course) / PermissionDenied (someone else's course).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.supporters.models import Course, CourseQuerySet


def can_organise_courses(user: Any) -> bool:
    """Member staff, municipality officers and the secretariat create courses."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_secretariat or user.is_member_staff or user.is_municipality_officer)


def require_organiser(request: HttpRequest) -> None:
    if not can_organise_courses(request.user):
        raise PermissionDenied


def may_manage_course(user: Any, course: Course) -> bool:
    """The course's organiser: the secretariat, staff of the organising organisation, or
    an officer of the organising municipality."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_secretariat:
        return True
    if course.organization_id is not None and user.may_act_for(course.organization_id):
        return True
    return course.organizing_municipality_id is not None and user.is_officer_of(
        course.organizing_municipality_id
    )


def courses_managed_by(user: Any) -> CourseQuerySet:
    """The courses `user` organises (every course for the secretariat)."""
    if not can_organise_courses(user):
        return Course.objects.none()
    if user.is_secretariat:
        return Course.objects.all()
    return Course.objects.filter(
        Q(organization_id__in=user.organization_ids)
        | Q(organizing_municipality_id__in=user.officer_municipality_ids)
    )


def get_course_for_manager(request: HttpRequest, pk: int) -> Course:
    """The course if the signed-in person organises it; 404 when there is no such course,
    PermissionDenied for anyone else."""
    course = get_object_or_404(
        Course.objects.select_related(
            "organization", "organizing_municipality", "municipality", "location"
        ),
        pk=pk,
    )
    if not may_manage_course(request.user, course):
        raise PermissionDenied
    return course


def organiser_name(course: Course) -> str:
    """Who the certificate and the verify page name as the organiser (主催)."""
    from django.utils.translation import gettext as _

    if course.organization_id is not None:
        return course.organization.name  # type: ignore[union-attr]
    if course.organizing_municipality_id is not None:
        return course.organizing_municipality.label  # type: ignore[union-attr]
    return _("かながわつながりネットワーク事務局")
