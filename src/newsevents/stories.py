"""Stories: near-duplicate articles (syndicated copies, updated versions) grouped into one story.

Each article's MinHash (the ``fingerprint`` stage) goes into a locality-sensitive-hashing index (datasketch's
``MinHashLSH``); articles whose estimated Jaccard similarity of 5-word shingles reaches ``threshold`` are linked,
and the connected groups are stories. A story's primary article is its earliest (by published date, then id),
so the grouping depends only on the articles, never on the order they were ingested in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

import numpy as np

from .stages.fingerprint import NUM_PERM, SCHEME, SEED, similarity

THRESHOLD = 0.6  # 5-word shingles: unrelated articles score ~0; an updated version that adds a third to a story ~0.7


@dataclass(frozen=True)
class StoryLink:
    article_id: str
    story_id: str  # the primary article's id
    is_primary: bool
    similarity: float  # estimated Jaccard similarity to the primary (1.0 for the primary)
    story_size: int


def group(articles: Iterable[tuple[str, Optional[str], Sequence[int]]], threshold: float = THRESHOLD) -> list[StoryLink]:
    """Stories of ``(article_id, published, minhash)`` triples; every article gets one link (a story of one
    when nothing is near it)."""
    from datasketch import MinHash, MinHashLSH

    items = sorted(articles, key=lambda a: (a[1] or "9999", a[0]))
    parent = {aid: aid for aid, _, _ in items}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # signatures as arrays: 512 bytes an article, where lists of Python ints would take several times that
    sigs = {aid: np.asarray(sig, dtype=np.uint64) for aid, _, sig in items if sig is not None and len(sig) == NUM_PERM}
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    order = {aid: i for i, (aid, _, _) in enumerate(items)}
    for aid, _, sig in items:
        if aid not in sigs:
            continue
        m = MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=sig, scheme=SCHEME)
        for other in lsh.query(m):
            if similarity(sig, sigs[other]) >= threshold:
                ra, rb = find(aid), find(other)
                if ra != rb:  # the earlier article (by published, id) stays the root
                    if order[ra] < order[rb]:
                        parent[rb] = ra
                    else:
                        parent[ra] = rb
        lsh.insert(aid, m)
    members: dict[str, list[str]] = {}
    for aid, _, _ in items:
        members.setdefault(find(aid), []).append(aid)
    out: list[StoryLink] = []
    for root, ids in members.items():
        for aid in ids:
            sim = 1.0 if aid == root else (similarity(sigs[aid], sigs[root]) if aid in sigs and root in sigs else 0.0)
            out.append(StoryLink(aid, root, aid == root, round(sim, 4), len(ids)))
    out.sort(key=lambda s: (s.story_id, not s.is_primary, s.article_id))
    return out


__all__ = ["StoryLink", "group", "THRESHOLD"]
