"""Names whose type the line around them decides: results tables and datelines.

Wire copy prints sports results as rows ("Bradford 1 Tranmere 0", "Stoke 4 3 1 0 7 4 10",
"Postponed: Birmingham v Barnsley") and opens reports with a dateline in capitals ("BONN
1996-08-30", "NORTHAMPTON, England"). The parser reads such lines poorly: a row's teams come
out as people or towns, or one entity swallows the score; a dateline's place in capitals is
missed. The layout says what they are: a row's names are sides (teams, and a country's name
its national side), a dateline's names are places.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from parallax.entities.gazetteer import PlaceKind, given_name, place_kind
from parallax.lexicon import DEMONYMS, TITLE_WORDS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "country_names",
    "dateline_places",
    "initialled_name",
    "initialled_names",
    "person_beside_country",
    "table_sides",
]

_INITIAL = re.compile(r"^[A-Z]\.$")
_FIGURE = re.compile(r"^[-+]?(?:\d[\d.,:/-]*|\.\d+)$")
_VERSUS = frozenset({"v", "v.", "vs", "vs.", "versus"})
_CONNECTORS = frozenset({"of", "the", "and", "&", "'s", "\u2019s", "-", "de", "la", "du"})
_SEPARATORS = frozenset({",", ":", ";"})
_DASHES = frozenset({"-", "--", "\u2013", "\u2014", ":"})
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WEEKDAY = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.I)
_MONTH_WORD = re.compile(rf"^{_MONTH}$", re.I)
# What follows a dateline's places: a date ('1996-08-30', 'Aug 30', '30 August'), an agency in
# brackets, or a dash that opens the report.
_DATE = re.compile(rf"^(?:\d{{4}}-\d\d?-\d\d?|\d\d?/\d\d?/\d{{2,4}}|{_MONTH}\s+\d|\d\d?\s+{_MONTH})", re.I)


def _is_figure(tok: Token) -> bool:
    return bool(_FIGURE.match(tok.text)) or (tok.is_punct and tok.text in ("-", "(", ")"))


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and any(ch.isalpha() for ch in tok.text)


def _names(tokens: list[Token]) -> list[tuple[int, int]] | None:
    """Split `tokens` into name runs and figures: (start, end) positions of the names, or None when
    anything else (a lower-case word, a clause) is there."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if _is_figure(tokens[i]):
            i += 1
            continue
        if not _capitalised(tokens[i]):
            return None
        j = i + 1
        while j < len(tokens) and (
            _capitalised(tokens[j])
            or (tokens[j].lower_ in _CONNECTORS and j + 1 < len(tokens) and _capitalised(tokens[j + 1]))
        ):
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _side_label(span: Span) -> str:
    """A country's name is its national side, a place; any other side is a team."""
    return "GPE" if place_kind(span.text) is PlaceKind.COUNTRY else "ORG"


def _row_sides(tokens: list[Token]) -> list[tuple[int, int]]:
    """Name positions in a standings row (a name, then two or more figures), a result row (name,
    score, name, score) or a fixture (name v name)."""
    if not tokens:
        return []
    if any(t.lower_ in _VERSUS for t in tokens):
        return _fixtures(tokens)
    runs = _names(tokens)
    if not runs or runs[0][0] != 0:
        return []
    figures = [i for i, t in enumerate(tokens) if _FIGURE.match(t.text)]
    if len(runs) == 1 and len(figures) >= 2:
        return runs
    if len(runs) == 2 and len(figures) == 2 and figures[0] == runs[0][1] and figures[1] == runs[1][1]:
        return runs
    return []


def _fixtures(tokens: list[Token]) -> list[tuple[int, int]]:
    """'Postponed: Birmingham v Barnsley, Manchester City v Charlton': the sides of each fixture."""
    sides: list[tuple[int, int]] = []
    start = 0
    for end in [*(i for i, t in enumerate(tokens) if t.text in _SEPARATORS), len(tokens)]:
        part = tokens[start:end]
        cut = [i for i, t in enumerate(part) if t.lower_ in _VERSUS]
        if len(cut) == 1:
            left, right = part[: cut[0]], part[cut[0] + 1 :]
            lr, rr = _names(left), _names(right)
            if lr and rr and len(lr) == len(rr) == 1 and lr[0] == (0, len(left)) and rr[0][0] == 0:
                sides += [(start, start + cut[0]), (start + cut[0] + 1, start + cut[0] + 1 + rr[0][1])]
        start = end + 1
    return sides


def table_sides(span: Span) -> list[tuple[Span, str]]:
    """The sides named in `span` when it is a results-table row, each with its label; else none."""
    tokens = [t for t in span if not t.is_space]
    if "\n" in span.text.strip():
        return []
    doc = span.doc
    out = []
    for a, b in _row_sides(tokens):
        side = doc[tokens[a].i : tokens[b - 1].i + 1]
        out.append((side, _side_label(side)))
    return out


