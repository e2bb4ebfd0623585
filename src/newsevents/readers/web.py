"""Web inputs: article pages and RSS/Atom feeds, fetched over http(s) with the standard library.

An input that starts with ``http://`` or ``https://`` is fetched. An HTML answer is a page, read by the HTML
reader (trafilatura: text, title, date, site); an RSS or Atom answer is a feed, and each entry's page is
fetched in turn. Every URL that does not become an article becomes a ``Rejection`` saying why: the HTTP
status, a timeout, robots.txt, too large, not HTML, too many redirects, no article in the page.

Politeness, from ``Config`` (defaults in brackets): robots.txt obeyed (RFC 9309: read once per host; a
robots.txt that answers 401/403 or 5xx, or cannot be reached, closes the site; any other 4xx opens it),
one request at a time, ``fetch_delay`` seconds between two requests to one host [1 s] or the site's
Crawl-delay if longer, ``fetch_timeout`` per request and per download [20 s], ``max_redirects`` [5],
``max_page_bytes`` [10 MiB], and a User-Agent naming newsevents and its version. Proxies come from the
environment (``https_proxy``, ``no_proxy``), as for any urllib program.

Transient failures — a timeout, a refused or broken connection, HTTP 429 and 5xx — are tried again
``FETCH_RETRIES`` times [2], each retry waiting twice as long as the one before, starting from twice the
host's pause (2 s, then 4 s), or the server's Retry-After when that is longer, up to ``MAX_RETRY_AFTER``
[60 s]: a server asking for a longer wait is given up on. Once a URL of a host has timed out on every try,
that host's later timeouts in the run are not retried, so a host that hangs costs one timeout per URL.

Conditional GET: ``Fetcher.get`` sends the ETag and Last-Modified of an earlier answer (If-None-Match,
If-Modified-Since) when given them, and a 304 comes back as a ``Response`` with ``status`` 304 and no body.
``read_feed`` uses it for feeds polled again (``newsevents watch``).

URLs are normalised (scheme and host lower case, default port, fragment and tracking parameters dropped):
the normalised address, after redirects, is the article's ``url`` and natural key, and a URL met twice in
one run (given twice, or in a feed and on the command line) is fetched once.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterator, Optional, Union
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from .. import __version__
from ..config import Config
from ..errors import EmptyInput, FetchError, InputError, MalformedRecord, OversizedInput, RobotsDisallowed, UnreadableInput, UnsupportedFormat
from ..records import Article, Rejection
from . import html

FORMAT = "web"
USER_AGENT = f"newsevents/{__version__} (news event extraction; robots.txt obeyed)"
# The product token robots.txt groups are matched against.
ROBOTS_AGENT = "newsevents"

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
# Query parameters that say how a reader arrived, not which page it is: dropped from the natural key.
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ocid")
# RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; more than that is not a robots.txt.
ROBOTS_MAX_BYTES = 512 * 1024
_READ_CHUNK = 64 * 1024
# Tries after the first for a transient failure: two more ride out a server restart or a moment's overload
# without turning a dead host into a long wait (a URL costs at most three timeouts).
FETCH_RETRIES = 2
# The longest Retry-After (seconds) a fetch waits for; a server asking for more is given up on for this run
# (``watch`` tries the URL again at its next poll).
MAX_RETRY_AFTER = 60.0
# Answers worth another try: the server is rate limiting (429), failing for now, restarting or overloaded.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Rejection reasons (of the kinds 'fetch' and 'robots') that another try, later, may cure.
_TRANSIENT = re.compile(r"^(timed out|cannot connect|the connection broke|HTTP (429|5\d\d)\b)"
                        r"|could not be read \((timed out|cannot connect|the connection broke|HTTP 5\d\d\b)")
_URL = re.compile(r"^https?://", re.I)
_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"


def is_url(value: object) -> bool:
    """True for an http(s) address (the inputs this module reads)."""
    return isinstance(value, str) and bool(_URL.match(value.strip()))


def normalise_url(url: str) -> str:
    """The address without what does not name the page: fragment, tracking parameters, default port, case."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PARAMS)]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def urls_from_file(path: Union[str, Path]) -> list[str]:
    """The URLs of a file with one a line; blank lines and lines starting with '#' are passed over."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(str(path), f"cannot read the URL list: {getattr(exc, 'strerror', None) or exc}") from exc
    return [s for s in (line.strip() for line in lines) if s and not s.startswith("#")]


def transient(reason: str) -> bool:
    """Whether a fetch failed for a reason that may pass (a timeout, a refused connection, HTTP 429 or 5xx,
    a robots.txt that could not be read for one of these), so that trying the URL again later makes sense."""
    return bool(_TRANSIENT.search(reason))


@dataclass(frozen=True)
class Response:
    url: str  # after redirects, normalised
    content_type: str  # the media type, lower case, without parameters ('' when the server gives none)
    charset: Optional[str]
    body: bytes
    status: int = 200  # 304: not modified since the ETag/Last-Modified sent (no body)
    etag: Optional[str] = None  # the validators to send next time (conditional GET)
    last_modified: Optional[str] = None


class _Retry(Exception):
    """One try failed for a reason that may pass: the error to raise when no try is left."""

    def __init__(self, error: FetchError, retry_after: Optional[str] = None, timed_out: bool = False) -> None:
        super().__init__(error.reason)
        self.error = error
        self.retry_after = retry_after  # the Retry-After header as the server sent it
        self.timed_out = timed_out


def _retry_after(value: Optional[str], now: float) -> Optional[float]:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now) if when is not None and when.tzinfo is not None else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: ``Fetcher`` follows them itself, checking robots.txt and the bound."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Fetcher:
    """One run's fetching: robots.txt per host, the time of the last request per host, URLs already met.

    Mutable on purpose, like an HTTP client session; make one per run (``read_inputs`` does) and pass it on.
    ``sleep`` and ``clock`` are there for tests.
    """

    config: Config = field(default_factory=Config)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    seen: set[str] = field(default_factory=set)
    _robots: dict[str, Optional[urllib.robotparser.RobotFileParser]] = field(default_factory=dict)
    _robots_refusal: dict[str, str] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _not_before: dict[str, float] = field(default_factory=dict)  # a retry's back-off or a Retry-After, per host
    _hanging: set[str] = field(default_factory=set)  # hosts a URL of which timed out on every try

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirect())
        self._opener.addheaders = [("User-Agent", USER_AGENT), ("Accept-Encoding", "identity")]

    def get(self, url: str, accept: tuple[str, ...], etag: Optional[str] = None,
            last_modified: Optional[str] = None) -> Response:
        """The answer to ``url`` after redirects. Raises an ``InputError`` naming ``url`` and the problem.

        With ``etag``/``last_modified`` (an earlier answer's), the request is conditional: an unchanged page
        comes back as a Response with ``status`` 304 and no body."""
        label = url
        current = normalise_url(url)
        visited = [current]
        validators = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        for _ in range(self.config.max_redirects + 1):
            self._check_robots(current, label)
            status, location, resp = self._request(current, label, self.config.max_page_bytes, accept, validators)
            if resp is not None:
                return resp
            target = normalise_url(urljoin(current, location or ""))
            if not location or not is_url(target):
                raise FetchError(label, f"HTTP {status} redirect to {location!r}, not an http(s) address")
            if target in visited:
                raise FetchError(label, f"a redirect loop ({' -> '.join(visited + [target])})")
            visited.append(target)
            current = target
        raise FetchError(label, f"more than {self.config.max_redirects} redirects ({' -> '.join(visited)})")

    def _request(self, url: str, label: str, limit: int, accept: tuple[str, ...],
                 validators: Optional[dict[str, str]] = None) -> tuple[int, Optional[str], Optional[Response]]:
        """One request, tried again after a transient failure (``FETCH_RETRIES``): (status, Location, None)
        for a redirect, else (status, None, the answer)."""
        host = _origin(url)
        failed: Optional[_Retry] = None
        for attempt in range(FETCH_RETRIES + 1):
            try:
                return self._attempt(url, label, limit, accept, validators or {})
            except _Retry as exc:
                failed = exc
                if exc.timed_out and host in self._hanging:
                    break
                asked = _retry_after(exc.retry_after, time.time())
                if asked is not None and asked > MAX_RETRY_AFTER:  # the header as sent: the same reason each time
                    header = (exc.retry_after or "").strip()
                    raise FetchError(label, f"{exc.error.reason} (Retry-After: {header}, more than the "
                                            f"{MAX_RETRY_AFTER:g} s a fetch waits)") from None
                if attempt < FETCH_RETRIES:
                    backoff = max(self._delay(host) * 2 ** (attempt + 1), asked or 0.0)
                    self._not_before[host] = max(self._not_before.get(host, 0.0), self.clock() + backoff)
        assert failed is not None  # every try failed
        if failed.timed_out:
            self._hanging.add(host)
        raise failed.error from None

    def _attempt(self, url: str, label: str, limit: int, accept: tuple[str, ...],
                 validators: dict[str, str]) -> tuple[int, Optional[str], Optional[Response]]:
        """One try; a failure another try may cure raises ``_Retry``."""
        self._wait_turn(url)
        timeout = self.config.fetch_timeout
        try:
            raw = self._opener.open(urllib.request.Request(url, headers={"Accept": ", ".join(accept), **validators}),
                                    timeout=timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304:
                return 304, None, Response(url=url, content_type="", charset=None, body=b"", status=304,
                                           etag=exc.headers.get("ETag"), last_modified=exc.headers.get("Last-Modified"))
            if 300 <= exc.code < 400:
                return exc.code, exc.headers.get("Location"), None
            error = FetchError(label, f"HTTP {exc.code} {exc.reason}")
            if exc.code in RETRY_STATUSES:
                raise _Retry(error, exc.headers.get("Retry-After")) from None
            raise error from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise _Retry(FetchError(label, f"timed out after {timeout:g} s"), timed_out=True) from None
            if isinstance(reason, ssl.SSLError):  # a certificate or protocol the server gets wrong: it stays wrong
                raise FetchError(label, f"TLS failed: {reason}") from None
            # Refused, reset, no route, a name that does not resolve: all may pass (a restart, a network blip).
            raise _Retry(FetchError(label, f"cannot connect: {reason}")) from None
        with raw:
            headers: Message = raw.headers
            ctype = (headers.get_content_type() if headers.get("Content-Type") else "").lower()
            if accept and ctype and ctype not in accept:
                raise UnsupportedFormat(label, f"not a web page or feed: the server says {ctype}")
            declared = headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise OversizedInput(label, f"{int(declared):,} bytes, over the limit of {limit:,}")
            body = self._read_body(raw, label, limit, timeout)
            return raw.status, None, Response(url=normalise_url(raw.url), content_type=ctype,
                                               charset=headers.get_content_charset(), body=body, status=raw.status,
                                               etag=headers.get("ETag"), last_modified=headers.get("Last-Modified"))

    def _read_body(self, raw, label: str, limit: int, timeout: float) -> bytes:  # type: ignore[no-untyped-def]
        deadline = self.clock() + timeout
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = raw.read(_READ_CHUNK)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > limit:
                    raise OversizedInput(label, f"more than {limit:,} bytes, over the limit")
                if self.clock() > deadline:  # a server dripping bytes keeps each read under the socket timeout
                    raise _Retry(FetchError(label, f"timed out after {timeout:g} s (the download did not finish)"),
                                 timed_out=True)
                chunks.append(chunk)
        except (socket.timeout, TimeoutError):
            raise _Retry(FetchError(label, f"timed out after {timeout:g} s"), timed_out=True) from None
        except OSError as exc:
            raise _Retry(FetchError(label, f"the connection broke: {exc}")) from None

    def _delay(self, host: str) -> float:
        """The pause between two requests to ``host``: ``fetch_delay``, or its robots.txt Crawl-delay if longer."""
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(ROBOTS_AGENT) if robots is not None else None
        return max(self.config.fetch_delay, float(crawl_delay)) if crawl_delay else self.config.fetch_delay

    def _ready(self, host: str) -> float:
        """When (on ``clock``) ``host`` may be asked again."""
        last = self._last.get(host)
        return max(last + self._delay(host) if last is not None else float("-inf"),
                   self._not_before.get(host, float("-inf")))

    def ready_at(self) -> float:
        """When (on ``clock``) every host this fetcher has asked may be asked again: another fetcher that
        takes over (the ingest a watch hands its links to) waits for it, so the pause between requests holds."""
        return max((self._ready(host) for host in self._last), default=float("-inf"))

    def _wait_turn(self, url: str) -> None:
        host = _origin(url)
        wait = self._ready(host) - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last[host] = self.clock()

    def _check_robots(self, url: str, label: str) -> None:
        if not self.config.respect_robots:
            return
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if rules is None:
            raise RobotsDisallowed(label, self._robots_refusal[origin])
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise RobotsDisallowed(label, f"robots.txt of {origin} disallows {urlsplit(url).path or '/'} for newsevents")

    def _read_robots(self, origin: str) -> Optional[urllib.robotparser.RobotFileParser]:
        """The rules of one site, or None (the whole site closed, the reason in ``_robots_refusal``)."""
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            text = self._robots_text(origin)
        except FetchError as exc:
            self._robots_refusal[origin] = f"robots.txt of {origin} could not be read ({exc.reason}): the site is treated as closed"
            return None
        rules.parse((text or "").splitlines())  # None: no robots.txt, everything allowed
        return rules

    def _robots_text(self, origin: str) -> Optional[str]:
        url = origin + "/robots.txt"
        for _ in range(self.config.max_redirects + 1):
            try:
                status, location, resp = self._request(url, url, ROBOTS_MAX_BYTES, ())
            except FetchError as exc:
                m = re.match(r"HTTP (\d+)", exc.reason)
                if m and 400 <= int(m.group(1)) < 500 and int(m.group(1)) not in (401, 403):
                    return None
                raise
            except InputError as exc:  # too large: RFC 9309 reads what fits; we keep it simple and refuse
                raise FetchError(url, exc.reason) from None
            if resp is not None:
                return resp.body.decode("utf-8", errors="replace")
            url = urljoin(url, location or "")
        raise FetchError(url, "too many redirects")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def read_url(url: str, config: Config, fetcher: Optional[Fetcher] = None) -> Iterator[Union[Article, Rejection]]:
    """The article at a page's URL, or the articles of a feed's entries; a Rejection for each that fails."""
    fetcher = fetcher or Fetcher(config)
    key = normalise_url(url)
    if key in fetcher.seen:
        return
    fetcher.seen.add(key)
    try:
        resp = fetcher.get(url, accept=HTML_TYPES + FEED_TYPES)
        fetcher.seen.add(resp.url)
        if resp.content_type in HTML_TYPES or not _looks_like_feed(resp.body):
            yield _article(resp, url, config)
            return
        links = feed_links(resp.body, resp.url, url)
    except InputError as exc:
        yield Rejection(input=exc.input, reason=exc.reason, kind=exc.kind)
        return
    if not links:
        yield Rejection(input=url, reason="a feed with no entries linking to a page", kind=EmptyInput.kind)
    for link in links:
        entry = normalise_url(link)
        if entry in fetcher.seen:
            continue
        fetcher.seen.add(entry)
        try:
            page = fetcher.get(link, accept=HTML_TYPES)
            fetcher.seen.add(page.url)
            yield _article(page, link, config)
        except InputError as exc:
            yield Rejection(input=exc.input, reason=exc.reason, kind=exc.kind)


@dataclass(frozen=True)
class Feed:
    """One read of a feed: its entries' links, and the validators to send with the next read."""

    url: str  # after redirects, normalised
    links: tuple[str, ...]  # absolute, in feed order, once each
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    not_modified: bool = False  # the server answered 304 to the validators sent: nothing new, no links read


def read_feed(url: str, fetcher: Fetcher, etag: Optional[str] = None, last_modified: Optional[str] = None) -> Feed:
    """The entry links of the RSS/Atom feed at ``url``. Given the ETag/Last-Modified of the last read, the
    request is conditional and an unchanged feed costs a 304, not a download. Raises ``InputError`` naming
    ``url``, also when the answer is a web page rather than a feed."""
    resp = fetcher.get(url, accept=FEED_TYPES + HTML_TYPES, etag=etag, last_modified=last_modified)
    if resp.status == 304:
        return Feed(url=resp.url, links=(), etag=resp.etag or etag, last_modified=resp.last_modified or last_modified,
                    not_modified=True)
    if resp.content_type in HTML_TYPES or not _looks_like_feed(resp.body):
        raise UnsupportedFormat(url, "a web page, not an RSS or Atom feed (give pages to 'newsevents ingest')")
    return Feed(url=resp.url, links=tuple(feed_links(resp.body, resp.url, url)), etag=resp.etag,
                last_modified=resp.last_modified)


def _article(resp: Response, label: str, config: Config) -> Article:
    if resp.content_type and resp.content_type not in HTML_TYPES:
        raise UnsupportedFormat(label, f"not a web page: the server says {resp.content_type}")
    text = html.decode_html(resp.body, label, resp.charset)
    return html.article_from_html(text, label=label, key=resp.url, url=resp.url, published=None, config=config,
                                  format=FORMAT)


def _looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def feed_links(body: bytes, base: str, label: str) -> list[str]:
    """The entry links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, absolute, in feed order, once each."""
    # No entities, no network, no huge trees: a feed is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedRecord(label, f"not a readable feed: {exc}") from None
    links: list[str] = []
    if root.tag == "rss" or root.tag.endswith("RDF"):
        for item in root.iter("item", f"{_RSS1}item"):
            link = item.findtext("link") or item.findtext(f"{_RSS1}link")
            if not link and (guid := item.find("guid")) is not None and guid.get("isPermaLink", "true") == "true":
                link = guid.text
            if link:
                links.append(link.strip())
    elif root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            for ln in entry.iter(f"{_ATOM}link"):
                if ln.get("rel", "alternate") == "alternate" and ln.get("href"):
                    links.append(ln.get("href").strip())
                    break
    else:
        raise UnsupportedFormat(label, f"XML that is neither an RSS nor an Atom feed (root <{etree.QName(root).localname}>)")
    absolute = [urljoin(base, ln) for ln in links]
    return list(dict.fromkeys(u for u in absolute if is_url(u)))
