"""つながりサポーター養成講座: courses, the people who sign up, and who completed them.

A course (講座) is run by a member organisation, a municipality or the secretariat:
about 90 minutes, free, in person at a place from the directory or online. People sign
up without an account (Registration). Seats are first come, first served: when the
course is full a registration waits (WAITLISTED) and the first waiting is promoted when
a seat frees, in the same transaction as the cancellation. Whoever attended gets a
修了証 (Certificate) with a serial number anyone can verify, and may opt in to hear of
chances to take part near them (Registration.opportunities_opt_in).

Personal data (name, contact, age band, accessibility needs) is read only by the
secretariat and the course's organiser, deleted on request and after
SUPPORTERS_RETENTION_DAYS.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.surveys.models import AgeBand


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_attendance_code() -> str:
    """Four digits shown at the session, typed by the participants."""
    return f"{secrets.randbelow(10_000):04d}"


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(status=Course.Status.PUBLISHED)

    def upcoming(self) -> CourseQuerySet:
        return self.published().filter(starts_at__gte=timezone.now())


class Course(models.Model):
    """One session of the つながりサポーター養成講座."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("会場で")
        ONLINE = "online", _("オンライン")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開中")
        CANCELLED = "cancelled", _("中止")

    title = models.CharField(_("講座名"), max_length=120)
    description = models.TextField(_("内容"), blank=True)
    # Who runs it: a member organisation, or a municipality's officers, or (neither) the
    # secretariat. The organiser reads the participants' personal data.
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("主催団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    organizing_municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("主催市町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses_organized",
    )
    instructor = models.CharField(_("講師"), max_length=100, blank=True)
    format = models.CharField(
        _("開催方法"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    # In person: a place from the directory (its address and map); online: the link,
    # sent only to confirmed participants, never shown on a public page.
    location = models.ForeignKey(
        "directory.Location",
        verbose_name=_("会場"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="courses",
    )
    venue_note = models.CharField(_("会場についての補足"), max_length=200, blank=True)
    online_url = models.URLField(_("オンライン参加のURL"), blank=True)
    # Where the course counts in the figures: the venue's municipality, or for an online
    # course the area it is meant for.
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    starts_at = models.DateTimeField(_("開始日時"))
    duration_minutes = models.PositiveSmallIntegerField(_("時間（分）"), default=90)
    capacity = models.PositiveIntegerField(_("定員"))
    deadline = models.DateTimeField(_("申込締切"))
    target = models.CharField(_("対象"), max_length=200, blank=True)
    languages = models.ManyToManyField(
        "directory.Language", verbose_name=_("使用言語"), blank=True, related_name="+"
    )
    accessibility = models.ManyToManyField(
        "directory.AccessibilityFeature",
        verbose_name=_("バリアフリー・配慮"),
        blank=True,
        related_name="+",
    )
    accessibility_note = models.CharField(_("配慮についての補足"), max_length=200, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    attendance_code = models.CharField(
        _("出席コード"), max_length=8, default=new_attendance_code, editable=False
    )
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("講座")
        verbose_name_plural = _("講座")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="course_has_seats"),
            models.CheckConstraint(
                condition=~models.Q(format="in_person") | models.Q(location__isnull=False),
                name="in_person_course_has_a_place",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_open_for_registration(self) -> bool:
        return self.status == self.Status.PUBLISHED and timezone.now() < self.deadline


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def confirmed(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self) -> RegistrationQuerySet:
        """In the order they will be promoted: first come, first served."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("registered_at", "id")


class Registration(models.Model):
    """One person's sign-up for a course, without an account (参加申込)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("参加確定")
        WAITLISTED = "waitlisted", _("キャンセル待ち")
        CANCELLED = "cancelled", _("取り消し")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="registrations")
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices)
    # The short code people quote to the organiser (受付番号), and the secret in their
    # links (cancel, certificate, opt-out).
    code = models.CharField(_("受付番号"), max_length=12, unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    name = models.CharField(_("お名前またはニックネーム"), max_length=100)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("お住まいの市町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    age_band = models.CharField(_("年代"), max_length=8, choices=AgeBand.choices, blank=True)
    accessibility_needs = models.TextField(_("参加にあたって必要な配慮"), blank=True)
    # The language the person used: their mails are written in it (ja, en, ja-easy).
    language = models.CharField(max_length=10, default="ja")
    registered_at = models.DateTimeField(_("申込日時"), default=timezone.now)
    promoted_at = models.DateTimeField(_("繰り上げ日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取り消し日時"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("前日のお知らせ送信日時"), null=True, blank=True)
    attended_at = models.DateTimeField(_("出席確認日時"), null=True, blank=True)
    opportunities_opt_in = models.BooleanField(_("参加の機会のお知らせを受け取る"), default=False)
    opportunities_opt_in_at = models.DateTimeField(null=True, blank=True)
    # Personal data erased on request or after the retention period; the row stays so
    # that the figures do not change.
    erased_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True)
    # Wrong session codes typed for this registration: after ATTENDANCE_FAILURE_LIMIT the
    # code can no longer be used (the organiser ticks the roster instead).
    attendance_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    # The last mail of opportunities: the next one tells only what was published since.
    last_opportunities_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "id"]
        verbose_name = _("参加申込")
        verbose_name_plural = _("参加申込")
        indexes = [models.Index(fields=["course", "status", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Certificate(models.Model):
    """修了証: issued once per attended registration, verifiable by its serial."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="certificate"
    )
    serial = models.CharField(_("修了証番号"), max_length=20, unique=True)
    # What is printed, kept as printed: the verify page shows only these.
    name_printed = models.CharField(_("氏名"), max_length=100)
    course_title = models.CharField(_("講座名"), max_length=120)
    completed_on = models.DateField(_("修了日"))
    issued_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    revoked_at = models.DateTimeField(_("取り消し日時"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("修了証")
        verbose_name_plural = _("修了証")

    def __str__(self) -> str:
        return self.serial


class CertificateSequence(models.Model):
    """The last serial number given in one 和暦 year (TS-R8-000123 → prefix "R8", 123).

    A row per year, incremented under a row lock, so that two certificates issued at once
    never get the same number."""

    prefix = models.CharField(max_length=8, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"
