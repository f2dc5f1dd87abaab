"""Public JSON API of the roster."""

from __future__ import annotations

import re
from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from tsunagari.members import services
from tsunagari.members.models import LegalForm, Organization, Sector

router = Router(tags=["members"])


class MunicipalityRef(Schema):
    code: str
    name: str


class OrganizationOut(Schema):
    no: int | None = Field(description="名簿番号 (number in the official roster)")
    name: str
    name_kana: str
    sector: Sector
    sector_label: str
    legal_form: LegalForm | None
    legal_form_label: str
    municipalities: list[MunicipalityRef]
    website: str


class RosterOut(Schema):
    as_of: date = Field(description="The date the roster is for")
    count: int
    items: list[OrganizationOut]


class RosterFilters(Schema):
    sector: Sector | None = Field(None, description="分野で絞り込む")
    as_of: date | None = Field(None, description="この日の名簿 (YYYY-MM-DD)。省略時は最新")

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date_only(cls, value: object) -> object:
        """Only YYYY-MM-DD, as the document says: not "0" read as a Unix time."""
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("must be a date YYYY-MM-DD")
        return value


def _out(o: Organization) -> OrganizationOut:
    return OrganizationOut(
        no=o.roster_no,
        name=o.name,
        name_kana=o.name_kana,
        sector=Sector(o.sector),
        sector_label=o.get_sector_display(),
        legal_form=LegalForm(o.legal_form) if o.legal_form else None,
        legal_form_label=o.get_legal_form_display() if o.legal_form else "",
        municipalities=[MunicipalityRef(code=m.code, name=m.name) for m in o.municipalities.all()],
        website=o.website,
    )


@router.get("/organizations", response=RosterOut, summary="構成員名簿 (member roster)")
def list_organizations(request: HttpRequest, filters: Query[RosterFilters]) -> RosterOut:
    day = filters.as_of or services.roster_date()
    orgs = services.roster(day, filters.sector.value if filters.sector else "")
    items = [_out(o) for o in orgs]
    return RosterOut(as_of=day, count=len(items), items=items)
