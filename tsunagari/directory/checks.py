"""System checks of the directory: the lay-language table must be readable."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from tsunagari.directory import lay_terms


@register()
def check_lay_terms(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E001: search and the matching engine read data/lay_terms.tsv; a mistake in it would
    break every search, so it stops the start-up with the file's line instead."""
    try:
        lay_terms.load(lay_terms.PATH)
    except lay_terms.LayTermsError as error:
        return [
            Error(
                f"The lay-language table cannot be used: {error}",
                hint="Fix the line named (the file's comment explains the format), then "
                "run `python manage.py lay_terms`.",
                id="tsunagari.directory.E001",
            )
        ]
    return []
