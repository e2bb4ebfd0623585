"""The event coder on fictional sentences written for these tests (never gold sentences)."""

from __future__ import annotations

import pytest

from newsevents.pipeline import Pipeline
from newsevents.readers._common import make_article
from newsevents.records import Analysis, Event
from newsevents.stages.actors import Actors, resolve_span
from newsevents.stages.events import Codebook, Events, default_codebook
from newsevents.stages.dates import Dates
from newsevents.stages.language import Language
from newsevents.stages.places import Places
from newsevents.stages.quotes import Quotes


@pytest.fixture(scope="module")
def coder() -> Pipeline:
    return Pipeline([Language(), Actors(), Quotes(), Events()])


@pytest.fixture(scope="module")
def monadic_coder() -> Pipeline:
    return Pipeline([Language(), Actors(), Quotes(), Events(monadic=True)])


def run(p: Pipeline, text: str, day: str = "2025-03-04") -> Analysis:
    [a] = p.run([make_article(text=text, input="t", format="text", key=text, published=day)])
    return a


def find(a: Analysis, source: str, target: str, root: str | None = None) -> Event:
    hits = [e for e in a.events if (e.source.code or "").startswith(source) and e.target is not None
            and (e.target.code or "").startswith(target) and (root is None or e.root == root)]
    assert hits, f"no {source}->{target} {root or ''} event in {[(e.source.code, e.cameo, e.target and e.target.code) for e in a.events]}"
    return hits[0]


def test_codebook_is_complete() -> None:
    cb = default_codebook()
    assert len(cb.codes) > 280
    for root in [f"{i:02d}" for i in range(1, 21)]:
        assert root in cb.codes
    assert cb.codes["190"].quad_class == 4 and cb.codes["036"].quad_class == 1
    assert cb.codes["190"].goldstein < 0 < cb.codes["051"].goldstein
    assert all(p.cameo in cb.codes for plist in cb.patterns.values() for p in plist)
    # appeals are PLOVER requests, as demands are; plain statements have no PLOVER type
    assert (cb.codes["0253"].plover, cb.codes["0253"].plover_mode) == ("REQUEST", "yield") == (
        cb.codes["1053"].plover, cb.codes["1053"].plover_mode)
    assert cb.codes["010"].plover is None


def test_material_conflict_with_source_target_and_evidence(coder: Pipeline) -> None:
    a = run(coder, "Russian troops attacked Ukrainian positions near the border on Monday.")
    e = find(a, "RUS", "UKR")
    assert e.quad_class == 4 and not e.negated
    assert a.article.text[e.start : e.end].startswith("Russian troops attacked")
    assert e.rule and 0 < e.confidence <= 1


def test_negated_event_is_flagged(coder: Pipeline) -> None:
    a = run(coder, "Israel did not attack Lebanon on Sunday, the army said.")
    assert all(e.negated for e in a.events if e.root in ("18", "19", "20"))


def test_neither_nor_is_no_event(coder: Pipeline) -> None:
    a = run(coder, "The plan, which Moscow neither confirmed nor denied, was discussed in Oslo.")
    assert not [e for e in a.events if not e.negated and e.root in ("01", "05", "11", "12")]


def test_intention_is_coded_as_intent(coder: Pipeline) -> None:
    a = run(coder, "Chancellor Olaf Scholz expects to meet with President Emmanuel Macron in Paris next week.",
            day="2023-05-02")
    e = find(a, "DEU", "FRA")
    assert e.cameo.startswith("03")


def test_hypothetical_is_flagged(coder: Pipeline) -> None:
    a = run(coder, "The European Union could impose sanctions on Iran if talks fail.")
    hyp = [e for e in a.events if e.target is not None and (e.target.code or "").startswith("IRN")]
    assert hyp and all(e.hypothetical for e in hyp)


def test_demand_targets_the_subject_of_the_demanded_clause(coder: Pipeline) -> None:
    a = run(coder, "Moscow demanded that NATO withdraw its forces from the region.")
    assert find(a, "RUS", "IGOWSTNAT", root="10")


def test_compound_subject_is_a_symmetric_event(coder: Pipeline) -> None:
    a = run(coder, "Prime Minister Narendra Modi and President Joko Widodo held talks in Jakarta.", day="2018-05-30")
    e = find(a, "IND", "IDN")
    assert e.root == "04"


def test_reported_event_has_the_actor_not_the_reporter(coder: Pipeline) -> None:
    a = run(coder, "The ministry said Syrian forces shelled Turkish villages overnight.")
    assert find(a, "SYR", "TUR")


def test_custom_patterns_extend_the_coder(tmp_path) -> None:
    extra = tmp_path / "my_patterns.tsv"
    extra.write_text("pattern\tcameo\ttarget\tnote\nserenade\t051\tdobj\ttest verb\n")
    cb = Codebook.load(extra_patterns=[extra])
    p = Pipeline([Language(), Actors(), Quotes(), Events(codebook=cb)])
    a = run(p, "France serenaded Germany with compliments.")
    assert find(a, "FRA", "DEU", root="05")


def test_events_without_a_target_are_coded_only_when_asked(monadic_coder: Pipeline) -> None:
    text = "Hungary on Wednesday ruled out sending troops."
    dyadic = Pipeline([Language(), Actors(), Quotes(), Events()])
    assert not [e for e in run(dyadic, text).events if e.target is None]
    assert [e for e in run(monadic_coder, text).events if e.target is None and e.source.code == "HUN"]


def test_the_default_pipeline_follows_the_monadic_setting() -> None:
    from newsevents.config import Config
    from newsevents.pipeline import default_pipeline

    events = [s for s in default_pipeline(Config(monadic_events=True)).stages if s.name == "events"]
    assert events and events[0].monadic
    assert not [s for s in default_pipeline(Config()).stages if s.name == "events"][0].monadic


def test_an_event_dated_after_the_article_is_coded_as_an_intention() -> None:
    from newsevents.stages.dates import Dates

    p = Pipeline([Language(), Actors(), Dates(), Quotes(), Events()])
    text = "The minister's trip comes ahead of March 20 talks between Chile and Peru on fishing rights."
    [a] = p.run([make_article(text=text, input="t", format="text", key=text, published="2005-03-01")])
    later = [e for e in a.events if e.date and e.date > "2005-03-01"]
    assert later and all(e.root == "03" for e in later), [(e.cameo, e.date) for e in a.events]


# --- arguments from the whole clause (#16, item 4) ----------------------------------------------------------
def test_a_group_is_its_members(coder: Pipeline) -> None:
    a = run(coder, "Nigerian police arrested dozens of opposition activists on Monday.")
    assert find(a, "NGACOP", "NGAOPP", root="17")


def test_a_phrase_the_parse_hangs_on_the_object_still_names_the_target(coder: Pipeline) -> None:
    a = run(coder, "Japan donated a shipment of rice to Haiti on Friday.")
    assert find(a, "JPN", "HTI", root="07")


def test_whoever_made_a_rejected_call_is_the_target(coder: Pipeline) -> None:
    a = run(coder, "Chilean President Ana Soto rejected a call from Peruvian President Luis Vega to reopen the border.")
    assert find(a, "CHL", "PER", root="12")


