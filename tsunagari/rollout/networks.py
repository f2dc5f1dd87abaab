"""Partner networks (第2ステージ): their pages' queries, and importing their directories.

A partner network's directory arrives as HSDS 3.0 JSON. The import goes through the
directory's own HSDS importer (`hsds.import_services`), which replaces a service
imported before by its HSDS id, so importing a newer file updates rather than
duplicates; what this module adds is the provenance: every resource created or updated
is linked to the network (NetworkResource), with the import (NetworkImport) that first
and last brought it.

The page flow is preview → confirm, like the CSV import: the preview reads and checks
the file and writes nothing; the file waits on the server under a signed token, and the
confirmation claims it exactly once (an atomic rename), so a double click or two tabs
import it once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from tsunagari.audit import models as audit
from tsunagari.directory import hsds
from tsunagari.directory.models import Resource
from tsunagari.lib import pagecache
from tsunagari.rollout.models import (
    NetworkImport,
    NetworkResource,
    PartnerNetwork,
    PartnerNetworkMember,
)

MAX_BYTES = 5 * 1024 * 1024
PREVIEW_MAX_AGE = 30 * 60  # seconds
PREVIEW_SALT = "tsunagari.rollout.network-import-preview"


def listed() -> QuerySet[PartnerNetwork]:
    """The networks of the public list, each with its counts (no query per row)."""
    return (
        PartnerNetwork.objects.annotate(
            member_count=Count("members", distinct=True),
            resource_count=Count("resource_links", distinct=True),
        )
        .select_related("liaison_organization")
        .prefetch_related("topics", "municipalities")
        .order_by("is_sample", "name")
    )


def members_of(network: PartnerNetwork) -> list[PartnerNetworkMember]:
    return list(network.members.select_related("organization", "municipality"))


def imported_resources(network: PartnerNetwork) -> QuerySet[Resource]:
    """The published resources this network's directory brought, for its page."""
    return (
        Resource.objects.filter(
            partner_network_links__network=network, status=Resource.Status.PUBLISHED
        )
        .distinct()
        .order_by("name", "pk")
    )


def memberships_of(organization: Any) -> QuerySet[PartnerNetwork]:
    """The partner networks an organisation of ours belongs to."""
    return PartnerNetwork.objects.filter(members__organization=organization).distinct()


def with_members() -> QuerySet[PartnerNetwork]:
    return PartnerNetwork.objects.prefetch_related(
        "topics",
        "municipalities",
        Prefetch("members", queryset=PartnerNetworkMember.objects.select_related("municipality")),
    )


def changed() -> None:
    """The resource pages name the network they came from: drop their cached copies."""
    pagecache.bump("directory")


# ---------------------------------------------------------------------------------------
# Reading a file


class NetworkImportError(ValueError):
    """The files cannot be imported; one message per problem, each saying where."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def read_json(name: str, data: bytes) -> Any:
    """A file's JSON; UTF-8 with or without a BOM."""
    if len(data) > MAX_BYTES:
        raise NetworkImportError(
            [
                _("%(name)s: ファイルが大きすぎます（上限%(mb)dMB）。")
                % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
            ]
        )
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise NetworkImportError(
            [_("%(name)s: UTF-8 のテキストとして読めません。") % {"name": name}]
        ) from None
    except json.JSONDecodeError as e:
        raise NetworkImportError(
            [
                _("%(name)s %(line)d行目 %(column)d文字目: JSONとして読めません（%(error)s）。")
                % {"name": name, "line": e.lineno, "column": e.colno, "error": e.msg}
            ]
        ) from None


@dataclass
class ImportPreview:
    """What an import would do: HSDS ids and names to create and to update, warnings."""

    to_create: list[tuple[str, str]] = field(default_factory=list)
    to_update: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> list[list[str]]:
        """Compared at the confirmation: a different plan is shown again, not written."""
        return [sorted(i for i, _n in self.to_create), sorted(i for i, _n in self.to_update)]


def plan(
    documents: Iterable[tuple[str, Any]],
    *,
    sample: bool = False,
    verified_on: dt.date | None = None,
) -> ImportPreview:
    """Check the documents as `hsds.import_services` will, and say what it would do.

    Nothing is written. Raises NetworkImportError with every problem, each with its place
    in the file (the same checks the import makes, so a previewed file imports).
    """
    importer = hsds._Importer(
        status=Resource.Status.PUBLISHED,
        sample=sample,
        verified_on=verified_on,
        default_kind="consultation",
    )
    plans = []
    for name, document in documents:
        try:
            found = hsds.services_in(document)
        except hsds.HSDSImportError as error:
            importer.errors.extend(f"{name}{m}" for m in error.messages)
            continue
        if not found:
            importer.errors.append(_("%(name)s: サービスがありません。") % {"name": name})
        for where, service, organization in found:
            plans.append(importer.plan(f"{name}{where}", service, organization))
    sources = [p["fields"]["source"] for p in plans]
    for source in sorted({s for s in sources if sources.count(s) > 1}):
        importer.errors.append(
            _("同じサービス（%(source)s）が2回以上あります。") % {"source": source}
        )
    if importer.errors:
        raise NetworkImportError(importer.errors)
    existing = set(Resource.objects.filter(source__in=sources).values_list("source", flat=True))
    preview = ImportPreview(warnings=list(importer.warnings))
    for p in plans:
        source = p["fields"]["source"]
        entry = (hsds_id_of(source), p["fields"]["name"])
        (preview.to_update if source in existing else preview.to_create).append(entry)
    return preview


