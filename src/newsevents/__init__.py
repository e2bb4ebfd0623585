"""newsevents: news articles in, political event data out.

The public API::

    import newsevents as ne
    for analysis in ne.extract(["article.txt"]):        # read and analyse, store nothing
        print(analysis.to_contract())
    report = ne.ingest(["corpus/"], db="news.duckdb")    # read, analyse, store
    ne.query.events("news.duckdb", actor="RUS")          # query what was stored
"""

__version__ = "0.1.0"

from . import query  # noqa: E402
from .config import Config  # noqa: E402
from .errors import NewsEventsError  # noqa: E402
from .ingest import IngestReport, extract, extract_text, ingest  # noqa: E402
from .pipeline import Pipeline, Stage, default_pipeline  # noqa: E402
from .readers import read_inputs  # noqa: E402
from .records import Analysis, Article, Entity, Event, Mention, Place, Quote, Rejection, TimeExpr  # noqa: E402
from .store import Store, open_store  # noqa: E402
from .watch import poll, watch  # noqa: E402

__all__ = [
    "__version__", "Config", "NewsEventsError", "IngestReport", "extract", "extract_text", "ingest",
    "Pipeline", "Stage", "default_pipeline", "read_inputs", "Analysis", "Article", "Entity", "Event",
    "Mention", "Place", "Quote", "Rejection", "TimeExpr", "Store", "open_store", "query", "poll", "watch",
]
