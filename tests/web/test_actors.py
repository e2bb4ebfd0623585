"""Who an actor is, in the API: one name per code, a person's own page apart from their government's, and groups
with no country ("soldiers", MIL) never pooled across articles.

The store is written directly from fictional records (no model), so each test knows exactly what is in it:
Norway's government appears as its ministers Ingrid Vale and Tomas Berge and as "Oslo" (in two articles, so
that the metonym is the code's commonest non-person name); Chile's as Rosa Quintero and "Chile (government)";
a fictional fisheries council IGONFC as itself, its secretariat and its head Lena Ruud (a person named in more
articles than the council is); and soldiers fire on civilians in two articles, with no country (as the event
coder makes such groups: an actor of the event with a sector for its code, no entity).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import quote

import httpx
import pytest

from newsevents.records import Actor, Analysis, Article, Entity, Event, Quote
from tests.web.conftest import serving, write_store

PEOPLE = {"Ingrid Vale": "NORGOV", "Tomas Berge": "NORGOV", "Rosa Quintero": "CHLGOV", "Lena Ruud": "IGONFC"}
COUNTRY = {"NORGOV": "NOR", "CHLGOV": "CHL", "IGONFC": None, "MIL": None, "CVL": None}
TYPES = {"Oslo": "GPE", "Chile (government)": "ROLE", "Northern Fisheries Council": "ORG", "NFC Secretariat": "ORG"}
CODES = {"Oslo": "NORGOV", "Chile (government)": "CHLGOV", "Northern Fisheries Council": "IGONFC",
         "NFC Secretariat": "IGONFC", "soldiers": "MIL", "civilians": "CVL"}


def _code(name: str) -> str:
    return PEOPLE.get(name) or CODES[name]


def _entity(i: int, name: str) -> Entity:
    code = _code(name)
    return Entity(id=f"e{i}", text=name, type="PERSON" if name in PEOPLE else TYPES[name], start=0, end=len(name),
                  canonical=name, country=COUNTRY[code], code=code)


def _actor(name: Optional[str]) -> Optional[Actor]:
    return Actor(name=name, code=_code(name), country=COUNTRY[_code(name)]) if name else None


def _event(source: str, target: Optional[str], cameo: str, day: str) -> Event:
    quad = {"01": 1, "03": 1, "04": 1, "19": 4}[cameo[:2]]
    return Event(source=_actor(source), target=_actor(target), cameo=cameo, root=cameo[:2], quad_class=quad,
                 goldstein=-10.0 if quad == 4 else 1.0, plover=None, evidence=f"{source} and {target}.", start=0,
                 end=10, date=day, date_from="text", confidence=0.9, rule="test")


def _quote(text: str, speaker: str) -> Quote:
    return Quote(text=text, kind="direct", start=0, end=len(text), speaker=speaker, speaker_canonical=speaker,
                 speaker_code=_code(speaker), cue="said", date="2025-03-01")


def _analysis(aid: str, published: str, names: list[str], events: list[Event], quotes: list[Quote]) -> Analysis:
    text = f"A fictional report ({aid}) for the tests of the web UI's actors."
    return Analysis(article=Article(id=aid, text=text, source="testwire.example", published=published,
                                    title=f"Report {aid}", input=f"{aid}.json", format="jsonl"),
                    entities=tuple(_entity(i, n) for i, n in enumerate(names)), events=tuple(events),
                    quotes=tuple(quotes))


ARTICLES = [
    _analysis("aaaa0001", "2025-03-01",
              ["Ingrid Vale", "Tomas Berge", "Oslo", "Rosa Quintero", "Chile (government)", "Northern Fisheries Council",
               "Lena Ruud"],
              [_event("Ingrid Vale", "Rosa Quintero", "040", "2025-01-10"),
               _event("Oslo", "Chile (government)", "036", "2025-02-10"),
               _event("Tomas Berge", "Chile (government)", "042", "2025-03-01"),
               _event("soldiers", "civilians", "190", "2025-02-20"),
               _event("Lena Ruud", "Oslo", "010", "2025-02-25")],
              [_quote("We will talk to Santiago.", "Ingrid Vale"), _quote("Nothing was agreed.", "Oslo")]),
    _analysis("bbbb0002", "2025-04-01",
              ["Oslo", "Rosa Quintero", "Ingrid Vale", "Lena Ruud", "NFC Secretariat", "Northern Fisheries Council"],
              [_event("soldiers", "civilians", "190", "2025-03-20"),
               _event("Rosa Quintero", "Ingrid Vale", "043", "2025-03-25")],
              [_quote("The quotas stand.", "Lena Ruud"), _quote("We met in good faith.", "Rosa Quintero")]),
    _analysis("cccc0003", "2025-04-15", ["Lena Ruud"], [], []),
]


@pytest.fixture(scope="module")
def actors_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("actors") / "actors.duckdb", ARTICLES)


@pytest.fixture(scope="module")
def api(actors_db: Path) -> Iterator[httpx.Client]:
    with serving(actors_db) as client:
        yield client


def get(client: httpx.Client, url: str, status: int = 200) -> Any:
    r = client.get(url)
    assert r.status_code == status, f"{url}: {r.status_code} {r.text[:300]}"
    return r.json()


# --- one name per code -------------------------------------------------------------------------------------
def test_actors_list_one_row_and_one_name_per_code(api: httpx.Client) -> None:
    rows = get(api, "/api/actors?limit=100")["items"]
    codes = [r for r in rows if r["kind"] == "code"]
    assert len({r["code"] for r in codes}) == len(codes)  # one row per code
    names = {r["code"]: r["name"] for r in codes}
    # the country and sector, not "Oslo" (the commonest non-person name) nor a minister
    assert names["NORGOV"] == "Norway (government)" and names["CHLGOV"] == "Chile (government)"
    # no country: the commonest name of the code's organisations, not its head (named in more articles)
    assert names["IGONFC"] == "Northern Fisheries Council"
    assert not set(names.values()) & (set(PEOPLE) | {"Oslo", "NFC Secretariat"})
    people = {r["name"]: r for r in rows if r["kind"] == "person"}
    assert set(people) == set(PEOPLE)
    assert (people["Ingrid Vale"]["code"], people["Ingrid Vale"]["country"]) == ("NORGOV", "NOR")
    assert people["Lena Ruud"]["articles"] == 3


def test_actors_search_finds_a_person_apart_from_their_government(api: httpx.Client) -> None:
    found = get(api, "/api/actors?contains=Ingrid")["items"]
    assert [(r["kind"], r["name"]) for r in found] == [("person", "Ingrid Vale")]
    found = get(api, "/api/actors?contains=Oslo")["items"]  # a metonym finds its code, under the code's name
    assert [(r["kind"], r["code"], r["name"]) for r in found] == [("code", "NORGOV", "Norway (government)")]


def test_network_nodes_have_one_name_per_code_and_people_of_their_own(api: httpx.Client) -> None:
    pairs = get(api, "/api/network")["items"]
    nodes: dict[str, set[tuple[str, str, str]]] = {}
    for p in pairs:
        for side in ("source", "target"):
            nodes.setdefault(p[f"{side}_key"], set()).add((p[f"{side}_kind"], p[f"{side}_name"], p[f"{side}_code"]))
    assert all(len(v) == 1 for v in nodes.values()), nodes  # a node has one name wherever it appears
    code_names = {code: name for v in nodes.values() for kind, name, code in v if kind == "code"}
    assert code_names == {"NORGOV": "Norway (government)", "CHLGOV": "Chile (government)"}
    assert nodes["person:Ingrid Vale"] == {("person", "Ingrid Vale", "NORGOV")}
    by_keys = {(p["source_key"], p["target_key"]): p["events"] for p in pairs}
    assert by_keys[("person:Ingrid Vale", "person:Rosa Quintero")] == 1
    assert by_keys[("code:NORGOV", "code:CHLGOV")] == 1  # Oslo's event only: its ministers' are theirs
    assert by_keys[("person:Lena Ruud", "code:NORGOV")] == 1


def test_network_keeps_groups_with_no_country_apart(api: httpx.Client) -> None:
    pairs = get(api, "/api/network")["items"]
    soldiers = [p for p in pairs if p["source_code"] == "MIL"]
    assert len(soldiers) == 2, soldiers  # one per article, not every country's soldiers in one node MIL
    assert {p["source_kind"] for p in soldiers} == {"generic"} and {p["source_name"] for p in soldiers} == {"soldiers"}
    assert {p["source_article"] for p in soldiers} == {"aaaa0001", "bbbb0002"}
    assert len({p["source_key"] for p in soldiers}) == len({p["target_key"] for p in soldiers}) == 2
    assert all(p["target_kind"] == "generic" and p["target_name"] == "civilians" for p in soldiers)
    assert not any(p["source_key"] in ("code:MIL", "code:CVL") or p["target_key"] in ("code:MIL", "code:CVL")
                   for p in pairs)


# --- a person's page, apart from their government's ---------------------------------------------------------
def test_a_person_has_their_own_events_and_quotes(api: httpx.Client) -> None:
    person = get(api, f"/api/people/{quote('ingrid vale')}")  # any case
    assert (person["kind"], person["name"], person["code"], person["country"]) == ("person", "Ingrid Vale", "NORGOV", "NOR")
    assert person["codes"] == [{"code": "NORGOV", "articles": 2}]
    own = get(api, "/api/events?actor_person=Ingrid Vale")["items"]
    assert [(e["source_name"], e["target_name"]) for e in own] == [("Ingrid Vale", "Rosa Quintero")]
    assert own[0]["source_kind"] == own[0]["target_kind"] == "person"
    assert [e["source_name"] for e in get(api, "/api/events?target_person=Ingrid Vale")["items"]] == ["Rosa Quintero"]
    quotes = get(api, "/api/quotes?person=Ingrid Vale")["items"]
    assert [(q["speaker_canonical"], q["speaker_kind"]) for q in quotes] == [("Ingrid Vale", "person")]
    assert get(api, "/api/events?actor_person=Ingrid")["items"] == []  # a name exactly, not part of one


def test_the_governments_page_has_the_codes_events_and_lists_its_people(api: httpx.Client) -> None:
    gov = get(api, "/api/actors/NORGOV")
    assert (gov["kind"], gov["name"], gov["country"], gov["articles"]) == ("code", "Norway (government)", "NOR", 2)
    assert {p["name"] for p in gov["people"]} == {"Ingrid Vale", "Tomas Berge"}
    events = get(api, "/api/events?actor=NORGOV")["items"]
    assert sorted(e["source_name"] for e in events) == ["Ingrid Vale", "Oslo", "Tomas Berge"]
    oslo = next(e for e in events if e["source_name"] == "Oslo")
    assert (oslo["source_kind"], oslo["source_actor"]) == ("code", "Norway (government)")  # coded as "Oslo"
    assert (oslo["target_kind"], oslo["target_actor"]) == ("code", "Chile (government)")
    speakers = {(q["speaker_canonical"], q["speaker_kind"], q["speaker_actor"])
                for q in get(api, "/api/quotes?speaker=NORGOV")["items"]}
    assert speakers == {("Ingrid Vale", "person", "Ingrid Vale"), ("Oslo", "code", "Norway (government)")}


def test_person_and_actor_pages_and_their_errors(api: httpx.Client) -> None:
    for path in (f"/people/{quote('Ingrid Vale')}", "/actors/NORGOV"):
        r = api.get(path)
        assert r.status_code == 200 and "/static/js/actor.js" in r.text, path
    assert "no person named 'Oslo'" in get(api, "/api/people/Oslo", 404)["error"]  # a metonym is no person
    unknown = get(api, "/api/actors/XYZGOV")  # a code no entity carries: answered, with nothing found
    assert (unknown["articles"], unknown["people"], unknown["name"]) == (0, [], "XYZGOV")
    assert get(api, "/api/actors/MIL")["name"] == "military (no country)"
