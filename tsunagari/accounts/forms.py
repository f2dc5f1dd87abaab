from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.backends import login_refusal
from tsunagari.accounts.models import User
from tsunagari.core import outbox
from tsunagari.core.forms import JapaneseCharField, NormalizedEmailField
from tsunagari.geo.models import Municipality
from tsunagari.lib.ratelimit import RecipientLimit
from tsunagari.members.models import Organization


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
        "network_limited": _(
            "この接続からのログインの失敗が続いたため、一時的にログインを止めています。"
            "%(minutes)s分ほど待ってからお試しください。"
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # After a failed attempt the error summary takes the focus, not the field.
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def get_invalid_login_error(self) -> forms.ValidationError:
        """The backend refused to check the password (accounts/backends.py): say so,
        and when to try again, rather than that the password is wrong."""
        refusal = login_refusal(self.request)
        if refusal is None:
            return super().get_invalid_login_error()
        code = "network_limited" if refusal.reason == "network" else "locked_out"
        return forms.ValidationError(
            self.error_messages[code], code=code, params={"minutes": refusal.minutes}
        )


# However often it is asked for, one address gets at most this many reset e-mails an
# hour; the page says the same either way, so the limit tells nobody whether it exists.
RESET_MAILS = RecipientLimit("password-reset", per_recipient=3, window=3600)


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
        if not RESET_MAILS.take(to_email):
            return  # the address had its share this hour: nothing more is sent
        # Links point at SITE_URL, not at whatever Host header the request carried.
        context = {**context, "site_url": settings.SITE_URL}
        subject = "".join(
            render_to_string(subject_template_name, context, using="text").splitlines()
        )
        body = render_to_string(email_template_name, context, using="text")
        outbox.queue_mail([to_email], subject, body)


class CapacityForm(forms.Form):
    """One capacity (立場) to give an account: the secretariat, an officer of a
    municipality, or staff of a member organisation."""

    role = forms.ChoiceField(label=_("立場"), choices=User.Role.choices)
    municipality = forms.ModelChoiceField(
        label=_("担当市町村"), queryset=Municipality.objects.none(), required=False
    )
    organization = forms.ModelChoiceField(
        label=_("所属団体"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.municipalities()  # type: ignore[attr-defined]
        self.fields["organization"].queryset = Organization.objects.by_reading()  # type: ignore[attr-defined]
        for name in ("municipality", "organization"):
            self.fields[name].empty_label = _("選んでください")  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", _("選んでください")), *User.Role.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        role = data.get("role")
        if role == User.Role.MUNICIPALITY:
            data["organization"] = None
            if not data.get("municipality"):
                self.add_error("municipality", _("市町村担当者には担当市町村が必要です。"))
        elif role == User.Role.MEMBER:
            data["municipality"] = None
            if not data.get("organization"):
                self.add_error("organization", _("構成員団体の職員には所属団体が必要です。"))
        else:
            data["municipality"] = data["organization"] = None
        return data

    def capacity_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of `User.objects.create_user` for this capacity."""
        data = self.cleaned_data
        return {
            "role": data["role"],
            "organization": data["organization"],
            "municipality": data["municipality"],
        }


class InviteUserForm(CapacityForm):
    """The secretariat invites a staff member, a municipality officer or a colleague,
    with a first capacity; more can be added on the account's page."""

    email = NormalizedEmailField(label=_("メールアドレス"), max_length=254)
    full_name = JapaneseCharField(label=_("氏名"), max_length=100)
    field_order = ["email", "full_name", "role", "municipality", "organization"]

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("このメールアドレスはすでに登録されています。"))
        return email

    def save(self) -> User:
        return User.objects.create_user(
            self.cleaned_data["email"],
            full_name=self.cleaned_data["full_name"],
            **self.capacity_kwargs(),
        )
