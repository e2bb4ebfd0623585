"""The command line: thin commands over the library (each parses options, calls one function, formats)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable, Optional

import click

from . import __version__, query
from .config import DEFAULT_DB, Config
from .errors import NewsEventsError
from .exports import EXPORT_FORMATS
from .formatting import FORMATS, render, render_mapping, to_json
from .ingest import IngestReport, extract, ingest
from .records import Analysis, Rejection, Skipped, printable

db_option = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB, show_default=True,
    envvar="NEWSEVENTS_DB", help="The database (its Parquet partitions live beside it in DB.parts/).",
)
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                             help="Output as an aligned table, CSV or JSON.")
source_focus_option = click.option(
    "--source-focus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file of sources' home regions (written by 'newsevents sources --out'): ambiguous place names in a "
         "local source's articles are read near its home (an Ohio paper's 'Dublin').")
monadic_option = click.option(
    "--monadic", is_flag=True,
    help="Also code events with one known party: acts whose target the text does not name as an actor ('imposed "
         "a blockade on the ports'), violence by unidentified attackers, and named people and organisations the "
         "knowledge cannot code. Default: dyadic events, both sides placed (a country or an international body).")
limit_option = click.option("--limit", type=click.IntRange(1, query.MAX_LIMIT), default=50, show_default=True,
                            help="At most this many rows.")


offset_option = click.option("--offset", type=click.IntRange(0), default=0, show_default=True,
                             help="Skip this many rows (paging).")


# Exit statuses (README, "Exit codes"). Click itself uses 2 for a wrong option or argument.
EXIT_OK = 0
EXIT_FAILED = 1  # the command failed: nothing (more) was done; the message says why
EXIT_REJECTED = 3  # ingest/extract: the run went through, but some inputs were rejected (listed, with reasons)
EXIT_DAMAGED = 4  # verify: damaged files were found (and not moved aside: no --repair)


def _run(fn: Callable[[], Any]) -> Any:
    """Call into the library; its errors become a one-line message and exit status 1 (never a traceback:
    an OS error the library did not name, or a DuckDB error, is still one line)."""
    import duckdb

    try:
        return fn()
    except NewsEventsError as exc:
        raise click.ClickException(printable(str(exc))) from exc
    except OSError as exc:
        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        raise click.ClickException(f"{where}{exc.strerror or exc}") from exc
    except duckdb.Error as exc:
        raise click.ClickException(f"the database could not be read: {' '.join(str(exc).split())[:300]}") from exc


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsevents")
def main() -> None:
    """newsevents: news articles in, political event data out.

    Read articles (scraped text, JSON/JSONL, HTML, WARC, plain text; files, directories, globs or - for
    stdin), extract who did what to whom, when, where, and who said what, and store it in DuckDB.

    Exit status: 0 success, 1 the command failed (one line says why), 2 a wrong option or argument,
    3 ingest/extract went through but some inputs were rejected, 4 verify found damaged files.
    """


urls_option = click.option(
    "--urls", "urls_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
    help="Also read the http(s) URLs in FILE, one a line (article pages or RSS/Atom feeds; '#' starts a comment).")


def _inputs(paths: tuple[str, ...], urls_file: Optional[Path]) -> list[str]:
    """PATHS followed by the URLs of --urls; at least one input is needed."""
    from .readers.web import urls_from_file

    inputs = list(paths)
    if urls_file is not None:
        try:
            inputs += urls_from_file(urls_file)
        except NewsEventsError as exc:
            raise click.ClickException(str(exc)) from exc
    if not inputs:
        raise click.UsageError("give at least one PATH or URL, or --urls FILE")
    return inputs


@main.command("extract")
@click.argument("paths", nargs=-1)
@click.option("--jsonl", is_flag=True, help="One JSON object per line, even for a single article.")
@urls_option
@source_focus_option
@monadic_option
def extract_cmd(paths: tuple[str, ...], jsonl: bool, urls_file: Optional[Path], source_focus: Optional[Path],
                monadic: bool) -> None:
    """Print the extraction of each article in PATHS as JSON (nothing is stored).

    PATHS are files, directories, globs, '-' (standard input) or http(s) URLs of article pages and RSS/Atom
    feeds. One article prints as one indented JSON object; several print as JSON Lines. Inputs that cannot be
    used are reported on stderr; the exit status is 1 when no article could be extracted.
    """
    paths = tuple(_inputs(paths, urls_file))
    buffered: list[Analysis] = []
    streaming = jsonl
    count = rejected = 0
    try:
        for item in extract(paths, config=Config(source_focus=source_focus, monadic_events=monadic)):
            if isinstance(item, (Rejection, Skipped)):
                _warn(f"{'rejected' if isinstance(item, Rejection) else 'skipped'} {item.input}: {item.reason}")
                rejected += isinstance(item, Rejection)
                continue
            for warning in item.article.warnings:
                _warn(warning)
            count += 1
            if streaming:
                click.echo(to_json(item.to_contract(), indent=None))
                continue
            buffered.append(item)
            if len(buffered) > 1:  # a second article: switch to JSON Lines
                streaming = True
                for b in buffered:
                    click.echo(to_json(b.to_contract(), indent=None))
                buffered.clear()
    except NewsEventsError as exc:
        raise click.ClickException(str(exc)) from exc
    for b in buffered:
        click.echo(to_json(b.to_contract()))
    if count == 0:
        raise click.ClickException("no article could be extracted from the input")
    if rejected:
        sys.exit(EXIT_REJECTED)


@main.command("ingest")
@click.argument("paths", nargs=-1)
@urls_option
@db_option
@click.option("--batch-size", type=click.IntRange(1), default=Config.batch_size, show_default=True,
              help="Articles per committed partition.")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Local worker processes running the pipeline (each loads the model once).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run the pipeline on a Dask cluster: a scheduler (tcp://host:8786) or 'local' for a LocalCluster.")
@click.option("--time-budget", type=click.FloatRange(min=0.1), default=Config.article_time_budget, show_default=True,
              help="Seconds the pipeline may spend on one article before rejecting it as a timeout.")
@source_focus_option
@monadic_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest_cmd(paths: tuple[str, ...], urls_file: Optional[Path], db: Path, batch_size: int, workers: int,
               dask_address: Optional[str], time_budget: float, source_focus: Optional[Path], monadic: bool,
               quiet: bool) -> None:
    """Read PATHS, extract, and store new articles in the database.

    PATHS are files, directories, globs, '-' (standard input) or http(s) URLs of article pages and RSS/Atom
    feeds (fetched politely: robots.txt obeyed, one request at a time, a pause between requests to a host).

    Articles already stored are skipped (an article's id is a hash of its key and content), inputs that
    cannot be used are listed in the 'rejected' table with their reason, and the run goes on. Exit status:
    0 every input stored (or stored before), 3 some inputs were rejected, 1 the run failed.
    """
    from tqdm import tqdm

    paths = tuple(_inputs(paths, urls_file))
    bar = tqdm(unit=" articles", disable=quiet or None, file=sys.stderr, dynamic_ncols=True)

    def progress(kind: str, item: Any, report: IngestReport) -> None:
        if kind == "consolidate":
            bar.set_description(f"across articles: {item}")
            bar.refresh()
        if kind == "rejected":
            tqdm.write(f"warning: rejected {item.input}: {item.reason}", file=sys.stderr)
        if kind in ("warning", "waiting"):
            tqdm.write(f"{kind}: {item}", file=sys.stderr)
        if kind in ("stored", "duplicate", "rejected"):
            bar.update(1)
            bar.set_postfix(stored=report.stored, rejected=report.rejected + report.rejected_again, refresh=False)

    config = Config(batch_size=batch_size, article_time_budget=time_budget, source_focus=source_focus,
                    monadic_events=monadic)
    try:
        report = _run(lambda: ingest(paths, db, config=config, progress=progress, workers=workers, dask=dask_address))
    finally:
        bar.close()
    click.echo(report.summary())
    if report.skips:
        names = ", ".join(Path(s.input).name for s in report.skips[:5])
        click.echo(f"skipped: {names}{' ...' if len(report.skips) > 5 else ''}")
    if report.rejections:
        sys.exit(EXIT_REJECTED)


class _Interval(click.ParamType):
    name = "INTERVAL"

    def convert(self, value: Any, param: Optional[click.Parameter], ctx: Optional[click.Context]) -> float:
        from .watch import parse_interval

        try:
            return parse_interval(value)
        except NewsEventsError as exc:
            self.fail(str(exc), param, ctx)


@main.command("watch")
@click.option("--feeds", "feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="RSS/Atom feed URLs, one a line ('#' starts a comment); read again at every poll, so feeds can be "
                   "added while it runs.")
@click.option("--dir", "dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder to watch for new files (repeatable). A file is read once, and again only if it changes.")
@db_option
@click.option("--every", type=_Interval(), default="15m", show_default=True,
              help="Time from one poll to the next: 90s, 15m, 1h, 1h30m.")
@click.option("--export-updates", "export_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="After each poll that stores articles, write GDELT-style update files of what it added "
                   "(YYYYMMDDHHMMSS.export.CSV, .mentions.CSV, .gkg.csv) to DIR, with lastupdate.txt and "
                   "masterfilelist.txt (size, MD5, file name).")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron); the exit status is as for ingest.")
@click.option("--delay", type=click.FloatRange(min=0), default=Config.fetch_delay, show_default=True,
              help="Seconds between two requests to one host (a longer robots.txt Crawl-delay wins).")
@click.option("--batch-size", type=click.IntRange(1), default=Config.batch_size, show_default=True,
              help="Articles per committed partition.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr (each poll's summary is still printed).")
def watch_cmd(feeds_file: Optional[Path], dirs: tuple[Path, ...], db: Path, every: float, export_dir: Optional[Path],
              once: bool, delay: float, batch_size: int, quiet: bool) -> None:
    """Follow the news: poll feeds and folders, ingest what is new, and publish update files.

    Each poll reads the feeds (an unchanged feed costs a 304) and fetches only entries not stored yet, reads
    the folders' new or changed files, ingests them as 'ingest' does (robots.txt obeyed, a pause between
    requests to a host, retries with back-off), and rebuilds the cross-article tables. What was read is
    remembered in the store, so a restart reads nothing twice; a kill at any point loses nothing.

    Ctrl-C or SIGTERM stops after the input being read (what was read is stored); a second one stops at once
    (safe too: the next start completes what was cut short).
    """
    import signal
    import threading
    from datetime import datetime

    from .watch import watch

    if feeds_file is None and not dirs:
        raise click.UsageError("give --feeds FILE or --dir DIR (or both)")
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        click.echo("stopping after the input being read (again to stop at once)", err=True)

    def progress(kind: str, message: str) -> None:
        if kind == "done":
            click.echo(message)
        elif not quiet or kind == "rejected":
            click.echo(f"{datetime.now():%H:%M:%S} {message}", err=True)

    config = Config(fetch_delay=delay, batch_size=batch_size)
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        report = _run(lambda: watch(db, feeds_file=feeds_file, dirs=dirs, every=every, export_dir=export_dir,
                                    polls=1 if once else None, config=config, progress=progress, stop=stop))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if once and report.rejected:
        sys.exit(EXIT_REJECTED)


@main.command("articles")
@db_option
@click.option("--source", help="Publisher: a domain (themoscowtimes.com) or agency (AFP).")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--contains", help="Title or text contains this (case-insensitive).")
@click.option("--id", "article_id", help="Article id, or its first characters.")
@limit_option
@offset_option
@format_option
def articles_cmd(db: Path, source: Optional[str], since: Optional[str], until: Optional[str],
                 contains: Optional[str], article_id: Optional[str], limit: int, offset: int, fmt: str) -> None:
    """List stored articles, newest first."""
    rows = _run(lambda: query.articles(db, source=source, since=since, until=until, contains=contains,
                                       id=article_id, limit=limit, offset=offset))
    click.echo(render(rows, fmt))


def event_filters(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The filters shared by events, reports, timeline and network."""
    for opt in reversed([
        click.option("--actor", help="Source actor: a CAMEO code or its start, in capitals (RUS, USAGOV), or part of a name (Putin)."),
        click.option("--target", help="Target actor: a CAMEO code or its start, in capitals, or part of a name."),
        click.option("--root", help="CAMEO root code (01-20, e.g. 03 or 19)."),
        click.option("--quad", type=click.IntRange(1, 4),
                     help="Quad class: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."),
        click.option("--since", help="Event date on or after (YYYY-MM-DD)."),
        click.option("--until", help="Event date on or before (YYYY-MM-DD)."),
        click.option("--place", help="Where: ISO country code (SA), place name or GeoNames id."),
        click.option("--min-confidence", type=click.FloatRange(0.0, 1.0),
                     help="Only events coded with at least this confidence (0-1, calibrated: of the events at 0.8, "
                          "about 80% are right; see 'newsevents eval articles')."),
    ]):
        fn = opt(fn)
    return fn


