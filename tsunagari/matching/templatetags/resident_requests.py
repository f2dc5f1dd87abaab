"""{% new_voice_count as n %}: resident requests waiting for the secretariat's screening."""

from __future__ import annotations

from django import template

from tsunagari.matching.models import ResidentRequest

register = template.Library()


@register.simple_tag
def new_voice_count() -> int:
    return ResidentRequest.objects.filter(status=ResidentRequest.Status.NEW).count()
