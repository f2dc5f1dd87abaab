"""A model case outside the site: the one-page recipe PDF and the HSDS-like JSON.

The recipe (レシピ) is what an officer hands a colleague or takes to a meeting: the whole
case on A4 with the Japanese font embedded, its address as text and as a QR code. The
JSON names its fields as Open Referral HSDS does where they fit (id, name, description,
organizations, taxonomy terms, attributes), so that a reader of our directory's HSDS
recognises them; docs/cases-json.md states the mapping.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tsunagari.cases.adoption import STAGES
from tsunagari.cases.models import CaseAdoption, ModelCase
from tsunagari.core.templatetags.wareki import wareki
from tsunagari.directory.hsds import hsds_id
from tsunagari.geo.models import Municipality
from tsunagari.lib.pdf import FAMILY, add_japanese_fonts
from tsunagari.lib.qr import qr_svg
from tsunagari.members.models import Sector

SCHEMA_VERSION = "1"
MARGIN = 18
QR_MM = 30


def case_url(case: ModelCase) -> str:
    return settings.SITE_URL + reverse("cases:case_detail", args=[case.pk])


def with_everything(cases: QuerySet[ModelCase]) -> QuerySet[ModelCase]:
    """What the recipe and the JSON print, in a fixed number of queries."""
    return (
        cases.select_related("contact_organization", "organization")
        .prefetch_related(
            "partners",
            "steps",
            "themes",
            "target_groups",
            "municipalities",
            Prefetch(
                "adoptions",
                queryset=CaseAdoption.objects.select_related("municipality").order_by(
                    "municipality__code"
                ),
            ),
        )
        .annotate(adoption_total=Count("adoptions", distinct=True))
    )


def filter_cases(
    cases: QuerySet[ModelCase],
    *,
    municipality: Municipality | None = None,
    theme: int | None = None,
    target_group: str | None = None,
    q: str = "",
) -> QuerySet[ModelCase]:
    """The simple filters of the JSON list and the API: where it was done (a ward finds
    its city's cases too), a theme's id, a target group's slug, words in the text."""
    if municipality is not None:
        codes = [municipality.pk]
        if municipality.parent_id:
            codes.append(municipality.parent_id)
        codes += list(municipality.wards.values_list("pk", flat=True))
        cases = cases.filter(pk__in=ModelCase.objects.filter(municipalities__in=codes).values("pk"))
    if theme is not None:
        cases = cases.filter(pk__in=ModelCase.objects.filter(themes=theme).values("pk"))
    if target_group:
        cases = cases.filter(
            pk__in=ModelCase.objects.filter(target_groups__slug=target_group).values("pk")
        )
    # A NUL cannot reach PostgreSQL (it would be a 500, not "nothing found").
    for word in q.replace("\x00", "").split():
        cases = cases.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(issue__icontains=word)
            | Q(outcomes__icontains=word)
        )
    return cases


# JSON ------------------------------------------------------------------------------------


def _term(taxonomy: str, term_id: Any, code: str, name: str) -> dict[str, Any]:
    return {
        "id": hsds_id(f"{taxonomy}-term", term_id),
        "code": code,
        "term": name,
        "taxonomy": taxonomy,
    }


def _attribute(case_id: str, term: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": hsds_id("case-attribute", f"{case_id}:{term['id']}"),
        "link_id": case_id,
        "link_type": "model_case",
        "link_entity": "model_case",
        "taxonomy_term": term,
        "value": "",
    }


def case_as_json(case: ModelCase) -> dict[str, Any]:
    """One published case (prefetched by `with_everything`)."""
    case_id = hsds_id("model_case", case.pk)
    sectors = dict(Sector.choices)
    organizations = []
    for partner in case.partners.all():
        if partner.organization_id:
            org_id = hsds_id("organization", partner.organization_id)
        else:
            org_id = hsds_id("case_partner", partner.pk)
        organizations.append(
            {
                "id": org_id,
                "name": partner.name,
                "sector": partner.sector,
                "sector_name": str(sectors.get(partner.sector, partner.sector)),
                "role": partner.role,
                "is_member": partner.organization_id is not None,
            }
        )
    themes = [_term("theme", t.pk, str(t.pk), t.label) for t in case.themes.all()]
    targets = [_term("target_group", t.pk, t.slug, t.name) for t in case.target_groups.all()]
    areas = [
        {"code": m.pk, "name": m.name, "name_en": m.name_en} for m in case.municipalities.all()
    ]
    counts = dict.fromkeys(STAGES, 0)
    adoptions = []
    for adoption in case.adoptions.all():
        counts[adoption.stage] += 1
        adoptions.append(
            {
                "municipality": {
                    "code": adoption.municipality.pk,
                    "name": adoption.municipality.name,
                },
                "stage": adoption.stage,
                "stage_since": adoption.stage_since.isoformat(),
            }
        )
    contact = case.contact_organization.name if case.contact_organization else ""
    return {
        "id": case_id,
        "case_number": case.pk,
        "name": case.title,
        "description": case.summary,
        "url": case_url(case),
        "status": "active",
        "is_sample": case.is_sample,
        "issue": case.issue,
        "organizations": organizations,
        "areas": areas,
        "area_note": case.area_note,
        "steps": [
            {"number": n, "title": s.title, "description": s.body}
            for n, s in enumerate(case.steps.all(), start=1)
        ],
        "resources_used": case.resources_used,
        "cost": {"amount": case.cost_yen, "currency": "JPY", "note": case.cost_note},
        "period": {
            "start_date": case.started_on.isoformat() if case.started_on else None,
            "end_date": case.ended_on.isoformat() if case.ended_on else None,
            "note": case.period_note,
        },
        "outcomes": case.outcomes,
        "contact": {
            "organization": contact,
            "name": case.contact_name,
            "email": case.contact_email,
            "phone": case.contact_phone,
        },
        "taxonomy_terms": themes + targets,
        "attributes": [_attribute(case_id, term) for term in themes + targets],
        "adoption": {
            "total": sum(counts.values()),
            "by_stage": counts,
            "municipalities": adoptions,
        },
        "published_at": case.published_at.isoformat() if case.published_at else None,
        "last_modified": case.updated_at.isoformat(),
    }


