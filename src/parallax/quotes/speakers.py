"""Who said it: the cue verb governing a quotation, its subject, and what a pronoun refers back to."""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from parallax.entities.gazetteer import given_name_gender
from parallax.entities.identity import same_person
from parallax.lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_WORDS,
    GROUP_PRONOUNS,
    MALE_WORDS,
    NAME_PREFIXES,
    ORG_HEADS,
    PERSON_PRONOUNS,
    PLAIN_REPORTING,
    POSSESSIVES,
    TITLE_WORDS,
    is_cue,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "Attribution",
    "History",
    "Mention",
    "entity_kind",
    "entity_name",
    "find_attribution",
    "from_cue",
    "governing_subject",
    "source_phrase",
]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_NAME_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")
_SPEAKER_LABELS = {"PERSON", "ORG", "GPE"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}


@dataclasses.dataclass(frozen=True)
class Attribution:
    """A cue verb and the subject phrase that did the saying (before resolution)."""

    cue: Token
    cue_text: str
    subject: Token | None
    context: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Mention:
    """A possible referent: a named entity or an earlier speaker, with the words that describe it."""

    pos: int
    name: str
    kind: str  # "person", "group" or "other"
    words: frozenset[str]
    subject: bool = False
    gender: str | None = None  # "m" or "f" where the article's own text says so ("Mr.", "Ms.")


def _subject_of(verb: Token, inside: AbstractSet[int] = frozenset()) -> Token | None:
    """The cue's subject; never a word of the quotation itself (`inside`), which a parser sometimes
    hangs from the cue too ("James Comey Memos just out ...," Trump wrote)."""
    for child in verb.children:
        if child.i in inside or not any(c.isalnum() for c in child.text):
            continue  # nor a dash the parser took for a noun
        if child.dep_ in _SUBJECTS:
            if child.lower_ in ("who", "that") and verb.dep_ == "relcl":
                return verb.head  # "the senator, who said ..." → the senator
            return child
    # Inverted order sometimes comes out as an object: "..., said the minister".
    for child in verb.children:
        if (
            child.dep_ in ("dobj", "attr")
            and child.i > verb.i
            and child.i not in inside
            and child.lemma_ != "it"
            and _plausible(child)
        ):
            left = [t for t in verb.children if t.i < verb.i and t.dep_ in ("ccomp", "parataxis")]
            if left or verb.i == verb.sent.start or verb.doc[verb.i - 1].is_punct:
                return child
    return None


def _according(token: Token) -> Token | None:
    """The X of "according to X" when `token` is "according"."""
    if token.lower_ != "according":
        return None
    for prep in token.children:
        if prep.lower_ == "to":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _plausible(token: Token) -> bool:
    """Whether a subject can be a speaker: a person, a body, a pronoun for one, a named thing."""
    if token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS | {"i", "who"}:
        return True
    if token.ent_type_ in _SPEAKER_LABELS or token.pos_ == "PROPN":
        return True
    lemma = token.lemma_.lower()
    return lemma in TITLE_WORDS or lemma in ORG_HEADS or lemma in DOCUMENT_NOUNS


def _context_words(verb: Token) -> tuple[str, ...]:
    """Nouns in the cue's prepositions: "said in a statement" ties the speaker to "statement"."""
    words: list[str] = []
    for prep in verb.children:
        if prep.dep_ == "prep":
            words.extend(t.lemma_.lower() for t in prep.subtree if t.pos_ in ("NOUN", "PROPN"))
    return tuple(words)


def from_cue(cue: Token, inside: AbstractSet[int] = frozenset()) -> Attribution:
    """The subject of a cue; a participle or subjectless cue takes the subject of the verb it hangs from.

    `inside` holds the token indices of the quotation, whose words are never its speaker.
    """
    source = _according(cue)
    if source is not None:
        return Attribution(cue, "according to", source)
    subject = _subject_of(cue, inside)
    if subject is not None and (_plausible(subject) or _describes(cue, subject)):
        return Attribution(cue, cue.text, subject, _context_words(cue))
    # A participle ("..., stating that") shares the subject of the verb it hangs from; a finite
    # cue without a subject is usually a misparsed conjunct, so only a cue above it may lend one.
    participle = cue.tag_ in ("VBG", "VBN") or cue.dep_ in ("advcl", "xcomp", "acl", "pcomp")
    node = cue
    for _ in range(6):
        if node.head is node:
            break
        node = node.head
        source = _according(node)
        if source is not None:
            return Attribution(node, "according to", source)
        if not participle and not (node.pos_ in ("VERB", "AUX") and is_cue(node.lemma_)):
            continue
        subj = _subject_of(node, inside)
        if subj is not None and _plausible(subj):
            return Attribution(cue, cue.text, subj, _context_words(node) + _context_words(cue))
    if (
        subject is None
        and cue.dep_ == "conj"
        and cue.head.pos_ in ("VERB", "AUX")
        and not _under_cue(cue.head)
    ):
        # "X outlined a plan and vowed ...": a conjunct without a subject, and no cue above to
        # lend one, shares its head's; not where that head is itself reported ("the suit alleged
        # that X welcomed help and accuses it of ...": the parse may have joined the wrong verbs).
        shared = _subject_of(cue.head, inside)
        if shared is not None and _plausible(shared):
            return Attribution(cue, cue.text, shared, _context_words(cue))
    named = _named_before(cue) if participle and subject is None else None
    return Attribution(cue, cue.text, named)


