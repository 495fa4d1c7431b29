"""Parse each article once: blocks, spaCy docs, sentences with offsets, sentence embeddings.

Every later stage reads ParsedArticle and never runs a model again.
"""

from __future__ import annotations

import bisect
import dataclasses
import string
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.errors import IngestError
from parallax.model import Article
from parallax.nlp.boilerplate import mask_markup, without_markup
from parallax.nlp.models import load_embedder, load_spacy
from parallax.nlp.segment import Block, split_blocks
from parallax.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "ParsedArticle",
    "ParsedSentence",
    "Pieces",
    "Range",
    "TextVectors",
    "assign_ids",
    "embed_texts",
    "embed_with_pieces",
    "parse_articles",
]

# A word piece of the encoder spans at most this many characters in ordinary text (a guess with a wide
# margin: English pieces average about 4); text past max_seq_length pieces of it is never read.
_CHARS_PER_PIECE = 12
# Texts encoded together when their word pieces are kept (float32 until stored as float16): about
# 1,000 sentences of news are some 40,000 pieces, 60 MB; a guess that keeps memory flat, not tuned.
_PIECES_SLICE = 1024


@dataclasses.dataclass(frozen=True, eq=False)
class ParsedSentence:
    """A sentence with its offsets in the article text and its spaCy span."""

    id: str
    index: int
    block: int
    start: int
    end: int
    text: str
    heading: bool
    span: Span
    block_start: int
    boilerplate: bool = False

    def char_start(self, token: Token) -> int:
        """Offset of `token` in the article text."""
        return self.block_start + token.idx


@dataclasses.dataclass(frozen=True, eq=False)
class ParsedArticle:
    """An article with everything the models say about it."""

    article: Article
    sentences: tuple[ParsedSentence, ...]
    docs: tuple[Doc, ...]
    embeddings: np.ndarray
    published_assumed: bool = False
    pieces: tuple[Pieces | None, ...] = ()  # per sentence, where its text is the article's own

    @property
    def id(self) -> str:
        assert self.article.id is not None
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def entity_spans(self) -> Iterator[tuple[ParsedSentence, Span]]:
        """Every named-entity span with the sentence it stands in."""
        for sent in self.sentences:
            for ent in sent.span.ents:
                yield sent, ent


def assign_ids(articles: Sequence[Article]) -> list[Article]:
    """Give every article a unique id: its own, else a, b, c... (aa, ab... past z)."""
    used: set[str] = set()
    out = []
    for i, art in enumerate(articles):
        base = art.id or _letters(i)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        out.append(dataclasses.replace(art, id=candidate))
    return out


