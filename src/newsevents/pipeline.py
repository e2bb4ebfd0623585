"""The pipeline: stages that each declare what they need and what they set, checked when it is built.

A stage is any object with ``name``, ``version``, ``requires`` and ``assigns`` (field names of
``records.Analysis``) that is callable on a batch of ``Analysis`` records and returns the batch with its
fields set (new frozen records: ``dataclasses.replace``, never mutation)::

    class Quotes:
        name, version = "quotes", "1"
        requires, assigns = ("sentences", "entities"), ("quotes",)
        def __call__(self, batch): return [replace(a, quotes=find(a)) for a in batch]

``Pipeline([...])`` raises ``StageOrderError`` when a stage requires a field that no earlier stage assigns,
two stages assign the same field, or a name is not a field of ``Analysis``. Running it records each stage's
``name@version`` on every ``Analysis`` (its provenance), and checks that a stage returned one record per
input, in order.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Iterable, Iterator, Optional, Protocol, Sequence, runtime_checkable

from .errors import PipelineError, StageOrderError
from .records import FIELDS, Analysis, Article


@runtime_checkable
class Stage(Protocol):
    name: str
    version: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]: ...


class Pipeline:
    """An ordered, validated sequence of stages."""

    def __init__(self, stages: Sequence[Stage] = ()) -> None:
        self.stages: tuple[Stage, ...] = tuple(stages)
        self._check()
        # Seconds spent in each stage since the pipeline was built (for benchmarks and progress reports).
        self.timings: dict[str, float] = {s.name: 0.0 for s in self.stages}

    def _check(self) -> None:
        available = {"article"}
        assigned_by: dict[str, str] = {}
        for stage in self.stages:
            for attr in ("name", "version", "requires", "assigns"):
                if not hasattr(stage, attr):
                    raise StageOrderError(f"stage {stage!r} has no {attr!r}")
            for fname in (*stage.requires, *stage.assigns):
                if fname != "article" and fname not in FIELDS:
                    raise StageOrderError(f"stage {stage.name!r} names {fname!r}, which is not a field of Analysis ({', '.join(FIELDS)})")
            missing = [f for f in stage.requires if f not in available]
            if missing:
                raise StageOrderError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage assigns "
                    f"(order: {' -> '.join(s.name for s in self.stages)})"
                )
            for fname in stage.assigns:
                if fname == "article":
                    raise StageOrderError(f"stage {stage.name!r} may not assign 'article': readers produce it")
                if fname in assigned_by:
                    raise StageOrderError(f"stages {assigned_by[fname]!r} and {stage.name!r} both assign {fname!r}")
                assigned_by[fname] = stage.name
            available.update(stage.assigns)

    @property
    def provenance(self) -> tuple[str, ...]:
        return tuple(f"{s.name}@{s.version}" for s in self.stages)

    def run(self, articles: Sequence[Article], keep_doc: bool = False) -> list[Analysis]:
        """All stages over one batch of articles. The parse (``Analysis.doc``) is dropped at the end unless
        ``keep_doc``: it is large, and everything the stages found is in the typed fields."""
        batch = [Analysis(article=a) for a in articles]
        for stage in self.stages:
            t0 = time.perf_counter()
            out = stage(batch)
            self.timings[stage.name] += time.perf_counter() - t0
            if len(out) != len(batch) or any(o.article.id != b.article.id for o, b in zip(out, batch)):
                raise PipelineError(f"stage {stage.name!r} returned {len(out)} records for {len(batch)} articles, or changed their order")
            batch = list(out)
        prov = self.provenance
        return [dataclasses.replace(a, stages=prov, doc=a.doc if keep_doc else None) for a in batch]

    def run_stream(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Analysis]:
        buf: list[Article] = []
        for art in articles:
            buf.append(art)
            if len(buf) >= batch_size:
                yield from self.run(buf)
                buf = []
        if buf:
            yield from self.run(buf)

    def __repr__(self) -> str:
        return f"Pipeline({' -> '.join(self.provenance) or 'no stages'})"


def default_pipeline(config: Optional[object] = None) -> Pipeline:
    """The pipeline newsevents runs by default: language → actors → dates → places → quotes → events → themes,
    tone, amounts, fingerprint. Dates and places come before quotes and events, which take each clause's date
    and place from them; themes take the events' codes. ``config.source_focus``, when set, is a file of
    sources' home regions for the places stage (``newsevents sources --out``)."""
    from .stages.amounts import Amounts
    from .stages.fingerprint import Fingerprint
    from .stages.themes import Themes
    from .stages.tone import ToneStage
    from .stages.actors import Actors
    from .stages.dates import Dates
    from .stages.events import Events
    from .stages.language import Language
    from .stages.places import Places, read_source_focus
    from .stages.quotes import Quotes

    focus_file = getattr(config, "source_focus", None)
    places = Places(source_focus=read_source_focus(focus_file) if focus_file else None)
    events = Events(monadic=bool(getattr(config, "monadic_events", False)))
    return Pipeline([Language(), Actors(), Dates(), places, Quotes(), events, Themes(), ToneStage(), Amounts(),
                     Fingerprint()])
