"""Member registry: organisations, their membership, and applications to join.

構成員 (member organisation), 構成員名簿 (roster), 参加申込 (application).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# The official roster (構成員名簿) in the prefecture's briefing is dated 令和7年7月30日.
# Join dates of those 35 organisations are unknown; this is the date they are known
# to have been members.
ROSTER_BASELINE_DATE = date(2025, 7, 30)
# Simultaneous approvals each try the next free roster number; more than enough for them.
ROSTER_NO_ATTEMPTS = 50


class Sector(models.TextChoices):
    """分野 as used by the official roster, in its order."""

    PRIVATE = "private", _("民間事業者")
    COMMUNITY = "community", _("地域")
    ACADEMIC = "academic", _("学識者")
    GOVERNMENT = "government", _("行政")
    LIVED_EXPERIENCE = "lived_experience", _("当事者")


SECTOR_ORDER = [s.value for s in Sector]


class LegalForm(models.TextChoices):
    """法人格."""

    SOCIAL_WELFARE = "social_welfare", _("社会福祉法人")
    NPO = "npo", _("特定非営利活動法人（NPO法人）")
    CERTIFIED_NPO = "certified_npo", _("認定特定非営利活動法人（認定NPO法人）")
    GENERAL_INC_ASSOCIATION = "general_association", _("一般社団法人")
    PUBLIC_INC_ASSOCIATION = "public_association", _("公益社団法人")
    GENERAL_FOUNDATION = "general_foundation", _("一般財団法人")
    PUBLIC_FOUNDATION = "public_foundation", _("公益財団法人")
    COMPANY = "company", _("株式会社・合同会社など（会社）")
    COOPERATIVE = "cooperative", _("生活協同組合・協同組合")
    SCHOOL = "school", _("学校法人・国公立大学法人")
    LOCAL_GOVERNMENT = "local_government", _("地方公共団体")
    UNINCORPORATED = "unincorporated", _("任意団体（法人格なし）")
    OTHER = "other", _("その他")


class Theme(models.Model):
    """A theme of the network's work that an organisation takes part in (テーマ)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("並び順"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("テーマ")
        verbose_name_plural = _("テーマ")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The theme in the reader's language. The themes are the roster document's
        (migration 0002), so their English lives in the catalogue: THEME_NAMES."""
        return gettext(self.name)


# The themes of migration 0002, for makemessages (a theme added later shows in Japanese).
THEME_NAMES = [
    gettext_noop("つながりへの普及啓発・機運醸成"),
    gettext_noop("社会参加・地域参加の機会づくり"),
    gettext_noop("居場所づくり"),
    gettext_noop("相談支援"),
    gettext_noop("就労・就労体験"),
    gettext_noop("ボランティア"),
    gettext_noop("文化・スポーツ・生涯学習"),
    gettext_noop("食の支援（子ども食堂など）"),
    gettext_noop("住まいの支援"),
    gettext_noop("子ども・若者"),
    gettext_noop("子育て"),
    gettext_noop("高齢者"),
    gettext_noop("障害のある人"),
    gettext_noop("外国籍住民・多文化共生"),
    gettext_noop("生活困窮"),
    gettext_noop("ひきこもり"),
    gettext_noop("オンラインコミュニティ"),
    gettext_noop("調査・研究"),
]


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def members_on(self, day: date, *, include_samples: bool = False) -> OrganizationQuerySet:
        """Organisations that were members on `day` (the roster as of that date).

        The demo's 【サンプル】 organisations are left out unless asked for: the roster, its
        exports, its API and every count stay "as in the source document".
        """
        active = Membership.objects.filter(organization=OuterRef("pk")).active_on(day)
        qs = self.filter(Exists(active))
        return qs if include_samples else qs.filter(is_sample=False)

    def with_current_flag(self) -> OrganizationQuerySet:
        """Annotate `is_current_member`: whether the organisation is a member today.

        Only current members have a public page; a past roster names former members
        without linking to one.
        """
        today = Membership.objects.filter(organization=OuterRef("pk")).active_on(
            timezone.localdate()
        )
        return self.annotate(is_current_member=Exists(today))

    def in_roster_order(self) -> OrganizationQuerySet:
        return self.order_by(models.F("roster_no").asc(nulls_last=True), "id")

    def by_reading(self) -> OrganizationQuerySet:
        """Order by フリガナ where one exists, otherwise by name."""
        return self.order_by(Coalesce(NullIf("name_kana", models.Value("")), "name"), "id")


class Organization(models.Model):
    """A member organisation of the network (構成員団体)."""

    roster_no = models.PositiveIntegerField(_("名簿番号"), unique=True, null=True, blank=True)
    name = models.CharField(_("組織名"), max_length=120)
    name_kana = models.CharField(_("フリガナ"), max_length=200, blank=True)
    sector = models.CharField(_("分野"), max_length=20, choices=Sector.choices)
    legal_form = models.CharField(_("法人格"), max_length=30, choices=LegalForm.choices, blank=True)
    municipalities = models.ManyToManyField(
        "geo.Municipality", verbose_name=_("活動地域"), blank=True, related_name="organizations"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("テーマ"), blank=True)
    description = models.TextField(_("団体の概要・活動内容"), blank=True)
    offers = models.TextField(_("提供できること（シーズ）"), blank=True)
    needs = models.TextField(_("求めていること（ニーズ）"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    email = models.EmailField(_("代表メールアドレス"), blank=True)
    source = models.CharField(
        _("出典"),
        max_length=200,
        blank=True,
        help_text=_("登録の根拠となった資料（公開名簿など）"),
    )
    # A demo organisation (its name starts with 【サンプル】): it owns sample resources and
    # needs so that the demo has something to act on, and is never listed on the roster
    # "as in the source document".
    is_sample = models.BooleanField(_("サンプル"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    # Fields a member's own staff may edit; the rest is the secretariat's.
    PROFILE_FIELDS = [
        "name_kana",
        "legal_form",
        "municipalities",
        "themes",
        "description",
        "offers",
        "needs",
        "website",
        "postal_code",
        "address",
        "phone",
        "email",
    ]
    AUDITED_FIELDS = ["roster_no", "name", "sector", *PROFILE_FIELDS]

    class Meta:
        verbose_name = _("構成員団体")
        verbose_name_plural = _("構成員団体")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def next_roster_no(cls) -> int:
        current = cls.objects.aggregate(m=models.Max("roster_no"))["m"]
        return (current or 0) + 1

    @classmethod
    def create_with_next_roster_no(cls, **fields: Any) -> Organization:
        """A new member under the next roster number (名簿番号).

        Two approvals at the same moment read the same highest number; the unique number
        lets only one of them have it, and the other tries the next one, in a savepoint so
        that its approval carries on. (On PostgreSQL the second insert waits for the first
        transaction, then fails; the next attempt reads the committed number.)
        """
        for _attempt in range(ROSTER_NO_ATTEMPTS):
            roster_no = cls.next_roster_no()
            try:
                with transaction.atomic():
                    return cls.objects.create(roster_no=roster_no, **fields)
            except IntegrityError:
                if not cls.objects.filter(roster_no=roster_no).exists():
                    raise  # something else than the number
        raise IntegrityError(f"no free roster number after {ROSTER_NO_ATTEMPTS} attempts")

    def current_membership(self) -> Membership | None:
        """The membership period that includes today, if any.

        A period whose end is already entered but still ahead is current until that day;
        one that starts later is not current yet.
        """
        return self.memberships.active_on(timezone.localdate()).order_by("-started_on").first()


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: date) -> MembershipQuerySet:
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class Membership(models.Model):
    """A period during which an organisation is a member (加入・退会)."""

    class StartBasis(models.TextChoices):
        JOINED = "joined", _("加入日")
        KNOWN_MEMBER = "known_member", _("この日時点で構成員（加入日は不明）")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    started_on = models.DateField(_("開始日"))
    start_basis = models.CharField(
        _("開始日の根拠"), max_length=20, choices=StartBasis.choices, default=StartBasis.JOINED
    )
    ended_on = models.DateField(_("退会日"), null=True, blank=True)
    end_reason = models.CharField(_("退会の理由"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["started_on"]
        verbose_name = _("構成員期間")
        verbose_name_plural = _("構成員期間")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.started_on}–{self.ended_on or ''}"


class ApplicationQuerySet(models.QuerySet["MembershipApplication"]):
    def open(self) -> ApplicationQuerySet:
        return self.filter(status__in=MembershipApplication.OPEN_STATUSES)


class InvalidTransition(Exception):
    """A state change that the application's current status does not allow."""


