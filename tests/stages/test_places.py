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


# --- sources' home regions (fictional local paper and articles, written for this test) -----------------------
LEDGER = [
    ("Council weighs bus routes", "The Columbus city council in Ohio voted on Monday to extend two bus routes to "
     "Grove City, and Franklin County commissioners promised to share the cost."),
    ("Sheriff adds patrols", "The Franklin County sheriff will add night patrols in Westerville and Reynoldsburg "
     "after a string of car break-ins, deputies told residents in Columbus on Tuesday."),
    ("Library reopens", "The Hilliard branch library reopened on Wednesday after a year of repairs, and the Upper "
     "Arlington branch will close in June for the same work, the Columbus library board said."),
    ("School board names superintendent", "Dublin's school board named a new superintendent on Thursday after a "
     "four-month search, and the choice drew applause from teachers."),
]


def test_a_local_sources_focus_reads_its_ambiguous_names_near_home(tmp_path) -> None:
    """Three of a local paper's articles name places in Ohio; its fourth names only "Dublin", which alone is
    Ireland's capital. ``sources`` finds the paper's focus (Ohio), and with that file the fourth article's
    Dublin is Dublin, Ohio; the provenance names the focus file's digest."""
    import json
    from dataclasses import replace as dc_replace

    from newsevents import query
    from newsevents.config import Config
    from newsevents.ingest import ingest
    from newsevents.stages.places import read_source_focus, write_source_focus, SourceFocus

    records = tmp_path / "ledger.jsonl"
    records.write_text("\n".join(json.dumps({"title": t, "text": x, "published": f"2025-03-0{i + 3}",
                                             "url": f"https://www.scioto-ledger.example/news/{i}"})
                                 for i, (t, x) in enumerate(LEDGER)) + "\n")
    db = tmp_path / "a.duckdb"
    ingest([records], db)
    dublin = query.sql(db, "SELECT p.country, p.name FROM places p WHERE p.text = 'Dublin'")
    assert [(r["country"]) for r in dublin] == ["IE"]
    [row] = [r for r in query.sources(db) if r["source"] == "scioto-ledger.example"]
    assert (row["articles"], row["country"], row["admin1"]) == (4, "US", "OH") and row["focus"] == "Ohio, US"
    focus_file = tmp_path / "focus.tsv"
    write_source_focus(focus_file, [SourceFocus(row["source"], row["country"], row["admin1"], row["articles"],
                                                row["naming"])])
    assert read_source_focus(focus_file) == {"scioto-ledger.example": ("US", "OH")}
    db2 = tmp_path / "b.duckdb"
    ingest([records], db2, config=dc_replace(Config(), source_focus=focus_file))
    dublin = query.sql(db2, "SELECT p.country, p.geonameid FROM places p WHERE p.text = 'Dublin'")
    assert [r["country"] for r in dublin] == ["US"]
    assert gaz_admin1(dublin[0]["geonameid"]) == "OH"


def gaz_admin1(geonameid: int) -> str:
    p = default_gazetteer().get(geonameid)
    assert p is not None
    return p.admin1


def test_a_bad_source_focus_file_is_a_clear_error(tmp_path) -> None:
    from newsevents.errors import ConfigError
    from newsevents.stages.places import read_source_focus

    bad = tmp_path / "focus.tsv"
    bad.write_text("domain\tstate\nexample.org\tOhio\n")
    with pytest.raises(ConfigError, match="focus.tsv: not a source focus file"):
        read_source_focus(bad)
    bad.write_text("source\tcountry\tadmin1\tarticles\tnaming\nexample.org\tUSA\tOH\t4\t3\n")
    with pytest.raises(ConfigError, match="line 2"):
        read_source_focus(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        read_source_focus(tmp_path / "missing.tsv")


def test_mutual_support_and_division_words() -> None:
    """"Paris and Henry County": the Paris beside a Henry County (Tennessee) has support, the capital of France none; "Homs and
    Aleppo governorates" are the governorates; "China" beside Houston and Texas stays the country."""
    from newsevents.stages.places import _mutual_support

    gaz = default_gazetteer()
    support = _mutual_support({"paris": gaz.candidates("Paris"), "henry county": gaz.candidates("Henry County")})
    supported = {pid for (key, pid), n in support.items() if key == "paris" and n}
    assert PARIS_FR not in supported
    assert any(gaz.get(pid).admin1 == "TN" for pid in supported)  # type: ignore[union-attr]
    text = "Volunteers from Paris and Henry County, in northwest Tennessee, cleared the storm damage."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("Paris", "Henry County", "Tennessee")]
    paris, county, _ = resolve_toponyms(gaz, text, spans)
    assert paris is not None and county is not None
    assert (paris.country, gaz_admin1(paris.geonameid), gaz_admin1(county.geonameid)) == ("US", "TN", "TN")
    text = "Shelling went on in Homs and Aleppo governorates overnight."
    homs, aleppo = resolve_toponyms(gaz, text, [(20, 24), (29, 35)])
    assert homs is not None and aleppo is not None and (homs.feature, aleppo.feature) == ("ADM1", "ADM1")
    text = "Exporters in Houston, Texas, said tariffs on China would hurt the port."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("Houston", "Texas", "China")]
    assert resolve_toponyms(gaz, text, spans)[2].country == "CN"  # type: ignore[union-attr]


def test_forms_of_one_name_share_what_any_of_them_finds() -> None:
    """"NJ" finds nothing alone, "N.J." finds New Jersey by its full stops; one key, one sense."""
    gaz = default_gazetteer()
    text = "Commuters in NJ face fare rises; N.J. Transit blamed costs."
    spans = [(13, 15), (text.index("N.J."), text.index("N.J.") + 4)]
    assert [p.name if p else None for p in resolve_toponyms(gaz, text, spans)] == ["New Jersey", "New Jersey"]
