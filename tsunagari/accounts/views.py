"""Sign-in, invitations and the secretariat's list of accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.forms import (
    CapacityForm,
    InviteUserForm,
    QueuedPasswordResetForm,
    SignInForm,
)
from tsunagari.accounts.models import User
from tsunagari.accounts.services import (
    add_capacity,
    describe_capacities,
    remove_capacity,
    send_invitation,
)
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.lib.ratelimit import RateLimit


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(login_not_required, name="dispatch")
class SignOutView(auth_views.LogoutView):
    """Sign out. Open to everyone: someone whose session already expired who presses
    ログアウト would otherwise be asked to sign in, then sent to a GET of this POST-only
    page (405)."""


@method_decorator(login_not_required, name="dispatch")
class InvitationView(auth_views.PasswordResetConfirmView):
    """Set a first password from the invitation e-mail (also used for resets)."""

    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:invitation_done")
    post_reset_login = True


@login_not_required
def invitation_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/invitation_done.html")


# Requests for a reset link from one network (and from everyone) an hour; each address
# also gets at most a few links an hour (forms.RESET_MAILS).
RESET_LIMIT = RateLimit("password-reset", per_network=10, overall=300, window=3600)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not RESET_LIMIT.take(self.request):
            # Nothing is sent; the address typed stays on the page.
            context = self.get_context_data(form=form, limited=True)
            return self.render_to_response(context, status=429)
        return super().form_valid(form)


@login_not_required
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


def _accounts() -> QuerySet[User]:
    return (
        User.objects.with_capacities()
        .prefetch_related("assignments__municipality", "affiliations__organization")
        .order_by("-secretariat", "email")
    )


@secretariat_required
def user_list(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        record(request.user, AuditEvent.Action.CREATE, user, note="・".join(user.capacity_labels))
        send_invitation(user, by=request.user)
        messages.success(request, _("%(email)s に招待メールを送ります。") % {"email": user.email})
        return redirect("accounts:user_list")
    rows = [(u, describe_capacities(u)) for u in _accounts()]
    return render(
        request,
        "accounts/user_list.html",
        {"rows": rows, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@secretariat_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An account's capacities: the secretariat adds and removes them (audited)."""
    account = get_object_or_404(_accounts(), pk=pk)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if add_capacity(account, by=request.user, **form.capacity_kwargs()):
            messages.success(request, _("立場を追加しました。"))
        else:
            messages.info(request, _("その立場はすでにあります。"))
        return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {"account": account, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@secretariat_required
def capacity_remove(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    role = request.POST.get("role", "")
    if role not in User.Role.values:
        raise Http404
    # An organisation's id, or a municipality's code.
    target = request.POST.get("target", "")
    if role == User.Role.MEMBER and not target.isdigit():
        raise Http404
    if role == User.Role.SECRETARIAT and account.pk == request.user.pk:
        # Nobody locks themselves (perhaps the last secretariat account) out of this page.
        messages.error(request, _("自分の事務局の立場は外せません。"))
    elif remove_capacity(account, role=role, pk=target, by=request.user):
        messages.success(request, _("立場を外しました。"))
    else:
        # Removed a moment ago (another officer, or this button pressed twice).
        messages.info(request, _("その立場はすでに外されています。"))
    return redirect("accounts:user_detail", pk=account.pk)
