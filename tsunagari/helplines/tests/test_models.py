"""A line without a source cannot be published (database and form level); a line that
runs only in announced periods is shown only inside the period entered."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from tsunagari.helplines.models import NationalLine
from tsunagari.helplines.tests.factory import make_line


class NoSourceTests(TestCase):
    def test_the_database_refuses_a_published_line_without_a_source_url(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_line(source_url="")

    def test_the_database_refuses_a_published_line_without_a_seen_date(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_line(source_seen=None)

    def test_an_update_cannot_remove_the_source_of_a_published_line(self) -> None:
        line = make_line()
        with self.assertRaises(IntegrityError), transaction.atomic():
            NationalLine.objects.filter(pk=line.pk).update(source_url="")

    def test_a_line_without_a_source_may_wait_unpublished(self) -> None:
        line = make_line(source_url="", source_seen=None, status="pending")
        line.full_clean()

    def test_full_clean_names_the_missing_fields(self) -> None:
        line = NationalLine(
            name_ja="x", name_en="x", kind="phone", phone="110", scope="national",
            status="published",
        )  # fmt: skip
        with self.assertRaises(ValidationError) as caught:
            line.full_clean()
        self.assertIn("source_url", caught.exception.message_dict)
        self.assertIn("source_seen", caught.exception.message_dict)


class PeriodTests(TestCase):
    def setUp(self) -> None:
        self.line = NationalLine.objects.get(phone="#9999")
        NationalLine.objects.filter(pk=self.line.pk).update(
            period_starts_on=dt.date(2026, 12, 20), period_ends_on=dt.date(2027, 1, 5)
        )

    def shown(self, day: dt.date) -> bool:
        return NationalLine.objects.shown_on(day).filter(pk=self.line.pk).exists()

    def test_9999_is_shown_only_inside_its_period(self) -> None:
        self.assertFalse(self.shown(dt.date(2026, 12, 19)))
        self.assertTrue(self.shown(dt.date(2026, 12, 20)))
        self.assertTrue(self.shown(dt.date(2027, 1, 5)))
        self.assertFalse(self.shown(dt.date(2027, 1, 6)))

    def test_without_a_period_it_is_never_shown(self) -> None:
        NationalLine.objects.filter(pk=self.line.pk).update(
            period_starts_on=None, period_ends_on=None
        )
        self.assertFalse(self.shown(dt.date(2026, 12, 25)))

    def test_the_database_refuses_a_period_that_ends_before_it_starts(self) -> None:
        with self.assertRaises(IntegrityError), transaction.atomic():
            NationalLine.objects.filter(pk=self.line.pk).update(period_ends_on=dt.date(2026, 1, 1))


class OrderTests(TestCase):
    def test_emergency_first_then_24_hour_lines_for_everyone(self) -> None:
        names = list(NationalLine.objects.for_residents().values_list("phone", "is_24h"))
        self.assertEqual([p for p, _ in names[:2]], ["110", "119"])
        hours = [h for _, h in names[2:]]
        self.assertEqual(hours, sorted(hours, reverse=True), "24-hour lines come first")
        self.assertEqual(names[2][0], "0120-279-338")  # よりそいホットライン

    def test_retired_and_pending_lines_are_not_shown(self) -> None:
        shown = set(NationalLine.objects.for_residents().values_list("status", flat=True))
        self.assertEqual(shown, {"published"})
        self.assertFalse(NationalLine.objects.for_residents().filter(name_ja="チャイルドライン"))
