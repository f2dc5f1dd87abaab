"""The resident's self-check: the form, storing, bot and flood protection, the result page
and its suggestions from the directory."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tsunagari import factory
from tsunagari.directory.models import Resource
from tsunagari.geo.models import Municipality
from tsunagari.lib.antibot import issue_token
from tsunagari.surveys import suggestions
from tsunagari.surveys.models import SelfCheckResponse, SelfCheckTally
from tsunagari.surveys.scoring import SCALE_VERSION
from tsunagari.surveys.suggestions import Person
from tsunagari.test import BaseTestCase

URL = "/selfcheck/"
KOHOKU = "141097"  # 横浜市港北区
AOBA = "141178"  # 横浜市青葉区
YOKOHAMA = "141003"
FUJISAWA = "142051"


def answers(**overrides: Any) -> dict[str, Any]:
    """A resident's answers, the form shown to them a minute ago (a middling result)."""
    data: dict[str, Any] = {
        "ucla_1": "2",
        "ucla_2": "3",
        "ucla_3": "2",
        "direct": "2",
        "shown_at": issue_token(now=time.time() - 60),
        "homepage": "",
    }
    data.update(overrides)
    return data


STRONG = {"ucla_1": "4", "ucla_2": "3", "ucla_3": "3", "direct": "3"}  # indirect 10


class SelfCheckTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.addCleanup(cache.clear)

    def html(self, response: Any) -> str:
        return str(response.content.decode())


class FormTests(SelfCheckTestCase):
    def test_it_is_open_to_everyone_with_the_four_questions_on_one_page(self) -> None:
        r = self.client.get(URL)
        self.assertEqual(r.status_code, 200)
        html = self.html(r)
        for code, text in (
            ("ucla_1", "自分には人とのつきあいが無いと感じることがありますか"),
            ("ucla_2", "自分は取り残されていると感じることがありますか"),
            ("ucla_3", "自分は他の人たちから孤立していると感じることがありますか"),
            ("direct", "あなたはどの程度、孤独であると感じることがありますか"),
        ):
            self.assertIn(f'<fieldset class="field field-choices" id="id_{code}_group"', html)
            self.assertIn(text, html)
        self.assertEqual(html.count('type="radio" name="ucla_1"'), 4)
        self.assertEqual(html.count('type="radio" name="direct"'), 5)
        self.assertIn('value="5" required id="id_direct_4"', html)
        self.assertContains(r, "しばしばある・常にある")

    def test_the_optional_questions_offer_wards_and_what_would_help(self) -> None:
        r = self.client.get(URL)
        self.assertContains(r, '<optgroup label="横浜市">')
        self.assertContains(r, f'<option value="{KOHOKU}">横浜市港北区</option>')
        self.assertContains(r, 'type="checkbox" name="helps" value="talk"')
        self.assertContains(r, "話し相手")
        self.assertContains(r, '<option value="80+">80歳以上</option>')
        self.assertNotContains(r, 'name="helps" value="talk" required')

    def test_it_links_to_the_easy_japanese_wording(self) -> None:
        self.assertContains(self.client.get(URL), 'href="/selfcheck/?wording=easy"')

    def test_the_page_is_never_cached(self) -> None:
        self.assertIn("no-store", self.client.get(URL)["Cache-Control"])


