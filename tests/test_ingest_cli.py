"""`parallax ingest` and `parallax stories --db` through typer's CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text as sql
from typer.testing import CliRunner

from parallax.cli import app
from parallax.model import Article, Report
from parallax.settings import Settings
from parallax.store import open_store
from tests.postgres import BACKENDS, database_url, postgres_server
from tests.test_report import sample_report
from tests.test_store import story_text
from tests.test_stories import fake_embed

__all__ = ["postgres_server"]  # the session fixture, imported so pytest finds it


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_url(request, tmp_path)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    records = [
        {"id": "r1", "outlet": "A", "text": story_text(1)},
        {"id": "r2", "outlet": "B", "text": story_text(2)},
        {"id": "r3", "outlet": "A", "text": story_text(3)},
    ]
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (folder / "one.txt").write_text(f"A headline\n\n{story_text(4)}\n", encoding="utf-8")
    return folder


@pytest.fixture
def grouped(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Embed without the model (bag of words); records the leads of every batch embedded."""
    batches: list[list[str]] = []

    def embed(texts: Sequence[str], settings: Settings) -> np.ndarray:
        batches.append(list(texts))
        return fake_embed(texts)

    monkeypatch.setattr("parallax.stories.cluster.embed_texts", embed)
    return batches


def test_ingest_stores_then_reports_duplicates(runner: CliRunner, db: str, corpus: Path) -> None:
    first = runner.invoke(app, ["ingest", str(corpus), "--db", db])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Stored 4 of 4 article(s) from 2 source(s)")
    assert "0 duplicate(s), 0 refused, 0 failed." in first.stdout
    again = runner.invoke(app, ["ingest", str(corpus), str(corpus / "missing.txt"), "--db", db])
    assert again.exit_code == 0, again.output
    assert "Stored 0 of 4 article(s) from 3 source(s)" in again.stdout
    assert "4 duplicate(s), 0 refused, 1 failed." in again.stdout
    assert "  duplicate (same id): 4" in again.stdout
    assert f"  failed: {corpus / 'missing.txt'}: no such file" in again.stdout


def test_ingest_of_nothing_readable_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "missing.txt"), "--db", f"sqlite:///{tmp_path / 'x.db'}"]
    )
    assert result.exit_code == 2
    assert "Error: no source gave an article to store" in result.stderr


