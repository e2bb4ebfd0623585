"""Dates: time expressions normalised against the article's date, and the date of a clause.

1. **Expressions** are spaCy's DATE entities (and TIME entities that name a day: "Wednesday night"), plus our
   own patterns for what the small model misses ("on Friday", "in 2022", "1997 levels"). A range yields one
   expression per end ("March 3-5" -> "March 3" and "5", "between 2020 and 2022" -> "2020" and "2022").
2. **Normalisation** (``normalise``) against the article's published date, with the tense of the clause the
   expression belongs to: a bare weekday in past-tense reporting is the most recent such day on or before
   publication ("said Wednesday"), in future context the next one ("will meet on Friday"); the same for a month
   without a year ("in April") and a day without a year ("on March 3"). Relative expressions: yesterday /
   today / tomorrow, last / this / next week, month, year, "earlier this month", "three years ago". Absolute:
   "March 3, 2022", "3 March", "March 2022", "2022", ISO dates. Our rules settle nearly everything;
   ``dateparser`` (default settings with ``RELATIVE_BASE``) is asked only about what they do not, as it is
   slow.
3. ``date_for_span`` is the hook for the event and quote stages: the date of the clause that contains a span.

Values are ISO: ``YYYY-MM-DD`` (precision ``day``), ``YYYY-MM`` (``month``), ``YYYY`` (``year``); a week
("last week", "the weekend") is the ISO date of its first day with precision ``week``. Expressions that name
no point in time at these precisions (durations, "the 1990s", "the third quarter", "now", "recently") are
not emitted.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Optional, Sequence

from ..records import Analysis, TimeExpr
from .language import span_of

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
# A day without a year this close to publication is that day whatever the tense says ("was postponed to
# March 3" in an article of February 25): the tense of a clause reporting a plan looks back, its date ahead.
# On TimeBank/AQUAINT 0, 7, 14 and 30 days give value accuracy 0.886, 0.887, 0.889 and 0.894; 14 is the
# cautious choice (a past event dated a month ahead of publication is more often last year's).
CLOSE_DAYS = 14
# Years outside this range are not years in news text ("the 500 delegates", "3000 troops").
YEAR_MIN, YEAR_MAX = 1800, 2199

# Verbs whose infinitive complement looks back ("managed to meet on Friday"), unlike most ("plans to meet").
LOOKING_BACK = {"manage", "try", "fail", "attempt", "begin", "start", "continue", "refuse", "decline", "seem",
                "appear", "happen", "use", "get", "have"}
# Present-tense verbs that report what happened ("says Friday" is a past Friday), and passive participles that
# schedule ("is scheduled for Friday", "is expected on Friday").
REPORTING = {"say", "tell", "announce", "report", "add", "claim", "state", "confirm", "deny", "insist", "warn",
             "reveal", "acknowledge", "admit", "note", "write", "allege", "accuse", "show", "indicate"}
SCHEDULING = {"schedule", "expect", "due", "set", "plan", "slate", "timetable"}
FUTURE_AUX = {"will", "'ll", "shall", "wo"}
# Modals leave the tense open: "said they would appeal Wednesday", "could not be located Wednesday".
MODALS = {"would", "'d", "could", "may", "might", "should", "must", "can", "ca"}

_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART_OF_DAY = re.compile(r"\b(?:early |late )?(?:morning|afternoon|evening|night|midday|noon|overnight|dawn|"
                          r"daybreak|lunchtime)\b")
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a ?m|p ?m)\b|\b(?:[ecmp][sd]t|gmt|utc)\b|\bat\b")
_SPACES = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:on|in|at|by|since|until|till|from|during|of|for|as of|as early as|as late as|before|"
                      r"after|around|about|some|almost|nearly|approximately|roughly|only|just|more than|less than|"
                      r"over|under|the|early|late|mid|mid-|the end of|end of|the beginning of|beginning of|"
                      r"the start of|start of|the middle of|middle of|the first half of|the second half of|"
                      r"the rest of|the remainder of|sometime|some time|through|throughout|up to|within|"
                      r"earlier|later)\s+")
_NUM = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"

# Our own candidates, for what the small model does not tag (case-sensitive where they are proper names).
_M = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\.|Aug(?:ust|\.)?|"
      r"Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)")
_W = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
PATTERNS = [
    re.compile(rf"\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Tt]his past|[Cc]oming)\s+)?{_W}(?:\s+(?:morning|afternoon|evening|night))?\b"),
    re.compile(r"\b(?:[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight|[Ll]ast night)\b"),
    re.compile(r"\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arlier this|[Ll]ater this|[Tt]he past|[Tt]he coming)\s+"
               r"(?:week|weekend|month|year)\b"),
    re.compile(rf"\b{_M}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b(?![,.]?\d)"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_M}(?:,?\s+\d{{4}})?\b"),
    re.compile(rf"\b{_M}\s+\d{{4}}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
]
# Preceded by one of these words, a bare month or year is a time expression ("in 2022", "since May").
_CONTEXT_WORD = re.compile(r"(?:\b(?:in|since|by|until|before|after|during|from|early|late|mid|last|next|this)\s+|mid-)$")
_YEAR = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")
_BARE_MONTH = re.compile(rf"\b{_M}(?![\w.])")
_YEAR_LEVELS = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\s+levels?\b")
# Two days in a range written with a month name ("May 12-13", "3-5 March").
_DAY_RANGE = re.compile(r"(?<![\d-])\d{1,2}\s*[-–—]\s*\d{1,2}(?![\d-])")
_RANGE = re.compile(r"(?:(?:between|from)\s+)?(.+?)\s*(?:-|–|—|\bto\b|\bthrough\b|\buntil\b|\btill\b|\band\b)\s*(.+)",
                    re.IGNORECASE)


def _shift_months(d: date, n: int) -> tuple[int, int]:
    m = d.year * 12 + d.month - 1 + n
    return m // 12, m % 12 + 1


def _week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _day(d: date) -> tuple[str, str]:
    return d.isoformat(), "day"


def _pick(cands: list[date], anchor: date, tense: Optional[str]) -> Optional[date]:
    """Of dates that fit an expression, the one within CLOSE_DAYS of the anchor if there is one; else the one
    its tense means: past -> the latest on or before the anchor, future -> the earliest on or after it,
    unknown -> the nearest."""
    if not cands:
        return None
    close = [c for c in cands if abs((c - anchor).days) <= CLOSE_DAYS]
    if close:
        return min(close, key=lambda c: abs((c - anchor).days))
    if tense == "past":
        before = [c for c in cands if c <= anchor]
        if before:
            return max(before)
    elif tense == "future":
        after = [c for c in cands if c >= anchor]
        if after:
            return min(after)
    return min(cands, key=lambda c: (abs((c - anchor).days), c > anchor))


def _number(word: str) -> Optional[int]:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def clean(text: str) -> str:
    """Lower case, typographic quotes folded, full stops, commas and ordinal suffixes dropped, leading
    prepositions and vague modifiers ("early", "the end of", "almost") removed."""
    s = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"[(),.;:!?\"]", " ", s)
    s = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"'s\b|'", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\bthis past\b", "last", s)
    s = re.sub(r"\bor so\b", "", s)
    s = re.sub(r"^(?:early|late|mid|pre|post)-", "", s)
    s = _spelled_numbers(s)
    prev = None
    while prev != s:
        prev = s
        s = _LEADING.sub("", s)
    return s


def normalise(text: str, anchor: date, tense: Optional[str] = None) -> Optional[tuple[str, str]]:
    """``(value, precision)`` for a time expression, relative to ``anchor`` (the article's date), or None.
    ``tense`` is that of the clause the expression belongs to: 'past', 'future' or None (unknown)."""
    s = clean(text)
    if not s:
        return None
    return _rules(s, anchor, tense) or _fallback(s, anchor)


def _rules(s: str, anchor: date, tense: Optional[str]) -> Optional[tuple[str, str]]:
    # Days relative to today.
    if s in ("yesterday", "last night") or re.fullmatch(r"yesterday (?:\w+ ?){1,2}", s):
        return _day(anchor - timedelta(days=1))
    if s in ("tomorrow",) or re.fullmatch(r"tomorrow (?:\w+ ?){1,2}", s):
        return _day(anchor + timedelta(days=1))
    if s in ("today", "tonight", "this morning", "this afternoon", "this evening", "earlier today", "later today"):
        return _day(anchor)
    if s == "day before yesterday":
        return _day(anchor - timedelta(days=2))
    if s == "day after tomorrow":
        return _day(anchor + timedelta(days=2))
    s = _SPACES.sub(" ", _PART_OF_DAY.sub(" ", _CLOCK.sub(" ", s))).strip() or s
    s = _LEADING.sub("", s)

    # Weekdays.
    m = re.fullmatch(rf"(?:(last|past|previous|this|next|coming|following) )?({_WEEKDAY_RE}|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)", s)
    if m:
        which, wd = m.group(1), WEEKDAYS[m.group(2)]
        back = (anchor.weekday() - wd) % 7
        ahead = (wd - anchor.weekday()) % 7
        if which in ("last", "past", "previous"):
            return _day(anchor - timedelta(days=back or 7))
        if which in ("next", "coming", "following"):
            return _day(anchor + timedelta(days=ahead or 7))
        if tense == "future":
            return _day(anchor + timedelta(days=ahead))
        if tense is None and ahead and ahead < back:
            return _day(anchor + timedelta(days=ahead))  # open tense: the nearest such day
        return _day(anchor - timedelta(days=back))

    # This / last / next week, weekend, month, year.
    m = re.fullmatch(r"(?:(last|past|previous|this|current|next|coming|earlier this|later this|the same|same|"
                     r"the following|following) )?(week|weekend|month|year)(?: (?:ago|before))?", s)
    if m and (m.group(1) or m.group(2) == "weekend"):
        which, unit = m.group(1) or "this", m.group(2)
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1,
                "the following": 1}.get(which, 0)
        if which in ("the same", "same"):
            return None  # the same week as what? Another expression's, not the article's.
        if unit == "week":
            return _week_start(anchor + timedelta(weeks=step)).isoformat(), "week"
        if unit == "weekend":
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)  # the Saturday on or before
            coming = anchor + timedelta(days=(5 - anchor.weekday()) % 7 or 7)
            on_weekend = anchor.weekday() >= 5
            if step < 0:
                day = saturday - timedelta(days=7) if on_weekend else saturday
            elif step > 0:
                day = coming
            elif on_weekend or tense == "past" or (tense is None and which != "this"):
                day = saturday  # "the weekend", reported on a weekday: the one just past
            else:
                day = coming
            return day.isoformat(), "week"
        if unit == "month":
            y, mo = _shift_months(anchor, step)
            return f"{y:04d}-{mo:02d}", "month"
        return f"{anchor.year + step:04d}", "year"

    # N days / weeks / months / years ago, from now.
    m = re.fullmatch(rf"{_NUM} (day|week|month|year|decade)s? (ago|earlier|before|back|from now|later|hence|on)", s)
    if m:
        n = _number(m.group(1))
        if n is None:
            return None
        sign = -1 if m.group(3) in ("ago", "earlier", "before", "back") else 1
        unit = m.group(2)
        if unit == "day":
            return _day(anchor + timedelta(days=sign * n))
        if unit == "week":
            return _week_start(anchor + timedelta(weeks=sign * n)).isoformat(), "week"
        if unit == "month":
            y, mo = _shift_months(anchor, sign * n)
            return f"{y:04d}-{mo:02d}", "month"
        return f"{anchor.year + sign * n * (10 if unit == 'decade' else 1):04d}", "year"

    # ISO and numeric dates.
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", s)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", s)
    if m:  # US order, as in English-language news
        y = int(m.group(3))
        y = y + (1900 if y > (anchor.year % 100) + 1 else 2000) if y < 100 else y
        return _valid(y, int(m.group(1)), int(m.group(2)))
    m = re.fullmatch(r"(\d{4})-(\d{2})", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}", "month"

    # Month names, with or without day and year.
    tail_year = None
    t = re.sub(r" (?:of )?(last|this|next) year$", "", s)
    if t != s:
        tail_year = anchor.year + {"last": -1, "this": 0, "next": 1}[s.rsplit(" ", 2)[-2]]
        s = t
    m = (re.fullmatch(rf"(?:(last|this|next|coming|past) )?({_MONTH_RE}) (\d{{1,2}})(?: (\d{{4}}))?", s)
         or re.fullmatch(rf"(?:(last|this|next|coming|past) )?(\d{{1,2}}) (?:of )?({_MONTH_RE})(?: (\d{{4}}))?", s))
    if m:
        which = m.group(1)
        a, b = m.group(2), m.group(3)
        month, day = (MONTHS[a], int(b)) if a in MONTHS else (MONTHS[b], int(a))
        year = int(m.group(4)) if m.group(4) else tail_year
        if year is not None:
            return _valid(year, month, day)
        cands = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _safe(y, month, day))]
        if which in ("next", "coming"):
            tense = "future"
        elif which in ("last", "past"):
            tense = "past"
        d = _pick(cands, anchor, tense)
        return _day(d) if d else None
    m = re.fullmatch(rf"(?:(last|this|next|coming|past) )?({_MONTH_RE})(?: (?:of )?(\d{{4}}))?", s)
    if m:
        which, month = m.group(1), MONTHS[m.group(2)]
        year = int(m.group(3)) if m.group(3) else tail_year
        if year is None:
            firsts = [date(y, month, 1) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
            ref = anchor.replace(day=1)
            if which in ("last", "past"):
                year = max(d for d in firsts if d < ref).year
            elif which in ("next", "coming"):
                year = min(d for d in firsts if d > ref).year
            elif which == "this":
                year = anchor.year
            elif abs(month - anchor.month) in (0, 1, 11):
                year = min(firsts, key=lambda d: abs((d - ref).days)).year  # this month or the one beside it
            else:
                year = _pick(firsts, ref, tense).year  # type: ignore[union-attr]
        return f"{year:04d}-{month:02d}", "month"

    # Holidays.
    m = re.fullmatch(r"(?:(last|this|next|coming|past) )?(.+?)(?: (\d{4}))?", s)
    if m and m.group(2) in HOLIDAYS:
        which, rule, year = m.group(1), HOLIDAYS[m.group(2)], m.group(3)
        if which in ("last", "past"):
            tense = "past"
        elif which in ("next", "coming"):
            tense = "future"
        d = rule(int(year)) if year else _pick([rule(y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)],
                                                anchor, tense)
        if d is not None:
            return (_week_start(d).isoformat(), "week") if m.group(2).endswith("week") else _day(d)

    # Years.
    if s in ("fiscal year", "current fiscal year", "this fiscal year"):
        return f"{anchor.year:04d}", "year"
    m = re.fullmatch(r"(?:(?:fiscal|fy|calendar|the year|year|spring|summer|autumn|fall|winter|the spring|the summer|"
                     r"the autumn|the fall|the winter)(?: of)? )?(\d{4})(?: (?:levels?|season|elections?))?", s)
    if m and YEAR_MIN <= int(m.group(1)) <= YEAR_MAX:
        return m.group(1), "year"
    if s in ("this year", "the year", "the current year", "year"):
        return f"{anchor.year:04d}", "year"
    return None


def _easter(y: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(y, month, (h + l - 7 * m + 33 * month + 19) % 32)


def _nth_weekday(y: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = date(y, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(y + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


# Holidays news dates things by (after ``clean``: lower case, no apostrophes). US ones are the ones English-
# language wires use most; fixed dates and the rules of the movable ones.
HOLIDAYS: dict[str, Any] = {
    "christmas": lambda y: date(y, 12, 25), "christmas day": lambda y: date(y, 12, 25),
    "christmas eve": lambda y: date(y, 12, 24), "boxing day": lambda y: date(y, 12, 26),
    "new year day": lambda y: date(y, 1, 1), "new years day": lambda y: date(y, 1, 1),
    "new year eve": lambda y: date(y, 12, 31), "new years eve": lambda y: date(y, 12, 31),
    "independence day": lambda y: date(y, 7, 4), "fourth of july": lambda y: date(y, 7, 4),
    "july fourth": lambda y: date(y, 7, 4), "halloween": lambda y: date(y, 10, 31),
    "valentine day": lambda y: date(y, 2, 14), "valentines day": lambda y: date(y, 2, 14),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1), "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "easter": _easter, "easter sunday": _easter, "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "good friday": lambda y: _easter(y) - timedelta(days=2), "easter week": _easter,
    "may day": lambda y: date(y, 5, 1), "armistice day": lambda y: date(y, 11, 11),
    "veterans day": lambda y: date(y, 11, 11), "bastille day": lambda y: date(y, 7, 14),
}

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
             "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
             "twentieth": 20, "thirtieth": 30}
_TWO_DIGITS = (rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|oh[- ](?:{'|'.join(_UNITS)}))")
_SPELLED_YEAR = re.compile(rf"\b(eighteen|nineteen|twenty) ({_TWO_DIGITS}|hundred)\b|\btwo thousand(?: (?:and )?({_TWO_DIGITS}|{'|'.join(_UNITS)}))?\b")
_SPELLED_ORDINAL = re.compile(rf"\b(?:(twenty|thirty)[- ])?({'|'.join(_ORDINALS)})\b")


def _two_digits(words: str) -> int:
    parts = re.split(r"[- ]", words)
    if parts[0] == "oh":
        return _UNITS[parts[1]]
    if parts[0] in _TEENS:
        return _TEENS[parts[0]]
    return _TENS[parts[0]] + (_UNITS[parts[1]] if len(parts) > 1 else 0)


def _spelled_numbers(s: str) -> str:
    """Years and days of the month as broadcast transcripts write them: "nineteen ninety-six" -> 1996,
    "the year two thousand" -> 2000, "March eighth" -> March 8."""
    if not re.search(r"[a-z]", s) or not re.search(r"teen|twenty|thousand|ty\b|th\b|first|second|third", s):
        return s

    def year(m: re.Match[str]) -> str:
        if m.group(1):
            century = {"eighteen": 18, "nineteen": 19, "twenty": 20}[m.group(1)]
            return str(century * 100 + (0 if m.group(2) == "hundred" else _two_digits(m.group(2))))
        tail = m.group(3)
        return str(2000 + (0 if not tail else _UNITS.get(tail) or _two_digits(tail)))

    s = _SPELLED_YEAR.sub(year, s)
    if re.search(_MONTH_RE, s):
        s = _SPELLED_ORDINAL.sub(lambda m: str(_ORDINALS[m.group(2)] + (_TENS[m.group(1)] if m.group(1) else 0)), s)
    return s


def _safe(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _valid(y: int, m: int, d: int) -> Optional[tuple[str, str]]:
    dt = _safe(y, m, d)
    return _day(dt) if dt and YEAR_MIN <= y <= YEAR_MAX else None


_DATEPARSER_WORTHY = re.compile(rf"\b(?:{_MONTH_RE}|{_WEEKDAY_RE})\b|\b\d{{4}}\b|\d/\d")


def _fallback(s: str, anchor: date) -> Optional[tuple[str, str]]:
    """dateparser, for what our rules leave: only expressions with a month or weekday name, a four-digit
    number or a slash date in them (it reads any bare number as a day of the current month)."""
    if not _DATEPARSER_WORTHY.search(s) or re.search(r"\d{2,4}s\b|\bquarter\b|\bcentury\b|\bdecade", s):
        return None
    return _dateparser(s, anchor)


@lru_cache(maxsize=8192)
def _dateparser(s: str, anchor: date) -> Optional[tuple[str, str]]:
    from dateparser.date import DateDataParser

    base = datetime(anchor.year, anchor.month, anchor.day, 12)
    try:
        data = DateDataParser(languages=["en"], settings={"RELATIVE_BASE": base}).get_date_data(s)
    except (ValueError, OverflowError, TypeError):
        return None
    d = data.date_obj if data else None
    if d is None or not (YEAR_MIN <= d.year <= YEAR_MAX):
        return None
    period = data.period or "day"
    if period == "year":
        return f"{d.year:04d}", "year"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}", "month"
    if period == "week":
        return _week_start(d.date()).isoformat(), "week"
    return _day(d.date())


# --- tense ------------------------------------------------------------------------------------------------
def clause_verb(tok: Any) -> Any:
    """The verb heading the clause a token belongs to (the token itself if it is one)."""
    seen = 0
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i and seen < 50:
        tok = tok.head
        seen += 1
    return tok


def tense_of(verb: Any, depth: int = 0) -> Optional[str]:
    """'past', 'future' or None (open) for the clause a verb heads, from its form and auxiliaries."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if words & FUTURE_AUX or ("going" in words and "to" in words):
        return "future"
    if words & MODALS:
        return None
    past = bool(words & {"did", "had", "has", "have", "was", "were", "been"}) or verb.tag_ == "VBD"
    if verb.lemma_ in SCHEDULING:
        # "is scheduled for Friday" looks ahead; "was planned for Saturday" may lie either side of the day.
        return None if past else "future"
    if verb.tag_ == "VB" and "to" in words:
        head = verb.head
        if head.i == verb.i or head.pos_ not in ("VERB", "AUX", "ADJ") or depth >= 3:
            return "future"
        governing = tense_of(head, depth + 1) if head.pos_ in ("VERB", "AUX") else None
        if head.lemma_ in LOOKING_BACK:
            return governing  # "managed to meet on Friday": when the managing was
        # "plans to meet on Friday" looks ahead; "agreed to meet on Friday" looks ahead of a past day, which
        # may be before or after publication.
        return None if governing == "past" else "future"
    if past or verb.tag_ == "VBN":
        return "past"
    if verb.tag_ == "VBG" and words & {"is", "are", "am", "'s", "'re", "'m"}:
        return "future"  # "is meeting on Friday"
    if verb.tag_ in ("VBZ", "VBP"):
        if verb.lemma_ in REPORTING:
            return "past"  # "says Friday": reporting what happened
        if verb.lemma_ in ("be", "have"):
            return None
        return "future"  # "meets Friday", the headline present
    return None


def tense_at(doc: Any, start: int, end: int) -> Optional[str]:
    """The tense of the clause a stretch of the parsed text belongs to."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return tense_of(clause_verb(span.root))


# --- the stage ---------------------------------------------------------------------------------------------
class Dates:
    name = "dates"
    version = "1"
    requires: tuple[str, ...] = ("doc",)
    assigns: tuple[str, ...] = ("dates",)

    def __call__(self, batch: Sequence[Analysis]) -> list[Analysis]:
        return [replace(a, dates=self.find(a)) for a in batch]

    def find(self, analysis: Analysis) -> tuple[TimeExpr, ...]:
        anchor = _anchor(analysis.article.published)
        if anchor is None:
            return ()
        doc, text = analysis.doc, analysis.article.text
        out: list[TimeExpr] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, normal_text: Optional[str] = None) -> bool:
            start, end = _strip(text, start, end)
            if start >= end or any(s < end and start < e for s, e in taken):
                return False
            got = normalise(normal_text or text[start:end], anchor, tense_at(doc, start, end))
            if got is None:
                return False
            out.append(TimeExpr(text=text[start:end], value=got[0], precision=got[1], start=start, end=end))
            taken.append((start, end))
            return True

        for ent in doc.ents:
            if ent.label_ == "DATE" and _YEAR.fullmatch(ent.text) and _counted(text, ent.end_char):
                continue  # "in 2000 homes"
            if ent.label_ == "DATE" or (ent.label_ == "TIME" and re.search(
                    rf"(?i)\b(?:{_WEEKDAY_RE}|yesterday|today|tomorrow|tonight|last night)\b", ent.text)):
                if _DAY_RANGE.search(ent.text) and re.search(rf"(?i)\b{_MONTH_RE}", ent.text) \
                        and self._range(ent.start_char, ent.end_char, text, add):
                    continue  # "May 12-13": two days of May, not May of 2013
                if add(ent.start_char, ent.end_char) or self._range(ent.start_char, ent.end_char, text, add):
                    continue
                for pat in PATTERNS:  # a part the rules know: "the third consecutive year Friday"
                    for m in pat.finditer(text, ent.start_char, ent.end_char):
                        add(m.start(), m.end())
        for pat in PATTERNS:
            for m in pat.finditer(text):
                add(m.start(), m.end())
        for m in _YEAR_LEVELS.finditer(text):
            add(m.start(1), m.end(1))
        for pat in (_YEAR, _BARE_MONTH):
            for m in pat.finditer(text):
                if _CONTEXT_WORD.search(text, max(0, m.start() - 12), m.start()) and not _counted(text, m.end()):
                    add(m.start(), m.end())
        out.sort(key=lambda t: t.start)
        return tuple(out)

    @staticmethod
    def _range(start: int, end: int, text: str, add: Any) -> bool:
        """The two ends of a range ("March 3-5", "from 2020 to 2022"), each its own expression; an end without
        a month or century borrows the other's ("5" in "March 3-5", "3" in "3-5 March", "98" in "1997-98")."""
        m = _RANGE.fullmatch(text, start, end)
        if not m:
            return False
        (s1, e1), (s2, e2) = m.span(1), m.span(2)
        left, right = text[s1:e1].strip(), text[s2:e2].strip()
        left_month = re.search(rf"(?i)\b{_MONTH_RE}\.?(?=\s)", left)
        right_month = re.search(rf"(?i)\b{_MONTH_RE}\b", right)
        left_text = right_text = None
        if re.fullmatch(r"\d{1,2}", right) and left_month:
            year = re.search(r"\b\d{4}\b", left)
            right_text = f"{left_month.group(0)} {right}" + (f" {year.group(0)}" if year else "")
        elif re.fullmatch(r"\d{2}", right) and re.fullmatch(r"(?:1[89]|2[01])\d\d", left):
            right_text = left[:2] + right
        elif re.fullmatch(r"\d{1,2}", left) and right_month:
            year = re.search(r"\b\d{4}\b", right)
            left_text = f"{left} {right_month.group(0)}" + (f" {year.group(0)}" if year else "")
        ok1 = add(s1, e1, left_text)
        ok2 = add(s2, e2, right_text)
        return ok1 or ok2


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \n\t\"'(“‘":
        start += 1
    while end > start and text[end - 1] in " \n\t.,;:\"')”’":
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


_COUNT_NOUNS = re.compile(r"\s+(?:people|persons|troops|soldiers|men|women|children|dollars|euros|yuan|tonnes|tons|"
                          r"percent|per cent|km|kilometres|kilometers|miles|metres|meters|members|votes|seats|"
                          r"workers|refugees|cases|deaths|units|shares|points|barrels|hectares|acres|homes|houses|"
                          r"tents|families|villages|vehicles|weapons|rounds|sites|jobs)\b")


def _counted(text: str, end: int) -> bool:
    """True if a number is a count of something ("in 2000 villages"), not a year."""
    return bool(_COUNT_NOUNS.match(text, end, min(len(text), end + 20)))


def _anchor(published: Optional[str]) -> Optional[date]:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


# --- the hook for events and quotes ---------------------------------------------------------------------------
CLIMB = {"ccomp", "xcomp", "conj", "advcl", "parataxis", "pcomp"}


def date_for_span(analysis: Analysis, start: int, end: int) -> tuple[Optional[str], str]:
    """The date of the clause that contains ``text[start:end]``: ``(value, "text")`` from a time expression
    attached to that clause as an adverbial (whose head is the clause's verb, or within the clause: "said
    Thursday", "met on Friday", "the invasion of Ukraine in 2022"); else from an adverbial clause within it
    ("Before launching the invasion in 2022, Moscow demanded..."); else, the same for the clause it is
    reported in or hangs from ("Trump said Wednesday that he held a call": the call's date is Wednesday's);
    else a date modifying a noun of the clause ("roll back to 1997 levels" is a last resort, not a time);
    else ``(published date, "article")``."""
    published = analysis.article.published
    fallback = (published[:10] if published else None, "article")
    span = span_of(analysis, start, end) if analysis.dates else None
    if span is None:
        return fallback
    doc = analysis.doc
    adverbial: dict[int, list[tuple[int, TimeExpr]]] = {}
    modifier: dict[int, list[tuple[int, TimeExpr]]] = {}
    for te in analysis.dates:
        tspan = doc.char_span(te.start, te.end, alignment_mode="expand")
        if tspan is None:
            continue
        root = tspan.root
        table = modifier if root.dep_ in NOUN_MODIFIERS else adverbial
        table.setdefault(clause_verb(root).i, []).append((root.i, te))
    verb = clause_verb(span.root)
    cur = verb
    for _ in range(6):
        if cur.i in adverbial:
            return _nearest(adverbial[cur.i], span.root.i if cur.i == verb.i else cur.i), "text"
        for sub in _subordinate_clauses(cur):
            if sub.i in adverbial:
                return _nearest(adverbial[sub.i], sub.i), "text"
        if cur.dep_ not in CLIMB or cur.head.i == cur.i:
            break
        cur = clause_verb(cur.head)
    if verb.i in modifier:
        return _nearest(modifier[verb.i], span.root.i), "text"
    return fallback


def _subordinate_clauses(verb: Any) -> list[Any]:
    """Adverbial clauses of a verb: "when they met on Friday", "Before launching the invasion in 2022"."""
    out = [c for c in verb.children if c.dep_ == "advcl"]
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        out.extend(c for c in prep.children if c.dep_ == "pcomp" and c.pos_ in ("VERB", "AUX"))
    return out


# An expression that modifies a noun ("1997 levels", "the 2022 budget") dates the noun, not the clause.
NOUN_MODIFIERS = {"nummod", "compound", "amod", "poss", "nmod"}


def _nearest(items: list[tuple[int, TimeExpr]], i: int) -> str:
    """Of a clause's expressions, the most precise, then the nearest to the span."""
    precision_rank = {"day": 0, "week": 1, "month": 2, "year": 3}
    best = min(items, key=lambda it: (precision_rank.get(it[1].precision, 4), abs(it[0] - i)))
    return best[1].value
