"""Load clearly-marked sample accounts (one per role), a few sample applications, a few
hundred sample social resources run by 【サンプル】 organisations (never on the roster),
sample needs with their suggestions, a published resident's voice and a collaboration.

Idempotent: running it again changes nothing. Later parts of the platform add their
own sample data here.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from tsunagari.accounts.models import User
from tsunagari.awareness.sample import load_sample_awareness_month
from tsunagari.cases.sample import load_sample_cases
from tsunagari.cases.sample_adoption import load_sample_adoptions
from tsunagari.collaborations.sample import load_sample_collaborations
from tsunagari.directory.sample import (
    DEMO_STAFF_ORGANISATIONS,
    attach_sample_organizations,
    load_sample_organizations,
    load_sample_resources,
)
from tsunagari.factory import DEFAULT_PASSWORD, make_application
from tsunagari.geo.models import Municipality
from tsunagari.groups.sample import load_sample_groups
from tsunagari.insights.sample import load_sample_insights
from tsunagari.matching.sample import load_sample_needs
from tsunagari.meetings.sample import load_sample_meetings
from tsunagari.members.models import MembershipApplication, Organization
from tsunagari.network.sample import load_sample_introductions
from tsunagari.news.sample import load_sample_news
from tsunagari.rollout.network_sample import load_sample_networks
from tsunagari.rollout.sample import load_sample_rollout
from tsunagari.supporters.sample import load_sample_courses
from tsunagari.supporters.sample_completion import load_sample_completions
from tsunagari.surveys.sample import load_sample_campaign, load_sample_selfchecks

SAMPLE_DOMAIN = "sample.tsunagari.example"


class Command(BaseCommand):
    help = "Load sample users (one per role) and sample applications, marked サンプル."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            users = self._users()
            self._applications()
        resources = load_sample_resources()
        if resources:
            self.stdout.write(f"サンプルの社会資源を{resources}件作成しました。")
        if attached := attach_sample_organizations():
            self.stdout.write(f"サンプルの社会資源{attached}件をサンプル団体の運営にしました。")
        users += self._sample_staff()
        needs = load_sample_needs()
        if needs:
            self.stdout.write(f"サンプルのニーズを{needs}件（住民の声から1件）作成しました。")
        for line in load_sample_collaborations():
            self.stdout.write(line)
        selfchecks = load_sample_selfchecks()
        if selfchecks:
            self.stdout.write(f"サンプルのセルフチェック回答を{selfchecks}件作成しました。")
        if load_sample_campaign():
            self.stdout.write("サンプルの調査キャンペーン（事前・事後）を作成しました。")
        # Awareness (issue 13): each app loads its own samples and says what it made.
        loaders = (
            load_sample_courses,
            load_sample_completions,
            load_sample_awareness_month,
            load_sample_news,
            load_sample_groups,
            load_sample_meetings,
            load_sample_introductions,
            load_sample_cases,
            load_sample_adoptions,
            load_sample_rollout,
            load_sample_insights,
            load_sample_networks,
        )
        for load in loaders:
            for line in load():
                self.stdout.write(line)
        # Embed the seeds now, so that a need posted in the demo is matched at once, and
        # compute the sample needs' suggestions (synchronously: no worker needed to look).
        call_command("refresh_suggestions", stdout=self.stdout)
        # The dashboard's tallies (insights), counted once from everything loaded above.
        call_command("rebuild_tallies", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("サンプルデータを読み込みました（Sample data loaded）.")
        )
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ with:")
        for user in users:
            self.stdout.write(
                f"  {'・'.join(user.capacity_labels):<16} {user.email:<44} {DEFAULT_PASSWORD}"
            )

    def _users(self) -> list[User]:
        specs: list[tuple[str, str, str, dict[str, Any]]] = [
            ("secretariat", User.Role.SECRETARIAT, "【サンプル】事務局 担当者", {}),
            (
                "fujisawa",
                User.Role.MUNICIPALITY,
                "【サンプル】藤沢市 担当者",
                {"municipality": Municipality.objects.get(code="142051")},
            ),
            (
                "member",
                User.Role.MEMBER,
                "【サンプル】構成員団体 職員",
                {"organization": Organization.objects.get(roster_no=13)},
            ),
        ]
        users = []
        for local, role, name, extra in specs:
            email = f"{local}@{SAMPLE_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email, DEFAULT_PASSWORD, role=role, full_name=name, **extra
                )
            users.append(user)
        # One person, two capacities: officer of 藤沢市 and staff of the member 藤沢市.
        email = f"fujisawa-both@{SAMPLE_DOMAIN}"
        both = User.objects.filter(email=email).first()
        if both is None:
            both = User.objects.create_user(
                email,
                DEFAULT_PASSWORD,
                full_name="【サンプル】藤沢市 職員（担当者・構成員）",
                municipality=Municipality.objects.get(code="142051"),
                organization=Organization.objects.get(roster_no=31),
            )
        users.append(both)
        return users

    def _sample_staff(self) -> list[User]:
        """Staff of three 【サンプル】 organisations: one owns a sample need (and proposes to
        its suggestions), one is in a collaboration with it, one can answer the voice."""
        organizations = load_sample_organizations()
        specs = zip(
            ("sample-pokapoka", "sample-hidamari", "sample-niji"),
            DEMO_STAFF_ORGANISATIONS,
            strict=True,
        )
        users = []
        for local, name in specs:
            email = f"{local}@{SAMPLE_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    DEFAULT_PASSWORD,
                    role=User.Role.MEMBER,
                    full_name=f"【サンプル】{name} 職員",
                    organization=organizations[name],
                )
            users.append(user)
        return users

    def _applications(self) -> None:
        samples = [
            (
                "【サンプル】特定非営利活動法人つながりカフェ",
                "トクテイヒエイリカツドウホウジンツナガリカフェ",
                "npo",
                "private",
                "141097",
            ),
            (
                "【サンプル】一般社団法人まちのえんがわ",
                "イッパンシャダンホウジンマチノエンガワ",
                "general_association",
                "community",
                "142034",
            ),
        ]
        for i, (name, kana, legal_form, sector, code) in enumerate(samples, start=1):
            if MembershipApplication.objects.filter(name=name).exists():
                continue
            make_application(
                name=name,
                name_kana=kana,
                legal_form=legal_form,
                sector=sector,
                municipalities=[code],
                description="【サンプル】デモ用の架空の団体です。実在しません。",
                offers="週1回の交流サロン（サンプル）",
                needs="活動を手伝うボランティア（サンプル）",
                address="【サンプル】架空の住所",
                contact_name=f"見本 {['太郎', '花子'][i - 1]}",
                contact_name_kana=f"ミホン {['タロウ', 'ハナコ'][i - 1]}",
                contact_email=f"applicant{i}@{SAMPLE_DOMAIN}",
            )
