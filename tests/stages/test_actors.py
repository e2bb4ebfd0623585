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


# --- in-document actors: every rule on fictional articles written for it ------------------------------------


def test_a_full_name_the_article_gives_beats_a_listed_person_of_that_surname(layer: Pipeline) -> None:
    # Kim Jong-un is listed and in office on the day; the article names its own Kim in full first.
    a = run(layer, "North Korean envoy Kim Sol-bin arrived in Geneva on Monday for talks. "
                   "Kim told reporters that Pyongyang wanted sanctions lifted.", day="2024-05-06")
    envoy = entity(a, "Kim Sol-bin")
    assert "Kim" in mention_texts(envoy)
    assert not any(e.canonical == "Kim Jong-un" for e in a.entities)
    assert envoy.country == "PRK"


def test_an_institution_name_many_countries_share_takes_the_country_the_text_gives(layer: Pipeline) -> None:
    india = run(layer, "India's Congress party said on Monday it would contest the state election alone.")
    congress = entity(india, "Congress")
    assert congress.country == "IND" and congress.code.startswith("INDPTY")
    peru = run_dated(layer, "LIMA, June 3 (Wire) - Congress voted late on Tuesday to remove the chief prosecutor.")
    assert entity(peru, "Congress").code == "PERLEG"
    us = run_dated(layer, "WASHINGTON, June 3 (Wire) - Congress voted to extend the budget by a week.")
    assert entity(us, "Congress").code == "USALEG"


def test_they_after_a_pair_refers_to_both(layer: Pipeline) -> None:
    a = run(layer, "Portuguese Prime Minister Rui Calado and Spanish Prime Minister Elena Ortiz met in Madrid. "
                   "They agreed to build a new rail link.", day="1990-01-01")
    they = [e for e in a.entities if any(m.text == "They" for m in e.mentions)]
    assert {e.canonical for e in they} == {"Rui Calado", "Elena Ortiz"}


def test_a_role_phrase_after_an_apposition_is_that_person(layer: Pipeline) -> None:
    a = run(layer, "Marta Salgado, Chile's foreign minister, flew to Lima on Sunday. "
                   "The minister said the border dispute could be settled.", day="1990-01-01")
    salgado = entity(a, "Marta Salgado")
    assert "The minister" in mention_texts(salgado) and salgado.country == "CHL"


def run_dated(layer: Pipeline, text: str) -> Analysis:
    """An article whose text opens with its dateline, as a wire reader gives it."""
    [a] = layer.run([make_article(text=text, input="t", format="text", key=text, published="2023-05-02",
                                  dateline=text.split(" - ")[0])], keep_doc=True)
    return a


def test_a_bare_army_takes_the_foreign_dateline_country(layer: Pipeline) -> None:
    a = run_dated(layer, "KHARTOUM, May 2 (Wire) - The army said on Friday it had retaken a bridge north of the capital.")
    army = next(e for e in a.entities if any(m.text.lower() == "the army" for m in e.mentions))
    assert army.code == "SDNMIL" and army.basis == "inferred"


def test_a_pronoun_speaker_two_paragraphs_after_the_full_name(layer: Pipeline) -> None:
    a = run(layer, "Kenyan Interior Minister Daniel Mwangi visited the flooded district on Tuesday.\n\n"
                   "Rescue teams were still searching for survivors in three villages.\n\n"
                   "“We will rebuild every school,” he said.", day="1990-01-01")
    mwangi = entity(a, "Daniel Mwangi")
    assert "he" in mention_texts(mwangi) and mwangi.country == "KEN"


def test_titles_appositions_and_of_phrases_give_countries(layer: Pipeline) -> None:
    a = run(layer, "Iraqi government spokesman Karim al-Nouri said the warrant was genuine. "
                   "Pak Chol-su, head of the North Korean UN mission, declined to comment. "
                   "Jorge Mendes, the president of Guinea-Bissau, arrived later.", day="1990-01-01")
    assert entity(a, "Karim al-Nouri").code == "IRQGOV"
    assert entity(a, "Pak Chol-su").country == "PRK"
    assert entity(a, "Jorge Mendes").country == "GNB"


def test_a_person_introduced_with_an_organisation_speaks_for_it(layer: Pipeline) -> None:
    a = run(layer, "IMF chief economist Paula Grant said growth would slow. "
                   "The head of the International Monetary Fund added that rates were too high.", day="1990-01-01")
    grant = entity(a, "Paula Grant")
    assert grant.code == "IGOBUSIMF"
    assert any(m.text.startswith("The head") for m in grant.mentions)


