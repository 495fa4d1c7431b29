"""The NLP layer: block splitting, headings, model loading and the one shared parse."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.errors import ModelError
from parallax.model import Article
from parallax.nlp import TextVectors, clear_cache, load_embedder, load_spacy, parse_articles
from parallax.nlp.models import resolve_embedding_path
from parallax.nlp.parse import assign_ids
from parallax.nlp.segment import is_heading, split_blocks
from parallax.settings import Settings


def test_blocks_keep_offsets_and_mark_headings() -> None:
    text = "The big picture\n\n  Officials met on Monday. They agreed.\nA closing line with a period.\n"
    blocks = split_blocks(text, max_chars=10_000)
    assert [b.text for b in blocks] == [
        "The big picture",
        "Officials met on Monday. They agreed.",
        "A closing line with a period.",
    ]
    assert [b.heading for b in blocks] == [True, False, False]
    for b in blocks:
        assert text[b.start : b.end] == b.text


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Kremlin rejects the plan", True),
        ("The minister spoke on Monday.", False),
        ("Asked about the plan, she said: “No.”", False),
        (" ".join(["word"] * 20), False),
    ],
)
def test_is_heading(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


def test_long_block_is_cut_at_sentence_ends() -> None:
    sentence = "This sentence is exactly as long as the next one. "
    text = sentence * 100
    blocks = split_blocks(text, max_chars=1_000)
    assert len(blocks) > 1
    assert all(len(b.text) <= 1_000 for b in blocks)
    assert all(b.text.endswith("one.") for b in blocks)
    assert all(text[b.start : b.end] == b.text for b in blocks)


def test_block_without_sentence_end_is_cut_at_a_space() -> None:
    text = "word " * 600
    blocks = split_blocks(text, max_chars=1_000)
    assert all(len(b.text) <= 1_000 and not b.text.startswith(" ") for b in blocks)


def test_assign_ids_letters_then_unique() -> None:
    arts = assign_ids([Article(text="x"), Article(text="y", id="a"), Article(text="z", id="a")])
    assert [a.id for a in arts] == ["a", "a-2", "a-3"]
    many = assign_ids([Article(text="x")] * 28)
    assert many[25].id == "z" and many[26].id == "aa" and len({a.id for a in many}) == 28


def test_bundled_embedding_model_resolves_to_a_local_folder() -> None:
    path = resolve_embedding_path("all-MiniLM-L6-v2")
    assert path != "all-MiniLM-L6-v2"
    assert resolve_embedding_path("/some/where") == "/some/where"


def test_missing_spacy_model_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="no_such_pipeline") as info:
        load_spacy("no_such_pipeline")
    assert info.value.hint and "PARALLAX_SPACY_MODEL" in info.value.hint


def test_missing_embedding_model_is_a_model_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="sentence-transformers"):
        load_embedder(str(tmp_path / "nothing-here"))


@pytest.mark.model
def test_loaders_are_cached(settings: Settings) -> None:
    assert load_spacy(settings.spacy_model) is load_spacy(settings.spacy_model)
    assert load_embedder(settings.embedding_model) is load_embedder(settings.embedding_model)


@pytest.mark.model
def test_clear_cache_reloads(settings: Settings) -> None:
    before = load_spacy(settings.spacy_model)
    clear_cache()
    assert load_spacy(settings.spacy_model) is not before


@pytest.mark.model
def test_parse_sentences_offsets_and_embeddings(parse) -> None:
    text = 'Storm hits coast\nThe storm hit the coast on Monday. "We are ready," the mayor said.\n'
    parsed = parse(text)
    assert [s.text for s in parsed.sentences] == [
        "Storm hits coast",
        "The storm hit the coast on Monday.",
        '"We are ready," the mayor said.',
    ]
    assert parsed.sentences[0].heading
    for s in parsed.sentences:
        assert text[s.start : s.end] == s.text
        token = s.span[0]
        assert text[s.char_start(token) : s.char_start(token) + len(token)] == token.text
    assert parsed.embeddings.shape == (3, 384)


@pytest.mark.model
def test_article_longer_than_one_piece_is_parsed_whole(settings: Settings) -> None:
    text = "The council met again on Tuesday and voted on the budget. " * 60
    small = settings.model_copy(update={"max_chunk_chars": 1_000})
    parsed = parse_articles([Article(text=text, id="x")], small)[0]
    assert len(parsed.docs) > 1
    assert len(parsed.sentences) == 60


def test_sentence_pass_keeps_pieces_mapped_to_the_article(parse, settings: Settings) -> None:
    text = "  The minister said the talks had failed. Officials in Kyiv denied it on Tuesday."
    p = parse(text)
    assert len(p.pieces) == len(p.sentences) and all(pc is not None for pc in p.pieces)
    sent, pieces = p.sentences[1], p.pieces[1]
    assert pieces is not None
    for start, end in pieces.offsets:
        if end > start:  # every real piece points at its own characters of the sentence
            piece = text[sent.start + start : sent.start + end].lower()
            assert piece and piece in sent.text.lower()
    # The whole sentence pooled from its pieces is close to the sentence's own embedding.
    whole = TextVectors.of_parsed([p], settings).embed_ranges([[("a", sent.start, sent.end)]], [sent.text])
    assert float(whole[0] @ p.embeddings[1]) > 0.95


def test_ranges_pool_within_the_sentence_and_fall_back_to_the_text(parse, settings: Settings) -> None:
    text = "The minister said the talks had failed. Officials in Kyiv denied it on Tuesday."
    p = parse(text)
    store = TextVectors.of_parsed([p], settings)
    kyiv = text.index("Kyiv")
    vecs = store.embed_ranges(
        [[("a", kyiv, kyiv + 4)], [("a", 0, 12), ("a", kyiv, kyiv + 4)], [("zz", 0, 5)]],
        ["Kyiv", "both", "a text of an article the store does not hold"],
    )
    assert vecs.shape == (3, p.embeddings.shape[1])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    alone = store.embed(["a text of an article the store does not hold"])
    assert float(vecs[2] @ alone[0]) > 0.999
    with pytest.raises(ValueError, match="one text per group"):
        store.embed_ranges([[("a", 0, 3)]], [])


def test_sentence_changed_by_markup_has_no_pieces(parse) -> None:
    p = parse("He said [url=http://x.example]the deal is off[/url] today. Nothing else happened here.")
    assert p.sentences[0].text != p.text[p.sentences[0].start : p.sentences[0].end]
    assert p.pieces[0] is None and p.pieces[1] is not None
