"""The plain-text format: one article per file, its title on the first line.

What it looks like (the BBC corpus, ``shared/data/news/bbc/business/001.txt``)::

    Ad sales boost Time Warner profit

    Quarterly profits at US media giant TimeWarner jumped 76% to dollars 1.13bn (pounds 600m) ...

    The firm, which is now one of the biggest investors in Google, ...

The first non-empty line is the title when it looks like one (see ``split_title``); the rest is the body.
Paragraphs are separated by blank lines and kept as ``"\\n\\n"``. Lines inside a paragraph are kept as they
are: plain text is not assumed hard-wrapped (that is the scraped-text format), so joining them could glue a
list or an address into one line. Runs of spaces and tabs are squeezed to one space.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional, Union

from ..config import Config
from ..records import Article, Rejection
from ._common import check_body, clean_text, decode_bytes, make_article, path_key

FORMAT = "plain"

# A first line longer than this is a paragraph, not a title, even when a blank line follows it. The longest
# BBC title is 52 characters and news headlines rarely pass 120; 200 leaves room for long headlines with a
# kicker ("Analysis: ...") while keeping a one-sentence lede paragraph out of the title.
MAX_TITLE_CHARS = 200
# A line ending in one of these (optionally followed by closing quotes or brackets) reads as a sentence.
_SENTENCE_END = re.compile(r"[.!?;:…][\"'”’»)\]]*$")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


def read(source, config: Config) -> Iterator[Union[Article, Rejection]]:  # source: readers.Source (circular)
    text = clean_text(decode_bytes(source.read_bytes(config), source.label))
    key = path_key(source.path) if source.path is not None else source.label
    yield parse(text, label=source.label, key=key, config=config)


def parse(raw: str, *, label: str, key: Optional[str] = None, config: Optional[Config] = None) -> Article:
    """One plain-text document to an Article."""
    config = config or Config()
    lines = [_SPACES.sub(" ", line).strip() for line in clean_text(raw).split("\n")]
    title, body_lines = split_title(lines)
    text = "\n\n".join(_paragraphs(body_lines))
    check_body(text, label, config)
    return make_article(text=text, input=label, format=FORMAT, key=key or label, title=title)


def split_title(lines: list[str]) -> tuple[Optional[str], list[str]]:
    """The title (or None) and the body lines.

    The first non-empty line is the title if it is at most ``MAX_TITLE_CHARS`` long, something follows it,
    and either a blank line follows it or it does not end like a sentence. Otherwise there is no title and
    every line is body.
    """
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return None, lines
    candidate = lines[first]
    rest = lines[first + 1 :]
    if len(candidate) > MAX_TITLE_CHARS or not any(rest):
        return None, lines
    blank_after = not rest[0]
    if blank_after or not _SENTENCE_END.search(candidate):
        return candidate, rest
    return None, lines


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line-separated paragraphs; lines inside a paragraph stay on their own lines."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs
