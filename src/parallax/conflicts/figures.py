"""Numbers in a sentence with the thing they count, and when two of them agree.

Two reports of one fact rarely print a number the same way: "32" and "Thirty-two", "4
percent" and "4.4 percent", "4,000 people" and "4,156 people", "about 1,700" and "1,650".
Agreement therefore allows for hedges and for rounding before anything is called a conflict.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from parallax.lexicon import NUMBER_HEDGES
from parallax.nlp import ParsedSentence

__all__ = ["Figure", "agree", "figures"]

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_NUMBER_ENTS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", ""}
_PERCENT = {"%", "percent", "pct", "percentage"}
# Below this, a round number is a count, not an estimate: "10 people" and "12 people" differ.
_ROUNDING_FROM = 1000
# Prepositions that make a counted phrase the span a statement covers: "in 54 games", "over 3 years".
_SPAN_PREPOSITIONS = frozenset({"in", "over", "during", "across", "within", "throughout"})


@dataclass(frozen=True)
class Figure:
    """A number in a sentence, the thing it counts ("1,700" of "warhead") and what it counts for.

    `role` is the word the counted phrase hangs on ("kill" in "12 people were killed"), so that
    12 killed and 15 injured are never compared; `unit` is the rounding the number shows
    (1 for "12", 0.1 for "4.4", 1,000 for "4,000"); `span` marks a figure that says over what the
    statement counts ("43 RBIs in 54 games").
    """

    value: float
    text: str
    counts: str
    role: str
    hedged: bool
    unit: float
    noun: str = ""  # the counted words as written ("crew members")
    span: bool = False


def _value(text: str) -> float | None:
    cleaned = text.lower().replace(",", "").strip()
    if cleaned in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[cleaned])
    if cleaned in _SCALES:
        return _SCALES[cleaned]
    words = cleaned.split("-")
    if len(words) == 2 and all(w in _WORD_NUMBERS for w in words):  # "thirty-two"
        return float(_WORD_NUMBERS[words[0]] + _WORD_NUMBERS[words[1]])
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        return None
    return float(cleaned)


def _unit(text: str, value: float) -> float:
    """The rounding a written number shows: its last decimal place, or its trailing zeros from 1,000 up."""
    digits = text.replace(",", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    if not digits.isdigit() or value < _ROUNDING_FROM:
        return 1.0
    return 10.0 ** (len(digits) - len(digits.rstrip("0")))


def _counted(noun: Token) -> str:
    if noun.lower_ in _PERCENT or (noun.lower_ == "cent" and noun.nbor(-1).lower_ == "per"):
        return "percent"
    return noun.lemma_.lower()


def _role(noun: Token) -> str:
    """The first content word above the counted phrase, through prepositions ("deaths of 12 people");
    none where the phrase is an item of a list ("Ruiz 17.5 points, Okoye 12.2 points") or hangs on
    a name, since the parse then cannot say what it counts for."""
    if noun.dep_ in ("appos", "conj") and noun.head.pos_ in ("NOUN", "PROPN"):
        return ""
    head = noun.head
    while head.pos_ == "ADP" and head.head is not head:
        head = head.head
    return "" if head.pos_ == "PROPN" and head.i != noun.i else head.lemma_.lower()


def figures(sentence: ParsedSentence) -> Iterator[Figure]:
    """Numbers that count something named in the sentence; dates, ordinals and years are left out."""
    for tok in sentence.span:
        if not tok.like_num or tok.ent_type_ not in _NUMBER_ENTS or tok.head.lower_ in _SCALES:
            continue
        value = _value(tok.text)
        if value is None:
            continue
        text = tok.text
        if _score_or_range(tok):
            continue
        if tok.i >= 2 and tok.nbor(-1).text == "-" and (tens := _value(tok.nbor(-2).text)):  # "Thirty-two"
            value, text = value + tens, tok.doc[tok.i - 2 : tok.i + 1].text
        unit = _unit(text, value)
        if tok.lower_ in _SCALES:  # "1.7 million": the scale word heads its number
            digits = [c for c in tok.children if c.like_num and c.lower_ not in _SCALES]
            base = _value(digits[0].text) if digits else None
            value, unit = (base * value, _unit(digits[0].text, base) * value) if base else (value, value)
        if tok.dep_ != "nummod":
            continue
        noun = tok.head
        if noun.pos_ not in ("NOUN", "PROPN") and noun.lower_ not in _PERCENT:
            continue
        hedged = any(t.lower_ in NUMBER_HEDGES for t in tok.subtree if t.i != tok.i) or any(
            t.lower_ in NUMBER_HEDGES for t in tok.doc[max(tok.i - 3, 0) : tok.i]
        )
        written = " ".join(t.text for t in noun.lefts if t.dep_ == "compound") + " " + noun.text
        span = noun.dep_ == "pobj" and noun.head.lower_ in _SPAN_PREPOSITIONS
        yield Figure(value, text, _counted(noun), _role(noun), hedged, unit, written.strip(), span)


def _score_or_range(tok: Token) -> bool:
    """A number in "88-72" or "10-15": a score or a range, which counts nothing on its own."""
    doc = tok.doc
    before = tok.i >= 2 and doc[tok.i - 1].text in "-–" and doc[tok.i - 2].text[:1].isdigit()
    after = tok.i + 2 < len(doc) and doc[tok.i + 1].text in "-–" and doc[tok.i + 2].text[:1].isdigit()
    return tok.text[:1].isdigit() and (before or after)


def agree(x: Figure, y: Figure, tolerance: float) -> bool:
    """Whether two figures for one thing can both be right.

    Equal values agree; so do values one of which rounds the other ("4 percent" and "4.4
    percent"; "4,000" and "4,156"), and a hedged one ("about 1,700") within `tolerance` of the larger.
    """
    if math.isclose(x.value, y.value, rel_tol=1e-9):
        return True
    if abs(x.value - y.value) <= max(x.unit, y.unit) / 2 + 1e-9:
        return True
    if x.hedged or y.hedged:
        return abs(x.value - y.value) <= tolerance * max(x.value, y.value)
    return False
