"""Places: toponyms resolved to GeoNames, and the place attached to a clause, on fictional sentences."""

from __future__ import annotations

import pytest

from newsevents.gazetteer import default_gazetteer
from newsevents.pipeline import Pipeline
from newsevents.readers._common import make_article
from newsevents.records import Analysis, Place
from newsevents.stages.actors import Actors
from newsevents.stages.dates import Dates
from newsevents.stages.language import Language
from newsevents.stages.places import Places, dateline_place, place_for_span, resolve_toponyms

PARIS_FR, PARIS_TX = 2988507, 4717560


@pytest.fixture(scope="module")
def layer() -> Pipeline:
    return Pipeline([Language(), Actors(), Dates(), Places()])


def run(layer: Pipeline, text: str, dateline: str | None = None) -> Analysis:
    art = make_article(text=text, input="t", format="text", key=text, published="2025-02-13", dateline=dateline)
    [a] = layer.run([art], keep_doc=True)
    return a


def place(a: Analysis, text: str) -> Place:
    for p in a.locations:
        if p.text == text:
            return p
    raise AssertionError(f"no place {text!r} in {[(p.text, p.name, p.country) for p in a.locations]}")


def test_paris_france_unless_texas_says_otherwise(layer: Pipeline) -> None:
    a = run(layer, "Thousands of farmers marched in Paris against the new tariffs.")
    assert place(a, "Paris").geonameid == PARIS_FR and place(a, "Paris").feature == "PPLC"
    b = run(layer, "A tornado struck Paris, Texas, late on Monday, the sheriff said.")
    assert place(b, "Paris").geonameid == PARIS_TX
    assert place(b, "Texas").country == "US" and place(b, "Texas").feature == "ADM1"


def test_the_other_places_of_the_article_disambiguate(layer: Pipeline) -> None:
    a = run(layer, "Storms flooded roads in Dallas and Tyler overnight. In Paris, the mayor closed the schools.")
    assert place(a, "Paris").geonameid == PARIS_TX


def test_the_dateline_disambiguates(layer: Pipeline) -> None:
    a = run(layer, "The mayor of Paris said the schools would reopen on Monday.", dateline="PARIS, Texas (AP)")
    assert place(a, "Paris").geonameid == PARIS_TX
    assert dateline_place(default_gazetteer(), "SRINAGAR, India, April 7 (AFP)").country == "IN"  # type: ignore[union-attr]


def test_misspellings(layer: Pipeline) -> None:
    a = run(layer, "The envoy Tomas Rudd expects to meet his counterpart in Saudia Arabia soon.")
    assert (place(a, "Saudia Arabia").name, place(a, "Saudia Arabia").country) == ("Saudi Arabia", "SA")
    b = run(layer, "Aid convoys arrived in Khatmandu on Tuesday from the mountain villages.")  # tagged ORG
    assert (place(b, "Khatmandu").name, place(b, "Khatmandu").country) == ("Kathmandu", "NP")


def test_regions(layer: Pipeline) -> None:
    a = run(layer, "The alliance sent more troops to the Baltic states, while fighting went on in Donbas "
                   "and in the Gaza Strip.")
    baltic = place(a, "Baltic states")
    assert baltic.country is None and baltic.feature == "RGN"
    assert place(a, "Donbas").country == "UA"
    assert place(a, "Gaza Strip").country == "PS"


def test_capitals_used_as_metonyms_are_still_places(layer: Pipeline) -> None:
    a = run(layer, "Moscow rejected the offer, and Kyiv said the talks were over.")
    assert (place(a, "Moscow").country, place(a, "Moscow").feature) == ("RU", "PPLC")
    assert place(a, "Kyiv").country == "UA"


def test_demonyms_and_institutions_are_not_places(layer: Pipeline) -> None:
    a = run(layer, "Russian officials met White House aides at the Kremlin.")
    assert a.locations == ()


def test_offsets_index_the_text(layer: Pipeline) -> None:
    text = ("“We will not leave,” the governor of Ontario told reporters in Toronto.\n\n"
            "The U.S. and Britain’s envoys flew to Geneva, Switzerland, on Friday.")
    a = run(layer, text)
    assert {p.text for p in a.locations} >= {"Ontario", "Toronto", "U.S.", "Britain", "Geneva", "Switzerland"}
    for p in a.locations:
        assert 0 <= p.start < p.end <= len(text) and text[p.start:p.end] == p.text


def test_resolution_given_spans() -> None:
    text = "Talks in Prague, Oklahoma and then in Prague ended."
    got = resolve_toponyms(default_gazetteer(), text, [(9, 15), (17, 25)])
    assert [p.country for p in got if p] == ["US", "US"]  # "Prague, Oklahoma and ..." is not a list of places
    assert resolve_toponyms(default_gazetteer(), "Nothing in Zorblaxia.", [(11, 20)]) == [None]


# --- the event stage's hook ---------------------------------------------------------------------------------
def test_place_attached_to_the_clause(layer: Pipeline) -> None:
    text = ("Premier Anna Holt visited Warsaw last month. "
            "On Wednesday she said she expects to meet the Lithuanian president in Saudi Arabia soon.")
    a = run(layer, text)
    i = text.index("meet")
    got = place_for_span(a, i, i + len("meet"))
    assert got is not None and got.country == "SA"


def test_no_place_in_the_clause_is_none_not_the_first_toponym(layer: Pipeline) -> None:
    text = "Protests spread across Georgia on Monday. The government later dismissed the interior minister."
    a = run(layer, text)
    assert a.locations  # there is a toponym in the article...
    i = text.index("dismissed")
    assert place_for_span(a, i, i + len("dismissed")) is None  # ...but not in this clause


def test_a_place_inside_another_phrase_does_not_place_the_clause(layer: Pipeline) -> None:
    text = "The rivals agreed to begin negotiations on the war in Ukraine."
    a = run(layer, text)
    i = text.index("agreed")
    assert place_for_span(a, i, i + len("agreed")) is None