def _under_cue(verb: Token) -> bool:
    """Whether a verb lies in what a cue above it reports."""
    return any(node.pos_ in ("VERB", "AUX") and is_cue(node.lemma_) for node in verb.ancestors)


def _describes(cue: Token, subject: Token) -> bool:
    """A plain "say"/"tell" makes any noun its speaker, as the article describes it ("the clip says",
    "a narrator in the ad says"); a weightier cue with a common noun for subject is often no speech
    at all ("the spot concludes with footage of ...")."""
    return subject.pos_ == "NOUN" and subject.dep_ in _SUBJECTS and cue.lemma_.lower() in PLAIN_REPORTING


def _named_before(cue: Token) -> Token | None:
    """The name right before a participle cue that the parse left without a subject: "footage of
    Jane Doe asking, ..." (Jane Doe asks)."""
    if cue.tag_ != "VBG" or cue.i == 0:
        return None
    before = cue.doc[cue.i - 1]
    return before if before.pos_ == "PROPN" and before.ent_type_ in ("", "PERSON", "ORG") else None


def _climb(start: Token, inside: set[int]) -> Token | None:
    """The first cue (or "according") among the ancestors of `start` outside the quotation."""
    node = start
    for _ in range(8):
        is_cue_here = (node.pos_ in ("VERB", "AUX") and is_cue(node.lemma_)) or node.lower_ == "according"
        if node.i not in inside and is_cue_here:
            return node
        if node.head is node:
            return None
        node = node.head
    return None


def find_attribution(tokens: Iterable[Token], sentences: Iterable[Span]) -> Attribution | None:
    """The cue and subject governing the quoted `tokens`, looked for in the parse of `sentences`."""
    toks = list(tokens)
    inside = {t.i for t in toks}
    found: list[Token] = []
    for tok in toks:
        if tok.head.i not in inside and tok.head is not tok:
            cue = _climb(tok.head, inside)
            if cue is not None:
                found.append(cue)
        elif tok.head is tok:
            # The quote holds the root: "X said" may hang from it as parataxis or ccomp.
            found.extend(
                c
                for c in tok.children
                if c.i not in inside and c.pos_ in ("VERB", "AUX") and is_cue(c.lemma_)
            )
    if not found:
        # Fallback: the nearest cue outside the quotation in the same sentences.
        outside = [
            t
            for s in sentences
            for t in s
            if (t.i not in inside and t.pos_ in ("VERB", "AUX") and is_cue(t.lemma_))
            or t.lower_ == "according"
        ]
        if toks and outside:
            lo, hi = toks[0].i, toks[-1].i
            found = sorted(outside, key=lambda t: min(abs(t.i - lo), abs(t.i - hi)))[:1]
    if not found:
        return None
    lo = toks[0].i if toks else 0
    return from_cue(min(found, key=lambda t: abs(t.i - lo)), inside)


def governing_subject(tokens: Iterable[Token]) -> Attribution | None:
    """For a fragment with no cue: the nearest verb above it whose subject is a named speaker.

    "X dismissed Estonia as the “suburbs”" carries X's words though "dismiss" reports no speech.
    """
    toks = list(tokens)
    inside = {t.i for t in toks}
    for tok in toks:
        node = tok
        for _ in range(5):
            if node.head is node:
                break
            node = node.head
            if node.i in inside or node.pos_ not in ("VERB", "AUX"):
                continue
            subj = _subject_of(node)
            if subj is not None and (subj.ent_type_ in ("PERSON", "ORG") or subj.lower_ in PERSON_PRONOUNS):
                return Attribution(node, node.text, subj)
            break
    return None


def _np_tokens(head: Token) -> list[Token]:
    """The noun phrase of `head` without relative clauses and other clauses hanging off it."""
    drop: set[int] = set()
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "advcl", "punct", "cc", "conj", "prep") and child.i > head.i:
            drop.update(t.i for t in child.subtree)
    return [t for t in head.subtree if t.i not in drop]


