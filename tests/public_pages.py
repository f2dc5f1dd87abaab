"""The one list of public pages: every sweep (axe-core, 390 px width, English
completeness, やさしい日本語, cache headers) iterates it, so a new public page joins
every check by adding one line here.

A page is reached by a path, or by a path and a browser action (the self-check
result is the answer to a POST, so the sweep fills in the form). `make_data()`
creates what the pages need to show something real (a resource to open, results to
list) and returns the values the paths are built from. A sweep that sends forms
patches `HumanCheckForm.min_seconds` to 0, as the self-check tests do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PublicPage:
    name: str  # a short id for subtests: "consult", "selfcheck-result"
    path: str  # may hold {resource} and other keys of make_data()
    easy: bool = True  # offers やさしい日本語 (?wording=easy)
    action: str = ""  # a browser step after loading the path, see `reach`

    def url(self, data: dict[str, Any]) -> str:
        return self.path.format(**data)


PUBLIC_PAGES: list[PublicPage] = [
    PublicPage("home", "/"),
    PublicPage("search", "/resources/"),
    PublicPage("search-results", "/resources/?q=%E5%B1%85%E5%A0%B4%E6%89%80"),
    PublicPage("resource", "/resources/{resource}/"),
    PublicPage("print", "/resources/print/", easy=False),
    PublicPage("report", "/resources/{resource}/report/", easy=False),
    PublicPage("consult", "/consult/"),
    PublicPage("help", "/help/"),
    PublicPage("selfcheck", "/selfcheck/"),
    PublicPage("selfcheck-result", "/selfcheck/", action="answer_selfcheck"),
    PublicPage("aggregates", "/selfcheck/results/", easy=False),
    PublicPage("voice", "/voice/"),
    PublicPage("voice-thanks", "/voice/thanks/"),
    PublicPage("roster", "/roster/", easy=False),
    PublicPage("member", "/members/1/", easy=False),
    PublicPage("apply", "/apply/", easy=False),
    PublicPage("opendata", "/opendata/", easy=False),
    PublicPage("awareness-month", "/awareness-month/{may_year}/"),
    PublicPage("awareness-flyer", "/awareness-month/{may_year}/flyer/"),
    # つながりサポーター: courses and a person's own registration (by its secret link).
    PublicPage("courses", "/supporters/"),
    PublicPage("course", "/supporters/courses/{course}/"),
    PublicPage("course-registered", "/supporters/r/{registration}/thanks/"),
    PublicPage("course-registration", "/supporters/r/{registration}/"),
    PublicPage("course-registration-cancel", "/supporters/r/{registration}/cancel/"),
    PublicPage("supporters-attend", "/supporters/attend/"),
    PublicPage("supporters-verify-form", "/supporters/verify/"),
    PublicPage("supporters-verify", "/supporters/verify/{certificate}/", easy=False),
    PublicPage("supporters-figures", "/supporters/figures/", easy=False),
    PublicPage("news", "/news/"),
    PublicPage("news-post", "/news/{news_post}/"),
    # 分科会 (the public list) and 孤独・孤立対策地域協議会 (the public notice).
    PublicPage("groups", "/groups/"),
    PublicPage("councils", "/councils/"),
    PublicPage("council", "/councils/{council}/"),
    PublicPage("meetings", "/meetings/", easy=False),
    PublicPage("cases", "/cases/"),
    PublicPage("case", "/cases/{case}/"),
    PublicPage("rollout", "/rollout/"),
    PublicPage("visible", "/visible/"),
    PublicPage("municipality", "/municipalities/142051/"),
    PublicPage("about", "/about/"),
    PublicPage("networks", "/networks/"),
    PublicPage("network", "/networks/{network}/"),
    PublicPage("visible-municipality", "/visible/?municipality=142051"),
]


def make_data() -> dict[str, Any]:
    """Sample rows the public pages show; call inside a test (it writes)."""
    from tsunagari import factory

    # Every kind of fact a page prints: terms, languages, a schedule with its note,
    # the free-text fields members type (in Japanese).
    resource = factory.make_resource(
        "【サンプル】地域の居場所 ひだまり",
        targets=("koreisha",),
        languages=("ja", "en"),
        accessibility=("wheelchair",),
        schedules=(
            {"frequency": "weekly", "weekdays": "3", "opens_at": "10:00", "note": "雨天中止"},
        ),
        hours_note="祝日は休み",
        fee="1回100円",
        capacity="20人",
        how_to_join="当日直接お越しください",
        contact_name="【サンプル】担当",
        accessibility_note="段差があります",
    )
    factory.make_resource(
        "【サンプル】こころの相談窓口",
        kinds=("consultation",),
        concerns=("kokoro",),
        languages=("ja", "vi"),
        phone="045-000-0000",
        email="kokoro-soudan-madoguchi@example.org",
        url="https://example.org/sample/kokoro-no-soudan-madoguchi/",
        how_to_join="電話でご相談ください",
        hours_note="年末年始を除く",
        schedules=({"frequency": "daily", "opens_at": "09:00", "closes_at": "17:00"},),
    )
    # The search pages read the search index, not the rows.
    from tsunagari.directory.search import reindex_all

    reindex_all()
    from tsunagari.news.tests.factory import make_post

    post = make_post(
        "【サンプル】地域の集いのお知らせ",
        category="event",
        body=(
            "毎月第2水曜日に集いを開いています。\n\n"
            "詳しくは https://example.org/sample/tsudoi/ をご覧ください。"
        ),
    )
    # A past course with attendance and certificates (the verify page, the figures).
    from tsunagari.supporters.models import Certificate
    from tsunagari.supporters.sample_completion import load_sample_completions

    load_sample_completions()
    serial = Certificate.objects.order_by("serial").values_list("serial", flat=True).first()
    return {
        "resource": resource.pk,
        "may_year": make_awareness_month(),
        "certificate": serial,
        "news_post": post.pk,
        "council": make_group_and_council(),
        "network": make_sample_network(),
        "case": make_sample_case(),
        **make_course_data(),
    }


def make_sample_network() -> int:
    """The demo's 【サンプル】 partner network, with its imported sample directory."""
    from tsunagari.rollout.models import PartnerNetwork
    from tsunagari.rollout.network_sample import SAMPLE_NAME, load_sample_networks

    load_sample_networks()
    return PartnerNetwork.objects.get(name=SAMPLE_NAME).pk