def test_it_and_the_statement_stand_for_the_institution_that_spoke(layer: Pipeline) -> None:
    a = run(layer, "The Danish foreign ministry said on Monday it would summon the ambassador. "
                   "It said the incident was unacceptable. "
                   "In a statement, the ministry added that talks would go on.", day="1990-01-01")
    ministry = next(e for e in a.entities if e.code == "DNKGOV")
    assert {"it", "It"} & set(mention_texts(ministry))


def test_a_document_as_speaker_is_whoever_issued_it(layer: Pipeline) -> None:
    a = run(layer, "Norwegian Defence Minister Lars Dahl made the threat in a statement on Tuesday. "
                   "“Those responsible will pay,” the statement said.", day="1990-01-01")
    dahl = entity(a, "Lars Dahl")
    assert "the statement" in mention_texts(dahl)


def test_an_age_description_is_the_person_just_named(layer: Pipeline) -> None:
    a = run(layer, "Zambian President Peter Banda toured the copper mine on Friday. "
                   "“We need power lines first,” said the 71-year-old.", day="1990-01-01")
    banda = entity(a, "Peter Banda")
    assert "the 71-year-old" in mention_texts(banda)


def test_possessive_pronoun_binds_to_its_clause_possessor(layer: Pipeline) -> None:
    a = run(layer, "The Austrian coast guard said it had rescued the crew. "
                   "Austria's determination to defend its waters is firm, the foreign minister said.",
            day="1990-01-01")
    austria = next(e for e in a.entities if e.canonical == "Austria")
    assert "its" in mention_texts(austria)


def test_the_two_countries_are_the_pair_the_article_is_about(layer: Pipeline) -> None:
    a = run(layer, "Chile and Peru renewed their border talks. Chile said the talks were useful. "
                   "Peru said it wanted a deal. Brazil and Argentina welcomed the talks. "
                   "An analyst said the two countries were close to a deal.", day="1990-01-01")
    pair = {e.canonical for e in a.entities if any(m.text == "the two countries" for m in e.mentions)}
    assert pair == {"Chile", "Peru"}


def test_group_of_a_sentence_country_and_western_groups_stay_countryless(layer: Pipeline) -> None:
    a = run(layer, "Police in Lisbon detained nine people after Portugal's parliament voted on the bill. "
                   "Western governments criticised the arrests.", day="1990-01-01")
    police = next(e for e in a.entities if any(m.text.startswith("Police") for m in e.mentions))
    assert police.code == "PRTCOP"
    assert not any(m.text == "Western governments" for e in a.entities for m in e.mentions)


def test_a_place_the_knowledge_lacks_is_its_country(layer: Pipeline) -> None:
    a = run(layer, "Gunmen attacked a checkpoint near Samarra on Sunday.", day="2006-01-01")
    start = a.article.text.index("Samarra")
    got = resolve_span(a, start, start + len("Samarra"))
    assert got is not None and got.country == "IRQ"


def test_a_listed_person_named_with_a_title_or_a_misspelling(layer: Pipeline) -> None:
    a = run(layer, "President Omar El Bashir met President Bouteflicka in Algiers.", day="2005-03-01")
    assert entity(a, "Omar al-Bashir").country == "SDN"
    assert entity(a, "Abdelaziz Bouteflika").country == "DZA"


def test_entities_say_how_their_country_was_decided(layer: Pipeline) -> None:
    a = run(layer, "Kenyan police said Mwai Odhiambo, a Nairobi trader, was released. "
                   "Russia protested.", day="2005-03-01")
    assert entity(a, "Russia").basis == "knowledge"
    police = next(e for e in a.entities if e.code == "KENCOP")
    assert police.basis == "context" and police.sector == "COP"


def test_a_person_takes_no_country_from_the_side_they_act_on(layer: Pipeline) -> None:
    a = run(layer, "The talks began on Monday. Foreign Minister Anna Berg met Russian officials in Moscow.",
            day="1990-01-01")
    assert entity(a, "Anna Berg").country != "RUS"


def test_she_does_not_refer_to_a_man_the_article_named(layer: Pipeline) -> None:
    a = run(layer, "Judge Maria Kovacs heard Omar Haddad on Monday. Haddad denied the charges. "
                   "“The evidence is clear,” she said.", day="1990-01-01")
    assert "she" in mention_texts(entity(a, "Maria Kovacs"))
    assert "she" not in mention_texts(entity(a, "Omar Haddad"))


