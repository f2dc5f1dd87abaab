"""Access-matrix rows: partner networks (/networks/) and their imports.

The list, a network's page and the API are everyone's; registering, editing and
importing a network's directory are the secretariat's alone.

See core/tests/test_access_matrix.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from itertools import count
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tsunagari.core.tests.test_access_matrix import (
    SECRETARIAT_PAGE,
    SECRETARIAT_POST,
    Row,
    everyone,
    seen_of,
)

_serial = count(1)


def network_url(suffix: str = "", *, api: bool = False) -> Callable[[Any], str]:
    def make(t: Any) -> str:
        from tsunagari.rollout.models import PartnerNetwork

        network = PartnerNetwork.objects.create(
            name=f"【テスト】連携ネットワーク{next(_serial)}",
            liaison_body="【テスト】事務局",
            source_name="【テスト】出典",
        )
        network.members.create(name="【テスト】構成団体")
        if api:
            return f"/api/v1/networks/{network.pk}"
        return f"/networks/{network.pk}/{suffix}"

    return make


def network_data(t: Any, url: str) -> dict[str, Any]:
    from tsunagari.rollout.models import PartnerNetwork

    return {
        **seen_of(PartnerNetwork, url),
        "name": f"【テスト】新しい連携ネットワーク{next(_serial)}",
        "liaison_body": "【テスト】事務局",
        "source_name": "【テスト】出典",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-name": "【テスト】構成団体",
    }


def import_data(t: Any, url: str) -> dict[str, Any]:
    """A file to preview; the preview is a page (200), so the confirm row posts its token."""
    from tsunagari.directory.tests.hsds_support import example

    data = json.dumps(example("service_full.json")).encode()
    return {"file": SimpleUploadedFile("a.json", data, content_type="application/json")}


def confirm_data(t: Any, url: str) -> dict[str, Any]:
    """A preview token of the secretariat's; others' confirmations are refused first."""
    from tsunagari.directory.tests.hsds_support import example
    from tsunagari.rollout import networks

    document = example("service_full.json")
    network_id = int(url.rstrip("/").split("/")[-2])
    token = networks.stage(
        json.dumps(document).encode(),
        user_id=t.secretariat.pk,
        network_id=network_id,
        filename="a.json",
        verified_on=None,
        preview=networks.plan([("a.json", document)]),
    )
    return {"preview": token}


ROWS: list[Row] = [
    Row("rollout:network_list", "GET", "/networks/", everyone(200)),
    Row("rollout:network_detail", "GET", network_url(), everyone(200)),
    Row("rollout:network_detail", "GET", "/networks/999999/", everyone(404)),
    Row("api-v1:list_networks", "GET", "/api/v1/networks", everyone(200)),
    Row("api-v1:get_network", "GET", network_url(api=True), everyone(200)),
    Row("api-v1:get_network", "GET", "/api/v1/networks/999999", everyone(404)),
    Row("rollout:network_new", "GET", "/networks/new/", SECRETARIAT_PAGE),
    Row("rollout:network_new", "POST", "/networks/new/", SECRETARIAT_POST, data=network_data),
    Row("rollout:network_edit", "GET", network_url("edit/"), SECRETARIAT_PAGE),
    Row("rollout:network_edit", "POST", network_url("edit/"), SECRETARIAT_POST, data=network_data),
    Row("rollout:network_import", "GET", network_url("import/"), SECRETARIAT_PAGE),
    Row(
        "rollout:network_import",
        "POST",
        network_url("import/"),
        SECRETARIAT_PAGE,
        data=import_data,
        note="the preview: a page, nothing written",
    ),
    Row(
        "rollout:network_import",
        "POST",
        network_url("import/"),
        SECRETARIAT_POST,
        data=confirm_data,
        note="the confirmation",
    ),
]
