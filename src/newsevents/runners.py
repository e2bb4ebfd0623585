"""Where the pipeline runs: in this process, in local worker processes, or on a Dask cluster.

Every runner takes batches of articles and gives back, in submission order, one ``Analysis`` or
``Rejection`` per article. Records cross process boundaries as plain dicts (``to_dict``/``from_dict``); the
pipeline (and its spaCy model) is built once per worker process and reused for every batch. Writing stays
with the one writer in the calling process (see ``store``), so workers never contend for the database.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional, Sequence, Union

from .errors import ConfigError, TimeBudgetExceeded
from .pipeline import Pipeline, default_pipeline
from .records import Analysis, Article, Rejection

Result = Union[Analysis, Rejection]
PipelineFactory = Callable[[], Pipeline]

# Batches in flight per worker: enough that no worker waits for the next batch, few enough that memory
# stays flat however long the input is.
INFLIGHT_PER_WORKER = 2


def _to_wire(results: Sequence[Result]) -> list[tuple[str, dict[str, Any]]]:
    return [("analysis" if isinstance(r, Analysis) else "rejection", r.to_dict()) for r in results]


def _from_wire(items: Sequence[tuple[str, dict[str, Any]]]) -> list[Result]:
    return [Analysis.from_dict(d) if kind == "analysis" else Rejection.from_dict(d) for kind, d in items]


@contextmanager
def time_budget(seconds: Optional[float]) -> Iterator[None]:
    """Raise TimeBudgetExceeded when the block runs longer than ``seconds``. Works in a process's main thread
    (SIGALRM); elsewhere (Dask's worker threads) it does not interrupt and the block runs to its end."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeBudgetExceeded(f"took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_batch(pipeline: Pipeline, articles: Sequence[Article], budget: Optional[float] = None) -> list[Result]:
    """The pipeline over one batch, within ``budget`` seconds per article; if the batch fails or runs out of
    time, article by article, so one bad or pathological article costs only itself (it is rejected with the
    reason)."""
    try:
        with time_budget(budget * len(articles) if budget else None):
            return list(pipeline.run(articles))
    except Exception:  # noqa: BLE001 - isolate the article that caused it below
        pass
    out: list[Result] = []
    for art in articles:
        try:
            with time_budget(budget):
                out.extend(pipeline.run([art]))
        except TimeBudgetExceeded as exc:
            out.append(Rejection(input=art.input, reason=f"pipeline {exc} on this article (Config.article_time_budget)",
                                 kind="timeout"))
        except Exception as exc:  # noqa: BLE001 - the article is rejected with the reason, not lost
            out.append(Rejection(input=art.input, reason=f"pipeline failed: {type(exc).__name__}: {exc}",
                                 kind="pipeline"))
    return out


class LocalRunner:
    """The pipeline in this process."""

    def __init__(self, pipeline: Pipeline, budget: Optional[float] = None) -> None:
        self.pipeline = pipeline
        self.budget = budget
        self.provenance = pipeline.provenance

    def map(self, batches: Iterator[list[Article]]) -> Iterator[list[Result]]:
        for batch in batches:
            yield run_batch(self.pipeline, batch, self.budget)

    def close(self) -> None:
        pass


# --- local worker processes ---------------------------------------------------------------------------------
_WORKER_PIPELINE: Optional[Pipeline] = None  # one per worker process, built by _init_worker
_WORKER_BUDGET: Optional[float] = None


def _init_worker(factory: PipelineFactory, budget: Optional[float] = None) -> None:
    global _WORKER_PIPELINE, _WORKER_BUDGET
    _WORKER_PIPELINE = factory()
    _WORKER_BUDGET = budget


def _work(wire_articles: list[dict[str, Any]]) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    assert _WORKER_PIPELINE is not None, "worker not initialised"
    articles = [Article.from_dict(d) for d in wire_articles]
    return os.getpid(), _to_wire(run_batch(_WORKER_PIPELINE, articles, _WORKER_BUDGET))


class PoolRunner:
    """The pipeline in ``workers`` local processes (spawned, so each loads its model once, cleanly)."""

    def __init__(self, workers: int, factory: PipelineFactory = default_pipeline, budget: Optional[float] = None) -> None:
        import multiprocessing

        if workers < 2:
            raise ConfigError(f"PoolRunner needs at least 2 workers, got {workers}")
        self.workers = workers
        self.provenance = factory().provenance
        ctx = multiprocessing.get_context("spawn")
        self._pool = ctx.Pool(workers, initializer=_init_worker, initargs=(factory, budget))
        self.pids: set[int] = set()

    def map(self, batches: Iterator[list[Article]]) -> Iterator[list[Result]]:
        pending: deque = deque()
        for batch in batches:
            pending.append(self._pool.apply_async(_work, ([a.to_dict() for a in batch],)))
            if len(pending) >= self.workers * INFLIGHT_PER_WORKER:
                yield self._take(pending.popleft())
        while pending:
            yield self._take(pending.popleft())

    def _take(self, handle: Any) -> list[Result]:
        pid, wire = handle.get()
        self.pids.add(pid)
        return _from_wire(wire)

    def close(self) -> None:
        self._pool.close()
        self._pool.join()


# --- Dask -------------------------------------------------------------------------------------------------------
def _dask_work(wire_articles: list[dict[str, Any]], config: Optional[Any] = None) -> tuple[int, int, list[tuple[str, dict[str, Any]]]]:
    from distributed import get_worker

    from .stages.language import model_loads

    pipeline = getattr(get_worker(), "newsevents_pipeline", None)
    if pipeline is None:  # the plugin did not run on this worker (joined later): build it once now
        pipeline = default_pipeline(config)
        get_worker().newsevents_pipeline = pipeline
    articles = [Article.from_dict(d) for d in wire_articles]
    results = _to_wire(run_batch(pipeline, articles))
    return os.getpid(), model_loads(), results


class _PipelinePlugin:
    """A Dask worker plugin: builds the pipeline once when a worker starts."""

    name = "newsevents-pipeline"

    def __init__(self, config: Optional[Any] = None) -> None:
        self.config = config

    def setup(self, worker: Any) -> None:
        from .stages.language import load_model

        worker.newsevents_pipeline = default_pipeline(self.config)
        load_model()  # load the spaCy model now, once, not inside the worker's first task

    def teardown(self, worker: Any) -> None:
        worker.newsevents_pipeline = None


class DaskRunner:
    """The pipeline on a Dask cluster: ``address`` is a scheduler (tcp://host:8786) or 'local' to start a
    LocalCluster of ``workers`` processes on this machine."""

    def __init__(self, address: str, workers: int = 2, config: Optional[Any] = None) -> None:
        try:
            from distributed import Client, LocalCluster, WorkerPlugin
        except ImportError as exc:  # pragma: no cover - dask is a declared dependency
            raise ConfigError("--dask needs dask[distributed] (pip install 'dask[distributed]')") from exc
        self._cluster = None
        if address == "local":
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.client = Client(self._cluster)
        else:
            self.client = Client(address)
        self.config = config
        plugin = type("NewsEventsPipelinePlugin", (_PipelinePlugin, WorkerPlugin), {})(config)
        self.client.register_plugin(plugin, name=_PipelinePlugin.name)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self.provenance = default_pipeline().provenance
        self.pids: set[int] = set()
        self.model_loads: dict[int, int] = {}

    def map(self, batches: Iterator[list[Article]]) -> Iterator[list[Result]]:
        pending: deque = deque()
        for batch in batches:
            pending.append(self.client.submit(_dask_work, [a.to_dict() for a in batch], self.config, pure=False))
            if len(pending) >= self.workers * INFLIGHT_PER_WORKER:
                yield self._take(pending.popleft())
        while pending:
            yield self._take(pending.popleft())

    def _take(self, future: Any) -> list[Result]:
        pid, loads, wire = future.result()
        self.pids.add(pid)
        self.model_loads[pid] = loads
        return _from_wire(wire)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
