"""Settings: every field documented and bounded, and a changed threshold reaches the stage that uses it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from pydantic.fields import FieldInfo

from parallax.entities.names import similar
from parallax.errors import ConfigError
from parallax.settings import Settings, load_settings
from parallax.timeline.extract import Mention, merge_mentions
from parallax.timeline.resolve import resolve

FIELDS = sorted(Settings.model_fields.items())


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[name for name, _ in FIELDS])
def test_every_field_has_a_description(name: str, field: FieldInfo) -> None:
    description = field.description
    assert description and len(description.split()) >= 3, f"{name} needs a description saying what it tunes"


NUMERIC = [(name, field) for name, field in FIELDS if field.annotation in (int, float)]


@pytest.mark.parametrize(("name", "field"), NUMERIC, ids=[name for name, _ in NUMERIC])
def test_every_number_is_bounded(name: str, field: FieldInfo) -> None:
    assert any(hasattr(m, "ge") or hasattr(m, "gt") for m in field.metadata), f"{name} needs a lower bound"
    with pytest.raises(ConfigError, match=name):
        load_settings(**{name: -1_000_000})


def test_weekday_limit_reaches_date_resolution() -> None:
    pub = dt.date(2024, 12, 3)  # a Tuesday: the Friday before is 4 days back
    assert resolve("Friday", pub, Settings()).when == "2024-12-06"  # type: ignore[union-attr]
    moved = resolve("Friday", pub, Settings(timeline_weekday_back_days=4))
    assert moved is not None and moved.when == "2024-11-29"


def test_merge_threshold_reaches_the_timeline() -> None:
    mentions = [
        Mention("a", 0, 0, "2024-12-03", "Tuesday", "Ministers met on Tuesday.", True),
        Mention("b", 0, 1, "2024-12-03", "Tuesday", "The talks opened on Tuesday.", True),
    ]
    vectors = [np.array([1.0, 0.0]), np.array([0.8, 0.6])]  # cosine 0.8
    assert len(merge_mentions(mentions, vectors, Settings())) == 1
    assert len(merge_mentions(mentions, vectors, Settings(timeline_merge_threshold=0.9))) == 2


def test_name_length_gate_reaches_entity_matching() -> None:
    assert not similar("bush", "busch", Settings())
    assert similar("bush", "busch", Settings(entity_fuzzy_min_chars=4))
