"""Clean titles: what every reader does to the title a page or a wire record gives.

Publishers and agencies put things in a title that are not the headline: agency flags ("URGENT",
"UPDATE-2", "2nd Ld-Writethru:", "(PICTURES)", "(new series)"), editors' notes ("ATTENTION - ADDS quotes
///"), a reporter's byline ("... by Jane Doe") and stray trailing slashes. ``clean_title`` takes them out;
``make_article`` keeps the title as given in ``Article.raw_title`` when it did. A title that was nothing
but furniture ("ATTENTION - ADDS details ///") becomes no title.

A title made from a URL slug has lost its capitals ("eu-foreign-ministers-weigh-new-sanctions-on-iran");
``case_like_text`` gives each word the casing the article's own text uses for it.

The flag, note and participle lists are data: ``knowledge/title_furniture.tsv``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..knowledge import DATA, norm, read_table, split_list

FURNITURE_FILE = DATA / "title_furniture.tsv"

# Words that may sit inside a byline's name between capitalised words ("Anne de Vries", "Omar al Bashir").
_NAME_PARTICLES = r"(?:de|da|di|du|del|della|van|von|der|den|la|le|al|el|bin|ben|ibn|dos|das)"
_NAME_WORD = r"(?-i:[A-Z][\w'’.]*(?:-[A-Z]?[\w'’.]+)*)"
# "... by Jane Doe", "... - by Jean-Pierre de Vries": two to four capitalised words closing the title.
_BYLINE = re.compile(
    rf"^(?P<head>.*?\S)\s*[,;\-–—]?\s+(?:by|BY|By)\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_PARTICLES}\s+)?{_NAME_WORD}){{1,3}})\s*$"
)
# An acronym is no part of a reporter's name; initials carry dots ("M.R. Narayan Swamy").
_ACRONYM = re.compile(r"[A-Z]{2,}")
# Separators between a flag and the headline: a colon, a spaced dash or bar, an en or em dash.
_SEP = r"(?:\s*:\s*|\s+[-|]+\s+|\s*[–—]\s*)"
_EDGE_JUNK = " \t,;:|=/-–—"
# Rounds of stripping: a flag can hide another ("URGENT: UPDATE-2: ..."); three is more than titles carry.
MAX_ROUNDS = 4


@dataclass(frozen=True)
class TitleRules:
    """The compiled contents of ``title_furniture.tsv``."""

    bracketed: re.Pattern[str]
    lead: re.Pattern[str]
    tail: re.Pattern[str]
    notes: tuple[re.Pattern[str], ...]
    participles: frozenset[str]
    places: frozenset[str]  # country names, aliases and capitals (normalised): not a reporter's name


@lru_cache(maxsize=1)
def title_rules() -> TitleRules:
    """The title rules from the knowledge files, loaded once on first use."""
    rows = list(read_table(FURNITURE_FILE))
    flags = [r["pattern"] for r in rows if r["kind"] == "flag"]
    in_brackets = flags + [r["pattern"] for r in rows if r["kind"] == "bracketed"]
    any_flag = "|".join(f"(?:{f})" for f in flags)
    bracket_flag = "|".join(f"(?:{f})" for f in in_brackets)
    participles = frozenset(w for r in rows if r["kind"] == "participle" for w in r["pattern"].split("|"))
    places: set[str] = set()
    for r in read_table(DATA / "countries.tsv"):
        for name in (r.get("name", ""), r.get("capital", ""), *split_list(r.get("aliases", ""))):
            if name:
                places.add(norm(name))
    return TitleRules(
        # A bracket group standing on its own ("... airport (PICTURES)", "=(GRAPHIC)="), not one inside a
        # word or code ("alert(1)").
        bracketed=re.compile(rf"(?<![^\s=])=?\s*[(\[]\s*(?:{bracket_flag})\s*[)\]]\s*=?(?![^\s=])", re.I),
        # At the start: any case before a separator; capitals only before a bare space, a bare dash (Reuters'
        # "UPDATE 3-Bank holds rates", where "Flash-flood warnings" is a headline) or a glued capital
        # ("URGENTYeltsin to ..."), which the code checks (a regular expression cannot see the case of a
        # case-insensitive match).
        lead=re.compile(rf"^\s*(?P<flag>{any_flag})(?:(?P<sep>{_SEP})|(?P<space>\s*-\s*|\s+|(?-i:(?=[A-Z][a-z]))))", re.I),
        tail=re.compile(rf"(?:{_SEP}|\s+)(?P<flag>{any_flag})\s*$", re.I),
        notes=tuple(re.compile(r["pattern"]) for r in rows if r["kind"] == "note"),
        participles=participles,
        places=frozenset(places),
    )


def clean_title(title: Optional[str], rules: Optional[TitleRules] = None) -> Optional[str]:
    """The headline without flags, editors' notes, byline and trailing slashes; None if nothing is left."""
    if title is None:
        return None
    rules = rules or title_rules()
    t = " ".join(title.split())
    # A title in capitals throughout ("FLASH FLOODS KILL 10") cannot tell a flag by its case.
    shouting = t.upper() == t
    for _ in range(MAX_ROUNDS):
        before = t
        t = rules.bracketed.sub(" ", t)
        for note in rules.notes:
            t = note.sub(" ", t)
        t = " ".join(t.split()).strip(_EDGE_JUNK)
        m = rules.lead.match(t)
        if m and (m.group("sep") or (not shouting and _capitals(m.group("flag")))):
            t = t[m.end():]
        m = rules.tail.search(t)
        if m and not shouting and _capitals(m.group("flag")):
            t = t[: m.start()]
        t = _drop_byline(t, rules)
        t = t.strip(_EDGE_JUNK)
        if t == before:
            break
    return t or None


