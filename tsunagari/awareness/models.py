"""The May awareness month (孤独・孤立対策強化月間): the month's own items.

Member events come from the directory (no double entry); what the directory does not
hold — a national special line that runs only in May, the prefecture's own events — the
secretariat enters here as an AwarenessItem (月間の取組), always with its source.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AwarenessItemQuerySet(models.QuerySet["AwarenessItem"]):
    def overlapping(self, first: dt.date, last: dt.date) -> AwarenessItemQuerySet:
        """Items whose date range meets [first, last]."""
        return self.filter(starts_on__lte=last, ends_on__gte=first)


class AwarenessItem(models.Model):
    """An item of the awareness month (月間の取組) that the directory does not hold."""

    class Kind(models.TextChoices):
        NATIONAL_LINE = "national_line", _("国の特別な相談窓口")
        PREFECTURE_EVENT = "prefecture_event", _("県の取組・イベント")
        OTHER = "other", _("その他の取組")

    title = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("内容"), max_length=2000, blank=True)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    url = models.URLField(_("ウェブサイト"), blank=True)
    source = models.CharField(
        _("出典"),
        max_length=300,
        help_text=_("この情報をどこで確かめたか（発表資料の名称やURL）"),
    )
    is_sample = models.BooleanField(
        _("サンプル"), default=False, help_text=_("デモ用の架空のデータ（実在しない）")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AwarenessItemQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "kind", "id"]
        verbose_name = _("月間の取組")
        verbose_name_plural = _("月間の取組")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="awareness_item_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("終了日は開始日より後にしてください。")})

    def days_in(self, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
        """The part of the item's range inside [first, last]."""
        return max(self.starts_on, first), min(self.ends_on, last)
