from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.backends import is_locked_out
from tsunagari.lib.text import normalize_text


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
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

    def clean(self) -> dict[str, Any]:
        email = normalize_text(self.data.get("username", "")).lower()
        if email and is_locked_out(email):
            from django.conf import settings

            raise forms.ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )
        self.cleaned_data["username"] = email
        return super().clean()


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes through the task queue, not the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template.loader import render_to_string

        from tsunagari.core.tasks import send_email

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        send_email.enqueue(to=[to_email], subject=subject, body=body)
