"""Find quotations and who said them."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from parallax.entities.names import honorific_gender
from parallax.lexicon import (
    CLAUSE_CUES,
    COMMITMENT_CUES,
    GROUP_PRONOUNS,
    GUESSING_MODALS,
    NEGATIVE_SUBJECTS,
    NOMINAL_CUES,
    NOT_ASSERTING,
    PERSON_PRONOUNS,
    POSSESSIVES,
    WITHHOLDING,
    is_cue,
)
from parallax.model import Quote, QuoteKind, Speaker
from parallax.nlp import ParsedArticle, ParsedSentence
from parallax.nlp.boilerplate import without_markup
from parallax.quotes.marks import MarkedSpan, find_marked
from parallax.quotes.speakers import (
    Attribution,
    History,
    Mention,
    entity_kind,
    entity_name,
    find_attribution,
    from_cue,
    governing_subject,
    source_phrase,
)
from parallax.settings import Settings

if TYPE_CHECKING:
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

__all__ = ["extract_quotes"]

_SUBJ = ("nsubj", "nsubjpass")
_OPENERS = set('"\u201c\u201d\u201e\u00ab\u2018')
_DASH = re.compile(r"\s*[\u2015\u2014\u2013-]+\s*")
# A signature closing a paragraph: “...” ― Jane Doe
_SIGNED = re.compile(r"[\u201d\"]\s*[\u2015\u2014\u2013]+\s*(?=[^\W\d_])[^\n\u201c\u201d\"]{1,60}\s*$")
# A transcript's speaker label opening a paragraph: "SMITH: ...", "JANE DOE: ..."
_LABEL = re.compile(r"([A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+){0,2}):\s+")


@dataclasses.dataclass(frozen=True)
class _Candidate:
    """A quotation found in the text, before its speaker is resolved."""

    start: int
    end: int
    kind: QuoteKind
    sentence: ParsedSentence
    attribution: Attribution | None


def _block_docs(parsed: ParsedArticle) -> Iterator[tuple[Doc, int, list[ParsedSentence]]]:
    """(doc, offset of its block in the article, its sentences) for every block."""
    by_block: dict[int, list[ParsedSentence]] = {}
    for sent in parsed.sentences:
        if not sent.boilerplate:  # a dateline or a credit line quotes nobody
            by_block.setdefault(sent.block, []).append(sent)
    for b, sents in sorted(by_block.items()):
        yield parsed.docs[b], sents[0].block_start, sents


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    return [t for t in doc if start <= t.idx < end and not (t.is_punct and t.is_quote)]


def _first_token_from(doc: Doc, char: int) -> Token | None:
    """The first token starting at or after character offset `char`."""
    return next((t for t in doc if t.idx >= char), None)


def _sentence_at(sents: list[ParsedSentence], pos: int) -> ParsedSentence:
    starts = [s.start for s in sents]
    return sents[max(0, bisect.bisect_right(starts, pos) - 1)]


def _kind(text: str, span: MarkedSpan, tokens: list[Token], min_words: int) -> QuoteKind:
    """Direct for a clause set off as speech (`min_words` words or more, with a verb), partial for a
    fragment inside the reporter's sentence."""
    if not span.closed:
        return "direct"
    words = [t for t in tokens if t.is_alpha or t.like_num]
    sent_start = tokens[0].sent.start_char if tokens else 0
    before = text[sent_start : span.open_mark].strip()
    inner_end = text[span.end : span.close_mark].strip()
    content = text[span.start : span.end]
    set_off = not before or before[-1] in ",:\u2014\u2013-"
    ends = (content[-1:] in ".?!") or inner_end.startswith(",")
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in tokens)
    if len(words) >= min_words and has_verb and (set_off or ends):
        return "direct"
    return "partial"


# What stands before the marks of a programme's, a book's or an event's name: "on", "during" or "at"
# (with an article), or a possessive.
_BEFORE_TITLE = re.compile(r"(?:\b(?:on|during|at)\s+(?:(?:a|an|the)\s+)?|['\u2019]s\s+)$", re.IGNORECASE)


