"""Fingerprint: a MinHash of the article body's word shingles, for near-duplicate detection across articles.

Syndicated copies and updated versions of one story share most of their 5-word shingles; the cross-article
step (``newsevents.stories``) groups articles whose estimated Jaccard similarity passes a threshold, with
locality-sensitive hashing (datasketch) so that it never compares every pair.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

import numpy as np

from ..records import Analysis

NUM_PERM = 64
SHINGLE = 5
SEED = 1
SCHEME = "affine32"  # datasketch 2.x hashing scheme; stored signatures are only comparable within one scheme
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def fingerprint(text: str, num_perm: int = NUM_PERM) -> tuple[int, ...]:
    """MinHash signature (``num_perm`` values below 2**61) of the text's shingles; () for an empty text."""
    from datasketch import MinHash

    sh = shingles(text)
    if not sh:
        return ()
    m = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    m.update_batch(list(sh))
    return tuple(int(v) for v in m.hashvalues)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if len(a) == 0 or len(b) == 0 or len(a) != len(b):
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))


class Fingerprint:
    name = "fingerprint"
    version = "1"
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ("fingerprint",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, fingerprint=fingerprint(a.article.text)) for a in batch]


__all__ = ["Fingerprint", "fingerprint", "similarity", "shingles"]
