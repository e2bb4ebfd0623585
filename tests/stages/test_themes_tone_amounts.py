"""Themes, tone and amounts on sentences written for the tests."""

from __future__ import annotations

import pytest

from newsevents.ingest import extract_text
from newsevents.stages.amounts import number_value
from newsevents.stages.themes import Taxonomy, default_taxonomy
from newsevents.stages.tone import tone_of


@pytest.fixture(scope="module")
def analysis():
    return extract_text(
        "Rebels and government forces agreed to a ceasefire on Monday after peace talks in Doha. "
        "The army had deployed 2,000 troops and three tanks to the border, and 1.5 million refugees have fled.\n\n"
        "The European Union imposed sanctions on the junta, and thousands of protesters marched in the capital.",
        published="2025-06-02")


def test_themes_from_terms_with_offsets(analysis) -> None:
    found = {t.theme for t in analysis.themes}
    assert {"CEASEFIRE", "NEGOTIATION", "SANCTIONS", "PROTEST", "REFUGEES", "MILITARY"} <= found, found
    text = analysis.article.text
    for t in analysis.themes:
        assert 0 <= t.start < t.end <= len(text)
        if t.signal == "term":
            assert text[t.start:t.end].lower() == t.text.lower()


def test_taxonomy_codes_are_prefixes() -> None:
    tax = default_taxonomy()
    assert "CEASEFIRE" in tax.for_code("0871")
    assert len(tax.themes) >= 30
    for code in tax.cameo:
        assert code.isdigit() and 2 <= len(code) <= 4


def test_bad_taxonomy_row_is_a_clear_error(tmp_path) -> None:
    from newsevents.errors import ConfigError

    bad = tmp_path / "themes.tsv"
    bad.write_text("theme\tkind\tvalue\nPROTEST\tword\tmarch\n")
    with pytest.raises(ConfigError, match="bad row"):
        Taxonomy.load(bad)


def test_amounts(analysis) -> None:
    got = {(a.value, a.object) for a in analysis.amounts}
    assert {(2000.0, "troops"), (3.0, "tanks"), (1_500_000.0, "refugees")} <= got, got
    for a in analysis.amounts:
        assert analysis.article.text[a.start:a.end] == a.text


def test_number_values() -> None:
    assert number_value(["2,000"]) == 2000
    assert number_value(["2.5", "million"]) == 2_500_000
    assert number_value(["three", "hundred"]) == 300
    assert number_value(["several"]) is None


def test_tone_is_gdelt_style_percentages() -> None:
    t = tone_of("the attack killed many and the peace deal failed".split())
    assert t.words == 9 and t.negative > t.positive
    assert t.tone == pytest.approx(t.positive - t.negative, abs=1e-3)
    assert t.polarity == pytest.approx(t.positive + t.negative, abs=1e-3)
    assert tone_of([]).words == 0


def test_article_tone_and_fingerprint(analysis) -> None:
    assert analysis.tone is not None and analysis.tone.words > 30
    assert len(analysis.fingerprint) == 64
