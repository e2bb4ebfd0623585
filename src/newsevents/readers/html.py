"""The HTML format: one web page, one article, extracted offline by trafilatura.

trafilatura finds the main text and drops the page furniture (navigation, footers, comments); its metadata
gives the title, the publication date, the canonical URL and the site. Trafilatura writes one block element
(paragraph, heading, list item) per line; each becomes a paragraph here, joined by ``"\\n\\n"`` as in every
other reader. A first block that repeats the title (the page's ``<h1>``) is dropped: the title is kept in
``Article.title``, and a body that starts with it would give later stages the headline twice.

``article_from_html`` is the part the WARC reader shares: it works on a page already decoded to text.
"""

from __future__ import annotations

import codecs
import re
from typing import Iterator, Optional, Union
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from trafilatura.settings import set_date_params

from ..config import Config
from ..errors import EmptyInput, MalformedRecord
from ..records import Article, Rejection
from ._common import (
    check_body,
    clean_text,
    date_from_url,
    decode_bytes,
    iso_date,
    make_article,
    path_key,
    source_domain,
)

FORMAT = "html"

# How far into a page to look for a <meta charset> or <?xml encoding?> declaration. The HTML standard has
# browsers look at the first 1,024 bytes; pages with long comments or scripts before <meta> go further, and
# 4 KiB is cheap.
CHARSET_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
# Extracted text shorter than this is page furniture trafilatura fell back on ("Home", "Page not found. Back
# to the front page.") rather than an article: the shortest news brief runs to a sentence of 50+ characters.
MIN_PAGE_TEXT_CHARS = 40
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# The HTML standard decodes pages labelled Latin-1 or ASCII as windows-1252: servers say 'iso-8859-1' for
# pages full of Windows typographic quotes, and cp1252 differs from Latin-1 only in those (0x80-0x9F).
_WHATWG_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}


def read(source, config: Config) -> Iterator[Union[Article, Rejection]]:  # source: readers.Source (circular)
    page = decode_html(source.read_bytes(config), source.label)
    key = path_key(source.path) if source.path is not None else source.label
    yield article_from_html(page, label=source.label, key=key, url=None, published=None, config=config)


def declared_charset(data: bytes) -> Optional[str]:
    """The encoding a page declares in its head (``<meta charset>``, ``http-equiv``, ``<?xml encoding?>``)."""
    head = data[:CHARSET_SNIFF_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def decode_html(data: bytes, label: str, charset: Optional[str] = None) -> str:
    """A page's bytes to text: a byte-order mark first, then ``charset`` (e.g. from an HTTP header), then the
    page's own declaration, then ``decode_bytes``'s guessing. A declared encoding the bytes do not fit is
    ignored rather than trusted: declarations are often wrong (a UTF-8 page still saying iso-8859-1)."""
    if data.startswith(_BOMS) or b"\x00" in data[:65536]:
        return decode_bytes(data, label)  # the BOM wins; NUL bytes are binary, and decode_bytes says so
    for name in (charset, declared_charset(data)):
        codec = _codec(name)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return decode_bytes(data, label)


def _codec(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip()).name.replace("-", "_")
    except LookupError:
        return None
    if codec.startswith(("utf_16", "utf_32")):
        return None  # a page that says UTF-16 in ASCII bytes is not UTF-16 (the standard reads it as UTF-8)
    return _WHATWG_ALIASES.get(codec, codec)


def article_from_html(
    html: str,
    *,
    label: str,
    key: str,
    url: Optional[str],
    published: Optional[str],
    config: Config,
    format: str = FORMAT,
) -> Article:
    """One decoded page to an Article.

    ``url`` is the page's address when the caller knows it (a WARC record's target URI); otherwise the page's
    canonical or og:url, if it declares one. The natural key is that URL, else ``key``. ``published`` is the
    fallback date (a WARC record's capture date): the page's own date, then a date in its URL, come first.
    Raises EmptyInput when the page has no article text, MalformedRecord when it cannot be parsed.
    """
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            # Tables in news pages are scores, prices and info boxes: cells read as sentences give the later
            # stages fragments to misparse, and the article's prose never lives in them.
            include_tables=False,
            deduplicate=False,
            # Dates from the page's markup and URL only: htmldate's extensive search also guesses from free
            # text, and takes a footer's "Copyright 2024" for a publication date of 2024-01-01.
            date_extraction_params=set_date_params(extensive=False),
        )
    except (ValueError, etree.LxmlError) as exc:
        raise MalformedRecord(label, f"cannot parse the HTML: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        raise EmptyInput(label, "no article text found in the page")
    title = " ".join((doc.title or "").split()) or None
    paragraphs = [" ".join(line.split()) for line in clean_text(doc.text).split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if title and len(paragraphs) > 1 and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    text = "\n\n".join(paragraphs)
    if len(text) < MIN_PAGE_TEXT_CHARS:
        raise EmptyInput(label, f"no article text found in the page (only {text[:MIN_PAGE_TEXT_CHARS]!r})")
    check_body(text, label, config)
    own_url = url or _absolute_url(doc.url)
    # trafilatura's hostname comes from the URL or the page's canonical link; stripped of 'www.' it matches
    # the source every other reader gives a page from that site. The site's display name is the last resort.
    source = source_domain(f"http://{doc.hostname}") if doc.hostname else None
    return make_article(
        text=text,
        input=label,
        format=format,
        key=own_url or key,
        url=own_url,
        source=source or source_domain(own_url) or (doc.sitename or None),
        published=iso_date(doc.date) or date_from_url(own_url) or published,
        title=title,
    )


def _absolute_url(value: Optional[str]) -> Optional[str]:
    """A URL trafilatura read from the page's metadata, if it is an absolute http(s) address."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme in ("http", "https") and parts.hostname else None
