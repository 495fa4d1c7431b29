"""End to end on the example story: every contract section, every sentence placed once."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from parallax import Article, ConfigError, Report, compare
from parallax.pipeline import StageTimer, assume_dates
from tests.conftest import EXAMPLES

STORY = [EXAMPLES / "nato-membership" / "a.txt", EXAMPLES / "nato-membership" / "b.txt"]
SECTIONS = ["articles", "claims", "quotes", "quote_matches", "entities", "framing", "distinctive_terms",
            "conflicts", "timeline"]  # fmt: skip
# The two reports agree on every figure and date, and credit quotes differently without
# contradicting each other: that is an attribution difference, not a conflict.
EMPTY_ON_THE_EXAMPLE = {"conflicts"}


def test_undated_articles_take_the_latest_date_of_the_others() -> None:
    arts = [Article(text="x", id="a", published="2024-05-01"), Article(text="y", id="b")]
    dated, assumed = assume_dates(arts)
    assert [a.published for a in dated] == [dt.date(2024, 5, 1)] * 2 and assumed == {"b"}
    dated, assumed = assume_dates([Article(text="x", id="a")], today=dt.date(2026, 1, 2))
    assert dated[0].published == dt.date(2026, 1, 2) and assumed == {"a"}


def test_compare_needs_an_article() -> None:
    with pytest.raises(ConfigError, match="at least one article"):
        compare([])
    with pytest.raises(ConfigError, match="not int"):
        compare([3])  # type: ignore[list-item]


@pytest.fixture(scope="module")
def report() -> Report:
    arts = [
        Article(text=p.read_text(encoding="utf-8"), id=p.stem, path=str(p), published="2024-12-03")
        for p in STORY
    ]
    return compare(arts)


@pytest.mark.model
def test_every_section_is_filled(report: Report) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema"] == "parallax.report/1"
    for section in SECTIONS:
        assert section in data and (data[section] or section in EMPTY_ON_THE_EXAMPLE), f"{section} is empty"
    assert {c["kind"] for c in data["claims"]} >= {"shared", "exclusive"}


@pytest.mark.model
def test_every_sentence_in_exactly_one_claim_and_ids_unique(report: Report) -> None:
    sentence_ids = [s.id for a in report.articles for s in a.sentences]
    statements = [s.id for a in report.articles for s in a.sentences if not s.boilerplate]
    placed = [m.sentence for c in report.claims for m in c.members]
    assert sorted(placed) == sorted(statements)  # credit lines and section headings join no claim
    ids = [c.id for c in report.claims] + [q.id for q in report.quotes] + [e.id for e in report.entities]
    assert len(ids) == len(set(ids)) and not set(ids) & set(sentence_ids)


@pytest.mark.model
def test_references_point_at_real_things(report: Report) -> None:
    articles = {a.id: a for a in report.articles}
    sentences = {s.id: s for a in report.articles for s in a.sentences}
    for a in report.articles:
        text = next(p for p in STORY if p.stem == a.id).read_text(encoding="utf-8")
        for s in a.sentences:
            assert s.text and s.text in text
    for q in report.quotes:
        assert q.article in articles and q.sentence in sentences
    entity_ids = {e.id for e in report.entities}
    assert all(q.speaker.entity in entity_ids for q in report.quotes if q.speaker and q.speaker.entity)
    quote_ids = {q.id for q in report.quotes}
    assert all(set(m.quotes) <= quote_ids for m in report.quote_matches)
    assert all(set(t.articles) <= set(articles) for t in report.timeline)


@pytest.mark.model
def test_paths_are_read_and_undated_input_is_noted() -> None:
    timer = StageTimer()
    report = compare([str(p) for p in STORY], timer=timer)
    assert report.articles[0].title == "Kiev demands clarity on NATO membership path"
    assert report.articles[0].published_assumed and report.notes
    assert {"parse", "claims", "quotes", "timeline"} <= set(timer.seconds)


@pytest.mark.model
def test_one_article_still_has_quotes_entities_timeline() -> None:
    text = (
        'The mayor of Springfield, Jane Doe, said on Monday that the bridge "will reopen next week".\n'
        "Repairs began in March 2023 after a flood."
    )
    report = compare(Article(text=text, published="2024-05-08"))
    assert report.quotes and report.entities and report.timeline
    assert {c.kind for c in report.claims} == {"exclusive"}


def test_bad_environment_setting_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_SHARED_THRESHOLD", "high")
    with pytest.raises(ConfigError, match="shared_threshold"):
        compare(Article(text="A sentence."))
