"""Invitations (a new account gets an e-mail with a link to set its password) and the
capacities of an account, changed by the secretariat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tsunagari.accounts.models import Affiliation, Assignment, User
from tsunagari.audit.models import AuditEvent, record
from tsunagari.core.mail import queue_email

if TYPE_CHECKING:
    from tsunagari.geo.models import Municipality
    from tsunagari.members.models import Organization


def invitation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})


def send_invitation(user: User, *, by: Any) -> None:
    queue_email(
        "accounts/email/invitation",
        [user.email],
        {"user": user, "path": invitation_path(user)},
    )
    record(by, AuditEvent.Action.INVITE, user, note="・".join(user.capacity_labels))


def describe_capacities(user: User) -> list[str]:
    """The capacities of an account in words, for the list and the audit log."""
    words = []
    if user.secretariat:
        words.append(str(User.Role.SECRETARIAT.label))
    for assignment in user.assignments.all():
        words.append(f"{User.Role.MUNICIPALITY.label}：{assignment.municipality.name}")
    for affiliation in user.affiliations.all():
        words.append(f"{User.Role.MEMBER.label}：{affiliation.organization.name}")
    return words


def _capacities_of(user: User) -> list[str]:
    fresh = User.objects.prefetch_related(
        "assignments__municipality", "affiliations__organization"
    ).get(pk=user.pk)
    return describe_capacities(fresh)


def add_capacity(
    user: User,
    *,
    role: str,
    organization: Organization | None = None,
    municipality: Municipality | None = None,
    by: Any,
) -> bool:
    """Give `user` one more capacity; False if they already held it. Audited."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        before = _capacities_of(user)
        if role == User.Role.SECRETARIAT:
            added = User.objects.filter(pk=user.pk, secretariat=False).update(secretariat=True)
            user.secretariat = True
        elif role == User.Role.MUNICIPALITY and municipality is not None:
            added = int(Assignment.objects.get_or_create(user=user, municipality=municipality)[1])
        elif role == User.Role.MEMBER and organization is not None:
            added = int(Affiliation.objects.get_or_create(user=user, organization=organization)[1])
        else:
            raise ValueError(f"incomplete capacity: {role}")
        if added:
            after = _capacities_of(user)
            record(by, AuditEvent.Action.UPDATE, user, changes={"capacities": [before, after]})
    user.forget_capacities()
    return bool(added)


def remove_capacity(user: User, *, role: str, pk: int | str = "", by: Any) -> bool:
    """Take one capacity away (`pk`: the organisation's id or the municipality's code).
    Audited."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        before = _capacities_of(user)
        if role == User.Role.SECRETARIAT:
            removed = User.objects.filter(pk=user.pk, secretariat=True).update(secretariat=False)
            user.secretariat = False
        elif role == User.Role.MUNICIPALITY:
            removed = Assignment.objects.filter(user=user, municipality_id=str(pk)).delete()[0]
        elif role == User.Role.MEMBER:
            affiliation = Affiliation.objects.filter(user=user, organization_id=int(pk or 0))
            removed = affiliation.delete()[0]
        else:
            raise ValueError(f"unknown capacity: {role}")
        if removed:
            after = _capacities_of(user)
            record(by, AuditEvent.Action.UPDATE, user, changes={"capacities": [before, after]})
    user.forget_capacities()
    return bool(removed)
