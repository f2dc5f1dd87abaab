"""Import a partner network's directory (HSDS 3.0 JSON), recording the network as the
provenance of every resource, all or nothing.

    python manage.py import_network_directory --network <id or name> files.json…
        [--verified-on 2026-04-01] [--dry-run]

The same as 「社会資源を取り込む（HSDS）」 on the network's page: a service imported before
(same HSDS id) is updated, not duplicated; --dry-run prints what would happen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tsunagari.rollout import networks
from tsunagari.rollout.models import PartnerNetwork


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class Command(BaseCommand):
    help = "連携するネットワークの社会資源の一覧（HSDS 3.0 の JSON）を、出典つきで取り込みます。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="HSDS の JSON ファイル")
        parser.add_argument("--network", required=True, help="連携するネットワークのID、または名称")
        parser.add_argument(
            "--verified-on",
            type=_date,
            help="最終確認日（YYYY-MM-DD）。省略時は各サービスの assured_date",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="何も保存せず、取り込む内容だけを表示する"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = str(options["network"]).strip()
        network = (
            PartnerNetwork.objects.filter(pk=int(key)).first() if key.isdigit() else None
        ) or PartnerNetwork.objects.filter(name=key).first()
        if network is None:
            raise CommandError(f"連携するネットワーク「{key}」が見つかりません。")
        documents = []
        try:
            for name in options["files"]:
                try:
                    data = Path(name).read_bytes()
                except OSError as error:
                    raise CommandError(f"{name}: 読み込めません（{error.strerror}）。") from error
                documents.append((name, networks.read_json(name, data)))
            preview = networks.plan(
                documents, sample=network.is_sample, verified_on=options["verified_on"]
            )
            for warning in preview.warnings:
                self.stderr.write(warning)
            if options["dry_run"]:
                self.stdout.write(
                    f"{network.name}: 新規 {len(preview.to_create)}件、"
                    f"更新 {len(preview.to_update)}件（--dry-run: 何も保存していません）"
                )
                return
            done = networks.run_import(
                network,
                documents,
                filename=", ".join(Path(n).name for n, _d in documents),
                verified_on=options["verified_on"],
            )
        except networks.NetworkImportError as error:
            raise CommandError(
                "取り込みませんでした（何も保存していません）:\n" + "\n".join(error.messages)
            ) from error
        self.stdout.write(
            f"{network.name}: {done.created_count}件を新規に取り込み、"
            f"{done.updated_count}件を更新しました。"
        )
