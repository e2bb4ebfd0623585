from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsevents.config import Config
from newsevents.readers import Source, detect_format, read_inputs, read_source
from newsevents.readers.scraped_text import parse
from newsevents.records import Article, Rejection
from tests.conftest import SAMPLES, shared_path

SEED_URL = "https://www.themoscowtimes.com/2025/02/13/trump-putin-meeting-should-be-organized-promptly-kremlin-says-a87986"
RELATED_URL = "https://www.themoscowtimes.com/2025/07/19/trumps-ceasefire-push-not-a-betrayal-of-ukraine-hegseth-says"

# A fictional article in the same shape as the seed (written for these tests).
FICTIONAL = """ The foreign ministers of Norway and Chile met in Oslo on Monday to discuss fishing
quotas, a meeting both sides called “constructive.”

“We agreed on a timetable,” Minister Ana Rojas said. “Now the long-
standing dispute must end.”



Related article: Chile’s Salmon Exports Hit ‘Record’ High, Ministry Says

Officials said talks would resume in Santiago next month.

Reporting by Lena Berg; Editing by Tom Hale

Original url:
https://www.example-news.org/2024/05/06/norway-chile-ministers-meet-in-oslo-over-fishing-quot
as-b1234

https://www.example-news.org/2024/04/30/chiles-salmon-exports-hit-record-high-ministry-says
"""


def test_seed_metadata_and_clean_body(seed_path: Path) -> None:
    [art] = list(read_inputs([seed_path]))
    assert isinstance(art, Article)
    assert art.format == "scraped_text"
    assert art.url == SEED_URL
    assert art.source == "themoscowtimes.com"
    assert art.published == "2025-02-13"
    assert art.related[0].url == RELATED_URL
    assert "Ceasefire Push Not a" in art.related[0].title
    assert art.credit == "AFP contributed reporting."
    for furniture in ("Original url:", "Related article:", "AFP contributed reporting", "https://"):
        assert furniture not in art.text
    # Wrapped lines joined, paragraphs kept.
    assert "between U.S. President Donald Trump and Russian President Vladimir Putin" in art.text
    assert "Saudia Arabia soon" in art.text
    assert "\n" not in art.text.split("\n\n")[0]
    assert art.text.count("\n\n") == 12  # 13 paragraphs
    assert not art.text.startswith(" ")
    for word in ("trump", "putin", "meeting", "promptly", "kremlin"):
        assert word in art.title.lower()


def test_seed_is_detected_as_scraped(seed_path: Path) -> None:
    assert detect_format(Source(label=str(seed_path), path=seed_path)) == "scraped_text"


def test_wrapped_url_and_related_titles_told_apart() -> None:
    art = parse(FICTIONAL, label="fictional.txt")
    assert art.url == "https://www.example-news.org/2024/05/06/norway-chile-ministers-meet-in-oslo-over-fishing-quotas-b1234"
    assert art.published == "2024-05-06"
    assert art.related[0].url.endswith("/chiles-salmon-exports-hit-record-high-ministry-says")
    assert art.credit == "Reporting by Lena Berg; Editing by Tom Hale"
    assert "the long-standing dispute" in art.text
    assert art.title == "Norway Chile ministers meet in Oslo over fishing quotas"  # cased as the text writes them
    assert art.raw_title is None  # the URL keeps what the slug said


def test_related_url_listed_first_is_still_assigned_by_slug() -> None:
    swapped = FICTIONAL.replace(
        "Original url:\nhttps://www.example-news.org/2024/05/06/norway-chile-ministers-meet-in-oslo-over-fishing-quot\nas-b1234\n\n"
        "https://www.example-news.org/2024/04/30/chiles-salmon-exports-hit-record-high-ministry-says\n",
        "Original url:\nhttps://www.example-news.org/2024/04/30/chiles-salmon-exports-hit-record-high-ministry-says\n\n"
        "https://www.example-news.org/2024/05/06/norway-chile-ministers-meet-in-oslo-over-fishing-quotas-b1234\n",
    )
    art = parse(swapped, label="swapped.txt")
    assert art.url.endswith("fishing-quotas-b1234")
    assert art.related[0].url.endswith("ministry-says")


def test_hyphen_belonging_to_a_word_is_kept() -> None:
    art = parse("Talks on U.S.-\nRussia ties and long-\nstanding issues.\n\nOriginal url:\nhttps://x.example/a\n",
                label="t.txt")
    assert art.text == "Talks on U.S.-Russia ties and long-standing issues."


def test_body_with_only_furniture_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "furniture.txt"
    p.write_text("Related article: Something Else\n\nAFP contributed reporting.\n\nOriginal url:\nhttps://x.example/2024/01/01/a\n")
    [item] = list(read_source(Source(label=str(p), path=p), Config()))
    assert isinstance(item, Rejection)
    assert item.kind == "empty"
    assert str(p) in item.input


def test_oversized_article_is_rejected(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text(FICTIONAL)
    [item] = list(read_source(Source(label=str(p), path=p), replace(Config(), max_article_chars=50)))
    assert isinstance(item, Rejection) and item.kind == "oversized"


def test_same_file_twice_gives_same_id(tmp_path: Path) -> None:
    a = parse(FICTIONAL, label="a.txt")
    b = parse(FICTIONAL, label="b.txt")
    assert a.id == b.id  # keyed by the URL, not the file name


def test_samples_read_cleanly() -> None:
    items = list(read_inputs([SAMPLES]))
    arts = [i for i in items if isinstance(i, Article)]
    assert not [i for i in items if isinstance(i, Rejection)]
    scraped = [a for a in arts if a.format == "scraped_text"]
    assert len(scraped) >= 4
    for a in scraped:
        assert a.url and a.published and a.related and a.credit, a.input
        assert "Original url:" not in a.text and "Related article:" not in a.text
        assert a.related[0].url, f"{a.input}: related link not matched to a URL"


@pytest.mark.parametrize("name", ["seed.txt"])
def test_seed_offsets_refer_to_text(name: str) -> None:
    path = shared_path("gold", name)
    [art] = list(read_inputs([path]))
    i = art.text.index("Peskov said Thursday")
    assert art.text[i : i + 6] == "Peskov"