def test_a_definite_description_as_speaker_is_the_person_just_named(layer: Pipeline) -> None:
    a = run(layer, "Lina Petrova won her third title on Sunday. "
                   "“It was a perfect week,” said the former world champion.", day="1990-01-01")
    assert "the former world champion" in mention_texts(entity(a, "Lina Petrova"))
    b = run(layer, "Sweden and Norway signed the accord on Friday. “Fishing quotas will rise,” the agreement says.",
            day="1990-01-01")
    assert not any(m.text == "the agreement" for e in b.entities for m in e.mentions)


def test_an_unlisted_organisation_named_by_its_kind_takes_that_sector_and_its_country(layer: Pipeline) -> None:
    a = run(layer, "Paraguay's supreme court on Tuesday rejected an appeal by the Colorado Unity Party.")
    court = entity(a, "supreme court")
    assert court.code == "PRYJUD" and court.basis == "inferred"
    b = run(layer, "Bolivian police said the Verdant Unity Party called a strike on Monday.")
    assert entity(b, "Verdant Unity Party").code == "BOLPTY"


def test_a_title_phrase_run_into_a_name_gives_its_organisation(layer: Pipeline) -> None:
    a = run(layer, "The exiled leader of the Palestinian Islamic Resistance Movement (Hamas) Walid Qasem arrived "
                   "in the Egyptian capital of Cairo on Wednesday night.")
    assert entity(a, "Walid Qasem").code == "PSEREBHMS"


def test_an_undated_text_names_no_office_holder(layer: Pipeline) -> None:
    [a] = layer.run([make_article(text="The Chilean president met the Peruvian president.", input="t",
                                  format="text", key="undated")], keep_doc=True)
    assert all(e.type != "PERSON" or "president" in (e.canonical or "").lower() for e in a.entities), \
        [(e.canonical, e.type) for e in a.entities]
    assert entity(a, "Chilean president").code == "CHLGOV"


def test_a_person_titled_by_an_organisation_takes_its_country(layer: Pipeline) -> None:
    a = run(layer, 'Talks are possible. "The door is open," Foreign Ministry spokesman Wu Lanfen told reporters in '
                   "Beijing.\n\nChina said on Monday that it would wait.", day="2003-05-06")
    assert entity(a, "Wu Lanfen").country == "CHN"


def test_a_religious_leader_is_listed_and_named_again_by_his_role(layer: Pipeline) -> None:
    a = run(layer, "The Dalai Lama arrived in Oslo on Monday. Norway's prime minister later greeted the spiritual "
                   "leader at the airport.", day="2001-06-11")
    lama = entity(a, "Dalai Lama")
    assert lama.code == "CHNREL" and "the spiritual leader" in mention_texts(lama)


def test_the_president_is_not_the_vice_president(layer: Pipeline) -> None:
    a = run(layer, "Vice President Al Gore met the visitors first, and the president joined them later.",
            day="1997-04-23")
    assert "the president" not in mention_texts(entity(a, "Al Gore"))


def test_the_two_is_the_pair_that_acted_together_not_the_last_two_names(layer: Pipeline) -> None:
    a = run(layer, "Kenyan Foreign Minister Amos Wekesa and Ugandan Foreign Minister Ruth Nankya met in Arusha "
                   "on Monday, the daily Nation reported.\n\nThe paper quoted Tanzanian officials as saying "
                   "that the two held long talks.", day="2010-03-02")
    assert "the two" in mention_texts(entity(a, "Amos Wekesa"))
    assert "the two" in mention_texts(entity(a, "Ruth Nankya"))
    assert "the two" not in mention_texts(entity(a, "Arusha"))


def test_two_countries_without_the_is_not_a_pair_named_before(layer: Pipeline) -> None:
    a = run(layer, "Chile and Peru signed a fishing accord. Only two Andean countries, Bolivia and Ecuador, "
                   "have joined it so far.", day="2010-03-02")
    assert not any(m.text.startswith("two Andean") for e in a.entities for m in e.mentions)


def test_a_former_office_holder_sent_by_an_organisation_acts_for_it(layer: Pipeline) -> None:
    a = run(layer, "NATO envoy Tony Blair held talks in Skopje on Monday.", day="2010-03-02")
    assert entity(a, "Tony Blair").code == "IGOWSTNAT"


def test_a_surname_several_listed_people_of_one_country_share_gives_the_country(layer: Pipeline) -> None:
    # Two Kabilas are listed (father and son), neither in office on this day: the country is still known.
    a = run(layer, "Rebel leader Kabila said his forces would keep advancing.", day="1997-03-01")
    assert entity(a, "Kabila").country == "COD"


def test_a_place_coordinated_with_a_person_is_not_a_place_acting(layer: Pipeline) -> None:
    a = run(layer, "Ban Ki-moon and Taro agreed to meet in Busan.", day="2005-11-02")
    assert all(e.country != "SLB" for e in a.entities)


