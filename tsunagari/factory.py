"""Plain factories for tests and sample data: `make_*` functions, no fixtures."""

from __future__ import annotations

import time
from typing import Any

from tsunagari.accounts.models import User
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import issue_token
from tsunagari.members.models import MembershipApplication, Theme

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def make_user(
    email: str, role: str = "", password: str | None = DEFAULT_PASSWORD, **extra: Any
) -> User:
    """An account with one first capacity: `role` is a `User.Role`, with `organization=`
    for staff and `municipality=` for an officer. Add more with `add_capacities`."""
    extra.setdefault("full_name", email.split("@")[0])
    return User.objects.create_user(email, password, role=role, **extra)


def add_capacities(
    user: User,
    *,
    organizations: tuple[Any, ...] = (),
    municipalities: tuple[Any, ...] = (),
    secretariat: bool = False,
) -> User:
    """More capacities for an existing account (without the audit of the secretariat's
    screen: this is for tests and sample data)."""
    from tsunagari.accounts.models import Affiliation, Assignment

    for organization in organizations:
        Affiliation.objects.get_or_create(user=user, organization=organization)
    for municipality in municipalities:
        Assignment.objects.get_or_create(user=user, municipality=municipality)
    if secretariat and not user.secretariat:
        user.secretariat = True
        user.save(update_fields=["secretariat"])
    user.forget_capacities()
    return user


def application_data(**overrides: Any) -> dict[str, Any]:
    """POST data of a complete, valid application form, shown a minute ago (the
    fill-time token of /apply/; the edit form after 修正依頼 ignores it)."""
    data: dict[str, Any] = {
        "agreed_to_purpose": "on",
        "name": "特定非営利活動法人サンプルつながり",
        "name_kana": "とくていひえいりかつどうほうじんさんぷるつながり",
        "legal_form": "npo",
        "sector": "private",
        "municipalities": ["142051", "141097"],
        "themes": [str(Theme.objects.get(name="居場所づくり").pk)],
        "description": "地域の居場所づくりに取り組んでいます。",
        "offers": "週1回の交流サロン",
        "needs": "ボランティアの担い手",
        "website": "https://example.org/",
        "postal_code": "２５１－００５２",
        "address": "藤沢市藤沢1-1-1（サンプル）",
        "phone": "０４６６－００－００００",
        "contact_name": "見本 花子",
        "contact_name_kana": "みほん はなこ",
        "contact_department": "事務局",
        "contact_email": "hanako@example.org",
        "contact_phone": "",
        "shown_at": issue_token(now=time.time() - 60),
        "homepage": "",
    }
    data.update(overrides)
    return data


def make_application(**overrides: Any) -> MembershipApplication:
    municipalities = overrides.pop("municipalities", ["142051"])
    fields: dict[str, Any] = {
        "agreed_to_purpose": True,
        "name": "一般社団法人サンプル",
        "name_kana": "イッパンシャダンホウジンサンプル",
        "legal_form": "general_association",
        "sector": "private",
        "description": "サンプルの団体です。",
        "postal_code": "251-0052",
        "address": "藤沢市藤沢1-1-1（サンプル）",
        "phone": "0466-00-0000",
        "contact_name": "見本 太郎",
        "contact_name_kana": "ミホン タロウ",
        "contact_email": "taro@example.org",
    }
    fields.update(overrides)
    application = MembershipApplication.objects.create(**fields)
    application.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    application.record_submission()
    return application


def make_resource(
    name: str = "サンプル 地域の居場所",
    *,
    organization: Any = None,
    kinds: tuple[str, ...] = ("ibasho",),
    targets: tuple[str, ...] = (),
    concerns: tuple[str, ...] = (),
    languages: tuple[str, ...] = ("ja",),
    accessibility: tuple[str, ...] = (),
    municipality: str | None = "142051",
    address: str = "藤沢市藤沢1-1-1（サンプル）",
    schedules: tuple[dict[str, Any], ...] = (),
    **fields: Any,
) -> Any:
    """A published sample resource with one location (unless municipality is None).

    schedules: keyword dicts for Schedule, e.g. {"frequency": "weekly", "weekdays": "3"}.
    """
    from tsunagari.directory.models import (
        AccessibilityFeature,
        Concern,
        Kind,
        Language,
        Location,
        Resource,
        Schedule,
        TargetGroup,
    )

    fields.setdefault("description", f"{name}の説明（サンプル）")
    fields.setdefault("is_sample", True)
    if organization is None:
        fields.setdefault("provider_name", "サンプル提供者")
    resource = Resource.objects.create(name=name, organization=organization, **fields)
    resource.kinds.set(Kind.objects.filter(slug__in=kinds))
    resource.target_groups.set(TargetGroup.objects.filter(slug__in=targets))
    resource.concerns.set(Concern.objects.filter(slug__in=concerns))
    resource.languages.set(Language.objects.filter(code__in=languages))
    resource.accessibility.set(AccessibilityFeature.objects.filter(slug__in=accessibility))
    location = None
    if municipality:
        location = Location.objects.create(
            resource=resource,
            name=f"{name}の会場",
            municipality_id=municipality,
            address=address,
        )
    for schedule in schedules:
        Schedule.objects.create(resource=resource, location=location, **schedule)
    return resource
