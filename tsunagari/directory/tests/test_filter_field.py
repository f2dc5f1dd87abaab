"""The search filters drawn by `filter_field` read exactly as field.html draws them."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.test import TestCase
from django.utils import translation

from tsunagari.directory.public_forms import FilterForm
from tsunagari.directory.templatetags.directory_public import filter_field

FIELDS = ("municipality", "kind", "target", "day", "lang", "accessibility", "open_now", "free")


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


class FilterFieldTests(TestCase):
    def test_it_draws_each_filter_as_field_html_does_in_every_language(self) -> None:
        queries: tuple[dict[str, str], ...] = (
            {},
            {"kind": "food", "municipality": "141003", "open_now": "on", "day": "3"},
            {"kind": "bogus", "day": "9", "free": "on", "municipality": "x"},
        )
        for language in ("ja", "en", "ja-easy"):
            for data in queries:
                with translation.override(language):
                    form = FilterForm(data)
                    form.is_valid()
                    for name in FIELDS:
                        with self.subTest(language=language, data=data, field=name):
                            self.assertEqual(
                                normalised(filter_field(form[name])),
                                normalised(render_to_string("field.html", {"field": form[name]})),
                            )

    def test_the_chosen_area_stays_selected(self) -> None:
        html = filter_field(FilterForm({"municipality": "142051"})["municipality"])
        self.assertIn('<option value="142051" selected>藤沢市</option>', html)
        self.assertEqual(html.count(" selected"), 1)
