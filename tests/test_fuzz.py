"""Fuzzing the readers and extract: hostile or broken input gives a clear rejection or an article whose
offsets all lie inside its text; never a crash."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.pipeline import default_pipeline
from newsevents.readers import Source, read_source
from newsevents.records import Analysis, Article, Rejection
from newsevents.config import Config

SPECIAL = ["\u200b", "\u200e", "\u202e", "\u2066", "\ufeff", "\x00", "\x1b", "“", "”", '"', "‘", "’", "''",
           "\n\n", "\r\n", "Original url:", "Related article:", "<script>", "</p>", "{", "}", "[", "WARC/1.0"]
texts = st.lists(st.one_of(st.text(max_size=80), st.sampled_from(SPECIAL)), max_size=30).map("".join)
EXTENSIONS = [".txt", ".json", ".jsonl", ".html", ".warc", ".warc.gz", ""]
ENCODINGS = ["utf-8", "utf-16", "latin-1", "cp1252", "utf-32"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])


def _check(items: list) -> None:
    for it in items:
        assert isinstance(it, (Article, Rejection)), it
        if isinstance(it, Rejection):
            assert it.reason and it.input
        else:
            assert it.text.strip() and it.id


@FUZZ
@given(text=texts, ext=st.sampled_from(EXTENSIONS), encoding=st.sampled_from(ENCODINGS))
def test_any_text_in_any_format_is_read_or_rejected(tmp_path_factory, text: str, ext: str, encoding: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{ext}"
    data = text.encode(encoding, errors="replace")
    path.write_bytes(gzip.compress(data) if ext.endswith(".gz") else data)
    _check(list(read_source(Source(label=str(path), path=path), Config())))


@FUZZ
@given(raw=st.binary(max_size=2000))
def test_random_bytes_on_stdin_are_read_or_rejected(raw: bytes) -> None:
    _check(list(read_source(Source(label="-", data=raw), Config())))


@FUZZ
@given(records=st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["id", "url", "published", "title", "text", "source", "dateline"]),
                    st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=5))),
                    max_size=7),
    st.recursive(st.none(), lambda c: st.lists(c, max_size=3), max_leaves=10)), max_size=6))
def test_json_records_of_any_shape(tmp_path_factory, records: list) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    _check(list(read_source(Source(label=str(path), path=path), Config())))


def test_pathological_inputs(tmp_path: Path) -> None:
    cases = {
        "nested.jsonl": ("[" * 100_000 + "\n").encode(),
        "nested-doc.json": ("[" * 100_000).encode(),
        "one-line.txt": b"word " * 2_100_000,  # a 10 MB single line
        "truncated.warc.gz": gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nHTTP/1.1 200")[:-7],
        "truncated.html": b"<html><head><title>T</title></head><body><p>Talks began in Oslo" + b"<div>" * 5000,
        "utf16-without-bom.txt": "Ministers met in Oslo on Monday.".encode("utf-16-le"),
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        items = list(read_source(Source(label=str(p), path=p), Config()))
        _check(items)
        assert items, name


_PIPELINE = []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.one_of(st.sampled_from([
    "Russia attacked Ukraine.", "“We will fight,” he said.", "The Kremlin said on Friday that talks would resume",
    "“Unclosed quote", "Paris, Texas", "NATO ", " and ", "\u202eevil\u202c", "’", "\n\n", "Trump met Putin in Riyadh."]),
    st.text(max_size=30)), min_size=1, max_size=12).map("".join))
def test_extract_offsets_always_lie_inside_the_text(text: str) -> None:
    from newsevents.readers._common import make_article

    if not text.strip():
        return
    if not _PIPELINE:
        _PIPELINE.append(default_pipeline())
    [a] = _PIPELINE[0].run([make_article(text=text, input="fuzz", format="text", key=text, published="2025-02-13")])
    assert isinstance(a, Analysis)
    n = len(a.article.text)
    spans = [(e.start, e.end) for e in a.entities] + [(m.start, m.end) for e in a.entities for m in e.mentions]
    spans += [(q.start, q.end) for q in a.quotes if q.field == "text"]
    spans += [(d.start, d.end) for d in a.dates] + [(p.start, p.end) for p in a.locations]
    spans += [(ev.start, ev.end) for ev in a.events]
    for start, end in spans:
        assert 0 <= start <= end <= n, (start, end, n, text)
    for e in a.entities:
        assert a.article.text[e.start : e.end] == e.text
