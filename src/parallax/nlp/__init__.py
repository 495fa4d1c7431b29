"""Language models and the one parse of each article that every stage shares."""

from parallax.nlp.models import clear_cache, load_embedder, load_spacy
from parallax.nlp.parse import ParsedArticle, ParsedSentence, Range, TextVectors, embed_texts, parse_articles

__all__ = [
    "ParsedArticle",
    "ParsedSentence",
    "Range",
    "TextVectors",
    "clear_cache",
    "embed_texts",
    "load_embedder",
    "load_spacy",
    "parse_articles",
]