def _names_a_title(doc: Doc, span: MarkedSpan) -> bool:
    """Title-case words in marks after "on", "during", "at" or a possessive name a programme, a book
    or an event ('on CBS's "Face the Nation,"', 'during a "Commander-in-Chief Forum"'): no one is
    quoted. A person's possessive is left alone ('Clinton's "Basket of Deplorables"' quotes her).
    On PolNeAR (dev and train) none of the 80 such spans is an attribution.
    """
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", doc.text[span.start : span.end])
    long_words = [w for w in words if len(w) > 3]
    if len(words) < 2 or not words[0][0].isupper() or not long_words:
        return False
    if not all(w[0].isupper() for w in long_words):
        return False
    before = _BEFORE_TITLE.search(doc.text[max(0, span.open_mark - 12) : span.open_mark])
    if before is None:
        return False
    if before.group().lstrip()[:1] in "'\u2019":
        prior = _tokens_in(doc, max(0, span.open_mark - 40), span.open_mark)
        owner = [t for t in prior if not t.is_space and t.lower_ not in ("'s", "\u2019s")]
        return bool(owner) and owner[-1].ent_type_ != "PERSON"
    return True


def _transcript_label(doc: Doc, span: MarkedSpan) -> tuple[MarkedSpan, Attribution] | None:
    """A paragraph of a transcript opened by its speaker's label in capitals ("SMITH: Well, ..."):
    the words after the label, and the label as their speaker."""
    if doc.text[: span.open_mark].strip():
        return None
    m = _LABEL.match(doc.text, span.start)
    if m is None or m.end() >= span.end or sum(c.isalpha() for c in m.group(1)) < 2:
        return None
    label = [t for t in doc if span.start <= t.idx < m.start(1) + len(m.group(1)) and t.is_alpha]
    if not label:
        return None
    return dataclasses.replace(span, start=m.end()), Attribution(label[-1], "", label[-1])


def _colon_cue(prev: Span | None) -> Attribution | None:
    """A quotation opened after a sentence ending in a colon takes that sentence's cue ("She wrote:")."""
    if prev is None or not prev.text.rstrip().endswith(":"):
        return None
    cues = [t for t in prev if t.pos_ in ("VERB", "AUX") and is_cue(t.lemma_)]
    return from_cue(cues[-1]) if cues else None


def _dash_source(doc: Doc, span: MarkedSpan) -> Attribution | None:
    """A quotation signed after a dash: “...” ― Jane Doe; or a paragraph that opens with a quotation
    and ends signed so, whatever marks stand inside it (“... what he calls “hell” ...” ― Jane Doe)."""
    m = _DASH.match(doc.text, span.close_mark + 1) if span.close_mark is not None else None
    if m is None and not doc.text[: span.open_mark].strip():
        signed = _SIGNED.search(doc.text, span.end)
        m = _DASH.match(doc.text, signed.start() + 1) if signed is not None else None
    if m is None:
        return None
    first = _first_token_from(doc, m.end())
    if first is None or not (first.pos_ == "PROPN" or first.ent_type_ in ("PERSON", "ORG")):
        return None
    head = first
    while (
        head.head is not head
        and head.head.i > head.i
        and head.head.pos_ == "PROPN"
        and head.dep_ == "compound"
    ):
        head = head.head
    return Attribution(head, "", head)


# An attribution told in a sentence of its own after the closing mark ("...?” Trump tweeted.") is short.
_TAIL_CUE_MAX_TOKENS = 12


def _tail_cue(doc: Doc, span: MarkedSpan) -> Attribution | None:
    """A quotation whose cue the segmenter cut off into the next sentence: “... continue?” Trump tweeted."""
    if span.close_mark is None:
        return None
    first = _first_token_from(doc, span.close_mark + 1)
    if first is None or not first.is_sent_start:
        return None
    sent = first.sent
    root = sent.root
    if len(sent) > _TAIL_CUE_MAX_TOKENS or not (root.pos_ in ("VERB", "AUX") and is_cue(root.lemma_)):
        return None
    if any(t.dep_ in ("ccomp", "dobj") for t in root.children):  # "Trump tweeted a photo": its own statement
        return None
    return from_cue(root)


