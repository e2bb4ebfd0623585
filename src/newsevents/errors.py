"""The one error hierarchy of newsevents.

Every error names what it is about (an input, a stage, a store path) and what went wrong::

    NewsEventsError
    ├── InputError                  an input could not become an Article (the batch goes on)
    │   ├── UnreadableInput         missing, a directory where a file was expected, permission denied
    │   ├── EmptyInput              zero bytes, only white space, or a record with no text
    │   ├── BinaryInput             NUL bytes or control characters: not text
    │   ├── OversizedInput          larger than Config.max_input_bytes / max_article_chars
    │   ├── UndecodableInput        bytes that no supported encoding turns into text
    │   ├── MalformedRecord         a JSON line that does not parse or lacks ``text``; a broken WARC/HTML
    │   ├── UnsupportedFormat       a file whose format no reader handles; a URL answering with neither HTML nor a feed
    │   └── FetchError              a URL that could not be fetched: HTTP status, timeout, network, redirects
    │       └── RobotsDisallowed    a URL its site's robots.txt closes to newsevents
    ├── PipelineError               a stage misbehaved or the pipeline is wrongly assembled
    │   ├── StageOrderError         a stage requires a field no earlier stage assigns
    │   └── TimeBudgetExceeded      an article took longer than Config.article_time_budget
    ├── StoreError                  the database cannot be opened, read or written (full disk, read-only)
    │   ├── StoreLockedError        another process is writing to the same store
    │   └── DamagedStoreError       a file of the store does not read back as written ('newsevents verify')
    ├── QueryError                  a filter or query that cannot be answered (bad value, unknown table)
    │   └── NotFoundError           no article or event with the id asked for
    └── ConfigError                 an invalid configuration value

Readers never raise ``InputError`` out of a batch: they turn it into a ``Rejection`` record so that every
input ends up either stored or listed as rejected with its reason.
"""

from __future__ import annotations


class NewsEventsError(Exception):
    """Base class of every error newsevents raises on purpose."""


class InputError(NewsEventsError):
    """An input (file, record, stream) could not become an Article."""

    kind = "input"

    def __init__(self, input: str, reason: str) -> None:
        self.input = input
        self.reason = reason
        super().__init__(f"{input}: {reason}")


class UnreadableInput(InputError):
    kind = "unreadable"


class EmptyInput(InputError):
    kind = "empty"


class BinaryInput(InputError):
    kind = "binary"


class OversizedInput(InputError):
    kind = "oversized"


class UndecodableInput(InputError):
    kind = "undecodable"


class MalformedRecord(InputError):
    kind = "malformed"


class UnsupportedFormat(InputError):
    kind = "unsupported"


class FetchError(InputError):
    kind = "fetch"


class RobotsDisallowed(FetchError):
    kind = "robots"


class PipelineError(NewsEventsError):
    """A stage failed or the pipeline is assembled wrongly."""


class StageOrderError(PipelineError):
    """A stage requires a field that no earlier stage assigns, or two stages assign the same field."""


class TimeBudgetExceeded(PipelineError):
    """The pipeline took longer than its time budget on an article (it is rejected, the run goes on)."""


class StoreError(NewsEventsError):
    """The store cannot be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the store's writer lock."""


class DamagedStoreError(StoreError):
    """A Parquet file (or other file) of the store is truncated or corrupt. ``path`` names it when known;
    ``newsevents verify`` lists every damaged batch and ``--repair`` moves them aside."""

    def __init__(self, message: str, path: "str | None" = None) -> None:
        self.path = path
        super().__init__(message)


class QueryError(NewsEventsError):
    """A query or filter that cannot be answered."""


class NotFoundError(QueryError):
    """No article or event has the id asked for (the web API answers 404, other bad values 400)."""


class ConfigError(NewsEventsError):
    """An invalid configuration value."""
