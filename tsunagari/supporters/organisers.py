"""Who organises a course (主催者), for the attendance roster and the certificates.

The organiser of a course is the staff of its organising member organisation, the
officers of its organising municipality, or, for a course with neither, the secretariat;
the secretariat may always act. The organiser and the secretariat alone read the
participants' personal data.

(The courses part has the same question in access.py; the two are one at merge.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tsunagari.supporters.models import Course


def may_manage_course(user: Any, course: Course) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_secretariat", False):
        return True
    if course.organization_id is not None and user.may_act_for(course.organization_id):
        return True
    return course.organizing_municipality_id is not None and user.is_officer_of(
        course.organizing_municipality_id
    )


def get_course_for_organiser(request: HttpRequest, pk: int) -> Course:
    """The course, or 404 when there is none, or PermissionDenied for anyone else."""
    course = get_object_or_404(
        Course.objects.select_related("organization", "organizing_municipality", "municipality"),
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