def _marked(
    doc: Doc, base: int, sents: list[ParsedSentence], prev: Span | None, open_end: bool, settings: Settings
) -> Iterator[_Candidate]:
    spans = find_marked(doc.text, open_end)
    for span in spans:
        tokens = _tokens_in(doc, span.start, span.end)
        if not tokens or _names_a_title(doc, span):
            continue
        touched: list[Span] = []
        for t in tokens:
            if not touched or touched[-1] != t.sent:
                touched.append(t.sent)
        labelled = _transcript_label(doc, span)
        if labelled is not None:
            span, label = labelled
            yield _Candidate(
                base + span.start,
                base + span.end,
                "direct",
                _sentence_at(sents, base + span.open_mark),
                label,
            )
            continue
        attribution = _dash_source(doc, span) or find_attribution(tokens, touched) or _tail_cue(doc, span)
        if attribution is None:
            first = tokens[0].sent
            attribution = _colon_cue(doc[first.start - 1].sent if first.start > 0 else prev)
        kind = _kind(doc.text, span, tokens, settings.quote_direct_min_words)
        if attribution is None and kind == "partial":
            attribution = governing_subject(tokens)
        yield _Candidate(
            base + span.start, base + span.end, kind, _sentence_at(sents, base + span.open_mark), attribution
        )


def _clause_text(tokens: list[Token], min_words: int) -> tuple[int, int] | None:
    """Char range of a reported clause, without a leading "that" and trailing punctuation; None when
    fewer than `min_words` words are left."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (
        (toks[0].dep_ == "mark" and toks[0].lower_ in ("that", "whether", "if")) or toks[0].is_punct
    ):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks = toks[:-1]
    if sum(t.is_alpha for t in toks) < min_words:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _negative(tok: Token) -> bool:
    """A subject that says nobody said it: "nothing", "few", "no official"."""
    return tok.lemma_.lower() in NEGATIVE_SUBJECTS or any(
        c.dep_ == "det" and c.lower_ in ("no", "few") for c in tok.children
    )


def _asserts(cue: Token, clause: Token) -> bool:
    """Whether the cue makes the clause its speaker's statement.

    Never put words in anyone's mouth: not when the cue is negated ("did not assert that",
    "never said"), the writer's guess ("could be hoping that"), a denial or a question ("denied
    that", "whether", "how"), withheld ("declined to say"), said by nobody ("nothing indicated
    that", "few said"), or when the clause reports someone else's speech in turn ("X reported
    the minister said Y": the minister's words).
    """
    if cue.lemma_.lower() in NOT_ASSERTING:
        return False
    if any(c.dep_ == "neg" or c.lower_ == "never" or c.lower_ in GUESSING_MODALS for c in cue.children):
        return False
    if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children):
        return False
    if clause.left_edge.tag_ in ("WDT", "WP", "WRB") and clause.left_edge.i > cue.i:
        return False  # "explain how ...", "asked what ...": a question (not "which, he said, ...")
    if any(c.dep_ in _SUBJ and _negative(c) for c in cue.children):
        return False
    if cue.dep_ == "relcl" and _negative(cue.head):
        return False
    up = cue
    while _shares_negation(up):
        up = up.head
        if up.lemma_.lower() in WITHHOLDING | NOT_ASSERTING or any(
            c.dep_ == "neg" or (c.dep_ in _SUBJ and _negative(c)) for c in up.children
        ):
            return False  # "declined to say", "denied she said", "few said they expected"
    return not _reports_speech([clause])


def _shares_negation(verb: Token) -> bool:
    """Whether the verb above `verb` governs it, so its negation or refusal reaches it: "declined to
    say", "did not confirm or say"; not a conjunct with a subject of its own ("A was not done, and
    B warned that ...")."""
    if verb.head is verb or verb.dep_ not in ("xcomp", "ccomp", "conj"):
        return False
    return verb.dep_ != "conj" or not any(c.dep_ in _SUBJ for c in verb.children)