def hsds_id_of(source: str) -> str:
    return source.removeprefix(hsds.SOURCE_PREFIX)[:100]


def run_import(
    network: PartnerNetwork,
    documents: list[tuple[str, Any]],
    *,
    filename: str,
    by: Any = None,
    verified_on: dt.date | None = None,
) -> NetworkImport:
    """Import the documents and record the network as their provenance, all or nothing.

    The network's row is locked for the whole import, so two imports into one network
    follow each other (the second sees the first's resources and updates them).
    """
    with transaction.atomic():
        PartnerNetwork.objects.select_for_update().filter(pk=network.pk).first()
        try:
            result = hsds.import_services(
                documents, sample=network.is_sample, verified_on=verified_on
            )
        except hsds.HSDSImportError as error:
            raise NetworkImportError(error.messages) from None
        record = NetworkImport.objects.create(
            network=network,
            filename=filename[:200],
            created_count=len(result.created),
            updated_count=len(result.updated),
            warnings=result.warnings,
            by=by if getattr(by, "is_authenticated", False) else None,
        )
        for resource in result.created + result.updated:
            NetworkResource.objects.update_or_create(
                network=network,
                resource=resource,
                defaults={"hsds_id": hsds_id_of(resource.source), "last_import": record},
                create_defaults={
                    "hsds_id": hsds_id_of(resource.source),
                    "first_import": record,
                    "last_import": record,
                },
            )
        audit.record(
            by,
            audit.AuditEvent.Action.CREATE,
            record,
            changes={
                "filename": [None, record.filename],
                "created_count": [None, record.created_count],
                "updated_count": [None, record.updated_count],
            },
            note=network.name[:300],
        )
    changed()
    return record


# ---------------------------------------------------------------------------------------
# The file between the preview and the confirmation


class PreviewError(Exception):
    """The confirmation cannot go ahead; the message says why, for the person."""


@dataclass
class StagedImport:
    data: bytes
    network_id: int
    filename: str
    verified_on: dt.date | None
    summary: list[list[str]]


def _staging_dir() -> Path:
    return Path(settings.VAR_DIR) / "network-import-previews"


def stage(
    data: bytes,
    *,
    user_id: int | None,
    network_id: int,
    filename: str,
    verified_on: dt.date | None,
    preview: ImportPreview,
) -> str:
    """Keep the uploaded file for its confirmation; returns the signed token naming it."""
    folder = _staging_dir()
    folder.mkdir(parents=True, exist_ok=True)
    limit = time.time() - PREVIEW_MAX_AGE - 60
    for old in folder.glob("*"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:
            pass
    key = secrets.token_urlsafe(18)
    (folder / f"{key}.json").write_bytes(data)
    payload = {
        "key": key,
        "user": user_id,
        "network": network_id,
        "file": filename[:200],
        "verified_on": verified_on.isoformat() if verified_on else None,
        "summary": preview.summary(),
    }
    return signing.dumps(payload, salt=PREVIEW_SALT, compress=True)


def claim(token: str, *, user_id: int | None, network_id: int) -> StagedImport:
    """The staged file of a preview, exactly once: of two confirmations of the same
    preview only one finds the file (a rename is atomic); the other raises PreviewError."""
    unreadable = _("確認の情報を読み取れません。もう一度ファイルを選んでください。")
    try:
        payload = signing.loads(token, salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise PreviewError(
            _(
                "確認画面を表示してから時間がたったため、取り込めませんでした"
                "（確認の有効期限は%(minutes)d分です）。もう一度ファイルを選んでください。"
            )
            % {"minutes": PREVIEW_MAX_AGE // 60}
        ) from None
    except signing.BadSignature:
        raise PreviewError(unreadable) from None
    if user_id is None or payload.get("user") != user_id or payload.get("network") != network_id:
        raise PreviewError(unreadable)
    path = _staging_dir() / f"{payload['key']}.json"
    taken = path.with_suffix(".taken")
    try:
        os.rename(path, taken)
    except FileNotFoundError:
        raise PreviewError(
            _(
                "この確認画面の内容はすでに取り込んだか、期限が切れています。"
                "二重に取り込まないよう、何もしていません。"
            )
        ) from None
    try:
        data = taken.read_bytes()
    finally:
        taken.unlink(missing_ok=True)
    verified = payload.get("verified_on")
    return StagedImport(
        data=data,
        network_id=network_id,
        filename=payload["file"],
        verified_on=dt.date.fromisoformat(verified) if verified else None,
        summary=payload["summary"],
    )
