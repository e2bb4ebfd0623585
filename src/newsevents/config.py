"""Explicit, immutable configuration, passed in; never module globals.

Change a value with ``dataclasses.replace(config, batch_size=100)``: the original stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import ConfigError

DEFAULT_DB = Path("newsevents.duckdb")


@dataclass(frozen=True)
class Config:
    # Inputs larger than this are rejected as oversized before they are read whole. 32 MiB holds any single
    # article page with room to spare; container formats (JSONL, WARC) are streamed and not bound by it.
    max_input_bytes: int = 32 * 1024 * 1024
    # An article body longer than this is rejected: the longest AFP/Xinhua/BBC article is ~25k characters, a
    # book-length "article" is a scraping error and would stall the parser.
    max_article_chars: int = 1_000_000
    # Seconds the pipeline may spend on one article before the article is rejected as a timeout. An AFP
    # article takes ~0.1 s here; a minute means something pathological (enforced in a process's main thread:
    # single-process and --workers runs; Dask runs tasks in threads, where it cannot interrupt them).
    article_time_budget: float = 60.0
    # Articles per committed store partition: large enough that a corpus makes few files, small enough that a
    # crash loses little work.
    batch_size: int = 500
    # Articles handed to a stage at once (spaCy's nlp.pipe batch).
    stage_batch_size: int = 64
    # Directory walks pass over these files (documentation beside a corpus), listing them as skipped.
    skip_names: tuple[str, ...] = ("readme", "license", "licence", "copying", "notice", "changelog", "sources")
    # Extensions a directory walk reads; files named explicitly are read whatever their extension.
    walk_extensions: tuple[str, ...] = (
        ".txt", ".text", ".json", ".jsonl", ".ndjson", ".html", ".htm", ".xhtml",
        ".warc", ".warc.gz", ".arc", ".arc.gz",
    )

    # A file of sources' home regions (``newsevents sources --out FILE``): the places stage reads a local
    # source's ambiguous names near its home ("Dublin" in an Ohio paper). None: every article on its own.
    source_focus: Optional[Path] = None
    # Code events that name no target ("Hungary ruled out sending troops"): off, as event data is dyadic
    # (who did what to whom) and such a row has no "whom" an analyst can count or check. Off, an event also
    # needs both sides placed (a country, or an international body): "insurgents" or "a delegation" alone,
    # with no country the article gives, is no one to count; on, such acts are kept with their type codes.
    monadic_events: bool = False

    # Fetching URLs (readers/web.py). Seconds a request may wait on the network, and the most a page's whole
    # download may take: 20 s is long for a news page and short enough that a dead host does not hold a run.
    fetch_timeout: float = 20.0
    # A news page is well under 2 MB; 10 MiB leaves room for inline scripts and stops a runaway download.
    max_page_bytes: int = 10 * 1024 * 1024
    # Redirects followed per URL (http -> https -> www. -> canonical is three); a loop stops at this bound.
    max_redirects: int = 5
    # Seconds between two requests to one host (a robots.txt Crawl-delay, when longer, wins). Requests are
    # sequential, so one host never has more than one request in flight.
    fetch_delay: float = 1.0
    # Obey robots.txt (RFC 9309). Turn off only for a site you run.
    respect_robots: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.article_time_budget, (int, float)) or self.article_time_budget <= 0:
            raise ConfigError(f"Config.article_time_budget must be a positive number of seconds, got {self.article_time_budget!r}")
        for name in ("fetch_timeout", "fetch_delay"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0 or (name == "fetch_timeout" and value == 0):
                raise ConfigError(f"Config.{name} must be a {'positive' if name == 'fetch_timeout' else 'non-negative'} number of seconds, got {value!r}")
        if not isinstance(self.max_redirects, int) or self.max_redirects < 0:
            raise ConfigError(f"Config.max_redirects must be a non-negative integer, got {self.max_redirects!r}")
        for name in ("max_input_bytes", "max_article_chars", "batch_size", "stage_batch_size", "max_page_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value <= 0:
                raise ConfigError(f"Config.{name} must be a positive integer, got {value!r}")