def _strip_roles(words: list[str]) -> list[str]:
    """Drop leading titles and office words: "Foreign Minister Jane Doe" → "Jane Doe"."""
    while len(words) > 1 and (
        words[0].lower().rstrip(".") in NAME_PREFIXES or words[0].lower() in NAME_PREFIXES
    ):
        words = words[1:]
    return words


def _clean(text: str) -> str:
    words = text.replace("\u2019s", "").replace("'s", "").split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words).strip(" ,.;:")


def source_phrase(head: Token) -> tuple[str, str, bool]:
    """(name, kind, named) of a subject phrase: the entity in it where there is one, else the phrase."""
    toks = _np_tokens(head)
    ids = {t.i for t in toks}
    # An entity running over a quotation mark is a headline's capitals, not a name.
    ents = [
        e
        for e in head.doc.ents
        if e.label_ in _NAME_LABELS and any(t.i in ids for t in e) and not any(t.is_quote for t in e)
    ]
    if head.ent_type_ in _NAME_LABELS and head.ent_type_ != "NORP":
        ent = next((e for e in ents if e.start <= head.i < e.end), None)
        if ent is not None:
            return entity_name(ent), entity_kind(ent.label_), True
    # A place before a common noun says where the speaker is from ("the Indiana governor"), not who.
    labels = ("PERSON", "ORG") if head.pos_ == "NOUN" else ("PERSON", "ORG", "GPE")
    for label in labels:
        cands = [e for e in ents if e.label_ == label]
        if cands:
            ent = min(cands, key=lambda e: abs(e.end - 1 - head.i))
            return entity_name(ent), entity_kind(label), True
    if head.pos_ == "PROPN":
        chain = [t for t in toks if t.pos_ == "PROPN" and t.i <= head.i and t.dep_ in ("compound", head.dep_)]
        words = _strip_roles([t.text for t in chain if not t.is_bracket]) or [head.text]
        return " ".join(words), "person" if len(words) > 1 else "other", True
    phrase = _clean(" ".join(t.text for t in toks if not t.is_bracket))
    kind = (
        "person"
        if head.lemma_.lower() in TITLE_WORDS
        else "group"
        if head.lemma_.lower() in ORG_HEADS
        else "other"
    )
    return phrase or head.text, kind, False


def entity_kind(label: str) -> str:
    return "person" if label == "PERSON" else "group" if label in ("ORG", "GPE", "NORP") else "other"


def entity_name(ent: Span) -> str:
    # Brackets are an editor's marks ("Benjamin [Netanyahu]"), not part of anyone's name.
    # A dash or space the recogniser took in front of a signed name ("― Jane Doe") is no part of it.
    toks = list(ent)
    while toks and (toks[0].is_punct or toks[0].is_space) and not toks[0].is_bracket:
        toks = toks[1:]
    words = [t.text for t in toks if not t.is_bracket and not (t.i == toks[0].i and t.lower_ in _DETERMINERS)]
    name = " ".join(words).replace(" \u2019s", "").replace(" 's", "")
    if ent.label_ == "PERSON":
        name = " ".join(_strip_roles(name.split()))
    return name.strip(" ,.;:")


class _ByPosition:
    """Mentions kept in text order, so "the latest one before here" costs a binary search.

    History used to scan every mention for every quotation, which made a long article's
    quotes quadratic in its length (a 1.4 MB article took most of an hour).
    """

    def __init__(self) -> None:
        self._pos: list[int] = []
        self._items: list[Mention] = []

    def add(self, mention: Mention) -> None:
        i = bisect.bisect_right(self._pos, mention.pos)
        self._pos.insert(i, mention.pos)
        self._items.insert(i, mention)

    def latest(self, before: int) -> Mention | None:
        i = bisect.bisect_left(self._pos, before)
        return self._items[i - 1] if i else None


def _latest_of(before: int, *indexes: _ByPosition | None) -> Mention | None:
    found = [m for idx in indexes if idx is not None and (m := idx.latest(before)) is not None]
    return max(found, key=lambda m: m.pos) if found else None


