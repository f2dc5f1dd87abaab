"""Views of the member registry: public roster, application form, secretariat review."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagari.accounts.acting import ActingFor
from tsunagari.accounts.models import User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.access import secretariat_required
from tsunagari.lib.ratelimit import RateLimit, RecipientLimit
from tsunagari.lib.spreadsheet import csv_response, xlsx_response
from tsunagari.lib.transitions import AlreadyChanged
from tsunagari.lib.wareki import format_wareki
from tsunagari.members import services
from tsunagari.members.forms import (
    ApplicationForm,
    AsOfForm,
    DecisionForm,
    MembershipFormSet,
    OrganizationAdminForm,
    OrganizationProfileForm,
    PublicApplicationForm,
)
from tsunagari.members.models import MembershipApplication, Organization, Sector
from tsunagari.members.resubmissions import Submission


def _get_application_for_user(request: HttpRequest, pk: int) -> MembershipApplication:
    """Applications hold personal data: only the secretariat sees them."""
    if not getattr(request.user, "is_secretariat", False):
        raise PermissionDenied
    return get_object_or_404(MembershipApplication, pk=pk)


def _get_organization_for_user(request: HttpRequest, pk: int, *, edit: bool) -> Organization:
    """Anyone may view a current member; editing is for the secretariat and the
    organisation's own staff."""
    organization = get_object_or_404(Organization, pk=pk)
    user = request.user
    if getattr(user, "is_secretariat", False):
        return organization
    if edit:
        if getattr(user, "is_member_staff", False) and user.may_act_for(organization):  # type: ignore[union-attr]
            return organization
        raise PermissionDenied
    if organization.current_membership() is None:
        raise Http404
    return organization


def _roster_params(request: HttpRequest) -> tuple[AsOfForm, date, str]:
    """The roster's date and sector; a bad date falls back to the latest roster but
    keeps the sector, and the form carries the error to show."""
    form = AsOfForm(request.GET)
    form.is_valid()
    day = form.cleaned_data.get("as_of") or services.roster_date()
    sector = form.cleaned_data.get("sector") or ""
    return form, day, sector


@login_not_required
def roster(request: HttpRequest) -> HttpResponse:
    form, day, sector = _roster_params(request)
    groups = services.roster_by_sector(day, sector)
    ctx = {
        "form": form,
        "as_of": day,
        "groups": groups,
        "total": sum(len(orgs) for _, _, orgs in groups),
        "unknown_until": services.join_dates_unknown_until(day),
        "sector": sector,
        "sectors": Sector.choices,
    }
    if request.headers.get("HX-Request"):
        return render(request, "members/roster.html#roster", ctx)
    return render(request, "members/roster.html", ctx)


@login_not_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _get_organization_for_user(request, pk, edit=False)
    return render(request, "members/organization_detail.html", {"organization": organization})


# Public forms are limited per network and overall (lib/ratelimit.py). An organisation
# applies once; a few tries from one network allow for a shared office connection.
APPLY_LIMIT = RateLimit("apply", per_network=5, overall=100, window=3600)
EDIT_LIMIT = RateLimit("apply-edit", per_network=10, overall=100, window=3600)
# Receipts one address gets in a day, whoever types it in: the form cannot be used to
# mail-bomb a third party. Past it the application is still stored (the secretariat
# sees it and answers), and the thanks page says no receipt was sent.
RECEIPTS = RecipientLimit("apply-receipt", per_recipient=3, window=24 * 3600)


def _thanks(request: HttpRequest, reference: str, *, receipt: bool) -> HttpResponse:
    request.session["application_reference"] = reference
    request.session["application_receipt"] = receipt
    return redirect("members:apply_thanks")


def _limited(request: HttpRequest, form: PublicApplicationForm) -> HttpResponse:
    # Nothing is stored; what was typed stays on the page.
    return render(request, "members/apply.html", {"form": form, "limited": True}, status=429)