@main.command("events")
@db_option
@event_filters
@click.option("--article", help="Only events an article reports (its id, or its first characters).")
@limit_option
@offset_option
@format_option
def events_cmd(db: Path, fmt: str, **filters: Any) -> None:
    """List events, newest first: each real-world event once, with how many mentions, sources and articles
    reported it (reports of one event across articles are merged; see 'reports' for each one)."""
    click.echo(render(_run(lambda: query.events(db, **filters)), fmt))


@main.command("reports")
@db_option
@event_filters
@click.option("--article", help="Article id, or its first characters.")
@click.option("--include-negated", is_flag=True, help="Also list negated events (did not attack).")
@limit_option
@offset_option
@format_option
def reports_cmd(db: Path, fmt: str, **filters: Any) -> None:
    """List every coded report (one sentence of one article) before deduplication, newest first."""
    click.echo(render(_run(lambda: query.reports(db, **filters)), fmt))


@main.command("timeline")
@db_option
@event_filters
@click.option("--by", type=click.Choice(["day", "month", "year"]), default="day", show_default=True,
              help="Period to count events by.")
@format_option
def timeline_cmd(db: Path, fmt: str, **filters: Any) -> None:
    """Events per period by quad class, with mentions and the average Goldstein score."""
    click.echo(render(_run(lambda: query.timeline(db, **filters)), fmt))