def _clause_cue(tok: Token) -> bool:
    """A verb that reports speech in a clause it governs ("said that ...")."""
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CLAUSE_CUES


def _trailing_cue(tok: Token) -> Token | None:
    """The clause of a cue that comes after its own clause ("..., Reuters reported"), if it does."""
    if not _clause_cue(tok):
        return None
    return next((c for c in tok.children if c.dep_ == "ccomp" and c.i < tok.i), None)


def _relay(cue: Token) -> bool:
    """ "The minister said X, Reuters reported", parsed with "reported" under "said": the agency
    relays the minister's words and is not their speaker."""
    head = cue.head
    return cue.dep_ == "ccomp" and head.i < cue.i and _clause_cue(head) and _trailing_cue(cue) is not None


def _relayed_content(clause: Token) -> Token | None:
    """The words under a relaying cue that the parse put inside the clause (see `_relay`)."""
    return _trailing_cue(clause) if _relay(clause) else None


def _reports_speech(tokens: list[Token]) -> bool:
    """Whether a clause holds a reporting verb with a subject of its own (someone else's words)."""
    return any(
        _clause_cue(t)
        and any(c.dep_ in _SUBJ for c in t.children)
        and any(c.dep_ == "ccomp" for c in t.children)
        for t in tokens
    )


def _node(name: str, **attrs: Any) -> dict[str, Any]:
    return {"RIGHT_ID": name, "RIGHT_ATTRS": attrs}


def _child(parent: str, name: str, **attrs: Any) -> dict[str, Any]:
    return {"LEFT_ID": parent, "REL_OP": ">", "RIGHT_ID": name, "RIGHT_ATTRS": attrs}


def _forms() -> dict[str, list[dict[str, Any]]]:
    """The forms of reported speech without marks, one DependencyMatcher pattern each: "cue" is
    the reporting word, "content" the head of the words reported."""
    verb_cue = {"POS": {"IN": ["VERB", "AUX"]}, "LEMMA": {"IN": sorted(CLAUSE_CUES)}}
    return {
        # "X said (that) Y", "Y, X said", "X told reporters Y"
        "clause": [_node("cue", **verb_cue), _child("cue", "content", DEP="ccomp")],
        # "X vowed to Y", "X urged voters to Y": a stated commitment or appeal
        "commitment": [
            _node("cue", POS="VERB", LEMMA={"IN": sorted(COMMITMENT_CUES)}),
            _child("cue", "content", DEP="xcomp"),
            _child("content", "to", DEP="aux", LOWER="to"),
        ],
        # "X called for Y": an appeal, its object the content
        "call_for": [
            _node("cue", POS="VERB", LEMMA="call"),
            _child("cue", "for", DEP="prep", LOWER="for"),
            _child("for", "content", DEP="pobj"),
        ],
        # "Y, X said, Y": the cue set into the reported clause as an aside
        "aside": [
            _node("content", POS={"IN": ["VERB", "AUX"]}),
            _child("content", "cue", DEP="parataxis", **verb_cue),
        ],
        # "X's claim that Y", "a warning from X that Y"
        "nominal": [
            _node("cue", POS="NOUN", LEMMA={"IN": sorted(NOMINAL_CUES)}),
            _child("cue", "content", DEP={"IN": ["acl", "ccomp"]}),
            _child("content", "that", DEP="mark", LOWER="that"),
        ],
        # "according to X, Y"
        "according": [
            _node("cue", LOWER="according"),
            {"LEFT_ID": "cue", "REL_OP": "<", "RIGHT_ID": "content", "RIGHT_ATTRS": {}},
        ],
    }


@functools.cache
def _roles(form: str) -> tuple[str, ...]:
    """The node names of a form's pattern, in the order the matcher gives their tokens."""
    return tuple(node["RIGHT_ID"] for node in _forms()[form])


@functools.cache
def _matcher(vocab: Vocab) -> DependencyMatcher:
    """The patterns of `_forms`, built once per vocabulary."""
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(vocab)
    for name, pattern in _forms().items():
        matcher.add(name, [pattern])
    return matcher


