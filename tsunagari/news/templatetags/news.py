"""A post's plain-text body as HTML: escaped, with paragraphs and links, nothing else."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter, urlize
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def body_html(text: str) -> SafeString:
    """Blank lines make paragraphs, single line ends <br>, URLs links (rel="nofollow");
    any HTML typed in the text is shown as text."""
    return linebreaks_filter(urlize(text or "", autoescape=True), autoescape=True)
