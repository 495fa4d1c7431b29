"""A sentence's facts, clause by clause: what one report adds to a statement both share.

Two reports that copy the same wire sentence, one of them with a second fact tacked on ("Sosa
was suspended for eight games, and he immediately appealed"), state one fact in common and one
that only the longer report carries: the pair is partial, not shared. The same-fact decision
reads whole sentences, and a long run of shared words (one quotation) makes a pair shared
whatever the rest says, so the clauses settle it: a pair is shared only while every fact clause
of each side is told by the other.

A clause starts at a coordinated verb ("... and is searching for ..."), a participle adjunct
after the main clause ("..., adding ...", "..., citing ..."), a parataxis (";", a parenthetical)
and at the content of a reporting verb. The reporting verb's own clause ("Sybiha wrote") is the
frame: it names who speaks and is no fact of its own. spaCy's parse marks these relations
directly, so a few dependency labels do the splitting; no clause-splitting library ships a
model that installs offline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from parallax.lexicon import is_cue

__all__ = ["Clause", "added_clauses", "content_lemmas", "fact_clauses"]

# Relations that start a clause of their own under a verb.
_COORDINATED = "conj"
_PARATAXIS = "parataxis"
_REPORTED = frozenset({"ccomp", "parataxis"})
_VERBS = frozenset({"VERB", "AUX"})
# What a reporting verb's own clause must govern to state something besides who speaks.
_OBJECTS = frozenset({"dobj", "obj", "ccomp", "xcomp", "attr", "acomp"})
# A clause must hold this many content words before it can be a fact the other side lacks: a
# lone adverb or "he said" carries none.
_MIN_CONTENT = 2
# A clause is told by the other sentence when at least this share of its content words are there.
_COVERED = 0.5


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: its text (first to last token), content words, and whether it is a
    reporting frame ("Sybiha wrote", "authorities said") rather than a fact."""

    text: str
    lemmas: frozenset[str]
    frame: bool


def content_lemmas(tokens: Iterable[Token]) -> frozenset[str]:
    """Lower-case lemmas of the content words, numbers as written: what two statements must share."""
    out = set()
    for t in tokens:
        if t.is_punct or t.is_space:
            continue
        if t.like_num:
            out.add(t.text)
        elif not t.is_stop:
            out.add(t.lemma_.lower())
    return frozenset(out)


def _starts_clause(tok: Token) -> bool:
    head = tok.head
    if tok.pos_ not in _VERBS or head.i == tok.i:
        return False
    if tok.dep_ == _COORDINATED:
        return head.pos_ in _VERBS
    if tok.dep_ == _PARATAXIS:
        return True
    if tok.dep_ == "ccomp":
        return is_cue(head.lemma_)
    # "..., adding that ...", "..., citing ...": a participle after its head, set off by a comma.
    return (
        tok.dep_ == "advcl"
        and tok.tag_ == "VBG"
        and tok.i > head.i
        and tok.i > tok.sent.start
        and tok.doc[tok.i - 1].text == ","
    )


def _is_frame(head: Token, head_ids: set[int]) -> bool:
    """A reporting verb whose clause holds no statement of its own: "X said" before or after the
    words it reports, or "Y, X wrote" where the parse hung the quotation elsewhere."""
    if not is_cue(head.lemma_):
        return False
    children = list(head.children)
    return any(c.i in head_ids and c.dep_ in _REPORTED for c in children) or not any(
        c.dep_ in _OBJECTS for c in children
    )


def fact_clauses(span: Span) -> tuple[Clause, ...]:
    """The sentence's clauses in text order; one clause when it has no split point."""
    root = span.root.i
    heads = [t for t in span if t.i == root or _starts_clause(t)]
    head_ids = {t.i for t in heads}
    members: dict[int, list[Token]] = {t.i: [] for t in heads}
    for tok in span:
        owner = tok
        while owner.i not in head_ids and owner.head.i != owner.i:
            owner = owner.head
        members.get(owner.i, members[root]).append(tok)
    clauses = []
    for head in sorted(heads, key=lambda t: min(x.i for x in members[t.i])):
        tokens = sorted(members[head.i], key=lambda t: t.i)
        text = _text(tokens)
        clauses.append(Clause(text, content_lemmas(tokens), frame=_is_frame(head, head_ids)))
    return tuple(clauses)


def _text(tokens: Sequence[Token]) -> str:
    """The clause's words as written, " … " where another clause interrupts it, without the
    punctuation and conjunctions at its edges."""
    words = [t for t in tokens if not t.is_space]
    while words and (words[0].is_punct or words[0].dep_ == "cc"):
        words.pop(0)
    while words and (words[-1].is_punct or words[-1].dep_ == "cc"):
        words.pop()
    runs: list[list[Token]] = []
    for tok in words:
        if runs and tok.i == runs[-1][-1].i + 1:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return " … ".join(tok.doc[run[0].i : run[-1].i + 1].text for run in runs)


def added_clauses(clauses: Sequence[Clause], other: frozenset[str]) -> list[Clause]:
    """The fact clauses that the other statement (its content lemmas) does not tell, while it tells
    another of them: what this side adds to a fact both state.

    A sentence with one fact clause adds nothing here (the same-fact decision has read it whole),
    nor does one none of whose clauses the other tells in the same words (a paraphrase: the
    decision again).
    """
    facts = [c for c in clauses if not c.frame and len(c.lemmas) >= _MIN_CONTENT]
    told = [len(c.lemmas & other) / len(c.lemmas) >= _COVERED for c in facts]
    if len(facts) < 2 or not any(told):
        return []
    return [c for c, ok in zip(facts, told, strict=True) if not ok]
