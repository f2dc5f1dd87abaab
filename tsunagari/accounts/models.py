"""Accounts: people who sign in, and the role that decides what they may do."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.SECRETARIAT)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Residents never need an account."""

    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("事務局")
        MUNICIPALITY = "municipality", _("市町村担当者")
        MEMBER = "member", _("構成員団体の職員")

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("メールアドレス"), unique=True)
    full_name = models.CharField(_("氏名"), max_length=100)
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        "geo.Municipality",
        verbose_name=_("担当市町村"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("所属団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        constraints = [
            # A municipality officer is bound to exactly one municipality, a member's
            # staff to exactly one organisation; nobody else carries either binding.
            models.CheckConstraint(
                condition=(
                    Q(role="municipality", municipality__isnull=False, organization__isnull=True)
                    | Q(role="member", organization__isnull=False, municipality__isnull=True)
                    | Q(role="secretariat", organization__isnull=True, municipality__isnull=True)
                ),
                name="user_role_binding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and self.role == self.Role.SECRETARIAT

    @property
    def is_municipality_officer(self) -> bool:
        return self.is_active and self.role == self.Role.MUNICIPALITY

    @property
    def is_member_staff(self) -> bool:
        return self.is_active and self.role == self.Role.MEMBER


class LoginFailure(models.Model):
    """A failed sign-in, kept to lock an address after repeated failures."""

    email = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} {self.at:%Y-%m-%d %H:%M}"
