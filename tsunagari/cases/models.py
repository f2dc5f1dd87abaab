"""モデル事例 (model cases) and their adoption (普及) by the municipalities.

A model case is a way of working that the network found worth spreading: what was wrong,
who took part (with their sectors), what they did step by step, what it cost and what came
of it. It is written from scratch or, in one step, from a completed collaboration or a
meeting's action item, reviewed by the secretariat and published (draft → review →
published). A municipality's officers then mark it for their municipality as
関心 → 検討 → 実施 → 定着 (CaseAdoption, with the date of each step in AdoptionStep):
adoption is how the network measures its third stage (第3ステージ, spread across the
prefecture with the municipalities).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.members.models import Sector


class ModelCaseQuerySet(models.QuerySet["ModelCase"]):
    def published(self) -> ModelCaseQuerySet:
        return self.filter(status=ModelCase.Status.PUBLISHED)


class ModelCase(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        REVIEW = "review", _("事務局の確認待ち")
        PUBLISHED = "published", _("公開中")

    AUDITED_FIELDS = [
        "title",
        "summary",
        "issue",
        "area_note",
        "resources_used",
        "cost_yen",
        "cost_note",
        "started_on",
        "ended_on",
        "period_note",
        "outcomes",
        "campaign",
        "contact_name",
        "contact_email",
        "contact_phone",
        "status",
    ]

    title = models.CharField(_("事例の名前"), max_length=150)
    summary = models.TextField(_("ひとことで言うと"), max_length=500)
    issue = models.TextField(_("課題（何に困っていたか）"), max_length=4000)
    themes = models.ManyToManyField(
        "members.Theme", verbose_name=_("テーマ"), blank=True, related_name="model_cases"
    )
    target_groups = models.ManyToManyField(
        "directory.TargetGroup", verbose_name=_("対象"), blank=True, related_name="model_cases"
    )
    municipalities = models.ManyToManyField(
        "geo.Municipality", verbose_name=_("実施した地域"), blank=True, related_name="model_cases"
    )
    area_note = models.CharField(_("地域の補足"), max_length=200, blank=True)
    resources_used = models.TextField(
        _("使った資源（人・場所・資金など）"), max_length=4000, blank=True
    )
    cost_yen = models.PositiveIntegerField(_("費用（円）"), null=True, blank=True)
    cost_note = models.CharField(_("費用の補足"), max_length=300, blank=True)
    started_on = models.DateField(_("開始日"), null=True, blank=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    period_note = models.CharField(_("期間の補足"), max_length=200, blank=True)
    outcomes = models.TextField(_("成果"), max_length=4000, blank=True)
    # Before/after results, shown with the campaign report's statistics.
    campaign = models.ForeignKey(
        "surveys.Campaign",
        verbose_name=_("成果を測った調査（事前・事後）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="model_cases",
    )
    contact_organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("問い合わせ先の団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("問い合わせ先（担当）"), max_length=100, blank=True)
    contact_email = models.EmailField(_("問い合わせ先メールアドレス"), blank=True)
    contact_phone = models.CharField(_("問い合わせ先電話番号"), max_length=20, blank=True)
    # Where it came from (one of them, or neither when written from scratch).
    collaboration = models.ForeignKey(
        "collaborations.Collaboration",
        verbose_name=_("もとになった連携"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="model_cases",
    )
    action_item = models.ForeignKey(
        "meetings.ActionItem",
        verbose_name=_("もとになった会議のアクション"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="model_cases",
    )
    # Who writes it: a member organisation's staff, or the secretariat (empty).
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("作成した団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="model_cases",
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("確認を依頼した日時"), null=True, blank=True)
    returned_reason = models.CharField(_("差し戻しの理由"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    # Sudachi-normalised tokens of the text (directory/tokens.py), space separated with a
    # space at each end, for the library's keyword search on both databases.
    search_tokens = models.TextField(blank=True, editable=False)
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModelCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("モデル事例")
        verbose_name_plural = _("モデル事例")
        indexes = [models.Index(fields=["status", "-published_at"], name="case_status_published")]

    def __str__(self) -> str:
        return self.title


class CasePartner(models.Model):
    """One body that took part: a member organisation or, for others, a name and sector."""

    case = models.ForeignKey(ModelCase, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("会員団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_partnerships",
    )
    name = models.CharField(_("団体名"), max_length=120)
    sector = models.CharField(_("分野"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("役割"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("事例の参加団体")
        verbose_name_plural = _("事例の参加団体")

    def __str__(self) -> str:
        return self.name


class CaseStep(models.Model):
    """One step of the approach (進め方), in order."""

    case = models.ForeignKey(ModelCase, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(_("ステップ"), max_length=150)
    body = models.TextField(_("内容"), max_length=2000, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("進め方のステップ")
        verbose_name_plural = _("進め方のステップ")

    def __str__(self) -> str:
        return self.title


class CasePhoto(models.Model):
    """A photo (JPEG, PNG or WebP) with the alt text a screen reader reads."""

    case = models.ForeignKey(ModelCase, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("写真"), upload_to="cases/%Y/%m/")
    alt_text = models.CharField(_("写真の説明（代替テキスト）"), max_length=200)
    caption = models.CharField(_("キャプション"), max_length=200, blank=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("事例の写真")
        verbose_name_plural = _("事例の写真")

    def __str__(self) -> str:
        return self.alt_text


class CaseAdoption(models.Model):
    """A municipality taking up a published case: 関心 → 検討 → 実施 → 定着."""

    class Stage(models.TextChoices):
        INTEREST = "interest", _("関心")
        CONSIDERING = "considering", _("検討")
        IMPLEMENTING = "implementing", _("実施")
        ESTABLISHED = "established", _("定着")

    STAGE_ORDER = [s.value for s in Stage]

    case = models.ForeignKey(ModelCase, on_delete=models.CASCADE, related_name="adoptions")
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="case_adoptions",
    )
    stage = models.CharField(_("段階"), max_length=12, choices=Stage.choices)
    stage_since = models.DateField(_("この段階になった日"), default=timezone.localdate)
    note = models.TextField(_("メモ"), max_length=2000, blank=True)
    # What the case became locally.
    collaboration = models.ForeignKey(
        "collaborations.Collaboration",
        verbose_name=_("地域での連携"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_adoptions",
    )
    resource = models.ForeignKey(
        "directory.Resource",
        verbose_name=_("地域の社会資源"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_adoptions",
    )
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "municipality"]
        verbose_name = _("事例の導入")
        verbose_name_plural = _("事例の導入")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "municipality"], name="one_adoption_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.municipality}"


class AdoptionStep(models.Model):
    """The history of an adoption: each stage reached, with its date and note."""

    adoption = models.ForeignKey(CaseAdoption, on_delete=models.CASCADE, related_name="history")
    stage = models.CharField(_("段階"), max_length=12, choices=CaseAdoption.Stage.choices)
    on = models.DateField(_("日付"))
    note = models.TextField(_("メモ"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("導入の経過")
        verbose_name_plural = _("導入の経過")

    def __str__(self) -> str:
        return f"{self.adoption}: {self.get_stage_display()}"
