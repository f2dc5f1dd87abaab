"""Bot protection for public forms, without CAPTCHAs and without tracking anyone.

Two checks a person never notices:
- a trap field (honeypot) hidden from eyes, screen readers and the keyboard; a person
  leaves it empty, a robot filling every input does not;
- a fill-time token: the moment the form was shown, signed with the secret key. A
  submission sooner than `min_seconds` after it (no person reads and writes that fast)
  or later than `max_seconds` (a token collected in advance) is refused kindly, with what
  was typed kept. A form shown again (with errors) keeps the token of its first showing
  while it is still good, so a person who fixes a mistake can send again at once.

Use `HumanCheckForm` as a mixin before forms.Form / forms.ModelForm and render
`{% include "antibot_fields.html" %}` inside the <form>. A robot caught by the trap
should see the usual thanks and nothing should be saved (`form.is_from_a_robot`).
"""

from __future__ import annotations

import re
import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from tsunagari.lib.pagecache import Fresh

SIGNING_SALT = "tsunagari.lib.antibot.fill-time"


def issue_token(*, now: float | None = None) -> str:
    """A token saying "this form was shown at `now`" (tests may pass a past time)."""
    return signing.dumps({"t": time.time() if now is None else now}, salt=SIGNING_SALT)


def token_age(token: str) -> float | None:
    """Seconds since the token was issued, or None if it is not one of ours."""
    try:
        issued = float(signing.loads(token, salt=SIGNING_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return time.time() - issued


# A page from the cache (lib/pagecache.py) gets a token of its own moment in every response.
FRESH_TOKEN = Fresh(
    "antibot",
    make=lambda request: issue_token(),
    pattern=re.compile(rb'name="shown_at" value="([^"]+)"'),
)


class FreshTokenInput(forms.HiddenInput):
    """The fill-time token: a new one when the form is first shown; when a submitted form
    is shown again, the token it was sent with, so that the time counts from the first
    showing, unless that token is not ours, from the future or older than `max_seconds`
    (then a new one, so that sending again works)."""

    def __init__(self, *, max_seconds: float, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.max_seconds = max_seconds

    def format_value(self, value: Any) -> str:
        if isinstance(value, str) and value:
            age = token_age(value)
            if age is not None and 0 <= age <= self.max_seconds:
                return value
        return issue_token()


class HumanCheckForm(forms.BaseForm):
    """Adds the trap field and the fill-time token to a form (a mixin)."""

    min_seconds = 3
    max_seconds = 2 * 3600
    TRAP = "homepage"
    TOKEN = "shown_at"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[self.TRAP] = forms.CharField(
            label=_("この欄は空のままにしてください"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[self.TOKEN] = forms.CharField(
            required=False, widget=FreshTokenInput(max_seconds=self.max_seconds)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_from_a_robot:
            return data
        age = token_age(data.get(self.TOKEN) or "")
        if age is None or age > self.max_seconds:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "ページを開いてから時間がたちました。"
                        "入力した内容はそのままですので、もう一度「送信する」を押してください。"
                    ),
                    code="token_expired",
                ),
            )
        elif age < self.min_seconds:
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "送信が早すぎたため、受け付けられませんでした。"
                        "入力した内容はそのままですので、内容を確かめてからもう一度送信してください。"
                    ),
                    code="too_fast",
                ),
            )
        return data

    @property
    def is_from_a_robot(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get(self.TRAP))
