"""Framing concepts per article and distinctive terms."""

from __future__ import annotations

import math

import pytest

from parallax.entities import merge_entities
from parallax.framing import build_framing, distinctive_terms
from parallax.model import Article


@pytest.mark.model
def test_framing_lists_each_articles_words_for_one_referent(parse_many, settings) -> None:
    docs = parse_many(
        [
            Article(
                text="President Maria Lindqvist met farmers on Monday. The president promised new subsidies.",
                id="a",
            ),
            Article(
                text="Maria Lindqvist, the embattled leader, faced angry farmers. Lindqvist left early.",
                id="b",
            ),
        ]
    )
    ents = merge_entities(docs, settings)
    concepts = build_framing(docs, ents)
    concept = next(c for c in concepts if c.concept == "Maria Lindqvist")
    a_terms = {t.text for t in concept.terms["a"]}
    b_terms = {t.text for t in concept.terms["b"]}
    assert {"President Maria Lindqvist", "The president"} <= a_terms
    assert "Maria Lindqvist" in b_terms and any("leader" in t for t in b_terms)
    assert concept.entity == next(e.id for e in ents if e.name == "Maria Lindqvist")


@pytest.mark.model
def test_distinctive_terms_favour_each_articles_own_words(parse_many) -> None:
    docs = parse_many(
        [
            Article(
                text="The harbour strike halted ferries. Dockworkers want higher wages. The strike goes on.",
                id="a",
            ),
            Article(
                text="The harbour strike angered tourists. Tourists missed ferries and hotels lost bookings.",
                id="b",
            ),
        ]
    )
    terms = distinctive_terms(docs)
    a_words = {t.text for t in terms["a"]}
    b_words = {t.text for t in terms["b"]}
    assert "wage" in a_words or "dockworker" in a_words
    assert "tourist" in b_words
    assert "tourist" not in a_words
    assert all(t.score is not None and t.score > 0 for t in terms["a"])


@pytest.mark.model
@pytest.mark.parametrize(
    ("text_a", "text_b"),
    [
        ("The minister said so.", "He said so."),  # one term in all: odds against nothing else
        ("He said so.", "It is."),  # no terms at all
        ("The minister said so. The minister said it again.", "The minister said so."),
    ],
)
def test_distinctive_terms_of_tiny_vocabularies_are_empty(parse_many, text_a, text_b) -> None:
    docs = parse_many([Article(text=text_a, id="a"), Article(text=text_b, id="b")])
    assert distinctive_terms(docs) == {"a": (), "b": ()}


@pytest.mark.model
def test_distinctive_terms_of_an_article_beside_an_empty_one(parse_many) -> None:
    docs = parse_many(
        [Article(text="The minister resigned over the harbour strike.", id="a"), Article(text="Yes.", id="b")]
    )
    terms = distinctive_terms(docs)
    assert terms["b"] == ()
    # With the pooled counts as prior, a lone article's words are not over-represented against nothing.
    assert all(t.score is not None and math.isfinite(t.score) and t.score > 0 for t in terms["a"])


@pytest.mark.model
def test_distinctive_terms_of_a_single_article(parse) -> None:
    terms = distinctive_terms(
        [parse("The ferry strike spread. The ferry strike cost millions. Ferries stopped.")]
    )
    assert terms["a"] and terms["a"][0].count >= 2


@pytest.mark.model
def test_terms_per_article_setting_reaches_distinctive_terms(parse, settings) -> None:
    doc = parse("The ferry strike spread. The ferry strike cost millions. Ferries stopped.")
    one = settings.model_copy(update={"distinctive_terms_per_article": 1})
    assert len(distinctive_terms([doc], settings=settings)["a"]) > 1
    assert len(distinctive_terms([doc], settings=one)["a"]) == 1


@pytest.mark.model
def test_framing_links_a_description_to_the_entity_it_means(parse_many, settings) -> None:
    docs = parse_many(
        [
            Article(
                text="NATO foreign ministers met in Brussels on Tuesday. "
                "The alliance said it would send more air defences to the front.",
                id="a",
            ),
            Article(
                text="NATO promised more air defences. Critics said an alliance that size can do more.",
                id="b",
            ),
        ]
    )
    ents = merge_entities(docs, settings)
    concepts = build_framing(docs, ents, settings=settings)
    nato = next(c for c in concepts if c.concept == "NATO")
    assert "The alliance" in {t.text for t in nato.terms["a"]}
    # The head noun now stands for NATO in the whole story, so the indefinite use joins it too.
    assert any("alliance" in t.text for t in nato.terms["b"])
    assert all(
        "alliance" not in t.text for c in concepts if c is not nato for ts in c.terms.values() for t in ts
    )


@pytest.mark.model
def test_framing_joins_topics_named_by_synonymous_nouns(parse_many, settings) -> None:
    docs = parse_many(
        [
            Article(
                text="The two presidents will hold a summit on trade in Geneva. "
                "The summit on trade could ease the tariff dispute.",
                id="a",
            ),
            Article(
                text="The two presidents will hold a meeting on trade in Geneva. "
                "Officials hope the meeting on trade ends the tariff dispute.",
                id="b",
            ),
        ]
    )
    ents = merge_entities(docs, settings)
    concepts = build_framing(docs, ents, settings=settings)
    joined = [c for c in concepts if "a" in c.terms and "b" in c.terms]
    summit = next(c for c in joined if any("summit" in t.text for t in c.terms["a"]))
    assert any("meeting" in t.text for t in summit.terms["b"])


@pytest.mark.model
def test_reporting_verbs_per_speaker_show_only_where_outlets_differ() -> None:
    from parallax import compare

    report = compare(
        [
            Article(
                id="a",
                outlet="X",
                text='Governor Maria Lopez spoke on Monday. "We will rebuild," Lopez said.',
            ),
            Article(
                id="b",
                outlet="Y",
                text='Governor Maria Lopez spoke on Monday. "We will rebuild," Lopez boasted.',
            ),
            Article(
                id="c",
                outlet="Z",
                text='Governor Maria Lopez spoke on Monday. "We will rebuild," Lopez said.',
            ),
        ]
    )
    rows = [f for f in report.framing if f.concept.startswith("verbs reporting")]
    assert len(rows) == 1 and "Lopez" in rows[0].concept and rows[0].entity is not None
    assert [(t.text, t.count) for t in rows[0].terms["b"]] == [("boasted", 1)]
    assert [(t.text, t.count) for t in rows[0].terms["a"]] == [("said", 1)]
    alike = compare(
        [
            Article(id="a", outlet="X", text='"We will rebuild," Governor Maria Lopez said.'),
            Article(id="b", outlet="Y", text='"We will rebuild," Governor Maria Lopez told reporters.'),
        ]
    )
    assert not [f for f in alike.framing if f.concept.startswith("verbs reporting")]  # plain verbs only


@pytest.mark.model
def test_hedges_are_counted_where_articles_use_them_differently() -> None:
    from parallax import compare

    report = compare(
        [
            Article(
                id="a", outlet="X", text="The suspect allegedly fled the so-called safe house on Monday."
            ),
            Article(id="b", outlet="Y", text="The suspect fled the safe house on Monday."),
        ]
    )
    hedges = [f for f in report.framing if f.concept == "hedges"]
    assert len(hedges) == 1 and {t.text for t in hedges[0].terms["a"]} == {"allegedly", "so-called"}
    assert "b" not in hedges[0].terms
