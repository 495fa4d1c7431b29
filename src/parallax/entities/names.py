"""Name normalisation, small lexicons of titles and head nouns, and the name-matching tests."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from parallax.settings import Settings

__all__ = [
    "FAMILY",
    "HONORIFICS",
    "NAMED_THINGS",
    "NAME_TYPES",
    "ORG_HEADS",
    "PLACE_HEADS",
    "PRONOUNS",
    "TITLE_WORDS",
    "acronym_of",
    "demonym_matches",
    "is_acronym",
    "name_key",
    "similar",
]


def _words(text: str) -> list[str]:
    return text.split()


NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "LAW", "EVENT", "PRODUCT", "WORK_OF_ART"}
)
# Labels that may name the same kind of thing: fuzzy merging stays inside one family.
FAMILY = {
    "PERSON": "person",
    "ORG": "org",
    "NORP": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "LAW": "misc",
    "EVENT": "misc",
    "PRODUCT": "misc",
    "WORK_OF_ART": "misc",
}
HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof", "mr.", "mrs.", "ms.", "dr."}
)
# Things named after a person that the small spaCy model takes into the PERSON name when they are
# capitalised ("James Comey Memos", "Wasserman Schultz Servers"): trimmed off a PERSON's end.
NAMED_THINGS = frozenset(
    _words(
        """
    memo memos email emails server servers file files paper papers tape tapes letter letters dossier
    diary diaries document documents notes recording recordings transcript transcripts tweet tweets
    report reports book books memoir campaign administration presidency doctrine
    """
    )
)
# Words that make a noun phrase a title or role of a person ("Foreign Minister", "spokesperson").
TITLE_WORDS = frozenset(
    _words(
        """
    president minister secretary chancellor premier governor senator sen rep representative congressman
    congresswoman mayor king queen prince princess emperor sheikh pope cardinal bishop archbishop
    ambassador envoy diplomat consul spokesman spokeswoman spokesperson chief director head leader chair
    chairman chairwoman chairperson ceo cfo coo executive founder officer official adviser advisor
    commander general admiral colonel captain lieutenant sergeant marshal judge justice attorney
    prosecutor counsel lawyer speaker lawmaker legislator deputy vice dictator ruler prime
    commissioner inspector sheriff detective analyst economist professor researcher scientist
    reporter correspondent editor journalist columnist anchor host author writer coach manager
    player striker midfielder goalkeeper defender captain owner partner president-elect nominee
    candidate member delegate negotiator strategist aide assistant staffer treasurer auditor
    """
    )
)
# Head nouns of organisations ("the ministry", "the alliance"), used to find nominal mentions.
ORG_HEADS = frozenset(
    _words(
        """
    agency alliance army association authority bank bloc board bureau cabinet campaign church
    coalition commission committee company congress corporation council court department directorate
    federation firm force forces government group institute institution league ministry movement
    network newspaper office organisation organization outlet parliament party police portal regime
    senate service team tribunal union university administration broadcaster channel network club
    """
    )
)
PLACE_HEADS = frozenset(
    _words("country nation state republic kingdom city capital region province island territory")
)
PRONOUNS = frozenset(
    _words(
        "he she they it we i you him her them us his hers their its our who which that this these those one"
    )
)
_STOP_INITIALS = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "la", "le", "&", "to", "at"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z&]{1,6}$|^[A-Z]{2,}[a-z]?$")


def name_key(text: str) -> str:
    """Lowercase, accent-free, punctuation-free form under which two spellings count as one name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", "")
    text = re.sub(r"['\u2019`]s\b", "", text)
    text = re.sub(r"[^\w&]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def is_acronym(surface: str) -> bool:
    """All-capitals short names such as NATO, U.S. or DNC."""
    return bool(_ACRONYM.match(surface.strip()))


def acronym_of(key: str) -> set[str]:
    """The acronyms a multi-word name can be written as: initials of all words, or of the content words."""
    words = key.split()
    if len(words) < 2:
        return set()
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _STOP_INITIALS)
    return {every, content} - {""}


def _stem(word: str) -> str:
    for suffix in ("ians", "ian", "ans", "an", "ese", "ish", "is", "i", "s", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def demonym_matches(norp_key: str, place_key: str) -> bool:
    """'north korean' ~ 'north korea', 'ukrainian' ~ 'ukraine', 'japanese' ~ 'japan' (shared stem)."""
    a, b = norp_key.split(), place_key.split()
    if not a or len(a) != len(b) or a[:-1] != b[:-1]:
        return False
    x, y = _stem(a[-1]), b[-1]
    n = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        n += 1
    return n >= 4 and n >= min(len(x), len(y)) - 1


def similar(a: str, b: str, settings: Settings) -> bool:
    """Spelling variants: rapidfuzz ratio over keys, only for names long enough to judge."""
    if min(len(a), len(b)) < settings.entity_fuzzy_min_chars:
        return False
    ta, tb = a.split(), b.split()
    n = min(len(ta), len(tb))
    if len(ta) != len(tb) and (ta[:n] == tb[:n] or ta[-n:] == tb[-n:]):
        return False  # a whole extra word ('Jr.', 'Memos') is a different name, not a spelling
    return fuzz.ratio(a, b) >= settings.entity_match_threshold
