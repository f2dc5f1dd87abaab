"""The engine and issue 10: everyday words, the need owner's own seeds, filler words in
reasons, and an exact fit against a housing consultation."""

from __future__ import annotations

from django.test import SimpleTestCase

from tsunagari.directory import lay_terms
from tsunagari.directory.sample import TEMPLATES
from tsunagari.factory import make_resource
from tsunagari.matching import embeddings, engine
from tsunagari.matching.engine import HYBRID, LEXICAL_ONLY, Corpus, NeedQuery, Seed
from tsunagari.matching.models import Suggestion
from tsunagari.matching.tests.test_needs import make_need, make_suggestion
from tsunagari.test import BaseTestCase

FUJISAWA = "142051"


def matched_words(reasons: list[str]) -> list[str]:
    """「親子」「週末」が一致 → [親子, 週末]."""
    found: list[str] = []
    for reason in reasons:
        if reason.endswith("が一致"):
            found += reason.removesuffix("が一致").strip("「」").split("」「")
    return found


class EveryPairInTheEngineTest(SimpleTestCase):
    def test_a_need_in_everyday_words_reaches_the_seed_in_service_words(self) -> None:
        table = lay_terms.table()
        services = sorted({s for _e, s in table.pairs()})
        corpus = Corpus([Seed(id=s, title="", text=s) for s in services])
        for everyday, service in table.pairs():
            with self.subTest(everyday=everyday, service=service):
                need = NeedQuery(id="n", title=everyday, text="")
                ranked = corpus.rank(need, None, top=len(services), weights=LEXICAL_ONLY)
                self.assertIn(service, [r.seed_id for r in ranked])

    def test_the_reason_names_the_service_word_the_everyday_word_reached(self) -> None:
        corpus = Corpus(
            [
                Seed(id="salon", title="ふれあいサロン", text="地域の高齢者がおしゃべりする場"),
                Seed(id="study", title="学習支援教室", text="小学生の宿題を手伝います"),
            ]
        )
        need = NeedQuery(id="n", title="お年寄りの集まり", text="")
        ranked = corpus.rank(need, None, top=2, weights=LEXICAL_ONLY)
        self.assertEqual([r.seed_id for r in ranked], ["salon"])
        self.assertIn("高齢者", matched_words(ranked[0].reasons))


class OwnOrganisationTest(SimpleTestCase):
    def test_the_need_owners_own_seeds_are_never_ranked(self) -> None:
        corpus = Corpus(
            [
                Seed(id="own", title="高齢者サロン", text="お茶会", organization=7),
                Seed(id="other", title="高齢者サロン", text="お茶会", organization=8),
                Seed(id="none", title="高齢者サロン", text="お茶会"),
            ]
        )
        mine = NeedQuery(id="n", title="高齢者サロン", text="", organization=7)
        self.assertEqual([r.seed_id for r in corpus.rank(mine, None, top=3)], ["other", "none"])
        anyone = NeedQuery(id="n", title="高齢者サロン", text="")
        self.assertEqual(len(corpus.rank(anyone, None, top=3)), 3)


class FillerWordsTest(SimpleTestCase):
    def test_reasons_never_show_filler_words_or_place_names(self) -> None:
        corpus = Corpus(
            [
                Seed(
                    id="volunteer",
                    title="藤沢市ボランティア活動説明会",
                    text="藤沢市内でできるボランティアを紹介します。退職後の活動を探している方も歓迎。",
                    municipality_codes=(FUJISAWA,),
                )
            ]
        )
        need = NeedQuery(
            id="n",
            title="藤沢市で活動を探しています",
            text="退職後に藤沢市内でボランティアをしたい人がいます。",
            municipality_code=FUJISAWA,
        )
        ranked = corpus.rank(need, None, top=1, weights=LEXICAL_ONLY)
        shown = matched_words(ranked[0].reasons)
        self.assertIn("ボランティア", shown)
        for filler in ("探し", "市", "活動", "藤沢", "藤沢市", "市内", "後"):
            self.assertNotIn(filler, shown)


class ExactFitTest(SimpleTestCase):
    """The demo's templates in one city, embedded for real, ranked with HYBRID."""

    corpus: Corpus

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        seeds = [
            Seed(
                id=t.names[0].format(place="藤沢"),
                title=t.names[0].format(place="藤沢"),
                text=t.description,
                municipality_codes=(FUJISAWA,),
                target_groups=frozenset(t.targets),
                kinds=frozenset(t.kinds),
            )
            for t in TEMPLATES
        ]
        vectors = embeddings.embed([s.full_text for s in seeds])
        cls.corpus = Corpus(seeds, vectors, engine.default_names())

    def ranking(self, need: NeedQuery) -> list[str]:
        vector = embeddings.embed_one(need.full_text)
        return [r.seed_id for r in self.corpus.rank(need, vector, top=20, weights=HYBRID)]

    def test_places_for_older_people_outrank_the_housing_consultation(self) -> None:
        need = NeedQuery(
            id="n",
            title="ひとり暮らしの高齢者が気軽に集える居場所を探しています",
            text="藤沢市内で、退職後に地域での活動を探している高齢者が立ち寄れる場所を知りたい。",
            municipality_code=FUJISAWA,
            target_groups=frozenset({"koreisha", "hitorigurashi"}),
            kinds=frozenset({"ibasho"}),
        )
        ranked = self.ranking(need)
        housing = ranked.index("藤沢住まいの相談会")
        for fit in ("藤沢ふれあいサロン", "藤沢うたごえ喫茶"):
            with self.subTest(fit):
                self.assertLess(ranked.index(fit), housing)

    def test_places_for_parents_outrank_the_housing_consultation(self) -> None:
        need = NeedQuery(
            id="n",
            title="子育て中のママが話せる場",
            text="藤沢市で育児に悩むママが集まれるたまり場を探しています。",
            municipality_code=FUJISAWA,
            target_groups=frozenset({"kosodate"}),
            kinds=frozenset({"ibasho"}),
        )
        ranked = self.ranking(need)
        housing = ranked.index("藤沢住まいの相談会")
        for fit in ("子育てひろば 藤沢", "子ども食堂 藤沢"):
            with self.subTest(fit):
                self.assertLess(ranked.index(fit), housing)


class StoredSuggestionsTest(BaseTestCase):
    def setUp(self) -> None:
        engine.clear_cache()

    def test_the_owners_own_resources_are_left_out_even_when_bookmarked_before(self) -> None:
        own = make_resource(
            "サンプル 自団体の親子ひろば",
            organization=self.organization,
            description="週末に親子で遊べる居場所です。",
            targets=("kosodate",),
        )
        other = make_resource(
            "サンプル 他団体の親子ひろば",
            organization=self.other_organization,
            description="週末に親子で遊べる居場所です。",
            targets=("kosodate",),
        )
        need = make_need(organization=self.organization)
        make_suggestion(need, own, state=Suggestion.State.BOOKMARKED)
        ranked = [s.resource for s in engine.compute_suggestions(need)]
        self.assertIn(other, ranked)
        self.assertNotIn(own, ranked)
        self.assertFalse(need.suggestions.filter(resource=own).exists())
        self.login(self.staff)
        html = self.client.get(f"/needs/{need.pk}/").content.decode()
        self.assertIn("サンプル 他団体の親子ひろば", html)
        self.assertNotIn("サンプル 自団体の親子ひろば", html)
