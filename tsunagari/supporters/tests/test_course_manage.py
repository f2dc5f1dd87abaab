"""The organiser's pages: my courses with counts, create (in person or online, 「どの
立場で」), edit, publish and cancel a course."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from tsunagari import factory
from tsunagari.audit.models import AuditEvent
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import MultiRoleTestCase


def course_data(**overrides: Any) -> dict[str, Any]:
    """POST data of a complete online course a month from now."""
    day = timezone.localdate() + timedelta(days=30)
    data: dict[str, Any] = {
        "title": "【テスト】つながりサポーター養成講座（オンライン）",
        "description": "講義とワークで約90分。",
        "instructor": "講師 一郎",
        "format": "online",
        "location": "",
        "venue_note": "",
        "online_url": "https://meet.example.org/course",
        "area": "142051",
        "day": day.isoformat(),
        "start_time": "14:00",
        "duration_minutes": "90",
        "capacity": "20",
        "deadline_day": (day - timedelta(days=3)).isoformat(),
        "target": "どなたでも",
        "accessibility_note": "",
    }
    data.update(overrides)
    return data


class MyCoursesTests(MultiRoleTestCase):
    def test_staff_see_their_organisations_courses_with_counts(self) -> None:
        mine = make_course("【テスト】わたしの講座", organization=self.organization, capacity=2)
        make_registration(mine)
        make_registration(mine)
        make_registration(mine, status=Registration.Status.WAITLISTED)
        make_course("【テスト】よその講座", organization=self.other_organization)
        self.login(self.staff)
        r = self.client.get("/supporters/manage/courses/")
        self.assertContains(r, "わたしの講座")
        self.assertNotContains(r, "よその講座")
        self.assertContains(r, "2／2")
        self.assertContains(r, '<td class="number">1</td>', html=True)

    def test_officers_see_their_municipalitys_courses(self) -> None:
        make_course("【テスト】市の講座", organizing_municipality=self.municipality)
        make_course("【テスト】団体の講座", organization=self.organization)
        self.login(self.officer)
        r = self.client.get("/supporters/manage/courses/")
        self.assertContains(r, "市の講座")
        self.assertNotContains(r, "団体の講座")

    def test_the_list_reads_a_fixed_number_of_queries(self) -> None:
        self.login(self.secretariat)
        for n in range(3):
            make_registration(make_course(f"【テスト】講座{n}", organization=self.organization))
        self.client.get("/supporters/manage/courses/")  # the session and capacities, once
        with self.assertNumQueries(3):
            self.client.get("/supporters/manage/courses/")
        for n in range(3, 9):
            make_course(f"【テスト】講座{n}", organizing_municipality=self.municipality)
        with self.assertNumQueries(3):
            self.client.get("/supporters/manage/courses/")

    def test_a_resident_cannot_manage(self) -> None:
        r = self.client.get("/supporters/manage/courses/")
        self.assertEqual(r.status_code, 302)


class CreateTests(MultiRoleTestCase):
    def test_staff_create_an_online_course_as_a_draft_for_their_organisation(self) -> None:
        self.login(self.staff)
        r = self.client.post("/supporters/manage/courses/new/", course_data())
        course = Course.objects.get()
        self.assertRedirects(r, f"/supporters/manage/courses/{course.pk}/edit/")
        self.assertEqual(course.status, Course.Status.DRAFT)
        self.assertEqual(course.organization, self.organization)
        self.assertEqual(course.municipality_id, "142051")
        self.assertEqual(course.duration_minutes, 90)
        local = timezone.localtime(course.starts_at)
        self.assertEqual((local.hour, local.minute), (14, 0))
        self.assertEqual(timezone.localtime(course.deadline).hour, 23)
        self.assertTrue(AuditEvent.objects.for_object(course).filter(action="create").exists())

    def test_an_in_person_course_takes_a_place_of_the_organisations_resources(self) -> None:
        resource = factory.make_resource("【テスト】団体の会場", organization=self.organization)
        place = resource.locations.get()
        elsewhere = factory.make_resource(
            "【テスト】よその会場", organization=self.other_organization
        )
        self.login(self.staff)
        page = self.client.get("/supporters/manage/courses/new/")
        self.assertContains(page, "【テスト】団体の会場")
        self.assertNotContains(page, "【テスト】よその会場")
        data = course_data(format="in_person", location=str(place.pk), online_url="", area="")
        self.client.post("/supporters/manage/courses/new/", data)
        course = Course.objects.get()
        self.assertEqual(course.location, place)
        self.assertEqual(course.online_url, "")
        self.assertEqual(course.municipality_id, "142051")
        bad = course_data(
            format="in_person", location=str(elsewhere.locations.get().pk), online_url=""
        )
        r = self.client.post("/supporters/manage/courses/new/", bad)
        self.assertEqual(r.status_code, 400)

    def test_an_officer_picks_places_in_their_municipality_and_a_ward_counts_as_its_city(
        self,
    ) -> None:
        ward = factory.make_resource("【テスト】鶴見の会場", municipality="141011")
        officer = factory.make_user(
            "yokohama@example.jp",
            "municipality",
            municipality=ward.locations.get().municipality.parent,
        )
        self.login(officer)
        data = course_data(format="in_person", location=str(ward.locations.get().pk), online_url="")
        r = self.client.post("/supporters/manage/courses/new/", data)
        self.assertEqual(r.status_code, 302)
        course = Course.objects.get()
        self.assertEqual(course.municipality_id, "141003")
        self.assertEqual(course.organizing_municipality_id, "141003")

    def test_it_refuses_a_course_in_the_past_and_a_deadline_after_it(self) -> None:
        self.login(self.staff)
        yesterday = timezone.localdate() - timedelta(days=1)
        r = self.client.post(
            "/supporters/manage/courses/new/", course_data(day=yesterday.isoformat())
        )
        self.assertContains(r, "これから先の日時", status_code=400)
        day = timezone.localdate() + timedelta(days=5)
        r = self.client.post(
            "/supporters/manage/courses/new/",
            course_data(day=day.isoformat(), deadline_day=(day + timedelta(days=1)).isoformat()),
        )
        self.assertContains(r, "開催日より前", status_code=400)

    def test_online_needs_the_link_and_in_person_needs_a_place(self) -> None:
        self.login(self.staff)
        r = self.client.post("/supporters/manage/courses/new/", course_data(online_url=""))
        self.assertContains(r, "参加のURLを入力", status_code=400)
        r = self.client.post(
            "/supporters/manage/courses/new/", course_data(format="in_person", location="")
        )
        self.assertContains(r, "会場を選んでください", status_code=400)

    def test_someone_with_several_capacities_is_asked_as_whom(self) -> None:
        self.login(self.officer_staff)
        page = self.client.get("/supporters/manage/courses/new/")
        self.assertContains(page, "どの立場で")
        self.assertContains(page, "藤沢市の担当者として")
        self.client.post(
            "/supporters/manage/courses/new/",
            course_data(acting_for=f"municipality:{self.municipality.pk}"),
        )
        course = Course.objects.get()
        self.assertIsNone(course.organization)
        self.assertEqual(course.organizing_municipality, self.municipality)
        # Remembered for next time.
        page = self.client.get("/supporters/manage/courses/new/")
        self.assertContains(
            page, f'value="municipality:{self.municipality.pk}" id="id_acting_for_1" checked'
        )

    def test_nobody_may_organise_for_an_organisation_they_are_not_staff_of(self) -> None:
        self.login(self.two_org_staff)
        r = self.client.post(
            "/supporters/manage/courses/new/",
            course_data(acting_for=str(self.municipality_member.pk)),
        )
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Course.objects.exists())


class EditPublishCancelTests(MultiRoleTestCase):
    def test_more_seats_promote_the_waiting_people_and_mail_them(self) -> None:
        course = make_course(organization=self.organization, capacity=1, online=True)
        make_registration(course)
        waiting = make_registration(
            course, status=Registration.Status.WAITLISTED, email="waiting@example.jp"
        )
        self.login(self.staff)
        data = course_data(
            capacity="2",
            day=timezone.localtime(course.starts_at).date().isoformat(),
            deadline_day=timezone.localtime(course.deadline).date().isoformat(),
        )
        r = self.client.post(f"/supporters/manage/courses/{course.pk}/edit/", data)
        self.assertEqual(r.status_code, 302)
        waiting.refresh_from_db()
        self.assertEqual(waiting.status, Registration.Status.CONFIRMED)
        self.run_tasks()
        (message,) = self.sent_to("waiting@example.jp")
        self.assertIn("https://meet.example.org/course", message.body)

    def test_capacity_cannot_go_below_the_confirmed(self) -> None:
        course = make_course(organization=self.organization, capacity=3, online=True)
        make_registration(course)
        make_registration(course)
        self.login(self.staff)
        data = course_data(
            capacity="1",
            day=timezone.localtime(course.starts_at).date().isoformat(),
            deadline_day=timezone.localtime(course.deadline).date().isoformat(),
        )
        r = self.client.post(f"/supporters/manage/courses/{course.pk}/edit/", data)
        self.assertContains(r, "2人います", status_code=400)

    def test_publishing_twice_says_it_is_published_already(self) -> None:
        course = make_course(organization=self.organization, status=Course.Status.DRAFT)
        self.login(self.staff)
        self.client.post(f"/supporters/manage/courses/{course.pk}/publish/")
        course.refresh_from_db()
        self.assertEqual(course.status, Course.Status.PUBLISHED)
        r = self.client.post(f"/supporters/manage/courses/{course.pk}/publish/", follow=True)
        self.assertContains(r, "すでに「公開中」")

    def test_cancelling_a_course_mails_everyone_confirmed_or_waiting(self) -> None:
        course = make_course(organization=self.organization, capacity=1)
        make_registration(course, email="a@example.jp")
        make_registration(course, status=Registration.Status.WAITLISTED, email="b@example.jp")
        make_registration(course, status=Registration.Status.CANCELLED, email="c@example.jp")
        make_registration(course, email="", phone="090-0000-0000")
        self.login(self.staff)
        r = self.client.post(
            f"/supporters/manage/courses/{course.pk}/cancel/", {"reason": "台風のため"}
        )
        self.assertRedirects(r, "/supporters/manage/courses/")
        course.refresh_from_db()
        self.assertEqual(course.status, Course.Status.CANCELLED)
        self.run_tasks()
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["a@example.jp", "b@example.jp"])
        self.assertIn("台風のため", mail.outbox[0].body)
        self.assertIn("中止", mail.outbox[0].subject)
        # Twice: nothing more is sent.
        self.client.post(f"/supporters/manage/courses/{course.pk}/cancel/", {"reason": ""})
        self.run_tasks()
        self.assertEqual(len(mail.outbox), 2)

    def test_other_staff_cannot_touch_the_course(self) -> None:
        course = make_course(organization=self.organization)
        self.login(self.other_staff)
        self.assertEqual(
            self.client.get(f"/supporters/manage/courses/{course.pk}/edit/").status_code, 403
        )