class StoringTests(SelfCheckTestCase):
    def test_it_stores_the_answers_with_the_scale_version_channel_wording_and_day(self) -> None:
        r = self.client.post(
            URL,
            answers(age_band="40s", municipality=KOHOKU, helps=["talk", "hobby"]),
        )
        self.assertEqual(r.status_code, 200)
        saved = SelfCheckResponse.objects.get()
        self.assertEqual(
            (saved.indirect_1, saved.indirect_2, saved.indirect_3, saved.direct), (2, 3, 2, 2)
        )
        self.assertEqual((saved.indirect_score, saved.indirect_band), (7, "sometimes"))
        self.assertEqual(saved.scale_version, SCALE_VERSION)
        self.assertEqual(saved.channel, "web")
        self.assertEqual(saved.wording, "ja")
        self.assertEqual((saved.age_band, saved.municipality_id), ("40s", KOHOKU))
        self.assertEqual(saved.help_codes, ["talk", "hobby"])
        # Day precision: a date, today, and nothing finer.
        self.assertIs(type(saved.answered_on), dt.date)
        self.assertEqual(saved.answered_on, timezone.localdate())
        # The tally counts the ward under its city.
        tally = SelfCheckTally.objects.get()
        self.assertEqual((tally.municipality_code, tally.n), (YOKOHAMA, 1))

    def test_the_optional_questions_may_be_left_out(self) -> None:
        self.client.post(URL, answers())
        saved = SelfCheckResponse.objects.get()
        self.assertEqual((saved.age_band, saved.municipality, saved.helps), ("", None, ""))

    def test_the_model_has_no_place_for_an_address_a_device_or_an_account(self) -> None:
        names = {f.name for f in SelfCheckResponse._meta.get_fields()}
        self.assertEqual(
            names,
            {
                "id",
                "answered_on",
                "scale_version",
                "wording",
                "channel",
                "indirect_1",
                "indirect_2",
                "indirect_3",
                "indirect_score",
                "indirect_band",
                "direct",
                "age_band",
                "municipality",
                "helps",
            },
        )
        for field in SelfCheckResponse._meta.concrete_fields:
            with self.subTest(field=field.name):
                # Day precision only, and no link to anything but the municipality.
                self.assertNotIn(field.get_internal_type(), ("DateTimeField", "TimeField"))
                self.assertIn(field.related_model, (None, Municipality))

    def test_nothing_about_the_sender_is_stored(self) -> None:
        self.login(self.staff)  # even a signed-in member stays anonymous
        self.client.post(URL, answers(), REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="TestPhone/1.0")
        saved = SelfCheckResponse.objects.values().get()
        stored = " ".join(str(v) for v in saved.values())
        for trace in ("203.0.113", "TestPhone", "staff@example.jp", str(self.staff.pk) + ","):
            self.assertNotIn(trace, stored)

    def test_the_result_is_in_the_answer_to_the_post_not_at_a_url(self) -> None:
        r = self.client.post(URL, answers())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "セルフチェックの結果")
        self.assertIn("no-store", r["Cache-Control"])
        self.assertNotIn("Location", r)

    def test_a_value_typed_in_full_width_is_read(self) -> None:
        r = self.client.post(URL, answers(ucla_1="４", direct="３"))
        self.assertEqual(r.status_code, 200)
        self.assertEqual(SelfCheckResponse.objects.get().indirect_1, 4)

    def test_reloading_the_result_shows_it_again_without_storing_twice(self) -> None:
        data = answers(municipality=FUJISAWA)
        first = self.client.post(URL, data)
        again = self.client.post(URL, data)  # the browser re-posts the same form
        self.assertEqual(again.status_code, 200)
        self.assertContains(again, '<span class="score-number">7</span>')
        self.assertEqual(SelfCheckResponse.objects.count(), 1)
        self.assertEqual(SelfCheckTally.objects.get().n, 1)
        self.assertContains(first, '<span class="score-number">7</span>')
        # The next answer, from a newly shown form, is stored.
        self.client.post(URL, answers())
        self.assertEqual(SelfCheckResponse.objects.count(), 2)


