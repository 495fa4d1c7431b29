"""Name normalisation and the name-matching tests."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from parallax.lexicon import FEMALE_WORDS, MALE_WORDS
from parallax.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = [
    "FAMILY",
    "NAME_TYPES",
    "acronym_of",
    "honorific_gender",
    "is_acronym",
    "name_key",
    "similar",
]


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


def similar(a: str, b: str, settings: Settings) -> bool:
    """Spelling variants: rapidfuzz ratio over keys, only for names long enough to judge."""
    if min(len(a), len(b)) < settings.entity_fuzzy_min_chars:
        return False
    ta, tb = a.split(), b.split()
    n = min(len(ta), len(tb))
    if len(ta) != len(tb) and (ta[:n] == tb[:n] or ta[-n:] == tb[-n:]):
        return False  # a whole extra word ('Jr.', 'Memos') is a different name, not a spelling
    return fuzz.ratio(a, b) >= settings.entity_match_threshold


def honorific_gender(name: Span) -> str | None:
    """ "m" or "f" where a gendered honorific stands right before the name ("Mr. Smith", "Ms. Jones")."""
    if name.start == 0:
        return None
    before = name.doc[name.start - 1].lower_
    return "m" if before in MALE_WORDS else "f" if before in FEMALE_WORDS else None
