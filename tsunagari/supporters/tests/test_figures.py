"""Figures by municipality and fiscal year: the page, the CSV and the API, with small
counts suppressed."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from django.utils import timezone

from tsunagari.supporters.certificates import issue_certificate
from tsunagari.supporters.figures import compute, compute_years, fiscal_year_label
from tsunagari.supporters.models import Course, Registration
from tsunagari.supporters.tests.factory import make_course, make_registration
from tsunagari.test import BaseTestCase


def course_on(day: str, *, municipality: str = "142051", **fields: Any) -> Course:
    course = make_course(municipality=municipality, online=True, **fields)
    starts = timezone.make_aware(datetime.fromisoformat(f"{day}T14:00"))
    Course.objects.filter(pk=course.pk).update(starts_at=starts)
    course.refresh_from_db()
    return course


def people(course: Course, registered: int, attended: int) -> None:
    for n in range(registered):
        registration = make_registration(course, f"参加者{n}")
        if n < attended:
            # Attended on the day (mark_attended would use today's date).
            Registration.objects.filter(pk=registration.pk).update(attended_at=course.starts_at)
            registration.refresh_from_db()
            issue_certificate(registration)


class FiguresTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # FY2025 (令和7年度): 藤沢市 two courses, 25 registered, 20 attended; 横浜市 (a ward)
        # one course, 12 registered, 4 attended; 鎌倉市 one with 3 registered.
        people(course_on("2025-06-01"), 15, 12)
        people(course_on("2026-03-20"), 10, 8)
        people(course_on("2025-10-01", municipality="141038"), 12, 4)
        people(course_on("2025-11-01", municipality="142042"), 3, 3)
        # A cancelled registration, a waitlisted one, a cancelled course, a course in FY2026.
        fujisawa = Course.objects.filter(municipality="142051").first()
        make_registration(fujisawa, status=Registration.Status.CANCELLED)  # type: ignore[arg-type]
        make_registration(fujisawa, status=Registration.Status.WAITLISTED)  # type: ignore[arg-type]
        people(course_on("2025-07-01", status=Course.Status.CANCELLED), 10, 0)
        people(course_on("2026-04-01"), 10, 10)

    def rows(self, year: int = 2025) -> dict[str, tuple]:
        figures = compute(year)
        return {
            r.label: (r.courses_held, r.registered, r.attended, r.certified)
            for r in [*figures.rows, figures.total]
        }

    def test_it_counts_by_municipality_and_fiscal_year_with_wards_in_their_city(self) -> None:
        rows = self.rows()
        self.assertEqual(rows["藤沢市"], (2, 25, 20, 20))
        self.assertEqual(rows["横浜市"][0], 1)
        self.assertEqual(rows["鎌倉市"][0], 1)
        self.assertEqual(rows["神奈川県全体"][:2], (4, 40))

    def test_small_counts_are_hidden_with_a_second_count_of_the_same_column(self) -> None:
        rows = self.rows()
        # Registered: 鎌倉市 3 is hidden, and the smallest other (横浜市 12) with it.
        self.assertEqual(rows["鎌倉市"][1:], (None, None, None))
        self.assertEqual(rows["横浜市"][1:], (None, None, None))
        self.assertEqual(rows["神奈川県全体"][1:], (40, 27, 27))

    def test_the_fiscal_year_runs_from_april_to_march(self) -> None:
        self.assertEqual(self.rows(2026)["藤沢市"], (1, 10, 10, 10))

    def test_several_years_at_once_are_each_year_alone_in_three_queries(self) -> None:
        # The dashboard's line of supporters reads every fiscal year so far at once.
        alone = {year: compute(year) for year in (2024, 2025, 2026)}
        with self.assertNumQueries(3):
            together = compute_years([2026, 2024, 2025])
        self.assertEqual(together, alone)
        self.assertEqual(list(together), [2024, 2025, 2026])
        self.assertEqual(together[2024].total.courses_held, 0)

    def test_the_label_is_in_wareki(self) -> None:
        self.assertEqual(fiscal_year_label(2025), "令和7年度")
        self.assertEqual(fiscal_year_label(2019), "令和元年度")

    def test_the_page_shows_the_table(self) -> None:
        r = self.client.get("/supporters/figures/?fiscal_year=2025")
        self.assertContains(r, "令和7年度")
        self.assertContains(r, '<th scope="row">藤沢市</th>', html=True)
        self.assertContains(r, "&lt;10")

    def test_the_page_in_english_names_the_municipalities_in_english(self) -> None:
        self.client.cookies["django_language"] = "en"
        r = self.client.get("/supporters/figures/?fiscal_year=2025")
        self.assertContains(r, "Fujisawa")
        self.assertContains(r, "FY2025")

    def test_a_bad_year_on_the_page_is_explained(self) -> None:
        r = self.client.get("/supporters/figures/?fiscal_year=abc")
        self.assertContains(r, "年度は西暦の4桁", status_code=400)

    def test_the_csv_has_the_same_figures(self) -> None:
        r = self.client.get("/supporters/figures.csv?fiscal_year=2025")
        self.assertEqual(r.status_code, 200)
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:4], ["年度", "市町村コード", "市町村", "開催した講座"])
        self.assertIn(["2025", "142051", "藤沢市", "2", "25", "20", "20"], rows)
        self.assertIn(["2025", "142042", "鎌倉市", "1", "<10", "<10", "<10"], rows)
        self.assertEqual(rows[-1][2:], ["神奈川県全体", "4", "40", "27", "27"])

    def test_the_csv_refuses_a_bad_year(self) -> None:
        self.assertEqual(
            self.client.get("/supporters/figures.csv?fiscal_year=1999").status_code, 400
        )

    def test_the_api_answers_with_the_same_figures(self) -> None:
        r = self.client.get("/api/v1/supporters/counts?by=municipality&fiscal_year=2025")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["label"], "令和7年度")
        self.assertEqual(body["suppression_threshold"], 10)
        fujisawa = next(row for row in body["rows"] if row["municipality_code"] == "142051")
        self.assertEqual(
            (fujisawa["courses_held"], fujisawa["registered"], fujisawa["attended"]), (2, 25, 20)
        )
        kamakura = next(row for row in body["rows"] if row["municipality_code"] == "142042")
        self.assertIsNone(kamakura["registered"])
        self.assertEqual(body["total"]["registered"], 40)

    def test_bad_parameters_answer_422_in_json(self) -> None:
        for query in ("by=age", "fiscal_year=abc", "fiscal_year=1900", "fiscal_year=99999"):
            with self.subTest(query=query):
                r = self.client.get(f"/api/v1/supporters/counts?{query}")
                self.assertEqual(r.status_code, 422)
                self.assertIn("detail", r.json())

    def test_the_page_reads_in_a_fixed_number_of_queries(self) -> None:
        with self.assertNumQueries(3):
            self.client.get("/supporters/figures/?fiscal_year=2025")
