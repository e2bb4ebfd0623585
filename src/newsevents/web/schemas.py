"""The shapes of the JSON API's answers, for the OpenAPI document (``/openapi.json``).

The endpoints return rows as the query layer gives them (``newsevents.query``); these models describe the
envelope every answer has — a page of rows, a list of rows, one object, or an error — so that a client, or a
contract test (schemathesis, in the tests), can check an answer against the schema. A row is an object whose
columns the endpoint's description and ``newsevents.query`` document.
"""

from __future__ import annotations

from typing import Any

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
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
    more: bool = Field(description="Whether a next page exists.")


class ItemsBody(_Strict):
    items: list[Row]


class TimelineBody(_Strict):
    by: str = Field(description="day, month or year")
    items: list[Row]


class SearchBody(_Strict):
    q: str
    articles: list[Row]
    quotes: list[Row]
    actors: list[Row]


def ok(model: Any) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for an endpoint whose 200 answer is ``model``."""
    return {200: {"model": model, "description": "The answer."}}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad parameter."},
    404: {"model": ErrorBody, "description": "An unknown id."},
    503: {"model": ErrorBody, "description": "The store cannot be read (damaged: run 'newsevents verify'), the "
                                             "query ran past the time limit, or the server is busy."},
}

__all__ = ["ErrorBody", "PageBody", "ItemsBody", "TimelineBody", "SearchBody", "ok", "ERROR_RESPONSES", "Row"]
