"""The language layer on fictional articles written for these tests (no gold sentences)."""

from __future__ import annotations

import pytest

from newsevents.pipeline import Pipeline
from newsevents.readers._common import make_article
from newsevents.records import Analysis, Entity
from newsevents.stages.actors import Actors, resolve_span
from newsevents.stages.language import Language


@pytest.fixture(scope="module")
def layer() -> Pipeline:
    return Pipeline([Language(), Actors()])


def run(layer: Pipeline, text: str, day: str = "2025-03-04") -> Analysis:
    [a] = layer.run([make_article(text=text, input="t", format="text", key=text, published=day)], keep_doc=True)
    return a


def entity(a: Analysis, name: str) -> Entity:
    for e in a.entities:
        if name in (e.canonical or "") or name == e.text:
            return e
    raise AssertionError(f"no entity {name!r} in {[e.canonical for e in a.entities]}")


def mention_texts(e: Entity) -> list[str]:
    return [m.text for m in e.mentions]


def test_office_holders_resolve_at_the_article_date(layer: Pipeline) -> None:
    a = run(layer, "President Clinton met the Chinese premier in Washington.", day="1997-04-01")
    clinton = entity(a, "Bill Clinton")
    assert clinton.code == "USAGOV" and clinton.country == "USA"
    b = run(layer, "Trump spoke to reporters on Air Force One.", day="2025-02-13")
    assert entity(b, "Donald Trump").code == "USAGOV"


def test_unlisted_person_becomes_an_actor_from_the_words_around_the_name(layer: Pipeline) -> None:
    a = run(layer, "Kremlin spokeswoman Irina Volkova told reporters the talks were over. "
                   "Volkova added that Moscow would respond.")
    volkova = entity(a, "Irina Volkova")
    assert volkova.country == "RUS" and volkova.code == "RUSGOV"
    assert "Volkova" in mention_texts(volkova)


def test_appositive_gives_the_country_and_role(layer: Pipeline) -> None:
    a = run(layer, "Tomas Berg, Norway's foreign minister, arrived in Oslo on Monday.")
    assert entity(a, "Tomas Berg").country == "NOR"


def test_title_phrase_and_pronoun_refer_back(layer: Pipeline) -> None:
    a = run(layer, "Kremlin spokesman Pavel Orlov said the meeting was useful. "
                   "“We are ready,” he added. The Kremlin spokesman also said a date was not set.")
    orlov = entity(a, "Pavel Orlov")
    kinds = {m.kind for m in orlov.mentions}
    assert "pronoun" in kinds and "title" in kinds


def test_the_us_president_is_the_office_holder(layer: Pipeline) -> None:
    a = run(layer, "The U.S. president said on Tuesday that tariffs would rise.", day="2025-03-04")
    trump = entity(a, "Donald Trump")
    assert any(m.kind == "title" for m in trump.mentions)


def test_the_two_leaders_refers_to_the_pair(layer: Pipeline) -> None:
    a = run(layer, "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris. "
                   "The two leaders agreed to meet again.", day="2023-06-01")
    for name in ("Olaf Scholz", "Emmanuel Macron"):
        assert "The two leaders" in mention_texts(entity(a, name))


def test_metonyms_are_the_government(layer: Pipeline) -> None:
    a = run(layer, "Moscow rejected the proposal, and the Kremlin said Kyiv was stalling. Beijing stayed silent.")
    assert entity(a, "Moscow").code == "RUSGOV"
    assert entity(a, "Kremlin").code == "RUSGOV"
    kyiv = entity(a, "Kyiv")
    assert kyiv.code == "UKRGOV" and kyiv.type == "GPE"
    assert entity(a, "Beijing").code == "CHNGOV"


def test_groups_with_a_country_become_group_actors(layer: Pipeline) -> None:
    a = run(layer, "Russian troops shelled the town while Ukrainian officials called for help.")
    codes = {e.code for e in a.entities}
    assert {"RUSMIL", "UKRGOV"} <= codes


def test_organisations_have_their_codes(layer: Pipeline) -> None:
    a = run(layer, "NATO and the United Nations urged restraint; the European Union said nothing.")
    codes = {e.code for e in a.entities}
    assert {"IGOWSTNAT", "IGOUNO"} <= codes


def test_misspelt_country_is_matched(layer: Pipeline) -> None:
    a = run(layer, "The leaders will meet in Saudia Arabia next week.")
    assert entity(a, "Saudi Arabia").country == "SAU"


def test_offsets_are_inside_the_text_and_match(layer: Pipeline) -> None:
    a = run(layer, "The Kremlin said on Thursday that Vladimir Putin would travel to Beijing.")
    for e in a.entities:
        assert a.article.text[e.start : e.end] == e.text
        for m in e.mentions:
            assert a.article.text[m.start : m.end] == m.text


def test_resolve_span_falls_back_to_the_words(layer: Pipeline) -> None:
    a = run(layer, "Pakistani police arrested three men near the border.")
    text = a.article.text
    actor = resolve_span(a, 0, text.index(" arrested"))
    assert actor is not None and actor.country == "PAK" and actor.code == "PAKCOP"
