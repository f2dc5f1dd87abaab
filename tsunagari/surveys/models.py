"""Loneliness self-checks, survey campaigns and before/after outcomes.

Anonymous by construction: no model here links to a user, an IP address or a user agent,
the only date kept for an answer is its day, and the answers and their tallies have random
keys (UUID), never sequential ids, so no row tells in which order answers came. Free text
is never collected.

- SelfCheckResponse: one resident's self-check (web) or a paper self-check keyed in by
  staff (paper). SelfCheckTally holds the same answers counted by month, municipality,
  age band, indirect band and direct level; it is kept in step on every insert
  (services.record_selfcheck) and is what aggregates read, so a dashboard over a million
  responses reads a few thousand rows; SelfCheckMonthTally rolls it up by month, city and
  age band for the figures over time.
- Item: the item bank. Standard items (items.STANDARD_ITEMS) have a `code`; members add
  their own Likert or choice items.
- Campaign: a questionnaire of items with a public link (and QR code); with
  `before_after`, participants answer at the start and later under a self-chosen code,
  stored only as a keyed hash (pair_key), and the report pairs them.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.surveys import scoring
from tsunagari.surveys.items import STANDARD_ITEMS, Wording


class AgeBand(models.TextChoices):
    """The national survey asks people aged 16 and over."""

    TEENS = "16-19", _("16〜19歳")
    TWENTIES = "20s", _("20歳代")
    THIRTIES = "30s", _("30歳代")
    FORTIES = "40s", _("40歳代")
    FIFTIES = "50s", _("50歳代")
    SIXTIES = "60s", _("60歳代")
    SEVENTIES = "70s", _("70歳代")
    EIGHTIES = "80+", _("80歳以上")


class Help(models.TextChoices):
    """What would help (the resident's own choice, optional). Each maps to directory
    kinds, target groups or concerns in `suggestions.py`."""

    TALK = "talk", _("話し相手")
    HOBBY = "hobby", _("趣味の仲間")
    PLACE = "place", _("気軽に行ける居場所")
    WORK = "work", _("仕事")
    HOUSING = "housing", _("住まい")
    CHILDCARE = "childcare", _("子育て")
    MONEY = "money", _("お金・生活")
    MIND = "mind", _("こころ")
    CARE = "care", _("介護")
    LEARNING = "learning", _("学び")


class Channel(models.TextChoices):
    WEB = "web", _("ウェブ")
    PAPER = "paper", _("紙（職員が入力）")
    CAMPAIGN = "campaign", _("調査キャンペーン")


def random_key() -> uuid.UUID:
    """A primary key that says nothing about when a row came (docs/security.md):
    with sequential ids, the order of answers next to a web server's log of requests could
    tie an answer to an address."""
    return uuid.uuid4()


class SelfCheckResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=random_key, editable=False)
    answered_on = models.DateField(_("回答日"), default=timezone.localdate, db_index=True)
    scale_version = models.CharField(_("尺度の版"), max_length=40, default=scoring.SCALE_VERSION)
    wording = models.CharField(_("文言"), max_length=8, choices=Wording.choices, default=Wording.JA)
    channel = models.CharField(
        _("回答方法"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    indirect_1 = models.PositiveSmallIntegerField(choices=scoring.IndirectAnswer.choices)
    indirect_2 = models.PositiveSmallIntegerField(choices=scoring.IndirectAnswer.choices)
    indirect_3 = models.PositiveSmallIntegerField(choices=scoring.IndirectAnswer.choices)
    indirect_score = models.PositiveSmallIntegerField(_("間接質問の得点"))
    indirect_band = models.CharField(
        _("間接質問の区分"), max_length=10, choices=scoring.Band.choices
    )
    direct = models.PositiveSmallIntegerField(_("直接質問"), choices=scoring.DirectLevel.choices)
    age_band = models.CharField(_("年代"), max_length=6, choices=AgeBand.choices, blank=True)
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("お住まいの市区町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Comma-separated Help codes, e.g. "talk,hobby" (empty: not answered).
    helps = models.CharField(_("あるとよいもの"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("セルフチェックの回答")
        verbose_name_plural = _("セルフチェックの回答")
        constraints = [
            models.CheckConstraint(
                condition=Q(indirect_1__gte=1, indirect_1__lte=4)
                & Q(indirect_2__gte=1, indirect_2__lte=4)
                & Q(indirect_3__gte=1, indirect_3__lte=4)
                & Q(direct__gte=1, direct__lte=5)
                & Q(indirect_score__gte=3, indirect_score__lte=12),
                name="selfcheck_answers_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answered_on} {self.indirect_score}/{self.direct}"

    @property
    def result(self) -> scoring.Result:
        return scoring.Result(
            indirect=(self.indirect_1, self.indirect_2, self.indirect_3), direct=self.direct
        )

    @property
    def help_codes(self) -> list[str]:
        return [c for c in self.helps.split(",") if c]


class SelfCheckTally(models.Model):
    """Counts of self-check responses by month × city × age band × band × direct level.

    Wards are counted under their city (横浜市, 川崎市, 相模原市) and unknown values are ""
    rather than NULL, so that one (month, …) key is one row on every database. The key is
    random: a row is created by the first answer of its kind, so sequential ids would
    tell in which order those answers came.
    """

    id = models.UUIDField(primary_key=True, default=random_key, editable=False)

    month = models.DateField(_("月"))  # the first day of the month
    municipality_code = models.CharField(max_length=6, blank=True)
    age_band = models.CharField(max_length=6, blank=True)
    indirect_band = models.CharField(max_length=10, choices=scoring.Band.choices)
    direct = models.PositiveSmallIntegerField(choices=scoring.DirectLevel.choices)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "municipality_code", "age_band", "indirect_band", "direct"],
                name="selfcheck_tally_key",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality_code", "month"]),
            # Covers the aggregates' GROUP BY: they read the index alone, never the table.
            models.Index(
                fields=["month", "municipality_code", "age_band", "indirect_band", "direct", "n"],
                name="selfcheck_tally_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.municipality_code} {self.indirect_band}: {self.n}"


class SelfCheckHelpTally(models.Model):
    """How many responses chose each "what would help" answer, by month × city × age band.

    `help` is a Help code, or ANSWERED for the responses that chose at least one (the
    denominator of the shares: the question is optional).
    """

    ANSWERED = "*"

    id = models.UUIDField(primary_key=True, default=random_key, editable=False)
    month = models.DateField(_("月"))
    municipality_code = models.CharField(max_length=6, blank=True)
    age_band = models.CharField(max_length=6, blank=True)
    help = models.CharField(max_length=12)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "municipality_code", "age_band", "help"],
                name="selfcheck_help_tally_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["month", "municipality_code", "age_band", "help", "n"],
                name="selfcheck_help_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.municipality_code} {self.help}: {self.n}"


class SelfCheckMonthTally(models.Model):
    """SelfCheckTally rolled up by month × city × age band: how many answered, and how many
    of them feel lonely by the indirect scale (7–12) and by the direct question (3–5).

    The aggregates' figures over time read these few rows (a tenth of the tallies) rather
    than summing the tallies each time. Kept in step with SelfCheckTally in the same
    transaction (services.record_selfcheck, unrecord_selfcheck, rebuild_tallies).
    """

    id = models.UUIDField(primary_key=True, default=random_key, editable=False)
    month = models.DateField(_("月"))
    municipality_code = models.CharField(max_length=6, blank=True)
    age_band = models.CharField(max_length=6, blank=True)
    n = models.PositiveIntegerField(default=0)
    indirect = models.PositiveIntegerField(default=0)  # indirect band SOMETIMES or ALWAYS
    direct = models.PositiveIntegerField(default=0)  # direct level 3–5

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "municipality_code", "age_band"],
                name="selfcheck_month_tally_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["month", "municipality_code", "age_band", "n", "indirect", "direct"],
                name="selfcheck_month_covering",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.municipality_code} {self.age_band}: {self.n}"


class Item(models.Model):
    """A question of the item bank."""

    class Kind(models.TextChoices):
        UCLA = "ucla", _("UCLA孤独感尺度（3項目短縮版）")
        DIRECT = "direct", _("孤独感の直接質問")
        SATISFACTION = "satisfaction", _("県民ニーズ調査の満足度")
        LIKERT = "likert", _("段階評価（リッカート）")
        CHOICE = "choice", _("選択肢")

    code = models.SlugField(
        _("標準項目のコード"), max_length=40, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("種類"), max_length=14, choices=Kind.choices)
    text = models.CharField(_("質問文"), max_length=300)
    text_en = models.CharField(_("質問文（英語）"), max_length=300, blank=True)
    # [{"value": 1, "label": "…", "label_en": "…"}, …] for members' own items.
    options = models.JSONField(_("選択肢"), default=list, blank=True)
    higher_is_better = models.BooleanField(_("数字が大きいほど良い"), default=True)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("作成した団体"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="survey_items",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "pk"]
        verbose_name = _("質問項目")
        verbose_name_plural = _("質問項目")

    def __str__(self) -> str:
        return str(self.text)

    @property
    def standard(self) -> Any:
        """The StandardItem of a standard item, else None."""
        return STANDARD_ITEMS.get(self.code or "")

    @property
    def scale_version(self) -> str:
        standard = self.standard
        return standard.scale_version if standard else f"item-{self.pk}"


class Campaign(models.Model):
    title = models.CharField(_("調査名"), max_length=200)
    description = models.TextField(_("説明（回答者に表示）"), blank=True)
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("実施する団体"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,  # empty: run by the secretariat
        related_name="survey_campaigns",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    items = models.ManyToManyField(Item, through="CampaignItem", related_name="campaigns")
    before_after = models.BooleanField(
        _("事前・事後で比べる"),
        default=False,
        help_text=_("参加者が最初と後日に回答し、本人が決めた合言葉で組み合わせます。"),
    )
    is_open = models.BooleanField(_("回答を受け付ける"), default=True)
    token = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("調査キャンペーン")
        verbose_name_plural = _("調査キャンペーン")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.token:
            self.token = secrets.token_urlsafe(12)
        super().save(*args, **kwargs)


class CampaignItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "item"], name="campaign_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.position}"


class CampaignResponse(models.Model):
    """One participant's answers to a campaign: anonymous, the day only, a random key."""

    class Phase(models.TextChoices):
        SINGLE = "", _("1回のみ")
        BEFORE = "before", _("事前")
        AFTER = "after", _("事後")

    id = models.UUIDField(primary_key=True, default=random_key, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    answered_on = models.DateField(_("回答日"), default=timezone.localdate)
    channel = models.CharField(
        _("回答方法"), max_length=10, choices=Channel.choices, default=Channel.CAMPAIGN
    )
    wording = models.CharField(_("文言"), max_length=8, choices=Wording.choices, default=Wording.JA)
    phase = models.CharField(_("時点"), max_length=6, choices=Phase.choices, blank=True)
    # HMAC of the participant's self-chosen code (services.pair_key); never the code.
    pair_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "phase", "pair_key"],
                condition=~Q(pair_key=""),
                name="campaign_code_once_per_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.answered_on} {self.phase}"


class CampaignAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=random_key, editable=False)
    response = models.ForeignKey(CampaignResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()
    scale_version = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}={self.value}"