def test_talks_framed_by_a_verb_take_its_subject(coder: Pipeline) -> None:
    a = run(coder, "Portugal's foreign minister arrived in Rabat on Monday for talks with Moroccan officials.")
    assert find(a, "PRT", "MAR", root="04")


def test_a_reported_must_is_a_demand_and_telling_to_is_one_too(coder: Pipeline) -> None:
    e = find(run(coder, "Brazil's president said Paraguay must return the disputed cattle."), "BRA", "PRY", root="10")
    assert "must/should" in e.rule
    assert find(run(coder, "Norway told Sweden to halt the fishing."), "NOR", "SWE", root="10")
    own = run(coder, "Brazil said it must protect its farmers.")
    assert not [e for e in own.events if e.root in ("02", "10")]


def test_a_domestic_protest_naming_no_one_is_aimed_at_the_government(coder: Pipeline) -> None:
    a = run(coder, "Tanzanian opposition supporters staged a protest in Dar es Salaam on Sunday.")
    e = find(a, "TZA", "TZAGOV", root="14")
    assert "own government" in e.rule
    state = run(coder, "Hungary on Wednesday ruled out sending troops.")
    assert not [e for e in state.events if e.target is not None and e.target.code == "HUNGOV"]


def test_what_is_asked_for_or_only_a_condition_is_no_event(coder: Pipeline) -> None:
    asked = run(coder, "The committee asked the government to consult with Chile on fishing quotas.")
    assert not [e for e in asked.events if e.root == "04"], [(e.cameo, e.rule) for e in asked.events]
    question = run(coder, "It is unclear whether Peruvian President Luis Vega will hold a summit with Bolivia.")
    assert not [e for e in question.events if e.root in ("03", "04")]
    ordered = run(coder, "Kenya ordered its troops to attack the Somali rebels.")
    assert find(ordered, "KEN", "SOM", root="19")  # an order is carried out: the attack is coded


def test_a_dateline_names_where_a_report_was_filed_not_who_acted(coder: Pipeline) -> None:
    a = run(coder, "LIMA, Peru - Police arrested dozens of Chilean fishermen on Monday.")
    assert not [e for e in a.events if "Lima" in e.source.name or e.source.code == "PERGOV"]
    assert find(a, "", "CHL", root="17")


def test_confidence_is_read_from_the_calibration_table(tmp_path) -> None:
    from newsevents.stages.events import Calibration

    table = tmp_path / "c.tsv"
    table.write_text("kind\traw_to\tconfidence\tmeasured\npattern\t0.7\t0.4\t10\npattern\t1.0\t0.75\t20\n"
                     "model\t1.0\t0.5\t5\n", encoding="utf-8")
    cal = Calibration.load(table)
    assert (cal("pattern", 0.65), cal("pattern", 0.8), cal("model", 0.99), cal("other", 0.33)) == (0.4, 0.75, 0.5, 0.33)
    p = Pipeline([Language(), Actors(), Quotes(), Events(calibration=cal)])
    e = find(run(p, "Russian troops attacked Ukrainian positions near the border on Monday."), "RUS", "UKR")
    assert e.confidence in (0.4, 0.75)


def test_a_refusal_or_threat_is_aimed_at_whom_the_act_it_governs_would_be(coder: Pipeline) -> None:
    a = run(coder, "Ankara still refuses to lift the ban on Cypriot ships.")
    assert find(a, "TUR", "CYP", root="12")
    b = run(coder, "The rebels threatened to attack the Malian army on Tuesday.")
    assert find(b, "", "MLI", root="13")


def test_a_negation_in_another_clause_does_not_negate_the_event(coder: Pipeline) -> None:
    a = run(coder, "Russia and China vetoed a French resolution, while a rival draft failed to get enough votes.")
    assert not find(a, "RUS", "FRA", root="12").negated
    assert find(run(coder, "Israel did not attack Lebanon on Sunday."), "ISR", "LBN", root="19").negated


def test_agreeing_to_an_act_no_pattern_codes_is_an_intention_to_cooperate(coder: Pipeline) -> None:
    a = run(coder, "Chile and Peru have agreed to set up a commission on water rights.")
    e = find(a, "CHL", "PER", root="03")
    assert e.cameo == "030" and "uncoded act" in e.rule
    b = run(coder, "Russia agreed to release the Ukrainian prisoners.")  # the act is coded, as the intention
    assert [e.cameo for e in b.events if e.root == "03"] == ["035"]


def test_the_author_of_a_banned_rally_and_the_supporters_of_a_party(coder: Pipeline) -> None:
    a = run(coder, "Kenyan police banned the rally by opposition leader Moses Wetangula on Friday.")
    assert find(a, "KENCOP", "KEN", root="17").target.name.endswith("Wetangula")
    b = run(coder, "Police in Kenya dispersed about 1,000 supporters of the Jubilee Alliance Party.")
    assert find(b, "KENCOP", "KEN", root="17")


def test_an_act_or_weapon_as_subject_is_done_by_its_agent(coder: Pipeline) -> None:
    a = run(coder, "A car bombing by the Islamic State group killed at least 30 people in eastern Syria.")
    assert [e for e in a.events if e.root == "19" and "Islamic State" in e.source.name]
    b = run(coder, "Missiles fired by the Russian army struck an arms depot of the Georgian army.")
    assert find(b, "RUS", "GEO", root="19")


def test_strikes_on_targets_in_a_place_are_aimed_at_that_place(coder: Pipeline) -> None:
    a = run(coder, "The Turkish army launched airstrikes on militant targets in northern Iraq on Friday.")
    assert find(a, "TUR", "IRQ", root="19")


def test_a_pattern_word_must_not_be_the_subject(coder: Pipeline) -> None:
    a = run(coder, "Kenyan police clashed with residents of the capital's largest slum.")
    assert not [e for e in a.events if e.root == "14"]  # "clash (with) police" is protesters' rioting
    assert find(a, "KENCOP", "KEN", root="19")
    b = run(coder, "Protesters clashed with police in Nairobi on Sunday.")
    assert [e for e in b.events if e.root == "14"]


def test_the_opposition_criticising_no_one_criticises_the_government(coder: Pipeline) -> None:
    a = run(coder, "Kenya's main opposition party denounced massive fraud in the elections.")
    e = find(a, "KEN", "KENGOV", root="11")
    assert "own government" in e.rule
    b = run(coder, "Kenyan students denounced the rise in fees.")  # not the political opposition
    assert not [e for e in b.events if e.target is not None and e.target.code == "KENGOV"]


def test_will_not_and_did_not_want_to_are_refusals_did_not_is_negation(coder: Pipeline) -> None:
    a = run(coder, "The British government said it will not lift the ban on Chile's fishing fleet.")
    e = find(a, "GBR", "CHL", root="12")
    assert e.cameo == "1241" and not e.negated and e.rule.startswith("refusal")
    b = run(coder, "The Chilean president did not want to meet the Peruvian president, his son said.")
    assert find(b, "CHL", "PER", root="12").cameo == "125"
    c = run(coder, "The rebels did not release the Chilean hostages.")
    assert all(e.negated for e in c.events if e.root in ("08", "12"))


