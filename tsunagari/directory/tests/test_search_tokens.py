from __future__ import annotations

from django.test import SimpleTestCase

from tsunagari.directory import tokens


def query_matches(query: str, text: str) -> bool:
    return tokens.matches(tokens.parse_query(query), tokens.document_tokens(text))


class TokenizerTestCase(SimpleTestCase):
    def test_it_unifies_kodomo_spellings(self) -> None:
        for spelling in ("子ども食堂", "こども食堂", "子供食堂", "ｺﾄﾞﾓ食堂"):
            with self.subTest(spelling):
                self.assertEqual(tokens.document_tokens(spelling), ["子供", "食堂"])

    def test_it_unifies_hikikomori_spellings(self) -> None:
        for spelling in ("ひきこもり", "引きこもり", "引き篭もり", "引籠り"):
            with self.subTest(spelling):
                self.assertEqual(tokens.document_tokens(spelling), ["引き籠もり"])

    def test_it_applies_the_variant_table(self) -> None:
        pairs = [
            ("ボランテイア", "ボランティア"),
            ("子そだて", "子育て"),
            ("いばしょ", "居場所"),
            ("ひとりおや", "一人親"),
            ("ひとり親", "一人親"),
            ("フード・バンク", "フードバンク"),
            ("にほんごきょうしつ", "日本語教室"),
        ]
        for variant, standard in pairs:
            with self.subTest(variant):
                self.assertEqual(tokens.document_tokens(variant), tokens.document_tokens(standard))

    def test_it_folds_full_and_half_width(self) -> None:
        self.assertEqual(tokens.document_tokens("ＮＰＯ　ＤＶ"), ["npo", "dv"])
        self.assertEqual(tokens.document_tokens("ｵﾝﾗｲﾝ"), ["オンライン"])

    def test_it_drops_particles_and_symbols(self) -> None:
        self.assertEqual(tokens.document_tokens("こころの相談、です！"), ["心", "相談"])
        self.assertEqual(tokens.parse_query("の は を"), [])

    def test_two_character_words_are_whole_tokens(self) -> None:
        self.assertIn("食堂", tokens.document_tokens("地域食堂のお知らせ"))
        self.assertIn("相談", tokens.document_tokens("電話相談窓口"))

    def test_a_compound_is_indexed_with_its_parts(self) -> None:
        self.assertEqual(tokens.document_tokens("日本語教室"), ["日本", "語", "日本語", "教室"])

    def test_a_query_word_matches_the_long_unit_or_all_its_parts(self) -> None:
        self.assertTrue(query_matches("日本語", "日本語教室を開きます"))
        self.assertTrue(query_matches("日本語教室", "にほんごきょうしつ"))
        self.assertTrue(query_matches("居場所", "こどもの居場所づくり"))
        self.assertTrue(query_matches("食堂", "みんなのこども食堂"))
        self.assertFalse(query_matches("日本語", "日曜日の教室"))

    def test_every_query_word_must_match(self) -> None:
        self.assertTrue(query_matches("ひきこもり 相談", "引きこもりの相談窓口"))
        self.assertFalse(query_matches("ひきこもり 相談", "ひきこもりの方の居場所"))

    def test_tokens_are_safe_in_both_query_languages(self) -> None:
        query = tokens.parse_query("\"食堂\" OR '相談' (NEAR*")
        self.assertEqual(
            tokens.fts5_expression(query), '("食堂") AND ("or") AND ("相談") AND ("near")'
        )
        self.assertEqual(
            tokens.tsquery_expression(query), "('食堂') & ('or') & ('相談') & ('near')"
        )

    def test_the_tsvector_literal_weights_the_title(self) -> None:
        literal = tokens.tsvector_literal([(["子供", "食堂"], "A"), (["食堂", "相談"], "D")])
        self.assertEqual(literal, "'子供':1A '食堂':2A,3 '相談':4")