@login_not_required
def apply(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PublicApplicationForm(request.POST)
        if APPLY_LIMIT.exceeded(request):
            return _limited(request, form)
        valid = form.is_valid()
        if form.is_from_a_robot:
            # A robot sees the same thanks; nothing is stored and nothing is mailed.
            APPLY_LIMIT.hit(request)
            request.session.pop("application_reference", None)
            return redirect("members:apply_thanks")
        if valid:
            return _submit(request, form)
    else:
        form = PublicApplicationForm()
    return render(request, "members/apply.html", {"form": form})


def _submit(request: HttpRequest, form: PublicApplicationForm) -> HttpResponse:
    submission = Submission(form.cleaned_data)
    # The same application sent again: its thanks page, nothing stored or mailed twice.
    earlier = submission.earlier()
    if earlier is None and not submission.claim():
        earlier = submission.earlier()  # claimed a moment ago by an identical request
    if earlier is not None:
        return _thanks(request, earlier, receipt=True)
    if not APPLY_LIMIT.take(request):
        submission.abandon()
        return _limited(request, form)
    try:
        receipt = RECEIPTS.take(form.cleaned_data["contact_email"])
        application = services.submit_application(form, send_receipt=receipt)
    except BaseException:
        submission.abandon()
        raise
    submission.saved(application)
    return _thanks(request, application.reference, receipt=receipt)


@login_not_required
def apply_thanks(request: HttpRequest) -> HttpResponse:
    reference = request.session.get("application_reference", "")
    receipt = request.session.get("application_receipt", True)
    return render(
        request, "members/apply_thanks.html", {"reference": reference, "receipt": receipt}
    )


@login_not_required
def application_edit(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant reopens a returned application from the link in the e-mail."""
    application = get_object_or_404(MembershipApplication, edit_token=token)
    if application.status != MembershipApplication.Status.RETURNED:
        return render(request, "members/apply_closed.html", {"application": application})
    context = {"application": application, "reason": application.latest_reason()}
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=application)
        if EDIT_LIMIT.exceeded(request):
            # The secret link is proof of a person; the limit only stops a flood.
            return render(
                request,
                "members/apply.html",
                {**context, "form": form, "limited": True},
                status=429,
            )
        if form.is_valid():
            services.resubmit_application(form)
            EDIT_LIMIT.hit(request)
            request.session["application_reference"] = application.reference
            return redirect("members:apply_thanks")
    else:
        form = ApplicationForm(instance=application)
    return render(request, "members/apply.html", {**context, "form": form})


@secretariat_required
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = MembershipApplication.objects.all()
    if status == "open":
        qs = qs.open()
    elif status in MembershipApplication.Status.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    page = Paginator(qs.order_by("submitted_at", "id"), 50).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "status": status,
        "statuses": [
            ("open", _("未処理")),
            *MembershipApplication.Status.choices,
            ("all", _("すべて")),
        ],
    }
    if request.headers.get("HX-Request"):
        return render(request, "members/application_list.html#queue", ctx)
    return render(request, "members/application_list.html", ctx)


@secretariat_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    # The contact person's details are personal data: every look is recorded.
    record(request.user, AuditEvent.Action.VIEW, application)
    events = application.events.select_related("actor")
    return render(
        request,
        "members/application_detail.html",
        {
            "application": application,
            "events": events,
            "decision_form": DecisionForm(),
            "status_labels": dict(MembershipApplication.Status.choices),
        },
    )


@require_POST
@secretariat_required
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _get_application_for_user(request, pk)
    targets = {
        "review": MembershipApplication.Status.UNDER_REVIEW,
        "approve": MembershipApplication.Status.APPROVED,
        "return": MembershipApplication.Status.RETURNED,
        "decline": MembershipApplication.Status.DECLINED,
    }
    if action not in targets:
        raise Http404
    if not application.can_move_to(targets[action]):
        messages.error(request, services.refusal(application, targets[action]))
        return redirect("members:application_detail", pk=pk)
    form = DecisionForm(request.POST, reason_required=action in ("return", "decline"))
    if not form.is_valid():
        events = application.events.select_related("actor")
        return render(
            request,
            "members/application_detail.html",
            {
                "application": application,
                "events": events,
                "decision_form": form,
                "failed_action": action,
                "status_labels": dict(MembershipApplication.Status.choices),
            },
            status=400,
        )
    try:
        return _decide(request, application, action, form.cleaned_data["reason"])
    except AlreadyChanged as e:
        # Another officer acted at the same moment, and came first.
        messages.info(request, e.message)
        return redirect("members:application_detail", pk=pk)


def _decide(
    request: HttpRequest, application: MembershipApplication, action: str, reason: str
) -> HttpResponse:
    pk = application.pk
    user = request.user
    if action == "review":
        services.start_review(application, by=user)  # type: ignore[arg-type]
        messages.success(request, _("審査を開始しました。"))
    elif action == "approve":
        try:
            organization = services.approve_application(application, by=user, note=reason)  # type: ignore[arg-type]
        except services.ContactAlreadyRegistered:
            messages.error(
                request,
                _(
                    "担当者のメールアドレスはすでに別のアカウントで使われています。"
                    "申込者に別のアドレスを確認してください。"
                ),
            )
            return redirect("members:application_detail", pk=pk)
        messages.success(
            request,
            _("承認しました。%(name)s を名簿番号 %(no)s で登録し、担当者に招待メールを送ります。")
            % {"name": organization.name, "no": organization.roster_no},
        )
    elif action == "return":
        services.return_application(application, by=user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("修正を依頼しました。申込者にメールでお知らせします。"))
    else:
        services.decline_application(application, by=user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("不承認としました。申込者にメールでお知らせします。"))
    return redirect("members:application_detail", pk=pk)


@secretariat_required
def organization_list(request: HttpRequest) -> HttpResponse:
    qs = Organization.objects.by_reading().prefetch_related("memberships")
    sector = request.GET.get("sector", "")
    if sector in Sector.values:
        qs = qs.filter(sector=sector)
    today = timezone.localdate()
    rows = []
    for o in qs:
        current = [m for m in o.memberships.all() if m.ended_on is None or m.ended_on > today]
        rows.append((o, current[-1] if current else None))
    return render(
        request,
        "members/organization_list.html",
        {"rows": rows, "sector": sector, "sectors": Sector.choices},
    )


@secretariat_required
def organization_admin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _get_organization_for_user(request, pk, edit=True)
    form = OrganizationAdminForm(request.POST or None, instance=organization)
    formset = MembershipFormSet(request.POST or None, instance=organization, prefix="m")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            services.save_with_audit(
                form,
                by=request.user,  # type: ignore[arg-type]
                fields=[*Organization.AUDITED_FIELDS, "source"],
            )
            for mform in formset.forms:
                if mform.has_changed():
                    services.save_with_audit(
                        mform,
                        by=request.user,  # type: ignore[arg-type]
                        fields=["started_on", "start_basis", "ended_on", "end_reason"],
                    )
        messages.success(request, _("保存しました。"))
        return redirect("members:organization_admin_edit", pk=pk)
    history = services.organization_history(organization)[:50]
    return render(
        request,
        "members/organization_admin_edit.html",
        {"organization": organization, "form": form, "formset": formset, "history": history},
    )


def my_organization(request: HttpRequest) -> HttpResponse:
    """A member's staff edit their own organisation's profile (which one, with
    `?organization=`, for someone who is staff of several)."""
    acting = ActingFor(request)
    acting.require()
    chosen = acting.preferred()
    if request.GET.get("organization"):
        chosen = next(
            (o for o in acting.organizations if str(o.pk) == request.GET["organization"]), None
        )
        if chosen is None:
            raise PermissionDenied
    assert chosen is not None
    organization = _get_organization_for_user(request, chosen.pk, edit=True)
    form = OrganizationProfileForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.save_with_audit(form, by=request.user, fields=Organization.PROFILE_FIELDS)  # type: ignore[arg-type]
        messages.success(request, _("団体情報を保存しました。"))
        url = reverse("members:my_organization")
        if len(acting.organizations) > 1:
            url += f"?organization={organization.pk}"
        return redirect(url)
    return render(
        request,
        "members/my_organization.html",
        {"organization": organization, "form": form, "others": acting.organizations},
    )


def _export_day(request: HttpRequest) -> date:
    form, day, _sector = _roster_params(request)
    if form.has_error("as_of"):
        raise Http404
    return day


@secretariat_required
def roster_csv(request: HttpRequest) -> HttpResponse:
    day = _export_day(request)
    user = request.user
    assert isinstance(user, User)
    record(user, AuditEvent.Action.EXPORT, user, note=f"roster.csv {day}")
    return csv_response(
        f"構成員名簿_{day:%Y%m%d}.csv", services.ROSTER_HEADER, services.roster_rows(day)
    )


@secretariat_required
def roster_xlsx(request: HttpRequest) -> HttpResponse:
    day = _export_day(request)
    user = request.user
    assert isinstance(user, User)
    record(user, AuditEvent.Action.EXPORT, user, note=f"roster.xlsx {day}")
    return xlsx_response(
        f"構成員名簿_{day:%Y%m%d}.xlsx",
        "構成員名簿",
        services.ROSTER_HEADER,
        services.roster_rows(day),
        title_line=f"かながわつながりネットワーク 構成員名簿 {format_wareki(day)}時点",
    )
