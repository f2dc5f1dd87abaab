"""Two-factor sign-in pages: set up an authenticator app, pass the second factor, keep
recovery codes, turn it off (member staff only), and the secretariat's reset."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.lib.qr import qr_svg
from tsunagari.twofactor import services
from tsunagari.twofactor.forms import AppCodeForm, RecoveryCodeForm
from tsunagari.twofactor.services import Check, Outcome


def _next(request: HttpRequest) -> str:
    """Where to go after this step: a local `next`, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:dashboard")


def _with_next(name: str, target: str) -> str:
    from urllib.parse import urlencode

    return reverse(name) + "?" + urlencode({"next": target})


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refusal(check: Check) -> tuple[str, int]:
    """The message and status for a code that was not accepted."""
    if check.outcome is Outcome.LIMITED:
        return (
            _(
                "確認コードの入力に続けて失敗したため、しばらく入力できません。"
                "%(minutes)s分ほど待ってから、もう一度お試しください。"
            )
            % {"minutes": settings.TWOFACTOR_WINDOW_MINUTES},
            429,
        )
    if check.outcome is Outcome.WAIT:
        return (
            ngettext(
                "続けて間違えたため、%(seconds)s秒待ってから入力してください。",
                "続けて間違えたため、%(seconds)s秒待ってから入力してください。",
                check.wait_seconds,
            )
            % {"seconds": check.wait_seconds},
            429,
        )
    return _("コードが正しくありません。もう一度お試しください。"), 400


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = _user(request)
    target = _next(request)
    if services.session_verified(request):
        return redirect(target)
    if not services.enrolled(user):
        if services.required(user):
            return redirect(_with_next("twofactor:setup", target))
        return redirect(target)
    app_form = AppCodeForm(prefix="app")
    recovery_form = RecoveryCodeForm(prefix="recovery")
    status = 200
    if request.method == "POST":
        using_recovery = "recovery-recovery_code" in request.POST
        form: AppCodeForm | RecoveryCodeForm
        if using_recovery:
            form = recovery_form = RecoveryCodeForm(request.POST, prefix="recovery")
        else:
            form = app_form = AppCodeForm(request.POST, prefix="app")
        status = 400
        if form.is_valid():
            code = next(iter(form.cleaned_data.values()))
            check = services.check_code(request, user, code)
            if check.outcome is Outcome.ACCEPTED and check.device is not None:
                services.mark_verified(request, check.device)
                if check.recovery_code_used:
                    left = services.remaining_recovery_codes(user)
                    messages.warning(
                        request,
                        ngettext(
                            "回復コードを使いました。残りは%(count)s個です。",
                            "回復コードを使いました。残りは%(count)s個です。",
                            left,
                        )
                        % {"count": left}
                        + (
                            _(
                                "少なくなったら、2段階認証の設定から新しい回復コードを作ってください。"
                            )
                            if left <= 3
                            else ""
                        ),
                    )
                return redirect(target)
            message, status = _refusal(check)
            form.add_error(None, message)
    return render(
        request,
        "twofactor/verify.html",
        {"app_form": app_form, "recovery_form": recovery_form, "next": target},
        status=status,
    )


@never_cache
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a
    code. Also how someone with a new phone replaces the old app (after the second factor)."""
    user = _user(request)
    target = _next(request)
    if services.enrolled(user) and not services.session_verified(request):
        return redirect(_with_next("twofactor:verify", target))
    device = services.pending_totp_device(user)
    form = AppCodeForm(request.POST or None, prefix="app")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            check = services.check_code(request, user, form.cleaned_data["code"], device=device)
            if check.outcome is Outcome.ACCEPTED:
                replacing = services.enrolled(user)
                codes = services.confirm_totp_device(user, device)
                services.mark_verified(request, device)
                request.session[services.NEW_CODES_SESSION_KEY] = codes
                record(
                    user,
                    AuditEvent.Action.UPDATE,
                    user,
                    note="2段階認証の認証アプリを変更" if replacing else "2段階認証を設定",
                )
                return redirect(_with_next("twofactor:recovery_codes", target))
            message, status = _refusal(check)
            form.add_error(None, message)
    return render(
        request,
        "twofactor/setup.html",
        {
            "form": form,
            "qr": _qr_code(device.config_url),
            "secret": services.secret_text(device),
            "required": services.required(user),
            "replacing": services.enrolled(user),
            "next": target,
        },
        status=status,
    )


def _qr_code(config_url: str) -> str:
    """The app's set-up link as an inline SVG image, named for screen readers."""
    svg = qr_svg(config_url, title=_("認証アプリに読み取らせるQRコード"), inline=True).decode()
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-title" ', 1)
    return svg.replace("<title>", '<title id="qr-title">', 1)


