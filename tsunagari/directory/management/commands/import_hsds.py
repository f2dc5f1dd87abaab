"""Import Open Referral HSDS 3.0 JSON into the directory, all or nothing.

    python manage.py import_hsds service_full.json organization_full.json [--sample]
        [--status draft] [--verified-on 2025-04-01] [--default-kind consultation]

A file may hold a service, a list of services, a Page envelope of them, an organization
with its services, or service_at_locations with their service. A service imported
before (same HSDS id) is replaced rather than duplicated.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagari.directory import hsds
from tsunagari.directory.models import Resource


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class Command(BaseCommand):
    help = (
        "Open Referral HSDS 3.0 の JSON から社会資源を取り込みます"
        "（すべて取り込むか、何もしないか）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="HSDS の JSON ファイル")
        parser.add_argument(
            "--sample", action="store_true", help="サンプル（架空）のデータとして取り込む"
        )
        parser.add_argument(
            "--status",
            choices=[Resource.Status.PUBLISHED, Resource.Status.DRAFT],
            default=Resource.Status.PUBLISHED,
            help="active のサービスの公開状態（既定: published）。それ以外は下書き。",
        )
        parser.add_argument(
            "--verified-on",
            type=_date,
            help="最終確認日（YYYY-MM-DD）。省略時は各サービスの assured_date",
        )
        parser.add_argument(
            "--default-kind",
            default="consultation",
            help="種類の分類がないサービスの種類（既定: consultation 相談窓口）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        documents = []
        for name in options["files"]:
            try:
                text = Path(name).read_text(encoding="utf-8-sig")
            except OSError as error:
                raise CommandError(f"{name}: 読み込めません（{error.strerror}）。") from error
            try:
                documents.append((name, json.loads(text)))
            except json.JSONDecodeError as error:
                raise CommandError(
                    f"{name}: {error.lineno}行目 {error.colno}列目: "
                    f"JSONとして読めません（{error.msg}）。"
                ) from error
        try:
            result = hsds.import_services(
                documents,
                status=options["status"],
                sample=options["sample"],
                verified_on=options["verified_on"],
                default_kind=options["default_kind"],
            )
        except hsds.HSDSImportError as error:
            raise CommandError(
                "取り込みませんでした（何も保存していません）:\n"
                + "\n".join(f"  {m}" for m in error.messages)
            ) from error
        for warning in result.warnings:
            self.stderr.write(f"注意: {warning}")
        if result.new_languages:
            self.stdout.write("新しい対応言語を追加しました: " + ", ".join(result.new_languages))
        self.stdout.write(
            f"{len(result.created)}件を新規に取り込み、{len(result.updated)}件を更新しました。"
        )
