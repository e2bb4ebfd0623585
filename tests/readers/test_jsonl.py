from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsevents.config import Config
from newsevents.readers import Source, detect_format, read_inputs, read_source
from newsevents.readers._common import path_key
from newsevents.readers.jsonl import date_from_dateline
from newsevents.records import Article, Rejection, article_id, content_hash

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
AFP = "data/news/afp_xinhua_1997_2006.jsonl"

TEXT = "The foreign ministers of Norway and Chile met in Oslo on Monday to discuss fishing quotas."


def _shared(rel: str) -> Path:
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"../shared is absent: {path.resolve()} not found (the corpora live beside the repo)")
    return path


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _split(items: list) -> tuple[list[Article], list[Rejection]]:
    arts = [x for x in items if isinstance(x, Article)]
    rejs = [x for x in items if isinstance(x, Rejection)]
    assert len(arts) + len(rejs) == len(items)
    return arts, rejs


def test_afp_xinhua_corpus_reads_every_record() -> None:
    path = _shared(AFP)
    arts, rejs = _split(list(read_inputs([path])))
    assert rejs == []
    assert len(arts) == 2412
    assert len({a.id for a in arts}) == 2412
    assert len({a.source_id for a in arts}) == 2412
    assert all(a.published for a in arts)
    assert {a.source for a in arts} == {"AFP", "XIN"}
    assert all(a.format == "jsonl" for a in arts)
    first = arts[0]
    assert first.input == f"{path}:1"
    assert arts[-1].input == f"{path}:2412"
    assert first.source_id == "AFP_ENG_19970401.0006"
    assert first.id == article_id("AFP_ENG_19970401.0006", content_hash(first.text))
    assert first.published == "1997-04-01"
    assert first.title == "Malaysian share market falls 1.1 percent at midday"
    assert first.dateline == "KUALA LUMPUR, April 1 , 1997 (AFP)"
    assert first.text.startswith("Malaysian share prices dipped 1.1 percent by midday Tuesday")
    assert "\n\n" in first.text


def test_afp_dates_come_from_datelines_when_published_is_missing(tmp_path: Path) -> None:
    path = _shared(AFP)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    stripped = [{k: v for k, v in r.items() if k != "published"} for r in records]
    out = _write(tmp_path, "nodates.jsonl", [json.dumps(r) for r in stripped])
    arts, rejs = _split(list(read_inputs([out])))
    assert rejs == []
    assert [a.published for a in arts] == [r["published"] for r in records]


def test_streams_lines_not_the_whole_file(tmp_path: Path) -> None:
    # The file is bigger than max_input_bytes, each line is not: a streamed reader takes it all.
    lines = [json.dumps({"id": f"r{i}", "text": f"{TEXT} Item {i}."}) for i in range(50)]
    path = _write(tmp_path, "big.jsonl", lines)
    config = replace(Config(), max_input_bytes=200)
    assert path.stat().st_size > 200
    arts, rejs = _split(list(read_inputs([path], config)))
    assert rejs == []
    assert [a.source_id for a in arts] == [f"r{i}" for i in range(50)]


def test_field_aliases_and_fallbacks(tmp_path: Path) -> None:
    lines = [
        json.dumps({"link": "https://www.example-news.org/2024/05/06/oslo-talks", "body": TEXT, "title": " Oslo talks "}),
        json.dumps({"id": 17, "content": TEXT + " Second.", "pubdate": "20240507T10:00:00Z", "source": "Reuters"}),
        json.dumps({"text": TEXT + " Third.", "date": "May 8, 2024"}),
        json.dumps({"text": TEXT + " Fourth.", "dateline": "OSLO, 9 May 2024 (NTB)"}),
    ]
    path = _write(tmp_path, "a.jsonl", lines)
    arts, rejs = _split(list(read_inputs([path])))
    assert rejs == []
    a, b, c, d = arts
    assert a.url == "https://www.example-news.org/2024/05/06/oslo-talks"
    assert a.source == "example-news.org"  # no source field: the URL's domain
    assert a.published == "2024-05-06"  # from the URL
    assert a.title == "Oslo talks"
    assert a.id == article_id(a.url, content_hash(TEXT))  # the URL is the natural key
    assert b.source_id == "17" and b.source == "Reuters" and b.published == "2024-05-07"
    assert b.id == article_id("17", content_hash(b.text))
    assert c.published == "2024-05-08"
    assert d.published == "2024-05-09" and d.dateline == "OSLO, 9 May 2024 (NTB)"
    # No URL and no id: the file's path and the line make the key.
    assert c.id == article_id(f"{path_key(path)}:3", content_hash(c.text))