def test_a_preposition_of_time_is_no_pattern_word_and_a_call_to_discuss_is_a_phone_call(coder: Pipeline) -> None:
    a = run(coder, "On Nov. 2, the Chilean foreign minister called the Peruvian foreign minister to discuss fishing.")
    assert not [e for e in a.events if e.root == "02"]
    assert find(a, "CHL", "PER", root="04").cameo == "041"


def test_two_subjects_the_parse_hangs_on_one_verb_meet_each_other(coder: Pipeline) -> None:
    a = run(coder, "Kenyan President Samuel Otieno and Ugandan Foreign Minister Ruth Nankya met on the sidelines "
                   "of a summit in Arusha on Monday.", day="2010-03-02")
    e = find(a, "KEN", "UGA", "04")
    assert e.source.name == "Samuel Otieno"


def test_an_apposition_names_who_a_plural_noun_stands_for(coder: Pipeline) -> None:
    a = run(coder, "Only two Andean countries, Bolivia and Ecuador, have signed trade agreements with Chile.",
            day="2010-03-02")
    find(a, "BOL", "CHL", "05")
    find(a, "ECU", "CHL", "05")


def test_each_actor_carries_the_words_that_name_it_in_the_evidence(coder: Pipeline) -> None:
    a = run(coder, "The IMF held talks with Russian Prime Minister Viktor Chernomyrdin in Moscow.", day="1997-04-02")
    e = find(a, "IGO", "RUS", "04")
    assert e.source.text == "IMF" and e.source.name == "International Monetary Fund"
    assert e.evidence[e.evidence.index(e.source.text):].startswith("IMF")


def test_an_actor_known_only_by_type_makes_no_dyadic_event(coder: Pipeline, monadic_coder: Pipeline) -> None:
    text = "A delegation was greeted at the airport by Kenyan Foreign Minister Ruth Nankya and her Ugandan counterpart."
    assert not [e for e in run(coder, text, day="2010-03-02").events if e.root == "04"]
    assert [e for e in run(monadic_coder, text, day="2010-03-02").events if e.root == "04"]


def test_take_place_in_a_city_is_not_taking_the_city(coder: Pipeline) -> None:
    a = run(coder, "The ASEAN summit will take place next month in the Thai port city of Phuket.", day="2010-03-02")
    assert not [e for e in a.events if e.root == "19"]


def test_each_other_codes_the_act_both_ways(coder: Pipeline) -> None:
    a = run(coder, "Chile and Peru accused each other of violating the fishing accord.", day="2010-03-02")
    find(a, "CHL", "PER", "11")
    find(a, "PER", "CHL", "11")


def test_what_someone_is_blamed_for_is_not_the_blamer_s_act(coder: Pipeline) -> None:
    a = run(coder, "Chile blamed Peru for the bombing.", day="2010-03-02")
    find(a, "CHL", "PER", "11")
    assert not [e for e in a.events if e.root in ("18", "19") and (e.source.code or "").startswith("CHL")]


def test_an_adjective_of_disapproval_and_a_reaction_to_a_party_s_act(coder: Pipeline) -> None:
    a = run(coder, "Chile has been critical of Peru.", day="2010-03-02")
    find(a, "CHL", "PER", "11")
    b = run(coder, "Chile expressed its displeasure over the participation of Peru in the naval exercise.",
            day="2010-03-02")
    find(b, "CHL", "PER", "11")


def test_we_in_a_direct_quote_is_its_speaker(coder: Pipeline) -> None:
    a = run(coder, '"We will impose sanctions on Peru," Chilean Foreign Minister Ana Rojas said.',
            day="2010-03-02")
    e = find(a, "CHL", "PER")
    assert e.source.name == "Ana Rojas" and e.source.text == "We"


def test_an_object_s_owner_is_the_target_when_no_slot_names_anyone(coder: Pipeline) -> None:
    a = run(coder, "The Chilean government strongly rejected Peru's proposal on the maritime border.",
            day="2010-03-02")
    find(a, "CHL", "PER", "12")
    b = run(coder, "Chile denied Peru's accusations.", day="2010-03-02")
    find(b, "CHL", "PER", "01")


def test_a_partner_named_outright_beats_the_owner_of_the_object(coder: Pipeline) -> None:
    a = run(coder, "Chile returned the archives of the African Union to Peru.", day="2010-03-02")
    assert a.events and all(e.target is not None and e.target.code == "PER" for e in a.events)


def test_a_verb_s_partner_in_talks_with_and_a_suspension_of_aid(coder: Pipeline) -> None:
    a = run(coder, "Chile discussed the fishing dispute in talks with Peruvian President Ana Quispe.",
            day="2010-03-02")
    find(a, "CHL", "PER", "04")
    b = run(coder, "Chile last week announced a suspension of aid to Peru.", day="2010-03-02")
    find(b, "CHL", "PER", "16")


def test_a_verb_of_refusal_recodes_the_act_it_governs_as_its_refusal(coder: Pipeline) -> None:
    a = run(coder, "Chile on Wednesday ruled out sending troops to Peru.", day="2010-03-02")
    e = find(a, "CHL", "PER", "12")
    assert e.cameo == "1224" and "refusal" in e.rule
    b = run(coder, "Chile rejected calls to attack Peru.", day="2010-03-02")
    assert not [e for e in b.events if e.root == "19" and not e.negated]


def test_an_accord_signed_between_two_parties_is_theirs(coder: Pipeline) -> None:
    a = run(coder, "The fishing agreement was signed in 2002 between the Chilean government and Peru.",
            day="2010-03-02")
    [e] = [e for e in a.events if e.root == "05"]
    assert {e.source.code, e.target.code} == {"CHLGOV", "PER"}
    b = run(coder, "Three soldiers were killed between Santiago and Valparaiso.", day="2010-03-02")
    assert not [e for e in b.events if e.source.country == "CHL" and e.root == "19"]


def test_two_leaders_agreeing_to_talks(coder: Pipeline) -> None:
    a = run(coder, "Chilean President Ana Rojas and Peruvian President Luis Quispe have agreed to face-to-face "
                   "talks.", day="2010-03-02")
    assert find(a, "CHL", "PER", "03").cameo == "036"


def test_willing_and_ready_make_an_intention_and_it_is_the_country(coder: Pipeline) -> None:
    a = run(coder, "Chile says it is willing to withdraw its troops from Peru.", day="2010-03-02")
    assert find(a, "CHL", "PER", "03").cameo == "035"
    b = run(coder, "Chile is ready to contribute 400 troops to the peacekeeping mission in Haiti.", day="2010-03-02")
    assert find(b, "CHL", "HTI", "03").cameo == "033"


def test_troops_sent_to_a_mission_go_to_its_country_and_renewed_talks(coder: Pipeline) -> None:
    a = run(coder, "Chile contributed 400 troops to the mission in Haiti.", day="2010-03-02")
    assert find(a, "CHL", "HTI", "07").cameo == "074"
    b = run(coder, "Chile and Peru renewed negotiations on Monday.", day="2010-03-02")
    find(b, "CHL", "PER", "04")


