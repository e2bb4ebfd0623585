"""Users' own dictionaries in the PETRARCH/TABARI (Phoenix) formats, added to the knowledge.

Actors file::

    ARNOR_  [ARN]               a name (underscores for spaces; a trailing '_' ends the phrase) and its code
    +ARNORIAN                   a synonym of the entry above
    GOLLUM                      codes on their own lines, restricted by date (YYMMDD or YYYYMMDD):
        [HOB < 950601]              before
        [HOBGOV 19950601 - 19990815] within
        [HOBREB > 990816]           after

Agents file::

    !PERSON! = MAN, MEN, WOMAN    a substitution used in other lines
    FOREIGN_MINISTER [~GOVFRM]    a role noun and the code it adds to its actor's code
    MEDIA {} [~MED]               braces list plurals ({} = none)

``#`` starts a comment, and ``<!-- ... -->`` blocks are comments too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from . import ActorKnowledge

_CODE = re.compile(r"\[([^\]]*)\]")
_SUBST = re.compile(r"^(![A-Z0-9_]+!)\s*=\s*(.+)$")
# Two-digit years in TABARI dates: 00-30 are 20xx, the rest 19xx (the dictionaries date from 1991 onward).
TWO_DIGIT_PIVOT = 30


def _strip_comments(text: str) -> list[str]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return [line.split("#", 1)[0].rstrip() for line in text.splitlines()]


def _name(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split()).strip()


def _date(raw: str) -> str:
    raw = raw.strip()
    if len(raw) == 6:
        yy = int(raw[:2])
        raw = ("20" if yy <= TWO_DIGIT_PIVOT else "19") + raw
    if len(raw) != 8 or not raw.isdigit():
        raise ValueError(raw)
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"


def _parse_code(inner: str) -> tuple[str, str, str]:
    """'HOBGOV 19950601 - 19990815' -> ('HOBGOV', '1995-06-01', '1999-08-15')."""
    inner = inner.strip()
    m = re.match(r"^(\S*)\s*([<>])\s*(\d{6,8})$", inner)
    if m:
        code, op, d = m.groups()
        return (code, "", _prev_day(_date(d))) if op == "<" else (code, _date(d), "")
    m = re.match(r"^(\S*)\s+(\d{6,8})\s*-\s*(\d{6,8})$", inner)
    if m:
        return m.group(1), _date(m.group(2)), _date(m.group(3))
    return inner.split()[0] if inner.split() else "", "", ""


def _prev_day(iso: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


def _is_null(code: str) -> bool:
    return not code or set(code) <= set("-+#*")


def load_actors(kn: "ActorKnowledge", path: Path) -> int:
    """Add a PETRARCH actors dictionary; returns the number of names added."""
    from . import ActorEntry

    names: list[str] = []
    codes: list[tuple[str, str, str]] = []
    added = 0

    def flush() -> None:
        nonlocal added, names, codes
        if names and codes:
            primary = names[0].title()
            for code, start, end in codes:
                if _is_null(code):
                    continue
                entry = ActorEntry(canonical=primary, code=code.upper(), country=code[:3].upper(), type="ACTOR",
                                   kind="user", start=start, end=end)
                for n in names:
                    kn.add(n, entry)
                    added += 1
        names, codes = [], []

    for n, line in enumerate(_strip_comments(path.read_text(encoding="utf-8", errors="replace")), start=1):
        s = line.strip()
        if not s:
            continue
        try:
            if s.startswith("+"):
                names.append(_name(s[1:]))
            elif s.startswith("["):
                codes += [_parse_code(m) for m in _CODE.findall(s)]
            else:
                flush()
                found = _CODE.findall(s)
                names = [_name(_CODE.sub("", s))]
                codes = [_parse_code(m) for m in found]
        except ValueError as exc:
            raise ConfigError(f"{path}:{n}: cannot read this dictionary line ({exc}): {line.strip()}") from exc
    flush()
    return added


def load_agents(kn: "ActorKnowledge", path: Path) -> int:
    """Add a PETRARCH agents dictionary (role nouns); returns the number of terms added."""
    subst: dict[str, list[str]] = {}
    added = 0
    for line in _strip_comments(path.read_text(encoding="utf-8", errors="replace")):
        s = line.strip()
        if not s:
            continue
        m = _SUBST.match(s)
        if m:
            subst[m.group(1)] = [w.strip() for w in m.group(2).split(",") if w.strip()]
            continue
        cm = _CODE.search(s)
        if not cm:
            continue
        code = cm.group(1).strip().replace("~", "")
        head = s[: cm.start()]
        plurals = re.findall(r"\{([^}]*)\}", head)
        term = re.sub(r"\{[^}]*\}", "", head).strip()
        variants = [term]
        for macro, words in subst.items():
            variants = [v2 for v in variants for v2 in ([v.replace(macro, w) for w in words] if macro in v else [v])]
        for v in variants:
            kn.roles[_key(v)] = code
            added += 1
        for group in plurals:
            for p in group.split(","):
                if p.strip():
                    kn.roles[_key(p)] = code
                    added += 1
    kn._role_seen.clear()  # roles changed: forget the lookups made before
    return added


def _key(raw: str) -> str:
    from . import norm

    return norm(_name(raw))


def load_into(kn: "ActorKnowledge", path: Path) -> None:
    """Detect the kind of dictionary by its content and add it."""
    if not path.exists():
        raise ConfigError(f"{path}: no such dictionary file")
    text = path.read_text(encoding="utf-8", errors="replace")
    body = "\n".join(_strip_comments(text))
    if path.suffix == ".tsv":
        _load_tsv(kn, path)
    elif "[~" in body or re.search(r"^![A-Z]+!\s*=", body, re.M):
        load_agents(kn, path)
    else:
        load_actors(kn, path)


def _load_tsv(kn: "ActorKnowledge", path: Path) -> None:
    header = path.read_text(encoding="utf-8").split("\n", 1)[0]
    if header.startswith("name\t"):
        kn._load_people(path)
    elif header.startswith("code\t"):
        kn._load_organisations(path)
    else:
        raise ConfigError(f"{path}: a TSV dictionary must have the people (name...) or organisations (code...) header")