def test_malformed_lines_are_rejected_and_the_batch_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": TEXT}),
        '{"id": "b", "text": "unfinished"',
        "[1, 2, 3]",
        json.dumps({"id": "d", "title": "No body"}),
        "",
        json.dumps({"id": "f", "text": "   "}),
        json.dumps({"id": "g", "text": ["not", "a", "string"]}),
        json.dumps({"id": "h", "text": TEXT + " Later."}),
    ]
    path = _write(tmp_path, "mixed.jsonl", lines)
    arts, rejs = _split(list(read_inputs([path])))
    assert [a.source_id for a in arts] == ["a", "h"]
    assert arts[1].input == f"{path}:8"
    got = [(r.input, r.kind) for r in rejs]
    assert got == [
        (f"{path}:2", "malformed"),
        (f"{path}:3", "malformed"),
        (f"{path}:4", "malformed"),
        (f"{path}:6", "empty"),
        (f"{path}:7", "malformed"),
    ]
    reasons = [r.reason for r in rejs]
    assert reasons[0].startswith("line 2: not valid JSON: Expecting ',' delimiter at column")
    assert reasons[1] == "line 3: a JSON array, not an object"
    assert reasons[2] == "line 4: no 'text' field"
    assert reasons[3] == "line 6: no article text"
    assert reasons[4] == "line 7: 'text' is a JSON array, not a string"


def test_blank_lines_are_skipped_silently(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text("\n\n" + json.dumps({"text": TEXT}) + "\n   \n\n", encoding="utf-8")
    items = list(read_inputs([path]))
    assert len(items) == 1 and isinstance(items[0], Article)
    assert items[0].input == f"{path}:3"


def test_legacy_encoded_line_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    good = json.dumps({"id": "u", "text": TEXT}).encode("utf-8")
    latin = '{"id": "l", "text": "The pound fell to £1.20 in Zürich."}'.encode("latin-1")
    path.write_bytes(good + b"\n" + latin + b"\n")
    arts, rejs = _split(list(read_inputs([path])))
    assert rejs == []
    assert arts[1].text == "The pound fell to £1.20 in Zürich."


def test_json_document_array_and_single_object(tmp_path: Path) -> None:
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"id": "x", "text": TEXT}, "oops", {"id": "z"}, {"id": "w", "text": TEXT + " W."}], indent=2))
    arts, rejs = _split(list(read_inputs([arr])))
    assert [(a.source_id, a.input) for a in arts] == [("x", f"{arr}[0]"), ("w", f"{arr}[3]")]
    assert [(r.input, r.reason) for r in rejs] == [
        (f"{arr}[1]", "item 1: a JSON string, not an object"),
        (f"{arr}[2]", "item 2: no 'text' field"),
    ]
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "T", "text": TEXT}))
    [art] = list(read_inputs([one]))
    assert isinstance(art, Article)
    assert art.input == str(one) and art.title == "T"
    assert art.id == article_id(path_key(one), content_hash(TEXT))


def test_invalid_json_document_is_one_rejection(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"text": "a", \n "title": }')
    [rej] = list(read_inputs([bad]))
    assert isinstance(rej, Rejection)
    assert rej.input == str(bad) and rej.kind == "malformed"
    assert rej.reason == "not valid JSON: Expecting value at line 2, column 11"
    empty_array = tmp_path / "empty.json"
    empty_array.write_text("[]")
    [rej] = list(read_inputs([empty_array]))
    assert (rej.kind, rej.reason) == ("empty", "an empty JSON array")
    number = tmp_path / "number.json"
    number.write_text("[42]")
    [rej] = list(read_inputs([number]))
    assert (rej.input, rej.reason) == (f"{number}[0]", "item 0: a JSON number, not an object")


