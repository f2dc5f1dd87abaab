"""Open data out (event CSV, iCalendar) and resource CSV import in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tsunagari.accounts.acting import ActingFor
from tsunagari.directory import csv_import, opendata
from tsunagari.directory.access import is_secretariat, require_resource_manager
from tsunagari.directory.models import Kind, Resource
from tsunagari.geo.models import Municipality
from tsunagari.lib.spreadsheet import content_disposition, csv_response
from tsunagari.members.models import Organization

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


class ResourceImportForm(forms.Form):
    """The CSV file, and for the secretariat the organisation it is imported for."""

    organization = forms.ModelChoiceField(
        label=gettext_lazy("登録する団体"),
        queryset=Organization.objects.none(),
        empty_label=gettext_lazy("選んでください"),
    )
    file = forms.FileField(
        label=gettext_lazy("CSVファイル"),
        help_text=gettext_lazy(
            "UTF-8（BOM付き・なし）または Shift_JIS の CSV。%(mb)dMB・%(rows)d行まで。"
        )
        % {"mb": csv_import.MAX_BYTES // (1024 * 1024), "rows": csv_import.MAX_ROWS},
    )

    def __init__(self, *args: Any, choose_organization: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_organization:
            self.fields["organization"].queryset = Organization.objects.in_roster_order()  # type: ignore[attr-defined]
        else:
            del self.fields["organization"]
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > csv_import.MAX_BYTES:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（上限%(mb)dMB）。ファイルを分けて登録してください。")
                % {"mb": csv_import.MAX_BYTES // (1024 * 1024)}
            )
        return upload


def resource_import(request: HttpRequest) -> HttpResponse:
    """A member's staff import resources for their organisation; the secretariat for any.

    Two steps: the file is read and checked, and the page shows what it would create and
    update (nothing written, the file kept on the server); 「この内容で登録する」 then writes
    exactly that, once.
    """
    require_resource_manager(request)
    choose = is_secretariat(request.user)
    if request.method == "POST" and "preview" in request.POST:
        return _confirm_import(request, request.POST["preview"], choose)
    # Staff of several organisations say for which one (「どの立場で」).
    acting = None if choose else ActingFor(request)
    plan = preview = None
    if request.method == "POST":
        form = ResourceImportForm(request.POST, request.FILES, choose_organization=choose)
        if acting is not None:
            acting.add_to(form)
        if form.is_valid():
            organization = (
                form.cleaned_data["organization"] if acting is None else acting.organization(form)
            )
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                plan = csv_import.plan_import(data, organization)
            except csv_import.ImportFileError as e:
                form.add_error("file", str(e))
            else:
                if plan.is_valid:
                    preview = csv_import.stage(
                        data,
                        user_id=request.user.pk,
                        organization_id=getattr(organization, "pk", None),
                        filename=upload.name,
                        plan=plan,
                    )
                    return _preview_page(request, plan, preview, organization, upload.name)
    else:
        form = ResourceImportForm(choose_organization=choose)
        if acting is not None:
            acting.add_to(form)
    return render(
        request,
        "directory/import.html",
        {"form": form, "plan": plan, "columns": csv_import.COLUMNS},
    )


def _preview_page(
    request: HttpRequest,
    plan: csv_import.ImportPlan,
    token: str,
    organization: Any,
    filename: str,
    *,
    changed: bool = False,
) -> HttpResponse:
    return render(
        request,
        "directory/import_preview.html",
        {
            "plan": plan,
            "preview": token,
            "organization": organization,
            "filename": filename,
            "changed": changed,
            "minutes": csv_import.PREVIEW_MAX_AGE // 60,
        },
    )


def _confirm_import(request: HttpRequest, token: str, choose: bool) -> HttpResponse:
    """「この内容で登録する」: the previewed file, from the server, written at most once."""
    try:
        staged = csv_import.claim(token, user_id=request.user.pk)
    except csv_import.PreviewError as e:
        messages.error(request, str(e))
        return redirect("directory:resource_import")
    if choose:
        organization = (
            Organization.objects.filter(pk=staged.organization_id).first()
            if staged.organization_id is not None
            else None
        )
    else:
        # Staff import only for an organisation they still act for.
        user: Any = request.user
        staged_id = staged.organization_id
        organization = (
            Organization.objects.filter(pk=staged_id).first()
            if staged_id is not None and user.may_act_for(staged_id)
            else None
        )
    if organization is None:
        messages.error(
            request, _("登録する団体が見つかりません。もう一度ファイルを選んでください。")
        )
        return redirect("directory:resource_import")
    try:
        plan = csv_import.plan_import(staged.data, organization)
    except csv_import.ImportFileError as e:  # the file was readable at the preview
        messages.error(request, str(e))
        return redirect("directory:resource_import")
    if not plan.is_valid or plan.summary() != staged.summary:
        # Something changed since the preview (a resource renamed, a term retired):
        # write nothing and show the plan as it is now.
        if not plan.is_valid:
            messages.error(
                request,
                _("確認の後に登録内容が変わり、誤りのある行ができました。何も登録していません。"),
            )
            form = ResourceImportForm(choose_organization=choose)
            ctx = {"form": form, "plan": plan, "columns": csv_import.COLUMNS}
            return render(request, "directory/import.html", ctx)
        token = csv_import.stage(
            staged.data,
            user_id=request.user.pk,
            organization_id=organization.pk,
            filename=staged.filename,
            plan=plan,
        )
        return _preview_page(request, plan, token, organization, staged.filename, changed=True)
    plan.save(by=request.user, filename=staged.filename)
    created, updated = len(plan.to_create), len(plan.to_update)
    values = {"org": organization, "count": created, "updated": updated, "encoding": plan.encoding}
    if updated:
        done = _(
            "%(org)sの社会資源を%(count)d件登録し、%(updated)d件更新しました（%(encoding)s）。"
        )
    else:
        done = ngettext(
            "%(org)sの社会資源を%(count)d件登録しました（%(encoding)s）。",
            "%(org)sの社会資源を%(count)d件登録しました（%(encoding)s）。",
            created,
        )
    messages.success(request, done % values)
    for notice in plan.notices:
        messages.warning(
            request,
            _("%(line)d行目 %(column)s：%(message)s")
            % {"line": notice.line, "column": notice.column, "message": notice.message},
        )
    return redirect("directory:resource_import")


def resource_import_template(request: HttpRequest) -> HttpResponse:
    """The blank import file with the documented columns and one sample row."""
    require_resource_manager(request)
    response = HttpResponse(csv_import.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition("社会資源_一括登録テンプレート.csv")
    return response


@login_not_required
def opendata_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "directory/opendata.html",
        {
            "event_days": opendata.EVENT_DAYS,
            "kinds": Kind.objects.filter(is_active=True),
            "municipalities": Municipality.objects.selectable().select_related("parent"),
            "organizations": Organization.objects.members_on(today).in_roster_order(),
        },
    )


@login_not_required
def events_csv(request: HttpRequest) -> HttpResponse:
    """推奨データセット イベント一覧: the upcoming events as open data."""
    return csv_response("events.csv", opendata.EVENT_COLUMNS, opendata.upcoming_events())


def _ical_response(name: str, filename: str, resources: Any) -> HttpResponse:
    response = HttpResponse(
        opendata.calendar(name, opendata.feed_resources(resources)),
        content_type=ICAL_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_not_required
def ical_organization(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization, pk=pk)
    return _ical_response(
        _("%(name)sの予定") % {"name": organization.name},
        f"organization-{organization.pk}.ics",
        Resource.objects.owned_by(organization),
    )


@login_not_required
def ical_municipality(request: HttpRequest, code: str) -> HttpResponse:
    """A city's feed includes its wards' resources."""
    municipality = get_object_or_404(Municipality.objects.selectable(), code=code)
    resources = Resource.objects.filter(
        Q(locations__municipality=municipality) | Q(locations__municipality__parent=municipality)
    )
    return _ical_response(
        _("%(name)sの予定") % {"name": municipality.name},
        f"municipality-{municipality.code}.ics",
        resources,
    )


@login_not_required
def ical_kind(request: HttpRequest, slug: str) -> HttpResponse:
    kind = Kind.objects.filter(slug=slug, is_active=True).first()
    if kind is None:
        raise Http404
    return _ical_response(
        _("%(name)sの予定") % {"name": kind.name},
        f"kind-{kind.slug}.ics",
        Resource.objects.filter(kinds=kind),
    )