def test_monadic_coding_keeps_agreements_and_threats_that_name_no_one(coder: Pipeline, monadic_coder: Pipeline) -> None:
    agreed = "The Nepalese prime minister agreed on Sunday to resign."
    assert not run(coder, agreed).events
    assert [e for e in run(monadic_coder, agreed).events if e.cameo == "030" and e.target is None]
    threat = "Farmers in Kenya threatened on Friday to stage a week-long sit-in at the ministry."
    assert not [e for e in run(coder, threat).events if e.target is None]
    assert [e for e in run(monadic_coder, threat).events if e.root == "13" and e.target is None]


def test_monadic_coding_keeps_a_pattern_act_whose_target_is_no_actor(coder: Pipeline, monadic_coder: Pipeline) -> None:
    text = "The Ruritanian navy imposed a blockade on the ports of the southern coast."
    assert not run(coder, text).events
    [ev] = [e for e in run(monadic_coder, text).events if e.root == "19"]
    assert ev.target is None and "blockade" in ev.rule


def test_monadic_coding_gives_hidden_violence_an_unidentified_attacker(coder: Pipeline, monadic_coder: Pipeline) -> None:
    for text in ("Two Malian soldiers were killed near Gao on Monday, the army said.",
                 "A roadside bomb killed three Malian soldiers near Gao on Monday."):
        assert not run(coder, text).events
        [ev] = [e for e in run(monadic_coder, text).events if e.root == "18" or e.root == "19"]
        assert ev.source.code == "UAF" and ev.target is not None and ev.target.country == "MLI"
    named = "Rebels killed three Malian soldiers near Gao on Monday."
    assert all(e.source.code != "UAF" for e in run(monadic_coder, named).events)


def test_a_common_noun_opening_a_sentence_is_not_a_place() -> None:
    a = run(Pipeline([Language(), Actors()]), "Farmers blocked the highway to the capital.")
    assert resolve_span(a, 0, 7) is None or resolve_span(a, 0, 7).country is None


def test_monadic_coding_takes_named_actors_the_knowledge_cannot_code(coder: Pipeline, monadic_coder: Pipeline) -> None:
    text = "The Quorvex Mining Consortium sued the Kenyan government over the cancelled licences."
    assert not [e for e in run(coder, text).events if e.source.name.startswith("Quorvex")]
    [ev] = [e for e in run(monadic_coder, text).events if e.source.name.startswith("Quorvex")]
    assert ev.source.code is None and ev.source.country is None and ev.target.code == "KENGOV"


def test_a_second_subject_is_a_source_only_when_joined_to_the_first(coder: Pipeline) -> None:
    # the parser hangs "attacks" on the verb as a subject too; only "and" or a comma makes two subjects
    text = "Israeli shelling in response to Hezbollah attacks killed three Lebanese civilians on Monday."
    sources = {e.source.code for e in run(coder, text).events if e.root == "19"}
    assert "ISR" in sources and "LBNREBHEZ" not in sources


def test_a_dateline_opening_a_later_sentence_is_not_an_actor(coder: Pipeline) -> None:
    text = ("Jordan and Thailand agreed on Monday to expand trade.\n\n"
            "BANGKOK: Jordan's King Abdullah II began a two-day visit to Thailand on Tuesday.")
    events = run(coder, text).events
    assert any(e.source.country == "JOR" and e.target and e.target.country == "THA" and e.root == "04" for e in events)
    assert not any(e.source.name == "Bangkok" for e in events)


def test_violence_a_force_is_readied_for_has_not_happened(coder: Pipeline, monadic_coder: Pipeline) -> None:
    text = "Kenya mobilized the army for a possible offensive against Somalia on Monday."
    events = run(coder, text).events
    assert not [e for e in events if e.root in ("18", "19", "20")]
    assert [e for e in events if e.cameo == "154" and e.source.code == "KEN" and e.target.country == "SOM"]
    alert = "Ugandan troops remained on alert in the north on Sunday."
    assert [e for e in run(monadic_coder, alert).events if e.cameo == "152" and e.source.code == "UGAMIL"]


def test_aid_goes_to_whom_its_purpose_names(coder: Pipeline) -> None:
    text = "The Dutch government donated 300 generators to assist Malawi after the floods."
    assert [e for e in run(coder, text).events if e.root == "07" and e.target and e.target.country == "MWI"]
    fight = "Ruritania launched air strikes to help Malawi, the ministry said."
    assert not [e for e in run(coder, fight).events if e.root == "07"]


def test_arriving_here_is_a_visit_to_the_datelines_place(coder: Pipeline) -> None:
    text = "NAIROBI, March 3 (AFP) - Ugandan Foreign Minister Sam Kutesa arrived here Monday for two days of talks."
    [ev] = [e for e in run(coder, text).events if e.cameo == "042"]
    assert ev.source.country == "UGA" and ev.target.country == "KEN"


def test_disapproval_of_an_act_is_aimed_at_its_parties(coder: Pipeline) -> None:
    text = "Beijing voiced great indignation at a meeting between Clinton and the Dalai Lama."
    assert [e for e in run(coder, text).events if e.root == "11" and e.source.country == "CHN"
            and e.target and e.target.country == "USA"]
    text = "Russia condemned the attack by Ukrainian drones on the refinery."
    assert [e for e in run(coder, text).events if e.root == "11" and e.target and e.target.country == "UKR"]


def test_an_accords_parties_hang_on_the_verb_that_concluded_it(coder: Pipeline) -> None:
    reached = "Officials welcomed an agreement reached on Friday between Ghana and Togo to reopen the border."
    assert [e for e in run(coder, reached).events if e.cameo == "057"
            and {e.source.country, e.target and e.target.country} == {"GHA", "TGO"}]
    truce = "Shops reopened after a truce took effect between Chad and Sudan on Monday."
    assert [e for e in run(coder, truce).events if e.root == "08"
            and {e.source.country, e.target and e.target.country} == {"TCD", "SDN"}]


def test_a_quantity_of_acts_is_the_act(coder: Pipeline) -> None:
    assert find(run(coder, "Armenia launched a wave of attacks on Moldova."), "ARM", "MDA", root="19")


def test_a_light_verbs_act_is_its_object(coder: Pipeline) -> None:
    text = "Peru's parties have made angry reactions to the state visit by the Chilean president."
    assert not [e for e in run(coder, text).events if e.cameo == "042"]
    assert find(run(coder, "The Chilean president made a visit to Peru."), "CHL", "PER", root="04")


def test_a_clause_of_its_own_under_ruled_out_is_no_refusal(coder: Pipeline) -> None:
    text = ("The ruling ruled out a comeback for Kuwaiti opposition leader Ali Hamdan, as the election commission "
            "barred him from contesting the vote.")
    ev = find(run(coder, text), "KWTGOV", "KWT", root="17")
    assert not ev.negated


