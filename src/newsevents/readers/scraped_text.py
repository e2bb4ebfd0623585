"""The scraped-text format: a hard-wrapped body with the scraper's furniture around it.

What it looks like (``shared/gold/seed.txt``)::

     The Kremlin said Thursday that a face-to-face meeting between U.S. President Donald Trump
    and Russian President Vladimir Putin should be arranged “promptly,” ...

    Related article: Trump’s Ceasefire Push Not a ‘Betrayal’ of Ukraine, Hegseth Says
    ...
    AFP contributed reporting.

    Original url:
    https://www.themoscowtimes.com/2025/02/13/trump-putin-meeting-should-be-organized-promptly-kre
    mlin-says-a87986

    https://www.themoscowtimes.com/2025/07/19/trumps-ceasefire-push-not-a-betrayal-of-ukraine-hegseth-says

Hard-wrapped lines are joined into paragraphs (blank lines stay paragraph breaks); "Related article:" lines
become related links; the "Original url:" trailer is parsed, URLs broken across lines rejoined and told apart
by matching their slugs to the related titles; the credit line is taken out as ``credit``. None of these stay
in the body.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Iterator, Optional, Union

from ..config import Config
from ..records import Article, Rejection, RelatedLink
from ._common import check_body, clean_text, decode_bytes, make_article, path_key

FORMAT = "scraped_text"

_TRAILER = re.compile(r"^\s*(?:original|source|canonical)\s+(?:url|link)\s*:\s*(.*)$", re.I)
_RELATED = re.compile(r"^\s*(?:related(?:\s+(?:article|story|stories|reading|coverage))?|read\s+more|see\s+also)\s*:\s*(.+?)\s*$", re.I)
_URL_START = re.compile(r"^(?:https?://|www\.)", re.I)
# A trailing short alphanumeric id in a slug: '-a87986', '-idUSKBN2A', '-12345'.
_SLUG_ID = re.compile(r"[-_](?:[a-z]{0,3}\d[a-z0-9]{2,}|\d+)$", re.I)
# Minimum share of a related title's words found in a URL slug for the URL to be that title's link.
MIN_SLUG_MATCH = 0.6


@lru_cache(maxsize=1)
def _credit_patterns() -> tuple[re.Pattern[str], ...]:
    text = resources.files("newsevents.knowledge").joinpath("credit_lines.txt").read_text("utf-8")
    return tuple(re.compile(line, re.I) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def looks_scraped(source) -> bool:  # source: readers.Source (not imported: circular)
    """True if the input carries the scraper's trailer or related-article lines."""
    head = source.head(1 << 20)
    try:
        text = head.decode("utf-8", errors="ignore")
    except Exception:  # pragma: no cover - decode with errors=ignore does not raise
        return False
    return any(_TRAILER.match(line) or _RELATED.match(line) for line in text.splitlines())


def read(source, config: Config) -> Iterator[Union[Article, Rejection]]:
    text = clean_text(decode_bytes(source.read_bytes(config), source.label))
    yield parse(text, label=source.label, key=path_key(source.path) if source.path else None, config=config)


def parse(raw: str, *, label: str, key: Optional[str] = None, config: Optional[Config] = None) -> Article:
    """One scraped-text document to an Article."""
    config = config or Config()
    lines = raw.split("\n")
    body_lines, urls = _split_trailer(lines)
    body_lines, related_titles = _take_related(body_lines)
    paragraphs = _paragraphs(body_lines)
    paragraphs, credit = _take_credit(paragraphs)
    text = "\n\n".join(paragraphs)
    check_body(text, label, config)
    own_url, related = _assign_urls(urls, related_titles)
    title = _title_from_slug(own_url) if own_url else None
    return make_article(
        text=text,
        input=label,
        format=FORMAT,
        key=own_url or key or label,
        url=own_url,
        title=title,
        title_from_slug=True,
        related=related,
        credit=credit,
    )


def _split_trailer(lines: list[str]) -> tuple[list[str], list[str]]:
    """Body lines, and the URLs of the 'Original url:' trailer with line-wrapped URLs rejoined."""
    for i, line in enumerate(lines):
        m = _TRAILER.match(line)
        if m:
            rest = [m.group(1)] + lines[i + 1 :]
            return lines[:i], _join_urls(rest)
    return lines, []


