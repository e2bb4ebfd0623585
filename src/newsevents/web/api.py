"""The JSON API under /api: one thin endpoint per function of ``newsevents.query``, with the CLI's filters.

Each endpoint checks its parameters' types and ranges (FastAPI), calls one query function in a worker thread
under a time limit, and returns its rows. Listings come as a page::

    {"items": [...], "total": 1234, "limit": 50, "offset": 0, "more": true, "sort": "-goldstein",
     "matched": {"actor": {"how": "code", "code": "USA", "label": "United States (USA)", ...}}}

``total`` is the number of matching rows; ``more`` whether a next page exists; ``matched`` what the actor and
place filters were taken to mean. ``sort`` names a column of the rows (``-`` in front for descending); each
listing says which it sorts by. With ``format=csv`` or ``format=json`` (or ``Accept: text/csv``) a listing
answers every matching row instead of a page, as a streamed file (``downloads``); so do the timeline, the
network and the places, with their rows.

There is no endpoint that takes SQL: every filter reaches DuckDB as a bound parameter (see query.py), and a
sort only picks from a fixed table of columns. A bad value answers 400 ``{"error": "..."}``, an unknown article
or event id 404, an unreadable store 503.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Callable, Literal, Optional, TypeVar, Union

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from .. import query
from ..errors import QueryError
from .downloads import download, wanted
from .encoding import ApiJSON
from .schemas import (ERROR_RESPONSES, DyadBody, ItemsBody, NetworkBody, PageBody, PlacesBody, Row, SearchBody,
                      TimelineBody, ok)

T = TypeVar("T")

# The most rows one page returns. A page the browser renders at once; a client that wants every row asks for
# a download (format=csv or json), which streams them.
MAX_PAGE = 500
DEFAULT_PAGE = 50
# The most results of each kind /api/search returns: a search page shows the top hits, not listings.
MAX_SEARCH = 100
# Longest accepted filter value. Names, codes and search words are far shorter; anything longer is a
# mistake or an attack, refused before it reaches the database.
MAX_TEXT = 200
# Longest article id accepted (ids are 24 hex digits; a prefix is accepted too).
MAX_ID = 64

# The columns of the aggregate answers, for the header row of a download with no rows.
TIMELINE_COLUMNS = ("period", "events", "mentions", "verbal_coop", "material_coop", "verbal_conflict",
                    "material_conflict", "avg_goldstein", "outlier")
NETWORK_COLUMNS = tuple(f"{p}_{c}" for p in ("source", "target") for c in ("key", "kind", "name", "code", "country",
                                                                           "article")) + query.PAIR_FIGURES
PLACE_COLUMNS = ("geonameid", "name", "country", "lat", "lon", "events", "mentions", "avg_goldstein", "conflict",
                 "level", "iso_numeric")


@dataclass(frozen=True)
class Runner:
    """Runs query functions over one store in a thread pool, each under a time limit.

    A query that runs past ``timeout`` answers 503 at once; its thread finishes on its own and its result is
    dropped (a running DuckDB query cannot be interrupted from outside its connection). The pool's size bounds
    how many queries run at once: requests beyond it wait, and answer 503 if they wait past the limit.
    """

    db: query.Db  # a query.Reader in the app: connections kept open while the store is unchanged
    timeout: float
    pool: Executor

    async def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.pool, functools.partial(fn, self.db, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise HTTPException(503, f"the query took longer than {self.timeout:g} s and was given up: "
                                     "narrow the filters or ask for fewer rows") from None


def _text(description: str) -> Any:
    return Query(max_length=MAX_TEXT, description=description)


ACTOR_HELP = ("a CAMEO code and the codes under it, any case (usa, RUSGOV), a name the store or the actor dictionaries "
              "give a code (United States, the Kremlin: the same rows as its code), a person's name, a network "
              "node's key (code:USAGOV, person:Vladimir Putin), or else part of the name the text used.")


@dataclass(frozen=True)
class Common:
    """The event filters other than the actors (a dyad names its actors apart)."""

    root: Optional[str]
    quad: Optional[str]
    since: Optional[str]
    until: Optional[str]
    place: Optional[str]
    min_confidence: Optional[float]
    theme: Optional[str]
    source: Optional[str]
    min_tone: Optional[float]
    max_tone: Optional[float]
    date_precision: Optional[str]


def common_filters(
    root: Annotated[Optional[str], _text("CAMEO root code, 01-20 (03 intent to cooperate, 19 fight).")] = None,
    quad: Annotated[Optional[str], _text("Quad class: 1 verbal cooperation, 2 material cooperation, "
                                         "3 verbal conflict, 4 material conflict.")] = None,
    since: Annotated[Optional[str], _text("The event's whole date on or after (YYYY-MM-DD): March 2025 is on or "
                                          "after 2025-03-01, not 2025-03-15.")] = None,
    until: Annotated[Optional[str], _text("The event's whole date on or before (YYYY-MM-DD).")] = None,
    place: Annotated[Optional[str], _text("Where: ISO country code (SA), place name or GeoNames id.")] = None,
    min_confidence: Annotated[Optional[float], Query(ge=0.0, le=1.0, description=(
        "Only events coded with at least this confidence (0-1; calibrated: of the events at 0.8, about 80% "
        "are right)."))] = None,
    theme: Annotated[Optional[str], _text("An article reporting the event has this theme (DIPLOMACY, PROTEST; "
                                          "/api/themes lists them).")] = None,
    source: Annotated[Optional[str], _text("A publisher (domain or agency, any case) reported the event.")] = None,
    min_tone: Annotated[Optional[float], Query(ge=-100, le=100, description=(
        "Tone of the articles reporting it (average), at least: positive minus negative words per 100.")) ] = None,
    max_tone: Annotated[Optional[float], Query(ge=-100, le=100, description="Tone, at most.")] = None,
    date_precision: Annotated[Optional[Literal["day", "month", "year", "reported"]], Query(description=(
        "How precisely the event is dated: in the text to the day, month or year, or reported: only by its "
        "earliest report's publication date."))] = None,
) -> Common:
    return Common(root, quad, since, until, place, min_confidence, theme, source, min_tone, max_tone, date_precision)


def event_filters(
    common: Annotated[Common, Depends(common_filters)],
    actor: Annotated[Optional[str], _text(f"Source actor: {ACTOR_HELP}")] = None,
    target: Annotated[Optional[str], _text("Target actor, read as actor is.")] = None,
    actor_person: Annotated[Optional[str], _text("Source is this person: their canonical name, exactly (any case).")] = None,
    target_person: Annotated[Optional[str], _text("Target is this person: their canonical name, exactly (any case).")] = None,
) -> query.EventFilter:
    """The CLI's event filters as query parameters (checked by ``query.EventFilter`` when the query runs)."""
    return query.EventFilter(actor=actor, target=target, actor_person=actor_person, target_person=target_person,
                             **asdict(common))