class ErrorTests(SelfCheckTestCase):
    def test_a_missing_answer_is_named_and_everything_typed_is_kept(self) -> None:
        r = self.client.post(
            URL,
            answers(direct="", age_band="70s", municipality=KOHOKU, helps=["talk", "care"]),
        )
        self.assertEqual(r.status_code, 400)
        html = self.html(r)
        self.assertIn('class="error-summary"', html)
        self.assertIn('href="#id_direct_group"', html)
        self.assertIn("いちばん近いものを1つ選んでください。", html)
        self.assertIn('value="2" required id="id_ucla_1_1" checked', html)
        self.assertIn('value="3" required id="id_ucla_2_2" checked', html)
        self.assertIn('<option value="70s" selected>', html)
        self.assertIn(f'<option value="{KOHOKU}" selected>', html)
        self.assertIn('value="talk" id="id_helps_0" checked', html)
        self.assertIn('value="care" id="id_helps_8" checked', html)
        self.assertFalse(SelfCheckResponse.objects.exists())

    def test_an_answer_outside_the_scale_is_refused(self) -> None:
        for field, value in (("ucla_1", "5"), ("ucla_2", "0"), ("direct", "6"), ("direct", "x")):
            with self.subTest(field=field, value=value):
                r = self.client.post(URL, answers(**{field: value}))
                self.assertEqual(r.status_code, 400)
                self.assertIn(f'href="#id_{field}_group"', self.html(r))
        self.assertFalse(SelfCheckResponse.objects.exists())

    def test_an_unknown_municipality_or_help_is_refused_kindly(self) -> None:
        r = self.client.post(URL, answers(municipality="999999", helps=["spam"]))
        self.assertContains(r, "一覧から選んでください", status_code=400)
        self.assertFalse(SelfCheckResponse.objects.exists())

    def test_it_refuses_a_submission_faster_than_a_person_and_keeps_the_answers(self) -> None:
        r = self.client.post(URL, answers(shown_at=issue_token(now=time.time() - 1)))
        self.assertContains(r, "送信が早すぎたため", status_code=400)
        self.assertIn('value="2" required id="id_ucla_1_1" checked', self.html(r))
        self.assertFalse(SelfCheckResponse.objects.exists())