class ContactAlreadyRegistered(Exception):
    """The contact person's e-mail already belongs to an account."""


class MembershipApplication(models.Model):
    """An application to join the network (参加申込)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("受付済み")
        UNDER_REVIEW = "under_review", _("審査中")
        RETURNED = "returned", _("修正依頼中")
        APPROVED = "approved", _("承認")
        DECLINED = "declined", _("不承認")

    OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.RETURNED)
    # Where each status may go next. Decisions can be taken straight from
    # "submitted" so that a clear case needs no extra click.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SUBMITTED: (Status.UNDER_REVIEW, Status.APPROVED, Status.RETURNED, Status.DECLINED),
        Status.UNDER_REVIEW: (Status.APPROVED, Status.RETURNED, Status.DECLINED),
        Status.RETURNED: (Status.SUBMITTED, Status.DECLINED),
        Status.APPROVED: (),
        Status.DECLINED: (),
    }

    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    agreed_to_purpose = models.BooleanField(_("趣旨への賛同"), default=False)
    name = models.CharField(_("組織名"), max_length=120)
    name_kana = models.CharField(_("組織名のフリガナ"), max_length=200)
    legal_form = models.CharField(_("法人格"), max_length=30, choices=LegalForm.choices)
    sector = models.CharField(_("分野"), max_length=20, choices=Sector.choices)
    municipalities = models.ManyToManyField(
        "geo.Municipality", verbose_name=_("活動地域"), related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("関心のあるテーマ"), blank=True)
    description = models.TextField(_("団体の概要・活動内容"))
    offers = models.TextField(_("提供できること（シーズ）"), blank=True)
    needs = models.TextField(_("求めていること（ニーズ）"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    postal_code = models.CharField(_("郵便番号"), max_length=8)
    address = models.CharField(_("所在地"), max_length=200)
    phone = models.CharField(_("代表電話番号"), max_length=20)
    contact_name = models.CharField(_("担当者氏名"), max_length=100)
    contact_name_kana = models.CharField(_("担当者氏名のフリガナ"), max_length=100)
    contact_department = models.CharField(_("部署・役職"), max_length=100, blank=True)
    contact_email = models.EmailField(_("担当者メールアドレス"))
    contact_phone = models.CharField(_("担当者電話番号"), max_length=20, blank=True)

    submitted_at = models.DateTimeField(_("申込日時"), default=timezone.now)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("登録された団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    # Lets the applicant reopen a returned application without an account.
    edit_token = models.CharField(max_length=64, unique=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    APPLICANT_FIELDS = [
        "agreed_to_purpose",
        "name",
        "name_kana",
        "legal_form",
        "sector",
        "municipalities",
        "themes",
        "description",
        "offers",
        "needs",
        "website",
        "postal_code",
        "address",
        "phone",
        "contact_name",
        "contact_name_kana",
        "contact_department",
        "contact_email",
        "contact_phone",
    ]

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("参加申込")
        verbose_name_plural = _("参加申込")
        constraints = [
            models.CheckConstraint(condition=Q(agreed_to_purpose=True), name="application_agreed")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.edit_token:
            self.edit_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """受付番号 shown to the applicant and the secretariat."""
        return f"A{self.pk:05d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def latest_reason(self) -> str:
        event = self.events.exclude(reason="").order_by("-at", "-id").first()
        return event.reason if event else ""

    def _move(self, to: str, *, by: Any, reason: str = "") -> ApplicationEvent:
        if not self.can_move_to(to):
            raise InvalidTransition(f"{self.status} → {to}")
        event = ApplicationEvent.objects.create(
            application=self,
            actor=by if getattr(by, "is_authenticated", False) else None,
            from_status=self.status,
            to_status=to,
            reason=reason,
        )
        self.status = to
        fields = ["status"]
        if to in (self.Status.APPROVED, self.Status.DECLINED):
            self.decided_at = event.at
            fields.append("decided_at")
        self.save(update_fields=fields)
        return event

    def record_submission(self) -> ApplicationEvent:
        return ApplicationEvent.objects.create(
            application=self, from_status="", to_status=self.Status.SUBMITTED
        )

    def start_review(self, *, by: Any) -> ApplicationEvent:
        return self._move(self.Status.UNDER_REVIEW, by=by)

    def return_for_changes(self, *, by: Any, reason: str) -> ApplicationEvent:
        return self._move(self.Status.RETURNED, by=by, reason=reason)

    def decline(self, *, by: Any, reason: str) -> ApplicationEvent:
        return self._move(self.Status.DECLINED, by=by, reason=reason)

    def resubmit(self) -> ApplicationEvent:
        return self._move(self.Status.SUBMITTED, by=None)

    def approve(self, *, by: Any, joined_on: date | None = None, reason: str = "") -> Organization:
        """Create the member organisation, open its membership and its first account.

        The caller sends the invitation to the contact person (see services).
        """
        from tsunagari.accounts.models import User

        with transaction.atomic():
            self._move(self.Status.APPROVED, by=by, reason=reason)
            organization = Organization.create_with_next_roster_no(
                name=self.name,
                name_kana=self.name_kana,
                sector=self.sector,
                legal_form=self.legal_form,
                description=self.description,
                offers=self.offers,
                needs=self.needs,
                website=self.website,
                postal_code=self.postal_code,
                address=self.address,
                phone=self.phone,
                source=f"参加申込 {self.reference}",
            )
            organization.municipalities.set(self.municipalities.all())
            organization.themes.set(self.themes.all())
            Membership.objects.create(
                organization=organization,
                started_on=joined_on or timezone.localdate(),
                start_basis=Membership.StartBasis.JOINED,
            )
            if User.objects.filter(email__iexact=self.contact_email).exists():
                raise ContactAlreadyRegistered(self.contact_email)
            try:
                # Another approval with the same contact may be committing right now.
                with transaction.atomic():
                    User.objects.create_user(
                        self.contact_email,
                        full_name=self.contact_name,
                        organization=organization,
                    )
            except IntegrityError:
                raise ContactAlreadyRegistered(self.contact_email) from None
            self.organization = organization
            self.save(update_fields=["organization"])
        return organization


class ApplicationEvent(models.Model):
    """One step in an application's history, with who took it and why."""

    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=MembershipApplication.Status.choices)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"

    @property
    def from_status_label(self) -> str:
        return str(MembershipApplication.Status(self.from_status).label) if self.from_status else ""
