"""Test data of working groups."""

from __future__ import annotations

from itertools import count
from typing import Any

from tsunagari.groups.models import GroupMembership, GroupPost, WorkingGroup

_serial = count(1)


def make_group(*members: Any, conveners: tuple[Any, ...] = (), **fields: Any) -> WorkingGroup:
    """A group (unique name) with these organisations as current members."""
    n = next(_serial)
    group = WorkingGroup.objects.create(
        name=fields.pop("name", f"【テスト】分科会{n}"),
        theme=fields.pop("theme", "居場所づくり"),
        **fields,
    )
    for organization in members:
        GroupMembership.objects.create(group=group, organization=organization)
    for organization in conveners:
        GroupMembership.objects.create(group=group, organization=organization, is_convener=True)
    return group


def make_post(group: WorkingGroup, author: Any, **fields: Any) -> GroupPost:
    fields.setdefault("body", "本文です。")
    return GroupPost.objects.create(group=group, author=author, **fields)
