"""The shared word lists: every list loads from package data, is non-empty and lower-case."""

from __future__ import annotations

from importlib import resources

import pytest

import parallax.lexicon as lexicon


def _files() -> list[str]:
    data = resources.files("parallax.lexicon").joinpath("data")
    return sorted(f.name.removesuffix(".txt") for f in data.iterdir() if f.name.endswith(".txt"))


@pytest.mark.parametrize("name", _files())
def test_every_list_loads_non_empty_and_lower_case(name: str) -> None:
    words = lexicon.words(name)
    assert words
    assert all(w == w.lower() and w == w.strip() and not w.startswith("#") for w in words)


_TABLES = ("DEMONYMS", "GIVEN_NAME_FORMS", "POSSESSIVES")


def test_every_exported_list_is_a_non_empty_frozenset() -> None:
    lists = [n for n in lexicon.__all__ if n.isupper() and n not in _TABLES]
    assert lists
    for n in lists:
        value = getattr(lexicon, n)
        assert isinstance(value, frozenset) and value, n


@pytest.mark.parametrize("name", _TABLES)
def test_tables_map_lower_case_keys_to_non_empty_sets(name: str) -> None:
    table = getattr(lexicon, name)
    assert table
    for key, values in table.items():
        assert key == key.lower().strip() and ":" not in key
        assert isinstance(values, frozenset) and values and all(v == v.lower().strip() and v for v in values)


def test_lists_are_read_once() -> None:
    assert lexicon.words("cue_verbs") is lexicon.words("cue_verbs")


def test_composed_lists_and_cues() -> None:
    assert lexicon.PERSON_PRONOUNS | lexicon.GROUP_PRONOUNS <= lexicon.PRONOUNS
    assert {"mr", "minister", "former"} <= lexicon.NAME_PREFIXES
    assert lexicon.is_cue("Say") and not lexicon.is_cue("eat")
    # Plain reporting verbs are left out of framing; loaded cues are not plain.
    assert "blast" in lexicon.CUE_LEMMAS and "blast" not in lexicon.PLAIN_REPORTING