def make_sample_case() -> int:
    """The sample model cases (all 【サンプル】); the one made from a collaboration."""
    from tsunagari.cases.models import ModelCase
    from tsunagari.cases.sample import load_sample_cases

    load_sample_cases()
    return ModelCase.objects.published().get(is_sample=True, collaboration__isnull=False).pk


def make_group_and_council() -> int:
    """The sample working group and local council (all 【サンプル】); the council's id."""
    from tsunagari.councils.models import LocalCouncil
    from tsunagari.groups.sample import load_sample_groups

    load_sample_groups()
    return LocalCouncil.objects.get(is_sample=True).pk


def make_awareness_month() -> int:
    """A member's event and a month's item in the coming May (the awareness month)."""
    import datetime as dt

    from django.utils import timezone

    from tsunagari import factory
    from tsunagari.awareness.models import AwarenessItem
    from tsunagari.awareness.month import year_to_show
    from tsunagari.members.models import Organization

    year = year_to_show()
    member = Organization.objects.members_on(timezone.localdate()).order_by("pk").first()
    factory.make_resource(
        "【サンプル】月間の交流会 つながるカフェ",
        organization=member,
        kinds=("event",),
        targets=("koreisha",),
        schedules=(
            {"frequency": "once", "starts_on": dt.date(year, 5, 12), "opens_at": "14:00"},
            {"frequency": "weekly", "weekdays": "6", "opens_at": "10:00", "closes_at": "12:00"},
        ),
        is_online=True,
    )
    AwarenessItem.objects.create(
        title="【サンプル】強化月間 特別電話相談（架空）",
        kind=AwarenessItem.Kind.NATIONAL_LINE,
        starts_on=dt.date(year, 5, 1),
        ends_on=dt.date(year, 5, 31),
        description="月間中だけ時間を延長する、という想定の架空の相談窓口です。",
        url="https://example.org/sample/awareness-month/special-line/",
        source="デモ用サンプルデータ（架空の取組です）",
        is_sample=True,
    )
    return year


def make_course_data() -> dict[str, Any]:
    """A course at a directory place (its texts are the place's own words, which the
    やさしい日本語 sweep knows as data) with one confirmed registration."""
    from tsunagari import factory
    from tsunagari.supporters.tests.factory import make_course, make_registration

    venue = factory.make_resource(
        "【サンプル】藤沢地区センター",
        description="つながりサポーター養成講座（藤沢会場）の会場です。どなたでも参加できます。",
        kinds=(),
    )
    location = venue.locations.get()
    course = make_course(
        "つながりサポーター養成講座（藤沢会場）",
        location=location,
        target="どなたでも",
        capacity=2,
    )
    registration = make_registration(course)
    return {"course": course.pk, "registration": registration.token}


def answer_selfcheck(page: Any) -> None:
    """Fill in the self-check on the page and send it (the result is the answer)."""
    for name in ("ucla_1", "ucla_2", "ucla_3"):
        page.locator(f"input[name={name}]").nth(2).check()
    page.locator("input[name=direct]").nth(3).check()
    page.locator("form.selfcheck button[type=submit], main form button[type=submit]").last.click()
    page.wait_for_load_state()


ACTIONS: dict[str, Callable[[Any], None]] = {"answer_selfcheck": answer_selfcheck}


def reach(page: Any, entry: PublicPage) -> None:
    """Run the page's browser step, if it has one (after it was loaded)."""
    if entry.action:
        ACTIONS[entry.action](page)