class BotAndFloodTests(SelfCheckTestCase):
    def test_a_robot_in_the_trap_sees_a_normal_result_and_nothing_is_stored(self) -> None:
        r = self.client.post(URL, answers(homepage="https://spam.example/"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, '<span class="score-number">7</span>')
        self.assertFalse(SelfCheckResponse.objects.exists())
        self.assertFalse(SelfCheckTally.objects.exists())

    def test_a_family_on_one_connection_answers_30_times_then_waits_with_answers_kept(
        self,
    ) -> None:
        for _ in range(30):
            r = self.client.post(URL, answers(), REMOTE_ADDR="198.51.100.20")
            self.assertEqual(r.status_code, 200)
        r = self.client.post(
            URL, answers(ucla_1="4", municipality=FUJISAWA), REMOTE_ADDR="198.51.100.20"
        )
        self.assertContains(r, "しばらくしてからお送りください", status_code=429)
        html = self.html(r)
        self.assertIn('value="4" required id="id_ucla_1_3" checked', html)
        self.assertIn(f'<option value="{FUJISAWA}" selected>', html)
        self.assertEqual(SelfCheckResponse.objects.count(), 30)
        # Another network is still welcome.
        r = self.client.post(URL, answers(), REMOTE_ADDR="192.0.2.44")
        self.assertEqual(r.status_code, 200)

    def test_reloads_and_mistakes_do_not_use_up_the_limit(self) -> None:
        data = answers()
        for _ in range(35):
            self.client.post(URL, data, REMOTE_ADDR="198.51.100.20")
            self.client.post(URL, answers(direct=""), REMOTE_ADDR="198.51.100.20")
        r = self.client.post(URL, answers(), REMOTE_ADDR="198.51.100.20")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(SelfCheckResponse.objects.count(), 2)


class ResultTests(SelfCheckTestCase):
    def test_it_explains_the_score_and_band_kindly_and_says_it_is_no_diagnosis(self) -> None:
        r = self.client.post(URL, answers())
        html = self.html(r)
        self.assertIn('<span class="score-number">7</span>', html)
        self.assertIn("全国調査の区分では「時々ある」にあたります。", html)
        self.assertIn('<li class="current" aria-current="true">時々ある（7〜9点）', html)
        self.assertIn("あなたの点数も、そこに入ります。", html)
        self.assertIn("このチェックは診断ではありません。", html)
        # The direct answer ほとんどない does not count as lonely.
        self.assertIn("<strong>ほとんどない</strong>と答えました", html)
        self.assertIn("あなたの答えは、そこには入りません。", html)

    def test_a_low_score_is_outside_the_lonely_range(self) -> None:
        r = self.client.post(URL, answers(ucla_1="1", ucla_2="1", ucla_3="1", direct="3"))
        html = self.html(r)
        self.assertIn("全国調査の区分では「決してない」にあたります。", html)
        self.assertIn("あなたの点数は、そこには入りません。", html)
        self.assertIn("あなたの答えも、そこに入ります。", html)

    def test_it_says_many_people_feel_this_way_with_the_national_figures(self) -> None:
        r = self.client.post(URL, answers())
        self.assertContains(r, "多くの人が、同じように感じています")
        self.assertContains(r, "内閣府「孤独・孤立の実態把握に関する全国調査」の令和6年（2024年）")
        self.assertContains(r, "45.7%")
        self.assertContains(r, "39.3%")

    def test_it_can_be_printed(self) -> None:
        r = self.client.post(URL, answers())
        self.assertContains(r, '<button type="button" class="button" id="print-button" hidden>')
        self.assertContains(r, "js/directory-print.js")
        self.assertContains(r, "css/surveys-selfcheck.css")


class SuggestionOrderTests(SelfCheckTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        factory.make_resource("サンプル 湘南の居場所", municipality=FUJISAWA)
        factory.make_resource(
            "サンプル 平日の相談窓口",
            kinds=("consultation",),
            concerns=("kokoro",),
            municipality=FUJISAWA,
            phone="0466-00-0000",
        )
        factory.make_resource(
            "サンプル いつでも電話",
            kinds=("consultation",),
            municipality=None,
            is_24h=True,
            phone="0120-000-000",
        )

    def test_strong_answers_put_consultation_first_with_24_hour_windows_first(self) -> None:
        r = self.client.post(URL, answers(municipality=FUJISAWA, **STRONG))
        html = self.html(r)
        self.assertIn('class="reach-out"', html)
        self.assertIn("24時間つながる窓口もあります", html)
        self.assertLess(html.index('id="windows-heading"'), html.index('id="score-heading"'))
        self.assertLess(html.index('id="windows-heading"'), html.index('id="places-heading"'))
        self.assertLess(html.index("サンプル いつでも電話"), html.index("サンプル 平日の相談窓口"))
        self.assertIn('href="tel:0120000000"', html)

    def test_a_direct_answer_of_5_is_strong_too(self) -> None:
        r = self.client.post(URL, answers(direct="5"))
        self.assertContains(r, 'class="reach-out"')

    def test_otherwise_places_come_first(self) -> None:
        r = self.client.post(URL, answers(municipality=FUJISAWA))
        html = self.html(r)
        self.assertNotIn('class="reach-out"', html)
        self.assertLess(html.index('id="places-heading"'), html.index('id="windows-heading"'))
        self.assertLess(html.index("サンプル 湘南の居場所"), html.index("サンプル 平日の相談窓口"))
        # Nearest first when not strong: the window in 藤沢市 before the phone line.
        self.assertLess(html.index("サンプル 平日の相談窓口"), html.index("サンプル いつでも電話"))

    def test_strong_answers_bring_24_hour_windows_whatever_help_was_chosen(self) -> None:
        r = self.client.post(URL, answers(helps=["work"], **STRONG))
        self.assertContains(r, "サンプル いつでも電話")
        self.assertNotContains(r, "サンプル 平日の相談窓口")
        calm = self.client.post(URL, answers(helps=["work"]))
        self.assertNotContains(calm, "サンプル いつでも電話")


class SuggestionFilterTests(SelfCheckTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make = factory.make_resource
        make("サンプル 港北の居場所", municipality=KOHOKU)
        make("サンプル 青葉の居場所", municipality=AOBA)
        make("サンプル 藤沢の居場所", municipality=FUJISAWA)
        whole = make("サンプル 県全域の活動", municipality=None, kinds=("culture",))
        whole.service_area.set(["140007"])
        online = make("サンプル オンラインの集い", municipality=None, kinds=("online",))
        online.is_online = True
        online.save()
        make("サンプル 藤沢の合唱", municipality=FUJISAWA, kinds=("culture",))
        hidden = make("サンプル 非公開の居場所", municipality=FUJISAWA)
        hidden.status = Resource.Status.DRAFT
        hidden.save()
        make("サンプル こころの窓口", kinds=("consultation",), concerns=("kokoro",))
        make("サンプル 仕事の窓口", kinds=("consultation",), concerns=("shigoto",))

    def names(self, found: list[Resource]) -> list[str]:
        return [r.name for r in found]

    def test_a_ward_finds_itself_first_then_its_city_then_the_prefecture(self) -> None:
        kohoku = Municipality.objects.get(pk=KOHOKU)
        names = self.names(suggestions.places(Person(kohoku)))
        self.assertEqual(names[:2], ["サンプル 港北の居場所", "サンプル 青葉の居場所"])
        self.assertEqual(set(names[2:]), {"サンプル 県全域の活動", "サンプル オンラインの集い"})

    def test_another_city_is_not_nearby(self) -> None:
        names = self.names(suggestions.places(Person(Municipality.objects.get(pk=FUJISAWA))))
        self.assertIn("サンプル 藤沢の居場所", names)
        self.assertNotIn("サンプル 港北の居場所", names)
        self.assertIn("サンプル 県全域の活動", names)

    def test_a_city_finds_what_is_in_its_wards(self) -> None:
        names = self.names(suggestions.places(Person(Municipality.objects.get(pk=YOKOHAMA))))
        self.assertIn("サンプル 港北の居場所", names)
        self.assertIn("サンプル 青葉の居場所", names)
        self.assertNotIn("サンプル 藤沢の居場所", names)

    def test_only_published_resources_are_suggested(self) -> None:
        everything = self.names(suggestions.places(Person()))
        self.assertNotIn("サンプル 非公開の居場所", everything)
        self.assertIn("サンプル 藤沢の居場所", everything)

    def test_what_would_help_chooses_kinds_of_places(self) -> None:
        fujisawa = Municipality.objects.get(pk=FUJISAWA)
        hobby = self.names(suggestions.places(Person(fujisawa, helps=("hobby",))))
        self.assertEqual(hobby, ["サンプル 藤沢の合唱", "サンプル 県全域の活動"])
        place = self.names(suggestions.places(Person(fujisawa, helps=("place",))))
        self.assertEqual(place, ["サンプル 藤沢の居場所"])

    def test_what_would_help_chooses_the_concern_of_windows(self) -> None:
        self.assertEqual(
            self.names(suggestions.windows(Person(helps=("mind",)), strong=False)),
            ["サンプル こころの窓口"],
        )
        self.assertEqual(
            set(self.names(suggestions.windows(Person(helps=("hobby",)), strong=False))),
            {"サンプル こころの窓口", "サンプル 仕事の窓口"},
        )

    def test_the_page_follows_municipality_and_help(self) -> None:
        r = self.client.post(URL, answers(municipality=FUJISAWA, helps=["hobby", "work"]))
        html = self.html(r)
        self.assertIn("サンプル 藤沢の合唱", html)
        self.assertNotIn("サンプル 藤沢の居場所", html)
        self.assertNotIn("サンプル 港北の居場所", html)
        self.assertIn("サンプル 仕事の窓口", html)
        self.assertNotIn("サンプル こころの窓口", html)
        self.assertIn("「趣味の仲間」「仕事」に合わせて選びました。", html)
        self.assertIn('href="/consult/?municipality=142051&amp;concern=shigoto"', html)
        self.assertIn('href="/resources/?municipality=142051"', html)

    def test_links_to_the_directory_keep_the_area_and_a_single_kind(self) -> None:
        kohoku = Municipality.objects.get(pk=KOHOKU)
        self.assertEqual(
            suggestions.search_url(kohoku, ["place"]),
            f"/resources/?municipality={KOHOKU}&kind=ibasho",
        )
        self.assertEqual(suggestions.search_url(None, ["childcare"]), "/resources/")
        self.assertEqual(suggestions.search_url(None, []), "/resources/")
        self.assertEqual(suggestions.consult_url(None, ["mind"]), "/consult/?concern=kokoro")

    def test_at_most_six_of_each_with_a_link_for_more(self) -> None:
        for i in range(8):
            factory.make_resource(f"サンプル 藤沢の居場所{i}", municipality=FUJISAWA)
        r = self.client.post(URL, answers(municipality=FUJISAWA, helps=["place"]))
        html = self.html(r)
        section = html[html.index('id="places-heading"') : html.index('id="windows-heading"')]
        self.assertEqual(section.count('class="resource-card"'), 6)
        self.assertIn("ほかの居場所・活動をもっと見る", section)
        self.assertIn('href="/resources/?municipality=142051&amp;kind=ibasho"', section)


class QueryCountTests(SelfCheckTestCase):
    def test_the_form_reads_the_municipalities_once(self) -> None:
        with self.assertNumQueries(1):
            self.client.get(URL)

    def test_a_form_with_errors_reads_the_list_once_and_the_chosen_place_once(self) -> None:
        with self.assertNumQueries(2):
            r = self.client.post(URL, answers(direct="", municipality=KOHOKU))
        self.assertEqual(r.status_code, 400)

    def test_the_result_takes_a_fixed_number_of_queries_whatever_the_directory_holds(
        self,
    ) -> None:
        def post() -> None:
            data = answers(municipality=KOHOKU, helps=["talk", "mind"], **STRONG)
            self.client.post(URL, data)

        for i in range(2):
            factory.make_resource(f"サンプル 居場所{i}", municipality=KOHOKU)
            factory.make_resource(
                f"サンプル 窓口{i}",
                kinds=("consultation",),
                concerns=("kokoro",),
                municipality=None,
            )
        # The municipality (1); the response, its tally, its monthly roll-up and its help
        # tallies in a transaction (6); places and windows, each with kinds, places and
        # schedules (4 + 4); the national lines of the crisis block (1).
        with self.assertNumQueries(16):
            post()
        for i in range(2, 10):
            factory.make_resource(
                f"サンプル 居場所{i}",
                municipality=KOHOKU,
                schedules=({"frequency": "weekly", "weekdays": "3"},),
            )
            factory.make_resource(
                f"サンプル 窓口{i}",
                kinds=("consultation",),
                concerns=("kokoro",),
                is_24h=True,
                municipality=None,
            )
        with self.assertNumQueries(16):
            post()


class WordingTests(SelfCheckTestCase):
    def test_easy_japanese_wording_with_furigana(self) -> None:
        r = self.client.get(URL + "?wording=easy")
        html = self.html(r)
        self.assertIn('<div class="selfcheck" lang="ja">', html)
        self.assertIn(
            "あなたは「わたしには、<ruby>人<rt>ひと</rt></ruby>との つきあいが ない」", html
        )
        self.assertIn("ぜんぜん ない", html)
        self.assertIn("4つの しつもんに こたえてください。", html)
        self.assertIn('<input type="hidden" name="wording" value="easy"', html)
        self.assertIn("はなしあいて", html)
        self.assertNotIn("自分には人とのつきあいが無いと感じることがありますか", html)

    def test_easy_wording_is_kept_through_the_post_and_stored(self) -> None:
        r = self.client.post(URL, answers(wording="easy", helps=["talk"]))
        self.assertEqual(r.status_code, 200)
        html = self.html(r)
        self.assertIn("セルフチェックの <ruby>結果<rt>けっか</rt></ruby>", html)
        self.assertIn("これは びょうきの しんだんでは ありません。", html)
        self.assertIn("くにの ちょうさの くぎりでは「ときどき ある」です。", html)
        self.assertIn('href="/selfcheck/?wording=easy"', html)
        self.assertEqual(SelfCheckResponse.objects.get().wording, "easy")

    def test_errors_in_easy_wording_stay_easy(self) -> None:
        r = self.client.post(URL, answers(wording="easy", direct=""))
        self.assertContains(r, "こたえを たしかめてください", status_code=400)
        self.assertContains(r, "いちばん ちかい ものを 1つ えらんでください。", status_code=400)

    def test_english_is_stored_as_the_english_wording(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        form = self.client.get(URL)
        self.assertContains(form, '<html lang="en">')
        r = self.client.post(URL, answers())
        self.assertContains(r, '<html lang="en">')
        self.assertEqual(SelfCheckResponse.objects.get().wording, "en")

    def test_easy_wording_chosen_in_english_is_stored_as_easy(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.client.post(URL, answers(wording="easy"))
        self.assertEqual(SelfCheckResponse.objects.get().wording, "easy")