def _join_urls(lines: list[str]) -> list[str]:
    urls: list[str] = []
    current: Optional[str] = None
    for line in lines:
        s = line.strip()
        if not s:
            current = None
            continue
        if _URL_START.match(s) or current is None:
            if not _URL_START.match(s):
                continue  # stray text in the trailer (not a URL): ignore
            urls.append(s)
            current = s
        else:
            # A wrapped URL: the continuation line has no spaces and carries on the same URL.
            if " " in s:
                current = None
                continue
            urls[-1] = urls[-1] + s
            current = urls[-1]
    return urls


def _take_related(lines: list[str]) -> tuple[list[str], list[str]]:
    kept, titles = [], []
    for line in lines:
        m = _RELATED.match(line)
        if m:
            titles.append(m.group(1).strip())
            kept.append("")  # the line stood alone: keep the paragraph break it made
        else:
            kept.append(line)
    return kept, titles


def _paragraphs(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: single newlines inside a paragraph, blank lines between paragraphs."""
    vocabulary = {w.lower() for line in lines for w in re.findall(r"[^\W\d_]+", line)}
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        s = " ".join(line.split())  # squeeze inner runs of white space
        if not s:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        current = _join_wrapped(current, s, vocabulary) if current else s
    if current:
        paragraphs.append(current)
    return paragraphs


def _join_wrapped(left: str, right: str, vocabulary: set[str]) -> str:
    """Join two wrapped lines. A line ending in a hyphen attached to a word continues that word: the hyphen
    stays ('U.S.-' + 'Russia', 'long-' + 'standing'), unless the article writes the word unhyphenated
    elsewhere ('negoti-' + 'ations' where 'negotiations' occurs), which marks a hyphenation made by the wrap."""
    if left.endswith("-") and len(left) > 1 and not left[-2].isspace() and right[:1].isalnum():
        head = re.search(r"([^\W\d_]+)-$", left)
        tail = re.match(r"[^\W\d_]+", right)
        if head and tail and right[:1].islower() and (head.group(1) + tail.group(0)).lower() in vocabulary:
            return left[:-1] + right
        return left + right
    return left + " " + right


def _take_credit(paragraphs: list[str]) -> tuple[list[str], Optional[str]]:
    """A credit paragraph ('AFP contributed reporting.') at the end of the body, taken out."""
    credits = []
    while paragraphs and len(paragraphs[-1]) <= 200 and any(p.search(paragraphs[-1]) for p in _credit_patterns()):
        credits.insert(0, paragraphs.pop())
    return paragraphs, (" ".join(credits) if credits else None)


def _slug_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", text)


def _url_slug(url: str) -> str:
    path = re.sub(r"[?#].*$", "", url).rstrip("/")
    last = path.rsplit("/", 1)[-1]
    last = re.sub(r"\.(?:html?|php|aspx?)$", "", last, flags=re.I)
    return _SLUG_ID.sub("", last)


def _slug_match(title: str, url: str) -> float:
    words = _slug_words(title)
    if not words:
        return 0.0
    slug = set(_slug_words(_url_slug(url).replace("-", " ")))
    # Possessives slug without the apostrophe: "Trump’s" becomes 'trumps' in the URL but 'trump', 's' here.
    joined = set(slug) | {w + "s" for w in slug}
    hits = sum(1 for w in words if w in slug or w in joined or (w == "s"))
    return hits / len(words)


def _assign_urls(urls: list[str], titles: list[str]) -> tuple[Optional[str], list[RelatedLink]]:
    """Which trailer URL is the article's own and which belong to its related articles."""
    related: list[RelatedLink] = []
    taken: set[int] = set()
    for title in titles:
        scored = sorted(((_slug_match(title, u), i) for i, u in enumerate(urls) if i not in taken), reverse=True)
        if scored and scored[0][0] >= MIN_SLUG_MATCH:
            taken.add(scored[0][1])
            related.append(RelatedLink(title=title, url=urls[scored[0][1]]))
        else:
            related.append(RelatedLink(title=title, url=None))
    rest = [u for i, u in enumerate(urls) if i not in taken]
    own = rest[0] if rest else None
    # URLs in the trailer that are neither the article's nor a titled related article's are still related.
    related.extend(RelatedLink(title=None, url=u) for u in rest[1:])
    return own, related


def _title_from_slug(url: str) -> Optional[str]:
    words = [w for w in _url_slug(url).replace("_", "-").split("-") if w]
    if not words:
        return None
    title = " ".join(words)
    return title[:1].upper() + title[1:]
