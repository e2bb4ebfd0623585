"""The shapes of the JSON API's answers, for the OpenAPI document (``/openapi.json``).

The endpoints return rows as the query layer gives them (``newsevents.query``); these models describe the
envelope every answer has — a page of rows, a list of rows, one object, or an error — so that a client, or a
contract test (schemathesis, in the tests), can check an answer against the schema. A row is an object whose
columns the endpoint's description and ``newsevents.query`` document.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

Row = dict[str, Any]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorBody(_Strict):
    """Every error: 400 a bad parameter, 404 an unknown id or path, 405 a method other than GET, 503 the store
    cannot be read, a query ran past the time limit, or the server is busy (with ``Retry-After``)."""

    error: str = Field(description="What is wrong, in one line.")


class PageBody(_Strict):
    """One page of a listing."""

    items: list[Row]
    total: int = Field(ge=0, description="How many rows match (on every page).")
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
    more: bool = Field(description="Whether a next page exists.")
    sort: Optional[str] = Field(description="The sort asked for (null: the listing's default order).")
    matched: dict[str, Any] = Field(description="What each actor and place filter was taken to mean.")


class ItemsBody(_Strict):
    items: list[Row]


class TimelineBody(_Strict):
    by: str = Field(description="day, month or year")
    items: list[Row]
    total: int = Field(ge=0, description="The events the periods count.")
    coarser: int = Field(ge=0, description="Events dated less precisely than the period (not in any period).")
    undated: int = Field(ge=0, description="Events with no date.")
    outliers: int = Field(ge=0, description="Events in periods outside the dense range.")
    range: Optional[dict[str, str]] = Field(description="{from, to}: where the data is (null: no dated events).")
    rule: str = Field(description="How periods count events.")
    matched: dict[str, Any]


class _Top(_Strict):
    """The rows of an aggregate, the strongest first, up to a limit."""

    items: list[Row]
    total: int = Field(ge=0, description="The rows there are.")
    cut: bool = Field(description="Whether rows past the limit were left out.")
    matched: dict[str, Any]


class NetworkBody(_Top):
    limit: int = Field(ge=1)


class PlacesBody(_Top):
    coverage: dict[str, int] = Field(description="Of the matching events: events, point, country, unplaced.")


class DyadBody(_Strict):
    """Two actors, both ways: the summary and a page of the events between them."""

    a: Row
    b: Row
    total: int = Field(ge=0)
    directions: dict[str, Row] = Field(description="a_to_b and b_to_a: events, mentions, cooperation, conflict, "
                                                   "avg_goldstein.")
    by: str
    timeline: list[Row]
    coarser: int = Field(ge=0)
    types: list[Row]
    matched: dict[str, Any]
    items: list[Row]
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
    more: bool
    sort: Optional[str]


class SearchBody(_Strict):
    q: str
    articles: list[Row]
    quotes: list[Row]
    actors: list[Row]


def ok(model: Any, csv: bool = False) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for an endpoint whose 200 answer is ``model``; ``csv``: or, asked for, a CSV file."""
    answer: dict[str, Any] = {"model": model, "description": "The answer."}
    if csv:
        answer["content"] = {"text/csv": {"schema": {"type": "string"}}}
    return {200: answer}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad parameter."},
    404: {"model": ErrorBody, "description": "An unknown id."},
    503: {"model": ErrorBody, "description": "The store cannot be read (damaged: run 'newsevents verify'), the "
                                             "query ran past the time limit, or the server is busy."},
}

__all__ = ["ErrorBody", "PageBody", "ItemsBody", "TimelineBody", "NetworkBody", "PlacesBody", "DyadBody", "SearchBody",
           "ok", "ERROR_RESPONSES", "Row"]