def test_a_mediator_acts_on_both_parties(coder: Pipeline) -> None:
    text = "Qatar has been playing a mediating role between Ethiopia and Eritrea."
    events = [e for e in run(coder, text).events if e.cameo == "045"]
    assert {e.source.country for e in events} == {"QAT"}
    assert {e.target.country for e in events} == {"ETH", "ERI"}


def test_a_blocked_stance_is_aimed_at_whose_it_is(coder: Pipeline) -> None:
    assert find(run(coder, "Hungary blocked a common EU stance on Ukraine."), "HUN", "IGOEUR", root="12")
    assert find(run(coder, "Bolivia disowned a Peruvian minister's remarks on the dispute."), "BOL", "PER", root="12")


def test_supporters_of_a_party_and_a_group_named_by_kind(coder: Pipeline) -> None:
    text = "Police in Kenya dispersed about 1,000 supporters of the Jubilee Alliance Party."
    assert find(run(coder, text), "KENCOP", "KEN", root="17")
    text = "KATHMANDU, March 3 (AFP) - The Maoists and the opposition parties signed a pact on Monday."
    assert {e.text: e.code for e in run(coder, text).entities}.get("Maoists") == "NPLREB"


def test_telling_someone_what_they_should_do_is_an_appeal_to_them(coder: Pipeline) -> None:
    text = "The Crown Prosecution Service has told police that they should look into the missing files."
    assert find(run(coder, text), "GBRJUD", "GBRCOP", root="10")
    own = 'The minister told students: "we must do it and it will be done."'
    assert not [e for e in run(coder, own).events if e.root in ("02", "10")]


def test_a_name_cut_at_its_bracket_is_still_known(coder: Pipeline) -> None:
    text = "Zambia saw its debts cancelled by the Group of Eight (G8) leading industrial countries."
    assert [e for e in run(coder, text).entities if e.code == "IGOBUSGOE"]


def test_who_is_said_to_act_in_a_passive_is_the_doer(coder: Pipeline) -> None:
    text = "Ecuador is expected to sign an agreement with Colombia on its border next month."
    assert find(run(coder, text), "ECU", "COL", root="03")
    lunch = "Norwegian Prime Minister Jonas Gahr Store is due to have lunch with Premier Mette Frederiksen."
    assert find(run(coder, lunch, day="2023-05-02"), "NOR", "DNK", root="03")  # due to: planned


def test_a_meeting_framed_by_a_clause_with_no_actor_has_its_pair(coder: Pipeline) -> None:
    text = "The vote comes a week before the summit between Ghana and Togo in Accra."
    assert [e for e in run(coder, text).events if e.root in ("03", "04")
            and {e.source.country, e.target and e.target.country} == {"GHA", "TGO"}]


def test_an_act_someone_stops_did_not_happen(coder: Pipeline) -> None:
    text = "Under the truce, rebels in Chad were supposed to stop firing rockets into Sudan."
    violence = [e for e in run(coder, text).events if e.root in ("18", "19", "20")]
    assert violence and all(e.negated for e in violence)


def test_an_arrest_that_names_no_one_is_by_the_authorities_where_it_happened(coder: Pipeline) -> None:
    home = "Former Kenyan minister Amos Kiprono was charged in the case in October."
    assert "Kiprono" in find(run(coder, home), "KENGOV", "KEN", root="17").target.name
    placed = Pipeline([Language(), Actors(), Dates(), Places(), Quotes(), Events()])
    abroad = "A Kenyan businessman was arrested in Kampala on Monday."
    assert "the authorities where it happened" in find(run(placed, abroad), "UGAGOV", "KEN", root="17").rule
    assert not [e for e in run(placed, "Two Kenyan lorries were attacked in Kampala.").events if e.source.code == "UGAGOV"]


def test_a_condition_deep_in_another_clause_does_not_make_a_demand_hypothetical(coder: Pipeline) -> None:
    text = ("The US envoy said Nigeria must reduce its rice tariffs, even while admitting that unless the EU cuts "
            "its subsidies, the talks will stall.")
    assert find(run(coder, text), "USA", "NGA", root="10")
    assert not [e for e in run(coder, text).events if e.source.country == "NGA"]  # what it must do is no event


def test_an_act_completing_a_noun_of_intention_is_an_intention(coder: Pipeline) -> None:
    text = "Ghana expressed the hope to conclude an agreement with Togo on cocoa exports."
    assert find(run(coder, text), "GHA", "TGO", root="03")
    assert not [e for e in run(coder, text).events if e.root == "05"]


def test_talks_named_by_their_two_parties_and_talks_that_fail(coder: Pipeline) -> None:
    collapsed = run(coder, "Ghana-Togo talks collapsed in August when Accra recalled its envoy.").events
    assert [e for e in collapsed if e.cameo == "164" and {e.source.country, e.target.country} == {"GHA", "TGO"}]
    assert not [e for e in collapsed if e.root == "04"]
    broke = "Talks between Ghana and Togo broke down on Friday."
    assert [e for e in run(coder, broke).events if e.cameo == "164"]


def test_a_town_where_talks_are_held_is_not_their_target(coder: Pipeline) -> None:
    events = run(coder, "Chile and Peru held a new round of talks in Geneva.").events
    assert [e for e in events if {e.source.country, e.target.country} == {"CHL", "PER"}]
    assert not [e for e in events if "CHE" in (e.source.country, e.target.country)]
    resumed = run(coder, "Chile-Peru talks resumed in Geneva.").events
    assert not [e for e in resumed if "CHE" in (e.source.country, e.target.country)]


def test_a_passive_conjunct_shares_its_first_verbs_patient(coder: Pipeline) -> None:
    text = ("Ministers discussed Chilean soldier Pablo Rojas, who was captured last year and has been held hostage "
            "by Peruvian rebels in the jungle since June.")
    ev = find(run(coder, text), "PERREB", "CHL", root="18")
    assert "Rojas" in ev.target.name


def test_whose_decision_orders_an_act_does_it(coder: Pipeline) -> None:
    text = "Critics condemned Chilean President Marta Quispe's decision to order the resumption of strikes against rebels in Peru."
    ev = find(run(coder, text), "CHL", "PER", root="19")
    assert ev.target.code == "PERREB"  # the rebels are where they are fought, not the striker's


def test_a_named_foreigners_visit_is_to_the_datelines_country(coder: Pipeline) -> None:
    text = "LIMA, March 3 (AFP) - Chilean minister Marta Quispe's three-day visit, which started Sunday, was welcomed."
    assert find(run(coder, text), "CHL", "PER", root="04")
    own = "LIMA, March 3 (AFP) - Peruvian minister Luis Vega's three-day visit, which started Sunday, was welcomed."
    assert not [e for e in run(coder, own).events if e.root == "04"]


def test_the_casualties_of_a_clash_name_its_sides(coder: Pipeline) -> None:
    text = "A Chilean officer and three Peruvian rebels were wounded in clashes near the border on Tuesday."
    assert [e for e in run(coder, text).events if e.root == "19"
            and {e.source.country, e.target and e.target.country} == {"CHL", "PER"}]


