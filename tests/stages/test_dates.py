"""Dates: time expressions normalised against the article's date, on fictional sentences."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.pipeline import Pipeline
from newsevents.readers._common import make_article
from newsevents.records import Analysis, TimeExpr
from newsevents.stages.actors import Actors
from newsevents.stages.dates import Dates, date_for_span, normalise
from newsevents.stages.language import Language

THURSDAY = "2025-02-13"  # the published date of most examples below: a Thursday


@pytest.fixture(scope="module")
def layer() -> Pipeline:
    return Pipeline([Language(), Actors(), Dates()])


def run(layer: Pipeline, text: str, day: str | None = THURSDAY) -> Analysis:
    [a] = layer.run([make_article(text=text, input="t", format="text", key=text, published=day)], keep_doc=True)
    return a


def expr(a: Analysis, text: str) -> TimeExpr:
    for d in a.dates:
        if d.text == text:
            return d
    raise AssertionError(f"no time expression {text!r} in {[(d.text, d.value) for d in a.dates]}")


def value(a: Analysis, text: str) -> str:
    return expr(a, text).value


# --- weekdays and tense ---------------------------------------------------------------------------------
def test_a_weekday_in_past_reporting_is_the_last_such_day(layer: Pipeline) -> None:
    a = run(layer, "Minister Ilse Varga said Wednesday that the talks had failed.")
    assert value(a, "Wednesday") == "2025-02-12"
    assert expr(a, "Wednesday").precision == "day"


def test_a_weekday_in_future_context_is_the_next_such_day(layer: Pipeline) -> None:
    a = run(layer, "The two delegations will meet on Friday in the capital.")
    assert value(a, "Friday") == "2025-02-14"
    b = run(layer, "The two delegations will meet on Monday in the capital.")
    assert value(b, "Monday") == "2025-02-17"


def test_the_publication_day_itself(layer: Pipeline) -> None:
    a = run(layer, "The ministry said Thursday it would reopen the border.")
    assert value(a, "Thursday") == THURSDAY


def test_last_and_next_weekday(layer: Pipeline) -> None:
    a = run(layer, "Protests began last Friday and a vote is set for next Tuesday.")
    assert value(a, "last Friday") == "2025-02-07"
    assert value(a, "next Tuesday") == "2025-02-18"


# --- relative days, weeks, months, years --------------------------------------------------------------------
def test_yesterday_today_tomorrow(layer: Pipeline) -> None:
    a = run(layer, "Shelling resumed yesterday. Talks continue today and end tomorrow.")
    assert value(a, "yesterday") == "2025-02-12"
    assert value(a, "today") == THURSDAY
    assert value(a, "tomorrow") == "2025-02-14"


def test_last_week_month_year(layer: Pipeline) -> None:
    a = run(layer, "Prices rose last week, fell last month and doubled last year.")
    assert (value(a, "last week"), expr(a, "last week").precision) == ("2025-02-03", "week")  # its Monday
    assert (value(a, "last month"), expr(a, "last month").precision) == ("2025-01", "month")
    assert (value(a, "last year"), expr(a, "last year").precision) == ("2024", "year")


def test_earlier_this_month(layer: Pipeline) -> None:
    a = run(layer, "The envoy arrived earlier this month with a new proposal.")
    assert [(d.value, d.precision) for d in a.dates] == [("2025-02", "month")]


def test_ago(layer: Pipeline) -> None:
    a = run(layer, "The treaty was signed three years ago by both parliaments.")
    assert [(d.value, d.precision) for d in a.dates] == [("2022", "year")]


# --- absolute dates ----------------------------------------------------------------------------------------
def test_month_and_day_without_a_year_takes_the_year_from_the_tense(layer: Pipeline) -> None:
    past = run(layer, "The ceasefire collapsed on March 3 after a week of shelling.")
    assert value(past, "March 3") == "2024-03-03"  # a March 3 that has happened
    future = run(layer, "The referendum will be held on March 3 across the country.")
    assert value(future, "March 3") == "2025-03-03"
    near = run(layer, "Parliament was due to vote on February 20 on the budget.")
    assert value(near, "February 20") == "2025-02-20"  # a week away: that day, whatever the tense


def test_full_dates_and_years(layer: Pipeline) -> None:
    a = run(layer, "The accord of July 14, 2015 was abandoned in 2018, and talks resumed in 2022.")
    assert value(a, "July 14, 2015") == "2015-07-14"
    assert (value(a, "2018"), expr(a, "2018").precision) == ("2018", "year")
    assert value(a, "2022") == "2022"


def test_year_levels_is_a_year(layer: Pipeline) -> None:
    a = run(layer, "The alliance was asked to pull its forces back to 1997 levels.")
    assert [(d.text, d.value, d.precision) for d in a.dates] == [("1997", "1997", "year")]


def test_a_count_is_not_a_year(layer: Pipeline) -> None:
    a = run(layer, "Aid reached villages in 2000 homes and 1500 tents, officials said Monday.")
    assert [d.text for d in a.dates] == ["Monday"]


def test_ranges_give_one_expression_per_end(layer: Pipeline) -> None:
    a = run(layer, "The summit runs from March 3 to 5, after talks held between 2020 and 2022.")
    got = {(d.text, d.value) for d in a.dates}
    assert {("March 3", "2025-03-03"), ("5", "2025-03-05"), ("2020", "2020"), ("2022", "2022")} <= got


def test_no_published_date_no_dates(layer: Pipeline) -> None:
    assert run(layer, "The mayor resigned on Friday.", day=None).dates == ()


def test_durations_and_vague_times_are_not_dates(layer: Pipeline) -> None:
    a = run(layer, "For three months the annual talks stalled; recently the 1990s accord was revived.")
    assert a.dates == ()


# --- the normaliser alone --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,tense,want", [
    ("Wednesday night", "past", ("2025-02-12", "day")),
    ("late Tuesday", None, ("2025-02-11", "day")),
    ("the weekend", "past", ("2025-02-08", "week")),
    ("next month", None, ("2025-03", "month")),
    ("May last year", None, ("2024-05", "month")),
    ("early 2022", None, ("2022", "year")),
    ("Dec. 31", "past", ("2024-12-31", "day")),
    ("3 March 2021", None, ("2021-03-03", "day")),
    ("Christmas Day", "past", ("2024-12-25", "day")),
    ("nineteen ninety-six", None, ("1996", "year")),
    ("two weeks ago", None, ("2025-01-27", "week")),
    ("the third quarter", None, None),
    ("now", None, None),
])
def test_normalise(text: str, tense: str | None, want: tuple[str, str] | None) -> None:
    assert normalise(text, date(2025, 2, 13), tense) == want


# --- the date of a clause ----------------------------------------------------------------------------------------
def test_a_clause_takes_the_date_of_its_expression_or_of_the_clause_reporting_it(layer: Pipeline) -> None:
    text = ("Governor Emil Draganov said Wednesday that he had signed the decree. "
            "The opposition called for new elections.")
    a = run(layer, text)
    i = text.index("signed")
    assert date_for_span(a, i, i + len("signed")) == ("2025-02-12", "text")
    j = text.index("called")
    assert date_for_span(a, j, j + len("called")) == (THURSDAY, "article")


def test_a_date_modifying_a_noun_is_not_the_clause_date(layer: Pipeline) -> None:
    text = "Before launching the offensive in 2019, the junta demanded a return to 1990 borders."
    a = run(layer, text)
    i = text.index("demanded")
    assert date_for_span(a, i, i + len("demanded")) == ("2019", "text")


# --- offsets ------------------------------------------------------------------------------------------------------
_FRAGMENTS = ["Officials said Monday", "the talks collapsed last week", "a vote is due on April 4",
              "the accord of 2015", "troops withdrew yesterday", "prices rose 3 percent in 2023",
              "the envoy will return next month", "“We are ready,” she said on Sept. 9"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=4), st.sampled_from(["\n\n", ". ", "; "]))
def test_offsets_index_the_text(layer: Pipeline, parts: list[str], sep: str) -> None:
    text = sep.join(parts) + "."
    a = run(layer, text)
    for d in a.dates:
        assert 0 <= d.start < d.end <= len(text) and text[d.start:d.end] == d.text


def test_a_day_range_under_a_month_is_two_days_of_that_month() -> None:
    p = Pipeline([Language(), Dates()])
    text = "The envoys will meet in Geneva on May 12-13 to prepare the summit."
    [a] = p.run([make_article(text=text, input="t", format="text", key=text, published="1997-04-10")])
    assert [d.value for d in a.dates] == ["1997-05-12", "1997-05-13"]
