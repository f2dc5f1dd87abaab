"""可視化 (insights): the only rows this app writes are its own.

Tally holds pre-aggregated counts kept in step with the data below (resources,
needs, collaborations …), so that the public dashboard reads a few thousand rows rather than
a hundred thousand resources. SurveyFigure holds the yearly results of the prefecture's
県民ニーズ調査 for 「助け合えるつながりを持っていること」, entered with their source (R5 is
loaded from the source document).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    """One pre-aggregated count: `metric` for a municipality and a key (a target group's
    slug, a sector, a status …), optionally for a fiscal year."""

    metric = models.CharField(max_length=40)
    # A municipality's code (a city, its wards rolled up); "" for the prefecture as a whole.
    municipality = models.CharField(max_length=6, blank=True)
    key = models.CharField(max_length=60, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(default=0)  # 0: not by year
    value = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("集計値")
        verbose_name_plural = _("集計値")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "municipality", "key", "fiscal_year"],
                name="one_tally_per_cell",
            ),
        ]
        indexes = [models.Index(fields=["metric", "fiscal_year"], name="tally_metric_year")]

    def __str__(self) -> str:
        return f"{self.metric} {self.municipality} {self.key} {self.fiscal_year}: {self.value}"


class Counted(models.Model):
    """What one resource, need or collaboration is counted under in `Tally` (its cells), so
    that a change subtracts exactly what was added before, and so that two changes to the
    same object take turns (the row is locked while its cells are replaced)."""

    source = models.CharField(max_length=20)  # "resource", "need", "collaboration"
    object_id = models.BigIntegerField()
    cells = models.JSONField(default=list)  # [[metric, municipality, key, fiscal_year], …]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="counted_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.object_id}: {len(self.cells)}"


class SurveyFigure(models.Model):
    """県民ニーズ調査: 「助け合えるつながりを持っていること」 in one fiscal year (percentages)."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    fully = models.DecimalField(_("十分"), max_digits=4, decimal_places=1)
    fairly = models.DecimalField(_("かなり"), max_digits=4, decimal_places=1)
    neutral = models.DecimalField(_("どちらとも"), max_digits=4, decimal_places=1)
    hardly = models.DecimalField(_("あまり"), max_digits=4, decimal_places=1)
    not_at_all = models.DecimalField(_("ほとんど"), max_digits=4, decimal_places=1)
    unknown = models.DecimalField(_("分からない"), max_digits=4, decimal_places=1)
    no_answer = models.DecimalField(_("無回答"), max_digits=4, decimal_places=1)
    respondents = models.PositiveIntegerField(_("回答者数"), null=True, blank=True)
    source_name = models.CharField(_("出典"), max_length=400)
    source_url = models.URLField(_("出典のURL"), max_length=400, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # empty: loaded from the source document
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fiscal_year"]
        verbose_name = _("県民ニーズ調査の結果")
        verbose_name_plural = _("県民ニーズ調査の結果")

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.satisfied}%"

    @property
    def satisfied(self) -> object:
        """十分＋かなり: the KPI the network wants to raise (11.4% in R5)."""
        return self.fully + self.fairly
