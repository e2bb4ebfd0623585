"""Places in world news, on fictional articles: the gazetteer finds what the small model misses (bulletin
datelines, world cities, names inside names, misspelt capitals), international copy reads a capital or a large
city before a small namesake while a local story with its county named keeps its own towns, and every place
says why it was chosen."""

from __future__ import annotations

from newsevents.gazetteer import default_gazetteer
from newsevents.pipeline import Pipeline
from newsevents.records import Analysis, Place
from tests.stages.test_places import layer, place, run  # noqa: F401  (layer: the stages' fixture)


def places(a: Analysis, text: str) -> list[Place]:
    return [p for p in a.locations if p.text == text]


BULLETIN = """What the desk is covering today:

+ Ministers meet on regional water sharing

AMMAN: Water ministers of five countries sign a river-sharing accord drafted by Omar Delgaro.

KUWAIT CITY: The oil ministers of the Gulf states meet to review output quotas.

CRAWFORD, Texas: The president hosts the visiting Danish prime minister at his ranch.

MINA, Saudi Arabia: Pilgrims gather for the final rites of the annual pilgrimage.

(GULF-OIL-MEETING)
"""


def test_an_all_caps_bulletin_reads_every_dateline(layer: Pipeline) -> None:
    a = run(layer, BULLETIN)
    assert (place(a, "AMMAN").country, place(a, "AMMAN").feature) == ("JO", "PPLC")
    assert place(a, "KUWAIT CITY").country == "KW"
    assert place(a, "CRAWFORD").country == "US"  # a village, found because its state follows
    mina = place(a, "MINA")  # the gazetteer's Minas are in Mexico and Nigeria: the text says Saudi Arabia
    assert mina.country == "SA" and mina.geonameid is None and "Saudi Arabia" in (mina.basis or "")
    for p in (place(a, "AMMAN"), place(a, "KUWAIT CITY"), mina):
        assert "all-caps dateline" in (p.basis or "")
    assert not places(a, "GULF-OIL-MEETING") and not any(p.text == "OIL" for p in a.locations)


WORLD = ("Iranian, French and Russian diplomats resumed talks in Geneva on Monday, a day after pilgrims from "
         "Indonesia and Pakistan converged on Mecca. The envoys will report to their ministers in Paris next week, "
         "and a Washington official said the United States would send an observer.")


def test_world_news_reads_capitals_and_large_cities_before_namesakes(layer: Pipeline) -> None:
    a = run(layer, WORLD)
    assert place(a, "Geneva").country == "CH"
    assert place(a, "Mecca").country == "SA"
    assert place(a, "Paris").country == "FR"
    assert "population" in (place(a, "Geneva").basis or "")


def test_a_local_story_with_its_county_keeps_its_towns(layer: Pipeline) -> None:
    a = run(layer, "The Kane County board met in Geneva on Tuesday to discuss road repairs near Batavia "
                   "and St. Charles, where the river flooded last spring.")
    geneva = default_gazetteer().get(place(a, "Geneva").geonameid)
    assert geneva is not None and (geneva.country, geneva.admin1) == ("US", "IL")  # Geneva, Kane County, Illinois
    b = run(layer, "Farmworkers in Mecca and Thermal asked the Riverside County supervisors for better roads "
                   "through the Coachella Valley.")
    assert place(b, "Mecca").country == "US"
    c = run(layer, "Lamar County deputies closed two roads in Paris after storms toppled trees near Reno and "
                   "Blossom, the sheriff said.")
    assert place(c, "Paris").country == "US"


def test_a_misspelt_capital_is_read_as_the_capital(layer: Pipeline) -> None:
    a = run(layer, "The ministers will sign the accord on Sunday in Vietnam's capital Haoni, officials in Tokyo "
                   "and Seoul said.")
    haoni = place(a, "Haoni")
    assert (haoni.name, haoni.country) == ("Hanoi", "VN")
    assert "misspelling of Hanoi" in (haoni.basis or "")


def test_names_inside_names(layer: Pipeline) -> None:
    a = run(layer, "Trade ministers from Chile, Peru and Japan endorsed the Hanoi Action Plan to implement the "
                   "Busan roadmap on open trade.")
    assert place(a, "Hanoi").country == "VN" and "Hanoi Action Plan" in (place(a, "Hanoi").basis or "")
    assert place(a, "Busan").country == "KR"
    b = run(layer, "Shares of Kenya Airways rose after the New York Times praised the carrier.")
    assert not places(b, "Kenya")  # a company named after its country is not a place the story is in


def test_words_and_people_named_like_places_are_not_places(layer: Pipeline) -> None:
    a = run(layer, "Nice weather helped the harvest in Portugal and Spain. Reading the report, the minister "
                   "smiled. Officials said Paris Hilton would attend.")
    assert not places(a, "Nice") and not places(a, "Reading") and not places(a, "Paris")


def test_a_place_the_gazetteer_lacks_takes_the_country_the_text_gives(layer: Pipeline) -> None:
    a = run(layer, "Israeli troops raided the village of Kherbet Zalta near Jenin overnight and arrested two men, "
                   "Palestinian security sources said.")
    p = place(a, "Kherbet Zalta")
    assert p.country == "PS" and p.geonameid is None and "not in the gazetteer" in (p.basis or "")


def test_every_place_says_why(layer: Pipeline) -> None:
    a = run(layer, WORLD)
    assert a.locations and all(p.basis for p in a.locations)
    assert "basis" in a.locations[0].to_dict()
