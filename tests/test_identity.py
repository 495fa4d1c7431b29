"""One identity rule for people (entities, quotes, framing) and demonyms from a table."""

from __future__ import annotations

import pytest

from parallax.entities.identity import Identity, demonym_place, identity, name_tokens, same_person
from parallax.settings import Settings


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Joe Biden", "Jill Biden", Identity.DIFFERENT),
        ("Ivana Trump", "Ivanka Trump", Identity.DIFFERENT),
        ("Biden", "Joe Biden", Identity.PARTIAL),
        ("Mr. Trump", "Donald Trump", Identity.PARTIAL),
        ("J. Biden", "Joe Biden", Identity.PARTIAL),  # an initial could be Joe or Jill: a caller with both
        ("J. Biden", "Jill Biden", Identity.PARTIAL),  # candidates treats it as ambiguous
        ("H. Biden", "Joe Biden", Identity.DIFFERENT),  # the initial conflicts
        ("Donald Trump", "Donald Trump Jr.", Identity.DIFFERENT),
        ("Trump", "Donald Trump Jr.", Identity.PARTIAL),
        ("George W. Bush", "George H. W. Bush", Identity.DIFFERENT),
        ("Joe Biden", "Joseph R. Biden", Identity.SAME),  # a short form of the given name
        ("President Joe Biden", "Joe Biden", Identity.SAME),
        ("Vladimir Zelensky", "Volodymyr Zelenskyy", Identity.SAME),  # transliterations
        ("Sergei Lavrov", "Sergey Lavrov", Identity.SAME),
        ("Zelenskyy", "Volodymyr Zelensky", Identity.PARTIAL),
        ("Kim Jong", "Kim Jong Un", Identity.PARTIAL),
        ("Bush", "Busch", Identity.DIFFERENT),  # too short to judge by spelling
        ("Andrew Smith", "Foreign Ministry", Identity.DIFFERENT),
    ],
)
def test_identity(a: str, b: str, expected: Identity) -> None:
    assert identity(a, b) is expected
    assert identity(b, a) is expected


def test_same_person_is_not_different_and_follows_settings() -> None:
    assert same_person("Biden", "Joe Biden") and same_person("Mr. Trump", "Donald Trump")
    assert not same_person("Joe Biden", "Jill Biden") and not same_person("Ivana Trump", "Ivanka Trump")
    assert same_person("Zelensky", "Zelenskyy")  # rapidfuzz ratio 94
    assert not same_person("Zelensky", "Zelenskyy", Settings(entity_match_threshold=95))


def test_name_tokens_drop_titles_and_articles() -> None:
    assert name_tokens("Former Foreign Minister Dmytro Kuleba") == ["dmytro", "kuleba"]
    assert name_tokens("the White House") == ["house"]
    assert name_tokens("Mr. Trump") == ["trump"]
    assert name_tokens("DNC Chair Tom Perez") == ["tom", "perez"]
    assert name_tokens("Martin Luther King Jr.") == ["martin", "luther", "king", "jr"]
    assert name_tokens("Billie Jean King") == ["billie", "jean", "king"]


@pytest.mark.parametrize(
    ("demonym", "place"),
    [
        ("Austrian", "austria"),
        ("Australian", "australia"),
        ("Dutch", "netherlands"),
        ("Ukrainian", "ukraine"),
        ("Ukrainians", "ukraine"),
        ("American", "united states"),
        ("American", "us"),
        ("North Korean", "north korea"),
    ],
)
def test_demonyms_from_the_table(demonym: str, place: str) -> None:
    assert place in demonym_place(demonym)


def test_a_demonym_is_not_a_place_that_shares_its_stem() -> None:
    assert "australia" not in demonym_place("Austrian")
    assert "austria" not in demonym_place("Australian")
    assert "finland" not in demonym_place("French")
    assert demonym_place("Martian") == frozenset()
