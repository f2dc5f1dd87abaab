"""県内への展開 (the network's roll-out): the 33 municipalities and the partner networks.

The network grows in three stages (第1〜第3ステージ): the platform itself (第1, from
R6.4.1), joined by the prefecture's other networks (第2, PartnerNetwork), and spread with
the municipalities (第3, MunicipalityRollout per municipality, measured by the model cases
they adopt). Population figures (PopulationFigure) turn counts into "per 10,000
residents"; the 2020 census figures are loaded with their source, and the secretariat may
enter newer ones with theirs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PopulationFigure(models.Model):
    """A municipality's (or ward's) population on a date, with where the figure comes from."""

    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    population = models.PositiveIntegerField(_("人口"))
    households = models.PositiveIntegerField(_("世帯数"), null=True, blank=True)
    as_of = models.DateField(_("基準日"))
    source_name = models.CharField(_("出典"), max_length=400)
    source_url = models.URLField(_("出典のURL"), max_length=400, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )  # empty: loaded from the reference data
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["municipality", "-as_of"]
        verbose_name = _("人口")
        verbose_name_plural = _("人口")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "as_of"], name="one_population_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.as_of}: {self.population}"


class MunicipalityRollout(models.Model):
    """Where one of the 33 municipalities stands in the roll-out (the current state;
    RolloutChange keeps each edit)."""

    class Stage(models.TextChoices):
        FIRST = "first", _("第1ステージ")
        SECOND = "second", _("第2ステージ")
        THIRD = "third", _("第3ステージ")

    class Platform(models.TextChoices):
        NONE = "none", _("未設置")
        PREPARING = "preparing", _("準備中")
        RUNNING = "running", _("設置済み")

    AUDITED_FIELDS = [
        "stage",
        "local_platform",
        "local_platform_name",
        "local_platform_since",
        "local_platform_url",
        "note",
        "source",
    ]

    municipality = models.OneToOneField(
        "geo.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="rollout",
    )
    stage = models.CharField(
        _("ステージ"), max_length=10, choices=Stage.choices, default=Stage.FIRST
    )
    local_platform = models.CharField(
        _("市町村の官民連携プラットフォーム"),
        max_length=10,
        choices=Platform.choices,
        default=Platform.NONE,
    )
    local_platform_name = models.CharField(_("プラットフォームの名称"), max_length=150, blank=True)
    local_platform_since = models.DateField(_("設置日"), null=True, blank=True)
    local_platform_url = models.URLField(_("プラットフォームのページ"), max_length=400, blank=True)
    note = models.TextField(_("メモ"), max_length=2000, blank=True)
    source = models.CharField(_("出典"), max_length=400, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["municipality"]
        verbose_name = _("市町村の展開状況")
        verbose_name_plural = _("市町村の展開状況")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_stage_display()}"


class RolloutChange(models.Model):
    """One edit of a municipality's roll-out state, field by field (the history)."""

    rollout = models.ForeignKey(
        MunicipalityRollout, on_delete=models.CASCADE, related_name="changes"
    )
    changes = models.JSONField(default=dict)  # {field: [before, after]}
    note = models.CharField(_("変更の理由"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("展開状況の変更")
        verbose_name_plural = _("展開状況の変更")

    def __str__(self) -> str:
        return f"{self.rollout_id} {self.at:%Y-%m-%d}"


class PartnerNetwork(models.Model):
    """One of the prefecture's other networks that the network joins with (第2ステージ)."""

    name = models.CharField(_("ネットワークの名称"), max_length=150, unique=True)
    name_en = models.CharField(_("英語名"), max_length=200, blank=True)
    liaison_body = models.CharField(_("事務局・連絡窓口"), max_length=150)
    liaison_organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("連絡窓口の会員団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("概要"), max_length=4000, blank=True)
    topics = models.ManyToManyField(
        "members.Theme", verbose_name=_("分野・テーマ"), blank=True, related_name="partner_networks"
    )
    municipalities = models.ManyToManyField(
        "geo.Municipality", verbose_name=_("活動地域"), blank=True, related_name="partner_networks"
    )
    website = models.URLField(_("ウェブサイト"), max_length=400, blank=True)
    source_name = models.CharField(_("出典"), max_length=400)
    source_url = models.URLField(_("出典のURL"), max_length=400, blank=True)
    source_seen_on = models.DateField(_("出典を確認した日"), null=True, blank=True)
    joined_on = models.DateField(_("連携を始めた日"), null=True, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("連携するネットワーク")
        verbose_name_plural = _("連携するネットワーク")

    def __str__(self) -> str:
        return self.name


class PartnerNetworkMember(models.Model):
    """A body in a partner network: a member organisation of ours, or a name."""

    network = models.ForeignKey(PartnerNetwork, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("会員団体"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="partner_network_memberships",
    )
    name = models.CharField(_("団体名"), max_length=150)
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("所在地"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("分野"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["network", "sort_order", "id"]
        verbose_name = _("連携するネットワークの構成団体")
        verbose_name_plural = _("連携するネットワークの構成団体")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"],
                condition=models.Q(organization__isnull=False),
                name="one_membership_per_network",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class NetworkImport(models.Model):
    """One import of a partner network's directory (HSDS JSON), with what it did."""

    network = models.ForeignKey(PartnerNetwork, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(_("ファイル名"), max_length=200)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("ネットワークからの取り込み")
        verbose_name_plural = _("ネットワークからの取り込み")

    def __str__(self) -> str:
        return f"{self.network} {self.filename}"


class NetworkResource(models.Model):
    """Provenance: this directory resource came from this partner network's directory."""

    network = models.ForeignKey(
        PartnerNetwork, on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey(
        "directory.Resource", on_delete=models.CASCADE, related_name="partner_network_links"
    )
    hsds_id = models.CharField(_("HSDSのID"), max_length=100)
    first_import = models.ForeignKey(
        NetworkImport, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_import = models.ForeignKey(
        NetworkImport, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["network", "resource"]
        verbose_name = _("ネットワークから取り込んだ社会資源")
        verbose_name_plural = _("ネットワークから取り込んだ社会資源")
        constraints = [
            models.UniqueConstraint(fields=["network", "resource"], name="one_link_per_resource"),
        ]

    def __str__(self) -> str:
        return f"{self.network}: {self.hsds_id}"