def cases_as_json(cases: QuerySet[ModelCase]) -> dict[str, Any]:
    contents = [case_as_json(c) for c in with_everything(cases)]
    return {
        "schema_version": SCHEMA_VERSION,
        "total_items": len(contents),
        "contents": contents,
    }


# Recipe PDF ------------------------------------------------------------------------------


def recipe_blocks(case: ModelCase) -> list[tuple[str, float, bool]]:
    """Every block the recipe prints, in order: (text, size, bold)."""
    sectors = dict(Sector.choices)
    blocks: list[tuple[str, float, bool]] = [
        (_("かながわつながりネットワーク　モデル事例のレシピ"), 10, False),
    ]
    if case.is_sample:
        blocks.append((_("【サンプル】この事例は架空のものです。"), 11, True))
    blocks.append((case.title, 17, True))
    blocks.append((case.summary, 11, False))

    def section(title: str, text: str) -> None:
        if text:
            blocks.append((title, 13, True))
            blocks.append((text, 11, False))

    section(_("課題"), case.issue)
    section(_("対象"), "、".join(t.name for t in case.target_groups.all()))
    area = "、".join(m.name for m in case.municipalities.all())
    if case.area_note:
        area = f"{area}（{case.area_note}）" if area else case.area_note
    section(_("地域"), area)
    partners = [
        f"・{p.name}（{sectors.get(p.sector, p.sector)}）" + (f"：{p.role}" if p.role else "")
        for p in case.partners.all()
    ]
    section(_("参加した団体"), "\n".join(partners))
    steps = [
        f"{n}. {s.title}" + (f"\n{s.body}" if s.body else "")
        for n, s in enumerate(case.steps.all(), start=1)
    ]
    section(_("進め方"), "\n".join(steps))
    section(_("使った資源"), case.resources_used)
    cost = ""
    if case.cost_yen is not None:
        cost = _("%(yen)s円") % {"yen": f"{case.cost_yen:,}"}
    if case.cost_note:
        cost = f"{cost}（{case.cost_note}）" if cost else case.cost_note
    section(_("費用"), cost)
    period = ""
    if case.started_on:
        period = wareki(case.started_on) + "〜" + (wareki(case.ended_on) if case.ended_on else "")
    if case.period_note:
        period = f"{period}（{case.period_note}）" if period else case.period_note
    section(_("期間"), period)
    section(_("成果"), case.outcomes)
    contact = [
        case.contact_organization.name if case.contact_organization else "",
        case.contact_name,
        case.contact_email,
        case.contact_phone,
    ]
    section(_("問い合わせ先"), "　".join(c for c in contact if c))
    total = getattr(case, "adoption_total", None)
    if total is None:
        total = case.adoptions.count()
    blocks.append((_("この事例を取り入れた市町村：%(count)d") % {"count": total}, 11, False))
    blocks.append((case_url(case), 10, False))
    return blocks


class RecipePDF(FPDF):
    def __init__(self, blocks: list[tuple[str, float, bool]], title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.drawn: list[str] = []
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        add_japanese_fonts(self, [b[0] for b in blocks])
        self.set_title(title)
        self.set_lang("en" if (get_language() or "").startswith("en") else "ja")
        self.set_creator("Tsunagari")


def build_recipe(case: ModelCase) -> RecipePDF:
    blocks = recipe_blocks(case)
    doc = RecipePDF(blocks, case.title)
    doc.add_page()
    width = doc.w - 2 * MARGIN
    for text, size, bold in blocks:
        if bold and size >= 13:
            doc.ln(2)
        doc.set_font(FAMILY, "B" if bold else "", size)
        doc.multi_cell(width, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.ln(1)
        doc.drawn.append(text)
    # The address as a QR code, under the text (a new page when it does not fit).
    if doc.get_y() + QR_MM > doc.h - MARGIN:
        doc.add_page()
    doc.image(io.BytesIO(qr_svg(case_url(case))), x=MARGIN, y=doc.get_y(), w=QR_MM, h=QR_MM)
    return doc


def render_recipe(case: ModelCase) -> bytes:
    return bytes(build_recipe(case).output())
