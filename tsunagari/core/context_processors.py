"""Template context shared by every page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The office the pages and e-mails have always named; CONTACT_OFFICE_NAME replaces it.
DEFAULT_OFFICE_NAME = _("神奈川県 福祉子どもみらい局 福祉部 生活援護課")


@dataclass(frozen=True)
class ContactOffice:
    """The contact office (お問い合わせ先): only what the settings give, never guessed."""

    name: str | Promise
    phone: str = ""
    email: str = ""
    url: str = ""
    sample: bool = False  # the demo's marked sample values, not a real office's

    @property
    def tel_href(self) -> str:
        """tel: link of a real number; a sample number (0XX-…) is not dialable."""
        digits = re.sub(r"[^0-9+]", "", self.phone)
        if self.sample or not digits or re.search(r"[A-Za-z]", self.phone):
            return ""
        return f"tel:{digits}"


def contact_office() -> ContactOffice:
    """The office from the settings; a demo (DEMO=true) that sets no phone, e-mail or
    URL shows clearly marked sample values instead, so the places they appear can be
    seen without inventing a real-looking number."""
    name = settings.CONTACT_OFFICE_NAME or DEFAULT_OFFICE_NAME
    phone, email, url = (
        settings.CONTACT_OFFICE_PHONE,
        settings.CONTACT_OFFICE_EMAIL,
        settings.CONTACT_OFFICE_URL,
    )
    if settings.DEMO and not (phone or email or url):
        return ContactOffice(
            name=name,
            phone="0XX-000-XXXX",
            email="sample-office@example.jp",
            url="https://example.jp/sample-office/",
            sample=True,
        )
    return ContactOffice(name=name, phone=phone, email=email, url=url)


def site(request: HttpRequest) -> dict[str, Any]:
    """DEMO: this site runs on sample data (make demo), said on every page; the
    contact office for the footer and the thanks pages."""
    return {"DEMO": settings.DEMO, "CONTACT_OFFICE": contact_office()}
