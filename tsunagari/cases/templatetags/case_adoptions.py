"""The municipalities that took a case up, for the public case page (cases/_adoptions.html
is included by a template the adoption work does not own, so it asks for its rows here)."""

from __future__ import annotations

from typing import Any

from django import template

from tsunagari.cases import adoption as services
from tsunagari.cases.models import ModelCase

register = template.Library()


@register.simple_tag
def case_adoptions(case: ModelCase) -> list[Any]:
    """Each adoption with its municipality, and its resource only when that is public."""
    rows = list(services.public_adoptions(case))
    for row in rows:
        row.public_resource = services.public_resource(row)  # type: ignore[attr-defined]
    return rows


@register.simple_tag
def may_adopt(user: Any) -> bool:
    return services.may_adopt(user)
