"""Fact clauses: where a sentence carries a second fact, and what one report adds to a shared one."""

from __future__ import annotations

import pytest

from parallax.claims import build_claims
from parallax.claims.clauses import added_clauses, content_lemmas, fact_clauses
from parallax.model import Article

pytestmark = pytest.mark.model


def _clauses(parse, text: str):
    return [c for s in parse(text).sentences for c in fact_clauses(s.span)]


def test_a_sentence_with_one_fact_is_one_clause(parse) -> None:
    clauses = _clauses(parse, "The storm killed 12 people in the coastal city on Monday.")
    assert len(clauses) == 1 and not clauses[0].frame
    assert {"storm", "kill", "12", "people"} <= clauses[0].lemmas


def test_coordinated_and_participle_clauses_split(parse) -> None:
    texts = [
        c.text for c in _clauses(parse, "Sosa was suspended for eight games, and he immediately appealed.")
    ]
    assert texts == ["Sosa was suspended for eight games", "he immediately appealed"]
    adding = _clauses(
        parse, "The mayor said the bridge will reopen in May, adding that repairs cost $4 million."
    )
    assert any("repairs cost $4 million" in c.text for c in adding)


def test_the_reporting_frame_is_no_fact(parse) -> None:
    clauses = _clauses(parse, '"We will rebuild the bridge," the mayor said.')
    frames = [c for c in clauses if c.frame]
    facts = [c for c in clauses if not c.frame]
    assert frames and "said" in frames[0].text
    assert [c.text for c in facts] == ["We will rebuild the bridge"]


def test_only_what_one_side_adds_beside_a_fact_both_tell(parse) -> None:
    longer = _clauses(
        parse, "Sosa was suspended for eight games on Friday, and he immediately appealed the ruling."
    )
    shorter = content_lemmas(parse("Sosa was suspended for eight games on Friday.").sentences[0].span)
    assert [c.text for c in added_clauses(longer, shorter)] == ["he immediately appealed the ruling"]
    # Nothing the other side tells in the same words: a paraphrase is the decision's to judge, not added.
    unrelated = content_lemmas(parse("Football fans celebrated the league title.").sentences[0].span)
    assert added_clauses(longer, unrelated) == []
    # One fact clause adds nothing beside itself.
    assert added_clauses(_clauses(parse, "Sosa was suspended for eight games on Friday."), unrelated) == []


def test_the_same_words_with_a_fact_added_are_partial_and_say_what_was_added(parse_many, settings) -> None:
    copied = (
        "Sammy Sosa was suspended for eight games by major league baseball on Friday for using a corked bat"
    )
    parsed = parse_many(
        [
            Article(id="a", outlet="X", text=f"{copied}."),
            Article(
                id="b", outlet="Y", text=f"{copied}, and he immediately appealed the decision to the league."
            ),
        ]
    )
    joined = [c for c in build_claims(parsed, settings) if c.kind != "exclusive"]
    assert len(joined) == 1
    assert joined[0].evidence is not None
    assert any(d.startswith("only in Y:") and "appealed" in d for d in joined[0].evidence.differs)
