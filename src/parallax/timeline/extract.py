"""Find time expressions in parsed articles, resolve them, and merge the same dated event across articles."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from parallax.model import TimelineEntry
from parallax.nlp import ParsedArticle
from parallax.settings import Settings
from parallax.timeline.resolve import Tense, resolve, split_expression

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from parallax.nlp.parse import ParsedSentence

__all__ = ["Mention", "build_timeline", "find_mentions", "merge_mentions", "story_mentions", "tense_of"]

# Not a threshold but a display length: an event text longer than this is cut to the clause that
# holds its time expression, if that clause has at least settings.timeline_min_clause_chars.
MAX_TEXT_CHARS = 280

_WD = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_FULL_MONTH = r"(?:January|February|April|June|July|August|September|October|November|December)"
_YEAR = r"(?:1[7-9]\d\d|20\d\d)"
_PREP = r"(?:in|In|since|Since|by|By|until|till|before|after|during|from|through|of|around|early|late|mid-)"
_SOFT = r"(?:(?:[Ee]arl(?:y|ier)|[Ll]ate(?:r)?|[Mm]id-?)\s*)?"
# spaCy's small model misses or cuts many of these (e.g. "this week's" → "week"); the patterns below
# add them, and any overlap with a spaCy DATE entity is joined into one candidate.
_PATTERNS = tuple(
    re.compile(p)
    for p in (
        rf"\b{_SOFT}(?:(?:last|next|this|[Ll]ast|[Nn]ext|[Tt]his)\s+)?{_WD}\b",
        r"\b(?:[Ee]arlier|[Ll]ater)\s+(?:this|in\s+the)\s+(?:week|month|year)\b",
        r"\b(?:[Ll]ast|[Nn]ext|[Tt]his)\s+(?:week|month|year)\b",
        r"\b(?:[Yy]esterday|[Tt]oday|[Tt]omorrow)\b",
        r"\b(?:\d+|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en)"
        r"\s+(?:day|week|month|year)s?\s+ago\b",
        rf"\b{_SOFT}{_FULL_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+{_YEAR})?\b",
        rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?\b",
        rf"\b\d{{1,2}}\s+{_MONTH}(?:\s+{_YEAR})?\b",
        # a bare year or an ambiguous month ("May", "March") only after a word that introduces a date
        rf"\b{_PREP}\s+(?P<x>{_YEAR})\b(?![%\d]|s\b|-\w)",
        rf"\b(?:in|of|by|In|since|until)\s+(?P<x>(?:May|March)(?:\s+{_YEAR})?)\b",
    )
)


@dataclasses.dataclass(frozen=True)
class Mention:
    """One resolved time expression in one sentence of one article."""

    article: str
    sentence: int
    order: int
    when: str
    expression: str
    text: str
    relative: bool


def story_mentions(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[Mention, ...]:
    """Every resolved time expression of every article, numbered in story order."""
    mentions: list[Mention] = []
    for p in parsed:
        mentions.extend(
            dataclasses.replace(m, order=len(mentions) + n) for n, m in enumerate(find_mentions(p, settings))
        )
    return tuple(mentions)


def build_timeline(
    parsed: Sequence[ParsedArticle], settings: Settings, mentions: Sequence[Mention] | None = None
) -> tuple[TimelineEntry, ...]:
    """Every calendar-dated mention, the same event told by several articles merged into one entry.

    `mentions` are the story's (from `story_mentions`), when another stage has them already.
    """
    if mentions is None:
        mentions = story_mentions(parsed, settings)
    by_id = {p.id: p for p in parsed}
    vectors = [_vector(by_id[m.article], m.sentence) for m in mentions]
    return merge_mentions(mentions, vectors, settings)


def _vector(p: ParsedArticle, index: int) -> np.ndarray:
    emb = p.embeddings
    if emb.ndim == 2 and index < emb.shape[0]:
        return np.asarray(emb[index])
    return np.zeros(1, dtype=np.float32)


def find_mentions(p: ParsedArticle, settings: Settings) -> list[Mention]:
    """All calendar points in one article, in text order."""
    published = p.article.published
    if published is None:
        return []
    out: list[Mention] = []
    for sent in p.sentences:
        covered: list[tuple[int, int]] = []
        for start, end in _candidates(sent):
            if any(s <= start and end <= e for s, e in covered):
                continue  # a piece of a range that already gave its dates
            span = sent.span.doc.char_span(
                start - sent.block_start, end - sent.block_start, alignment_mode="expand"
            )
            tense = tense_of(span) if span is not None else None
            phrase = sent.text[start - sent.start : end - sent.start]
            before = len(out)
            for part in split_expression(phrase):
                found = resolve(part, published, settings, tense)
                if found is None:
                    continue
                out.append(
                    Mention(
                        article=p.id,
                        sentence=sent.index,
                        order=len(out),
                        when=found.when,
                        expression=_display(part),
                        text=_event_text(sent, span, settings.timeline_min_clause_chars),
                        relative=found.relative,
                    )
                )
            if len(out) > before:
                covered.append((start, end))
    return out


def _candidates(sent: ParsedSentence) -> list[tuple[int, int]]:
    """Article-offset ranges of time expressions: spaCy DATE entities joined with the regex matches.

    Where a joined range names no point as a whole ("the quarter ended Sept. 30"), the regex matches
    inside it are tried on their own.
    """
    ranges: list[tuple[int, int]] = []
    for ent in sent.span.ents:
        if ent.label_ == "DATE":
            ranges.append((sent.block_start + ent.start_char, sent.block_start + ent.end_char))
    found: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(sent.text):
            key = "x" if "x" in pattern.groupindex else 0
            found.append((sent.start + m.start(key), sent.start + m.end(key)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges + found):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out = []
    for start, end in merged:
        start, end = max(start, sent.start), min(end, sent.end)
        if end <= start:
            continue
        out.append((start, end))
        inner = [(s, e) for s, e in found if start <= s and e <= end and (s, e) != (start, end)]
        out.extend(_outermost(inner))
    return out


def _outermost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = sorted(spans, key=lambda r: (r[0], -r[1]))
    keep: list[tuple[int, int]] = []
    for s, e in spans:
        if not keep or s >= keep[-1][1]:
            keep.append((s, e))
    return keep


def _display(part: str) -> str:
    text = re.sub(r"\s+", " ", part).strip(" ,;:")
    return re.sub(r"['\u2019]s$", "", text)


_FUTURE_WORDS = {"ahead", "upcoming", "coming", "next", "forthcoming", "due", "scheduled", "planned", "until"}
_FUTURE_HEADS = {
    "expect",
    "schedule",
    "plan",
    "set",
    "due",
    "intend",
    "aim",
    "hope",
    "prepare",
    "promise",
    "vow",
}
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "going"}


def tense_of(span: Span) -> Tense:
    """Whether the clause around a time expression looks back (past) or forward (future); None if unclear.

    Hand-written because dateparser has no notion of tense: "Tuesday" is last Tuesday after "said"
    and next Tuesday after "will meet".
    """
    token: Token = span.root
    path: list[Token] = []
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        path.append(token)
        token = token.head
    left = span.doc[max(span.start - 4, 0) : span.start]
    if any(t.lower_ in _FUTURE_WORDS for t in path) or any(
        t.lower_ in ("ahead", "upcoming", "next") for t in left
    ):
        return "future"
    if token.pos_ not in ("VERB", "AUX"):
        return None
    verb = token
    for _ in range(3):
        aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in aux}
        if lowers & _FUTURE_AUX:
            return "future"
        if verb.tag_ == "VBD" or ("Tense=Past" in str(verb.morph) and verb.tag_ != "VBN"):
            return "past"
        if verb.tag_ == "VBN" and lowers & {"has", "have", "had", "was", "were", "'s", "'ve"}:
            return "past" if not lowers & {"be"} else None
        if lowers & {"would"}:
            return "future"
        if verb.tag_ == "VBG" and lowers & {"is", "are", "'s", "'re", "am"}:
            return "future"
        if verb.dep_ in ("xcomp", "ccomp", "advcl") and verb.head.i != verb.i:
            if verb.head.lemma_ in _FUTURE_HEADS:
                return "future"
            if verb.tag_ in ("VB", "VBN", "VBG") or verb.dep_ == "xcomp":
                verb = verb.head
                continue
        if any(a.lower_ == "did" for a in aux) or lowers & {"was", "were"}:
            return "past"
        if verb.lemma_ in _FUTURE_HEADS and verb.tag_ in ("VBZ", "VBP", "VBN"):
            return "future"
        return None
    return None


def _event_text(sent: ParsedSentence, span: Span | None, min_clause_chars: int) -> str:
    """The sentence; when long, the clause that holds the expression."""
    text = sent.text.strip()
    if len(text) <= MAX_TEXT_CHARS or span is None:
        return text
    token = span.root
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    while token.dep_ in ("xcomp", "aux", "conj") and token.head.i != token.i:
        token = token.head
    sub = list(token.subtree)
    lo = max(sub[0].idx, sent.start - sent.block_start)
    hi = min(sub[-1].idx + len(sub[-1].text), sent.end - sent.block_start)
    clause = span.doc.text[lo:hi].strip()
    return clause if len(clause) >= min_clause_chars else text


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape or a.size <= 1:
        return 0.0
    return float(np.dot(a, b))


_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "to",
    "and",
    "for",
    "at",
    "by",
    "with",
    "that",
    "is",
    "was",
    "it",
}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 2}


def merge_mentions(
    mentions: Sequence[Mention], vectors: Sequence[np.ndarray], settings: Settings
) -> tuple[TimelineEntry, ...]:
    """Join mentions from different articles with the same date and a similar sentence; sort by date.

    Similar: sentence cosine at least `timeline_merge_threshold`, or the same expression and at
    least `timeline_merge_min_words` content words in common.
    """
    threshold = settings.timeline_merge_threshold
    groups: list[list[int]] = []
    # Only groups of the same date can take a mention: indexing them by date keeps a long
    # article's timeline from comparing every mention with every earlier one.
    by_when: dict[str, list[int]] = {}
    articles_of: list[set[str]] = []
    for i, m in enumerate(mentions):
        target = None
        best = 0.0
        words = _words(m.text)
        for gi in by_when.get(m.when, []):
            if m.article in articles_of[gi]:
                continue
            g = groups[gi]
            score = max(_similar(vectors[j], vectors[i]) for j in g)
            same_words = any(
                mentions[j].expression.lower() == m.expression.lower()
                and len(_words(mentions[j].text) & words) >= settings.timeline_merge_min_words
                for j in g
            )
            if score >= threshold or same_words:
                score = max(score, threshold)
                if score > best:
                    target, best = gi, score
        if target is None:
            by_when.setdefault(m.when, []).append(len(groups))
            groups.append([i])
            articles_of.append({m.article})
        else:
            groups[target].append(i)
            articles_of[target].add(m.article)
    entries = []
    for g in groups:
        first = mentions[g[0]]
        articles = tuple(dict.fromkeys(mentions[j].article for j in g))
        entries.append(
            (
                first.when,
                first.order,
                TimelineEntry(
                    when=first.when,
                    expression=first.expression,
                    text=first.text,
                    articles=articles,
                    relative=any(mentions[j].relative for j in g),
                ),
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    return tuple(e[2] for e in entries)
