from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsevents.config import Config
from newsevents.readers import Source, detect_format, read_inputs
from newsevents.records import Article, Rejection, article_id, content_hash

CAPTURED = "2024-05-10T12:00:00Z"


def _page(title: str, sentence: str, extra_head: str = "") -> bytes:
    body = " ".join([sentence] * 4)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{extra_head}</head>"
        f"<body><nav>Home | World</nav><article><h1>{title}</h1><p>{body}</p>"
        f"<p>Officials said talks would resume in Santiago next month.</p></article></body></html>"
    ).encode("utf-8")


PAGE_A = _page("Oslo talks end", "The foreign ministers of Norway and Chile met in Oslo on Monday to discuss fishing quotas.")
PAGE_B = _page(
    "Quotas agreed",
    "Norway and Chile agreed new fishing quotas on Tuesday after a second day of talks.",
    extra_head='<meta property="article:published_time" content="2024-05-07">',
)
PAGE_C = _page("Santiago next", "The next round of talks between the two countries will be held in Santiago.")


def _response(writer: WARCWriter, url: str, payload: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK"):
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        url, "response", payload=BytesIO(payload), http_headers=headers, warc_headers_dict={"WARC-Date": CAPTURED}
    )


def _build(path: Path, gzip: bool, records: list[tuple[str, str, bytes, str, str]] | None = None) -> Path:
    """A WARC with furniture records around three HTML pages; ``records`` replaces the default response list."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsevents-tests"}))
        default = [
            ("response", "https://www.example-news.org/world/oslo-talks", PAGE_A, "text/html; charset=utf-8", "200 OK"),
            ("request", "https://www.example-news.org/world/oslo-talks", b"", "", ""),
            ("response", "https://www.example-news.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png", "200 OK"),
            ("response", "https://www.example-news.org/gone", _page("Gone", "This page has gone away for good, sorry."), "text/html", "404 Not Found"),
            ("response", "https://www.example-news.org/2024/05/07/quotas-agreed", PAGE_B, "text/html", "200 OK"),
            ("metadata", "https://www.example-news.org/world/oslo-talks", b"outlinks: none\n", "", ""),
            ("response", "https://www.example-news.org/world/santiago-next", PAGE_C, "application/xhtml+xml", "200 OK"),
        ]
        for rec_type, url, payload, ctype, status in records if records is not None else default:
            if rec_type == "response":
                writer.write_record(_response(writer, url, payload, ctype, status))
            elif rec_type == "request":
                headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.example-news.org")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", payload=BytesIO(b""), http_headers=headers))
            else:
                writer.write_record(
                    writer.create_warc_record(url, rec_type, payload=BytesIO(payload), warc_content_type="text/plain")
                )
    return path


def _target_at(path: Path, offset: int) -> str:
    """The WARC-Target-URI of the record that starts at ``offset``: proves the locator points at it."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        return record.rec_headers.get_header("WARC-Target-URI")


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_articles(tmp_path: Path, gzip: bool) -> None:
    path = _build(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip)
    items = list(read_inputs([path]))
    assert all(isinstance(x, Article) for x in items), items
    assert [a.url for a in items] == [
        "https://www.example-news.org/world/oslo-talks",
        "https://www.example-news.org/2024/05/07/quotas-agreed",
        "https://www.example-news.org/world/santiago-next",
    ]
    a, b, c = items
    assert a.format == "warc" and a.source == "example-news.org"
    assert a.title == "Oslo talks end"
    assert a.text.startswith("The foreign ministers of Norway and Chile met in Oslo on Monday")
    assert "Home" not in a.text
    assert a.published == "2024-05-10"  # no date on the page or in the URL: the capture date
    assert b.published == "2024-05-07"  # the page's own date
    assert a.id == article_id(a.url, content_hash(a.text))
    for art in items:
        label, _, offset = art.input.rpartition("#")
        assert label == str(path)
        assert _target_at(path, int(offset)) == art.url