def _nominal_subject(verb: Token) -> Token | None:
    """The subject of a reporting verb that names someone, however plainly ("critics", "most
    voters", "the fund, which"); not an empty "there", nor a "what" or "this"."""
    for c in verb.children:
        if c.dep_ not in _SUBJ:
            continue
        if c.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
            return verb.head
        if c.pos_ in ("NOUN", "PROPN", "NUM") or c.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return c
    return None


def _reporter(cue: Token) -> Attribution:
    """Who reports a clause: the cue's own subject however plain ("critics say"), else the speaker
    `from_cue` finds, else the subject of the verb the cue is coordinated with ("X left and said Y")."""
    att = from_cue(cue)
    subject = _nominal_subject(cue)
    alone = not any(c.dep_ in _SUBJ for c in cue.children)
    if subject is None and att.subject is None and cue.dep_ == "conj" and alone:
        subject = _nominal_subject(cue.head)
    return att if subject is None or subject == att.subject else dataclasses.replace(att, subject=subject)


def _own_words(head: Token) -> list[Token]:
    """The clause under `head` without a conjunct that is someone else's report ("A, and critics
    warned that B": B is the critics' words)."""
    drop: set[int] = set()
    for c in head.children:
        if c.dep_ == "conj" and c.i > head.i and _reports_speech([c]):
            drop.update(t.i for t in head.doc[c.left_edge.i : c.right_edge.i + 1])
            drop.update(t.i for t in head.children if t.dep_ == "cc" and t.i < c.i)
    return [t for t in head.subtree if t.i not in drop]


def _said(cue: Token, content: Token) -> tuple[list[Token], Attribution] | None:
    """ "X said (that) Y": Y, unless X only relays it or does not assert it (`_asserts`)."""
    if _relay(cue):
        return None
    content = _relayed_content(content) or content
    if not _asserts(cue, content):
        return None
    return _own_words(content), _reporter(cue)


# An appeal or a commitment shorter than this ("urged Congress to act") is a gist, not a statement.
_APPEAL_MIN_WORDS = 6


