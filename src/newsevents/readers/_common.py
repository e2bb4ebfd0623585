"""What every reader shares: bytes to text, size and content checks, and building an ``Article``."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Optional, Sequence
from urllib.parse import urlsplit

from ..config import Config
from ..errors import BinaryInput, EmptyInput, OversizedInput, UndecodableInput, UnreadableInput
from ..records import Article, RelatedLink, article_id, content_hash, printable
from .titles import case_like_text, clean_title

# A text with more than this share of control characters (other than tab/newline/CR/form feed) is binary.
# Real article text has none; 1% tolerates a stray escape byte in a scraped page.
MAX_CONTROL_SHARE = 0.01
# Share of characters a legacy single-byte decoding may leave outside printable text before we call the
# input undecodable rather than Latin-1/cp1252.
MAX_ODD_SHARE = 0.02

_CONTROL_OK = {"\t", "\n", "\r", "\f"}


def read_bytes(path: Path, config: Config, label: Optional[str] = None) -> bytes:
    """Read a whole file, refusing what cannot or should not be read whole."""
    label = label or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInput(label, f"cannot read: {exc.strerror or exc}") from exc
    if path.is_dir():
        raise UnreadableInput(label, "is a directory")
    if size > config.max_input_bytes:
        raise OversizedInput(label, f"{size:,} bytes, over the limit of {config.max_input_bytes:,}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(label, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise EmptyInput(label, "empty file" if not data else "only white space")
    return data


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in _CONTROL_OK)
    return bad / len(sample)


def decode_bytes(data: bytes, label: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16/32 with BOM, else a legacy single-byte encoding.

    Legacy text (the BBC corpus is Latin-1) decodes as cp1252, which is Latin-1 plus the typographic quotes
    and dashes Windows puts in 0x80-0x9F; bytes cp1252 leaves undefined fall back to Latin-1.
    Raises BinaryInput for data with NUL bytes or control characters, UndecodableInput when nothing fits.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _checked(data, "utf-32", label)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked(data, "utf-16", label)
    if b"\x00" in data[:65536]:
        raise BinaryInput(label, "binary data (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _legacy(data, label)
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise BinaryInput(label, "binary data (control characters), not text")
    return text


def _checked(data: bytes, encoding: str, label: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableInput(label, f"declares {encoding} by its byte-order mark but does not decode: {exc.reason}")
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise BinaryInput(label, "binary data (control characters), not text")
    return text


def _legacy(data: bytes, label: str) -> str:
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        text = data.decode("latin-1")
    non_ascii = [ch for ch in text if ord(ch) > 127]
    odd = sum(1 for ch in non_ascii if unicodedata.category(ch)[0] in "CZ" and ch != "\xa0")
    if odd / max(len(text), 1) > MAX_ODD_SHARE:
        raise UndecodableInput(label, "not UTF-8, and not legible as Latin-1/cp1252 either")
    return text


def clean_text(text: str) -> str:
    """Normalise line endings and strip the stray characters that scraping leaves (BOM, soft hyphen, NUL)."""
    text = printable(text)  # a lone surrogate (JSON's "\\ud800") is not text any store can hold
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\ufeff", "").replace("\u00ad", "").replace("\x00", "")
    return text.strip()


def check_body(text: str, label: str, config: Config) -> None:
    if not text.strip():
        raise EmptyInput(label, "no article text")
    if len(text) > config.max_article_chars:
        raise OversizedInput(label, f"article text of {len(text):,} characters, over the limit of {config.max_article_chars:,}")
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise BinaryInput(label, "binary data (control characters), not text")


def source_domain(url: Optional[str]) -> Optional[str]:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.lower()
    return host[4:] if host.startswith("www.") else (host or None)


_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[/\-_]?(0[1-9]|1[0-2])[/\-_]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_url(url: Optional[str]) -> Optional[str]:
    """A publication date written in a URL's path: /2025/02/13/, /2025-02-13-, /20250213/."""
    if not url:
        return None
    path = urlsplit(url).path
    for m in _URL_DATE.finditer(path):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
    return None


def iso_date(value: object) -> Optional[str]:
    """A date given as text ('2025-02-13', '2025-02-13T08:00:00Z', '20250213') to ISO YYYY-MM-DD, else None."""
    if value is None:
        return None
    s = str(value).strip()
    m = re.match(r"^((?:1[89]|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])", s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def make_article(
    *,
    text: str,
    input: str,
    format: str,
    key: str,
    url: Optional[str] = None,
    source: Optional[str] = None,
    published: Optional[str] = None,
    title: Optional[str] = None,
    related: Sequence[RelatedLink] = (),
    credit: Optional[str] = None,
    dateline: Optional[str] = None,
    source_id: Optional[str] = None,
    title_from_slug: bool = False,
) -> Article:
    """Build an Article with its content hash and id. ``key`` is the natural key (see ``records.article_id``).

    The title is cleaned (``titles.clean_title``), the given one kept as ``raw_title`` when that changed it;
    a title made from a URL slug (``title_from_slug``) takes the casing the text uses for its words.
    """
    h = content_hash(text)
    given = " ".join((title or "").split()) or None
    clean = clean_title(given)
    if clean and title_from_slug:
        clean = case_like_text(clean, text)
    return Article(
        id=article_id(key, h),
        text=text,
        url=url or None,
        source=source or source_domain(url),
        published=published or date_from_url(url),
        title=clean,
        related=tuple(related),
        credit=credit,
        dateline=dateline,
        input=input,
        format=format,
        content_hash=h,
        source_id=source_id,
        # The slug's lost capitals are not the input's words: the URL already keeps what the slug said.
        raw_title=given if given != clean and not (title_from_slug and clean and given.lower() == clean.lower()) else None,
    )


def path_key(path: Path) -> str:
    """Natural key of a file with no URL or record id: its resolved path."""
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())