def test_warc_is_detected_without_its_extension(tmp_path: Path) -> None:
    gz = _build(tmp_path / "crawl-gz.bin", True)
    plain = _build(tmp_path / "crawl.dat", False)
    assert detect_format(Source(label=str(gz), path=gz)) == "warc"
    assert detect_format(Source(label=str(plain), path=plain)) == "warc"
    assert len([x for x in read_inputs([gz]) if isinstance(x, Article)]) == 3


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("cut_from_end", [30, 400])
def test_truncated_archive_gives_what_it_read_and_where_it_broke(tmp_path: Path, gzip: bool, cut_from_end: int) -> None:
    whole = _build(tmp_path / ("whole.warc.gz" if gzip else "whole.warc"), gzip)
    data = whole.read_bytes()
    path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    path.write_bytes(data[: len(data) - cut_from_end])
    items = list(read_inputs([path]))
    arts = [x for x in items if isinstance(x, Article)]
    assert [a.url for a in arts] == [
        "https://www.example-news.org/world/oslo-talks",
        "https://www.example-news.org/2024/05/07/quotas-agreed",
    ]
    assert isinstance(items[-1], Rejection) and items[:-1] == arts
    rej = items[-1]
    assert rej.kind == "malformed"
    offset = int(rej.input.rpartition("#")[2])
    # It broke in the last record, the santiago page: the Rejection names where that record starts.
    whole_offsets = [int(a.input.rpartition("#")[2]) for a in read_inputs([whole])]
    assert offset == whole_offsets[-1]
    assert rej.reason.startswith(f"archive broken at byte {offset:,}, after ")


def test_bad_records_are_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    records = [
        ("response", "https://example.org/binary", b"<html>" + bytes(range(256)) * 4, "text/html", "200 OK"),
        ("response", "https://example.org/blank", b"<html><body><script>1</script></body></html>", "text/html", "200 OK"),
        ("response", "https://example.org/nothing", b"   ", "text/html", "200 OK"),
        ("response", "https://example.org/ok", PAGE_A, "text/html", "200 OK"),
    ]
    path = _build(tmp_path / "bad.warc.gz", True, records)
    items = list(read_inputs([path]))
    assert [type(x).__name__ for x in items] == ["Rejection", "Rejection", "Rejection", "Article"]
    assert [x.kind for x in items[:3]] == ["binary", "empty", "empty"]
    assert items[3].url == "https://example.org/ok"
    for rej in items[:3]:
        label, _, offset = rej.input.rpartition("#")
        assert label == str(path) and _target_at(path, int(offset)).startswith("https://example.org/")


def test_charset_from_the_http_header(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Переговоры</title></head><body><article><p>"
        + "Министры иностранных дел Норвегии и Чили встретились в Осло в понедельник. " * 3
        + "</p></article></body></html>"
    ).encode("cp1251")
    path = _build(tmp_path / "ru.warc", False, [("response", "https://example.ru/a", page, "text/html; charset=windows-1251", "200 OK")])
    [art] = list(read_inputs([path]))
    assert isinstance(art, Article)
    assert art.title == "Переговоры"
    assert art.text.startswith("Министры иностранных дел Норвегии")


def test_oversized_record_is_rejected(tmp_path: Path) -> None:
    path = _build(tmp_path / "big.warc", False)
    config = replace(Config(), max_input_bytes=100)  # the archive itself is streamed; each page is bound
    items = list(read_inputs([path], config))
    assert [(type(x).__name__, x.kind) for x in items] == [("Rejection", "oversized")] * 3
    assert "page over the limit of 100 bytes" in items[0].reason


def test_archive_without_pages_and_broken_inputs(tmp_path: Path) -> None:
    no_pages = _build(tmp_path / "nopages.warc", False, [("metadata", "https://example.org/", b"x: y\n", "", "")])
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    noise = tmp_path / "noise.warc"
    noise.write_bytes(bytes(range(256)) * 16)
    bad_gzip = tmp_path / "bad.warc.gz"
    bad_gzip.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(1, 200)))
    got = [(r.input, r.kind, r.reason) for r in read_inputs([no_pages, empty, noise, bad_gzip])]
    assert got[0] == (str(no_pages), "empty", "no HTML pages among its 2 records")
    assert got[1] == (str(empty), "empty", "empty file")
    assert got[2][:2] == (str(noise), "malformed")
    assert got[2][2].startswith("not a readable WARC/ARC archive")
    assert got[3][:2] == (str(bad_gzip), "malformed")
    assert len(got) == 4