def test_avoiding_friction_is_de_escalation(coder: Pipeline) -> None:
    text = "The Chilean army has been ordered to avoid friction with Peruvian troops along the border."
    assert find(run(coder, text), "CHLMIL", "PER", root="08")


def test_force_on_a_condition_is_a_threat(coder: Pipeline) -> None:
    a = run(coder, "Chile will attack Peru if it crosses the border.")
    assert "a threat" in find(a, "CHL", "PER", root="13").rule
    assert not [e for e in a.events if e.root in ("18", "19", "20")]


def test_talks_a_third_party_wants_are_its_appeal_to_negotiate(coder: Pipeline) -> None:
    a = run(coder, "Brazil wants talks between Chile and Peru to resume.")
    assert find(a, "BRA", "CHL", root="02").cameo == "026"
    assert not [e for e in a.events if e.root == "04"]


def test_whose_offensive_killed_is_who_killed(coder: Pipeline) -> None:
    text = ("Chile's 17-day offensive, launched to stamp out rebel raids on northern Chile, killed 175 people "
            "in southern Peru.")
    assert find(run(coder, text), "CHL", "PER", root="19")


def test_leaders_of_two_countries_are_two_actors(coder: Pipeline) -> None:
    text = "Lula said, during talks with the leaders of Chile and Peru here, that Brazil wanted calm."
    events = [e for e in run(coder, text).events if e.root == "04" and e.source.country == "BRA"]
    assert {e.target.country for e in events} == {"CHL", "PER"}


def test_what_one_still_has_to_do_is_not_done(coder: Pipeline) -> None:
    a = run(coder, "Russia still has to sign bilateral protocols with Chile and Peru.")
    assert find(a, "RUS", "CHL", root="03")
    assert not [e for e in a.events if e.root == "05"]


def test_a_disapproving_verdict_is_criticism_of_whose_it_is(coder: Pipeline) -> None:
    assert find(run(coder, "Chile said Peru's decision was illegal."), "CHL", "PER", root="11")
    text = "Bolivia said the border agreement signed in 2002 between Chile and Peru was short-sighted."
    assert [e for e in run(coder, text).events if e.root == "11" and e.source.country == "BOL"
            and e.target.country in ("CHL", "PER")]
    assert not [e for e in run(coder, "Chile said Peru's decision was welcome.").events if e.root == "11"]


def test_a_part_of_the_troops_and_joint_exercises_and_calls(coder: Pipeline) -> None:
    assert find(run(coder, "Chile withdrew most of its troops from Peru."), "CHL", "PER", root="08")
    joint = run(coder, "Chilean marines and Peruvian forces staged a joint exercise.")
    assert [e for e in joint.events if e.cameo == "062" and {e.source.country, e.target.country} == {"CHL", "PER"}]
    call = run(coder, "Chile's president called his Peruvian counterpart on Tuesday to assure him of support.")
    assert find(call, "CHL", "PER", root="04")


# One phrasing each: (sentence, source code prefix, target code prefix, root). Plans, hopes and schedules are
# intentions (03), not the acts planned.
PHRASINGS = [
    ("Peru had opened its borders to displaced Chileans.", "PER", "CHL", "07"),
    ("Peru withdrew a contingent of 200 peacekeepers from Chile.", "PER", "CHL", "16"),
    ("Peruvian protesters burned the Chilean flag outside the embassy.", "PER", "CHL", "14"),
    ("Chile cut off gas supplies to Peru.", "CHL", "PER", "16"),
    ("Chile closed its border with Peru.", "CHL", "PER", "16"),
    ("Chile is considering sanctions against Peru.", "CHL", "PER", "13"),
    ("Peru hopes to sign a free trade agreement with Chile.", "PER", "CHL", "03"),
    ("Chile plans to send a trade delegation to Peru next month.", "CHL", "PER", "03"),
    ("Chilean President Ana Ruiz is due to meet her Peruvian counterpart on Friday.", "CHL", "PER", "03"),
    ("The Chilean government returned three paintings to Peru on May 3.", "CHL", "PER", "08"),  # May: a date
    ("Chile declared a ceasefire with Peru.", "CHL", "PER", "08"),
    ("Chilean rebels violated Peru's ceasefire in an attack on Monday.", "CHL", "PER", "19"),
    ("The Chilean president called the Peruvian navy to apologise for the incident.", "CHL", "PER", "02"),
    ("Chile commenced air and ground assaults on Peruvian rebels.", "CHL", "PER", "19"),
    ("Chile deployed 230 troops to Peru on a peacekeeping mission.", "CHL", "PER", "15"),  # where, for whom
    ("The Peruvian government granted Chile permission to open a consulate in Cuzco.", "PER", "CHL", "08"),
    ("The Peruvian government denied permission to Chilean observers.", "PER", "CHL", "12"),
    ("Peruvian unions have lifted a seven-month boycott of Chilean goods.", "PER", "CHL", "08"),
    ("After the attacks, the Chilean government said Peruvian militants were responsible.", "CHL", "PER", "11"),
    ("The Chilean president granted a full pardon to Rui Calado, a former Peruvian minister.", "CHL", "PER", "08"),
    ("Turkey lifts travel ban on Peru.", "TUR", "PER", "08"),  # the subject the parse makes the verb's compound
    ("Peru's bid for the council seat received strong support from Chile.", "CHL", "PER", "05"),  # support received
    ("Chilean rebels said they would free the five Peruvian engineers they kidnapped in March.", "CHL", "PER", "18"),  # an object relative clause
]


@pytest.mark.parametrize("text,source,target,root", PHRASINGS)
def test_phrasings(coder: Pipeline, text: str, source: str, target: str, root: str) -> None:
    assert find(run(coder, text), source, target, root=root)


def test_suicide_bombers_are_unaligned_attackers(coder: Pipeline) -> None:
    bomber = run(coder, "A suicide bomber killed six Chilean soldiers in Lima.")
    assert [e for e in bomber.entities if e.code and e.code.endswith("UAF")]


def test_a_force_sent_to_help_is_military_aid_and_what_is_called_for_is_not_done(coder: Pipeline) -> None:
    sent = run(coder, "Chile announced it was sending 500 troops to help Peru fight the rebels.")
    assert "military aid" in find(sent, "CHL", "PER", root="07").rule
    asked = run(coder, "Chile called for an international investigation into Peru's actions.")
    assert not [e for e in asked.events if e.root == "09"]


def test_accusations_relatives_and_exchanges(coder: Pipeline) -> None:
    rel = run(coder, "Chile, which has long accused Peru of backing the rebels, expelled three Peruvian diplomats.")
    assert find(rel, "CHL", "PER", root="11")
    assert not [e for e in rel.events if e.root == "05"]  # what Peru is accused of is alleged, not reported
    told = run(coder, "Chilean Foreign Minister Ana Lopez told reporters that Peru must stop supporting the rebels.")
    assert find(told, "CHL", "PER", root="10")
    swap = run(coder, "Chile and Peru carried out a prisoner exchange on Monday.")
    assert [e for e in swap.events if e.cameo == "0841" and {e.source.country, e.target.country} == {"CHL", "PER"}]


