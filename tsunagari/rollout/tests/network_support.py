"""Shared by the partner-network tests: a network, and HSDS files to upload."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.rollout.models import PartnerNetwork


def make_network(name: str = "【テスト】くらし支援ネットワーク", **extra: Any) -> PartnerNetwork:
    extra.setdefault("liaison_body", "【テスト】事務局")
    extra.setdefault("source_name", "【テスト】県の支援機関一覧")
    return PartnerNetwork.objects.create(name=name, **extra)


def upload(document: Any, name: str = "directory.json") -> SimpleUploadedFile:
    data = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return SimpleUploadedFile(name, data, content_type="application/json")