class History:
    """The referents of one article so far, for pronouns and definite descriptions."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        # (pool, kind) -> mentions by position; pools: "entity", "subject" (entities in subject
        # position) and "speaker"; words: (pool, word) for definite descriptions.
        self._by_kind: dict[tuple[str, str], _ByPosition] = {}
        self._by_word: dict[tuple[str, str], _ByPosition] = {}
        self._full_names: dict[str, set[str]] = {}  # surname -> the full names that end with it
        mentions = list(mentions)
        # A surname the text ever gives a gendered honorific ("Mr. Smith") is that person's throughout.
        self._genders = {m.name.split()[-1].lower(): m.gender for m in mentions if m.gender and m.name}
        mentions = [
            dataclasses.replace(m, gender=self._genders.get(m.name.split()[-1].lower()))
            if m.kind == "person" and m.name
            else m
            for m in mentions
        ]
        for m in mentions:
            self._add("entity", m)
            if m.subject:
                self._index(self._by_kind, ("subject", m.kind), m)

    def _index(self, table: dict[tuple[str, str], _ByPosition], key: tuple[str, str], m: Mention) -> None:
        table.setdefault(key, _ByPosition()).add(m)

    def _add(self, pool: str, m: Mention) -> None:
        self._index(self._by_kind, (pool, m.kind), m)
        for word in m.words:
            self._index(self._by_word, (pool, word), m)
        if m.kind == "person" and " " in m.name:
            surname = m.name.split()[-1].lower()
            self._full_names.setdefault(surname, set()).add(m.name)

    def add_speaker(self, pos: int, name: str, kind: str, words: Iterable[str]) -> None:
        gender = self._genders.get(name.split()[-1].lower()) if kind == "person" and name else None
        self._add("speaker", Mention(pos, name, kind, frozenset(w.lower() for w in words), True, gender))

    def full_name(self, name: str) -> str:
        """A lone surname grows to the longest person name in the article that ends with it, unless
        two people bear it (Barack and Michelle Obama) or the text's honorific gives the surname
        another gender than that name's: then the surname is all the text says."""
        if " " in name:
            return name
        found = self._full_names.get(name.lower(), set())
        # A name with the recogniser's stray word before another is that one ("Crooked Jane Doe").
        names = sorted((n for n in found if not any(n != m and n.endswith(" " + m) for m in found)), key=len)
        if not names or not all(same_person(a, b) for a, b in itertools.combinations(names, 2)):
            return name
        # "Mr. Obama" is not Michelle Obama, whatever else the text names.
        said, given = self._genders.get(name.lower()), given_name_gender(names[-1].split()[0])
        return name if said and given and said != given else names[-1]

    def _latest(
        self, before: int, pools: Iterable[str], kinds: Iterable[str], gender: str | None = None
    ) -> Mention | None:
        """The latest mention before `before`, passing over people the text marks with another gender."""
        indexes = [self._by_kind.get((p, k)) for p in pools for k in kinds]
        while (hit := _latest_of(before, *indexes)) is not None:
            if gender is None or hit.gender in (None, gender):
                return hit
            before = hit.pos
        return None

    def resolve(self, head: Token, pos: int) -> tuple[str, str] | None:
        """(name, kind) for a pronoun or definite description; None where it names itself."""
        word = min(POSSESSIVES.get(head.lower_, {head.lower_})) if head.dep_ == "poss" else head.lower_
        if word in PERSON_PRONOUNS:
            gender = "m" if word in MALE_WORDS else "f" if word in FEMALE_WORDS else None
            hit = self._latest(pos, ("subject", "speaker"), ("person",), gender) or self._latest(
                pos, ("entity",), ("person",), gender
            )
            return (hit.name, hit.kind) if hit else None
        if word in GROUP_PRONOUNS:
            hit = self._latest(pos, ("speaker", "subject"), ("group",)) or self._latest(
                pos, ("speaker",), ("person", "other")
            )
            return (hit.name, hit.kind) if hit else None
        det = [c for c in head.children if c.dep_ == "det" and c.lower_ in ("the", "this", "that")]
        if not det or head.pos_ == "PROPN" or any(t.ent_type_ in _SPEAKER_LABELS for t in head.subtree):
            return None
        # "The Republican nominee" is not the Democratic one: every word that qualifies the
        # description must describe the referent too; where none fits it names itself.
        lemma = head.lemma_.lower()
        qualifying = [c for c in head.children if c.dep_ in ("amod", "compound") and c.is_alpha]
        qualifiers = {c.lemma_.lower() for c in qualifying}
        indexes = (self._by_word.get(("entity", lemma)), self._by_word.get(("speaker", lemma)))
        before = pos
        while (hit := _latest_of(before, *indexes)) is not None:
            if qualifiers <= hit.words:
                return hit.name, hit.kind
            before = hit.pos
        # "The diplomat added" is the last person quoted; not "the senators" (many), nor "the
        # Republican nominee", whose party or place may be another person's.
        if (
            lemma in TITLE_WORDS
            and head.tag_ == "NN"
            and not any(c.ent_type_ or c.pos_ == "PROPN" for c in qualifying)
        ):
            hit = self._latest(pos, ("speaker",), ("person",)) or self._latest(pos, ("subject",), ("person",))
            return (hit.name, hit.kind) if hit else None
        return None