def test_an_acronym_the_article_defines_stands_for_that_name(layer: Pipeline) -> None:
    a = run(layer, "Fighters of the South Lebanon Army (SLA) withdrew from two villages. The SLA said it would "
                   "return.", day="1998-05-06")
    sla = entity(a, "South Lebanon Army")
    assert sla.country == "LBN" and mention_texts(sla).count("SLA") == 2
    assert all(e.country != "SDN" for e in a.entities)


def test_a_town_abroad_that_the_article_never_mentions_is_not_an_actor(layer: Pipeline) -> None:
    text = ("Lebanese officials met on Monday. Israel said its forces would stay. Troops shelled South Lebanon "
            "overnight, Lebanese police said.")
    assert all(e.country != "USA" for e in run(layer, text, day="1998-05-06").entities)


def test_an_international_body_s_staff_carry_its_code(layer: Pipeline) -> None:
    a = run(layer, "The NATO commander in Kabul met Afghan officials. EU negotiators rejected the Turkish "
                   "proposal.", day="2010-03-02")
    assert entity(a, "NATO commander").code == "IGOWSTNAT"
    assert entity(a, "EU negotiators").code == "IGOEUREEC"
    b = run(layer, "Russia's UN ambassador rejected the draft.", day="2010-03-02")
    assert entity(b, "UN ambassador").country == "RUS"


def test_a_force_does_not_take_the_country_of_those_it_acts_on(layer: Pipeline) -> None:
    a = run(layer, "Fifteen Palestinians were arrested overnight by the army. The army also arrested two "
                   "Palestinians in Hebron.", day="2006-12-04")
    assert all(e.country != "PSE" for e in a.entities if "army" in (e.canonical or e.text).lower())
    b = run(layer, "Kenyan troops ousted rebels from a southern town on Monday.")
    assert all(e.country != "KEN" for e in b.entities if "rebels" in (e.canonical or e.text).lower())


def test_us_agencies_and_detainees_are_actors(layer: Pipeline) -> None:
    a = run(layer, "ICE detained 40 Guatemalan prisoners in Texas, and USAID sent food to Malawi.")
    codes = {e.text: e.code for e in a.entities}
    assert codes.get("ICE") == "USACOP" and codes.get("USAID") == "USAGOV"
    assert any(c and c.endswith("CVL") for t, c in codes.items() if "prisoners" in t)


def test_a_side_taken_is_not_a_country(layer: Pipeline) -> None:
    a = run(layer, "The main pro-Chilean Aymara groups criticised the anti-Peruvian government led by Marta Quispe.")
    assert all(e.country not in ("CHL", "PER") for e in a.entities if "group" in (e.canonical or e.text).lower()
               or "government" in (e.canonical or e.text).lower())


def test_the_militants_are_the_group_named_before(layer: Pipeline) -> None:
    a = run(layer, "Three Peruvian militants opened fire on a Chilean patrol on Monday. Chilean soldiers fired back at "
                   "the militants, witnesses said.")
    groups = [e for e in a.entities if "militants" in (e.canonical or e.text).lower()]
    assert groups and all(e.country == "PER" for e in groups)


def test_pronouns_are_not_bound_to_their_own_clause(layer: Pipeline) -> None:
    # an object pronoun is not its verb's subject; a relative clause's subject is not the noun it describes
    a = run(layer, "Rui Calado was released on Saturday after Chilean President Pedro Ruiz pardoned him.", day="1990-01-01")
    assert "him" in mention_texts(entity(a, "Rui Calado"))
    b = run(layer, "Chilean rebels said they would free the five Peruvian engineers they kidnapped in March.",
            day="1990-01-01")
    rebels = next(e for e in b.entities if any(m.text == "Chilean rebels" for m in e.mentions))
    assert mention_texts(rebels).count("they") == 2


def test_they_refers_back_to_a_named_group_with_a_plural_head(layer: Pipeline) -> None:
    a = run(layer, "Houthi rebels said on Monday they would release two Saudi pilots.", day="1990-01-01")
    houthis = next(e for e in a.entities if any(m.text == "Houthi rebels" for m in e.mentions))
    assert "they" in mention_texts(houthis)


def test_the_north_is_no_town_called_north(layer: Pipeline) -> None:
    a = run(layer, "Seoul ordered the military to step up combat readiness to deter aggression from the North.",
            day="1990-01-01")
    north = [e for e in a.entities if any(m.text == "North" for m in e.mentions)]
    assert all(e.country is None for e in north)