@dataclass(frozen=True)
class Page:
    limit: Optional[int]  # None: the default page, or every row of a download
    offset: int

    @property
    def rows(self) -> int:
        return self.limit or DEFAULT_PAGE


def page(
    limit: Annotated[Optional[int], Query(ge=1, le=MAX_PAGE, description=(
        f"Rows per page (1-{MAX_PAGE}, {DEFAULT_PAGE} when not given). A download has every matching row unless "
        "limit is given."))] = None,
    offset: Annotated[int, Query(ge=0, le=query.MAX_OFFSET, description="Rows to skip (paging).")] = 0,
) -> Page:
    return Page(limit, offset)


def _sort(sorts: Any) -> Any:
    return Query(max_length=40, description=f"Sort by one of: {', '.join(sorts)}; a - in front sorts descending "
                                            "(-goldstein). Ties keep the default order.")


# Parameter types shared by several endpoints (module level: FastAPI resolves the annotations here).
Filters = Annotated[query.EventFilter, Depends(event_filters)]
CommonFilters = Annotated[Common, Depends(common_filters)]
Paging = Annotated[Page, Depends(page)]
Format = Annotated[Optional[Literal["csv", "json"]], Query(alias="format", description=(
    "Download every matching row as a file instead of a page: csv (RFC 4180, UTF-8, a header row) or json "
    "(an array of rows). Accept: text/csv asks for csv too."))]
