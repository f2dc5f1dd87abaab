"""Places: the prefecture, its municipalities and the wards of its designated cities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def municipalities(self) -> MunicipalityQuerySet:
        """The 33 市町村 (not the prefecture, not the wards)."""
        return self.filter(kind__in=Municipality.MUNICIPAL_KINDS)

    def selectable(self) -> MunicipalityQuerySet:
        """What a person may pick as an area served: everything but the prefecture."""
        return self.exclude(kind=Municipality.Kind.PREFECTURE)


class Municipality(models.Model):
    """A local public body (地方公共団体) with its 6-digit 全国地方公共団体コード."""

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("都道府県")
        DESIGNATED_CITY = "designated_city", _("政令指定都市")
        CITY = "city", _("市")
        TOWN = "town", _("町")
        VILLAGE = "village", _("村")
        WARD = "ward", _("区")

    MUNICIPAL_KINDS = (Kind.DESIGNATED_CITY, Kind.CITY, Kind.TOWN, Kind.VILLAGE)

    code = models.CharField(_("団体コード"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=40)
    name_en = models.CharField(_("英語名"), max_length=60, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属する市"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("市町村")
        verbose_name_plural = _("市町村")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: "Fujisawa" in English, else "藤沢市".

        Every public page, form choice and API answer that names a place uses this."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def whole_label(self) -> str:
        """The place as a whole area: "横浜市全域", "All of Yokohama"."""
        return gettext("%(name)s全域") % {"name": self.label}

    @property
    def city_code(self) -> str:
        """The code of one of the 33 municipalities it belongs to: a ward's city, else its
        own (only wards have a parent). What the tallies and the roll-up count under."""
        return str(self.parent_id or self.code)

    @property
    def short_name(self) -> str:
        """A ward's name without its city ("港北区" for "横浜市港北区"), for matching data."""
        if self.kind == self.Kind.WARD and "市" in self.name:
            return self.name.split("市", 1)[1]
        return self.name
