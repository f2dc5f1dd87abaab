"""Accounts: people who sign in, and the capacities in which they act.

One account may hold several capacities (立場): staff of one or more member
organisations (`Affiliation`, 所属), officer of a municipality (`Assignment`, 担当) and
the secretariat (事務局, a flag). Access helpers ask questions about capacities
(`may_act_for`, `is_officer_of`); no view compares role strings.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tsunagari.geo.models import Municipality
    from tsunagari.members.models import Organization, OrganizationQuerySet


class UserQuerySet(models.QuerySet["User"]):
    def with_capacities(self) -> UserQuerySet:
        """Read each account's capacities in the same query (for the signed-in user,
        asked on nearly every page)."""

        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        def ids(model: type[models.Model], column: str, **only: Any) -> Subquery:
            joined = (
                model._default_manager.filter(user=OuterRef("pk"), **only)
                .values("user")
                .annotate(ids=StringAgg(Cast(column, models.CharField()), Value(",")))
                .values("ids")
            )
            return Subquery(joined, output_field=models.CharField())

        return self.annotate(
            capacity_organization_ids=ids(Affiliation, "organization_id"),
            capacity_municipality_ids=ids(Assignment, "municipality_id"),
            twofactor_totp_ids=ids(TOTPDevice, "id", confirmed=True),
            twofactor_static_ids=ids(StaticDevice, "id", confirmed=True),
        )

    def staff_of(self, organization_id: int | None) -> UserQuerySet:
        """Active accounts that act for this member organisation."""
        if organization_id is None:
            return self.none()
        return self.filter(is_active=True, affiliations__organization_id=organization_id)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def with_capacities(self) -> UserQuerySet:
        return self.get_queryset().with_capacities()

    def staff_of(self, organization_id: int | None) -> UserQuerySet:
        return self.get_queryset().staff_of(organization_id)

    def create_user(
        self,
        email: str,
        password: str | None = None,
        *,
        role: str = "",
        organization: Organization | None = None,
        municipality: Municipality | None = None,
        **extra: Any,
    ) -> User:
        """An account with at most one first capacity: staff of `organization`, officer
        of `municipality`, or `secretariat=True` (also `role="secretariat"`)."""
        if not email:
            raise ValueError("email is required")
        if role == User.Role.SECRETARIAT:
            extra["secretariat"] = True
        elif role == User.Role.MEMBER and organization is None:
            raise ValueError("a member's staff account needs its organisation")
        elif role == User.Role.MUNICIPALITY and municipality is None:
            raise ValueError("a municipality officer's account needs its municipality")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        with transaction.atomic(using=self._db):
            user.save(using=self._db)
            if organization is not None:
                Affiliation.objects.create(user=user, organization=organization)
            if municipality is not None:
                Assignment.objects.create(user=user, municipality=municipality)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("secretariat", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Residents never need an account."""

    class Role(models.TextChoices):
        """The kinds of capacity; a person may hold several (not a field any more)."""

        SECRETARIAT = "secretariat", _("事務局")
        MUNICIPALITY = "municipality", _("市町村担当者")
        MEMBER = "member", _("構成員団体の職員")

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("メールアドレス"), unique=True)
    full_name = models.CharField(_("氏名"), max_length=100)
    secretariat = models.BooleanField(_("事務局"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    # Capacities: read with the signed-in user (UserQuerySet.with_capacities), else
    # with one query the first time any of them is asked.

    @cached_property
    def _capacity_ids(self) -> tuple[frozenset[int], frozenset[str]]:
        """(organisation ids, municipality codes)."""
        if self.pk is None:
            return frozenset(), frozenset()
        if hasattr(self, "capacity_organization_ids"):
            annotated: dict[str, str | None] = self.__dict__
            joined = (
                annotated["capacity_organization_ids"] or "",
                annotated["capacity_municipality_ids"] or "",
            )
        else:
            # Both kinds in one query; the column is text for both (codes are text).
            rows = (
                Affiliation.objects.filter(user_id=self.pk)
                .annotate(kind=Value("o"), ref=Cast("organization_id", models.CharField()))
                .values_list("kind", "ref")
                .union(
                    Assignment.objects.filter(user_id=self.pk)
                    .annotate(kind=Value("m"), ref=Cast("municipality_id", models.CharField()))
                    .values_list("kind", "ref"),
                    all=True,
                )
            )
            pairs = list(rows)
            joined = (
                ",".join(ref for kind, ref in pairs if kind == "o"),
                ",".join(ref for kind, ref in pairs if kind == "m"),
            )
        organizations, municipalities = (part.split(",") if part else [] for part in joined)
        return frozenset(int(pk) for pk in organizations), frozenset(municipalities)

    @cached_property
    def twofactor_device_ids(self) -> frozenset[str]:
        """The persistent ids (django-otp's `Device.persistent_id`) of this person's
        confirmed second-factor devices: an authenticator app and the recovery codes.
        Read with the signed-in user (UserQuerySet.with_capacities), else asked once."""
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if self.pk is None:
            return frozenset()
        found: set[str] = set()
        for model, column in (
            (TOTPDevice, "twofactor_totp_ids"),
            (StaticDevice, "twofactor_static_ids"),
        ):
            if hasattr(self, column):
                annotated: str = self.__dict__[column] or ""
                pks = [pk for pk in annotated.split(",") if pk]
            else:
                pks = [
                    str(pk)
                    for pk in model.objects.filter(user_id=self.pk, confirmed=True).values_list(
                        "pk", flat=True
                    )
                ]
            found.update(f"{model.model_label()}/{pk}" for pk in pks)
        return frozenset(found)

    def forget_twofactor(self) -> None:
        """After a second-factor device was added or removed: ask the database again."""
        for name in ("twofactor_device_ids", "twofactor_totp_ids", "twofactor_static_ids"):
            self.__dict__.pop(name, None)

    def forget_capacities(self) -> None:
        """After a capacity was added or removed: ask the database again."""
        self.__dict__.pop("_capacity_ids", None)
        self.__dict__.pop("capacity_organization_ids", None)
        self.__dict__.pop("capacity_municipality_ids", None)

    @property
    def organization_ids(self) -> frozenset[int]:
        """The member organisations this person acts for (none if deactivated)."""
        return self._capacity_ids[0] if self.is_active else frozenset()

    @property
    def officer_municipality_ids(self) -> frozenset[str]:
        return self._capacity_ids[1] if self.is_active else frozenset()

    @property
    def organizations(self) -> OrganizationQuerySet:
        from tsunagari.members.models import Organization

        return Organization.objects.filter(pk__in=self.organization_ids)

    @property
    def officer_municipalities(self) -> models.QuerySet[Municipality]:
        from tsunagari.geo.models import Municipality

        return Municipality.objects.filter(pk__in=self.officer_municipality_ids)

    def may_act_for(self, organization: Organization | int | None) -> bool:
        """Staff of this member organisation (the secretariat is asked separately)."""
        if organization is None:
            return False
        pk = organization if isinstance(organization, int) else organization.pk
        return pk in self.organization_ids

    def is_officer_of(self, municipality: Municipality | str | None) -> bool:
        if municipality is None:
            return False
        code = municipality if isinstance(municipality, str) else municipality.pk
        return code in self.officer_municipality_ids

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and self.secretariat

    @property
    def is_municipality_officer(self) -> bool:
        return bool(self.officer_municipality_ids)

    @property
    def is_member_staff(self) -> bool:
        return bool(self.organization_ids)

    @property
    def capacity_labels(self) -> list[str]:
        """The kinds of capacity, for a greeting: 「事務局・構成員団体の職員」."""
        labels = []
        if self.secretariat:
            labels.append(str(self.Role.SECRETARIAT.label))
        organizations, municipalities = self._capacity_ids
        if municipalities:
            labels.append(str(self.Role.MUNICIPALITY.label))
        if organizations:
            labels.append(str(self.Role.MEMBER.label))
        return labels


class Affiliation(models.Model):
    """所属: a person acts as staff of a member organisation."""

    user = models.ForeignKey(
        User, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("所属団体"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="affiliation_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.organization}"


class Assignment(models.Model):
    """担当: a person acts as an officer of a municipality."""

    user = models.ForeignKey(
        User, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="assignments"
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("担当市町村"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("担当")
        verbose_name_plural = _("担当")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="assignment_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.municipality}"