def _letters(i: int) -> str:
    letters = string.ascii_lowercase
    return letters[i] if i < 26 else _letters(i // 26 - 1) + letters[i % 26]


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


# A heading states something when it names a thing and says what of it (a verb), or gives a name or
# a figure ("Earthquake in Turkey: 12 dead"). Section headings ("The big picture", "What they're
# saying", "Go deeper") do neither: they label the text below and are no fact of any outlet's.
_THINGS = frozenset({"NOUN", "PROPN", "NUM"})
_SAYING = frozenset({"VERB", "AUX"})


def _states_something(span: Span) -> bool:
    if not any(t.pos_ in _THINGS for t in span):
        return False
    return bool(span.ents) or any(t.pos_ in _SAYING or t.like_num for t in span)


def _sentence_spans(doc: Doc, block: Block, max_tokens: int) -> list[tuple[int, int]]:
    """Character ranges (within the block) of its sentences; fragments join their neighbour.

    A sentence longer than `max_tokens` (text with no punctuation, a run-on list) is cut, so
    no later stage sees an unbounded sentence and time stays linear in the length of the text.
    """
    if block.heading or block.boilerplate:
        return [(0, len(block.text))]
    ranges: list[tuple[int, int]] = []
    for sent in doc.sents:
        for start, end in _cut_long(sent, max_tokens):
            if ranges and not _has_word(block.text[start:end]):
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((start, end))
    return ranges


# Where an over-long sentence is best cut: after a clause mark, else before a conjunction.
_CLAUSE_MARKS = frozenset(",;:–—")
_CONJUNCTIONS = frozenset({"and", "but", "or", "while", "whereas", "because", "although"})


def _cut_long(sent: Span, max_tokens: int) -> list[tuple[int, int]]:
    """The sentence's character range, or ranges of at most `max_tokens` tokens each."""
    if len(sent) <= max_tokens:
        return [(sent.start_char, sent.end_char)]
    pieces: list[tuple[int, int]] = []
    first = sent.start  # token index where the current piece starts
    while sent.end - first > max_tokens:
        cut = first + max_tokens  # token index where the next piece starts
        for i in range(first + max_tokens - 1, first + max_tokens // 2, -1):
            tok = sent.doc[i]
            if tok.text in _CLAUSE_MARKS:
                cut = i + 1
                break
            if tok.lower_ in _CONJUNCTIONS:
                cut = i
                break
        doc = sent.doc
        pieces.append((doc[first].idx, doc[cut - 1].idx + len(doc[cut - 1].text)))
        first = cut
    pieces.append((sent.doc[first].idx, sent.end_char))
    return pieces


def _check_size(articles: Sequence[Article], settings: Settings) -> None:
    for art in articles:
        if len(art.text) > settings.max_article_chars:
            raise IngestError(
                f"the article is {len(art.text):,} characters long, over the limit of "
                f"{settings.max_article_chars:,}",
                source=art.path or art.id,
                hint="split it into the reports it holds, or raise PARALLAX_MAX_ARTICLE_CHARS",
            )


def embed_texts(texts: Sequence[str], settings: Settings) -> np.ndarray:
    """Unit-length embeddings of `texts` (rows), in one batched pass.

    The encoder reads only its first `max_seq_length` word pieces, so each text is cut before
    tokenising to what those pieces can span: a very long text costs no more than a long one.
    """
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    model = load_embedder(settings.embedding_model, settings.device)
    vectors = model.encode(
        _cut_to_window(model, texts),
        batch_size=settings.batch_size,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def _cut_to_window(model: SentenceTransformer, texts: Sequence[str]) -> list[str]:
    keep = int(getattr(model, "max_seq_length", None) or 512) * _CHARS_PER_PIECE
    return [t[:keep] for t in texts]


@dataclasses.dataclass(frozen=True, eq=False)
class Pieces:
    """One text's word pieces as the encoder read it: their character ranges and contextual vectors.

    A quotation or phrase inside a sentence gets its vector by pooling the pieces it covers, so the
    encoder runs once, over the sentences; a second pass over quotations and framing phrases used
    to cost as much again as the sentences themselves.
    """

    offsets: np.ndarray  # (n, 2): character range of each piece in the text; (0, 0) for [CLS]/[SEP]
    vectors: np.ndarray  # (n, dim) float16: half the memory, precision to spare for a mean

    def covering(self, start: int, end: int) -> np.ndarray:
        """Vectors of the pieces that overlap characters `start`..`end` of the text."""
        return self.vectors[(self.offsets[:, 0] < end) & (self.offsets[:, 1] > start)]


def embed_with_pieces(texts: Sequence[str], settings: Settings) -> tuple[np.ndarray, list[Pieces | None]]:
    """Unit embeddings of `texts` as `embed_texts` gives them, and each text's word pieces.

    A text gets no pieces where the encoder's tokenizer cannot map pieces back to characters
    (a slow tokenizer, or a model with no text tokenizer); its phrases are then embedded alone.
    """
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), []
    model = load_embedder(settings.embedding_model, settings.device)
    cut = _cut_to_window(model, texts)
    vectors: list[np.ndarray] = []
    pieces: list[Pieces | None] = []
    # The encoder's float32 piece vectors are held a slice at a time, so memory stays bounded.
    for at in range(0, len(cut), _PIECES_SLICE):
        part = cut[at : at + _PIECES_SLICE]
        outputs = model.encode(
            part, batch_size=settings.batch_size, output_value=None, show_progress_bar=False
        )
        vectors.extend(np.asarray(o["sentence_embedding"].float().cpu(), dtype=np.float32) for o in outputs)
        pieces.extend(_pieces_of(model, part, outputs))
    unit = np.stack(vectors)
    unit /= np.maximum(np.linalg.norm(unit, axis=1, keepdims=True), 1e-12)
    return unit, pieces


def _pieces_of(
    model: SentenceTransformer, texts: list[str], outputs: list[dict[str, Any]]
) -> list[Pieces | None]:
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None or not getattr(tokenizer, "is_fast", False):
        return [None] * len(texts)
    enc = tokenizer(
        [t.strip() for t in texts],
        return_offsets_mapping=True,
        truncation=True,
        max_length=int(model.max_seq_length or 512),
    )
    pieces: list[Pieces | None] = []
    for i, out in enumerate(outputs):
        mask = out["attention_mask"].bool()
        if out["input_ids"][mask].tolist() != enc["input_ids"][i]:
            pieces.append(None)  # tokenised differently from the encoder's own pass: no safe mapping
            continue
        lead = len(texts[i]) - len(texts[i].lstrip())
        offsets = np.asarray(enc["offset_mapping"][i], dtype=np.int32).reshape(-1, 2)
        offsets[offsets[:, 1] > 0] += lead
        tokens = out["token_embeddings"][mask].float().cpu().numpy().astype(np.float16)
        pieces.append(Pieces(offsets, tokens))
    return pieces


# An article range, (article id, start, end), whose vector is pooled from the pieces of its sentences.
Range = tuple[str, int, int]


class TextVectors:
    """The embeddings one report needs: each distinct text goes through the encoder once, and a
    range of an article's text is pooled from its sentences' word pieces, not encoded again.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._rows: dict[str, np.ndarray] = {}
        # Per article: sentence starts (sorted), and each sentence's (start, end, pieces).
        self._starts: dict[str, list[int]] = {}
        self._sentences: dict[str, list[tuple[int, int, Pieces | None]]] = {}

    @classmethod
    def of_parsed(cls, parsed: Sequence[ParsedArticle], settings: Settings) -> TextVectors:
        """A store holding the sentence vectors and word pieces of `parsed`."""
        store = cls(settings)
        for p in parsed:
            for sent, vec in zip(p.sentences, p.embeddings, strict=False):
                store._rows.setdefault(sent.text, vec)
            pieces = p.pieces or (None,) * len(p.sentences)
            spans = sorted((s.start, s.end, pc) for s, pc in zip(p.sentences, pieces, strict=True))
            store._sentences[p.id] = spans
            store._starts[p.id] = [start for start, _, _ in spans]
        return store

    def __len__(self) -> int:
        return len(self._rows)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit embeddings of `texts` (rows), encoding only the texts not seen before."""
        new = [t for t in dict.fromkeys(texts) if t not in self._rows]
        if new:
            self._rows.update(zip(new, embed_texts(new, self._settings), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts])

    def embed_ranges(self, groups: Sequence[Sequence[Range]], texts: Sequence[str]) -> np.ndarray:
        """One unit vector per group of article ranges: the mean of the word pieces they cover in their
        sentences' own encoder pass. A group none of whose pieces are stored is embedded as its text.
        """
        if len(groups) != len(texts):
            raise ValueError("embed_ranges needs one text per group of ranges")
        pooled: list[np.ndarray | None] = []
        for group in groups:
            rows = [v for art, start, end in group for v in self._covering(art, start, end)]
            pooled.append(np.concatenate(rows).astype(np.float32).mean(axis=0) if rows else None)
        alone = self.embed([t for t, v in zip(texts, pooled, strict=True) if v is None])
        out, k = [], 0
        for v in pooled:
            if v is None:
                out.append(alone[k])
                k += 1
            else:
                out.append(v / max(float(np.linalg.norm(v)), 1e-12))
        if not out:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack(out).astype(np.float32)

    def _covering(self, article: str, start: int, end: int) -> Iterator[np.ndarray]:
        starts, spans = self._starts.get(article, []), self._sentences.get(article, [])
        for i in range(max(bisect.bisect_right(starts, start) - 1, 0), bisect.bisect_left(starts, end)):
            s_start, s_end, pieces = spans[i]
            if pieces is not None and s_start < end and s_end > start:
                rows = pieces.covering(start - s_start, end - s_start)
                if len(rows):
                    yield rows


def parse_articles(articles: Sequence[Article], settings: Settings) -> list[ParsedArticle]:
    """Run spaCy over every block of every article, split sentences, embed them all at once."""
    _check_size(articles, settings)
    nlp = load_spacy(settings.spacy_model)
    blocks_by_article = [split_blocks(art.text, settings.max_chunk_chars) for art in articles]
    # spaCy reads the text with page markup blanked out (same length, so offsets hold).
    masked = (mask_markup(b.text) for blocks in blocks_by_article for b in blocks)
    docs = iter(nlp.pipe(masked, batch_size=32))
    per_article: list[tuple[tuple[Doc, ...], list[ParsedSentence]]] = []
    for art, blocks in zip(articles, blocks_by_article, strict=True):
        art_docs: list[Doc] = []
        sentences: list[ParsedSentence] = []
        for bi, block in enumerate(blocks):
            doc = next(docs)
            art_docs.append(doc)
            for start, end in _sentence_spans(doc, block, settings.max_sentence_tokens):
                span = doc.char_span(start, end, alignment_mode="expand")
                assert span is not None
                text = without_markup(block.text[start:end])
                sentences.append(
                    ParsedSentence(
                        id=f"{art.id}-s{len(sentences) + 1}",
                        index=len(sentences),
                        block=bi,
                        start=block.start + start,
                        end=block.start + end,
                        text=text or block.text[start:end],
                        heading=block.heading,
                        span=span,
                        block_start=block.start,
                        boilerplate=block.boilerplate
                        or not _has_word(text)
                        or (block.heading and not _states_something(span)),
                    )
                )
        per_article.append((tuple(art_docs), sentences))
    all_sentences = [s for _, sents in per_article for s in sents]
    unique = list(dict.fromkeys(s.text for s in all_sentences))  # identical articles are encoded once
    unique_vectors, unique_pieces = embed_with_pieces(unique, settings)
    at = {text: i for i, text in enumerate(unique)}
    vectors = unique_vectors[[at[s.text] for s in all_sentences]] if all_sentences else unique_vectors
    pieces = [unique_pieces[at[s.text]] for s in all_sentences]
    parsed = []
    row = 0
    for art, (docs_of_article, sentences_of_article) in zip(articles, per_article, strict=True):
        n = len(sentences_of_article)
        emb = vectors[row : row + n] if n else np.zeros((0, 0), np.float32)
        # Pieces map to the article's characters only where the sentence is its text unchanged.
        own = tuple(
            pc if art.text[s.start : s.end] == s.text else None
            for s, pc in zip(sentences_of_article, pieces[row : row + n], strict=True)
        )
        row += n
        parsed.append(ParsedArticle(art, tuple(sentences_of_article), docs_of_article, emb, pieces=own))
    return parsed
