"""Claims (alignment) on small hand-written reports."""

from __future__ import annotations

import numpy as np
import pytest

from parallax.claims import build_claims
from parallax.claims.align import Alignment, claim_groups
from parallax.claims.features import FEATURES, SentenceFacts, feature_layers, load_model
from parallax.claims.similarity import quoted_run, word_ngrams
from parallax.model import Article


def test_word_ngrams_ignore_case_and_quote_marks() -> None:
    assert ("we", "will", "not") in word_ngrams("“We will not settle,” she said", 3)
    quoted = "He said “we will not settle for less” today"
    assert word_ngrams(quoted, 6) & word_ngrams("we will not settle for less.", 6)
    assert not word_ngrams(quoted, 7) & word_ngrams("we will not settle for less.", 7)
    assert not word_ngrams("alpha beta", 1) & word_ngrams("gamma delta", 1)


def _facts(
    lemmas: set[str], entities: tuple[str, ...] = (), numbers: tuple[str, ...] = (), negated: bool = False
):
    return SentenceFacts(
        frozenset(lemmas), frozenset(entities), frozenset(numbers), negated, max(len(lemmas), 1)
    )


def test_a_quoted_run_lies_inside_quotation_marks_on_one_side() -> None:
    words = "we will not settle for anything less than a full apology"
    assert quoted_run(f"“{words},” she said.", f"She said {words}.", 8)
    assert not quoted_run(f"She said {words}.", f"Officials said {words} on Monday.", 8)
    assert not quoted_run("“We will not settle,” she said.", "We will not settle, she said.", 8)
    title = "Harry Potter and the Order of the Phoenix"
    assert not quoted_run(f"Crates of “{title}” arrived.", f"Orders for {title} topped a million.", 8)


def test_feature_layers_cover_every_feature_as_pair_matrices() -> None:
    facts = [
        _facts({"storm", "city"}, ("miami",), ("12",)),
        _facts({"storm", "power"}, ("miami",), ("15",), negated=True),
        _facts(set()),
    ]
    layers = dict(feature_layers(facts, np.eye(3, dtype=np.float32)))
    assert tuple(layers) == FEATURES and all(m.shape == (3, 3) for m in layers.values())
    assert layers["word_overlap"][0, 1] == pytest.approx(0.5)  # Dice 2*1/(2+2)
    assert layers["entity_overlap"][0, 1] == pytest.approx(1.0) and layers["entities_either"][2, 2] == 0
    assert layers["numbers_differ"][0, 1] == 1 and layers["negation_one_side"][0, 1] == 1
    assert layers["cosine"][0, 1] == 0 and layers["cosine"][0, 0] == pytest.approx(1.0)


def test_same_fact_probability_is_symmetric_and_falls_with_disagreement() -> None:
    model = load_model()
    assert set(model.weights) == set(FEATURES)
    emb = np.asarray([[1.0, 0.0], [0.96, 0.28], [0.96, 0.28]], dtype=np.float32)
    same = _facts({"storm", "hit", "city"}, ("miami",), ("12",))
    agree = _facts({"storm", "hit", "city"}, ("miami",), ("12",))
    differ = _facts({"storm", "hit", "city"}, ("miami",), ("15",), negated=True)
    p = model.probability([same, agree, differ], emb)
    assert np.allclose(p, p.T) and ((p >= 0) & (p <= 1)).all()
    assert p[0, 1] > p[0, 2]  # a different figure and a negation on one side lower the probability


A = Article(
    id="a",
    text=(
        "The storm killed 12 people in the coastal city on Monday.\n"
        "Officials said power was cut to 40,000 homes.\n"
        "The mayor thanked volunteers at a press conference."
    ),
)
B = Article(
    id="b",
    text=(
        "Twelve people died when the storm hit the coastal city on Monday.\n"
        "Power was cut to 55,000 homes, officials said.\n"
        "Football fans celebrated the league title in the capital."
    ),
)


@pytest.fixture(scope="module")
def pair(parse_many):
    return parse_many([A, B])


@pytest.mark.model
def test_every_sentence_lands_in_exactly_one_claim(pair, settings) -> None:
    claims = build_claims(pair, settings)
    seen = [m.sentence for c in claims for m in c.members]
    assert sorted(seen) == sorted(s.id for p in pair for s in p.sentences)
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]


@pytest.mark.model
def test_same_fact_is_shared_and_unrelated_stays_exclusive(pair, settings) -> None:
    claims = build_claims(pair, settings)
    by_sentence = {m.sentence: c for c in claims for m in c.members}
    storm = by_sentence["a-s1"]
    assert storm.kind in ("shared", "partial") and "b-s1" in {m.sentence for m in storm.members}
    assert by_sentence["a-s3"].kind == "exclusive"
    assert by_sentence["b-s3"].kind == "exclusive"
    assert all(0.0 <= c.score <= 1.0 for c in claims)


@pytest.mark.model
def test_single_article_gives_only_exclusive_claims(parse, settings) -> None:
    claims = build_claims([parse("One fact here. Another fact there.")], settings)
    assert {c.kind for c in claims} == {"exclusive"}