def _new_codes(request: HttpRequest) -> list[str]:
    codes = request.session.get(services.NEW_CODES_SESSION_KEY) or []
    return [services.format_recovery_code(c) for c in codes]


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown once: print them, save them, then say so."""
    codes = _new_codes(request)
    if request.method == "POST":
        request.session.pop(services.NEW_CODES_SESSION_KEY, None)
        return redirect(_next(request))
    if not codes:
        return redirect("twofactor:settings")
    return render(
        request, "twofactor/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )


@never_cache
def recovery_codes_download(request: HttpRequest) -> HttpResponse:
    codes = _new_codes(request)
    if not codes:
        raise Http404
    lines = [
        _("かながわつながりネットワーク 2段階認証の回復コード"),
        _user(request).email,
        "",
        *codes,
        "",
        _(
            "各コードは一度だけ使えます。認証アプリを使えないときに、確認コードの代わりに入力します。"
        ),
    ]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tsunagari-recovery-codes.txt"'
    return response


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """New recovery codes; the old ones stop working."""
    user = _user(request)
    if not services.enrolled(user):
        raise Http404
    request.session[services.NEW_CODES_SESSION_KEY] = services.new_recovery_codes(user)
    record(user, AuditEvent.Action.UPDATE, user, note="2段階認証の回復コードを再発行")
    return redirect(_with_next("twofactor:recovery_codes", reverse("twofactor:settings")))


def twofactor_settings(request: HttpRequest) -> HttpResponse:
    """2段階認証の設定: on or off, the recovery codes left, and what can be done."""
    user = _user(request)
    enrolled = services.enrolled(user)
    return render(
        request,
        "twofactor/settings.html",
        {
            "enrolled": enrolled,
            "required": services.required(user),
            "remaining": services.remaining_recovery_codes(user) if enrolled else 0,
            "form": AppCodeForm(prefix="app"),
        },
    )


@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    """Member staff may turn it off again, confirming with a current code."""
    user = _user(request)
    if services.required(user) or not services.enrolled(user):
        raise Http404  # nothing that may be turned off
    form = AppCodeForm(request.POST, prefix="app")
    if form.is_valid():
        check = services.check_code(request, user, form.cleaned_data["code"])
        if check.outcome is Outcome.ACCEPTED:
            services.remove_devices(user)
            record(user, AuditEvent.Action.UPDATE, user, note="2段階認証を解除")
            messages.success(request, _("2段階認証を解除しました。"))
            return redirect("twofactor:settings")
        message, status = _refusal(check)
        form.add_error(None, message)
    else:
        status = 400
    context: dict[str, Any] = {
        "enrolled": True,
        "required": False,
        "remaining": services.remaining_recovery_codes(user),
        "form": form,
    }
    return render(request, "twofactor/settings.html", context, status=status)


@require_POST
@secretariat_required
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat turns off another person's second factor (a lost phone, no recovery
    code left). Audited; the person sets it up again at their next sign-in."""
    account = get_object_or_404(User, pk=pk)
    if account.pk == request.user.pk:
        messages.error(
            request, _("自分の2段階認証はリセットできません。ほかの事務局の方に依頼してください。")
        )
    elif services.remove_devices(account):
        record(request.user, AuditEvent.Action.UPDATE, account, note="2段階認証をリセット")
        messages.success(
            request,
            _("%(name)s さんの2段階認証をリセットしました。次のログインで設定し直します。")
            % {"name": account.full_name},
        )
    else:
        messages.info(request, _("この方は2段階認証を設定していません。"))
    return redirect("accounts:user_detail", pk=account.pk)