def _appealed(cue: Token, content: Token) -> tuple[list[Token], Attribution] | None:
    """ "X vowed to Y", "X called for Y" as `_said`; not "residents were urged to Y", whose subject
    was spoken to, nor "the target it pledged to reach", whose infinitive lacks the object the
    relative clause takes away (only a "who"/"which" subject keeps the clause whole)."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children):
        return None
    if cue.dep_ == "relcl" and not any(c.dep_ in _SUBJ and c.tag_ in ("WP", "WDT") for c in cue.children):
        return None
    if sum(t.is_alpha for t in content.subtree) < _APPEAL_MIN_WORDS:
        return None
    return _said(cue, content)


def _aside(cue: Token, content: Token) -> tuple[list[Token], Attribution] | None:
    """ "Y, X said, Y": the whole clause, the aside inside it, as the reader sees it."""
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children) or not _asserts(cue, content):
        return None
    return list(content.subtree), _reporter(cue)


def _claimed(cue: Token, content: Token) -> tuple[list[Token], Attribution] | None:
    """ "X's claim that Y", "a warning from X that Y", by X; not a claim that nobody made ("no
    claim that"), that is denied or doubted ("rejected the claim that", "did not make the claim
    that"), nor a noun of doubt ("questions that")."""
    if cue.lemma_.lower() in NOT_ASSERTING or any(c.dep_ == "det" and c.lower_ == "no" for c in cue.children):
        return None
    verb = cue.head
    if verb is not cue and (
        verb.lemma_.lower() in NOT_ASSERTING | WITHHOLDING or any(c.dep_ == "neg" for c in verb.children)
    ):
        return None
    by = [c for c in cue.children if c.dep_ == "poss"] + [
        g
        for c in cue.children
        if c.dep_ == "prep" and c.lower_ in ("by", "from")
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if not by:
        return None
    return list(content.subtree), Attribution(cue, cue.text, by[0])


def _according(cue: Token, content: Token) -> tuple[list[Token], Attribution] | None:
    """ "According to X, Y": the longest run of Y's words outside the "according to X" phrase."""
    drop = {t.i for t in cue.subtree}
    runs: list[list[Token]] = []
    for t in content.subtree:
        if t.i in drop:
            continue
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    longest = max(runs, key=len) if runs else []
    if not longest or _reports_speech(longest):
        return None  # "according to Reuters, the minister said ...": the minister's words
    return longest, from_cue(cue)


_READERS = {
    "clause": _said,
    "commitment": _appealed,
    "call_for": _appealed,
    "aside": _aside,
    "nominal": _claimed,
    "according": _according,
}


def _indirect(
    doc: Doc, base: int, sents: list[ParsedSentence], taken: list[MarkedSpan], min_words: int
) -> Iterator[_Candidate]:
    """Reported speech without marks, in the forms of `_forms`."""
    headings = {s.start for s in sents if s.heading}
    for match_id, ids in _matcher(doc.vocab)(doc):
        form = doc.vocab.strings[match_id]
        names = _roles(form)
        cue, content = doc[ids[names.index("cue")]], doc[ids[names.index("content")]]
        if base + cue.sent.start_char in headings:
            continue
        # A cue inside quotation marks is the quoted speaker's own telling, not the article's report
        # (and a quotation's nested marks can leave its frame, "the president added", as the clause).
        if any(s.start <= cue.idx < (s.close_mark or s.end) for s in taken):
            continue
        found = _READERS[form](cue, content)
        if found is None:
            continue
        tokens, attribution = found
        clause = _clause_text(tokens, min_words)
        if clause is None or attribution.subject is None:
            continue
        start, end = clause
        if any(s.start < end and start < (s.close_mark or s.end) for s in taken):
            continue
        yield _Candidate(base + start, base + end, "indirect", _sentence_at(sents, base + start), attribution)


def _entity_mentions(parsed: ParsedArticle) -> list[Mention]:
    out = []
    for sent, ent in parsed.entity_spans():
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        root = ent.root
        subject = root.dep_ in _SUBJ or (root.dep_ in ("compound", "appos") and root.head.dep_ in _SUBJ)
        name = entity_name(ent)
        if name:
            words = frozenset(w.lower() for w in name.split()) | _described_as(ent)
            kind = entity_kind(ent.label_)
            gender = honorific_gender(ent) if kind == "person" else None
            out.append(Mention(sent.char_start(ent[0]), name, kind, words, subject, gender))
    return out


def _described_as(ent: Span) -> frozenset[str]:
    """The words the article itself gives a person by name, before it or in apposition ("Republican
    nominee Jane Doe", "Jane Doe, the Indiana governor"), so a later "the Republican nominee" is hers."""
    if ent.label_ != "PERSON":
        return frozenset()
    root = ent.root
    before = [t for t in root.subtree if t.i < ent.start and t.dep_ in ("compound", "amod")]
    appos = [t for c in root.children if c.dep_ == "appos" for t in c.subtree]
    return frozenset(
        t.lemma_.lower()
        for t in before + appos
        if t.pos_ in ("NOUN", "ADJ", "PROPN") and t.ent_type_ not in ("PERSON", "ORG", "GPE")
    )


def _speaker(cand: _Candidate, history: History) -> tuple[Speaker | None, str | None]:
    att = cand.attribution
    if att is None or att.subject is None:
        return None, att.cue_text if att else None
    head = att.subject
    pos = min(cand.sentence.char_start(head), cand.start)
    resolved = history.resolve(head, pos)
    np_words = [t.lemma_.lower() for t in head.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")]
    if resolved is not None:
        name, kind = resolved
    else:
        name, kind, _named = source_phrase(head)
        if head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            name = head.text
        elif head.dep_ == "poss" and head.lower_ in POSSESSIVES:
            name = min(POSSESSIVES[head.lower_])  # "his claim that ..." with no one to refer to: "he"
    if kind == "person" or " " not in name:
        name = history.full_name(name)
    history.add_speaker(pos, name, kind, [*name.split(), *np_words, *att.context])
    return Speaker(name), att.cue_text or None


def _headline(sentence: ParsedSentence) -> bool:
    """The article's opening line when it reads as a headline: flagged so, or in title case
    ('Obama Sees 'Personal Insult' if Blacks Don't Rally for Hillary Clinton.')."""
    if sentence.index != 0:
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", sentence.text) if len(w) > 3]
    return sentence.heading or (len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words))


def _quote_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"\w+", text)}


