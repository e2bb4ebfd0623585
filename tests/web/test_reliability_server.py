"""The web server under bursts and with a damaged store (issue #18, items 3, 8 and 9): JSON errors with the
security headers, never a turned-away burst, no server paths in messages, Allow on 405, response schemas."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from newsevents import Pipeline, ingest
from newsevents.store import SCHEMA_BATCH, Store
from newsevents.web import create_app
from newsevents.web.app import KEEP_ALIVE, MAX_ACTIVE_REQUESTS, MAX_CONNECTIONS
from newsevents.web.security import CONTENT_SECURITY_POLICY, LOOPBACK_HOSTS
from tests.web.conftest import free_port

BURST = 200


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Talks\n\nThe Russian president met the Chinese premier in Beijing.\n")
    db = tmp_path / "store" / "w.duckdb"
    ingest([corpus], db, pipeline=Pipeline([]))
    return db


def _serve(db: Path, **kwargs: Any) -> tuple[str, Any, threading.Thread]:
    """uvicorn on 127.0.0.1 with the settings ``serve`` uses, in a thread."""
    import uvicorn

    port = free_port()
    app = create_app(db, allowed_hosts=LOOPBACK_HOSTS, **kwargs)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_keep_alive=KEEP_ALIVE, limit_concurrency=MAX_CONNECTIONS,
                                           backlog=2048))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def _stop(server: Any, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(15)


def test_a_burst_of_200_connections_is_answered_not_turned_away(small_db: Path) -> None:
    base, server, thread = _serve(small_db)
    barrier = threading.Barrier(BURST, timeout=30)

    def one(_: int) -> httpx.Response:
        with httpx.Client(timeout=30) as client:  # a connection of its own
            barrier.wait()
            return client.get(f"{base}/api/events")

    try:
        with ThreadPoolExecutor(BURST) as pool:
            answers = list(pool.map(one, range(BURST)))
    finally:
        _stop(server, thread)
    ok = [r for r in answers if r.status_code == 200]
    assert len(ok) >= MAX_ACTIVE_REQUESTS, [r.status_code for r in answers]
    for r in answers:
        if r.status_code != 200:
            assert r.status_code == 503 and "error" in r.json() and r.headers.get("retry-after"), r.text
            assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_requests_past_the_limit_wait_then_get_a_json_503_with_retry_after(small_db: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from newsevents import query

    def slow_stats(db: Any) -> dict[str, Any]:
        time.sleep(1.0)
        return {"db": "x"}

    monkeypatch.setattr(query, "stats", slow_stats)
    app = create_app(small_db, max_active=1, queue_wait=0.2)

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await asyncio.gather(*(client.get("/api/stats") for _ in range(3)))

    with ThreadPoolExecutor(1) as thread:  # a loop of its own, whatever loop an earlier test left running here
        answers = thread.submit(asyncio.run, burst()).result(timeout=60)
    assert sorted(r.status_code for r in answers) == [200, 503, 503]
    for r in answers:
        if r.status_code == 503:
            assert r.json()["error"].startswith("the server is busy") and r.headers["retry-after"] == "2"
            assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
            assert r.headers["x-content-type-options"] == "nosniff"


def test_a_damaged_store_answers_503_json_naming_verify_without_server_paths(small_db: Path) -> None:
    batch = next(p for p in Store(small_db).batches.iterdir() if p.name != SCHEMA_BATCH)
    (batch / "entities.parquet").write_bytes(b"PAR1 garbage")
    client = TestClient(create_app(small_db.resolve()))
    for path in ("/api/events", "/api/stats", "/api/articles", "/api/quotes", "/api/rejected"):
        r = client.get(path)
        assert r.status_code == 503, (path, r.text)
        message = r.json()["error"]
        assert "newsevents verify" in message and "damaged" in message
        assert str(small_db.parent) not in message and "/tmp" not in message, message
        assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_405_says_which_methods_are_allowed(small_db: Path) -> None:
    r = TestClient(create_app(small_db)).post("/api/events")
    assert r.status_code == 405 and r.headers["allow"] == "GET" and "error" in r.json()


def test_the_openapi_document_declares_every_answer_body(small_db: Path) -> None:
    spec = TestClient(create_app(small_db)).get("/openapi.json").json()
    for path, item in spec["paths"].items():
        responses = item["get"]["responses"]
        for status in ("200", "400", "404", "503"):
            assert responses[status]["content"]["application/json"]["schema"], (path, status)
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["error"]


# --- contract: every answer matches the OpenAPI document -----------------------------------------------------
schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is in the test extra: pip install -e '.[test]'")


def test_api_answers_match_their_schema(small_db: Path) -> None:
    """schemathesis generates requests for every endpoint from the OpenAPI document (bounded: a few examples
    each, derandomized) and checks each answer: no server error, a documented status, content type and body."""
    from schemathesis import checks

    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(small_db))
    selected = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
                checks.response_schema_conformance]
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(checks=selected)

        check()
        tried += 1
    assert tried == 21
