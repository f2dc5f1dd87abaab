"""Helpers shared by the member registry's tests: reading the roster as a person sees it,
and making extra member organisations."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from tsunagari.geo.models import Municipality
from tsunagari.members.models import Membership, Organization, Theme


class _RosterParser(HTMLParser):
    """Collects each sector heading (<h2 id="sector-…"> on the roster page, <h3> on the
    home page) with the (No, 組織名) rows under it."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: list[tuple[str, list[tuple[str, str]]]] = []
        self._in: str | None = None
        self._text = ""
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3") and (dict(attrs).get("id") or "").startswith("sector-"):
            self._in, self._text = "h3", ""
        elif tag == "td":
            self._in, self._text = tag, ""
        elif tag == "span" and self._in == "h3":
            self._in = "h3-count"
        elif tag == "tr":
            self._row = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self._in in ("h3", "h3-count"):
            self.groups.append((self._text.strip(), []))
            self._in = None
        elif tag == "td" and self._in == "td":
            self._row.append(self._text.strip())
            self._in = None
        elif tag == "tr" and len(self._row) == 2 and self.groups:
            self.groups[-1][1].append((self._row[0], self._row[1]))

    def handle_data(self, data: str) -> None:
        if self._in in ("h3", "td"):
            self._text += data


def roster_groups(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(分野, [(No, 組織名), ...]), ...] in the order shown on the page."""
    parser = _RosterParser()
    parser.feed(html)
    return parser.groups


def roster_names(html: str) -> list[str]:
    return [name for _, rows in roster_groups(html) for _, name in rows]


def make_member(
    name: str,
    *,
    started_on: date,
    sector: str = "private",
    roster_no: int | None = None,
    name_kana: str = "",
    ended_on: date | None = None,
    municipalities: tuple[str, ...] = ("142051",),
) -> Organization:
    """An organisation with one membership period, areas served and a theme."""
    organization = Organization.objects.create(
        roster_no=roster_no if roster_no is not None else Organization.next_roster_no(),
        name=name,
        name_kana=name_kana,
        sector=sector,
    )
    Membership.objects.create(
        organization=organization,
        started_on=started_on,
        ended_on=ended_on,
        start_basis=Membership.StartBasis.JOINED,
    )
    organization.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    organization.themes.set(Theme.objects.all()[:2])
    return organization


class _FormParser(HTMLParser):
    """What a browser would submit from the first <form method="post"> of a page that
    posts back to the page itself (no action: the header's sign-out form is skipped)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._done = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post" and "action" not in a and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(name, a.get("value", ""))
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_form:
            self._in_form, self._done = False, True
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data


def form_data(html: str) -> dict[str, list[str]]:
    """The fields of the page's own POST form with their current values."""
    parser = _FormParser()
    parser.feed(html)
    return parser.data