@main.command("network")
@db_option
@event_filters
@click.option("--min-events", type=click.IntRange(1), default=1, show_default=True,
              help="Only actor pairs with at least this many events.")
@click.option("--limit", type=click.IntRange(1, query.MAX_LIMIT), default=50, show_default=True, help="At most this many pairs.")
@format_option
def network_cmd(db: Path, fmt: str, **filters: Any) -> None:
    """Actor pairs (source -> target) weighted by event count and Goldstein score."""
    click.echo(render(_run(lambda: query.network(db, **filters)), fmt))


@main.command("quotes")
@db_option
@click.option("--speaker", help="Speaker name (any part) or actor code prefix.")
@click.option("--contains", help="Full-text search of the quote (every word; 'meeting' also finds 'meet').")
@click.option("--kind", type=click.Choice(["direct", "partial", "indirect"]), help="Kind of quote.")
@click.option("--article", help="Article id, or its first characters.")
@limit_option
@offset_option
@format_option
def quotes_cmd(db: Path, fmt: str, **filters: Any) -> None:
    """List attributed quotes."""
    click.echo(render(_run(lambda: query.quotes(db, **filters)), fmt))


@main.command("sql")
@click.argument("statement")
@db_option
@click.option("--limit", type=click.IntRange(1, query.MAX_LIMIT), default=1000, show_default=True, help="At most this many rows.")
@format_option
def sql_cmd(statement: str, db: Path, limit: int, fmt: str) -> None:
    """Run one read-only SELECT over the database's tables.

    Tables: articles, entities, mentions, quotes, events (each coded report), canonical_events (deduplicated),
    event_mentions, stories, places, dates, themes, amounts, fingerprints, runs, rejected.
    """
    click.echo(render(_run(lambda: query.sql(db, statement, limit=limit)), fmt))


