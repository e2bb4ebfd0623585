"""The events eval's scoring helpers, on tiny inline fixtures (no parse, no gold files)."""

from __future__ import annotations

from newsevents.eval.events import (
    actor_matches,
    best_event,
    coding_of,
    confusion_table,
    macro_f1,
    pair_events,
    parse_marked,
    parse_petrarch,
    per_class,
    plover_type,
)
from newsevents.records import Actor, Analysis, Article, Entity, Event, Mention

TEXT = "Arnor condemned Gondor, and it attacked the Orcs."


def _event(source: Actor, target: Actor | None, plover: str = "ACCUSE", cameo: str = "111", root: str = "11",
           quad: int = 3, confidence: float = 0.8, negated: bool = False) -> Event:
    return Event(source=source, target=target, cameo=cameo, root=root, quad_class=quad, goldstein=-2.0,
                 plover=plover, evidence=TEXT, start=0, end=len(TEXT), negated=negated, confidence=confidence)


ARNOR = Actor(name="Arnor", code="ARN", country="ARN", entity_id="E1")
GONDOR = Actor(name="Gondor", code="GON", country="GON", entity_id="E2")
ORCS = Actor(name="Orcs", code="ORC", country=None)  # resolved from the words: no entity


def _analysis(*events: Event) -> Analysis:
    entities = (
        Entity(id="E1", text="Arnor", type="GPE", start=0, end=5, code="ARN", country="ARN",
               mentions=(Mention("E1", "Arnor", 0, 5),)),
        Entity(id="E2", text="Gondor", type="GPE", start=16, end=22, code="GON", country="GON",
               mentions=(Mention("E2", "Gondor", 16, 22), Mention("E2", "it", 28, 30, kind="pronoun"))),
    )
    return Analysis(article=Article(id="a", text=TEXT), entities=entities, events=events)


def test_parse_marked_strips_tags_and_keeps_offsets() -> None:
    plain, src, tgt = parse_marked("<s>Arnor</s> condemned <t>Gondor</t>, and <s>Arnor</s> left.")
    assert plain == "Arnor condemned Gondor, and Arnor left."
    assert [plain[a:b] for a, b in src] == ["Arnor", "Arnor"]
    assert [plain[a:b] for a, b in tgt] == ["Gondor"]
    plain, src, tgt = parse_marked("<s>Arnor</s> agreed to resign.")
    assert tgt == [] and plain[src[0][0]:src[0][1]] == "Arnor"


def test_plover_type_reads_older_names_in_the_2021_vocabulary() -> None:
    assert plover_type("YIELD") == "CONCEDE"
    assert plover_type(" demand ") == "REQUEST"
    assert plover_type("FIGHT") == "ASSAULT"
    assert plover_type("ACCUSE") == "ACCUSE"
    assert plover_type("") is None and plover_type(None) is None


def test_best_event_skips_negated_and_prefers_confidence() -> None:
    low = _event(ARNOR, GONDOR, confidence=0.6)
    high_neg = _event(ARNOR, GONDOR, plover="ASSAULT", confidence=0.9, negated=True)
    high = _event(ARNOR, GONDOR, plover="CONSULT", confidence=0.7)
    statement = _event(ARNOR, GONDOR, plover=None, cameo="010", root="01", quad=1, confidence=0.95)
    assert best_event([low, high_neg, high]) is high
    assert best_event([statement, low], need_plover=True) is low
    assert best_event([statement, low], skip_roots=("01",)) is low
    assert best_event([high_neg]) is None


def test_actor_matches_through_entity_mentions_and_words() -> None:
    a = _analysis()
    assert actor_matches(a, GONDOR, [(28, 30)])  # "it" is a mention of Gondor
    assert not actor_matches(a, ARNOR, [(16, 22)])
    assert actor_matches(a, ORCS, [(40, 48)])  # "the Orcs": no entity, the name is in the span
    assert not actor_matches(a, ORCS, [(0, 5)])
    assert not actor_matches(a, None, [(0, 5)])


