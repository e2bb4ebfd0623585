"""newsevents watch: feeds and folders polled, what is new ingested once, GDELT-style update files published.

Against a local HTTP server on 127.0.0.1 (``tests/readers/test_web.py``'s, with a feed that grows between
polls and answers 304 to its own ETag). The articles are fictional. The kill test (marked slow) kills
``watch`` processes at random points of their polls and compares the store with an uninterrupted run's.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import random
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pytest
from click.testing import CliRunner

from newsevents import Config, Pipeline, open_store
from newsevents.cli import main
from newsevents.errors import ConfigError
from newsevents.exports import EVENT_COLUMNS, GKG_COLUMNS, MENTION_COLUMNS
from newsevents.readers.web import FETCH_RETRIES
from newsevents.store import Store
from newsevents.watch import (LASTUPDATE, MASTERFILELIST, MAX_POLL_TRIES, STATE_FILE, UPDATES_STATE, parse_interval,
                              poll)
from tests.readers.test_web import _fetched, _Handler, _page, local_server, no_proxy  # noqa: F401 - no_proxy: autouse
from tests.test_cli import _readme_commands

REPO = Path(__file__).resolve().parents[1]

# Fictional reports: who did what to whom, written for these tests.
LIVE = [
    ("Norway and Chile sign fisheries pact", "Norway's foreign minister signed a fisheries agreement with Chile in Oslo on Tuesday, officials said."),
    ("Kenyan police detain protesters", "Police in Kenya arrested 40 protesters outside the embassy of Poland in Nairobi on Wednesday, witnesses said."),
    ("Vietnam and Peru discuss trade", "The president of Vietnam met the foreign minister of Peru in Hanoi on Thursday to discuss rice exports."),
    ("Ghana accuses Austria over loan", "The government of Ghana accused Austria of breaking a promise on a development loan, a spokesman said on Friday."),
    ("Oman hosts shipping talks", "Oman hosted talks between Norway and Kenya on a shipping dispute in Muscat on Monday, diplomats said."),
    ("Poland condemns border raid", "Poland's prime minister condemned an attack by troops from Nepal on a border post on Saturday, his office said."),
]
# dated, so that the events' "on Tuesday" has a day
LIVE_PAGES = {f"/live/{i}.html": _page(title, text).replace(
    b"<head>", b"<head><meta property='article:published_time' content='2025-06-17'>")
    for i, (title, text) in enumerate(LIVE, 1)}
BAD = {  # an entry of /bad.xml -> (the kind it is rejected as, words of the reason)
    "/slow": ("fetch", "timed out after"),
    "/error": ("fetch", "HTTP 500"),
    "/loop-a": ("fetch", "redirect loop"),
    "/private/secret.html": ("robots", "robots.txt"),
    "/huge.html": ("oversized", "52,428,800 bytes"),  # says 50 MB: refused before its body is read
    "/doc.pdf": ("unsupported", "application/pdf"),
}
FAST = Config(fetch_timeout=0.5, fetch_delay=0.0)


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>{i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


class _LiveHandler(_Handler):
    """test_web's server, plus /live.xml (its first ``items`` entries, with an ETag), its pages, /bad.xml."""

    items = 3
    conditional: list[str] = []  # If-None-Match values /live.xml answered 304 to
    served = threading.Event()  # set when /live/1.html has been served

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = self.path.split("?")[0]
        if path == "/live.xml":
            self.log.append((self.path, self.headers.get("User-Agent", "")))
            etag = f'"live-{self.items}"'
            if self.headers.get("If-None-Match") == etag:
                self.conditional.append(etag)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self._send(200, "application/rss+xml", _rss(list(LIVE_PAGES)[:self.items]), {"ETag": etag})
        elif path in LIVE_PAGES:
            self.log.append((self.path, self.headers.get("User-Agent", "")))
            self._send(200, "text/html; charset=utf-8", LIVE_PAGES[path])
            if path == "/live/1.html":
                self.served.set()
        elif path == "/bad.xml":
            self.log.append((self.path, self.headers.get("User-Agent", "")))
            self._send(200, "application/rss+xml", _rss([*BAD, "/news/a1.html"]))
        else:
            super().do_GET()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(_LiveHandler) as url:
        yield url


@pytest.fixture(autouse=True)
def live_items() -> None:
    _LiveHandler.items = 3
    _LiveHandler.conditional.clear()
    _LiveHandler.served = threading.Event()