@main.command("verify")
@db_option
@click.option("--repair", is_flag=True,
              help="Move damaged batches into DB.parts/damaged/ (never deleted) and rebuild the cross-article tables.")
def verify_cmd(db: Path, repair: bool) -> None:
    """Check every file of the database: each batch against the sizes and checksums written with it.

    Reports damaged batches with what they held and the inputs to ingest again; --repair moves them aside
    so that queries, the web server and the next ingest work. Exit status: 0 intact (or repaired), 4 damage
    found and not repaired, 1 the check could not run.
    """
    from .store.verify import verify

    report = _run(lambda: verify(db, repair=repair))
    click.echo(report.summary())
    if not report.ok and not report.repaired:
        sys.exit(EXIT_DAMAGED)


@main.command("dedup")
@db_option
@click.option("--force", is_flag=True, help="Rebuild even when nothing was stored since the last rebuild.")
def dedup_cmd(db: Path, force: bool) -> None:
    """Rebuild the cross-article tables: stories of near-duplicate articles, deduplicated events with their
    mentions, the quotes' full-text index. 'ingest' does this after every run; use it after a crash or upgrade."""
    from .consolidate import consolidate
    from .store import open_store

    def run() -> Any:
        store = open_store(db)
        with store.locked(on_wait=lambda message: _warn(message)):
            return consolidate(store, force=force)

    click.echo(_run(run).summary())


