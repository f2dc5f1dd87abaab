"""Open Referral HSDS 3.0 (Human Services Data Specification): our directory as HSDS JSON.

Resource → service, Location → location (+ address, accessibility) under a
service_at_location, Schedule → schedule (RFC 5545 fields), Kind / TargetGroup / Concern /
AccessibilityFeature → taxonomy + taxonomy_term linked to services by attributes.
docs/hsds.md has the field-by-field table, including our extensions.

IDs are UUIDs derived from our primary keys (uuid5 over a fixed namespace), so the same
record keeps the same id from one export to the next. A hidden address (住所を公開しない)
never leaves this module: such a location is exported as its area only.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tsunagari.directory.models import (
    AccessibilityFeature,
    Concern,
    Kind,
    Location,
    Resource,
    Schedule,
    TargetGroup,
    Term,
)
from tsunagari.members.models import Organization

HSDS_VERSION = "3.0"
# Fixed forever: changing it changes every exported id.
NAMESPACE = uuid.UUID("6f1c3d2e-6b7a-5d1e-9a43-7473756e6167")
JST_OFFSET = "+09:00"
PREFECTURE = "神奈川県"
COUNTRY = "JP"

RRULE_DAYS = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
ISO_DAYS = {code: iso for iso, code in RRULE_DAYS.items()}


def hsds_id(kind: str, key: object) -> str:
    """A stable UUID for one of our records: uuid5(NAMESPACE, "kind:key")."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


# Taxonomies ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    """One of our taxonomies as an HSDS taxonomy."""

    slug: str
    name: str
    description: str
    model: type[Term] | None  # None: a fixed vocabulary (FLAGS), not a table

    @property
    def id(self) -> str:
        return hsds_id("taxonomy", self.slug)

    def term_id(self, slug: str) -> str:
        return hsds_id("taxonomy_term", f"{self.slug}:{slug}")

    def as_hsds(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "version": "1",
        }


KIND = Taxonomy(
    "tsunagari-kind", "資源の種類", "社会資源の種類（居場所、イベント、相談窓口など）", Kind
)
TARGET = Taxonomy(
    "tsunagari-target", "対象", "誰のための資源か（こども、若者、高齢者など）", TargetGroup
)
CONCERN = Taxonomy("tsunagari-concern", "相談の分野", "相談窓口が扱う困りごとの分野", Concern)
ACCESSIBILITY = Taxonomy(
    "tsunagari-accessibility", "アクセシビリティ", "バリアフリー・配慮", AccessibilityFeature
)
FLAGS = Taxonomy(
    "tsunagari-flag", "つながり拡張", "HSDSにない項目（かながわつながりネットワーク独自）", None
)
TAXONOMIES = [KIND, TARGET, CONCERN, ACCESSIBILITY, FLAGS]

# Our extensions, as terms of FLAGS: (slug, name, description).
FLAG_TERMS = [
    ("sample", "サンプル", "デモ用の架空のデータ（実在しない）"),
    ("online", "オンラインで参加・利用できる", "オンラインで参加・利用できる"),
    ("online-only", "オンラインのみ", "オンラインのみで、来所する場所はない"),
    ("free", "無料", "費用はかからない"),
    ("open-24h", "24時間対応", "24時間対応"),
    ("hidden-address", "住所非公開", "安全のため住所を公開しない場所。地域だけを示す"),
    ("event", "単発の開催", "日付を指定した単発の催し（HSDSにはイベントがないための拡張）"),
    ("capacity", "定員", "定員（値に記載）"),
    ("hours-note", "日時の補足", "日時の補足（値に記載）"),
    ("accessibility-note", "アクセシビリティの補足", "アクセシビリティの補足（値に記載）"),
]
FLAG_NAMES = {slug: (name, description) for slug, name, description in FLAG_TERMS}


def term_as_hsds(taxonomy: Taxonomy, term: Term) -> dict[str, Any]:
    return {
        "id": taxonomy.term_id(term.slug),
        "code": term.slug,
        "name": term.name,
        "description": term.description or term.name_en or term.name,
        "taxonomy": taxonomy.slug,
        "taxonomy_id": taxonomy.id,
        "language": "ja",
    }


def flag_as_hsds(slug: str) -> dict[str, Any]:
    name, description = FLAG_NAMES[slug]
    return {
        "id": FLAGS.term_id(slug),
        "code": slug,
        "name": name,
        "description": description,
        "taxonomy": FLAGS.slug,
        "taxonomy_id": FLAGS.id,
        "language": "ja",
    }


def taxonomy_terms() -> list[dict[str, Any]]:
    """Every term of every taxonomy, in taxonomy order (one query per table)."""
    terms: list[dict[str, Any]] = []
    for taxonomy in TAXONOMIES:
        if taxonomy.model is None:
            terms.extend(flag_as_hsds(slug) for slug, _name, _desc in FLAG_TERMS)
        else:
            terms.extend(term_as_hsds(taxonomy, t) for t in taxonomy.model._default_manager.all())
    return terms


# Organizations ---------------------------------------------------------------------------


def organization_id(resource: Resource) -> str:
    if resource.organization_id:
        return hsds_id("organization", resource.organization_id)
    # A provider that is not a member: one derived organization per provider name.
    return hsds_id("provider", resource.provider_name)


