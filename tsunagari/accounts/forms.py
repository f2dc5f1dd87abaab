from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.backends import is_locked_out
from tsunagari.accounts.models import User
from tsunagari.core.forms import NormalizedEmailField
from tsunagari.core.tasks import send_email


class SignInForm(AuthenticationForm):
    """Sign-in by e-mail address, typed in any width or case, with a lockout."""

    # Full-width and upper-case input is normalised before validation: ＳＴＡＦＦ＠… signs in.
    username = NormalizedEmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _("メールアドレスまたはパスワードが正しくありません。"),
        "inactive": _("このアカウントは利用停止中です。"),
        "locked_out": _(
            "ログインの失敗が続いたため、このアカウントは一時的にロックされています。"
            "%(minutes)s分ほど待ってからお試しください。"
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # After a failed attempt the error summary takes the focus, not the field.
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        email = self.cleaned_data.get("username")
        if email and is_locked_out(email):
            raise forms.ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        return super().clean()


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task queue, not the request."""

    email = NormalizedEmailField(
        label=_("メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        """Active accounts with this address, including invited ones that never set a
        password: the invalid-link page sends them here when their invitation expired."""
        return iter(User.objects.filter(email__iexact=email, is_active=True))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Links point at SITE_URL, not at whatever Host header the request carried.
        context = {**context, "site_url": settings.SITE_URL}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.enqueue(to=[to_email], subject=subject, body=body)