def test_json_lines_in_a_dot_json_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "lines.json", [json.dumps({"id": "1", "text": TEXT}), json.dumps({"id": "2", "text": TEXT})])
    arts, rejs = _split(list(read_inputs([path])))
    assert rejs == []
    assert [a.input for a in arts] == [f"{path}:1", f"{path}:2"]


def test_empty_and_blank_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n  \n\t\n")
    [r1] = list(read_inputs([empty]))
    [r2] = list(read_inputs([blank]))
    assert (r1.input, r1.kind, r1.reason) == (str(empty), "empty", "empty file")
    assert (r2.input, r2.kind) == (str(blank), "empty")


def test_binary_file_is_one_rejection(tmp_path: Path) -> None:
    path = tmp_path / "noise.jsonl"
    path.write_bytes(bytes(range(256)) * 40 + b"\x00\x00\n{}")
    [rej] = list(read_inputs([path]))
    assert isinstance(rej, Rejection)
    assert (rej.input, rej.kind) == (str(path), "binary")


def test_oversized_records_and_documents(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "s", "text": "Short text."}), json.dumps({"id": "l", "text": TEXT * 3})]
    path = _write(tmp_path, "sizes.jsonl", lines)
    arts, rejs = _split(list(read_inputs([path], replace(Config(), max_article_chars=50))))
    assert [a.source_id for a in arts] == ["s"]
    assert [(r.input, r.kind) for r in rejs] == [(f"{path}:2", "oversized")]
    assert "over the limit of 50" in rejs[0].reason
    # A line over max_input_bytes is rejected without being held whole; the next line is still read.
    long_first = _write(tmp_path, "long.jsonl", [json.dumps({"text": TEXT * 5}), json.dumps({"id": "ok", "text": "Fine."})])
    arts, rejs = _split(list(read_inputs([long_first], replace(Config(), max_input_bytes=100))))
    assert [a.source_id for a in arts] == ["ok"]
    assert [(r.input, r.kind, r.reason) for r in rejs] == [(f"{long_first}:1", "oversized", "line 1: line over the limit of 100 bytes")]
    # A JSON document is parsed whole, so it is bound by max_input_bytes.
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps([{"text": TEXT}, {"text": TEXT}]))
    [rej] = list(read_inputs([doc], replace(Config(), max_input_bytes=100)))
    assert (rej.input, rej.kind) == (str(doc), "oversized")


def test_ids_are_stable_and_distinct_for_repeated_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "dups.jsonl", [json.dumps({"text": TEXT})] * 2)
    first = [a.id for a in read_inputs([path])]
    again = [a.id for a in read_inputs([path])]
    assert len(set(first)) == 2
    assert first == again


def test_stdin_is_detected_and_located() -> None:
    data = (json.dumps({"text": TEXT}) + "\nnot json\n").encode()
    source = Source(label="-", data=data)
    assert detect_format(source) == "jsonl"
    arts, rejs = _split(list(read_inputs(["-"], stdin=io.BytesIO(data))))
    assert arts[0].input == "-:1"
    assert arts[0].id == article_id("-:1", content_hash(TEXT))
    assert [(r.input, r.kind) for r in rejs] == [("-:2", "malformed")]
    assert list(read_source(source, Config()))[0].id == arts[0].id


def test_pretty_printed_object_on_stdin_is_one_document() -> None:
    data = json.dumps({"id": "p", "text": TEXT}, indent=2).encode()
    [art] = list(read_inputs(["-"], stdin=io.BytesIO(data)))
    assert isinstance(art, Article)
    assert (art.input, art.source_id, art.text) == ("-", "p", TEXT)


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("KUALA LUMPUR, April 1 , 1997 (AFP)", "1997-04-01"),
        ("LONDON, Nov. 8 , 2005 (Xinhua)", "2005-11-08"),
        ("BAGHDAD, Dec 19 , 2006, 2006", "2006-12-19"),
        ("WASHINGTON, Sept. 3, 2001", "2001-09-03"),
        ("OSLO, 9 May 2024 (NTB)", "2024-05-09"),
        ("PARIS, Feb 30 , 1999 (AFP)", None),
        ("GENEVA (Reuters)", None),
        (None, None),
    ],
)
def test_date_from_dateline(dateline: str | None, expected: str | None) -> None:
    assert date_from_dateline(dateline) == expected