ArticleId = Annotated[Optional[str], _text("Article id, or its first characters.")]
PersonName = Annotated[str, PathParam(max_length=MAX_TEXT, description="A person's canonical name (any case).")]
Code = Annotated[str, PathParam(max_length=MAX_TEXT, description="CAMEO actor code (RUSGOV).")]
Period = Annotated[Literal["day", "month", "year"], Query(description="Period to count events by.")]
EventSort = Annotated[Optional[str], _sort(query.EVENT_SORTS)]
DyadSort = Annotated[Optional[str], _sort(query.DYAD_SORTS)]
ListingBody = Union[PageBody, list[Row]]


async def _listing(run: Runner, request: Request, name: str, p: Page, fmt: Optional[str], sort: Optional[str],
                   **kwargs: Any) -> Response:
    """A page of the listing ``name`` with its total, or (``format``, Accept) a download of every row."""
    kind = wanted(fmt, request)
    if kind:
        info = await run(query.download_info, name, sort=sort, **kwargs)  # a bad filter answers 400 here
        rows = query.stream(run.db, name, sort=sort, limit=p.limit, offset=p.offset, **kwargs)
        return download(rows, info["columns"], kind, name, info["total"])
    body = await run(query.listing, name, sort=sort, limit=p.rows, offset=p.offset, **kwargs)
    return ApiJSON({"items": body["items"], "total": body["total"], "limit": p.rows, "offset": p.offset,
                    "more": p.offset + len(body["items"]) < body["total"], "sort": sort or None,
                    "matched": body["matched"]})


def _rows_or_file(request: Request, fmt: Optional[str], name: str, body: dict[str, Any], columns: tuple[str, ...]
                  ) -> Response:
    """An aggregate's answer, or (``format``, Accept) its rows as a file."""
    kind = wanted(fmt, request)
    if kind:
        items = body["items"]
        return download(items, list(items[0]) if items else columns, kind, name, len(items))
    return ApiJSON(body)


