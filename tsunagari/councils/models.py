"""孤独・孤立対策地域協議会 (local councils, 孤独・孤立対策推進法 art. 15).

A municipality may set up a council of the bodies that support people in its area; its
members must keep what they learn secret, and its name, coordinating body (調整機関) and
members are announced. Officers register their council here; the site shows the public
notice, and the council's meetings (meetings.Meeting.council) default to confidential
minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalCouncil(models.Model):
    """孤独・孤立対策地域協議会."""

    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="councils",
    )
    name = models.CharField(_("協議会の名称"), max_length=120)
    coordinating_body = models.CharField(_("調整機関"), max_length=120)
    established_on = models.DateField(_("設置日"))
    notice = models.TextField(_("公表事項"), blank=True)
    source_url = models.URLField(_("市町村の公表ページ"), blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("孤独・孤立対策地域協議会")
        verbose_name_plural = _("孤独・孤立対策地域協議会")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="one_council_name_per_area"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A member body of a council: a network member, or any other body by name."""

    council = models.ForeignKey(
        LocalCouncil, on_delete=models.CASCADE, related_name="member_bodies"
    )
    name = models.CharField(_("構成機関の名称"), max_length=120)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("ネットワークの構成員"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_memberships",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("協議会の構成機関")
        verbose_name_plural = _("協議会の構成機関")

    def __str__(self) -> str:
        return self.name