def organization_as_hsds(organization: Organization) -> dict[str, Any]:
    """A member organisation: only what the public roster shows (no address, phone, e-mail)."""
    data: dict[str, Any] = {
        "id": hsds_id("organization", organization.pk),
        "name": organization.name,
        "description": organization.description or organization.name,
    }
    if organization.name_kana:
        data["alternate_name"] = organization.name_kana
    if organization.website:
        data["website"] = organization.website
    return data


def provider_as_hsds(provider_name: str) -> dict[str, Any]:
    """A provider that is not a member (a public consultation window, say)."""
    return {
        "id": hsds_id("provider", provider_name),
        "name": provider_name,
        "description": provider_name,
    }


def resource_organization(resource: Resource) -> dict[str, Any]:
    if resource.organization is not None:
        return organization_as_hsds(resource.organization)
    return provider_as_hsds(resource.provider_name)


# Schedules -------------------------------------------------------------------------------


def _time(value: dt.time | None) -> str | None:
    return f"{value:%H:%M}{JST_OFFSET}" if value else None


def schedule_as_hsds(schedule: Schedule, service_id: str) -> dict[str, Any]:
    """A schedule in RFC 5545 terms; one-off and irregular ones have no freq."""
    rule = schedule.rule
    days = ",".join(RRULE_DAYS[d] for d in rule.weekdays if d in RRULE_DAYS)
    data: dict[str, Any] = {
        "id": hsds_id("schedule", schedule.pk),
        "service_id": service_id,
        "description": schedule.describe(),
        "timezone": 9,
    }
    if schedule.location_id:
        data["location_id"] = hsds_id("location", schedule.location_id)
    match schedule.frequency:
        case Schedule.Frequency.WEEKLY:
            data.update(freq="WEEKLY", wkst="MO", interval=1, byday=days)
        case Schedule.Frequency.DAILY:
            every_day = ",".join(RRULE_DAYS.values())
            data.update(freq="WEEKLY", wkst="MO", interval=1, byday=days or every_day)
        case Schedule.Frequency.MONTHLY_NTH:
            byday = ",".join(
                f"{week}{RRULE_DAYS[d]}" for week in rule.weeks_of_month for d in rule.weekdays
            )
            data.update(freq="MONTHLY", interval=1, byday=byday)
        case Schedule.Frequency.MONTHLY_DAY:
            # Our 毎月31日 means the last day of every month, which RFC 5545 writes -1.
            day = -1 if rule.day_of_month == 31 else rule.day_of_month
            data.update(freq="MONTHLY", interval=1, bymonthday=str(day))
    if rule.starts_on:
        data["dtstart"] = data["valid_from"] = rule.starts_on.isoformat()
    if schedule.frequency == Schedule.Frequency.ONCE and rule.starts_on:
        data["until"] = data["valid_to"] = (rule.ends_on or rule.starts_on).isoformat()
    elif rule.ends_on:
        data["until"] = data["valid_to"] = rule.ends_on.isoformat()
    if opens := _time(rule.opens_at):
        data["opens_at"] = opens
    if closes := _time(rule.closes_at):
        data["closes_at"] = closes
    if schedule.note:
        data["notes"] = schedule.note
    if schedule.frequency == Schedule.Frequency.ONCE:
        data["attributes"] = [_attribute(data["id"], "schedule", flag_as_hsds("event"))]
    return data


# Locations -------------------------------------------------------------------------------


def location_as_hsds(location: Location, resource: Resource) -> dict[str, Any]:
    """A place. When its address is hidden, only the area leaves the building:
    no street address, postal code, coordinates, directions or venue name."""
    location_id = hsds_id("location", location.pk)
    area = location.municipality.name
    data: dict[str, Any] = {"id": location_id, "location_type": "physical"}
    address: dict[str, Any] = {
        "id": hsds_id("address", location.pk),
        "location_id": location_id,
        "city": area,
        "state_province": PREFECTURE,
        "country": COUNTRY,
        "address_type": "physical",
    }
    attributes = []
    if location.hide_address:
        data["name"] = f"{area}（所在地非公開）"
        data["description"] = "安全のため住所を公開していません。問い合わせ先に連絡してください。"
        address.update(address_1="", postal_code="")
        attributes.append(_attribute(location_id, "location", flag_as_hsds("hidden-address")))
    else:
        data["name"] = location.name
        if location.access:
            data["transportation"] = location.access
        if location.latitude is not None and location.longitude is not None:
            data["latitude"] = float(location.latitude)
            data["longitude"] = float(location.longitude)
        address.update(address_1=location.address, postal_code=location.postal_code)
    data["addresses"] = [address]
    data["accessibility"] = [
        {
            "id": hsds_id("accessibility", f"{location.pk}:{feature.slug}"),
            "location_id": location_id,
            "description": feature.name,
            **({"details": resource.accessibility_note} if resource.accessibility_note else {}),
        }
        for feature in resource.accessibility.all()
    ]
    if attributes:
        data["attributes"] = attributes
    return data


def online_location_as_hsds(resource: Resource) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": hsds_id("online-location", resource.pk),
        "location_type": "virtual",
        "name": "オンライン",
    }
    if resource.url:
        data["url"] = resource.url
    return data


# Services --------------------------------------------------------------------------------