def test_pair_events_either_direction_and_one_side() -> None:
    forward = _event(ARNOR, GONDOR)
    backward = _event(GONDOR, ARNOR)
    other = _event(GONDOR, ORCS)
    a = _analysis(forward, backward, other)
    got = pair_events(a, [(0, 5)], [(16, 22)])
    assert got == [(forward, True), (backward, False)]
    assert pair_events(a, [(40, 48)], []) == [(other, False)]  # only the source marked: the Orcs are the target


def test_macro_f1_is_over_gold_classes_only() -> None:
    pairs = [("ACCUSE", "ACCUSE"), ("ACCUSE", "NONE"), ("AGREE", "AGREE"), ("AGREE", "ACCUSE")]
    stats = per_class(pairs)
    assert set(stats) == {"ACCUSE", "AGREE"}
    assert stats["ACCUSE"][:2] == (0.5, 0.5)
    assert abs(macro_f1(pairs) - (0.5 + 2 * 1 * 0.5 / 1.5) / 2) < 1e-9
    assert macro_f1([]) == 0.0


def test_confusion_table_is_aligned_with_gold_rows() -> None:
    table = confusion_table([("AGREE", "AGREE"), ("ASSAULT", "NONE"), ("ASSAULT", "ASSAULT")])
    lines = table.splitlines()
    assert lines[0].split()[3:6] == ["AGREE", "ASSAU", "NONE"]
    assert len({len(line) for line in lines[:-1]}) == 1
    assert lines[2].startswith("ASSAULT") and lines[2].split()[-2:] == ["2", "0.500"]


def test_parse_petrarch_reads_codings_nulls_and_errors() -> None:
    xml = """<Validation><!-- a comment --><Sentences>
    <Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
    <EventCoding sourcecode="ARN" targetcode="gon" eventcode="064"></EventCoding>
    <EventCoding sourcecode='"THE MINISTRY"' targetcode="---" eventcode="032"></EventCoding>
    <Text>
    Arnor restored ties
    with Gondor.
    </Text>
    <Parse>(ROOT (S (NP (NNP Arnor))))</Parse>
    </Sentence>
    <Sentence date = "19950102" id ="NULL-01" category="DEMO" sentence="true">
    <EventCoding noevents = "True"></EventCoding><Text>Nothing happened.</Text></Sentence>
    <Sentence date="19950103" id="ERR-01" category="DEMO" sentence="true">
    <EventCoding error="storydiscard"></EventCoding><Text>Discard me.</Text></Sentence>
    </Sentences></Validation>"""
    recs = parse_petrarch(xml)
    assert [r.id for r in recs] == ["DEMO-00", "NULL-01", "ERR-01"]
    assert recs[0].date == "1995-01-01" and recs[0].text == "Arnor restored ties with Gondor."
    assert recs[0].codings == (("ARN", "GON", "064"), ("THE MINISTRY", "---", "032"))
    assert recs[1].codings == () and recs[1].error is None
    assert recs[2].error == "storydiscard"


def test_coding_of_writes_no_target_as_dashes() -> None:
    assert coding_of(_event(ARNOR, None, cameo="064")) == ("ARN", "---", "064")
    assert coding_of(_event(Actor(name="x", code="arngov"), GONDOR, cameo="0311")) == ("ARNGOV", "GON", "0311")


def test_conflibert_classes_are_read_in_phoenix_quads() -> None:
    from newsevents.eval.events import PHOENIX_QUAD

    assert sorted(PHOENIX_QUAD) == [f"{i:02d}" for i in range(1, 21)]
    # where Phoenix differs from GDELT's quad classes: 09 and 16 verbal conflict, 14 material conflict
    assert (PHOENIX_QUAD["09"], PHOENIX_QUAD["16"], PHOENIX_QUAD["14"], PHOENIX_QUAD["02"]) == ("3", "3", "4", "0")