def test_two_nationalities_of_one_noun_are_two_actors(coder: Pipeline) -> None:
    text = "Chilean and Peruvian negotiators reached a deal on fishing rights."
    assert [e for e in run(coder, text).events if e.cameo == "057" and {e.source.country, e.target.country} == {"CHL", "PER"}]
    arrived = run(coder, "Chile's foreign minister arrived in Lima on Tuesday to brief Peru's president.")
    assert find(arrived, "CHL", "PER", root="04")  # a visit's "in" is whom it visits


def test_aid_received_from_x_is_xs_aid(coder: Pipeline) -> None:
    doses = run(coder, "Peru received 5,000 doses of vaccine from Chile.")
    assert find(doses, "CHL", "PER", root="07").cameo == "073"
    loan = run(coder, "Peru received a 200 million dollar loan from Chile.")
    assert find(loan, "CHL", "PER", root="07").cameo == "071"
    assert not [e for e in loan.events if e.source.country == "PER" and e.root == "07"]


def test_an_act_refused_is_not_done(coder: Pipeline) -> None:
    refusal = run(coder, "Chile's refusal to extradite the Peruvian suspect angered Lima.")
    assert not [e for e in refusal.events if e.root == "06"]


def test_where_force_is_used_is_its_target_unless_it_is_only_a_pretext(coder: Pipeline) -> None:
    siege = run(coder, "Chilean President Pedro Ruiz declared a state of siege in Peru's border provinces.")
    assert "where it happened" in find(siege, "CHL", "PER", root="17").rule
    pretext = run(coder, "Peru warned that the raids could serve as a pretext for Chilean rebels to violate the truce in Peru.")
    assert not [e for e in pretext.events if e.root == "19" and not e.hypothetical]


def test_a_patterns_act_takes_an_actor_its_clause_names_when_the_model_agrees(coder: Pipeline) -> None:
    # "withdraw ambassador" wants its target in "from"; Peru is named only in the clause's "amid" phrase
    a = run(coder, "Chile withdrew its ambassador amid the row with Peru.")
    assert "the model reads the clause as this root too" in find(a, "CHL", "PER", root="16").rule
    # ... but not from a purpose clause of its own
    b = run(coder, "The Chilean army placed its troops on alert to protect the border from attacks by Peruvian rebels.")
    assert not [e for e in b.events if e.root == "15" and e.target is not None]


def test_responsibility_for_harm_is_an_accusation_but_for_a_duty_is_not(coder: Pipeline) -> None:
    bombing = run(coder, "The Chilean army said Peruvian rebels were responsible for the bombing.")
    assert find(bombing, "CHL", "PER", root="11").cameo == "112"
    duty = run(coder, "The Chilean army said the Peruvian ministry was responsible for security at the border.")
    assert not [e for e in duty.events if e.root == "11"]


def test_a_pledge_takes_the_other_actor_its_clause_names_when_the_model_agrees(coder: Pipeline) -> None:
    a = run(coder, "Chile agreed to open its border for aid trucks to enter Peru.")
    assert "the model reads the clause as this root too" in find(a, "CHL", "PER", root="03").rule


def test_coordinated_modifiers_are_one_group_each(coder: Pipeline) -> None:
    clash = run(coder, "Chilean and Peruvian troops clashed on the border on Monday.")
    event = find(clash, "CHLMIL", "PERMIL", root="19")
    assert (event.source.name, event.target.name) == ("Chilean troops", "Peruvian troops")
    met = run(coder, "Chile and Peru's foreign ministers met in Lima on Monday.")
    assert find(met, "CHL", "PER", root="04").target.name == "Peru's foreign ministers"
    talks = run(coder, "Bolivian and EU negotiators held talks in Brussels.")
    assert find(talks, "BOL", "IGOEUREEC", root="04").source.name == "Bolivian negotiators"


def test_force_against_no_one_is_a_figure_of_speech(coder: Pipeline, monadic_coder: Pipeline) -> None:
    epidemic = run(monadic_coder, "Chile announced more funding to fight the cholera epidemic in Bolivia.")
    assert not [e for e in epidemic.events if e.root == "19"]
    causes = run(monadic_coder, "Chile spent 2 billion dollars on fighting the root causes of migration.")
    assert not [e for e in causes.events if e.root == "19"]
    rebels = run(coder, "Chilean troops fought Peruvian rebels near the border.")
    assert find(rebels, "CHL", "PER", root="19")


def test_aid_naming_no_recipient_is_for_the_country_it_goes_to(coder: Pipeline) -> None:
    purpose = run(coder, "The European Commission announced humanitarian assistance of $60 million to help people in Bolivia.")
    assert "where the aid goes" in find(purpose, "IGOEUREEC", "BOL", root="07").rule
    affected = run(coder, "The Chilean government provided $40 million for assistance in northern Bolivia.")
    assert "where the aid goes" in find(affected, "CHL", "BOL", root="07").rule
    home = run(coder, "The Chilean government provided $40 million for flood victims in northern Chile.")
    assert not [e for e in home.events if e.root == "07" and e.target is not None]


def test_a_ceasefire_naming_no_one_is_aimed_at_the_country_it_is_declared_in(coder: Pipeline) -> None:
    a = run(coder, "The Chilean government declared a unilateral ceasefire in Arica on Friday.")
    assert "where it happened" in find(a, "CHLGOV", "CHL", root="08").rule


def test_the_patterns_own_word_is_what_the_act_is_about_not_its_target(monadic_coder: Pipeline) -> None:
    a = run(monadic_coder, "The UN mission withdrew peacekeepers from another position in Bolivia.")
    # (not the peacekeepers: the country they are withdrawn from)
    assert [(e.cameo, e.target and e.target.code) for e in a.events] == [("1661", "BOL")]


def test_world_regions_and_religions_are_actors_only_in_monadic_coding(coder: Pipeline, monadic_coder: Pipeline) -> None:
    text = "Some European countries have called for sanctions against Peru."
    assert find(run(monadic_coder, text), "EUR", "PER", root="11").source.name == "European countries"
    assert not [e for e in run(coder, text).events if e.source.code == "EUR"]  # dyadic: both sides placed
    released = run(monadic_coder, "Islamic State militants released at least 19 Christians on Sunday.")
    assert [e.target.code for e in released.events if e.cameo == "0841" and e.target] == ["CHR"]
    aid = run(monadic_coder, "Chile provided $40 million for food assistance in West Africa.")
    assert [e.target.code for e in aid.events if e.root == "07" and e.target] == ["WAF"]
    bridge = run(monadic_coder, "French farmers blocked the Europe Bridge on Monday.")
    assert not [e for e in bridge.events if e.target is not None and e.target.code == "EUR"]


def test_an_acronym_parsed_as_an_adverb_is_still_the_subject(coder: Pipeline) -> None:
    a = run(coder, "USAID provided basic shelter materials to 1.5 million people in Bolivia.")
    assert find(a, "USA", "BOL", root="07")


def test_a_deployment_goes_where_the_verb_sends_it(coder: Pipeline) -> None:
    a = run(coder, "Chile on Saturday announced the deployment of 230 troops, including 19 officers, to Bolivia.")
    assert "where it happened" in find(a, "CHL", "BOL", root="15").rule


