"""Anonymous pages from the cache: what a visitor who is not signed in sees, rendered once
per language, wording and address, until the data behind it changes.

    @login_not_required
    @anonymous_page("directory", "members", "geo")
    def detail(request, pk): ...

**Keys.** A page is stored under its path and query, the active language (`ja`, `en`, or
`ja-easy` for やさしい日本語, which tsunagari/core/wording.py activates from `?wording=` or
its cookie before the view runs), the HTMX headers, today's date (pages say 最終確認日,
次回 and 和暦 "as of" dates) and the version of each *data family* the page reads.

**Versions.** A family (`members`, `directory`, `geo`, `surveys`, `helplines`) has a
counter in the cache. Each app connects its models in its AppConfig.ready
(`bump_on_change`: post_save, post_delete, m2m_changed) and calls `bump()` where it
writes in bulk (`.update()`, `bulk_create`, raw SQL). A bump happens at once and again
when the transaction commits, so a request that read the old rows during the
transaction cannot leave them under the new version. Pages are never deleted: a bump
makes every key that carried the old version unreachable, and they expire
(PAGE_CACHE_SECONDS). A counter starts at the current time in milliseconds, so a counter
evicted from the cache never comes back to a value old pages still carry.

**Per-response values.** Every page has the language select with a CSRF token, and
script tags with the CSP nonce; a form may carry a fill-time token
(lib/antibot.py). They must differ in every response, so the stored page keeps a
placeholder where each stood and each response gets fresh ones (`Fresh`). The CSRF token
is found as `{% csrf_token %}` writes it (a cached page must not print `{{ csrf_token }}`
elsewhere), the nonce wherever `{{ csp_nonce }}` put it.

**Never cached:** signed-in visitors; anything but GET/HEAD; a request with messages
waiting to be shown; a response that is not a plain 200, sets a cookie or adds a
message. Several web processes must share one cache (REDIS_URL), as the rate limits
already require; with the local-memory cache each process keeps its own pages and
versions.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

VERSION_PREFIX = "pagecache:version:"
PAGE_PREFIX = "pagecache:page:"
VALUE_PREFIX = "pagecache:value:"
FORMAT = "1"  # change when the stored entry's shape changes


@functools.cache
def _placeholder(name: str) -> str:
    """A marker no page contains by chance and no one can guess (it is keyed by the
    secret key), so text typed into a resource can never be taken for one."""
    digest = salted_hmac("tsunagari.lib.pagecache", name, algorithm="sha256").hexdigest()
    return f"pagecache-{name}-{digest[:24]}"


@dataclass(frozen=True)
class Fresh:
    """A value that must be new in every response. On a miss, `pattern`'s group 1 (or, for
    a literal, the value `current(request)` gives) is replaced by a placeholder before the
    page is stored; each response fills it with `make(request)`."""

    name: str
    make: Callable[[HttpRequest], str]
    pattern: re.Pattern[bytes] | None = None
    current: Callable[[HttpRequest], str | None] | None = None

    @property
    def placeholder(self) -> bytes:
        return _placeholder(self.name).encode()

    def hollow(self, request: HttpRequest, content: bytes) -> bytes:
        if self.pattern is not None:
            return self.pattern.sub(
                lambda m: m.group(0).replace(m.group(1), self.placeholder), content
            )
        value = self.current(request) if self.current else None
        return content.replace(value.encode(), self.placeholder) if value else content


def _nonce(request: HttpRequest) -> str | None:
    nonce = getattr(request, "_csp_nonce", None)
    return str(nonce) if nonce else None  # a LazyNonce is false until it is used


CSRF_TOKEN = Fresh(
    "csrf",
    make=get_token,  # also tells the CSRF middleware to send the cookie, as rendering does
    pattern=re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"'),
)
CSP_NONCE = Fresh("nonce", make=lambda request: str(request._csp_nonce), current=_nonce)  # type: ignore[attr-defined]
ALWAYS = (CSRF_TOKEN, CSP_NONCE)


# ---------------------------------------------------------------- versions


# A page also depends on the settings (DEMO's banner, the contact office): they change only
# when a test overrides one, and then no page rendered before is reused.
_settings_generation = 0


def _settings_changed(**kwargs: Any) -> None:
    global _settings_generation
    _settings_generation += 1
    _local.clear()


setting_changed.connect(_settings_changed, dispatch_uid="tsunagari.lib.pagecache")


def _now_ms() -> int:
    return int(time.time() * 1000)


def versions(families: Iterable[str]) -> list[int]:
    """The current version of each family (one round trip to the cache)."""
    keys = [VERSION_PREFIX + family for family in families]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _now_ms(), None)  # the first process to start one wins
            found[key] = cache.get(key) or _now_ms()  # (or evicted at once: a page unkept)
    return [int(found[key]) for key in keys]


def _bump_now(families: tuple[str, ...]) -> None:
    for family in families:
        key = VERSION_PREFIX + family
        try:
            cache.incr(key)
        except ValueError:  # no counter yet (or evicted): a new one, above any old one
            cache.set(key, _now_ms(), None)


def bump(*families: str) -> None:
    """The data of these families changed: pages that read them are rendered afresh."""
    _bump_now(families)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(families))


def bump_on_change(family: str, *model_classes: type[models.Model]) -> None:
    """Bump `family` whenever a row of these models is saved or deleted, and when one of
    their many-to-many fields changes (call from the app's AppConfig.ready)."""

    def changed(sender: Any, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return  # loading fixtures
        if "action" in kwargs and not kwargs["action"].startswith("post_"):
            return
        bump(family)

    for model in model_classes:
        uid = f"pagecache:{family}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                changed, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
            )


# ---------------------------------------------------------------- values


def remember[T](
    name: str, families: Iterable[str], parts: Iterable[object], compute: Callable[[], T]
) -> T:
    """`compute()`, kept in the cache until one of `families` changes (or the day, or
    PAGE_CACHE_SECONDS pass), per language: a piece of a page that anyone may see, such
    as the choices of a filter or one page of the services API."""
    if not enabled():
        return compute()
    key_parts = [
        FORMAT,
        name,
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        str(_settings_generation),
        *map(str, versions(families)),
        *map(str, parts),
    ]
    key = VALUE_PREFIX + hashlib.sha256("\n".join(key_parts).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


# ---------------------------------------------------------------- pages


class _LocalPages:
    """This process's own copy of the pages it served last, in front of the shared cache.
    A key names a page's versions, so an entry found here can never be stale: a bump
    changes the key. Only the small version lookup then goes to Redis on a hit."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
        self.stored: dict[str, float] = {}

    def get(self, key: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """The entry, unless it was kept longer than PAGE_CACHE_SECONDS."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        if time.monotonic() - self.stored[key] > settings.PAGE_CACHE_SECONDS:
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return entry

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key)[2])
        del self.stored[key]

    def put(self, key: str, entry: tuple[str, list[tuple[str, str]], bytes]) -> None:
        if key in self.entries or len(entry[2]) > self.max_bytes // 8:
            return
        self.entries[key] = entry
        self.stored[key] = time.monotonic()
        self.size += len(entry[2])
        while self.size > self.max_bytes:
            self._drop(next(iter(self.entries)))

    def clear(self) -> None:
        self.entries.clear()
        self.stored.clear()
        self.size = 0


