"""The fill-time token of the public forms (lib/antibot.py): a form shown again with errors
keeps the time of its first showing, so a person who fixes a mistake can send at once."""

from __future__ import annotations

import re
import time
from typing import Any

from django import forms
from django.core.cache import cache
from django.test import SimpleTestCase

from tsunagari.lib.antibot import HumanCheckForm, issue_token, token_age
from tsunagari.surveys.tests.test_campaigns import make_campaign, standard
from tsunagari.test import BaseTestCase

TOKEN_RE = re.compile(r'name="shown_at" value="([^"]+)"')


def rendered_token(html: str) -> str:
    found = TOKEN_RE.search(html)
    assert found is not None, "no fill-time token in the page"
    return found.group(1)


class NameForm(HumanCheckForm, forms.Form):
    name = forms.CharField()


class TokenTests(SimpleTestCase):
    def test_a_new_form_gets_a_new_token(self) -> None:
        token = rendered_token(str(NameForm()["shown_at"]))
        age = token_age(token)
        assert age is not None
        self.assertLess(abs(age), 2)

    def test_a_form_shown_again_keeps_the_token_of_its_first_showing(self) -> None:
        first = issue_token(now=time.time() - 5)
        form = NameForm({"name": "", "shown_at": first, "homepage": ""})
        self.assertFalse(form.is_valid())
        self.assertEqual(rendered_token(str(form["shown_at"])), first)
        # Fixed and sent again straight away: still 5 seconds since the first showing.
        again = NameForm({"name": "山田", "shown_at": first, "homepage": ""})
        self.assertTrue(again.is_valid(), again.errors)

    def test_a_form_sent_too_fast_keeps_its_token_so_that_a_later_send_works(self) -> None:
        first = issue_token(now=time.time() - 1)
        form = NameForm({"name": "山田", "shown_at": first, "homepage": ""})
        self.assertFalse(form.is_valid())
        self.assertEqual(form.non_field_errors().as_data()[0].code, "too_fast")
        self.assertEqual(rendered_token(str(form["shown_at"])), first)

    def test_a_bad_expired_or_future_token_is_replaced(self) -> None:
        for token in (
            "forged",
            issue_token(now=time.time() - 3 * 3600),
            issue_token(now=time.time() + 600),
        ):
            with self.subTest(token=token[:12]):
                form = NameForm({"name": "山田", "shown_at": token, "homepage": ""})
                self.assertFalse(form.is_valid())
                shown = rendered_token(str(form["shown_at"]))
                self.assertNotEqual(shown, token)
                age = token_age(shown)
                assert age is not None
                self.assertLess(abs(age), 2)


class PublicFormsTests(BaseTestCase):
    """Every public form with the token: a mistake fixed and sent again at once is taken
    (HumanCheckForm.min_seconds at its real value)."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def send_twice(self, url: str, wrong: dict[str, Any], right: dict[str, Any]) -> Any:
        loaded = issue_token(now=time.time() - HumanCheckForm.min_seconds - 2)
        r = self.client.post(url, {**wrong, "shown_at": loaded, "homepage": ""})
        self.assertEqual(r.status_code, 400)
        token = rendered_token(r.content.decode())
        self.assertEqual(token, loaded)
        return self.client.post(url, {**right, "shown_at": token, "homepage": ""})

    def test_the_self_check(self) -> None:
        right = {"ucla_1": "2", "ucla_2": "2", "ucla_3": "2", "direct": "2"}
        r = self.send_twice("/selfcheck/", {**right, "direct": ""}, right)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "セルフチェックの結果")

    def test_the_voice_form(self) -> None:
        right = {"text": "近くに気軽に話せる場所がほしいです。", "municipality": "142051"}
        r = self.send_twice("/voice/", {**right, "text": ""}, right)
        self.assertRedirects(r, "/voice/thanks/")

    def test_a_campaign_answer(self) -> None:
        campaign = make_campaign(self.organization)
        right = {f"item_{standard(c).pk}": "2" for c in ("ucla_1", "ucla_2", "ucla_3", "direct")}
        wrong = {**right, f"item_{standard('direct').pk}": ""}
        r = self.send_twice(f"/s/{campaign.token}/", wrong, right)
        self.assertRedirects(r, f"/s/{campaign.token}/thanks/")
