"""Partner networks (連携するネットワーク): the public list and pages, the secretariat's
forms, and the import of a network's directory (HSDS JSON: preview → confirm)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tsunagari.audit.models import snapshot
from tsunagari.core.forms import StaleEdit, save_edit
from tsunagari.rollout import networks
from tsunagari.rollout.models import PartnerNetwork
from tsunagari.rollout.network_forms import (
    NetworkImportForm,
    PartnerNetworkForm,
    PartnerNetworkMemberFormSet,
)

FIELDS = [
    "name",
    "name_en",
    "liaison_body",
    "liaison_organization",
    "description",
    "topics",
    "municipalities",
    "website",
    "source_name",
    "source_url",
    "source_seen_on",
    "joined_on",
]
RESOURCES_SHOWN = 30


def _is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_secretariat", False))


def _require_secretariat(request: HttpRequest) -> None:
    if not _is_secretariat(request.user):
        raise PermissionDenied


@login_not_required
def network_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rollout/network_list.html",
        {"networks": list(networks.listed()), "manager": _is_secretariat(request.user)},
    )


@login_not_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_object_or_404(
        networks.with_members().select_related("liaison_organization"), pk=pk
    )
    resources = networks.imported_resources(network)
    manager = _is_secretariat(request.user)
    return render(
        request,
        "rollout/network_detail.html",
        {
            "network": network,
            "members": networks.members_of(network),
            "resource_count": resources.count(),
            "resources": list(resources[:RESOURCES_SHOWN]),
            "manager": manager,
            "imports": list(network.imports.select_related("by")[:10]) if manager else [],
        },
    )


def _state(network: PartnerNetwork) -> dict[str, Any]:
    """What the audit log compares: the fields and the member bodies' names."""
    return {**snapshot(network, FIELDS), "members": [m.name for m in network.members.all()]}


def _save(request: HttpRequest, network: PartnerNetwork | None) -> HttpResponse:
    user: Any = request.user
    form = PartnerNetworkForm(request.POST or None, instance=network)
    formset = PartnerNetworkMemberFormSet(request.POST or None, instance=network, prefix="members")
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = save_edit(form, formset, network, state=_state, fields=FIELDS, by=user)
        except StaleEdit:  # an edit made meanwhile by someone else is not overwritten
            status = 409
        else:
            networks.changed()
            messages.success(
                request,
                _("連携するネットワーク「%(name)s」を保存しました。") % {"name": saved.name},
            )
            return redirect("rollout:network_detail", pk=saved.pk)
    return render(
        request,
        "rollout/network_form.html",
        {"form": form, "formset": formset, "network": network},
        status=status,
    )


def network_new(request: HttpRequest) -> HttpResponse:
    _require_secretariat(request)
    return _save(request, None)


def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_secretariat(request)
    return _save(request, get_object_or_404(PartnerNetwork, pk=pk))


def network_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (nothing written) → 「この内容で取り込む」 → imported once."""
    _require_secretariat(request)
    network = get_object_or_404(PartnerNetwork, pk=pk)
    if request.method == "POST" and "preview" in request.POST:
        return _confirm(request, network, request.POST["preview"])
    errors: list[str] = []
    if request.method == "POST":
        form = NetworkImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            verified_on = form.cleaned_data["verified_on"]
            data = upload.read()
            try:
                document = networks.read_json(upload.name, data)
                preview = networks.plan(
                    [(upload.name, document)], sample=network.is_sample, verified_on=verified_on
                )
            except networks.NetworkImportError as e:
                errors = e.messages
            else:
                token = networks.stage(
                    data,
                    user_id=request.user.pk,
                    network_id=network.pk,
                    filename=upload.name,
                    verified_on=verified_on,
                    preview=preview,
                )
                return _preview_page(request, network, preview, token, upload.name)
    else:
        form = NetworkImportForm()
    return render(
        request,
        "rollout/network_import.html",
        {"network": network, "form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )


def _preview_page(
    request: HttpRequest,
    network: PartnerNetwork,
    preview: networks.ImportPreview,
    token: str,
    filename: str,
    *,
    changed: bool = False,
) -> HttpResponse:
    return render(
        request,
        "rollout/network_import_preview.html",
        {
            "network": network,
            "preview": preview,
            "token": token,
            "filename": filename,
            "changed": changed,
            "minutes": networks.PREVIEW_MAX_AGE // 60,
        },
    )


def _confirm(request: HttpRequest, network: PartnerNetwork, token: str) -> HttpResponse:
    try:
        staged = networks.claim(token, user_id=request.user.pk, network_id=network.pk)
    except networks.PreviewError as e:
        messages.error(request, str(e))
        return redirect("rollout:network_import", pk=network.pk)
    documents = [(staged.filename, networks.read_json(staged.filename, staged.data))]
    try:
        preview = networks.plan(documents, sample=network.is_sample, verified_on=staged.verified_on)
    except networks.NetworkImportError as e:
        # Something changed since the preview (a term retired): nothing written.
        return render(
            request,
            "rollout/network_import.html",
            {"network": network, "form": NetworkImportForm(), "errors": e.messages},
            status=400,
        )
    if preview.summary() != staged.summary:
        token = networks.stage(
            staged.data,
            user_id=request.user.pk,
            network_id=network.pk,
            filename=staged.filename,
            verified_on=staged.verified_on,
            preview=preview,
        )
        return _preview_page(request, network, preview, token, staged.filename, changed=True)
    try:
        done = networks.run_import(
            network,
            documents,
            filename=staged.filename,
            by=request.user,
            verified_on=staged.verified_on,
        )
    except networks.NetworkImportError as e:
        return render(
            request,
            "rollout/network_import.html",
            {"network": network, "form": NetworkImportForm(), "errors": e.messages},
            status=400,
        )
    messages.success(
        request,
        _("「%(file)s」から社会資源を%(created)d件登録し、%(updated)d件更新しました。")
        % {"file": done.filename, "created": done.created_count, "updated": done.updated_count},
    )
    for warning in done.warnings:
        messages.warning(request, warning)
    return redirect("rollout:network_detail", pk=network.pk)