def router(run: Runner, cameo: list[dict[str, Any]]) -> APIRouter:
    """The /api routes over the store ``run`` reads; ``cameo`` is the CAMEO code table served at /api/cameo."""
    api = APIRouter(prefix="/api", responses=ERROR_RESPONSES, default_response_class=ApiJSON)

    @api.get("/stats", responses=ok(Row), tags=["store"])
    async def stats() -> ApiJSON:
        """Counts per table, stories and duplicates, the date range, sources, runs and rejections."""
        return ApiJSON(await run(query.stats))

    @api.get("/articles", responses=ok(ListingBody, csv=True), tags=["articles"])
    async def articles(
        request: Request, p: Paging,
        source: Annotated[Optional[str], _text("Publisher: a domain (themoscowtimes.com) or agency (AFP).")] = None,
        since: Annotated[Optional[str], _text("Published on or after (YYYY-MM-DD).")] = None,
        until: Annotated[Optional[str], _text("Published on or before (YYYY-MM-DD).")] = None,
        contains: Annotated[Optional[str], _text("Title or text contains this (case-insensitive).")] = None,
        id: Annotated[Optional[str], _text("Article id, or its first characters.")] = None,
        theme: Annotated[Optional[str], _text("The article has this theme (DIPLOMACY, PROTEST).")] = None,
        min_tone: Annotated[Optional[float], Query(ge=-100, le=100, description="Tone at least.")] = None,
        max_tone: Annotated[Optional[float], Query(ge=-100, le=100, description="Tone at most.")] = None,
        min_confidence: Annotated[Optional[float], Query(ge=0.0, le=1.0, description=(
            "The article reports an event coded with at least this confidence."))] = None,
        date_precision: Annotated[Optional[Literal["day", "month", "year", "reported"]], Query(description=(
            "The article reports an event dated this precisely."))] = None,
        sort: Annotated[Optional[str], _sort(query.ARTICLE_SORTS)] = None,
        fmt: Format = None,
    ) -> Response:
        """Stored articles, newest first (without their text)."""
        return await _listing(run, request, "articles", p, fmt, sort, source=source, since=since, until=until,
                              contains=contains, id=id, theme=theme, min_tone=min_tone, max_tone=max_tone,
                              min_confidence=min_confidence, date_precision=date_precision)

    @api.get("/articles/{article_id}", responses=ok(Row), tags=["articles"])
    async def article(article_id: Annotated[str, PathParam(max_length=MAX_ID, description="Article id or a prefix.")]
                      ) -> ApiJSON:
        """One article: its text and everything extracted from it (entities and mentions, quotes with their
        speakers, events with their evidence sentences, places, dates, themes, amounts, its story)."""
        return ApiJSON(await run(query.article, article_id))

    @api.get("/events", responses=ok(ListingBody, csv=True), tags=["events"])
    async def events(request: Request, f: Filters, p: Paging, article: ArticleId = None, sort: EventSort = None,
                     fmt: Format = None) -> Response:
        """Deduplicated events, newest first, with how many mentions, sources and articles reported each.
        Each side says what kind of actor it is (`source_kind`: person, code or generic) and its one name
        (`source_actor`: "Russia (government)" where `source_name`, the name it was coded with, says "Kremlin").
        `date_precision` says how the date is known: reported means only by its earliest report's publication."""
        return await _listing(run, request, "events", p, fmt, sort, article=article, **asdict(f))

    @api.get("/events/{event_id}", responses=ok(Row), tags=["events"])
    async def event(event_id: Annotated[str, PathParam(max_length=24, description="Event id (a whole number).")]
                    ) -> ApiJSON:
        """One deduplicated event with every mention of it (article, sentence, confidence)."""
        return ApiJSON(await run(query.event, event_id))

    @api.get("/reports", responses=ok(ListingBody, csv=True), tags=["events"])
    async def reports(
        request: Request, f: Filters, p: Paging, article: ArticleId = None,
        include_negated: Annotated[bool, Query(description="Also list negated events (did not attack).")] = False,
        sort: Annotated[Optional[str], _sort(query.REPORT_SORTS)] = None, fmt: Format = None,
    ) -> Response:
        """Every coded report (one sentence of one article) before deduplication, newest first."""
        return await _listing(run, request, "reports", p, fmt, sort, article=article, include_negated=include_negated,
                              **asdict(f))

    @api.get("/dyad", responses=ok(Union[DyadBody, list[Row]], csv=True), tags=["events"])
    async def dyad(
        request: Request, c: CommonFilters, p: Paging,
        a: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description=f"One actor: {ACTOR_HELP}")],
        b: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="The other actor, read as a is.")],
        by: Period = "month", sort: DyadSort = None, fmt: Format = None,
    ) -> Response:
        """The events between two actors, both ways: per direction (`a_to_b`, `b_to_a`) its events, mentions,
        cooperation, conflict and average Goldstein score; a timeline by `by` (quad classes, and each
        direction's events and average Goldstein score); the event-type mix (events each way per CAMEO root);
        and a page of the events themselves, each with its `direction` (a download has them all)."""
        filters = asdict(c)
        if wanted(fmt, request):
            return await _listing(run, request, "dyad_events", p, fmt, sort, a=a, b=b, **filters)
        summary, rows = await asyncio.gather(
            run(query.dyad, a=a, b=b, by=by, **filters),
            run(query.listing, "dyad_events", sort=sort, limit=p.rows, offset=p.offset, a=a, b=b, **filters))
        return ApiJSON({**summary, "items": rows["items"], "limit": p.rows, "offset": p.offset,
                        "more": p.offset + len(rows["items"]) < rows["total"], "sort": sort or None})

    @api.get("/timeline", responses=ok(Union[TimelineBody, list[Row]], csv=True), tags=["events"])
    async def timeline(request: Request, f: Filters, by: Period = "day", fmt: Format = None) -> Response:
        """Events per period by quad class, with mentions and the average Goldstein score. One counting rule
        whatever the period (`rule`): a period counts the events whose date lies in it, so by day the events
        dated to the day, by month those dated to the day or month, by year every dated event; the others are
        counted in `coarser` (and `undated`). `range` is where the data is: periods outside it are marked
        `outlier` (an article recalling 1947) and their events counted in `outliers`."""
        body = await run(query.timeline_view, by=by, **asdict(f))
        return _rows_or_file(request, fmt, "timeline", body, TIMELINE_COLUMNS)

    @api.get("/network", responses=ok(Union[NetworkBody, list[Row]], csv=True), tags=["events"])
    async def network(
        request: Request, f: Filters,
        min_events: Annotated[int, Query(ge=1, le=query.MAX_LIMIT, description="Only pairs with this many events.")] = 1,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most this many pairs (1-{MAX_PAGE}).")] = 100,
        fmt: Format = None,
    ) -> Response:
        """Actor pairs (source → target) weighted by events and Goldstein score, the strongest first: the top
        `limit` of `total` pairs (`cut` when some were left out). A node is a person (`source_kind` person, by
        name), a code under its one name (`source_name` "United States (government)"; its people are nodes of
        their own), or a group with no country ("soldiers", MIL), kept apart per article; `source_key`
        identifies it, and as an actor filter (or a dyad's side) matches exactly the pair's events."""
        body = await run(query.network_view, min_events=min_events, limit=limit, **asdict(f))
        return _rows_or_file(request, fmt, "network", body, NETWORK_COLUMNS)

    @api.get("/places", responses=ok(Union[PlacesBody, list[Row]], csv=True), tags=["events"])
    async def places(
        request: Request, f: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most this many places (1-{MAX_PAGE}).")] = MAX_PAGE,
        fmt: Format = None,
    ) -> Response:
        """Places where events happened, with coordinates, event counts and the average Goldstein score; each
        place's `level` is point (a city or site) or country (the place is a whole country; `iso_numeric` is
        its outline's id). `coverage` says how many of the matching events are at a point, at country level,
        and nowhere on a map (`unplaced`)."""
        body = await run(query.places_view, limit=limit, **asdict(f))
        return _rows_or_file(request, fmt, "places", body, PLACE_COLUMNS)

    @api.get("/quotes", responses=ok(ListingBody, csv=True), tags=["quotes"])
    async def quotes(
        request: Request, p: Paging,
        speaker: Annotated[Optional[str], _text("Speaker name (any part) or actor code prefix.")] = None,
        contains: Annotated[Optional[str], _text("Full-text search of the quote (every word).")] = None,
        kind: Annotated[Optional[Literal["direct", "partial", "indirect"]], Query(description="Kind of quote.")] = None,
        article: ArticleId = None,
        person: Annotated[Optional[str], _text("One person's quotes: their canonical name, exactly (any case).")] = None,
        actor: Annotated[Optional[str], _text(f"The speaker as an actor: {ACTOR_HELP}")] = None,
        since: Annotated[Optional[str], _text("The quote's date on or after (YYYY-MM-DD).")] = None,
        until: Annotated[Optional[str], _text("The quote's date on or before (YYYY-MM-DD).")] = None,
        sort: Annotated[Optional[str], _sort(query.QUOTE_SORTS)] = None, fmt: Format = None,
    ) -> Response:
        """Attributed quotes, newest first, each with its speaker's kind and one name (`speaker_kind`, `speaker_actor`)."""
        return await _listing(run, request, "quotes", p, fmt, sort, speaker=speaker, contains=contains, kind=kind,
                              article=article, person=person, actor=actor, since=since, until=until)

    @api.get("/actors", responses=ok(ListingBody, csv=True), tags=["actors"])
    async def actors(request: Request, p: Paging,
                     contains: Annotated[Optional[str], _text("Name or code contains this.")] = None,
                     sort: Annotated[Optional[str], _sort(query.ACTOR_SORTS)] = None, fmt: Format = None) -> Response:
        """Resolved actors by how many articles mention them: people (`kind` person, by name, with their code and
        country), codes under one name each (`kind` code: "United States (government)", never "Washington" or
        one of its people), and groups with no country (`kind` generic)."""
        return await _listing(run, request, "actors", p, fmt, sort, contains=contains)

    @api.get("/suggest", responses=ok(ItemsBody), tags=["actors"])
    async def suggest(
        q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="What has been typed so far.")],
        limit: Annotated[int, Query(ge=1, le=50, description="At most this many suggestions.")] = 10,
    ) -> ApiJSON:
        """Actors of the store for an actor filter being typed, best first: `value` (what to filter by),
        `label`, `kind`, `code`, `articles`."""
        return ApiJSON({"items": await run(query.suggest_actors, q=q, limit=limit)})

    @api.get("/actors/{code}", responses=ok(Row), tags=["actors"])
    async def actor(code: Code) -> ApiJSON:
        """One code: its one name, country, articles, and the people given it (each has a page of their own)."""
        return ApiJSON(await run(query.actor, code=code))

    @api.get("/actors/{code}/summary", responses=ok(Row), tags=["actors"])
    async def actor_summary(code: Code) -> ApiJSON:
        """A code at a glance (the code and the codes under it): events per month as source and as target, the
        cooperation/conflict mix, the main partners (network nodes: `key` is a dyad's other side) and the most
        reported quotes."""
        return ApiJSON(await run(query.actor_summary, code=code))

    @api.get("/people/{name}", responses=ok(Row), tags=["actors"])
    async def person(name: PersonName) -> ApiJSON:
        """One person: their name, commonest code and country, articles, and each code they were given. Their
        events: `/api/events?actor_person=...`; their quotes: `/api/quotes?person=...`."""
        return ApiJSON(await run(query.actor, person=name))

    @api.get("/people/{name}/summary", responses=ok(Row), tags=["actors"])
    async def person_summary(name: PersonName) -> ApiJSON:
        """A person at a glance: as `/api/actors/{code}/summary`, for their own events and quotes."""
        return ApiJSON(await run(query.actor_summary, person=name))

    @api.get("/search", responses=ok(SearchBody), tags=["search"])
    async def search(
        q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Words to look for.")],
        limit: Annotated[int, Query(ge=1, le=MAX_SEARCH, description=f"Results of each kind (1-{MAX_SEARCH}).")] = 10,
    ) -> ApiJSON:
        """Articles whose title or text contains q; quotes that contain its words or whose speaker it names
        (those found by their words first); actors whose name or code matches it."""
        words = q.strip()
        if not words:
            raise QueryError("q must contain something to search for")
        found_articles, by_text, by_speaker, found_actors = await asyncio.gather(
            run(query.articles, contains=words, limit=limit), run(query.quotes, contains=words, limit=limit),
            run(query.quotes, speaker=words, limit=limit), run(query.actors, contains=words, limit=limit))
        seen: set[tuple[str, int]] = set()
        found_quotes = []
        for row in by_text + by_speaker:
            key = (row["article_id"], row["quote_idx"])
            if key not in seen:
                seen.add(key)
                found_quotes.append(row)
        return ApiJSON({"q": words, "articles": found_articles, "quotes": found_quotes[:limit], "actors": found_actors})

    @api.get("/themes", responses=ok(ItemsBody), tags=["articles"])
    async def themes() -> ApiJSON:
        """The themes articles were given, with how many articles have each (the `theme` filter's values)."""
        return ApiJSON({"items": await run(query.themes)})

    @api.get("/rejected", responses=ok(ListingBody, csv=True), tags=["store"])
    async def rejected(request: Request, p: Paging,
                       sort: Annotated[Optional[str], _sort(query.REJECTED_SORTS)] = None,
                       fmt: Format = None) -> Response:
        """Inputs that could not be used, with the reason, newest first."""
        return await _listing(run, request, "rejected", p, fmt, sort)

    @api.get("/cameo", responses=ok(ItemsBody), tags=["events"])
    async def cameo_codes() -> ApiJSON:
        """The CAMEO event codes: code, name, root, quad class, Goldstein score, PLOVER type."""
        return ApiJSON({"items": cameo})

    return api
