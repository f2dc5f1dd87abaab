"""やさしい日本語 (easy Japanese) on the public pages: a wording of Japanese, switched on
by a link in the header and kept in a cookie.

Easy Japanese is a gettext catalogue of its own (locale/ja_Easy, language code
`ja-easy`), so every `{% translate %}` and `gettext` of a public page gets its easy
text from there, and a string without one falls back to standard Japanese. The code
is never listed in LANGUAGES (the language select offers 日本語 and English only) and
never sent out: the page still says `<html lang="ja">` and `Content-Language: ja`,
with `data-wording="easy"` on <html>.

- `?wording=easy` turns the mode on (and sets the cookie), `?wording=ja` turns it off;
  the cookie keeps it on every page after. Choosing a language in the select turns it
  off, so the select always does what it says.
- Only pages open to anyone (`@login_not_required`) are shown in easy Japanese: a
  member's pages, and the paper entry whose `?wording=` names the sheets' wording,
  stay standard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from tsunagari.lib.text import normalize_text

EASY_LANGUAGE = "ja-easy"
EASY = "easy"
STANDARD = "ja"
COOKIE = "wording"
PARAM = "wording"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _requested(request: HttpRequest) -> str | None:
    """The wording the address asks for ("easy" or "ja"), or None when it names none."""
    # Only the query string: reading a POST body here would take it from views that
    # read it raw (the JSON API). A form sent in easy mode carries the cookie.
    value = request.GET.get(PARAM)
    if value is None:
        return None
    return EASY if normalize_text(value).strip().lower() == EASY else STANDARD


def easy_date(day: date, *, with_weekday: bool = False) -> str:
    """A date in やさしい日本語: the western year reads more easily than an era name
    (2025年8月6日（水）)."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（{'月火水木金土日'[day.weekday()]}）" if with_weekday else text


def is_easy() -> bool:
    """True while the current request is shown in やさしい日本語."""
    return translation.get_language() == EASY_LANGUAGE


class EasyJapaneseMiddleware:
    """Activates the easy catalogue on public pages when asked; keeps the choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = translation.get_language()  # LocaleMiddleware's choice
        response = self.get_response(request)
        if getattr(request, "wording_switch", False):
            self._keep(request, response)
            translation.activate(chosen)  # nothing after this request sees the easy catalogue
        if request.method == "POST" and request.path == reverse("set_language"):
            response.delete_cookie(COOKIE, samesite="Lax")  # a language chosen: plain wording
        return response

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        if getattr(view_func, "login_required", True):
            return  # a member's page: standard Japanese or English, as chosen
        requested = _requested(request)
        request.wording_switch = True  # type: ignore[attr-defined]
        request.wording_requested = requested  # type: ignore[attr-defined]
        if requested == EASY or (requested is None and request.COOKIES.get(COOKIE) == EASY):
            translation.activate(EASY_LANGUAGE)
            request.LANGUAGE_CODE = EASY_LANGUAGE  # cache keys (cache_page) vary by it
        elif requested == STANDARD and not request.LANGUAGE_CODE.startswith("ja"):
            # The switch says 「ふつうの日本語」: Japanese, whatever the language was.
            translation.activate(STANDARD)
            request.LANGUAGE_CODE = STANDARD
            request.wording_chose_japanese = True  # type: ignore[attr-defined]

    def _keep(self, request: HttpRequest, response: HttpResponse) -> None:
        """The choice goes into a cookie; every page in two wordings varies by it."""
        patch_vary_headers(response, ("Cookie",))
        if request.LANGUAGE_CODE == EASY_LANGUAGE:
            response.headers["Content-Language"] = "ja"  # a wording of Japanese
        requested = getattr(request, "wording_requested", None)
        if requested == EASY and request.COOKIES.get(COOKIE) != EASY:
            response.set_cookie(
                COOKIE,
                EASY,
                max_age=COOKIE_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif requested == STANDARD:
            if COOKIE in request.COOKIES:
                response.delete_cookie(COOKIE, samesite="Lax")
            if getattr(request, "wording_chose_japanese", False):
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    STANDARD,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                )


def wording(request: HttpRequest) -> dict[str, Any]:
    """For templates: EASY; whether this page offers the switch; the switch's link (this
    page in the other wording, a search's words and filters kept); and this page's
    address without `wording`, for the language select to come back to."""
    easy = is_easy()
    query = request.GET.copy()
    query.pop(PARAM, None)
    kept = urlencode(sorted(query.lists()), doseq=True)
    query[PARAM] = STANDARD if easy else EASY
    return {
        "EASY": easy,
        "WORDING_SWITCH": getattr(request, "wording_switch", False),
        "WORDING_SWITCH_URL": f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}",
        "PATH_WITHOUT_WORDING": f"{request.path}?{kept}" if kept else request.path,
    }
