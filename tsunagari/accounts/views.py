"""Sign-in, invitations and the secretariat's list of accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from tsunagari.accounts.forms import QueuedPasswordResetForm, SignInForm
from tsunagari.accounts.models import User
from tsunagari.accounts.services import send_invitation
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.members.forms import InviteUserForm


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


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")


@login_not_required
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


@secretariat_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("municipality", "organization").order_by("role", "email")
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user.set_unusable_password()
        user.save()
        record(request.user, AuditEvent.Action.CREATE, user, note=user.get_role_display())
        send_invitation(user, by=request.user)
        messages.success(request, _("%(email)s に招待メールを送ります。") % {"email": user.email})
        return redirect("accounts:user_list")
    return render(request, "accounts/user_list.html", {"users": users, "form": form})
