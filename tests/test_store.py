"""The article store on SQLite and on a real PostgreSQL server: schema, duplicates, transactions, kill -9."""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from parallax.errors import StoreError
from parallax.ingest import Fetcher, IngestOptions
from parallax.model import Article
from parallax.settings import Settings
from parallax.store import Store, canonical_url, default_url, ingest_sources, open_store, resolve_url
from parallax.store.engine import migration_config
from parallax.store.models import Base
from parallax.stories import StoryAssignment
from tests.postgres import BACKENDS, database_url, postgres_server
from tests.test_report import sample_report

__all__ = ["postgres_server"]  # the session fixture, imported so pytest finds it

WORDS = [f"{a}{b}" for a in ("tra", "mon", "sel", "dur", "pik", "oba", "nel", "fus") for b in range(250)]


def story_text(seed: int, words: int = 120) -> str:
    """A distinct text: random words, so no two seeds share many 3-word shingles."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_url(request, tmp_path)


@pytest.fixture
def store(db_url: str) -> Store:
    with open_store(db_url, Settings()) as opened:
        yield opened


def test_migrations_make_the_models_schema_at_head(store: Store) -> None:
    with store.engine.connect() as conn:
        config = migration_config(conn)
        head = ScriptDirectory.from_config(config).get_current_head()
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []
    tables = set(inspect(store.engine).get_table_names())
    assert {"articles", "stories", "story_members", "reports", "report_articles", "cache"} <= tables


def test_reopening_keeps_the_articles(db_url: str) -> None:
    with open_store(db_url, Settings()) as first:
        assert first.add(Article(text=story_text(1), id="one")).outcome == "stored"
    with open_store(db_url, Settings()) as again:
        assert [a.id for a in again.articles()] == ["one"]


def test_duplicates_by_id_url_text_and_near_text(store: Store) -> None:
    base = story_text(1, 300)
    assert (
        store.add(Article(text=base, id="a", url="https://News.example.com/story?id=7")).outcome == "stored"
    )
    same_id = store.add(Article(text=story_text(2), id="a"))
    assert (same_id.outcome, same_id.reason) == ("duplicate", "same id")
    same_url = store.add(
        Article(text=story_text(3), id="b", url="HTTPS://news.EXAMPLE.com:443/story?utm_source=x&id=7#top")
    )
    assert (same_url.outcome, same_url.duplicate_of, same_url.reason) == ("duplicate", "a", "same URL")
    same_text = store.add(Article(text=base, id="c"))
    assert (same_text.duplicate_of, same_text.reason) == ("a", "same text")
    near = store.add(Article(text=base.replace(base.split()[150], "changed", 1), id="d"))
    assert near.outcome == "duplicate" and near.duplicate_of == "a"
    assert near.reason is not None and near.reason.startswith("near-identical text (Jaccard")
    assert store.add(Article(text=story_text(4), id="e")).outcome == "stored"
    assert [a.id for a in store.articles()] == ["a", "e"]


def test_near_copies_are_found_after_reopening(db_url: str) -> None:
    """The MinHash index is rebuilt from the signatures in the database."""
    base = story_text(5, 300)
    with open_store(db_url, Settings()) as first:
        first.add(Article(text=base, id="a"))
    with open_store(db_url, Settings()) as again:
        near = again.add(Article(text=base + " One more sentence.", id="b"))
    assert (near.outcome, near.duplicate_of) == ("duplicate", "a")


def test_id_falls_back_to_url_then_text_hash(store: Store) -> None:
    assert store.add(Article(text=story_text(6), url="https://example.com/a")).id == "https://example.com/a"
    body = story_text(7)
    expected = "sha256:" + hashlib.sha256(body.encode()).hexdigest()[:16]
    assert store.add(Article(text=body)).id == expected


def test_stories_replace_and_read_back(store: Store) -> None:
    for i in range(3):
        store.add(Article(text=story_text(10 + i), id=f"a{i}"))
    assert [a.id for a in store.articles(unassigned=True)] == ["a0", "a1", "a2"]
    store.replace_stories([StoryAssignment("a0", "s1", 1.0), StoryAssignment("a2", "s1", 0.8)])
    assert [a.id for a in store.articles(unassigned=True)] == ["a1"]
    store.replace_stories([StoryAssignment(f"a{i}", f"s{i}", 1.0) for i in range(3)])
    assert [(s.article, s.story) for s in store.stories()] == [("a0", "s0"), ("a1", "s1"), ("a2", "s2")]
    with pytest.raises(StoreError, match="not stored"):
        store.replace_stories([StoryAssignment("nope", "s1", 1.0)])


def test_cache_and_reports(store: Store) -> None:
    assert store.cached("some text", model="m", kind="embedding") is None
    store.cache("some text", b"\x00\x01", model="m", kind="embedding")
    store.cache("some text", b"\x02", model="m", kind="embedding")
    assert store.cached("some text", model="m", kind="embedding") == b"\x02"
    assert store.cached("some text", model="other", kind="embedding") is None
    key = store.add_report(sample_report())
    with store.engine.connect() as conn:
        body = conn.execute(text("SELECT schema FROM reports WHERE key = :k"), {"k": key}).scalar_one()
    assert body == "parallax.report/1"


def test_ingest_files_and_directories(store: Store, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(f"A headline\n\n{story_text(20)}\n", encoding="utf-8")
    (corpus / "sub" / "b.html").write_text(
        f"<html><head><title>B</title></head><body><article><p>{story_text(21)}</p></article></body></html>",
        encoding="utf-8",
    )
    (corpus / "c.jsonl").write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in ({"id": "c1", "text": story_text(22)}, {"text": story_text(23)}, {"title": "x"})
        ),
        encoding="utf-8",
    )
    (corpus / "notes.md").write_text("not an article file", encoding="utf-8")
    (corpus / "bad.json").write_text("{nope", encoding="utf-8")
    ticks: list[tuple[int, int]] = []
    summary = ingest_sources(
        [str(corpus), str(tmp_path / "missing.txt")], store, progress=lambda *a: ticks.append(a)
    )
    assert (summary.sources, summary.read, summary.stored) == (5, 4, 4)
    assert (summary.duplicates, summary.refused, summary.failed) == (0, 0, 3)
    assert ticks[-1] == (5, 5)
    ids = [a.id for a in store.articles()]
    assert str(corpus / "a.txt") in ids and "c1" in ids and f"{corpus / 'c.jsonl'}#2" in ids
    failed = {p.source: p.reason for p in summary.problems if p.outcome == "failed"}
    assert failed[str(tmp_path / "missing.txt")] == "no such file"
    assert "invalid JSON" in failed[str(corpus / "bad.json")]
    again = ingest_sources([str(corpus)], store, options=IngestOptions(outlet="X"))
    assert (again.stored, again.duplicates) == (0, 4)
    assert again.reasons("duplicate") == {"same id": 4}


def test_ingest_refuses_an_article_over_the_limit(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(story_text(30, 400), encoding="utf-8")
    with open_store(db_url, Settings(max_article_chars=1_000)) as small:
        summary = ingest_sources([str(tmp_path / "long.txt")], small)
        assert (summary.stored, summary.refused) == (0, 1)
        assert "max_article_chars" in summary.problems[0].reason
        assert small.count() == 0


def test_empty_directory_is_a_problem(store: Store, tmp_path: Path) -> None:
    summary = ingest_sources([str(tmp_path)], store)
    assert summary.failed == 1 and "no article files" in summary.problems[0].reason


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://WWW.Example.COM:443/a/b?utm_source=x&b=2&a=1#frag", "https://www.example.com/a/b?a=1&b=2"),
        ("http://example.com/x?fbclid=1&gclid=2&id=5", "http://example.com/x?id=5"),
        ("https://example.com/News/Story?ref=tw&utm_medium=a", "https://example.com/News/Story"),
        ("ftp://example.com/file", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_canonical_url(url: str, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


def test_urls_resolve_to_sqlite_or_psycopg(tmp_path: Path) -> None:
    assert resolve_url("postgresql://me@db/news").drivername == "postgresql+psycopg"
    assert resolve_url(str(tmp_path / "x.db")).database == str(tmp_path / "x.db")
    assert default_url().endswith("parallax/parallax.db")
    with pytest.raises(StoreError, match="SQLite or PostgreSQL"):
        resolve_url("mysql://me@db/news")
    with pytest.raises(StoreError, match="cannot read the database URL"):
        resolve_url("postgresql://me@db:notaport/x")


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}", Settings()) as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open the database") as info:
        open_store("postgresql://nobody@127.0.0.1:1/none", Settings())
    assert info.value.hint


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    open_store(url, Settings()).close()
    with sqlite3.connect(tmp_path / "new.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00d'")
    with pytest.raises(StoreError, match="schema this parallax does not know"):
        open_store(url, Settings())


def test_kill_9_keeps_what_was_committed_and_a_rerun_resumes(tmp_path: Path) -> None:
    """An ingest killed mid-run leaves a consistent database; running it again stores each article once."""
    corpus, total = tmp_path / "corpus", 1200
    corpus.mkdir()
    for i in range(total):
        (corpus / f"{i:05d}.txt").write_text(f"Story {i}\n\n{story_text(1000 + i, 40)}\n", encoding="utf-8")
    db = tmp_path / "kill.db"
    command = [
        sys.executable,
        "-c",
        "from parallax.cli import app; app()",
        "ingest",
        str(corpus),
        "--db",
        f"sqlite:///{db}",
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    committed = 0
    deadline = time.monotonic() + 300
    while committed < 100 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        committed = _count(db)
    assert child.poll() is None, f"the ingest ended before it could be killed: {child.communicate()}"
    child.send_signal(signal.SIGKILL)
    child.wait()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, text, text_hash, length(minhash) FROM articles").fetchall()
    kept = len(rows)
    assert 100 <= kept < total
    assert len({r[0] for r in rows}) == kept
    assert all(hashlib.sha256(t.encode()).hexdigest() == h and n == 512 for _, t, h, n in rows)
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"Stored {total - kept} of {total} article(s)" in rerun.stdout
    assert f"{kept} duplicate(s)" in rerun.stdout
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    assert len(ids) == len(set(ids)) == total


def _count(db: Path) -> int:
    """Articles committed so far, read beside the writer (WAL); 0 while the file or table is not there."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_ingest_urls_feeds_and_refusals(store: Store) -> None:
    """A feed's articles are fetched and stored; on a rerun they are known by URL and not fetched again."""
    pages = {
        f"https://news.example.com/{i}": f"<html><head><title>Story {i}</title></head><body><article>"
        f"<p>{story_text(40 + i)}</p></article></body></html>"
        for i in (1, 2)
    }
    feed = "".join(f"<item><title>T</title><link>{url}</link></item>" for url in pages)
    requested: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        url = f"https://news.example.com{request.url.path}"
        requested.append(url)
        if request.url.path == "/feed.xml":
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>{feed}</channel></rss>'
            return httpx.Response(200, headers={"content-type": "application/rss+xml"}, text=body)
        if url in pages:
            return httpx.Response(200, headers={"content-type": "text/html"}, text=pages[url])
        return httpx.Response(404)

    def fetcher() -> Fetcher:
        return Fetcher(
            store.settings,
            transport=httpx.MockTransport(serve),
            resolver=lambda host, port: ["93.184.216.34"],
            sleep=lambda seconds: None,
        )

    sources = ["https://news.example.com/feed.xml", "http://127.0.0.1/admin", "https://news.example.com/gone"]
    with fetcher() as fetch:
        first = ingest_sources(sources, store, fetcher=fetch)
    assert (first.stored, first.fetched, first.refused, first.failed) == (2, 3, 1, 1)
    assert {a.id for a in store.articles()} == set(pages)
    requested.clear()
    with fetcher() as fetch:
        again = ingest_sources(sources[:1], store, fetcher=fetch)
    assert (again.stored, again.duplicates, again.reasons("duplicate")) == (0, 2, {"same URL": 2})
    assert requested == ["https://news.example.com/feed.xml"]
