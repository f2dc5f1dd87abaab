"""Write the published directory as Open Referral HSDS 3.0 JSON (UTF-8).

python manage.py export_hsds                  # services as one JSON array on stdout
python manage.py export_hsds --output out.json
python manage.py export_hsds --output hsds/   # services.json, organizations.json,
                                              # taxonomies.json, taxonomy_terms.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tsunagari.directory import hsds


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "公開中の社会資源を Open Referral HSDS 3.0 の JSON で書き出します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="書き出し先。.json で終わればサービスの一覧を1ファイルに、"
            "それ以外はフォルダに services/organizations/taxonomies/taxonomy_terms を書き出します。"
            "省略時は標準出力。",
        )

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        services = hsds.export(hsds.prefetched(hsds.published()))
        if output is None:
            self.stdout.write(dump(services), ending="")
            return
        target = Path(output)
        if target.suffix == ".json":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(dump(services), encoding="utf-8")
            self.stdout.write(f"{len(services)}件のサービスを {target} に書き出しました。")
            return
        target.mkdir(parents=True, exist_ok=True)
        files = {
            "services.json": services,
            "organizations.json": hsds.organizations(hsds.published()),
            "taxonomies.json": [t.as_hsds() for t in hsds.TAXONOMIES],
            "taxonomy_terms.json": hsds.taxonomy_terms(),
        }
        for name, data in files.items():
            (target / name).write_text(dump(data), encoding="utf-8")
        self.stdout.write(f"{len(services)}件のサービスを {target}/ に書き出しました。")
