"""The directory of social resources (社会資源, シーズ): what members offer to residents.

The model maps onto Open Referral HSDS 3.0: Resource is a service, Location a location
with its address, Schedule a schedule; Kind, TargetGroup and Concern are taxonomies.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

from tsunagari.core.easy_terms import CONTEXT as TERM_CONTEXT
from tsunagari.core.wording import EASY_LANGUAGE
from tsunagari.directory import recurrence


class Term(models.Model):
    """A term of one of the directory's taxonomies, managed by the secretariat."""

    slug = models.SlugField(_("識別子"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英語名"), max_length=80, blank=True)
    description = models.CharField(_("説明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: English where one is given, else Japanese."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        if get_language() == EASY_LANGUAGE:  # やさしい日本語: tsunagari/core/easy_terms.py
            return pgettext(TERM_CONTEXT, self.name)
        return self.name


class Kind(Term):
    """Kind of resource (資源の種類): 居場所, イベント, ボランティア, 相談窓口, ..."""

    class Meta(Term.Meta):
        verbose_name = _("資源の種類")
        verbose_name_plural = _("資源の種類")


class TargetGroup(Term):
    """Who a resource is for (対象): こども, 若者, 子育て世帯, 高齢者, ..."""

    class Meta(Term.Meta):
        verbose_name = _("対象")
        verbose_name_plural = _("対象")


class Concern(Term):
    """What a consultation window helps with (相談の分野): 生活の困りごと, こころ, ..."""

    class Meta(Term.Meta):
        verbose_name = _("相談の分野")
        verbose_name_plural = _("相談の分野")


class Language(models.Model):
    """A language a resource is offered in (対応言語), by BCP 47 tag."""

    code = models.CharField(_("言語コード"), max_length=16, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英語名"), max_length=60, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("対応言語")
        verbose_name_plural = _("対応言語")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language, as Term.label."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class AccessibilityFeature(Term):
    """An accessibility feature (バリアフリー・配慮): 車いす可, 筆談可, ..."""

    class Meta(Term.Meta):
        verbose_name = _("アクセシビリティ")
        verbose_name_plural = _("アクセシビリティ")


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> ResourceQuerySet:
        return self.filter(status=Resource.Status.PUBLISHED)

    def owned_by(self, organization: Any) -> ResourceQuerySet:
        return self.filter(organization=organization)

    def stale(self, today: dt.date | None = None) -> ResourceQuerySet:
        """Not verified for 12 months (or never)."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(last_verified_on__isnull=True)
            | models.Q(last_verified_on__lt=Resource.stale_before(today))
        )


class Resource(models.Model):
    """A social resource (社会資源, シーズ): an HSDS service."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開中")
        UNPUBLISHED = "unpublished", _("事務局が非公開にした")

    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("提供団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text=_("構成員以外が提供する相談窓口などは空欄にして提供者名を入力します。"),
    )
    provider_name = models.CharField(
        _("提供者名"), max_length=120, blank=True, help_text=_("構成員以外の提供者の名称")
    )
    name = models.CharField(_("名称"), max_length=120)
    name_kana = models.CharField(_("名称のフリガナ"), max_length=200, blank=True)
    description = models.TextField(_("内容"))
    kinds = models.ManyToManyField(Kind, verbose_name=_("種類"), related_name="resources")
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("対象"), blank=True, related_name="resources"
    )
    concerns = models.ManyToManyField(
        Concern, verbose_name=_("相談の分野"), blank=True, related_name="resources"
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("対応言語"), blank=True, related_name="resources"
    )
    accessibility = models.ManyToManyField(
        AccessibilityFeature,
        verbose_name=_("アクセシビリティ"),
        blank=True,
        related_name="resources",
    )
    accessibility_note = models.CharField(_("アクセシビリティの補足"), max_length=300, blank=True)
    service_area = models.ManyToManyField(
        "geo.Municipality",
        verbose_name=_("対象地域"),
        blank=True,
        related_name="served_by_resources",
        help_text=_("場所とは別に、利用できる人の住む地域（空欄なら場所の市町村）"),
    )
    is_online = models.BooleanField(_("オンラインで参加・利用できる"), default=False)
    online_only = models.BooleanField(_("オンラインのみ"), default=False)
    is_free = models.BooleanField(_("無料"), default=False)
    fee = models.CharField(
        _("費用"), max_length=200, blank=True, help_text=_("例：1回300円（材料費）")
    )
    capacity = models.CharField(_("定員"), max_length=100, blank=True)
    how_to_join = models.TextField(_("参加・利用の方法"), blank=True)
    hours_note = models.CharField(
        _("日時の補足"), max_length=200, blank=True, help_text=_("例：祝日・年末年始は休み")
    )
    is_24h = models.BooleanField(_("24時間対応"), default=False)
    contact_name = models.CharField(_("問い合わせ先"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)
    status = models.CharField(
        _("公開状態"), max_length=12, choices=Status.choices, default=Status.PUBLISHED
    )
    unpublished_reason = models.CharField(_("非公開の理由"), max_length=300, blank=True)
    is_sample = models.BooleanField(
        _("サンプル"), default=False, help_text=_("デモ用の架空のデータ（実在しない）")
    )
    source = models.CharField(_("出典"), max_length=300, blank=True)
    last_verified_on = models.DateField(_("最終確認日"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    STALE_AFTER_DAYS = 365
    AUDITED_FIELDS = [
        "organization",
        "provider_name",
        "name",
        "name_kana",
        "description",
        "kinds",
        "target_groups",
        "concerns",
        "languages",
        "accessibility",
        "accessibility_note",
        "service_area",
        "is_online",
        "online_only",
        "is_free",
        "fee",
        "capacity",
        "how_to_join",
        "hours_note",
        "is_24h",
        "contact_name",
        "phone",
        "email",
        "url",
        "status",
        "unpublished_reason",
        "source",
        "last_verified_on",
    ]

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("社会資源")
        verbose_name_plural = _("社会資源")
        indexes = [models.Index(fields=["status", "last_verified_on"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.organization_id and not self.provider_name:
            raise ValidationError({"provider_name": _("提供団体か提供者名のどちらかが必要です。")})
        if self.online_only:
            self.is_online = True
        # A real resource not run by a member (a public consultation window) is entered
        # only with where its details come from and when they were last checked.
        if not self.organization_id and not self.is_sample:
            missing = {}
            if not self.source:
                missing["source"] = _("構成員以外の窓口には出典が必要です。")
            if not self.last_verified_on:
                missing["last_verified_on"] = _("構成員以外の窓口には最終確認日が必要です。")
            if missing:
                raise ValidationError(missing)

    @property
    def provider(self) -> str:
        return self.organization.name if self.organization else self.provider_name

    @staticmethod
    def stale_before(today: dt.date) -> dt.date:
        return today - dt.timedelta(days=Resource.STALE_AFTER_DAYS)

    def is_stale(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.last_verified_on is None or self.last_verified_on < self.stale_before(today)

    def mark_verified(self, *, by: Any, on: dt.date | None = None) -> None:
        self.last_verified_on = on or timezone.localdate()
        self.save(update_fields=["last_verified_on", "updated_at"])

    def unpublish(self, *, by: Any, reason: str) -> None:
        self.status = self.Status.UNPUBLISHED
        self.unpublished_reason = reason
        self.save(update_fields=["status", "unpublished_reason", "updated_at"])

    def next_date(self, today: dt.date | None = None) -> dt.date | None:
        """The next day this resource meets, from its schedules (prefetched ideally)."""
        today = today or timezone.localdate()
        dates = [d for s in self.schedules.all() if (d := s.next_date(today)) is not None]
        return min(dates) if dates else None

    def is_open_at(self, moment: dt.datetime) -> bool:
        if self.is_24h:
            return True
        return any(s.is_open_at(moment) for s in self.schedules.all())


class Location(models.Model):
    """Where a resource takes place (場所): an HSDS location with its address."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("場所の名称"), max_length=120)
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("市区町村"),
        on_delete=models.PROTECT,
        related_name="resource_locations",
    )
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("経度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    hide_address = models.BooleanField(
        _("住所を公開しない"),
        default=False,
        help_text=_(
            "安全のため住所を伏せる場所。公開ページには地域と問い合わせ先だけを表示します。"
        ),
    )
    access = models.CharField(_("アクセス方法"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("場所")
        verbose_name_plural = _("場所")

    def __str__(self) -> str:
        return self.name

    @property
    def public_address(self) -> str:
        """What the public sees: the full address, or only the area when it is hidden."""
        if self.hide_address:
            return self.municipality.name
        return self.address

    @property
    def public_coordinates(self) -> tuple[float, float] | None:
        if self.hide_address or self.latitude is None or self.longitude is None:
            return None
        return float(self.latitude), float(self.longitude)


class Schedule(models.Model):
    """When a resource meets (日程): one rule in the forms Japanese organisers use.

    毎週水曜 (weekly), 第2・第4土曜 (monthly by nth weekday), 毎月15日 (monthly by day),
    a single date or a run of dates (one-off event), 毎日, or 不定期 (irregular, with a note).
    """

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("毎週")
        MONTHLY_NTH = "monthly_nth", _("毎月第n曜日")
        MONTHLY_DAY = "monthly_day", _("毎月○日")
        DAILY = "daily", _("毎日")
        ONCE = "once", _("単発（日付指定）")
        IRREGULAR = "irregular", _("不定期")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(
        Location,
        verbose_name=_("場所"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedules",
    )
    frequency = models.CharField(_("頻度"), max_length=12, choices=Frequency.choices)
    # Weekdays as ISO numbers (1 = Monday ... 7 = Sunday), comma-separated: "3" or "2,4".
    weekdays = models.CharField(_("曜日"), max_length=20, blank=True)
    # For MONTHLY_NTH: which weeks of the month, "2,4" for 第2・第4; "-1" is the last.
    weeks_of_month = models.CharField(_("第何週"), max_length=20, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("日"), null=True, blank=True)
    starts_on = models.DateField(_("開始日"), null=True, blank=True)
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("補足"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("日程")
        verbose_name_plural = _("日程")
        indexes = [
            # A search by weekday looks up the few schedules that have ended (search.py):
            # only those are in the index, so both databases pick it over a scan.
            models.Index(
                fields=["ends_on"],
                condition=models.Q(ends_on__isnull=False),
                name="directory_schedule_ended",
            )
        ]

    def __str__(self) -> str:
        return self.describe()

    @property
    def rule(self) -> recurrence.Rule:
        return recurrence.Rule(
            frequency=self.frequency,
            weekdays=recurrence.parse_ints(self.weekdays),
            weeks_of_month=recurrence.parse_ints(self.weeks_of_month),
            day_of_month=self.day_of_month,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            opens_at=self.opens_at,
            closes_at=self.closes_at,
        )

    def clean(self) -> None:
        errors = self.rule.errors()
        if errors:
            raise ValidationError(errors)

    def describe(self) -> str:
        text = self.rule.describe()
        return f"{text}（{self.note}）" if self.note else text

    def next_date(self, today: dt.date) -> dt.date | None:
        return self.rule.next_date(today)

    def occurrences(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return self.rule.occurrences(start, end)

    def is_open_at(self, moment: dt.datetime) -> bool:
        return self.rule.is_open_at(moment)


class ErrorReport(models.Model):
    """A report that a resource's information is wrong (情報の誤りの報告).

    Anyone may send one; nothing identifies the sender unless they leave an address.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("未対応")
        RESOLVED = "resolved", _("対応済み")
        DISMISSED = "dismissed", _("対応不要")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="error_reports")
    message = models.TextField(_("誤りの内容"), max_length=2000)
    reply_to = models.EmailField(
        _("返信先メールアドレス（任意）"),
        blank=True,
        help_text=_("確認のため連絡してよい場合だけ入力してください。"),
    )
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_on = models.DateField(_("受付日"), default=timezone.localdate)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("誤りの報告")
        verbose_name_plural = _("誤りの報告")

    def __str__(self) -> str:
        return f"{self.resource} ({self.created_on})"


from tsunagari.directory.search_models import SearchDocument, SearchIndexEntry  # noqa: E402, F401
