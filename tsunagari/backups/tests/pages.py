"""The public pages a restored site must serve as the original did, and how to read
them for comparison: `python -m tsunagari.backups.tests.pages` prints them as JSON
for the database its environment names (DATABASE_URL), so the drill can ask a second
process, connected to the restored database, for the same pages."""

from __future__ import annotations

import json
import re
from typing import Any

# The roster and searches residents make; 相談 and 食堂 are two-character words the
# search index must hold (README: "two-character words work").
PAGES = (
    "/roster/",
    "/resources/?q=相談",
    "/resources/?q=食堂",
    "/resources/?q=子ども",
)

# What differs between two requests for the same data: per-response nonces and tokens.
VOLATILE = (
    re.compile(r'nonce="[^"]*"'),
    re.compile(r'"inlineScriptNonce": "[^"]*"'),
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'name="(?:started|form_token|token)" value="[^"]*"'),
)


def page_texts(client: Any) -> dict[str, str]:
    pages = {}
    for path in PAGES:
        response = client.get(path)
        text = response.content.decode()
        for pattern in VOLATILE:
            text = pattern.sub("", text)
        pages[path] = f"{response.status_code}\n{text}"
    return pages


if __name__ == "__main__":
    import django

    django.setup()
    from django.test import Client

    print(json.dumps(page_texts(Client()), ensure_ascii=False))
