"""Articles, dates, settings and the report records' JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from parallax import Article, ConfigError, Settings
from parallax.model import Claim, ClaimMember, Report, Speaker, Term, parse_date
from parallax.settings import load_settings


def test_article_takes_iso_strings_and_dates() -> None:
    assert Article(text="x", published="2024-12-03").published == dt.date(2024, 12, 3)
    assert Article(text="x", published="2024-12-03T10:00:00Z").published == dt.date(2024, 12, 3)
    assert Article(text="x", published=dt.datetime(2024, 1, 2, 3, 4)).published == dt.date(2024, 1, 2)
    assert Article(text="x").published is None


def test_bad_date_is_a_config_error_with_a_hint() -> None:
    with pytest.raises(ConfigError, match="publication date") as info:
        parse_date("next Tuesday")
    assert "YYYY-MM-DD" in str(info.value)


def test_article_text_must_be_a_string() -> None:
    with pytest.raises(ConfigError):
        Article(text=None)  # type: ignore[arg-type]


def test_report_to_dict_is_json_ready() -> None:
    report = Report(
        articles=(),
        claims=(Claim("c1", "exclusive", (ClaimMember("a", "a-s1", "Text."),), 1.0),),
        quotes=(),
        quote_matches=(),
        entities=(),
        framing=(),
        distinctive_terms={"a": (Term("word", 2, 0.5),)},
        conflicts=(),
        timeline=(),
    )
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema"] == "parallax.report/1"
    assert data["claims"][0]["members"][0] == {"article": "a", "sentence": "a-s1", "text": "Text."}
    assert data["distinctive_terms"]["a"][0] == {"text": "word", "count": 2, "score": 0.5}
    assert Speaker("X").to_dict() == {"name": "X", "entity": None}
    with pytest.raises(KeyError, match="no article 'zz'"):
        report.article("zz")


def test_settings_from_env_and_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_SHARED_THRESHOLD", "0.9")
    assert Settings().shared_threshold == 0.9
    with pytest.raises(ConfigError, match="partial_threshold"):
        load_settings(shared_threshold=0.3, partial_threshold=0.5)
    with pytest.raises(ConfigError, match="batch_size"):
        load_settings(batch_size=0)


@pytest.mark.model
def test_loading_the_embedder_sets_no_environment_and_reads_only_local_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A library is a guest: loading leaves os.environ and transformers' progress bars as they were."""
    import os

    import sentence_transformers  # noqa: F401  (torch sets its own variables on import)
    from transformers.utils import logging as transformers_logging

    from parallax.nlp import clear_cache, load_embedder

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    before = dict(os.environ)
    bars = transformers_logging.is_progress_bar_enabled()
    clear_cache()
    model = load_embedder(Settings().embedding_model)
    assert dict(os.environ) == before
    assert transformers_logging.is_progress_bar_enabled() == bars
    assert model.encode(["A sentence."]).shape == (1, 384)
