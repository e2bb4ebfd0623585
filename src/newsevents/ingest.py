"""Ingest: inputs → readers → pipeline → store, with every input ending up stored or listed as rejected."""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Optional, Union

import pyarrow as pa

from .config import DEFAULT_DB, Config
from .consolidate import ConsolidateReport, consolidate
from .errors import ConfigError, InputError, NewsEventsError
from .pipeline import Pipeline, default_pipeline
from .readers import read_inputs
from .readers.web import is_url, normalise_url
from .records import Analysis, Article, Rejection, Skipped
from .runners import DaskRunner, LocalRunner, PoolRunner, run_batch
from .store import Store


@dataclass
class IngestReport:
    """What one ingest did. ``rejected`` counts newly listed inputs; ``rejected_again`` those already listed."""

    db: str
    run_id: str = ""
    stored: int = 0
    already_stored: int = 0
    rejected: int = 0
    rejected_again: int = 0
    skipped: int = 0
    batches: int = 0
    seconds: float = 0.0
    rejections: list[Rejection] = field(default_factory=list)
    skips: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # inputs stored with a caveat ("'published' is not a date")
    workers: list[int] = field(default_factory=list)  # process ids that ran the pipeline (worker runs)
    consolidated: Optional[ConsolidateReport] = None  # the cross-article step after the batches

    @property
    def articles_per_second(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        parts = [
            f"stored {self.stored:,} new article{'s' if self.stored != 1 else ''}",
            f"{self.already_stored:,} already stored",
            f"rejected {self.rejected + self.rejected_again:,}"
            + (f" ({self.rejected_again:,} listed before)" if self.rejected_again else ""),
        ]
        if self.skipped:
            parts.append(f"skipped {self.skipped:,} non-article file{'s' if self.skipped != 1 else ''}")
        line = ", ".join(parts) + f" in {self.seconds:.1f}s -> {self.db}"
        if self.consolidated is not None:
            line += f"\nacross articles: {self.consolidated.summary()}"
        return line


# Called after each input item: (kind, item, report) with kind one of stored, duplicate, rejected, skipped;
# also ("warning", message) for an input stored with a caveat, ("waiting", message) while another process
# holds the store's writer lock, and ("consolidate", step) during the cross-article step.
Progress = Callable[[str, Union[Article, Rejection, Skipped], IngestReport], None]


def stored_links(store: Store, links: list[str]) -> set[str]:
    """The links the store already holds as an article, by its ``input`` or its normalised ``url``."""
    if not links or not store.exists:
        return set()
    con = store.connect()
    try:
        return _stored(con, links)
    finally:
        con.close()


def _stored(con: Any, links: list[str]) -> set[str]:
    con.register("_links", pa.table({"link": links, "key": [normalise_url(link) for link in links]}))
    rows = con.execute("SELECT link FROM _links WHERE link IN (SELECT input FROM articles) "
                       "OR key IN (SELECT url FROM articles)").fetchall()
    con.unregister("_links")
    return {r[0] for r in rows}


def ingest(
    paths: Iterable[Union[str, Path]],
    db: Union[str, Path] = DEFAULT_DB,
    *,
    config: Optional[Config] = None,
    pipeline: Optional[Pipeline] = None,
    progress: Optional[Progress] = None,
    stdin: Optional[BinaryIO] = None,
    workers: int = 1,
    dask: Optional[str] = None,
    consolidate_after: bool = True,
) -> IngestReport:
    """Read every input, run the pipeline on new articles, store them; list what cannot be used as rejected.

    ``workers`` > 1 runs the default pipeline in that many local processes; ``dask`` ('local' or a
    scheduler address) runs it on a Dask cluster. Either way this process is the store's single writer.
    Afterwards (``consolidate_after``) the cross-article tables are rebuilt: stories, deduplicated events.
    """
    config = config or Config()
    runner = _runner(config, pipeline, workers, dask)
    store = Store(db)
    report = IngestReport(db=str(db))

    started = time.perf_counter()
    def note(kind: str, item: Any) -> None:
        report.seconds = time.perf_counter() - started
        if progress is not None:
            progress(kind, item, report)

    try:
        with store.writer(runner.provenance, on_wait=lambda message: note("waiting", message)) as writer:
            report.run_id = writer.run_id

            def commit_full() -> None:
                if writer.pending >= config.batch_size:  # batches of batch_size, whatever the stage batches
                    writer.commit()
                    report.batches += 1

            def reject(r: Rejection) -> None:
                if writer.reject(r):
                    report.rejected += 1
                else:
                    report.rejected_again += 1
                report.rejections.append(r)
                note("rejected", r)
                commit_full()

            def batches() -> Iterator[list[Article]]:
                """New articles in batches; rejections, skips and duplicates are settled as they are read."""
                pending: list[Article] = []
                seen: set[str] = set()
                def unstored() -> Iterator[Union[str, Path]]:
                    """The inputs, less the page URLs the store already holds (by the URL as given, or
                    normalised): those are not fetched again. Lazily, as a caller may stream its inputs."""
                    con = None
                    try:
                        for p in paths:
                            if is_url(p) and store.exists:
                                con = con or store.connect()
                                if _stored(con, [str(p)]):
                                    report.already_stored += 1
                                    note("duplicate", Skipped(input=str(p), reason="already stored: not fetched again"))
                                    continue
                            yield p
                    finally:
                        if con is not None:
                            con.close()

                for item in read_inputs(unstored(), config, stdin=stdin):
                    if isinstance(item, Rejection):
                        reject(item)
                    elif isinstance(item, Skipped):
                        report.skipped += 1
                        report.skips.append(item)
                        note("skipped", item)
                    elif writer.has(item.id) or item.id in seen:
                        report.already_stored += 1
                        note("duplicate", item)
                    else:
                        for warning in item.warnings:
                            report.warnings.append(warning)
                            note("warning", warning)
                        seen.add(item.id)
                        pending.append(item)
                        if len(pending) >= config.stage_batch_size:
                            yield pending
                            pending = []
                if pending:
                    yield pending

            for results in runner.map(batches()):
                for result in results:
                    if isinstance(result, Rejection):
                        reject(result)
                        continue
                    try:
                        added = writer.add(result)
                    except InputError as exc:  # rows the store cannot hold: listed, not lost with the batch
                        reject(Rejection(input=exc.input, reason=exc.reason, kind=exc.kind))
                        continue
                    if added:
                        report.stored += 1
                        note("stored", result.article)
                    else:
                        report.already_stored += 1
                        note("duplicate", result.article)
                    commit_full()
            if writer.commit():
                report.batches += 1
            if consolidate_after:
                report.consolidated = consolidate(store, progress=(lambda m: progress("consolidate", m, report))
                                                  if progress else None)
    finally:
        runner.close()
    report.seconds = time.perf_counter() - started
    report.workers = sorted(getattr(runner, "pids", ()))
    return report


def _runner(config: Config, pipeline: Optional[Pipeline], workers: int, dask: Optional[str]) -> Any:
    if dask:
        if pipeline is not None:
            raise ConfigError("a custom pipeline cannot be sent to a Dask cluster; --dask runs the default pipeline")
        return DaskRunner(dask, workers=max(workers, 2) if dask == "local" else workers, config=config)
    if workers > 1:
        if pipeline is not None:
            raise ConfigError("a custom pipeline cannot be sent to worker processes; --workers runs the default pipeline")
        return PoolRunner(workers, factory=functools.partial(default_pipeline, config), budget=config.article_time_budget)
    return LocalRunner(pipeline if pipeline is not None else default_pipeline(config), budget=config.article_time_budget)


def extract(
    paths: Iterable[Union[str, Path]],
    *,
    config: Optional[Config] = None,
    pipeline: Optional[Pipeline] = None,
    stdin: Optional[BinaryIO] = None,
) -> Iterator[Union[Analysis, Rejection, Skipped]]:
    """Analyse inputs without storing anything: an Analysis per article, in input order."""
    config = config or Config()
    pipeline = pipeline if pipeline is not None else default_pipeline(config)
    pending: list[Article] = []
    for item in read_inputs(paths, config, stdin=stdin):
        if isinstance(item, Article):
            pending.append(item)
            if len(pending) >= config.stage_batch_size:
                yield from run_batch(pipeline, pending, config.article_time_budget)
                pending = []
        else:
            if pending:
                yield from run_batch(pipeline, pending, config.article_time_budget)
                pending = []
            yield item
    if pending:
        yield from run_batch(pipeline, pending, config.article_time_budget)


def extract_text(text: str, *, published: Optional[str] = None, url: Optional[str] = None,
                 title: Optional[str] = None, pipeline: Optional[Pipeline] = None) -> Analysis:
    """Analyse one article given as a string (already clean text)."""
    from .readers._common import make_article

    if not text.strip():
        raise NewsEventsError("extract_text: the text is empty")
    art = make_article(text=text.strip(), input="<text>", format="text", key=url or "<text>", url=url,
                       published=published, title=title)
    pipeline = pipeline if pipeline is not None else default_pipeline()
    return pipeline.run([art])[0]

