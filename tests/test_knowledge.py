from __future__ import annotations

from pathlib import Path

import pytest

from newsevents.errors import ConfigError
from newsevents.knowledge import ActorKnowledge, default_knowledge, norm, read_table
from newsevents.knowledge.petrarch import load_actors, load_agents
from tests.conftest import shared_path

KNOWLEDGE = Path(__file__).resolve().parents[1] / "src" / "newsevents" / "knowledge"


@pytest.fixture(scope="module")
def kn() -> ActorKnowledge:
    return default_knowledge()


def test_every_table_parses_with_its_columns() -> None:
    expected = {
        "countries.tsv": 8, "metonyms.tsv": 4, "organisations.tsv": 5, "roles.tsv": 3, "people.tsv": 7,
    }
    for name, ncols in expected.items():
        rows = list(read_table(KNOWLEDGE / name))
        assert len(rows) > 50, name
        assert all(len(r) == ncols for r in rows), name


@pytest.mark.parametrize("text,code", [
    ("Russia", "RUS"), ("the Kremlin", "RUSGOV"), ("Moscow", "RUSGOV"), ("Washington", "USAGOV"),
    ("the White House", "USAGOV"), ("Kyiv", "UKRGOV"), ("Kiev", "UKRGOV"), ("NATO", "IGOWSTNAT"),
    ("United Nations", "IGOUNO"), ("U.S.", "USA"), ("Britain", "GBR"), ("Downing Street", "GBRGOV"),
])
def test_names_resolve_to_cameo_codes(kn: ActorKnowledge, text: str, code: str) -> None:
    entry = kn.lookup(text)
    assert entry is not None and entry.code == code


@pytest.mark.parametrize("name,day,code", [
    ("Bill Clinton", "1997-04-01", "USAGOV"), ("Donald Trump", "2025-02-13", "USAGOV"),
    ("Vladimir Putin", "2025-02-13", "RUSGOV"), ("Tony Blair", "2001-06-01", "GBRGOV"),
])
def test_people_resolve_at_the_article_date(kn: ActorKnowledge, name: str, day: str, code: str) -> None:
    entry = kn.lookup(name, day)
    assert entry is not None and entry.code == code


def test_surnames_resolve_to_whoever_held_office(kn: ActorKnowledge) -> None:
    assert kn.lookup_surname("Clinton", "1997-04-01").canonical == "Bill Clinton"
    assert kn.lookup_surname("Trump", "2025-02-13").canonical == "Donald Trump"
    assert kn.holder("USA", ("head_of_state",), "2025-02-13").canonical == "Donald Trump"
    assert kn.holder("USA", ("head_of_state",), "1997-04-01").canonical == "Bill Clinton"


def test_roles_map_to_sectors(kn: ActorKnowledge) -> None:
    assert kn.role("spokesman") == "GOV"
    assert kn.role("troops") == "MIL"
    assert kn.role("police") == "COP"
    assert kn.role("rebels") == "REB"
    assert kn.role("opposition parties") == "OPP" and kn.role("militias") == "UAF"
    assert kn.role("weather") is None


def test_norm_folds_case_accents_articles_and_possessives() -> None:
    assert norm("the Élysée’s") == "elysee"
    assert norm("  The  Kremlin ") == "kremlin"


def test_petrarch_validation_dictionaries_load_and_fictional_actors_resolve() -> None:
    actors = shared_path("data", "events", "petrarch2__PETR.Validate.actors.txt")
    agents = shared_path("data", "events", "petrarch2__PETR.Validate.agents.txt")
    kn = ActorKnowledge.load(extra=[actors, agents])
    assert kn.lookup("Arnor").code == "ARN"
    assert kn.lookup("Gondor").code == "GON"
    assert kn.lookup("Minas Tirith").code == "GON"  # a '+' synonym
    assert kn.lookup("Eriadorian").code == "ERI"
    # Dated codes: Gollum is HOB before mid-1995, HOBGOV until August 1999, HOBREB after.
    assert kn.lookup("Gollum", "1994-01-01").code == "HOB"
    assert kn.lookup("Gollum", "1997-01-01").code == "HOBGOV"
    assert kn.lookup("Smeagol", "2001-01-01").code == "HOBREB"
    assert kn.role("foreign minister") == "GOVFRM"
    assert kn.role("congressmen") == "LEG"  # CONGRESS!PERSON! with !PERSON! = MEN
    # Our own knowledge is still there.
    assert kn.lookup("the Kremlin").code == "RUSGOV"


def test_petrarch_loader_counts_and_rejects_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "actors.txt"
    p.write_text("<!-- a comment -->\nFOO_LAND [FOO] # note\n+FOOISH\nBAR\n\t[BAR <010101]\n\t[BARGOV > 010102]\n")
    kn = ActorKnowledge()
    assert load_actors(kn, p) == 4
    assert kn.lookup("Fooish").code == "FOO"
    assert kn.lookup("Bar", "1999-01-01").code == "BAR"
    assert kn.lookup("Bar", "2005-01-01").code == "BARGOV"
    agents = tmp_path / "agents.txt"
    agents.write_text("!X! = MAN, MEN\nPOLICE!X! [~COP]\n")
    assert load_agents(kn, agents) == 2 and kn.role("policemen") == "COP"
    with pytest.raises(ConfigError, match="no such dictionary"):
        ActorKnowledge.load(extra=[tmp_path / "missing.txt"])


def test_east_asian_names_may_be_called_by_either_word() -> None:
    from newsevents.knowledge import surname_keys

    assert surname_keys("Xi Jinping", "CHN") == ["jinping", "xi"]
    assert "aso" in surname_keys("Taro Aso", "JPN") and "taro" in surname_keys("Taro Aso", "JPN")
    assert surname_keys("Emmanuel Macron", "FRA") == ["macron"]


def test_world_regions_and_religions_have_cameo_codes_and_no_country(tmp_path) -> None:
    kn = ActorKnowledge.load()
    assert kn.world_group("adjective", "Southeast Asian").code == "SEA"
    assert kn.world_group("name", "West").code == "WST" and kn.world_group("noun", "Christians").code == "CHR"
    assert "EUR" in kn.region_codes and "CHR" not in kn.region_codes
    assert kn.world_group("adjective", "Christian") is None  # a religion is a group by its nouns only
    (tmp_path / "world_groups.tsv").write_text("code\tkind\tname\tnames\tadjectives\tnouns\nXYZ\tplanet\tMars\t\t\t\n")
    bad = ActorKnowledge()
    with pytest.raises(ConfigError, match="kind must be region or religion"):
        bad._load_world_groups(tmp_path / "world_groups.tsv")
