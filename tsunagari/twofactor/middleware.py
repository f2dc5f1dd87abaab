"""The second factor, enforced for every page at once.

After the password, a person who must use two-factor sign-in (the secretariat, a
municipality officer) or who chose it (member staff) reaches no page, public or staff,
HTML or API, until the session passed the second factor: only the second-factor pages,
sign-out and the language switch answer. Anyone else is untouched. One check here rather
than a decorator on each view, so that a view added tomorrow is covered too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from tsunagari.twofactor import services

# Views a signed-in person may open before the second factor.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "twofactor:verify",
        "twofactor:setup",
        "accounts:logout",
        "set_language",
        "core:healthz",
        "core:readyz",
    }
)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if services.session_verified(request):
            return None
        if services.enrolled(user):
            step = "twofactor:verify"
        elif services.required(user):
            step = "twofactor:setup"
        else:
            return None
        url = reverse(step)
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
