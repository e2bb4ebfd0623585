"""The JSON API under /api: one thin endpoint per function of ``newsevents.query``, with the CLI's filters.

Each endpoint checks its parameters' types and ranges (FastAPI), calls one query function in a worker thread
under a time limit, and returns its rows. Listings come as a page::

    {"items": [...], "limit": 50, "offset": 0, "more": true}      # more: a next page exists

There is no endpoint that takes SQL: every filter reaches DuckDB as a bound parameter (see query.py).
A bad value answers 400 ``{"error": "..."}``, an unknown article or event id 404, an unreadable store 503.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any, Callable, Literal, Optional, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi import Path as PathParam

from .. import query
from ..errors import QueryError
from .encoding import ApiJSON
from .schemas import ERROR_RESPONSES, ItemsBody, PageBody, Row, SearchBody, TimelineBody, ok

T = TypeVar("T")

# The most rows one request returns. A page the browser renders at once; a client that wants the whole
# store pages with offset (or uses the CLI's export), so no single request holds a worker for long.
MAX_PAGE = 500
# The most results of each kind /api/search returns: a search page shows the top hits, not listings.
MAX_SEARCH = 100
# Longest accepted filter value. Names, codes and search words are far shorter; anything longer is a
# mistake or an attack, refused before it reaches the database.
MAX_TEXT = 200
# Longest article id accepted (ids are 24 hex digits; a prefix is accepted too).
MAX_ID = 64



@dataclass(frozen=True)
class Runner:
    """Runs query functions over one store in a thread pool, each under a time limit.

    A query that runs past ``timeout`` answers 503 at once; its thread finishes on its own and its result is
    dropped (a running DuckDB query cannot be interrupted from outside its connection). The pool's size bounds
    how many queries run at once: requests beyond it wait, and answer 503 if they wait past the limit.
    """

    db: Path
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


def event_filters(
    actor: Annotated[Optional[str], _text("Source actor: a CAMEO code or its start, in capitals (RUS, USAGOV), or part of a name.")] = None,
    target: Annotated[Optional[str], _text("Target actor: a CAMEO code or its start, in capitals, or part of a name.")] = None,
    root: Annotated[Optional[str], _text("CAMEO root code, 01-20 (03 intent to cooperate, 19 fight).")] = None,
    quad: Annotated[Optional[str], _text("Quad class: 1 verbal cooperation, 2 material cooperation, "
                                         "3 verbal conflict, 4 material conflict.")] = None,
    since: Annotated[Optional[str], _text("Event date on or after (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], _text("Event date on or before (YYYY-MM-DD).")] = None,
    place: Annotated[Optional[str], _text("Where: ISO country code (SA), place name or GeoNames id.")] = None,
    actor_person: Annotated[Optional[str], _text("Source is this person: their canonical name, exactly (any case).")] = None,
    target_person: Annotated[Optional[str], _text("Target is this person: their canonical name, exactly (any case).")] = None,
    min_confidence: Annotated[Optional[float], Query(ge=0.0, le=1.0, description=(
        "Only events coded with at least this confidence (0-1; calibrated: of the events at 0.8, about 80% "
        "are right)."))] = None,
) -> query.EventFilter:
    """The CLI's event filters as query parameters (checked by ``query.EventFilter`` when the query runs)."""
    return query.EventFilter(actor, target, root, quad, since, until, place, actor_person, target_person,
                             min_confidence)


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def page(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Rows per page (1-{MAX_PAGE}).")] = 50,
    offset: Annotated[int, Query(ge=0, le=query.MAX_OFFSET, description="Rows to skip (paging).")] = 0,
) -> Page:
    return Page(limit, offset)


# Parameter types shared by several endpoints (module level: FastAPI resolves the annotations here).
Filters = Annotated[query.EventFilter, Depends(event_filters)]
Paging = Annotated[Page, Depends(page)]
ArticleId = Annotated[Optional[str], _text("Article id, or its first characters.")]
PersonName = Annotated[str, PathParam(max_length=MAX_TEXT, description="A person's canonical name (any case).")]


