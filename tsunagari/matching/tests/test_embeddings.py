"""The sentence encoder ships inside its package: it loads offline and orders Japanese sensibly."""

from __future__ import annotations

import socket
from typing import Any
from unittest import mock

import numpy as np
from django.test import SimpleTestCase

from tsunagari.matching import embeddings


class EmbeddingsTest(SimpleTestCase):
    def test_it_loads_without_the_network(self) -> None:
        def refuse(*args: Any, **kwargs: Any) -> None:
            raise OSError("network disabled in this test")

        with (
            mock.patch.object(embeddings, "_model", None),
            mock.patch.object(socket.socket, "connect", refuse),
            mock.patch.object(socket, "create_connection", refuse),
        ):
            vector = embeddings.embed_one("子ども食堂")
        self.assertEqual(vector.shape, (512,))
        self.assertAlmostEqual(float(np.linalg.norm(vector)), 1.0, places=5)

    def test_it_orders_japanese_sentences_by_meaning(self) -> None:
        need, family, elderly, housing, foreigner = embeddings.embed(
            [
                "週末に親子で参加できる場がほしい",
                "土曜日に子どもと一緒に行ける居場所",
                "高齢者の見守り活動",
                "外国籍の単身者が入居できる住まいが見つからない",
                "外国人の部屋探しを支援します",
            ]
        )
        self.assertGreater(need @ family, need @ elderly)
        self.assertGreater(housing @ foreigner, housing @ family)

    def test_empty_text_is_a_zero_vector_and_bytes_round_trip(self) -> None:
        vectors = embeddings.embed(["", "相談"])
        self.assertFalse(vectors[0].any())
        restored = embeddings.from_bytes(embeddings.to_bytes(vectors[1]))
        assert restored is not None
        self.assertTrue(np.array_equal(restored, vectors[1]))
        self.assertIsNone(embeddings.from_bytes(b"\x00" * 8))
