"""Every word list the stages share, each defined once as package data (`data/<name>.txt`).

A list is one lower-case entry per line under a `#` header saying what it is for; it is read once
(`words`, cached) and exposed here as a frozenset. Lists that look alike but serve different
purposes (cue verbs vs clause cues, plain vs loaded reporting verbs) say why in their headers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

__all__ = [
    "CLAUSE_CUES",
    "COMMITMENT_CUES",
    "CUE_LEMMAS",
    "DEMONYMS",
    "DOCUMENT_NOUNS",
    "FEMALE_WORDS",
    "FIRM_WORDS",
    "GIVEN_NAME_FORMS",
    "GROUP_HEADS",
    "GROUP_PRONOUNS",
    "GUESSING_MODALS",
    "HEDGES",
    "HONORIFICS",
    "MALE_WORDS",
    "MATCH_VERBS",
    "NAMED_THINGS",
    "NAME_PREFIXES",
    "NEGATIONS",
    "NEGATIVE_SUBJECTS",
    "NOMINAL_CUES",
    "NOT_ASSERTING",
    "NUMBER_HEDGES",
    "OFFICE_WORDS",
    "ORG_HEADS",
    "PERSON_PRONOUNS",
    "PLACE_HEADS",
    "PLAIN_REPORTING",
    "POSSESSIVES",
    "PRONOUNS",
    "TEAM_ROLES",
    "TIMESTAMP_WORDS",
    "TITLE_WORDS",
    "VAGUE_HEADS",
    "WITHHOLDING",
    "is_cue",
    "words",
]


def _lines(name: str) -> list[str]:
    """The entries of `data/<name>.txt`: one per line, `#` lines and blank lines skipped."""
    text = resources.files("parallax.lexicon").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


@functools.cache
def words(name: str) -> frozenset[str]:
    """The word list `data/<name>.txt`, read once."""
    return frozenset(_lines(name))


def _table(name: str) -> Mapping[str, frozenset[str]]:
    """A `key: value|value` table, read-only."""
    rows = (line.partition(":") for line in _lines(name))
    return MappingProxyType({k.strip(): frozenset(v.strip() for v in vs.split("|")) for k, _, vs in rows})


CUE_LEMMAS = words("cue_verbs")
CLAUSE_CUES = words("clause_cues")
COMMITMENT_CUES = words("commitment_cues")
NOMINAL_CUES = words("nominal_cues")
NOT_ASSERTING = words("not_asserting")
WITHHOLDING = words("withholding")
GUESSING_MODALS = words("guessing_modals")
NEGATIVE_SUBJECTS = words("negative_subjects")
PLAIN_REPORTING = words("plain_reporting")
NEGATIONS = words("negations")
HONORIFICS = words("honorifics")
TITLE_WORDS = words("title_words")
OFFICE_WORDS = words("office_words")
# Words stripped from the front of a name: "Former Foreign Minister Jane Doe" -> "Jane Doe".
NAME_PREFIXES = HONORIFICS | TITLE_WORDS | OFFICE_WORDS
ORG_HEADS = words("org_heads")
FIRM_WORDS = words("firm_words")
PLACE_HEADS = words("place_heads")
MATCH_VERBS = words("match_verbs")
TEAM_ROLES = words("team_roles")
PERSON_PRONOUNS = words("person_pronouns")
GROUP_PRONOUNS = words("group_pronouns")
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | words("other_pronouns")
NAMED_THINGS = words("named_things")
DOCUMENT_NOUNS = words("document_nouns")
NUMBER_HEDGES = words("number_hedges")
VAGUE_HEADS = words("vague_heads")
GROUP_HEADS = words("group_heads")
HEDGES = words("hedges")
TIMESTAMP_WORDS = words("timestamp_words")
MALE_WORDS = words("male_words")
FEMALE_WORDS = words("female_words")
# Demonym -> the names of its place ("dutch" -> netherlands, holland).
DEMONYMS = _table("demonyms")
# Possessive pronoun -> the pronoun it stands for ("his" -> he).
POSSESSIVES = _table("possessives")
# Formal given name -> its short forms ("joseph" -> joe, joey).
GIVEN_NAME_FORMS = _table("given_names")


def is_cue(lemma: str) -> bool:
    """Whether a verb lemma reports speech."""
    return lemma.lower() in CUE_LEMMAS