_local = _LocalPages()


def enabled() -> bool:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0)) > 0


def _messages_waiting(request: HttpRequest) -> bool:
    """Whether a message waits to be shown (a visitor with neither the messages cookie nor
    a session has none: the common case, answered without loading either)."""
    cookies = request.COOKIES
    if CookieStorage.cookie_name not in cookies and settings.SESSION_COOKIE_NAME not in cookies:
        return False
    return len(messages.get_messages(request)) > 0


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not enabled():
        return False
    if request.user.is_authenticated:
        return False
    return not _messages_waiting(request)


def page_key(request: HttpRequest, families: Iterable[str]) -> str:
    parts = [
        FORMAT,
        request.get_full_path(),
        translation.get_language() or "",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        timezone.localdate().isoformat(),
        str(_settings_generation),
        *map(str, versions(families)),
    ]
    return PAGE_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "pagecache_skip", False)
        and "private" not in response.get("Cache-Control", "")
        and len(messages.get_messages(request)) == 0  # none added by the view either
    )


def _serve(
    request: HttpRequest, entry: tuple[str, list[tuple[str, str]], bytes], how: str
) -> HttpResponse:
    _format, headers, content = entry
    for fresh in (*ALWAYS, *getattr(request, "_pagecache_fresh", ())):
        if fresh.placeholder in content:
            content = content.replace(fresh.placeholder, fresh.make(request).encode())
    response = HttpResponse(content)
    for name, value in headers:
        response.headers[name] = value
    response.pagecache = how  # type: ignore[attr-defined]  # "hit" or "miss", for tests
    return response


def anonymous_page(
    *families: str,
    fresh: Iterable[Fresh] = (),
    unless: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve the view's page to anonymous visitors from the cache; `families` are the
    data it reads, `fresh` the per-response values besides the CSRF token and the nonce,
    `unless` says which requests to render every time (a page that depends on the hour)."""
    extra = tuple(fresh)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request) or (unless is not None and unless(request)):
                return view(request, *args, **kwargs)
            request._pagecache_fresh = extra  # type: ignore[attr-defined]
            try:
                key = page_key(request, families)
                entry = _local.get(key)
                if entry is None:
                    entry = cache.get(key)
                    if entry is not None and entry[0] == FORMAT:
                        _local.put(key, entry)
            except Exception:  # the cache server is away: the page is rendered as before
                logger.exception("page cache unavailable")
                return view(request, *args, **kwargs)
            if entry is None or entry[0] != FORMAT:
                response = view(request, *args, **kwargs)
                if not _storable(request, response):
                    return response
                content = response.content
                for item in (*ALWAYS, *extra):
                    content = item.hollow(request, content)
                headers = [
                    (name, value) for name, value in response.items() if name != "Content-Length"
                ]
                entry = (FORMAT, headers, content)
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                _local.put(key, entry)
                return _serve(request, entry, "miss")
            return _serve(request, entry, "hit")

        return wrapped

    return decorator
