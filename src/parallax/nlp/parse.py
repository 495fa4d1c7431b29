"""Parse each article once: blocks, spaCy docs, sentences with offsets, sentence embeddings.

Every later stage reads ParsedArticle and never runs a model again.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from parallax.model import Article
from parallax.nlp.models import load_embedder, load_spacy
from parallax.nlp.segment import Block, split_blocks
from parallax.settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["ParsedArticle", "ParsedSentence", "assign_ids", "embed_texts", "parse_articles"]


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


def _sentence_spans(doc: Doc, block: Block) -> list[tuple[int, int]]:
    """Character ranges (within the block) of its sentences; fragments join their neighbour."""
    if block.heading:
        return [(0, len(block.text))]
    ranges: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if ranges and not _has_word(block.text[start:end]):
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def embed_texts(texts: Sequence[str], settings: Settings) -> np.ndarray:
    """Unit-length embeddings of `texts` (rows), in one batched pass."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    model = load_embedder(settings.embedding_model, settings.device)
    vectors = model.encode(
        list(texts), batch_size=settings.batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


def parse_articles(articles: Sequence[Article], settings: Settings) -> list[ParsedArticle]:
    """Run spaCy over every block of every article, split sentences, embed them all at once."""
    nlp = load_spacy(settings.spacy_model)
    blocks_by_article = [split_blocks(art.text, settings.max_chunk_chars) for art in articles]
    flat = [b.text for blocks in blocks_by_article for b in blocks]
    docs = iter(nlp.pipe(flat, batch_size=32))
    per_article: list[tuple[tuple[Doc, ...], list[ParsedSentence]]] = []
    for art, blocks in zip(articles, blocks_by_article, strict=True):
        art_docs: list[Doc] = []
        sentences: list[ParsedSentence] = []
        for bi, block in enumerate(blocks):
            doc = next(docs)
            art_docs.append(doc)
            for start, end in _sentence_spans(doc, block):
                span = doc.char_span(start, end, alignment_mode="expand")
                assert span is not None
                text = block.text[start:end]
                sentences.append(
                    ParsedSentence(
                        id=f"{art.id}-s{len(sentences) + 1}",
                        index=len(sentences),
                        block=bi,
                        start=block.start + start,
                        end=block.start + end,
                        text=text,
                        heading=block.heading,
                        span=span,
                        block_start=block.start,
                    )
                )
        per_article.append((tuple(art_docs), sentences))
    vectors = embed_texts([s.text for _, sents in per_article for s in sents], settings)
    parsed = []
    row = 0
    for art, (docs_of_article, sentences_of_article) in zip(articles, per_article, strict=True):
        n = len(sentences_of_article)
        emb = vectors[row : row + n] if n else np.zeros((0, 0), np.float32)
        row += n
        parsed.append(ParsedArticle(art, tuple(sentences_of_article), docs_of_article, emb))
    return parsed
