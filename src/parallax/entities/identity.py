"""Whether two names are one person, and which place a demonym belongs to: one rule for every stage.

Entities (merging mentions, linking speakers), quotes (same speaker across outlets) and framing
(a nationality standing for its country) all decide identity here, so they cannot disagree.
A shared surname and initial are not enough (Joe and Jill Biden, Ivana and Ivanka Trump): given
names must be equal, a short form of one another (lexicon `given_names`), or one spelling in
another alphabet's transliteration (Vladimir, Volodymyr); a lone surname or an initial only
*could* be the fuller name, and a caller that holds several candidates treats it as ambiguous.
"""

from __future__ import annotations

import enum
import functools
import re

from rapidfuzz import fuzz

from parallax.entities.names import name_key
from parallax.lexicon import DEMONYMS, GIVEN_NAME_FORMS, HONORIFICS, NAME_PREFIXES, TITLE_WORDS
from parallax.settings import Settings, load_settings

__all__ = ["Identity", "demonym_place", "identity", "name_tokens", "same_person"]

_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv"})
_DETERMINERS = frozenset({"the", "a", "an"})
_TITLES = HONORIFICS | TITLE_WORDS
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


@functools.cache
def _defaults() -> Settings:
    return load_settings()


class Identity(enum.Enum):
    """How two names relate: one person, possibly one (a lone surname, an initial), or two."""

    SAME = "same"
    PARTIAL = "partial"
    DIFFERENT = "different"


def name_tokens(name: str) -> list[str]:
    """The words of a name without the title before it ('Mr. Trump', 'DNC Chair Tom Perez') or articles."""
    words = name_key(name).split()
    # The last title word ends what comes before the name, unless nothing but 'Jr.' follows it
    # ('Martin Luther King Jr.').
    for i in range(len(words) - 2, -1, -1):
        if words[i] in _TITLES and any(w not in _GENERATIONAL for w in words[i + 1 :]):
            words = words[i + 1 :]
            break
    while len(words) > 1 and (words[0] in NAME_PREFIXES or words[0] in _DETERMINERS):
        words = words[1:]
    return words


def _short_forms(given: str) -> frozenset[str]:
    return GIVEN_NAME_FORMS.get(given, frozenset()) | {given}


def _skeleton(word: str) -> str:
    """First letter and consonants, doubled letters once: transliterations share it (vldmr)."""
    return word[:1] + _REPEATS.sub(r"\1", _VOWELS.sub("", word[1:]))


def _given_names(a: str, b: str) -> Identity:
    """Two given names: SAME when one name, PARTIAL when one is the other's initial, else DIFFERENT."""
    if a == b or b in _short_forms(a) or a in _short_forms(b):
        return Identity.SAME
    if len(a) == 1 or len(b) == 1:
        return Identity.PARTIAL if a[0] == b[0] else Identity.DIFFERENT
    if len(a) > 2 and len(b) > 2 and _skeleton(a) == _skeleton(b):
        return Identity.SAME
    return Identity.DIFFERENT


def _surnames(a: str, b: str, threshold: float, min_chars: int) -> bool:
    """One surname, allowing a transliterated spelling ('Zelensky', 'Zelenskyy') of a long enough one."""
    return a == b or (min(len(a), len(b)) >= min_chars and fuzz.ratio(a, b) >= threshold)


def identity(a: str, b: str, settings: Settings | None = None) -> Identity:
    """Whether names `a` and `b` (as written) name one person.

    SAME: equal after titles are dropped, or the same given name (or short form, or
    transliteration) with the same surname and no conflicting middle initial or generation.
    PARTIAL: one could be the other (a lone surname or given name, an initial, a name cut short
    by a syllable), but another person may share it. Spelling variants of a surname count from
    `settings.entity_surname_min_chars` characters (`entity_fuzzy_min_chars` for a lone name) at
    `entity_match_threshold`.
    """
    settings = settings or _defaults()
    threshold = settings.entity_match_threshold
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return Identity.DIFFERENT
    if ta == tb:
        return Identity.SAME
    ga, gb = [w for w in ta if w in _GENERATIONAL], [w for w in tb if w in _GENERATIONAL]
    ta, tb = [w for w in ta if w not in _GENERATIONAL] or ta, [w for w in tb if w not in _GENERATIONAL] or tb
    if ga != gb and len(ta) > 1 and len(tb) > 1:
        return Identity.DIFFERENT  # 'Donald Trump Jr.' is not 'Donald Trump'
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    n = len(short)
    if n < len(long_) and (long_[:n] == short or long_[-n:] == short):
        extra = long_[n:] if long_[:n] == short else long_[: len(long_) - n]
        # A lone name, or a name cut by a syllable or an initial ('Kim Jong' of 'Kim Jong Un').
        if n == 1 or all(len(w) <= 3 for w in extra):
            return Identity.PARTIAL
    if n == 1:
        # A lone name spelled another way ('Zelenskyy'): the same surname, or one of a full name.
        if not _surnames(short[0], long_[-1], threshold, settings.entity_fuzzy_min_chars):
            return Identity.DIFFERENT
        return Identity.SAME if len(long_) == 1 else Identity.PARTIAL
    if not _surnames(ta[-1], tb[-1], threshold, settings.entity_surname_min_chars):
        return Identity.DIFFERENT
    given = _given_names(ta[0], tb[0])
    ma, mb = ta[1:-1], tb[1:-1]
    if given is Identity.DIFFERENT or (ma and mb and ma[0][0] != mb[0][0]):
        return Identity.DIFFERENT  # 'George H. W. Bush' is not 'George W. Bush'
    return given


def same_person(a: str, b: str, settings: Settings | None = None) -> bool:
    """Whether two names can be one person (SAME or PARTIAL): the pairwise test, with no third name."""
    return identity(a, b, settings) is not Identity.DIFFERENT


def demonym_place(demonym: str) -> frozenset[str]:
    """The names (as `name_key`) of the place a demonym belongs to; empty when the table has none.

    'ukrainians' is looked up as 'ukrainian'. A table, not a shared stem: 'austrian' is Austria only.
    """
    key = name_key(demonym)
    if key in DEMONYMS:
        return DEMONYMS[key]
    return DEMONYMS.get(key.removesuffix("s"), frozenset())