def test_ingest_bad_url_is_an_error_line(runner: CliRunner, corpus: Path) -> None:
    result = runner.invoke(app, ["ingest", str(corpus), "--db", "mysql://me@host/db"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: parallax stores articles in SQLite or PostgreSQL, not mysql")
    assert "Hint: give sqlite:///" in result.stderr


def test_stories_from_the_store_in_stored_order(
    runner: CliRunner, db: str, corpus: Path, grouped: list[list[str]]
) -> None:
    assert runner.invoke(app, ["ingest", str(corpus / "feed.jsonl"), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["stories", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [  # random words: each its own story
        {"id": "r1", "story": "s1"},
        {"id": "r2", "story": "s2"},
        {"id": "r3", "story": "s3"},
    ]
    assert runner.invoke(app, ["stories", "--db", db, "--format", "jsonl"]).stdout == result.stdout
    assert len(grouped) == 1  # nothing new: the stored stories are read back, not grouped again
    more = runner.invoke(app, ["stories", str(corpus / "one.txt"), "--db", db, "--format", "jsonl"])
    assert more.exit_code == 0, more.output
    assert "Stored 1 of 1 article(s)" in more.stderr
    assert [json.loads(line)["id"] for line in more.stdout.splitlines()] == [
        "r1",
        "r2",
        "r3",
        str(corpus / "one.txt"),
    ]
    assert len(grouped) == 2 and len(grouped[1]) == 1  # only the new article was placed


def test_stories_knobs_are_options(runner: CliRunner, tmp_path: Path, grouped: list[list[str]]) -> None:
    rows = [
        {
            "id": "a",
            "text": "Peru quake: a strong earthquake struck Lima, killing 12.",
            "published": "2024-03-01",
        },
        {"id": "b", "text": "Lima earthquake in Peru killed 12, rescuers said.", "published": "2024-03-05"},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    def stories(*options: str) -> list[str]:
        result = runner.invoke(app, ["stories", str(corpus), "-f", "jsonl", *options])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["story"] for line in result.stdout.splitlines()]

    assert stories() == ["s1", "s1"]
    assert stories("--window-days", "2") == ["s1", "s2"]  # the first story closed before b came
    assert stories("--threshold", "1") == ["s1", "s2"]
    bad = runner.invoke(app, ["stories", str(corpus), "--threshold", "2"])
    assert bad.exit_code == 2 and "--threshold" in bad.stderr


def test_compare_a_stored_story(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, grouped: list[list[str]]
) -> None:
    seen: list[list[str]] = []

    def fake_compare(articles: Sequence[Article], settings: Settings | None = None) -> Report:
        seen.append([a.id or "" for a in articles])
        return sample_report()

    monkeypatch.setattr("parallax.cli.compare", fake_compare)
    rows = [
        {"id": "a", "text": "Peru quake: a strong earthquake struck Lima, killing 12.", "outlet": "X"},
        {"id": "b", "text": "Lima earthquake in Peru killed 12, rescuers said.", "outlet": "Y"},
        {"id": "c", "text": "Norway's Storting in Oslo passed the budget.", "outlet": "Z"},
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'n.db'}"
    listed = runner.invoke(app, ["stories", str(corpus), "--db", db, "-f", "jsonl"])
    assert [json.loads(line)["story"] for line in listed.stdout.splitlines()] == ["s1", "s1", "s2"]
    result = runner.invoke(app, ["compare", "--story", "s1", "--db", db, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert seen == [["a", "b"]] and json.loads(result.stdout)["schema"] == "parallax.report/1"
    with open_store(db, Settings()) as store, store.engine.connect() as conn:
        assert conn.execute(sql("select count(*) from reports where story_key is not null")).scalar() == 1
    alone = runner.invoke(app, ["compare", "--story", "s2", "--db", db])
    assert alone.exit_code == 2 and "a comparison needs two or more" in alone.stderr
    missing = runner.invoke(app, ["compare", "--story", "s9", "--db", db])
    assert missing.exit_code == 2 and "holds no story 's9'" in missing.stderr
    both = runner.invoke(app, ["compare", str(corpus), "--story", "s1", "--db", db])
    assert both.exit_code == 2 and "Error: --story compares a stored story's articles" in both.stderr
    nothing = runner.invoke(app, ["compare"])
    assert nothing.exit_code == 2 and "Error: nothing to compare" in nothing.stderr


def test_stories_without_files_reads_the_default_store(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, corpus: Path, grouped: list[list[str]]
) -> None:
    monkeypatch.setenv("PARALLAX_DB_URL", f"sqlite:///{tmp_path / 'env.db'}")
    empty = runner.invoke(app, ["stories"])
    assert empty.exit_code == 2
    assert "holds no articles" in empty.stderr
    assert runner.invoke(app, ["ingest", str(corpus)]).exit_code == 0
    result = runner.invoke(app, ["stories", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 4


@pytest.mark.model
def test_stories_from_the_store_for_real(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    quake = "A strong earthquake struck the coast of {} on Monday, killing dozens and destroying homes."
    vote = "Parliament in {} voted on Tuesday to approve the national budget after a long debate."
    for i, text in enumerate(
        [quake.format("Peru"), vote.format("Norway"), quake.format("Peru") + " Aid arrived."]
    ):
        (folder / f"{i}.txt").write_text(text + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'real.db'}"
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    result = runner.invoke(app, ["stories", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    stories = [json.loads(line)["story"] for line in result.stdout.splitlines()]
    assert len(stories) == 3
    assert stories[0] == stories[2] != stories[1]