def _watch_once(*args: str) -> Any:
    result = CliRunner().invoke(main, ["watch", "--once", "--delay", "0", *args])
    assert result.exit_code == 0, result.output
    return result


def _read_gdelt(path: Path, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """A GDELT file as DuckDB's CSV reader reads it: tab-separated, no header, no quoting, GDELT's columns."""
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    con = duckdb.connect()
    try:
        cur = con.execute(f"SELECT * FROM read_csv('{path}', delim='\t', header=false, quote='', escape='', "
                          f"auto_detect=false, columns={spec})")
        names = [d[0] for d in cur.description]
        assert tuple(names) == columns
        return [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def test_parse_interval() -> None:
    assert [parse_interval(s) for s in ("15m", "90s", "1h", "1h30m", "45", "1.5h")] == [900, 90, 3600, 5400, 45, 5400]
    for bad in ("", "soon", "15 minutes", "0s", "-5m"):
        with pytest.raises(ConfigError):
            parse_interval(bad)
    result = CliRunner().invoke(main, ["watch", "--feeds", __file__, "--every", "soon"])
    assert result.exit_code == 2 and "write it as 90s, 15m" in result.output


def test_watch_needs_something_to_watch() -> None:
    result = CliRunner().invoke(main, ["watch", "--once"])
    assert result.exit_code == 2 and "--feeds FILE or --dir DIR" in result.output


@pytest.fixture(scope="module")
def three_polls(server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``watch --once`` three times while the feed gains an entry each time, then once more unchanged."""
    tmp = tmp_path_factory.mktemp("live")
    feeds = tmp / "feeds.txt"
    feeds.write_text(f"# the wire\n{server}/live.xml\n")
    db, updates = tmp / "live.duckdb", tmp / "updates"
    _Handler.log.clear()
    seen: dict[str, Any] = {"db": db, "updates": updates, "stored": [], "lastupdate": []}
    for items in (3, 4, 5, 5):
        _LiveHandler.items = items
        result = _watch_once("--feeds", str(feeds), "--db", str(db), "--export-updates", str(updates))
        seen["stored"].append(result.stdout)
        seen["lastupdate"].append((updates / LASTUPDATE).read_text())
    seen["log"] = list(_Handler.log)
    seen["conditional"] = list(_LiveHandler.conditional)
    return seen


def test_polls_store_each_article_once_and_fetch_none_twice(three_polls: dict[str, Any], server: str) -> None:
    with open_store(three_polls["db"]).connect() as con:
        urls = [r[0] for r in con.execute("SELECT url FROM articles ORDER BY url").fetchall()]
        assert con.execute("SELECT count(*) FROM rejected").fetchone() == (0,)
    assert urls == [f"{server}/live/{i}.html" for i in range(1, 6)]
    log = [p for p, _ in three_polls["log"]]
    assert all(log.count(f"/live/{i}.html") == 1 for i in range(1, 6)), log  # none fetched twice
    assert log.count("/live.xml") == 4
    assert three_polls["conditional"] == ['"live-5"']  # the fourth poll: a 304, nothing downloaded
    assert [int(out.split("stored ", 1)[1].split(",", 1)[0]) for out in three_polls["stored"]] == [3, 1, 1, 0]


def test_update_files_read_back_in_gdelt_columns(three_polls: dict[str, Any], server: str) -> None:
    updates: Path = three_polls["updates"]
    master = (updates / MASTERFILELIST).read_text().splitlines()
    assert len(master) == 9  # three updates of three files; the unchanged poll published nothing
    stamps = sorted({line.split()[2].split(".")[0] for line in master})
    assert len(stamps) == 3 and all(len(s) == 14 and s.isdigit() for s in stamps)
    for line in master:
        size, md5, name = line.split()
        assert (updates / name).stat().st_size == int(size) and _md5(updates / name) == md5
    last = three_polls["lastupdate"][-1].splitlines()
    assert last == master[-3:] and [n.split()[2] for n in last] == [
        f"{stamps[-1]}.export.CSV", f"{stamps[-1]}.mentions.CSV", f"{stamps[-1]}.gkg.csv"]
    assert three_polls["lastupdate"][-2] == three_polls["lastupdate"][-1]  # unchanged poll: no new update
    documents = []
    for stamp, expected in zip(stamps, ([1, 2, 3], [4], [5])):
        gkg = _read_gdelt(updates / f"{stamp}.gkg.csv", GKG_COLUMNS)
        assert sorted(r["V2DOCUMENTIDENTIFIER"] for r in gkg) == [f"{server}/live/{i}.html" for i in expected]
        documents += [r["V2DOCUMENTIDENTIFIER"] for r in gkg]
        mentions = _read_gdelt(updates / f"{stamp}.mentions.CSV", MENTION_COLUMNS)
        assert {m["MentionIdentifier"] for m in mentions} <= set(r["V2DOCUMENTIDENTIFIER"] for r in gkg)
        for event in _read_gdelt(updates / f"{stamp}.export.CSV", EVENT_COLUMNS):
            assert event["SOURCEURL"] in {r["V2DOCUMENTIDENTIFIER"] for r in gkg} and event["EventCode"]
    assert len(documents) == len(set(documents)) == 5
    with open_store(three_polls["db"]).connect() as con:
        stored_mentions = con.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
    assert stored_mentions > 0, "the fictional articles must produce events for this test to mean anything"
    assert sum(len(_read_gdelt(updates / f"{s}.mentions.CSV", MENTION_COLUMNS)) for s in stamps) == stored_mentions
    assert not list(updates.glob(".*.tmp"))


def test_bad_entries_of_a_feed_are_rejected_with_reasons_and_tried_again_only_if_that_may_help(
        server: str, tmp_path: Path) -> None:
    db = tmp_path / "bad.duckdb"
    report = poll(db, feeds=[server + "/bad.xml"], config=FAST, pipeline=Pipeline([]))
    assert (report.links, report.stored) == (len(BAD) + 1, 1)  # /news/a1.html is stored
    with open_store(db).connect() as con:
        rejected = {r[0]: (r[1], r[2]) for r in con.execute("SELECT input, kind, reason FROM rejected").fetchall()}
    for path, (kind, words) in BAD.items():
        assert rejected[server + path][0] == kind and words in rejected[server + path][1], (path, rejected[server + path])
    assert _fetched("/error") == 1 + FETCH_RETRIES and _fetched("/private/secret.html") == 0
    state = json.loads((Store(db).root / STATE_FILE).read_text())["feeds"][server + "/bad.xml"]
    assert sorted(state["pending"]) == [server + "/error", server + "/slow"]  # transient: tried at the next polls
    _Handler.log.clear()
    for number in range(2, MAX_POLL_TRIES + 2):
        report = poll(db, feeds=[server + "/bad.xml"], config=FAST, pipeline=Pipeline([]), number=number)
        assert report.links == (2 if number <= MAX_POLL_TRIES else 0), number
    assert _fetched("/error") == (MAX_POLL_TRIES - 1) * (1 + FETCH_RETRIES)
    assert all(_fetched(p) == 0 for p in ("/loop-a", "/huge.html", "/doc.pdf", "/news/a1.html"))
    with open_store(db).connect() as con:  # tried again, listed once
        assert con.execute("SELECT count(*) FROM rejected").fetchone() == (len(BAD),)


def test_a_feed_that_fails_is_rejected_and_a_page_is_not_a_feed(server: str, tmp_path: Path) -> None:
    db = tmp_path / "feeds.duckdb"
    report = poll(db, feeds=[server + "/missing.xml", server + "/news/a2.html"], config=FAST, pipeline=Pipeline([]))
    assert [(r.kind, r.reason.split(" (")[0]) for r in report.rejections] == [
        ("fetch", "HTTP 404 Not Found"), ("unsupported", "a web page, not an RSS or Atom feed")]
    with open_store(db).connect() as con:
        assert con.execute("SELECT count(*) FROM rejected").fetchone() == (2,)


def test_a_stop_ends_the_poll_after_the_input_being_read_and_the_rest_is_read_next_time(server: str,
                                                                                         tmp_path: Path) -> None:
    db = tmp_path / "stop.duckdb"
    report = poll(db, feeds=[server + "/live.xml"], config=FAST, pipeline=Pipeline([]), stop=_LiveHandler.served)
    assert (report.links, report.stored, report.stopped) == (3, 1, True)  # /live/1.html read, stored; then stopped
    _Handler.log.clear()
    report = poll(db, feeds=[server + "/live.xml"], config=FAST, pipeline=Pipeline([]), number=2)
    assert (report.feeds_unchanged, report.links, report.stored, report.stopped) == (1, 2, 2, False)
    assert _fetched("/live/1.html") == 0 and _fetched("/live/2.html") == _fetched("/live/3.html") == 1


def _article(path: Path, title: str, text: str, age: float = 60.0) -> Path:
    path.write_text(f"{title}\n\n{text}\n")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_a_folder_is_read_once_and_again_only_what_changes(tmp_path: Path) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "dir.duckdb"
    inbox.mkdir()
    _article(inbox / "one.txt", *LIVE[0])
    _article(inbox / "two.txt", *LIVE[1])
    _article(inbox / "new.txt", *LIVE[2], age=0)  # still being written: left for a later poll
    (inbox / "README").write_text("notes about this folder")
    (inbox / "bad.json").write_text('{"text": ')
    os.utime(inbox / "bad.json", (time.time() - 60, time.time() - 60))
    report = poll(db, dirs=[inbox], pipeline=Pipeline([]))
    assert (report.files, report.stored, report.rejected) == (3, 2, 1)
    report = poll(db, dirs=[inbox], pipeline=Pipeline([]), number=2)  # a restart reads nothing twice
    assert (report.files, report.stored, report.rejected, report.ingest) == (0, 0, 0, None)
    _article(inbox / "two.txt", *LIVE[3])  # rewritten: read again
    os.utime(inbox / "new.txt", (time.time() - 60, time.time() - 60))
    report = poll(db, dirs=[inbox], pipeline=Pipeline([]), number=3)
    assert (report.files, report.stored) == (2, 2)
    with open_store(db).connect() as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (4,)
        assert con.execute("SELECT count(*) FROM rejected").fetchone() == (1,)


def test_an_update_folder_belongs_to_one_store(server: str, tmp_path: Path) -> None:
    updates = tmp_path / "updates"
    poll(tmp_path / "a.duckdb", feeds=[server + "/live.xml"], export_dir=updates, config=FAST, pipeline=Pipeline([]))
    with pytest.raises(ConfigError, match="give each database its own update folder"):
        poll(tmp_path / "b.duckdb", feeds=[server + "/live.xml"], export_dir=updates, config=FAST)


def test_a_store_with_articles_before_the_first_update_publishes_only_what_comes_after(server: str,
                                                                                        tmp_path: Path) -> None:
    db, updates = tmp_path / "old.duckdb", tmp_path / "updates"
    poll(db, feeds=[server + "/live.xml"], config=FAST, pipeline=Pipeline([]))
    _LiveHandler.items = 4
    report = poll(db, feeds=[server + "/live.xml"], export_dir=updates, config=FAST, pipeline=Pipeline([]), number=2)
    [update] = report.updates
    gkg = _read_gdelt(update.files[2], GKG_COLUMNS)
    assert [r["V2DOCUMENTIDENTIFIER"] for r in gkg] == [server + "/live/4.html"]


def test_readme_watch_example_runs(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's 'Following the news' command, with --once added (a poll, not a loop), against the local
    server; it is the one README command test_cli's README test leaves to this one."""
    [line] = [c for c in _readme_commands() if c.startswith("newsevents watch")]
    assert line == "newsevents watch --feeds feeds.txt --db news.duckdb --every 15m --export-updates updates/"
    monkeypatch.chdir(tmp_path)
    Path("feeds.txt").write_text(f"{server}/live.xml\n")
    result = CliRunner().invoke(main, [*shlex.split(line)[1:], "--once"])
    assert result.exit_code == 0, result.output
    assert "stored 3" in result.stdout and len((tmp_path / "updates" / LASTUPDATE).read_text().splitlines()) == 3


# --- stopping and crashing -----------------------------------------------------------------------------------
CRASH_FEED = list(LIVE_PAGES)  # all six, and a dead link
KILLS = 6


def _spawn(server_feeds: Path, inbox: Path, db: Path, updates: Path, *extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.Popen(
        [sys.executable, "-m", "newsevents.cli", "watch", "--feeds", str(server_feeds), "--dir", str(inbox),
         "--db", str(db), "--export-updates", str(updates), "--delay", "0", "--batch-size", "2", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def _lines(stream: Any) -> "queue.Queue[str]":
    q: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [q.put(line) for line in stream], daemon=True).start()
    return q


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    queries = {
        "articles": "SELECT id, url, input FROM articles",
        "events": "SELECT article_id, event_idx, source_code, cameo, target_code FROM events",
        "rejected": "SELECT input, reason FROM rejected",
        "canonical_events": "SELECT event_id, num_mentions, num_articles FROM canonical_events",
        "event_mentions": "SELECT event_id, article_id, event_idx FROM event_mentions",
    }
    with Store(db).connect() as con:
        return {name: sorted(con.execute(sql).fetchall()) for name, sql in queries.items()}


def _published(updates: Path) -> list[tuple[str, int]]:
    """Every (document, action offset) of the update files, after checking each file against its MD5."""
    rows = []
    for line in (updates / MASTERFILELIST).read_text().splitlines():
        size, md5, name = line.split()
        assert (updates / name).stat().st_size == int(size) and _md5(updates / name) == md5, line
        if name.endswith(".gkg.csv"):
            rows += [(r["V2DOCUMENTIDENTIFIER"], -1) for r in _read_gdelt(updates / name, GKG_COLUMNS)]
        elif name.endswith(".mentions.CSV"):
            rows += [(r["MentionIdentifier"], int(r["ActionCharOffset"]))
                     for r in _read_gdelt(updates / name, MENTION_COLUMNS)]
    return sorted(rows)


@pytest.mark.slow
def test_sigterm_stops_cleanly_and_kill_9_at_random_points_loses_and_duplicates_nothing(
        server: str, tmp_path: Path) -> None:
    _LiveHandler.items = len(LIVE)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{server}/live.xml\n{server}/missing.xml\n")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _article(inbox / "one.txt", "Chile recalls envoy",
             "Chile recalled its ambassador to Peru on Sunday after a dispute over fishing rights, the ministry said.")
    _article(inbox / "two.txt", "Austria offers aid",
             "Austria offered emergency aid to Nepal after floods on Monday, its foreign minister said.")

    # The uninterrupted run: a watch that polls once, then is stopped by SIGTERM while it waits.
    reference, ref_updates = tmp_path / "reference.duckdb", tmp_path / "ref-updates"
    started = time.monotonic()
    proc = _spawn(feeds, inbox, reference, ref_updates, "--every", "1h")
    out = _lines(proc.stdout)
    first = out.get(timeout=120)
    assert first.startswith("poll 1:") and "stored 8" in first, first
    full_run = time.monotonic() - started
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, proc.stderr.read()
    expected = _snapshot(reference)
    assert len(expected["articles"]) == 8 and len(expected["rejected"]) == 1 and expected["events"]
    assert len(_published(ref_updates)) == len(expected["articles"]) + len(expected["event_mentions"])

    # Killed at random points of polls that have work to do (the feed gains an entry at each start): while
    # reading, storing, rebuilding, publishing; then started again.
    db, updates = tmp_path / "killed.duckdb", tmp_path / "updates"
    rng = random.Random(20)
    marks = ("poll 1:", "stored", "across articles", "quote index", "quote index")  # the last: then publishing
    kills = 0
    for start in range(KILLS * 2):
        _LiveHandler.items = min(len(LIVE), 2 + start)
        proc = _spawn(feeds, inbox, db, updates, "--once")
        err = _lines(proc.stderr)
        mark, deadline = rng.choice(marks), time.monotonic() + full_run + 30
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if mark in err.get(timeout=0.2):
                    break
            except queue.Empty:
                continue
        time.sleep(rng.uniform(0, 0.25))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        if Store(db).exists:  # nothing stored twice, at any point
            with Store(db).connect() as con:
                ids = [r[0] for r in con.execute("SELECT id FROM articles").fetchall()]
            assert len(ids) == len(set(ids))
        if kills >= KILLS or (proc.returncode != -signal.SIGKILL and _LiveHandler.items == len(LIVE)):
            break  # enough kills, or a run finished all there is to do
    assert kills >= 3, f"only {kills} kills landed"
    _LiveHandler.items = len(LIVE)
    final = _spawn(feeds, inbox, db, updates, "--once")
    assert final.wait(timeout=120) == 3, final.stderr.read()  # 3: the dead feed is listed as rejected
    assert _snapshot(db) == expected
    assert _published(updates) == _published(ref_updates)  # each article and mention in exactly one update
    assert not list(updates.glob(".*.tmp")) and json.loads((updates / UPDATES_STATE).read_text())["pending"] is None
