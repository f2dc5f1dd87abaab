"""Collaborations between members (連携・協働), with 2..n parties.

They lived in `matching/` until issue 14: the tables keep their names (matching_collaboration,
matching_collaborationmessage); the migrations moved only Django's state.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CollaborationQuerySet(models.QuerySet["Collaboration"]):
    def involving(self, organization: Any) -> CollaborationQuerySet:
        """Collaborations where the organisation is a party (lead, partner, funder, …),
        invited or accepted; one that declined has left."""
        return self.filter(
            pk__in=CollaborationParty.objects.filter(organization=organization)
            .exclude(status=CollaborationParty.Status.DECLINED)
            .values("collaboration_id")
        )

    def involving_any(self, organization_ids: Any) -> CollaborationQuerySet:
        return self.filter(
            pk__in=CollaborationParty.objects.filter(organization_id__in=organization_ids)
            .exclude(status=CollaborationParty.Status.DECLINED)
            .values("collaboration_id")
        )

    def open_responses(self) -> CollaborationQuerySet:
        return self.filter(kind=Collaboration.Kind.RESPONSE, status__in=Collaboration.OPEN_STATUSES)


class Collaboration(models.Model):
    """One member proposing to work with another (連携・協働の提案).

    A response (ニーズへの応答) is a collaboration that a member opens with a need's owner
    by offering to help; for a need published from a resident's voice the owner is the
    secretariat, and `partner` is empty.
    """

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("連携の提案")
        RESPONSE = "response", _("ニーズへの申し出")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("提案中")
        ACCEPTED = "accepted", _("合意")
        IN_PROGRESS = "in_progress", _("実施中")
        COMPLETED = "completed", _("完了")
        DECLINED = "declined", _("見送り")
        WITHDRAWN = "withdrawn", _("取り下げ")

    OPEN_STATUSES = ("proposed", "accepted", "in_progress")

    # Who may move it where: the partner answers a proposal, the proposer may withdraw it.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.PROPOSED: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.ACCEPTED: (Status.IN_PROGRESS, Status.COMPLETED, Status.WITHDRAWN),
        Status.IN_PROGRESS: (Status.COMPLETED, Status.WITHDRAWN),
    }

    proposer = models.ForeignKey(
        "members.Organization",
        verbose_name=_("提案した団体"),
        on_delete=models.PROTECT,
        related_name="collaborations_proposed",
    )
    # Empty when the other side is the secretariat (a need published from a resident's voice).
    partner = models.ForeignKey(
        "members.Organization",
        verbose_name=_("提案を受けた団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collaborations_received",
    )
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.PROPOSAL)
    need = models.ForeignKey(
        "matching.Need",
        verbose_name=_("ニーズ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collaborations",
    )
    resource = models.ForeignKey(
        "directory.Resource",
        verbose_name=_("シーズ（社会資源）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collaborations",
    )
    title = models.CharField(_("件名"), max_length=120)
    status = models.CharField(
        _("状態"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # Recorded when proposed: the network's aim is work across sectors.
    # Kept in step by the services: distinct sectors among the parties that have not
    # declined, and whether there are two or more.
    cross_sector = models.BooleanField(_("分野をこえた連携"), default=False)
    sector_count = models.PositiveSmallIntegerField(_("分野の数"), default=0)
    outcome = models.TextField(_("成果"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        db_table = "matching_collaboration"
        ordering = ["-updated_at", "-id"]
        verbose_name = _("連携・協働")
        verbose_name_plural = _("連携・協働")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(proposer=models.F("partner")), name="not_with_itself"
            ),
            # Only a response may be addressed to the secretariat.
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False) | models.Q(kind="response"),
                name="partner_or_response",
            ),
            # One open response per need and responding member: a second click, or two
            # colleagues at once, find the existing one.
            models.UniqueConstraint(
                fields=["need", "proposer"],
                condition=models.Q(
                    kind="response", status__in=["proposed", "accepted", "in_progress"]
                ),
                name="one_open_response_per_need",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def partner_name(self) -> str:
        return self.partner.name if self.partner is not None else str(_("事務局"))

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())


class CollaborationMessage(models.Model):
    """A message in a collaboration's thread, or a recorded step (status change)."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        "members.Organization", on_delete=models.PROTECT, null=True, related_name="+"
    )
    body = models.TextField(_("メッセージ"), max_length=4000, blank=True)
    # Set when this entry records a step: the status moved to.
    status = models.CharField(max_length=12, choices=Collaboration.Status.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "matching_collaborationmessage"
        ordering = ["created_at", "id"]
        verbose_name = _("連携のメッセージ")
        verbose_name_plural = _("連携のメッセージ")

    def __str__(self) -> str:
        return f"{self.collaboration_id} {self.created_at:%Y-%m-%d}"


class CollaborationParty(models.Model):
    """One organisation in a collaboration, with its role and its answer to the invitation.

    The lead (主体) is the proposer and accepted from the start. Every other party is invited
    and accepts or declines for its organisation; a party that declined has left.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("主体")
        PARTNER = "partner", _("連携先")
        FUNDER = "funder", _("資金提供")
        VENUE = "venue", _("会場提供")
        ADVISOR = "advisor", _("助言")

    class Status(models.TextChoices):
        INVITED = "invited", _("招待中")
        ACCEPTED = "accepted", _("参加")
        DECLINED = "declined", _("辞退")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("団体"),
        on_delete=models.PROTECT,
        related_name="collaboration_parties",
    )
    role = models.CharField(
        _("連携での役割"), max_length=10, choices=Role.choices, default=Role.PARTNER
    )
    status = models.CharField(
        _("参加の状態"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["invited_at", "id"]
        verbose_name = _("連携の参加団体")
        verbose_name_plural = _("連携の参加団体")
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "organization"], name="one_party_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collaboration_id} {self.organization_id} {self.role}"
