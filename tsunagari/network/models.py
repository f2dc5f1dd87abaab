"""Introductions (紹介の依頼): a member asks the secretariat to introduce it to another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _


class IntroductionRequestQuerySet(models.QuerySet["IntroductionRequest"]):
    def open(self) -> IntroductionRequestQuerySet:
        return self.filter(status=IntroductionRequest.Status.REQUESTED)

    def between(self, a: int, b: int) -> IntroductionRequestQuerySet:
        return self.filter(
            models.Q(from_organization_id=a, to_organization_id=b)
            | models.Q(from_organization_id=b, to_organization_id=a)
        )

    def for_list(self) -> IntroductionRequestQuerySet:
        return self.select_related(
            "from_organization", "to_organization", "requested_by", "decided_by"
        )


class IntroductionRequest(models.Model):
    """A request to be introduced to another member (紹介の依頼), tracked by the secretariat.

    `from_organization` asked (or, when the secretariat started it from the list of
    isolated members, is the member being introduced); `reason` keeps the suggestion's
    words as they were when asked.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("依頼中")
        INTRODUCED = "introduced", _("紹介済み")
        DECLINED = "declined", _("見送り")

    from_organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("依頼した団体"),
        on_delete=models.CASCADE,
        related_name="introductions_asked",
    )
    to_organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("紹介してほしい団体"),
        on_delete=models.CASCADE,
        related_name="introductions_received",
    )
    reason = models.CharField(_("おすすめの理由"), max_length=300, blank=True)
    note = models.TextField(_("事務局への一言"), max_length=2000, blank=True)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    decision_note = models.TextField(_("事務局のメモ"), max_length=2000, blank=True)
    started_by_secretariat = models.BooleanField(_("事務局から紹介"), default=False)
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("依頼した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("依頼日時"), auto_now_add=True)
    decided_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IntroductionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("紹介の依頼")
        verbose_name_plural = _("紹介の依頼")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organization=models.F("to_organization")),
                name="introduction_not_to_itself",
            ),
            # One open request per pair, whichever side asked.
            models.UniqueConstraint(
                Least("from_organization", "to_organization"),
                Greatest("from_organization", "to_organization"),
                condition=models.Q(status="requested"),
                name="one_open_introduction_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_organization} → {self.to_organization}"