def test_they_refers_to_the_group_a_name_modifies(coder: Pipeline) -> None:
    a = run(coder, "Chilean opposition members have said they will release the 21 UN peacekeepers they took.")
    assert find(a, "CHL", "IGO", root="03")
    unnamed = run(coder, "Organisers said they would not negotiate with Peru.")
    assert not unnamed.events


def test_a_refusal_until_another_party_acts_is_aimed_at_that_party(coder: Pipeline, monadic_coder: Pipeline) -> None:
    a = run(coder, "Chilean union workers said they will not end the strike until their demands are met by the company.")
    event = find(a, "CHLLAB", "CHLBUS", root="12")
    assert event.cameo == "1242" and "until" in event.rule
    b = run(monadic_coder, "Leaders of the Lima Teachers Union have said they will not end the strike.")
    assert [e.source.name for e in b.events if e.cameo == "1242"] == ["Lima Teachers Union"]


def test_exercises_held_together_are_military_cooperation(coder: Pipeline, monadic_coder: Pipeline) -> None:
    together = run(coder, "Chilean and Peruvian troops staged military exercises near the border on Monday.")
    event = find(together, "CHL", "PER", root="06")
    assert event.cameo == "062" and "exercises held together" in event.rule
    alone = run(monadic_coder, "The Chilean army staged war games near the border.")
    assert [e.cameo for e in alone.events] == ["150"]


def test_an_extended_curfew_is_a_curfew_imposed(coder: Pipeline) -> None:
    a = run(coder, "The Chilean government extended the nightly curfew in Peru's border towns.")
    assert find(a, "CHLGOV", "PER", root="17").cameo == "1723"


def test_ordering_someone_to_appear_is_a_demand_on_them(coder: Pipeline) -> None:
    a = run(coder, "Chile's police ordered the Peruvian consul to appear for questioning on Friday.")
    assert find(a, "CHL", "PER", root="10").cameo == "100"


def test_a_clause_the_parse_hangs_on_a_role_noun_is_not_its_name(coder: Pipeline) -> None:
    a = run(coder, "The Chilean court ordered an inquiry into allegations that Peruvian police tortured prisoners.")
    assert not [e for e in a.entities if "tortured" in (e.canonical or e.text or "")]
    assert find(a, "CHLJUD", "PERCOP", root="09")


def test_aid_to_people_with_no_country_is_for_where_they_are(coder: Pipeline) -> None:
    a = run(coder, "USAID provided shelter materials to 1.5 million people in the months after the earthquake in Bolivia.")
    assert "where the aid goes" in find(a, "USA", "BOL", root="07").rule


def test_welcoming_someone_to_act_is_support_not_hosting(coder: Pipeline) -> None:
    a = run(coder, "The Chilean Foreign Office on Thursday welcomed Russian President Vladimir Putin to mediate between Peru and Bolivia.")
    assert find(a, "CHL", "RUS", root="05").cameo == "051"
    visit = run(coder, "Chile welcomed the Peruvian president to Santiago.")
    assert find(visit, "CHL", "PER", root="04").cameo == "043"


def test_ceasing_operations_somewhere_is_de_escalation_there(coder: Pipeline) -> None:
    a = run(coder, "The Chilean army said it has ceased its military operations in several areas near the Peruvian town of Tacna.")
    event = find(a, "CHLMIL", "PER", root="08")
    assert event.cameo == "087" and "where it happened" in event.rule
    b = run(coder, "Around 3,000 Peruvian rebels have surrendered from the group's last holdout in Chile.")
    assert find(b, "PER", "CHL", root="08").cameo == "0874"


def test_ones_own_forces_are_what_is_deployed_not_the_target(coder: Pipeline, monadic_coder: Pipeline) -> None:
    a = run(coder, "The Chilean military sent 200 troops in Bolivia to serve as a peacekeeping force.")
    assert find(a, "CHLMIL", "BOL", root="15")
    b = run(monadic_coder, "The Chilean military sent 200 troops to serve as a peacekeeping force, the president says.")
    assert [(e.cameo, e.target) for e in b.events] == [("154", None)]


def test_coordinated_subjects_act_on_each_other_only_for_joint_acts(coder: Pipeline) -> None:
    refused = run(coder, "Chile and Peru refused to allow the plane to enter their air space.")
    assert not [e for e in refused.events if {e.source.code, e.target and e.target.code} == {"CHL", "PER"}]
    met = run(coder, "Chile and Peru met in Lima on Monday.")
    assert find(met, "CHL", "PER", root="04")


def test_opponents_of_a_government_are_its_opposition(coder: Pipeline) -> None:
    a = run(coder, "Political opponents of the Chilean government clashed with police on the streets of the capital.")
    assert find(a, "CHLOPP", "CHLCOP", root="14")


def test_suspending_a_newspaper_restricts_political_freedoms(coder: Pipeline) -> None:
    a = run(coder, "Bolivian authorities suspended publication of Peru's largest newspaper.")
    assert find(a, "BOL", "PERMED", root="17").cameo == "1721"
    b = run(coder, "The Bolivian government ordered the Peruvian daily newspaper to suspend publication for 15 days.")
    assert find(b, "BOLGOV", "PERMED", root="17").cameo == "1721"


def test_coordinated_names_the_knowledge_cannot_code_are_one_group_each_in_monadic_coding(monadic_coder: Pipeline) -> None:
    a = run(monadic_coder, "House and Senate negotiators reached an agreement on the budget bill.")
    assert [(e.source.name, e.target and e.target.name) for e in a.events if e.cameo == "057"] == [
        ("House negotiators", "Senate negotiators")]


def test_a_word_of_a_longer_name_is_not_resolved_on_its_own(coder: Pipeline) -> None:
    a = run(coder, "The Pakistani army violated the ceasefire by shelling along the Line of Control in Jammu and Kashmir's Poonch district.")
    assert find(a, "PAKMIL", "IND", root="19")
    assert not [e for e in a.events if e.target is not None and e.target.country not in ("IND", "PAK")]


def test_troops_sent_to_a_peacekeeping_force_are_peacekeeping_for_its_country(coder: Pipeline) -> None:
    a = run(coder, "Chile is sending troops to the United Nations peacekeeping force in Bolivia.")
    event = find(a, "CHL", "BOL", root="07")
    assert event.cameo == "074" and "peacekeeping" in event.rule


def test_according_to_is_no_accord(coder: Pipeline) -> None:
    a = run(coder, "Chile and Peru's intelligence services have agreed to share information, according to Chilean officials.")
    assert not [e for e in a.events if e.cameo == "057"]
    assert find(a, "CHL", "PER", root="03")


def test_verbs_spacy_lemmatizes_oddly_are_still_coded(coder: Pipeline) -> None:
    war = run(coder, "Chilean rebels waged war against Bolivia for a decade.")  # lemma "wag"
    assert find(war, "CHL", "BOL", root="19").cameo == "190"
    assert find(run(coder, "Peruvian soldiers raped Chilean villagers."), "PER", "CHL", root="18").cameo == "1821"
