"""Title cleaning (readers/titles.py): flags, editors' notes, bylines and slashes out; slug titles cased.

Every title here is fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsevents.readers import read_inputs
from newsevents.readers._common import make_article
from newsevents.readers.scraped_text import parse as parse_scraped
from newsevents.readers.titles import case_like_text, clean_title
from newsevents.records import Article


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        # bylines
        ("Ferry service to Velmora resumes after storm by Kate Webber", "Ferry service to Velmora resumes after storm"),
        ("Ostland port strike enters third week By Jean-Pierre Malvoisin", "Ostland port strike enters third week"),
        ("Harvest festival opens in Dunmore - by Anne de Vries", "Harvest festival opens in Dunmore"),
        ("Talks on Ostland budget due by Friday: minister by M.R. Narayan Tolle",
         "Talks on Ostland budget due by Friday: minister"),
        # agency flags, before the headline and after it
        ("URGENT Quake shakes coastal Velmora", "Quake shakes coastal Velmora"),
        ("URGENT: Ostland cabinet resigns", "Ostland cabinet resigns"),
        ("Urgent: Ostland cabinet resigns", "Ostland cabinet resigns"),
        ("URGENTOstland cabinet resigns", "Ostland cabinet resigns"),
        ("UPDATE-2: Velmora central bank holds rates", "Velmora central bank holds rates"),
        ("UPDATE 3-Velmora central bank holds rates", "Velmora central bank holds rates"),
        ("UPDATE 3 - Velmora central bank holds rates", "Velmora central bank holds rates"),
        ("2nd Ld: Dunmore mayor re-elected", "Dunmore mayor re-elected"),
        ("3rd Ld-Writethru: Bridge collapse in Dunmore kills 4", "Bridge collapse in Dunmore kills 4"),
        ("1st lead: Ostland and Velmora sign border pact", "Ostland and Velmora sign border pact"),
        ("FLASH Ostland president resigns", "Ostland president resigns"),
        ("BULLETIN Ostland president resigns", "Ostland president resigns"),
        ("Ostland president resigns CORRECTED", "Ostland president resigns"),
        ("Velmora opens new airport (PICTURES)", "Velmora opens new airport"),
        ("= (PICTURE) = Velmora opens new airport", "Velmora opens new airport"),
        ("Velmora opens new airport (new series) by Carla Mendt", "Velmora opens new airport"),
        ("Velmora opens new airport (updated 2)", "Velmora opens new airport"),
        ("Velmora opens new airport [UPDATE 1]", "Velmora opens new airport"),
        ("Ostland exports rise (2)", "Ostland exports rise"),
        ("Velmora opens new airport (pictures) (ADDS minister quotes)", "Velmora opens new airport"),
        # trailing slashes and editors' notes
        ("Ostland ratifies water treaty ///", "Ostland ratifies water treaty"),
        ("Ostland ratifies water treaty /", "Ostland ratifies water treaty"),
        ("URGENT: UPDATE-2: Ostland ratifies water treaty ///", "Ostland ratifies water treaty"),
        ("  Ostland   ratifies water treaty ", "Ostland ratifies water treaty"),
    ],
)
def test_furniture_is_removed(given: str, clean: str) -> None:
    assert clean_title(given) == clean


@pytest.mark.parametrize(
    "title",
    [
        "Ostland ferry seized by Velmora navy",  # a passive: '-ed' before 'by'
        "Dunmore striker beaten by Kaspar Lindqvist in final",  # 'by' not at the end
        "Velmora side beaten by Marco Tellini",  # an irregular participle
        "Ostland budget cut by a third",  # no capitalised name
        "Aid delivered to Dunmore by UN World Food Programme",  # '-ed', and an acronym
        "Ostland wins vote by Great Britain",  # a country, not a reporter
        "Flash floods kill 10 in Velmora",  # a headline word, not a flag
        "Urgent repairs needed at Dunmore dam",
        "Update on Ostland talks expected Friday",
        "FLASH FLOODS KILL 10 IN VELMORA",  # capitals throughout: the case tells nothing
        "10 killed in Dunmore bus crash",  # a number that is not a take number
        "Ostland exports rise 2 percent",
        "Flash-flood warnings for Velmora",
        "(Ostland-Velmora) Border talks resume",  # a section tag is not a flag
        "<script>alert(1)</script>",  # brackets inside a word are not a flag's
    ],
)
def test_headline_words_stay(title: str) -> None:
    assert clean_title(title) == title


@pytest.mark.parametrize("title", ["ATTENTION - ADDS minister quotes, background ///", "///", "=(GRAPHIC+PICTURE)=", "  "])
def test_a_title_that_is_only_furniture_is_no_title(title: str) -> None:
    assert clean_title(title) is None


def test_clean_title_of_none_is_none() -> None:
    assert clean_title(None) is None


TEXT = (
    "The EU's foreign ministers met in Brussels on Monday to weigh new sanctions on Iran. Officials of the EU "
    "said the measures on Iran would target shipping.\n\nForeign ministers from Ostland backed the plan."
)


def test_slug_title_takes_the_text_casing() -> None:
    assert (case_like_text("Eu foreign ministers weigh new sanctions on iran", TEXT)
            == "EU foreign ministers weigh new sanctions on Iran")


def test_slug_casing_ignores_sentence_initial_capitals_and_unknown_words() -> None:
    # 'foreign' is 'Foreign' only at a sentence's start; 'quietly' is not in the text at all
    assert case_like_text("ostland foreign ministers quietly back plan", TEXT) == "Ostland foreign ministers quietly back plan"


def test_make_article_keeps_the_given_title_only_when_cleaning_changed_it() -> None:
    flagged = make_article(text="Body.", input="x", format="plain", key="x", title="URGENT: Velmora votes by Ida Sorn")
    assert (flagged.title, flagged.raw_title) == ("Velmora votes", "URGENT: Velmora votes by Ida Sorn")
    plain = make_article(text="Body.", input="x", format="plain", key="x", title="Velmora votes")
    assert (plain.title, plain.raw_title) == ("Velmora votes", None)
    assert Article.from_dict(flagged.to_dict()) == flagged
    assert flagged.to_dict()["raw_title"] == "URGENT: Velmora votes by Ida Sorn"


def test_every_reader_cleans_titles(tmp_path: Path) -> None:
    body = "Ostland's parliament voted on Tuesday to approve a new water treaty with Velmora, officials said."
    (tmp_path / "wire.jsonl").write_text(json.dumps({"id": "w1", "title": "UPDATE-2: Ostland ratifies treaty by Ida Sorn",
                                                     "text": body}) + "\n")
    (tmp_path / "note.txt").write_text("URGENT Ostland ratifies treaty ///\n\n" + body + "\n")
    (tmp_path / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Ostland ratifies treaty (PICTURES)</title></head><body><article>"
        f"<h1>Ostland ratifies treaty (PICTURES)</h1><p>{body} {body}</p></article></body></html>")
    arts = [a for a in read_inputs([str(tmp_path)]) if isinstance(a, Article)]
    assert sorted(a.format for a in arts) == ["html", "jsonl", "plain"]
    assert {a.title for a in arts} == {"Ostland ratifies treaty"}
    assert all(a.raw_title and a.raw_title != a.title for a in arts)


def test_scraped_slug_title_is_cased_from_its_text() -> None:
    doc = (TEXT + "\n\nOriginal url:\n"
           "https://www.example-news.org/2024/05/06/eu-foreign-ministers-weigh-new-sanctions-on-iran-a12345\n")
    art = parse_scraped(doc, label="slug.txt")
    assert art.title == "EU foreign ministers weigh new sanctions on Iran"
    assert art.raw_title is None


def test_the_store_keeps_both_titles(tmp_path: Path) -> None:
    from newsevents import Pipeline, ingest, open_store

    wire = tmp_path / "wire.jsonl"
    wire.write_text(json.dumps({"id": "w1", "title": "URGENT: Ostland ratifies treaty ///",
                                "text": "Ostland's parliament approved the water treaty with Velmora on Tuesday."}) + "\n")
    db = tmp_path / "t.duckdb"
    assert ingest([wire], db, pipeline=Pipeline([])).stored == 1
    with open_store(db).connect() as con:
        rows = con.execute("SELECT title, raw_title FROM articles").fetchall()
    assert rows == [("Ostland ratifies treaty", "URGENT: Ostland ratifies treaty ///")]