async def _page(run: Runner, fn: Callable[..., list[dict[str, Any]]], p: Page, **kwargs: Any) -> ApiJSON:
    """One page of a listing; asks for one row more than the page to tell whether a next page exists."""
    rows = await run(fn, limit=p.limit + 1, offset=p.offset, **kwargs)
    return ApiJSON({"items": rows[: p.limit], "limit": p.limit, "offset": p.offset, "more": len(rows) > p.limit})


def router(run: Runner, cameo: list[dict[str, Any]]) -> APIRouter:
    """The /api routes over the store ``run`` reads; ``cameo`` is the CAMEO code table served at /api/cameo."""
    api = APIRouter(prefix="/api", responses=ERROR_RESPONSES, default_response_class=ApiJSON)

    @api.get("/stats", responses=ok(Row), tags=["store"])
    async def stats() -> ApiJSON:
        """Counts per table, stories and duplicates, the date range, sources, runs and rejections."""
        return ApiJSON(await run(query.stats))

    @api.get("/articles", responses=ok(PageBody), tags=["articles"])
    async def articles(
        p: Paging,
        source: Annotated[Optional[str], _text("Publisher: a domain (themoscowtimes.com) or agency (AFP).")] = None,
        since: Annotated[Optional[str], _text("Published on or after (YYYY-MM-DD).")] = None,
        until: Annotated[Optional[str], _text("Published on or before (YYYY-MM-DD).")] = None,
        contains: Annotated[Optional[str], _text("Title or text contains this (case-insensitive).")] = None,
        id: Annotated[Optional[str], _text("Article id, or its first characters.")] = None,
    ) -> ApiJSON:
        """Stored articles, newest first (without their text)."""
        return await _page(run, query.articles, p, source=source, since=since, until=until, contains=contains, id=id)

    @api.get("/articles/{article_id}", responses=ok(Row), tags=["articles"])
    async def article(article_id: Annotated[str, PathParam(max_length=MAX_ID, description="Article id or a prefix.")]
                      ) -> ApiJSON:
        """One article: its text and everything extracted from it (entities and mentions, quotes with their
        speakers, events with their evidence sentences, places, dates, themes, amounts, its story)."""
        return ApiJSON(await run(query.article, article_id))

    @api.get("/events", responses=ok(PageBody), tags=["events"])
    async def events(f: Filters, p: Paging, article: ArticleId = None) -> ApiJSON:
        """Deduplicated events, newest first, with how many mentions, sources and articles reported each.
        Each side says what kind of actor it is (`source_kind`: person, code or generic) and its one name
        (`source_actor`: "Russia (government)" where `source_name`, the name it was coded with, says "Kremlin")."""
        return await _page(run, query.events, p, article=article, **asdict(f))

    @api.get("/events/{event_id}", responses=ok(Row), tags=["events"])
    async def event(event_id: Annotated[str, PathParam(max_length=24, description="Event id (a whole number).")]
                    ) -> ApiJSON:
        """One deduplicated event with every mention of it (article, sentence, confidence)."""
        return ApiJSON(await run(query.event, event_id))

    @api.get("/reports", responses=ok(PageBody), tags=["events"])
    async def reports(
        f: Filters, p: Paging, article: ArticleId = None,
        include_negated: Annotated[bool, Query(description="Also list negated events (did not attack).")] = False,
    ) -> ApiJSON:
        """Every coded report (one sentence of one article) before deduplication, newest first."""
        return await _page(run, query.reports, p, article=article, include_negated=include_negated, **asdict(f))

    @api.get("/timeline", responses=ok(TimelineBody), tags=["events"])
    async def timeline(
        f: Filters,
        by: Annotated[Literal["day", "month", "year"], Query(description="Period to count events by.")] = "day",
    ) -> ApiJSON:
        """Events per period by quad class, with mentions and the average Goldstein score."""
        return ApiJSON({"by": by, "items": await run(query.timeline, by=by, **asdict(f))})

    @api.get("/network", responses=ok(ItemsBody), tags=["events"])
    async def network(
        f: Filters,
        min_events: Annotated[int, Query(ge=1, le=query.MAX_LIMIT, description="Only pairs with this many events.")] = 1,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most this many pairs (1-{MAX_PAGE}).")] = 100,
    ) -> ApiJSON:
        """Actor pairs (source → target) weighted by events and Goldstein score, the strongest first. A node is a
        person (`source_kind` person, by name), a code under its one name (`source_name` "United States
        (government)"; its people are nodes of their own), or a group with no country ("soldiers", MIL), kept
        apart per article; `source_key` identifies it."""
        return ApiJSON({"items": await run(query.network, min_events=min_events, limit=limit, **asdict(f))})

    @api.get("/places", responses=ok(ItemsBody), tags=["events"])
    async def places(
        f: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most this many places (1-{MAX_PAGE}).")] = MAX_PAGE,
    ) -> ApiJSON:
        """Places where events happened, with coordinates, event counts and the average Goldstein score."""
        return ApiJSON({"items": await run(query.places, limit=limit, **asdict(f))})

    @api.get("/quotes", responses=ok(PageBody), tags=["quotes"])
    async def quotes(
        p: Paging,
        speaker: Annotated[Optional[str], _text("Speaker name (any part) or actor code prefix.")] = None,
        contains: Annotated[Optional[str], _text("Full-text search of the quote (every word).")] = None,
        kind: Annotated[Optional[Literal["direct", "partial", "indirect"]], Query(description="Kind of quote.")] = None,
        article: ArticleId = None,
        person: Annotated[Optional[str], _text("One person's quotes: their canonical name, exactly (any case).")] = None,
    ) -> ApiJSON:
        """Attributed quotes, newest first, each with its speaker's kind and one name (`speaker_kind`, `speaker_actor`)."""
        return await _page(run, query.quotes, p, speaker=speaker, contains=contains, kind=kind, article=article,
                           person=person)

    @api.get("/actors", responses=ok(PageBody), tags=["actors"])
    async def actors(p: Paging, contains: Annotated[Optional[str], _text("Name or code contains this.")] = None
                     ) -> ApiJSON:
        """Resolved actors by how many articles mention them: people (`kind` person, by name, with their code and
        country), codes under one name each (`kind` code: "United States (government)", never "Washington" or
        one of its people), and groups with no country (`kind` generic)."""
        return await _page(run, query.actors, p, contains=contains)

    @api.get("/actors/{code}", responses=ok(Row), tags=["actors"])
    async def actor(code: Annotated[str, PathParam(max_length=MAX_TEXT, description="CAMEO actor code (RUSGOV).")]
                    ) -> ApiJSON:
        """One code: its one name, country, articles, and the people given it (each has a page of their own)."""
        return ApiJSON(await run(query.actor, code=code))

    @api.get("/people/{name}", responses=ok(Row), tags=["actors"])
    async def person(name: PersonName) -> ApiJSON:
        """One person: their name, commonest code and country, articles, and each code they were given. Their
        events: `/api/events?actor_person=...`; their quotes: `/api/quotes?person=...`."""
        return ApiJSON(await run(query.actor, person=name))

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

    @api.get("/rejected", responses=ok(PageBody), tags=["store"])
    async def rejected(p: Paging) -> ApiJSON:
        """Inputs that could not be used, with the reason, newest first."""
        return await _page(run, query.rejected, p)

    @api.get("/cameo", responses=ok(ItemsBody), tags=["events"])
    async def cameo_codes() -> ApiJSON:
        """The CAMEO event codes: code, name, root, quad class, Goldstein score, PLOVER type."""
        return ApiJSON({"items": cameo})

    return api
