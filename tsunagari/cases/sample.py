"""Sample model cases for the demo, all marked 【サンプル】: one made from the sample
three-party collaboration (completed here if it is not yet), one written from scratch,
both published, and one waiting in the secretariat's review queue. They belong to the
【サンプル】 organisations of directory/sample.py, never to a real member; a second run
changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tsunagari.cases.models import CasePartner, CaseStep, ModelCase
from tsunagari.cases.search import index_case
from tsunagari.cases.services import from_collaboration
from tsunagari.collaborations.models import Collaboration
from tsunagari.collaborations.sample import THREE_PARTY_TITLE, load_sample_collaborations
from tsunagari.directory.sample import SAMPLE_MARK, SAMPLE_NOTE, load_sample_organizations
from tsunagari.geo.models import Municipality
from tsunagari.members.models import Sector

FROM_SCRATCH_TITLE = f"{SAMPLE_MARK}団地の空き店舗で「ひとこと茶話会」"
IN_REVIEW_TITLE = f"{SAMPLE_MARK}商店街のスタンプラリーで見守り"
SAMPLE_OUTCOME = "夏休みの4回で、子どもと高齢者あわせて延べ120人が一緒に食事をした。（サンプル）"


def load_sample_cases() -> list[str]:
    """Make the sample cases; return one line per thing made, for load_demo to print."""
    lines: list[str] = []
    organizations = load_sample_organizations()
    if not Collaboration.objects.filter(title=THREE_PARTY_TITLE).exists():
        load_sample_collaborations()
    with transaction.atomic():
        collaboration = Collaboration.objects.filter(title=THREE_PARTY_TITLE).first()
        if collaboration is not None and not collaboration.model_cases.exists():
            if collaboration.status != Collaboration.Status.COMPLETED:
                Collaboration.objects.filter(pk=collaboration.pk).update(
                    status=Collaboration.Status.COMPLETED,
                    outcome=collaboration.outcome or SAMPLE_OUTCOME,
                )
            case, _made = from_collaboration(collaboration.pk, by=None, organization=None)
            ModelCase.objects.filter(pk=case.pk).update(
                title=case.title
                if case.title.startswith(SAMPLE_MARK)
                else SAMPLE_MARK + case.title,
                summary="夏休みに、子どもと高齢者が同じ食卓を囲む食堂を3団体で開いた例。",
                issue="夏休みは給食がなく、ひとりで昼食をとる子どもがいる。近所の高齢者も"
                "ひとりで食べることが多い。" + SAMPLE_NOTE,
                cost_yen=60000,
                cost_note="食材の一部は寄付。会場費なし。",
                period_note="夏休みの毎週土曜",
                status=ModelCase.Status.PUBLISHED,
                published_at=timezone.now() - dt.timedelta(days=10),
                is_sample=True,
            )
            _steps(case, ["3団体で役割を決める", "チラシを学校と自治会に配る", "毎週土曜に開く"])
            index_case(ModelCase.objects.get(pk=case.pk))
            lines.append("サンプルのモデル事例（完了した連携から、公開中）を作成しました。")
        if not ModelCase.objects.filter(title=FROM_SCRATCH_TITLE).exists():
            case = _scratch(
                FROM_SCRATCH_TITLE,
                organizations,
                status=ModelCase.Status.PUBLISHED,
                lead="一般社団法人まちのえんがわ",
            )
            lines.append("サンプルのモデル事例（一から作成、公開中）を作成しました。")
        if not ModelCase.objects.filter(title=IN_REVIEW_TITLE).exists():
            _scratch(
                IN_REVIEW_TITLE,
                organizations,
                status=ModelCase.Status.REVIEW,
                lead="フードシェア湘南",
            )
            lines.append("サンプルのモデル事例（事務局の確認待ち）を作成しました。")
    return lines


def _marked(title: str) -> str:
    return title if title.startswith(SAMPLE_MARK) else SAMPLE_MARK + title


def _steps(case: ModelCase, titles: list[str]) -> None:
    if case.steps.exists():
        return
    CaseStep.objects.bulk_create(
        CaseStep(case=case, title=title, body=f"{title}。（サンプル）", sort_order=n)
        for n, title in enumerate(titles)
    )


def _scratch(title: str, organizations: dict, *, status: str, lead: str) -> ModelCase:
    organization = organizations.get(lead) or next(iter(organizations.values()))
    now = timezone.now()
    case = ModelCase.objects.create(
        title=title,
        summary="身近な場所で、ひとことを交わせる機会をつくった例。（サンプル）",
        issue="ひとり暮らしの高齢者が、数日だれとも話さないことがある。" + SAMPLE_NOTE,
        resources_used="空き店舗（自治会が借りている）、ボランティア5人",
        cost_yen=30000,
        cost_note="お茶とお菓子代、チラシの印刷代",
        started_on=dt.date(2025, 4, 1),
        period_note="月2回",
        outcomes="毎回10人ほどが集まり、顔見知りが増えた。（サンプル）",
        organization=organization,
        contact_organization=organization,
        contact_name="担当（サンプル）",
        contact_email="sample-case@example.jp",
        status=status,
        submitted_at=now - dt.timedelta(days=2),
        published_at=now - dt.timedelta(days=20) if status == ModelCase.Status.PUBLISHED else None,
        is_sample=True,
    )
    CasePartner.objects.create(
        case=case,
        organization=organization,
        name=organization.name,
        sector=organization.sector,
        role="企画・運営",
    )
    CasePartner.objects.create(
        case=case,
        name="地元の自治会（サンプル）",
        sector=Sector.COMMUNITY,
        role="会場",
        sort_order=1,
    )
    municipality = Municipality.objects.filter(code="142051").first()
    if municipality is not None:
        case.municipalities.set([municipality])
    _steps(case, ["自治会と相談する", "空き店舗を片付ける", "月2回の茶話会を開く"])
    index_case(case)
    return case