def _capitals(flag: str) -> bool:
    """A flag written as a flag: letters all capitals ("URGENT", "UPDATE-2")."""
    return any(ch.isalpha() for ch in flag) and flag.upper() == flag


def _drop_byline(title: str, rules: TitleRules) -> str:
    m = _BYLINE.match(title)
    if not m:
        return title
    head, name = m.group("head"), m.group("name")
    words = head.split()
    last = words[-1].lower().strip(",;:'\"’”") if words else ""
    # "backed by Jane Doe", "beaten by South Korea" are passives; a headline needs some words before a byline.
    if len(words) < 2 or last.endswith("ed") or last in rules.participles or norm(name) in rules.places:
        return title
    if any(_ACRONYM.fullmatch(w) for w in name.split()):
        return title  # "aid by UN World Food Programme": an organisation, not a reporter
    return head


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# Opening quotes and brackets between a sentence's end and its first word.
_OPENERS = " \t\"'“‘(["


def case_like_text(title: str, text: str) -> str:
    """A lower-cased title (from a URL slug) with each word cased as the text writes it mid-sentence.

    A word the text writes in lower case more often than not stays lower case; otherwise it takes the text's
    most frequent other form ("eu" -> "EU", "iran" -> "Iran"). A word the text does not use, or uses only at
    the start of sentences, keeps its case. The first letter of the title is a capital.
    """
    forms: dict[str, Counter[str]] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        before = text[max(0, m.start() - 8) : m.start()].rstrip(_OPENERS)
        if m.start() < 8 and not before or before.endswith((".", "!", "?", ":", "\n")):
            continue  # a sentence's first word: its capital says nothing about the word
        forms.setdefault(word.lower(), Counter())[word] += 1
    out = []
    for word in title.split(" "):
        seen = forms.get(word.lower())
        if seen:
            lower = seen.get(word.lower(), 0)
            other, n = max(((f, c) for f, c in seen.items() if f != word.lower()), key=lambda fc: fc[1], default=("", 0))
            if n > lower:
                word = other
            elif lower:
                word = word.lower()
        out.append(word)
    cased = " ".join(out)
    return cased[:1].upper() + cased[1:]
