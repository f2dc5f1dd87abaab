"""GET /api/v1/supporters/courses: the courses to come, public facts only.

No personal data and never the online link (sent only to confirmed participants). The
router is the app's one Router: other parts of supporters attach their operations to
it (`from tsunagari.supporters.api import router`), and tsunagari/api.py mounts it once.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from tsunagari.geo.models import Municipality
from tsunagari.lib import pagecache
from tsunagari.lib.apierrors import ApiProblem
from tsunagari.supporters.models import Course

router = Router(tags=["supporters"])


class MunicipalityRef(Schema):
    code: str
    name: str


class PlaceOut(Schema):
    name: str
    municipality: MunicipalityRef
    postal_code: str
    address: str
    latitude: float | None
    longitude: float | None
    access: str


class CourseOut(Schema):
    id: int
    title: str
    description: str
    organiser: str = Field(description="主催（団体名・市町村名、または事務局）")
    instructor: str
    format: str = Field(description="in_person（会場で）or online（オンライン）")
    municipality: MunicipalityRef = Field(description="開催地、オンラインは対象地域")
    place: PlaceOut | None = Field(description="会場（オンラインは null）")
    venue_note: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    capacity: int
    seats_left: int = Field(description="残りの席。0 のときはキャンセル待ちで受け付ける")
    deadline: dt.datetime = Field(description="申込締切")
    open_for_registration: bool
    target: str
    languages: list[str] = Field(description="使用言語 (BCP 47)")
    accessibility: list[str] = Field(description="バリアフリー・配慮の識別子")
    accessibility_note: str
    url: str = Field(description="公開ページ（申し込みはこちら）")


class CourseFilters(Schema):
    municipality: str | None = Field(
        None, pattern=r"^\d{6}$", description="市町村コード（区はその市の講座も含む）"
    )


def _course(course: Course) -> CourseOut:
    location = course.location
    place = None
    if location is not None:
        coordinates = location.public_coordinates
        place = PlaceOut(
            name=location.name if not location.hide_address else "",
            municipality=MunicipalityRef(
                code=location.municipality.pk, name=location.municipality.name
            ),
            postal_code="" if location.hide_address else location.postal_code,
            address=location.public_address,
            latitude=coordinates[0] if coordinates else None,
            longitude=coordinates[1] if coordinates else None,
            access="" if location.hide_address else location.access,
        )
    if course.organization is not None:
        organiser = course.organization.name
    elif course.organizing_municipality is not None:
        organiser = course.organizing_municipality.name
    else:
        organiser = "かながわつながりネットワーク事務局"
    confirmed = course.confirmed_count  # type: ignore[attr-defined]
    return CourseOut(
        id=course.pk,
        title=course.title,
        description=course.description,
        organiser=organiser,
        instructor=course.instructor,
        format=course.format,
        municipality=MunicipalityRef(code=course.municipality.pk, name=course.municipality.name),
        place=place,
        venue_note=course.venue_note,
        starts_at=course.starts_at,
        ends_at=course.ends_at,
        duration_minutes=course.duration_minutes,
        capacity=course.capacity,
        seats_left=max(0, course.capacity - confirmed),
        deadline=course.deadline,
        open_for_registration=course.is_open_for_registration,
        target=course.target,
        languages=[language.code for language in course.languages.all()],
        accessibility=[feature.slug for feature in course.accessibility.all()],
        accessibility_note=course.accessibility_note,
        url=f"/supporters/courses/{course.pk}/",
    )


def _courses(filters: CourseFilters) -> list[CourseOut]:
    from tsunagari.supporters.course_views import with_counts

    qs = Course.objects.upcoming()
    if filters.municipality:
        place = Municipality.objects.filter(pk=filters.municipality).first()
        if place is None:
            raise ApiProblem(
                "Some parameters name nothing known.",
                {"municipality": "該当するものがありません (unknown value)"},
            )
        if place.kind != Municipality.Kind.PREFECTURE:
            qs = qs.filter(municipality_id__in=[place.pk, place.parent_id or place.pk])
    qs = with_counts(qs).prefetch_related("languages", "accessibility")
    return [_course(course) for course in qs]


@router.get(
    "/supporters/courses",
    response=list[CourseOut],
    summary="つながりサポーター養成講座の一覧 (upcoming courses)",
)
def list_courses(request: HttpRequest, filters: Query[CourseFilters]) -> HttpResponse:
    """Published courses that have not started, soonest first."""
    body = pagecache.remember(
        "api-supporters-courses",
        ("supporters", "directory", "geo", "members"),
        [filters.model_dump_json(), timezone.now().strftime("%H")],
        lambda: ("[" + ",".join(c.model_dump_json() for c in _courses(filters)) + "]").encode(),
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")
