from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsevents.config import Config
from newsevents.errors import EmptyInput
from newsevents.readers import read_inputs
from newsevents.readers._common import path_key
from newsevents.readers.html import article_from_html, decode_html, declared_charset
from newsevents.records import Article, Rejection, article_id, content_hash

# A fictional article page, with the furniture a real one has around the text.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Norway and Chile agree fishing timetable | Example News</title>
  <link rel="canonical" href="https://www.example-news.org/world/norway-chile-fishing">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="2024-05-06T09:30:00Z">
  <meta property="og:title" content="Norway and Chile agree fishing timetable">
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
  <article>
    <h1>Norway and Chile agree fishing timetable</h1>
    <p>The foreign ministers of Norway and Chile met in Oslo on Monday to discuss fishing quotas, a meeting
    both sides called “constructive.”</p>
    <p>“We agreed on a timetable,” Minister Ana Rojas said after the talks, which lasted four hours.</p>
    <p>Officials said the talks would resume in Santiago next month, with a draft text expected by June.</p>
  </article>
  <footer>Copyright 2024 Example News. All rights reserved. Subscribe to our newsletter.</footer>
</body>
</html>
"""

CYRILLIC = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Переговоры в Осло</title></head><body><article>
<p>Министры иностранных дел Норвегии и Чили встретились в Осло в понедельник, чтобы обсудить квоты на вылов рыбы.</p>
<p>Стороны договорились продолжить консультации в Сантьяго в следующем месяце.</p>
</article></body></html>"""


def _one(path: Path, config: Config | None = None):
    items = list(read_inputs([path], config))
    assert len(items) == 1
    return items[0]


def test_page_to_article(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    art = _one(path)
    assert isinstance(art, Article)
    assert art.format == "html"
    assert art.input == str(path)
    assert art.title == "Norway and Chile agree fishing timetable"
    assert art.url == "https://www.example-news.org/world/norway-chile-fishing"
    assert art.source == "example-news.org"
    assert art.published == "2024-05-06"
    paragraphs = art.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The foreign ministers of Norway and Chile met in Oslo on Monday")
    assert "quotas, a meeting both sides" in paragraphs[0]  # the line break in the source is white space
    assert paragraphs[2].endswith("expected by June.")
    for furniture in ("Home", "Copyright", "newsletter", "fishing timetable"):
        assert furniture not in art.text
    assert art.id == article_id(art.url, content_hash(art.text))  # the canonical URL is the key


def test_page_without_url_or_date(tmp_path: Path) -> None:
    bare = PAGE.replace('<link rel="canonical" href="https://www.example-news.org/world/norway-chile-fishing">', "")
    bare = bare.replace('<meta property="article:published_time" content="2024-05-06T09:30:00Z">', "")
    path = tmp_path / "bare.htm"
    path.write_text(bare, encoding="utf-8")
    art = _one(path)
    assert isinstance(art, Article)
    assert art.url is None
    assert art.published is None  # not 2024-01-01 from the footer's "Copyright 2024"
    assert art.source == "Example News"  # no host to name it: the site's display name
    assert art.id == article_id(path_key(path), content_hash(art.text))


def test_article_from_html_takes_the_callers_url_and_fallback_date() -> None:
    art = article_from_html(
        PAGE.replace('<meta property="article:published_time" content="2024-05-06T09:30:00Z">', ""),
        label="x.warc#10",
        key="unused",
        url="http://mirror.example.com/story",
        published="2024-05-09",
        config=Config(),
        format="warc",
    )
    assert art.url == "http://mirror.example.com/story"
    assert art.published == "2024-05-09"
    assert art.input == "x.warc#10" and art.format == "warc"
    dated = article_from_html(PAGE, label="p", key="k", url=None, published="2024-05-09", config=Config())
    assert dated.published == "2024-05-06"  # the page's own date wins over the fallback


def test_page_without_text_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<!DOCTYPE html><html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    rej = _one(path)
    assert isinstance(rej, Rejection)
    assert (rej.input, rej.kind, rej.reason) == (str(path), "empty", "no article text found in the page (only 'Home')")
    scripts = tmp_path / "scripts.html"
    scripts.write_text("<html><head><script>var x = 1;</script></head><body><img src='a.png'></body></html>")
    rej = _one(scripts)
    assert (rej.input, rej.kind, rej.reason) == (str(scripts), "empty", "no article text found in the page")
    with pytest.raises(EmptyInput):
        article_from_html("<html><body></body></html>", label="p", key="k", url=None, published=None, config=Config())


def test_meta_charset_is_respected(tmp_path: Path) -> None:
    path = tmp_path / "ru.html"
    path.write_bytes(CYRILLIC.encode("cp1251"))
    art = _one(path)
    assert isinstance(art, Article)
    assert art.title == "Переговоры в Осло"
    assert art.text.startswith("Министры иностранных дел Норвегии и Чили встретились в Осло")


def test_undeclared_latin1_page_is_decoded(tmp_path: Path) -> None:
    page = "<html><body><article><p>The pound fell to £1.20 against the euro in Zürich on Monday, traders said.</p></article></body></html>"
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("latin-1"))
    art = _one(path)
    assert isinstance(art, Article)
    assert "£1.20" in art.text and "Zürich" in art.text


def test_wrong_declaration_falls_back() -> None:
    # Declared UTF-8, written in Latin-1: the declaration does not fit the bytes and is not trusted.
    data = '<html><head><meta charset="utf-8"></head><body><p>Café £5</p></body></html>'.encode("latin-1")
    assert "Café £5" in decode_html(data, "p")
    # An HTTP header's charset comes before the page's own declaration.
    data = '<html><head><meta charset="iso-8859-1"></head><body><p>Осло</p></body></html>'.encode("koi8-r")
    assert "Осло" in decode_html(data, "p", charset="koi8-r")
    assert declared_charset(b'<?xml version="1.0" encoding="ISO-8859-2"?><html>') == "ISO-8859-2"
    assert declared_charset(b"<html><body>no declaration</body></html>") is None


def test_binary_and_empty_files_are_rejected(tmp_path: Path) -> None:
    binary = tmp_path / "noise.html"
    binary.write_bytes(b"<html>" + bytes(range(256)) * 8)
    empty = tmp_path / "empty.htm"
    empty.write_bytes(b"")
    assert [(r.input, r.kind) for r in read_inputs([binary, empty])] == [(str(binary), "binary"), (str(empty), "empty")]


def test_oversized_page_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    rej = _one(path, replace(Config(), max_input_bytes=100))
    assert isinstance(rej, Rejection) and rej.kind == "oversized"
    rej = _one(path, replace(Config(), max_article_chars=50))
    assert isinstance(rej, Rejection) and rej.kind == "oversized"
    assert "over the limit of 50" in rej.reason