def _attribute(link_id: str, entity: str, term: dict[str, Any], value: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": hsds_id("attribute", f"{link_id}:{term['id']}"),
        "link_id": link_id,
        "link_type": term["taxonomy"],
        "link_entity": entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value:
        data["value"] = value
    return data


def status_of(resource: Resource) -> str:
    return "active" if resource.status == Resource.Status.PUBLISHED else "inactive"


def amount_of(fee: str) -> int | None:
    """The one yen amount in a fee text ("1回300円（材料費）" → 300), if there is exactly one."""
    amounts = re.findall(r"([\d,]+)\s*円", fee.translate(_WIDE_DIGITS))
    if len(amounts) != 1:
        return None
    return int(amounts[0].replace(",", ""))


_WIDE_DIGITS = str.maketrans("０１２３４５６７８９，", "0123456789,")


def service_summary(resource: Resource) -> dict[str, Any]:
    """The one-to-one fields of a service (HSDS service_list), with its organization."""
    service_id = hsds_id("service", resource.pk)
    data: dict[str, Any] = {
        "id": service_id,
        "organization_id": organization_id(resource),
        "name": resource.name,
        "description": resource.description,
        "status": status_of(resource),
        "last_modified": timezone.localtime(resource.updated_at).isoformat(),
    }
    if resource.name_kana:
        data["alternate_name"] = resource.name_kana
    if resource.url:
        data["url"] = resource.url
    if resource.email:
        data["email"] = resource.email
    if resource.how_to_join:
        data["application_process"] = resource.how_to_join
    fees = "無料" if resource.is_free else resource.fee
    if fees:
        data["fees_description"] = fees
    targets = [t.name for t in resource.target_groups.all()]
    if targets:
        data["eligibility_description"] = "対象：" + "、".join(targets)
    if resource.last_verified_on:
        data["assured_date"] = resource.last_verified_on.isoformat()
    data["organization"] = resource_organization(resource)
    return data


def service_as_hsds(resource: Resource) -> dict[str, Any]:
    """The fully nested service (HSDS compiled/service.json). Expects `prefetched()`."""
    data = service_summary(resource)
    service_id = data["id"]
    schedules = list(resource.schedules.all())
    data["schedules"] = [schedule_as_hsds(s, service_id) for s in schedules]

    if resource.phone:
        data["phones"] = [
            {
                "id": hsds_id("phone", resource.pk),
                "service_id": service_id,
                "number": resource.phone,
                "type": "voice",
                **({"description": resource.contact_name} if resource.contact_name else {}),
            }
        ]
    if resource.contact_name or resource.email:
        contact: dict[str, Any] = {"id": hsds_id("contact", resource.pk), "service_id": service_id}
        if resource.contact_name:
            contact["name"] = resource.contact_name
        if resource.email:
            contact["email"] = resource.email
        data["contacts"] = [contact]

    data["service_areas"] = [
        {
            "id": hsds_id("service_area", f"{resource.pk}:{m.code}"),
            "service_id": service_id,
            "name": m.name,
            "description": f"全国地方公共団体コード {m.code}",
        }
        for m in resource.service_area.all()
    ]
    data["languages"] = [
        {
            "id": hsds_id("language", f"{resource.pk}:{language.code}"),
            "service_id": service_id,
            "name": language.name,
            "code": language.code,
        }
        for language in resource.languages.all()
    ]
    if resource.is_free:
        data["cost_options"] = [
            {
                "id": hsds_id("cost_option", resource.pk),
                "service_id": service_id,
                "option": "無料",
                "currency": "JPY",
                "amount": 0,
            }
        ]
    elif resource.fee:
        option: dict[str, Any] = {
            "id": hsds_id("cost_option", resource.pk),
            "service_id": service_id,
            "currency": "JPY",
            "amount_description": resource.fee,
        }
        if (amount := amount_of(resource.fee)) is not None:
            option["amount"] = amount
        data["cost_options"] = [option]

    locations = [] if resource.online_only else list(resource.locations.all())
    service_at_locations = []
    for location in locations:
        sal_id = hsds_id("service_at_location", location.pk)
        service_at_locations.append(
            {
                "id": sal_id,
                "service_id": service_id,
                "location_id": hsds_id("location", location.pk),
                "schedules": [
                    schedule_as_hsds(s, service_id)
                    for s in schedules
                    if s.location_id == location.pk
                ],
                "location": location_as_hsds(location, resource),
            }
        )
    if resource.is_online:
        online = online_location_as_hsds(resource)
        service_at_locations.append(
            {
                "id": hsds_id("online-service-at-location", resource.pk),
                "service_id": service_id,
                "location_id": online["id"],
                "location": online,
            }
        )
    data["service_at_locations"] = service_at_locations
    data["attributes"] = _service_attributes(resource, service_id)
    return data


def _service_attributes(resource: Resource, service_id: str) -> list[dict[str, Any]]:
    attributes: list[dict[str, Any]] = []
    for taxonomy, terms in [
        (KIND, resource.kinds.all()),
        (TARGET, resource.target_groups.all()),
        (CONCERN, resource.concerns.all()),
        (ACCESSIBILITY, resource.accessibility.all()),
    ]:
        attributes.extend(
            _attribute(service_id, "service", term_as_hsds(taxonomy, t)) for t in terms
        )
    flags = {
        "sample": resource.is_sample,
        "online": resource.is_online,
        "online-only": resource.online_only,
        "free": resource.is_free,
        "open-24h": resource.is_24h,
    }
    attributes.extend(
        _attribute(service_id, "service", flag_as_hsds(slug)) for slug, on in flags.items() if on
    )
    for slug, value in [
        ("capacity", resource.capacity),
        ("hours-note", resource.hours_note),
        ("accessibility-note", resource.accessibility_note),
    ]:
        if value:
            attributes.append(_attribute(service_id, "service", flag_as_hsds(slug), value))
    return attributes


# Querysets -------------------------------------------------------------------------------


def summary_queryset(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related("organization").prefetch_related("target_groups")


def prefetched(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    """Everything service_as_hsds reads, in a fixed number of queries."""
    return resources.select_related("organization").prefetch_related(
        "kinds",
        "target_groups",
        "concerns",
        "languages",
        "accessibility",
        "service_area",
        Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        "schedules",
    )


def published() -> QuerySet[Resource]:
    return Resource.objects.published().order_by("pk")


def find_by_id(pks: Iterable[int], kind: str, value: str) -> int | None:
    """The pk whose HSDS id is `value` (uuid5 cannot be reversed: one query over the pks)."""
    for pk in pks:
        if hsds_id(kind, pk) == value:
            return pk
    return None


def organizations(resources: QuerySet[Resource]) -> list[dict[str, Any]]:
    """The organizations behind these resources: members, then providers, by name."""
    members = Organization.objects.filter(
        pk__in=resources.exclude(organization=None).values("organization")
    ).order_by("name", "pk")
    providers = (
        resources.filter(organization=None)
        .order_by("provider_name")
        .values_list("provider_name", flat=True)
        .distinct()
    )
    return [organization_as_hsds(o) for o in members] + [
        provider_as_hsds(name) for name in providers
    ]


def export(resources: Iterable[Resource]) -> list[dict[str, Any]]:
    return [service_as_hsds(r) for r in resources]


# Import ----------------------------------------------------------------------------------

SOURCE_PREFIX = "Open Referral HSDS: service "
FALLBACK_MUNICIPALITY = "140007"  # 神奈川県, when a place's municipality is unknown


class HSDSImportError(ValueError):
    """The file cannot be imported; `messages` says why, one line per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportResult:
    created: list[Resource]
    updated: list[Resource]
    warnings: list[str]
    new_languages: list[str]


def services_in(document: Any, where: str = "") -> list[tuple[str, dict[str, Any], Any]]:
    """(where, service, organization or None) for each service in an HSDS document:
    a service, a list, a Page envelope, an organization with services, or a
    service_at_location with its service."""
    found: list[tuple[str, dict[str, Any], Any]] = []
    if isinstance(document, list):
        for i, item in enumerate(document):
            found.extend(services_in(item, f"{where}[{i}]"))
    elif not isinstance(document, dict):
        raise HSDSImportError([f"{where or '/'}: HSDSのオブジェクトではありません。"])
    elif isinstance(document.get("contents"), list):
        found.extend(services_in(document["contents"], f"{where}.contents"))
    elif isinstance(document.get("service"), dict):
        service = dict(document["service"])
        if not service.get("service_at_locations") and document.get("location"):
            service["service_at_locations"] = [
                {k: v for k, v in document.items() if k != "service"}
            ]
        found.append((f"{where}.service", service, service.get("organization")))
    elif isinstance(document.get("services"), list) and "status" not in document:
        organization = {k: v for k, v in document.items() if k != "services"}
        for i, service in enumerate(document["services"]):
            for w, s, _org in services_in(service, f"{where}.services[{i}]"):
                found.append((w, s, s.get("organization") or organization))
    elif "name" in document or "status" in document:
        found.append((where or "/", document, document.get("organization")))
    else:
        raise HSDSImportError(
            [
                f"{where or '/'}: サービス（service）、その一覧、"
                "または団体（organization）ではありません。"
            ]
        )
    return found


class _Importer:
    def __init__(
        self,
        *,
        status: str,
        sample: bool,
        verified_on: dt.date | None,
        default_kind: str,
    ) -> None:
        from tsunagari.directory.models import Language
        from tsunagari.geo.models import Municipality

        self.status = status
        self.sample = sample
        self.verified_on = verified_on
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.new_languages: list[str] = []
        self.municipalities = {m.name: m for m in Municipality.objects.all()}
        self.languages = {lang.code.lower(): lang for lang in Language.objects.all()}
        self.terms: dict[str, dict[str, Term]] = {
            t.slug: {term.slug: term for term in t.model._default_manager.all()}
            for t in TAXONOMIES
            if t.model is not None
        }
        default = self.terms[KIND.slug].get(default_kind)
        if default is None:
            raise HSDSImportError([f"既定の種類「{default_kind}」がありません。"])
        self.default_kind = default

    # Small helpers: each records a warning or an error with where it happened.
    def text(self, where: str, value: Any, limit: int, label: str) -> str:
        text = str(value or "").strip()
        if len(text) > limit:
            self.warnings.append(f"{where}: {label}が{limit}文字を超えるため切り詰めました。")
            text = text[:limit]
        return text

    def valid(self, where: str, value: Any, validator: Any, label: str) -> str:
        from django.core.exceptions import ValidationError

        text = str(value or "").strip()
        if not text:
            return ""
        try:
            validator(text)
        except ValidationError:
            self.warnings.append(f"{where}: {label}「{text}」が正しくないため取り込みません。")
            return ""
        return text

    def date(self, where: str, value: Any, label: str) -> dt.date | None:
        if not value:
            return None
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            self.errors.append(f"{where}: {label}「{value}」は日付（YYYY-MM-DD）ではありません。")
            return None

    def time(self, where: str, value: Any, label: str) -> dt.time | None:
        if not value:
            return None
        try:
            parsed = dt.time.fromisoformat(str(value).strip())
        except ValueError:
            self.errors.append(f"{where}: {label}「{value}」は時刻（HH:MM）ではありません。")
            return None
        if parsed.tzinfo is not None:
            # Times with another UTC offset are shown in Japan time.
            moment = dt.datetime.combine(dt.date(2000, 1, 1), parsed)
            parsed = moment.astimezone(dt.timezone(dt.timedelta(hours=9))).time()
        return parsed.replace(tzinfo=None, second=0, microsecond=0)

    def phone(self, value: Any) -> str:
        from tsunagari.lib.text import normalize_phone

        raw = str(value or "").strip().strip('"').strip()
        try:
            return normalize_phone(raw, allow_short=True)
        except ValueError:
            return raw

    def municipality(self, where: str, address: dict[str, Any]) -> Any:
        city = str(address.get("city") or "").strip()
        region = str(address.get("region") or "").strip()
        street = str(address.get("address_1") or "").strip()
        for candidate in (city + region, city, region, region + city):
            candidate = candidate.removeprefix(PREFECTURE)
            if candidate in self.municipalities:
                return self.municipalities[candidate]
        # 「横浜市港北区大豆戸町…」: the longest name the street address starts with.
        street = street.removeprefix(PREFECTURE)
        for name in sorted(self.municipalities, key=len, reverse=True):
            if name != PREFECTURE and street.startswith(name):
                return self.municipalities[name]
        self.warnings.append(
            f"{where}: 市区町村「{city or street}」が神奈川県内に見つからないため、"
            "神奈川県として取り込みます。"
        )
        return self.municipalities[PREFECTURE]

    # The mapping, inverse of service_as_hsds.
    def plan(self, where: str, service: dict[str, Any], organization: Any) -> dict[str, Any]:
        from django.core.validators import EmailValidator, URLValidator

        name = str(service.get("name") or "").strip()
        if not name:
            self.errors.append(f"{where}: 名称（name）がありません。")
        elif len(name) > 120:
            self.errors.append(f"{where}: 名称（name）は120文字までです。")
        service_id = str(service.get("id") or "").strip()
        if not service_id:
            self.errors.append(f"{where} {name}: id がありません。")
        where = f"{where} {name}"

        attributes = _terms_of(service.get("attributes"))
        flags = {code for taxonomy, code, _value in attributes if taxonomy == FLAGS.slug}
        values = {code: value for taxonomy, code, value in attributes if value}
        taxonomy_terms_: dict[str, list[Term]] = {}
        for taxonomy in TAXONOMIES:
            if taxonomy.model is None:
                continue
            taxonomy_terms_[taxonomy.slug] = [
                self.terms[taxonomy.slug][code]
                for t, code, _v in attributes
                if t == taxonomy.slug and code in self.terms[taxonomy.slug]
            ]
        kinds = taxonomy_terms_[KIND.slug] or [self.default_kind]

        fields: dict[str, Any] = {
            "name": name,
            "name_kana": self.text(where, service.get("alternate_name"), 200, "フリガナ"),
            "description": str(service.get("description") or "") or name,
            "url": self.valid(where, service.get("url"), URLValidator(), "URL"),
            "email": self.valid(where, service.get("email"), EmailValidator(), "メールアドレス"),
            "how_to_join": str(service.get("application_process") or "").strip(),
            "is_sample": self.sample or "sample" in flags,
            "is_24h": "open-24h" in flags,
            "capacity": self.text(where, values.get("capacity"), 100, "定員"),
            "hours_note": self.text(where, values.get("hours-note"), 200, "日時の補足"),
            "accessibility_note": self.text(
                where, values.get("accessibility-note"), 300, "アクセシビリティの補足"
            ),
            "source": self.text(where, SOURCE_PREFIX + service_id, 300, "出典"),
            "last_verified_on": self.verified_on
            or self.date(where, service.get("assured_date"), "確認日（assured_date）"),
            "status": self.status if service.get("status") == "active" else Resource.Status.DRAFT,
        }
        fields.update(self.fees(where, service, flags))
        fields.update(self.contact(where, service))
        fields.update(self.provider(where, organization))
        if (
            not fields["organization"]
            and not fields["is_sample"]
            and not fields["last_verified_on"]
        ):
            self.errors.append(
                f"{where}: 構成員以外の提供者の資源には確認日（assured_date）が必要です。"
                "--verified-on で確認した日を指定するか、サンプルなら --sample を付けてください。"
            )

        locations, online = self.locations(where, service)
        schedules = self.schedules(where, service)
        fields["is_online"] = online or "online" in flags or "online-only" in flags
        fields["online_only"] = "online-only" in flags or (online and not locations)
        accessibility = list(taxonomy_terms_[ACCESSIBILITY.slug])
        notes = []
        features = {t.name: t for t in self.terms[ACCESSIBILITY.slug].values()}
        for location in locations:
            for item in location.pop("accessibility"):
                feature = features.get(item)
                if feature is not None and feature not in accessibility:
                    accessibility.append(feature)
                elif feature is None and item and item not in notes:
                    notes.append(item)
        if notes and not fields["accessibility_note"]:
            fields["accessibility_note"] = self.text(
                where, "、".join(notes), 300, "アクセシビリティの補足"
            )
        return {
            "where": where,
            "fields": fields,
            "kinds": kinds,
            "target_groups": taxonomy_terms_[TARGET.slug],
            "concerns": taxonomy_terms_[CONCERN.slug],
            "accessibility": accessibility,
            "languages": self.language_codes(where, service.get("languages")),
            "service_area": self.service_areas(where, service.get("service_areas")),
            "locations": locations,
            "schedules": schedules,
        }

    def fees(self, where: str, service: dict[str, Any], flags: set[str]) -> dict[str, Any]:
        options = [o for o in service.get("cost_options") or [] if isinstance(o, dict)]
        description = str(service.get("fees_description") or "").strip()
        free = "free" in flags or description in ("無料", "free", "Free")
        if options and all(o.get("amount") in (0, 0.0) for o in options):
            free = True
        if free:
            return {"is_free": True, "fee": ""}
        if not description and options:
            parts = []
            for o in options:
                amount = o.get("amount")
                text = " ".join(
                    str(p)
                    for p in (
                        o.get("option"),
                        f"{amount:g} {str(o.get('currency') or '').upper()}".strip()
                        if isinstance(amount, int | float)
                        else None,
                        o.get("amount_description"),
                    )
                    if p
                )
                parts.append(text)
            description = "、".join(p for p in parts if p)
        return {"is_free": False, "fee": self.text(where, description, 200, "費用")}

    def contact(self, where: str, service: dict[str, Any]) -> dict[str, Any]:
        contacts = [c for c in service.get("contacts") or [] if isinstance(c, dict)]
        phones = [p for p in service.get("phones") or [] if isinstance(p, dict)]
        for contact in contacts:
            phones.extend(p for p in contact.get("phones") or [] if isinstance(p, dict))
        for sal in service.get("service_at_locations") or []:
            if isinstance(sal, dict):
                phones.extend(p for p in sal.get("phones") or [] if isinstance(p, dict))
        numbers = list(dict.fromkeys(self.phone(p.get("number")) for p in phones))
        numbers = [n for n in numbers if n]
        if len(numbers) > 1:
            self.warnings.append(
                f"{where}: 電話番号は1件だけ取り込みます（{numbers[0]}）。"
                f"ほか{len(numbers) - 1}件は取り込みません。"
            )
        phone = numbers[0] if numbers else ""
        if len(phone) > 20:
            self.warnings.append(f"{where}: 電話番号「{phone}」が長すぎるため取り込みません。")
            phone = ""
        name = str(contacts[0].get("name") or "").strip() if contacts else ""
        if not name and phones:
            name = str(phones[0].get("description") or "").strip()
        return {"phone": phone, "contact_name": self.text(where, name, 100, "問い合わせ先")}

    def provider(self, where: str, organization: Any) -> dict[str, Any]:
        if not isinstance(organization, dict) or not str(organization.get("name") or "").strip():
            self.errors.append(f"{where}: 提供団体（organization の name）がありません。")
            return {"organization": None, "provider_name": ""}
        name = str(organization["name"]).strip()
        members = list(Organization.objects.filter(name=name)[:2])
        if len(members) == 1:
            return {"organization": members[0], "provider_name": ""}
        return {"organization": None, "provider_name": self.text(where, name, 120, "提供者名")}

    def language_codes(self, where: str, languages: Any) -> list[Any]:
        from tsunagari.directory.models import Language

        found = []
        for item in languages or []:
            if not isinstance(item, dict):
                continue
            code = str(item.get("code") or "").strip()
            name = str(item.get("name") or "").strip()
            if not code:
                match = [lang for lang in self.languages.values() if lang.name == name]
                if not match:
                    self.warnings.append(
                        f"{where}: 言語コードのない言語「{name}」は取り込みません。"
                    )
                    continue
                code = match[0].code
            language = self.languages.get(code.lower())
            if language is None:
                language = Language(code=code[:16], name=(name or code)[:40], sort_order=500)
                self.languages[code.lower()] = language
                self.new_languages.append(code)
            if language not in found:
                found.append(language)
        return found

    def service_areas(self, where: str, areas: Any) -> list[Any]:
        from tsunagari.geo.models import Municipality

        by_code = {m.code: m for m in self.municipalities.values()}
        found: list[Municipality] = []
        for area in areas or []:
            if not isinstance(area, dict):
                continue
            name = str(area.get("name") or "").strip().removeprefix(PREFECTURE)
            code = re.search(r"\b(\d{6})\b", str(area.get("description") or ""))
            municipality = self.municipalities.get(name) or (
                by_code.get(code.group(1)) if code else None
            )
            if municipality is None:
                self.warnings.append(
                    f"{where}: 対象地域「{name[:40]}」は"
                    "神奈川県の市区町村ではないため取り込みません。"
                )
            elif municipality not in found:
                found.append(municipality)
        return found

    def locations(self, where: str, service: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
        planned: list[dict[str, Any]] = []
        online = False
        seen: set[str] = set()
        for i, sal in enumerate(service.get("service_at_locations") or []):
            if not isinstance(sal, dict) or not isinstance(sal.get("location"), dict):
                continue
            location = sal["location"]
            here = f"{where} service_at_locations[{i}]"
            hsds_location_id = str(location.get("id") or sal.get("location_id") or "")
            if hsds_location_id and hsds_location_id in seen:
                continue
            seen.add(hsds_location_id)
            if location.get("location_type") == "virtual":
                online = True
                continue
            addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
            addresses.sort(key=lambda a: a.get("address_type") != "physical")
            address = addresses[0] if addresses else {}
            hidden = FLAGS.slug in {
                t
                for t, code, _v in _terms_of(location.get("attributes"))
                if code == "hidden-address"
            }
            street = " ".join(
                str(address.get(k) or "").strip() for k in ("address_1", "address_2")
            ).strip()
            latitude, longitude = self.coordinates(here, location)
            planned.append(
                {
                    "hsds_id": hsds_location_id,
                    "schedules": [s for s in sal.get("schedules") or [] if isinstance(s, dict)]
                    + [s for s in location.get("schedules") or [] if isinstance(s, dict)],
                    "accessibility": [
                        str(a.get("description") or "").strip()
                        for a in location.get("accessibility") or []
                        if isinstance(a, dict)
                    ],
                    "fields": {
                        "name": self.text(
                            here, location.get("name") or service.get("name"), 120, "場所の名称"
                        ),
                        "municipality": self.municipality(here, address),
                        "postal_code": self.postal_code(here, address.get("postal_code")),
                        "address": self.text(here, street, 200, "住所"),
                        "latitude": latitude,
                        "longitude": longitude,
                        "hide_address": hidden,
                        "access": self.text(
                            here, location.get("transportation"), 200, "アクセス方法"
                        ),
                        "sort_order": len(planned),
                    },
                }
            )
        return planned, online

    def postal_code(self, where: str, value: Any) -> str:
        from tsunagari.lib.text import normalize_postal_code

        text = str(value or "").strip()
        if not text:
            return ""
        try:
            return normalize_postal_code(text)
        except ValueError:
            if len(text) <= 8:
                return text
            self.warnings.append(f"{where}: 郵便番号「{text}」が長すぎるため取り込みません。")
            return ""

    def coordinates(self, where: str, location: dict[str, Any]) -> tuple[Any, Any]:
        from decimal import Decimal

        lat, lon = location.get("latitude"), location.get("longitude")
        if lat is None or lon is None:
            return None, None
        try:
            lat_d, lon_d = Decimal(str(lat)), Decimal(str(lon))
        except ArithmeticError:
            lat_d = lon_d = Decimal(999)
        if not (-90 <= lat_d <= 90 and -180 <= lon_d <= 180):
            self.warnings.append(f"{where}: 緯度経度（{lat}, {lon}）が範囲外のため取り込みません。")
            return None, None
        return round(lat_d, 6), round(lon_d, 6)

    def schedules(self, where: str, service: dict[str, Any]) -> list[dict[str, Any]]:
        """Every schedule once: the service's, then those only under a location."""
        planned: list[dict[str, Any]] = []
        seen: set[str] = set()
        sources: list[tuple[str, dict[str, Any]]] = [
            ("", s) for s in service.get("schedules") or [] if isinstance(s, dict)
        ]
        for sal in service.get("service_at_locations") or []:
            if not isinstance(sal, dict):
                continue
            location: dict[str, Any] = sal.get("location") or {}
            if not isinstance(location, dict):
                location = {}
            location_id = str(location.get("id") or sal.get("location_id") or "")
            for s in [*(sal.get("schedules") or []), *(location.get("schedules") or [])]:
                if isinstance(s, dict):
                    sources.append((location_id, s))
        for i, (location_id, schedule) in enumerate(sources):
            key = str(schedule.get("id") or f"#{i}")
            if key in seen:
                continue
            seen.add(key)
            planned.append(
                {
                    "location": str(schedule.get("location_id") or location_id),
                    "fields": self.schedule(f"{where} schedules[{i}]", schedule),
                }
            )
        return planned

    def schedule(self, where: str, s: dict[str, Any]) -> dict[str, Any]:
        """The inverse of schedule_as_hsds; a pattern we cannot keep becomes 不定期
        with the schedule's description as its note."""
        starts_on = self.date(where, s.get("dtstart") or s.get("valid_from"), "開始日")
        ends_on = self.date(where, s.get("until") or s.get("valid_to"), "終了日")
        fields: dict[str, Any] = {
            "starts_on": starts_on,
            "ends_on": ends_on,
            "opens_at": self.time(where, s.get("opens_at"), "開始時刻"),
            "closes_at": self.time(where, s.get("closes_at"), "終了時刻"),
        }
        freq = str(s.get("freq") or "").upper()
        byday = [p.strip().upper() for p in str(s.get("byday") or "").split(",") if p.strip()]
        bymonthday = [p.strip() for p in str(s.get("bymonthday") or "").split(",") if p.strip()]
        unsupported = any(s.get(k) for k in ("byweekno", "byyearday", "count")) or (
            s.get("interval") not in (None, "", 1, "1")
        )
        parsed = [re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", d) for d in byday]
        rule: dict[str, Any] | None = None
        if unsupported or not all(parsed):
            rule = None
        elif freq == "WEEKLY" and byday and not any(m and m.group(1) for m in parsed):
            days = [ISO_DAYS[m.group(2)] for m in parsed if m]
            rule = (
                {"frequency": Schedule.Frequency.DAILY, "weekdays": ""}
                if sorted(days) == list(range(1, 8))
                else {"frequency": Schedule.Frequency.WEEKLY, "weekdays": _join(days)}
            )
        elif freq == "MONTHLY" and byday and not bymonthday:
            pairs = {(int(m.group(1) or 0), ISO_DAYS[m.group(2)]) for m in parsed if m}
            weeks = sorted({w for w, _d in pairs}, key=lambda w: (w < 0, w))
            days = sorted({d for _w, d in pairs})
            complete = pairs == {(w, d) for w in weeks for d in days}
            if complete and all(w in (1, 2, 3, 4, 5, -1) for w in weeks):
                rule = {
                    "frequency": Schedule.Frequency.MONTHLY_NTH,
                    "weekdays": _join(days),
                    "weeks_of_month": _join(weeks),
                }
        elif freq == "MONTHLY" and len(bymonthday) == 1 and not byday:
            day = int(bymonthday[0]) if re.fullmatch(r"-?\d+", bymonthday[0]) else 0
            if day == -1 or 1 <= day <= 31:
                rule = {
                    "frequency": Schedule.Frequency.MONTHLY_DAY,
                    "day_of_month": 31 if day == -1 else day,
                }
        elif not freq and starts_on and not byday and not bymonthday:
            rule = {"frequency": Schedule.Frequency.ONCE}
            if ends_on == starts_on:
                fields["ends_on"] = None
        note = str(s.get("notes") or "").strip()
        if rule is None:
            rule = {"frequency": Schedule.Frequency.IRREGULAR}
            description = str(s.get("description") or "").strip()
            # Our own export describes an irregular schedule as 不定期（notes）: keep the notes.
            if not (note and note in description):
                note = "。".join(p for p in (description, note) if p)
            if freq or byday or bymonthday:
                self.warnings.append(
                    f"{where}: 繰り返し（freq={freq or '-'} byday={','.join(byday) or '-'}）は"
                    "表せないため、不定期として説明を補足に入れます。"
                )
        fields.update(rule)
        fields["note"] = self.text(where, note, 200, "日程の補足")
        errors = Schedule(**fields).rule.errors()
        for field, message in errors.items():
            self.errors.append(f"{where}: {message}（{field}）")
        return fields

    def save(self, plan: dict[str, Any]) -> tuple[Resource, bool]:
        fields = plan["fields"]
        resource = Resource.objects.filter(source=fields["source"]).first()
        created = resource is None
        if resource is None:
            resource = Resource(**fields)
        else:
            for name, value in fields.items():
                setattr(resource, name, value)
            resource.locations.all().delete()
            resource.schedules.all().delete()
        resource.save()
        for name in ("kinds", "target_groups", "concerns", "accessibility", "service_area"):
            getattr(resource, name).set(plan[name])
        for language in plan["languages"]:
            if language._state.adding:
                language.save()
        resource.languages.set(plan["languages"])
        locations: dict[str, Location] = {}
        for item in plan["locations"]:
            location = Location.objects.create(resource=resource, **item["fields"])
            locations[item["hsds_id"]] = location
        for item in plan["schedules"]:
            Schedule.objects.create(
                resource=resource, location=locations.get(item["location"]), **item["fields"]
            )
        return resource, created


def _join(numbers: Iterable[int]) -> str:
    return ",".join(str(n) for n in numbers)


def _terms_of(attributes: Any) -> list[tuple[str, str, str]]:
    """(taxonomy, code, value) of each attribute's taxonomy term."""
    found = []
    taxonomy_by_id = {t.id: t.slug for t in TAXONOMIES}
    for attribute in attributes or []:
        if not isinstance(attribute, dict) or not isinstance(attribute.get("taxonomy_term"), dict):
            continue
        term = attribute["taxonomy_term"]
        taxonomy = str(term.get("taxonomy") or "") or taxonomy_by_id.get(
            str(term.get("taxonomy_id") or ""), ""
        )
        found.append((taxonomy, str(term.get("code") or ""), str(attribute.get("value") or "")))
    return found


def import_services(
    documents: Iterable[tuple[str, Any]],
    *,
    status: str = Resource.Status.PUBLISHED,
    sample: bool = False,
    verified_on: dt.date | None = None,
    default_kind: str = "consultation",
) -> ImportResult:
    """Create (or, for a service imported before, replace) one Resource per HSDS service.

    documents: (file name, parsed JSON). All or nothing: any error raises HSDSImportError
    before anything is written.
    """
    from django.db import transaction

    from tsunagari.directory import search

    importer = _Importer(
        status=status, sample=sample, verified_on=verified_on, default_kind=default_kind
    )
    plans = []
    for name, document in documents:
        try:
            found = services_in(document)
        except HSDSImportError as error:
            importer.errors.extend(f"{name}{m}" for m in error.messages)
            continue
        if not found:
            importer.errors.append(f"{name}: サービスがありません。")
        for where, service, organization in found:
            plans.append(importer.plan(f"{name}{where}", service, organization))
    sources = [p["fields"]["source"] for p in plans]
    for source in {s for s in sources if sources.count(s) > 1}:
        importer.errors.append(f"同じサービス（{source}）が2回以上あります。")
    if importer.errors:
        raise HSDSImportError(importer.errors)

    created: list[Resource] = []
    updated: list[Resource] = []
    with transaction.atomic():
        for plan in plans:
            resource, is_new = importer.save(plan)
            (created if is_new else updated).append(resource)
        search.reindex([r.pk for r in created + updated])
    return ImportResult(created, updated, importer.warnings, importer.new_languages)