def test_shared_claims_form_first_and_a_sentence_left_alone_joins_its_best_claim(settings) -> None:
    """Shared claims form at the shared threshold; overlaps group among what is left; a sentence
    still alone joins the claim it holds to at the partial threshold instead of being called exclusive."""
    m = np.array([[0.80, 0.30, 0.20], [0.60, 0.20, 0.10], [0.10, 0.58, 0.56]], dtype=np.float32)
    strong = {((0, 0), (1, 0)): 0.80}
    weak = {((0, 1), (1, 0)): 0.60, ((0, 2), (1, 1)): 0.58, ((0, 2), (1, 2)): 0.56}
    story = np.block([[np.zeros((3, 3)), m], [m.T, np.zeros((3, 3))]]).astype(np.float32)
    groups = claim_groups(Alignment(story, (0, 3), ("a", "b"), strong, weak), settings)
    assert groups[1:] == [{(0, 2), (1, 1), (1, 2)}]
    assert groups[0] == {(0, 0), (1, 0), (0, 1)}  # (0, 1) was left out of both passes, then joined
    looser = {edge: score * 0.9 for edge, score in weak.items()}  # a weak edge's score is its similarity
    loose = claim_groups(Alignment(story * 0.9, (0, 3), ("a", "b"), strong, looser), settings)
    assert all((0, 1) not in g for g in loose)  # 0.54 to the claim's other outlet: it stays alone


@pytest.mark.model
def test_one_outlet_printed_twice_is_one_voice(parse_many, settings) -> None:
    """The same wire copy in two articles of one outlet is not agreement; a second outlet makes it shared."""
    text = "The storm killed 12 people in the coastal city on Monday, officials said."
    same = parse_many([Article(id=x, text=text, outlet="Wire") for x in ("a", "b")])
    claims = build_claims(same, settings)
    assert [c.kind for c in claims] == ["exclusive"] and len(claims[0].members) == 2
    mixed = parse_many([*(Article(id=x, text=text, outlet="Wire") for x in "ab"), Article(id="c", text=text)])
    assert build_claims(mixed, settings)[0].kind == "shared"


@pytest.mark.model
def test_section_headings_are_no_fact_but_headlines_are(parse_many, settings) -> None:
    text = (
        "Storm kills 12 in coastal city\n"
        "The storm killed 12 people in the coastal city on Monday.\n"
        "The big picture\n"
        "It is the third storm to hit the region this year.\n"
        "What they're saying\n"
        "The mayor thanked volunteers.\n"
        "Go deeper"
    )
    parsed = parse_many([Article(id="a", outlet="X", text=text)])
    left_out = [s.text for s in parsed[0].sentences if s.boilerplate]
    assert left_out == ["The big picture", "What they're saying", "Go deeper"]
    claimed = [m.text for c in build_claims(parsed, settings) for m in c.members]
    assert "Storm kills 12 in coastal city" in claimed and "The big picture" not in claimed


@pytest.mark.model
def test_boilerplate_sentences_join_no_claim(parse_many, settings) -> None:
    import dataclasses

    text = "Photo: Reuters.\nThe storm killed 12 people in the coastal city on Monday."
    parsed = parse_many([Article(id="a", text=text), Article(id="b", text=text)])
    parsed = [
        dataclasses.replace(
            p, sentences=(dataclasses.replace(p.sentences[0], boilerplate=True), *p.sentences[1:])
        )
        for p in parsed
    ]
    by_sentence = {m.sentence: c for c in build_claims(parsed, settings) for m in c.members}
    assert "a-s1" not in by_sentence and "b-s1" not in by_sentence  # marked, kept out of every claim
    assert by_sentence["a-s2"].kind == "shared"


def test_claims_across_outlets_say_why_and_what_differs(parse_many, settings) -> None:
    parsed = parse_many(
        [
            Article(text="Twelve people were killed in the bomb blast in Kabul.", id="a", outlet="X"),
            Article(text="At least 15 were killed in a bomb blast in Kabul.", id="b", outlet="Y"),
        ]
    )
    claims = build_claims(parsed, settings)
    joined = [c for c in claims if c.kind != "exclusive"]
    assert len(joined) == 1 and joined[0].evidence is not None
    evidence = joined[0].evidence
    assert 0.0 <= evidence.probability <= 1.0
    assert "Kabul" in evidence.entities and "kill" in evidence.words
    assert all(c.evidence is None for c in claims if c.kind == "exclusive")
    assert joined[0].to_dict()["evidence"]["probability"] == evidence.probability


@pytest.mark.model
def test_exclusives_are_ranked_per_outlet_by_salience(parse_many, settings) -> None:
    parsed = parse_many(
        [
            Article(
                id="a",
                text=(
                    "The storm killed 12 people in the coastal city on Monday.\n"
                    "It was a grey day.\n"
                    "Governor Maria Lopez sent 300 soldiers and 40 trucks to Port Alba."
                ),
            ),
            Article(id="b", text="Twelve people died when the storm hit the coastal city on Monday."),
        ]
    )
    claims = build_claims(parsed, settings)
    own = [c for c in claims if c.kind == "exclusive" and c.members[0].article == "a"]
    assert [c.members[0].sentence for c in own] == ["a-s3", "a-s2"]  # names and figures outrank the filler
    assert all(c.salience is not None and 0.0 <= c.salience <= 1.0 for c in own)
    assert own[0].salience > own[1].salience
    assert all(c.salience is None for c in claims if c.kind != "exclusive")


@pytest.mark.model
def test_one_fact_told_in_two_sentences_joins_the_sentence_that_tells_it_whole(parse_many, settings) -> None:
    parsed = parse_many(
        [
            Article(
                id="a",
                text="The storm killed 12 people in the coastal city and cut power to 40,000 homes on Monday",
            ),
            Article(
                id="b",
                text=(
                    "The storm killed 12 people in the coastal city on Monday.\n"
                    "The storm also cut power to 40,000 homes in the coastal city.\n"
                    "Football fans celebrated the league title in the capital."
                ),
            ),
        ]
    )
    by_sentence = {m.sentence: c for c in build_claims(parsed, settings) for m in c.members}
    assert by_sentence["a-s1"] is by_sentence["b-s1"] is by_sentence["b-s2"]
    assert by_sentence["b-s3"].kind == "exclusive"
