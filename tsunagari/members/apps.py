from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "tsunagari.members"

    def ready(self) -> None:
        from tsunagari.lib import pagecache
        from tsunagari.members.models import Membership, Organization, Theme

        # The roster, members' pages and providers' names on the public pages.
        pagecache.bump_on_change("members", Organization, Membership, Theme)