def dateline_places(span: Span) -> list[Span]:
    """The places of a dateline opening its block: 'BONN 1996-08-30', 'NORTHAMPTON, England
    1996-08-31', 'MOSCOW (Reuters) -'. The first place is in capitals; a date, an agency in
    brackets or a dash must follow the places."""
    if span.start != 0:
        return []
    doc = span.doc
    tokens = [t for t in span if not t.is_space]
    i = 0
    while i < len(tokens) and tokens[i].is_alpha and tokens[i].is_upper and len(tokens[i]) > 1:
        i += 1
    if i == 0 or _WEEKDAY.match(tokens[0].text) or sum(len(t) for t in tokens[:i]) < 3:
        return []
    places = [doc[tokens[0].i : tokens[i - 1].i + 1]]
    if i + 1 < len(tokens) and tokens[i].text == ",":
        j = i + 1
        while (
            j < len(tokens)
            and tokens[j].is_alpha
            and _capitalised(tokens[j])
            and not _MONTH_WORD.match(tokens[j].text)
        ):
            j += 1
        if j > i + 1:
            places.append(doc[tokens[i + 1].i : tokens[j - 1].i + 1])
            i = j
        else:
            i += 1  # 'WASHINGTON, Dec 3': the date follows the comma
    if i >= len(tokens):
        return []
    nxt = tokens[i]
    if nxt.text in _DASHES:
        # 'SOCCER - ENGLISH LEAGUE STANDINGS' is a headline: a dateline's dash opens running text.
        return places if any(t.is_lower for t in tokens[i + 1 :]) else []
    if nxt.text == "(" or _DATE.match(doc[nxt.i : span.end].text):
        return places
    return []


def country_names(span: Span, taken: list[Span]) -> list[Span]:
    """Countries the parser left unnamed ('Ireland', 'the Netherlands' outside any entity): runs of up
    to three capitalised words, outside `taken`, that the gazetteer calls a country."""
    doc = span.doc
    out: list[Span] = []
    i = span.start
    while i < span.end:
        for n in (3, 2, 1):
            cand = doc[i : min(i + n, span.end)]
            if (
                len(cand) == n
                and all(t.is_title or t.lower_ in _CONNECTORS for t in cand)
                and cand[0].is_title
                and not cand[0].ent_type_
                and not any(t.start < cand.end and cand.start < t.end for t in taken)
                and place_kind(cand.text) is PlaceKind.COUNTRY
            ):
                out.append(cand)
                i += n - 1
                break
        i += 1
    return out


def _country_words(tokens: Span) -> bool:
    """Whether the words are a country's name or a demonym ('Romania', 'South Africa', 'American')."""
    text = tokens.text
    return place_kind(text) is PlaceKind.COUNTRY or text.lower() in DEMONYMS


def person_beside_country(ent: Span) -> list[tuple[Span, str]]:
    """A results line's 'Romania Cosmin Contra' or 'Scott Draper ( Australia )' read as one entity:
    the athlete's name (two or three capitalised words opening with a given name that names no
    place) and the country (a demonym is dropped: it names no place). Empty where the entity is
    not of that shape, as 'South Africa Cricket Board' is not: its rest opens with no given name."""
    words = [t for t in ent if not t.is_punct]
    for n in (1, 2):
        for country, rest in ((words[:n], words[n:]), (words[len(words) - n :], words[: len(words) - n])):
            if not country or not 2 <= len(rest) <= 3:
                continue
            if rest[-1].i - rest[0].i != len(rest) - 1 or country[-1].i - country[0].i != n - 1:
                continue  # punctuation inside the name or inside the country: another layout
            place = ent.doc[country[0].i : country[-1].i + 1]
            if not _country_words(place) or not all(t.is_alpha and t.is_title for t in rest):
                continue
            if not given_name(rest[0].text) or place_kind(rest[0].text):
                continue
            person = ent.doc[rest[0].i : rest[-1].i + 1]
            found = [(person, "PERSON")]
            if place.text.lower() not in DEMONYMS:
                found.append((place, "GPE"))
            return sorted(found, key=lambda pair: pair[0].start)
    return []


def _surname_word(tok: Token) -> bool:
    return (
        tok.text[:1].isupper()
        and tok.text.replace("'", "").replace("-", "").isalpha()
        and not tok.is_stop
        and tok.lower_ not in TITLE_WORDS
        and tok.lower_ not in DEMONYMS
    )


def initialled_name(span: Span) -> bool:
    """Whether the words are an initial and a surname ('P. Simmons', 'T. O'Gorman'): how scorecards
    and results name players, and how the small model often misses or calls them organisations."""
    return (
        2 <= len(span) <= 3
        and bool(_INITIAL.match(span[0].text))
        and all(_surname_word(t) for t in span[1:])
        and not any(place_kind(t.text) for t in span[1:])
    )


def initialled_names(span: Span, taken: list[Span]) -> list[Span]:
    """Initial-and-surname names ('( P. Simmons 4-38 )') outside `taken`, the longest first."""
    doc = span.doc
    out: list[Span] = []
    for tok in span:
        if not _INITIAL.match(tok.text) or any(t.start <= tok.i < t.end for t in taken + out):
            continue
        for n in (3, 2):
            cand = doc[tok.i : min(tok.i + n, span.end)]
            if (
                len(cand) == n
                and initialled_name(cand)
                and not any(t.start < cand.end and cand.start < t.end for t in taken)
            ):
                out.append(cand)
                break
    return out
