"""Quotes on fictional articles written for these tests."""

from __future__ import annotations

import pytest

from newsevents.pipeline import Pipeline
from newsevents.readers._common import make_article
from newsevents.records import Analysis, Quote, RelatedLink
from newsevents.stages.actors import Actors
from newsevents.stages.language import Language
from newsevents.stages.quotes import Quotes, find_quoted


@pytest.fixture(scope="module")
def layer() -> Pipeline:
    return Pipeline([Language(), Actors(), Quotes()])


def run(layer: Pipeline, text: str, day: str = "2025-03-04", **kw) -> Analysis:
    [a] = layer.run([make_article(text=text, input="t", format="text", key=text, published=day, **kw)])
    return a


def quote(a: Analysis, contains: str, kind: str = "") -> Quote:
    found = [q for q in a.quotes if contains in q.text and kind in ("", q.kind)]
    assert found, f"no quote containing {contains!r} in {[q.text for q in a.quotes]}"
    return found[0]


def test_find_quoted_handles_marks_of_every_kind() -> None:
    text = "A “typographic” one, a \"straight\" one, ''archive'' style, and ‘single’ ones; don’t split."
    got = [text[s.start : s.end] for s in find_quoted(text)]
    assert got == ["typographic", "straight", "archive", "single"]


def test_quote_running_over_paragraphs_is_one_quote() -> None:
    text = "“The first paragraph of the statement goes on,\n\n“and the second one ends it,” she said."
    [s] = find_quoted(text)
    assert text[s.start : s.end].startswith("The first") and text[s.start : s.end].endswith("ends it,")


def test_direct_quote_with_named_speaker_after(layer: Pipeline) -> None:
    a = run(layer, "“We will not accept these terms under any circumstances,” Finance Minister Marta Lind told reporters.")
    q = quote(a, "We will not accept")
    assert q.kind == "direct" and q.cue == "told"
    assert q.speaker_canonical == "Marta Lind"
    assert a.article.text[q.start : q.end] == q.text


def test_interrupted_quote_and_he_added(layer: Pipeline) -> None:
    a = run(layer, "“The talks are over,” said Anton Hale, a spokesman for the Norwegian government. "
                   "“We tried everything.”\n\n“There is nothing left to discuss,” he added.")
    for part in ("The talks are over", "We tried everything", "There is nothing left"):
        q = quote(a, part)
        assert q.kind == "direct"
        assert q.speaker_canonical == "Anton Hale", (part, q)


def test_speaker_introduced_with_a_colon(layer: Pipeline) -> None:
    a = run(layer, "Mayor Ida Rask said:\n\n“The bridge will reopen in May after the repairs are done.”")
    assert quote(a, "The bridge will reopen").speaker_canonical == "Ida Rask"


def test_partial_quote_takes_the_speaker_of_the_reporting_verb(layer: Pipeline) -> None:
    a = run(layer, "Prime Minister Jonas Berg said on Tuesday that the deal was “a fair compromise” for both sides.")
    q = quote(a, "a fair compromise", kind="partial")
    assert q.speaker_canonical == "Jonas Berg"
    assert quote(a, "the deal was", kind="indirect").speaker_canonical == "Jonas Berg"


def test_scare_quote_has_no_speaker(layer: Pipeline) -> None:
    a = run(layer, "The so-called “peace dividend” never arrived in the border towns.")
    q = quote(a, "peace dividend")
    assert q.kind == "partial" and q.speaker is None and q.speaker_canonical is None


def test_indirect_speech_is_the_content_clause(layer: Pipeline) -> None:
    a = run(layer, "The Kremlin said on Monday that officials had begun preparing a new round of talks.")
    q = quote(a, "officials had begun preparing")
    assert q.kind == "indirect" and q.speaker_code == "RUSGOV" and q.cue == "said"
    assert not q.text.startswith("that")


def test_organisation_as_speaker_and_according_to(layer: Pipeline) -> None:
    a = run(layer, "According to the United Nations, the convoy reached the city.")
    q = quote(a, "the convoy reached the city", kind="indirect")
    assert q.speaker_code == "IGOUNO" and q.cue == "according to"


def test_quote_in_a_related_title_is_marked(layer: Pipeline) -> None:
    a = run(layer, "Officials met in Oslo on Monday.", related=(RelatedLink(title="Deal Is ‘Unfair’, Ministers Say", url=None),))
    q = quote(a, "Unfair")
    assert q.in_headline and q.field == "related"


def test_date_said_defaults_to_the_article_date(layer: Pipeline) -> None:
    a = run(layer, "“We are ready to talk about the new border arrangements,” Anton Hale said.", day="2024-05-06")
    q = quote(a, "We are ready")
    assert q.date == "2024-05-06" and q.date_from == "article"


def test_offsets_match_the_text(layer: Pipeline) -> None:
    a = run(layer, "“One,” she said. “Two.”\n\nHe said that three was next. ‘Four’ was not.")
    for q in a.quotes:
        if q.field == "text":
            assert a.article.text[q.start : q.end] == q.text


def test_a_relaying_medium_yields_to_the_speaker_it_reports(layer: Pipeline) -> None:
    a = run(layer, "Finnish President Aino Laine thanked the visitors on Monday. Laine told the visiting "
                   "delegation that “we value this brave decision” by the council, state radio reported.",
            day="1990-01-01")
    q = quote(a, "we value this brave decision")
    assert q.speaker_canonical == "Aino Laine"


def test_the_agent_of_a_passive_reporting_verb_is_the_speaker(layer: Pipeline) -> None:
    a = run(layer, "The accord, praised by Norwegian Foreign Minister Kari Holm as a “real breakthrough”, "
                   "was signed on Friday.", day="1990-01-01")
    assert quote(a, "real breakthrough").speaker_canonical == "Kari Holm"


def test_it_said_and_the_statement_said_name_the_institution(layer: Pipeline) -> None:
    a = run(layer, "The Danish foreign ministry said on Monday that the ambassador would be summoned. "
                   "“The incident is unacceptable,” it said in a statement. "
                   "“Talks will go on,” the statement said.", day="1990-01-01")
    assert quote(a, "The incident is unacceptable").speaker_code == "DNKGOV"
    assert quote(a, "Talks will go on").speaker_code == "DNKGOV"