def _headline_echoes(cands: list[_Candidate], text: str) -> dict[int, int]:
    """For each quotation of the headline that the body quotes again, the body's (positions in `cands`).

    A headline quotes in few words and no grammar to name a speaker by ('Warren Hammers Wells
    Fargo CEO: 'You Should Be Criminally Investigated''); the body's quotation of the same words
    names the speaker the headline's lacks.
    """
    body = [
        (k, _quote_words(text[c.start : c.end]))
        for k, c in enumerate(cands)
        if c.sentence.index > 0 and c.kind != "indirect"
    ]
    echoes = {}
    for k, c in enumerate(cands):
        if c.kind == "indirect" or not _headline(c.sentence):
            continue
        words = _quote_words(text[c.start : c.end])
        echo = next((j for j, b in body if words and len(words & b) >= 0.6 * len(words)), None)
        if echo is not None:
            echoes[k] = echo
    return echoes


def extract_quotes(parsed: ParsedArticle, settings: Settings) -> Iterator[Quote]:
    """Direct, partial and indirect quotations of one article, in text order, with speaker and cue.

    A direct quotation without a cue of its own keeps the speaker of one that ended at most
    `settings.quote_continue_sentences` sentences before it.
    """
    cands: list[_Candidate] = []
    blocks = list(_block_docs(parsed))
    prev: Span | None = None
    for k, (doc, base, sents) in enumerate(blocks):
        open_end = k + 1 < len(blocks) and blocks[k + 1][0].text[:1] in _OPENERS
        spans = find_marked(doc.text, open_end)
        cands.extend(_marked(doc, base, sents, prev, open_end, settings))
        cands.extend(_indirect(doc, base, sents, spans, settings.quote_indirect_min_words))
        prev = list(doc.sents)[-1] if len(doc) else prev
    cands.sort(key=lambda c: (c.start, c.end))
    history = History(_entity_mentions(parsed))
    last: tuple[int, Speaker] | None = None
    found: list[tuple[_Candidate, Speaker | None, str | None]] = []
    for cand in cands:
        speaker, cue = _speaker(cand, history)
        close_enough = last is not None and cand.sentence.index - last[0] <= settings.quote_continue_sentences
        # Only a quotation with no cue of its own goes on the last one: "“...,” a narrator asks" is
        # not the last speaker's because the narrator has no name.
        if speaker is None and cand.kind == "direct" and cue is None and last is not None and close_enough:
            speaker = last[1]
        if speaker is not None and cand.kind != "indirect":
            end_sent = bisect.bisect_right([s.start for s in parsed.sentences], cand.end) - 1
            last = (max(end_sent, cand.sentence.index), speaker)
        found.append((cand, speaker, cue))
    for k, echo in _headline_echoes(cands, parsed.text).items():
        # Only a headline quotation that names no one takes the body's speaker; a fragment stays out
        # (a scare quote, a title).
        if found[k][1] is None and found[echo][1] is not None and cands[k].kind == "direct":
            found[k] = (found[k][0], found[echo][1], found[k][2])
    n = 0
    text = parsed.text
    for cand, speaker, cue in found:
        if speaker is None and cand.kind == "partial":
            continue  # an unattributed fragment is a scare quote or a title, not a quotation
        n += 1
        yield Quote(
            id=f"{parsed.id}-q{n}",
            article=parsed.id,
            sentence=cand.sentence.id,
            text=without_markup(text[cand.start : cand.end]),
            kind=cand.kind,
            speaker=speaker,
            cue=cue,
            start=cand.start,
            end=cand.end,
        )