@main.command("export")
@db_option
@click.option("--to", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="gdelt-events (61 columns), gdelt-mentions (16), gdelt-gkg (GKG 2.1, 27), parquet or jsonl "
                   "(every table).")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="A file for the GDELT formats; a directory for parquet and jsonl.")
def export_cmd(db: Path, fmt: str, out: Path) -> None:
    """Write the database in GDELT 2.0's tab-separated formats, or every table as Parquet or JSON Lines."""
    from .exports import export

    result = _run(lambda: export(db, fmt, out))
    click.echo(result.summary())


@main.command("rejected")
@db_option
@limit_option
@offset_option
@format_option
def rejected_cmd(db: Path, limit: int, offset: int, fmt: str) -> None:
    """List inputs that were rejected, with their reasons."""
    click.echo(render(_run(lambda: query.rejected(db, limit=limit, offset=offset)), fmt))


@main.command("sources")
@db_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the sources that have a focus to this file, for 'ingest --source-focus'.")
@click.option("--min-articles", type=click.IntRange(1), default=None,
              help="Articles a source needs before it has a focus [default: 3].")
@click.option("--min-share", type=click.FloatRange(0.0, 1.0, min_open=True), default=None,
              help="Share of a source's articles that must name places in one state [default: 0.3].")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many rows (all by default).")
@format_option
def sources_cmd(db: Path, out: Optional[Path], min_articles: Optional[int], min_share: Optional[float],
                limit: Optional[int], fmt: str) -> None:
    """Sources (publishers) with their articles and their focus: the state or province most of their
    articles name places in, from the places stored for them.

    A local paper's focus lets a later run read its ambiguous place names near its home: write the foci with
    --out FILE and give the file to 'ingest --source-focus FILE' (or 'extract --source-focus FILE').
    """
    from .stages.places import SourceFocus, write_source_focus

    rows = _run(lambda: query.sources(db, min_articles=min_articles, min_share=min_share))
    if out is not None:
        n = write_source_focus(out, [SourceFocus(r["source"], r["country"], r["admin1"], r["articles"], r["naming"])
                                     for r in rows if r["country"]])
        click.echo(f"wrote {n} source foci to {out}", err=True)
    click.echo(render(rows[:limit] if limit else rows, fmt))


@main.command("stats")
@db_option
@format_option
def stats_cmd(db: Path, fmt: str) -> None:
    """Counts of what the database holds."""
    click.echo(render_mapping(_run(lambda: query.stats(db)), fmt))


@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Loopback by default; 0.0.0.0 exposes the data to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
def serve_cmd(db: Path, host: str, port: int) -> None:
    """Serve the web UI and the JSON API (read-only) over the database.

    Pages: search, events, timeline, network, map, article view; the API is described at /openapi.json
    and browsable at /docs. It keeps answering while an ingest adds batches.
    """
    from .web import serve

    _run(lambda: serve(db, host=host, port=port))


EVAL_STAGES = ("actors", "quotes", "dates", "places", "events", "themes", "articles")


@main.command("eval")
@click.argument("stage", type=click.Choice(EVAL_STAGES))
@click.option("--shared", type=click.Path(file_okay=False), help="The shared gold sets (default: ../shared beside the repo).")
@click.option("--examples", type=click.IntRange(0), default=5, show_default=True, help="Failures to show per kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_cmd(stage: str, shared: Optional[str], examples: int, as_json: bool) -> None:
    """Measure one extraction stage on its gold set and print the figures (and what fails, by kind)."""
    import importlib

    from .eval import shared_dir

    module = importlib.import_module(f"newsevents.eval.{stage}")
    result = _run(lambda: module.evaluate(shared_dir(shared)))
    if as_json:
        click.echo(to_json({"stage": result.stage, "dataset": result.dataset, "figures": result.figures,
                            "counts": result.counts}))
    else:
        click.echo(result.report(examples))


if __name__ == "__main__":  # pragma: no cover
    main()
