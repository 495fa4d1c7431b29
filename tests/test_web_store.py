"""The web app over an article store and the safe fetcher: story and article endpoints, story jobs, the
form's story list and URL field.

The store is a temporary SQLite file filled through the library; the fetcher gets an
httpx.MockTransport and a table of addresses, so nothing touches the network. The comparison
is the sample report (no model loads) but for the one test marked `model`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from parallax.cli import app as cli_app
from parallax.model import Article, Report
from parallax.pipeline import StageTimer
from parallax.report.html import script_hash
from parallax.settings import Settings
from parallax.store import open_store
from parallax.store.models import ReportRow
from parallax.stories import StoryAssignment
from parallax.web import create_app
from tests.conftest import EXAMPLES
from tests.test_report import sample_report
from tests.test_web import fake_compare, wait_for

PUBLIC = "93.184.216.34"  # a global address; nothing connects to it, the transport is a mock
HOSTS = {"news.example": [PUBLIC], "intranet.example": ["10.0.0.7"], "files.example": [PUBLIC]}
PAGE = """<!doctype html><html><head><title>Minister resigns over budget row</title>
<meta name="date" content="2024-12-03"></head><body><article><h1>Minister resigns over budget row</h1>
<p>The finance minister Jane Roe resigned on Tuesday after a row over the budget, officials said.</p>
<p>Her deputy will take over until a successor is named, the prime minister's office said.</p>
</article></body></html>"""
HOSTILE_TITLE = '<script>alert("x")</script> Minister quits'


def resolve(host: str, port: int) -> list[str]:
    if host not in HOSTS:
        raise OSError(f"no test address for {host}")
    return HOSTS[host]


def handler(request: httpx.Request) -> httpx.Response:
    """news.example serves the article page; files.example serves a PDF."""
    host = request.headers["host"]
    if host == "files.example":
        return httpx.Response(200, headers={"content-type": "application/pdf"}, content=b"%PDF-1.4")
    return httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, text=PAGE)


def text(n: int) -> str:
    return f"Story text number {n}: " + " ".join(f"word{n}x{i}" for i in range(60)) + "."


@pytest.fixture
def db(tmp_path: Path) -> str:
    """Two stories: s1 (three articles, one with a URL for its id) and s2 (one article), s2 newer."""
    url = f"sqlite:///{tmp_path / 'web.db'}"
    articles = [
        Article(text=text(1), id="a1", title=HOSTILE_TITLE, outlet="Daily Post", published="2024-12-03"),
        Article(text=text(2), url="https://news.example/2024/12/minister", outlet="The Ledger"),
        Article(
            text=text(3), id="a3", title="Finance chief out", outlet="Daily Post", published="2024-12-05"
        ),
        Article(text=text(4), id="b1", title="Storm hits coast", outlet="Coast FM", published="2024-11-30"),
    ]
    with open_store(url, Settings()) as store:
        ids = [store.add(a).id for a in articles]
        store.replace_stories(
            [StoryAssignment(i, "s1", 1.0) for i in ids[:3]] + [StoryAssignment(ids[3], "s2", 1.0)]
        )
    return url


@pytest.fixture
def client(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr("parallax.web.app.compare", fake_compare())
    with TestClient(
        create_app(Settings(), db=db, transport=httpx.MockTransport(handler), resolver=resolve)
    ) as c:
        yield c


def test_stories_are_listed_newest_first_and_paged(client: TestClient) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == 2 and body["offset"] == 0
    assert [s["id"] for s in body["stories"]] == ["s2", "s1"]
    s1 = body["stories"][1]
    assert s1 == {
        "id": "s1",
        "title": HOSTILE_TITLE,  # JSON carries the text as it is; pages escape it
        "articles": 3,
        "outlets": ["Daily Post", "The Ledger"],
        "first_published": "2024-12-03",
        "last_published": "2024-12-05",
        "url": "/api/stories/s1",
    }
    second = client.get("/api/stories", params={"offset": 1, "limit": 1}).json()
    assert [s["id"] for s in second["stories"]] == ["s1"] and second["total"] == 2
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422


def test_a_story_lists_its_articles_and_an_article_has_its_text(client: TestClient) -> None:
    story = client.get("/api/stories/s1").json()
    assert story["id"] == "s1" and story["compare_url"] == "/api/stories/s1/compare"
    assert [a["id"] for a in story["articles"]] == ["a1", "https://news.example/2024/12/minister", "a3"]
    assert "text" not in story["articles"][0] and story["articles"][0]["characters"] == len(text(1))
    by_url = client.get(story["articles"][1]["article_url"])  # an id with slashes in the path
    assert by_url.status_code == 200, by_url.text
    assert by_url.json()["text"] == text(2) and by_url.json()["outlet"] == "The Ledger"
    assert client.get("/api/articles/a3").json()["published"] == "2024-12-05"


@pytest.mark.parametrize("path", ["/api/stories/nope", "/api/articles/nope", "/api/stories/nope/compare"])
def test_unknown_stories_and_articles_are_json_404(client: TestClient, path: str) -> None:
    response = client.post(path) if path.endswith("compare") else client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert "nope" in body["error"] and body["hint"]


def test_without_a_store_the_store_endpoints_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(Settings()))
    response = client.get("/api/stories")
    assert response.status_code == 404
    assert response.json() == {
        "error": "this server has no article store",
        "hint": "start it with `parallax serve --db URL`",
    }
    assert "no article store" in client.get("/").text


def test_a_story_is_compared_in_the_background(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str | None]] = []

    def _compare(articles: Sequence[Article], settings: Settings, *, timer: StageTimer) -> Report:
        seen.append([a.id for a in articles])
        with timer.stage("parse"):
            return sample_report()

    monkeypatch.setattr("parallax.web.app.compare", _compare)
    with TestClient(create_app(Settings(), db=db)) as client:
        accepted = client.post("/api/stories/s1/compare")
        assert accepted.status_code == 202
        body = accepted.json()
        assert body["report_url"] == f"/jobs/{body['job']}"
        done = wait_for(client, body["status_url"], "done", "failed")
        assert done["status"] == "done"
        assert done["result"] == sample_report().to_dict()
        page = client.get(body["report_url"])
    assert seen == [["a1", "https://news.example/2024/12/minister", "a3"]]
    assert page.status_code == 200 and 'id="reading"' in page.text
    assert f"script-src {script_hash()}" in page.headers["content-security-policy"]
    with open_store(db, Settings()) as store, store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ReportRow)) == 1


def test_a_one_article_story_is_refused(client: TestClient) -> None:
    response = client.post("/api/stories/s2/compare")
    assert response.status_code == 400
    assert "one article" in response.json()["error"]


def test_the_form_lists_the_stored_stories_escaped(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<a href="/stories/s1">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Minister quits</a>' in (
        response.text
    )
    assert "<script" not in response.text
    assert 'name="urls"' in response.text


def test_a_story_page_compares_through_a_job_page(client: TestClient) -> None:
    story = client.get("/stories/s1")
    assert story.status_code == 200
    assert '<form method="post" action="/stories/s1/compare">' in story.text
    assert "&lt;script&gt;alert" in story.text and "<script" not in story.text
    moved = client.post("/stories/s1/compare", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"].startswith("/jobs/")
    wait_for(client, "/api/jobs/" + moved.headers["location"].rsplit("/", 1)[1], "done")
    report = client.get(moved.headers["location"])
    assert report.status_code == 200 and 'id="reading"' in report.text
    missing = client.get("/stories/nope")
    assert missing.status_code == 404 and "<h1>No such story</h1>" in missing.text
    one = client.post("/stories/s2/compare")
    assert one.status_code == 400 and "two or more" in one.text


def test_a_running_job_page_reloads_itself(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    monkeypatch.setattr("parallax.web.app.compare", fake_compare(gate=gate))
    with TestClient(create_app(Settings(), db=db)) as client:
        url = client.post("/api/stories/s1/compare").json()["report_url"]
        page = client.get(url)
        gate.set()
        assert client.get("/jobs/nope").status_code == 404
    assert page.status_code == 200
    assert '<meta http-equiv="refresh"' in page.text and "Comparing" in page.text


def test_the_form_fetches_urls_through_the_safe_fetcher(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Article] = []

    def _compare(articles: Sequence[Article], settings: Settings, *, timer: StageTimer) -> Report:
        seen.extend(articles)
        return sample_report()

    monkeypatch.setattr("parallax.web.app.compare", _compare)
    app = create_app(Settings(), db=db, transport=httpx.MockTransport(handler), resolver=resolve)
    form = {"text": ["Pasted report of the budget row.", ""], "urls": "\nhttps://news.example/minister\n"}
    response = TestClient(app).post("/compare", data=form)
    assert response.status_code == 200, response.text
    assert 'id="reading"' in response.text
    assert [a.text.startswith("Pasted") for a in seen] == [True, False]
    fetched = seen[1]
    assert "Jane Roe resigned on Tuesday" in fetched.text
    assert fetched.url == "https://news.example/minister" and fetched.published == dt.date(2024, 12, 3)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://intranet.example/memo", "intranet.example (10.0.0.7) is a private address"),
        ("http://127.0.0.1:8000/admin", "127.0.0.1 is a loopback address"),
        ("https://files.example/report.pdf", "the server sent application/pdf, not an HTML page"),
        ("ftp://news.example/a", "parallax fetches only http and https URLs"),
    ],
)
def test_a_refused_or_unreadable_url_is_a_clear_page(client: TestClient, url: str, expected: str) -> None:
    response = client.post("/compare", data={"urls": url})
    assert response.status_code == 400
    assert "<h1>Could not compare</h1>" in response.text
    assert expected in response.text
    assert "Traceback" not in response.text


def test_an_empty_form_says_what_to_give(client: TestClient) -> None:
    response = client.post("/compare", data={"text": ["", ""], "urls": "  \n"})
    assert response.status_code == 400
    assert "no article text was pasted and no URL given" in response.text


def test_openapi_describes_the_store_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [
        ("/api/stories", "get"),
        ("/api/stories/{story_id}", "get"),
        ("/api/articles/{article_id}", "get"),
        ("/api/stories/{story_id}/compare", "post"),
    ]:
        assert paths[path][method]["summary"] and paths[path][method]["description"]
        assert "404" in paths[path][method]["responses"]


def test_serve_takes_a_store(monkeypatch: pytest.MonkeyPatch, db: str) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    result = CliRunner().invoke(cli_app, ["serve", "--db", db])
    assert result.exit_code == 0, result.output
    served = TestClient(calls[0]["app"]).get("/api/stories").json()
    assert served["total"] == 2
    bad = CliRunner().invoke(cli_app, ["serve", "--db", "mysql://x@y/z"])
    assert bad.exit_code != 0 and "SQLite or PostgreSQL" in bad.output


@pytest.mark.model
def test_compare_a_stored_story_for_real(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    story = EXAMPLES / "nato-membership"
    with open_store(url, Settings()) as store:
        ids = [
            store.add(
                Article(
                    text=(story / name).read_text(encoding="utf-8"),
                    id=name,
                    outlet=outlet,
                    published="2024-12-03",
                )
            ).id
            for name, outlet in [("a.txt", "Outlet A"), ("b.txt", "Outlet B")]
        ]
        store.replace_stories([StoryAssignment(i, "s1", 1.0) for i in ids])
    with TestClient(create_app(Settings(), db=url)) as client:
        status_url = client.post("/api/stories/s1/compare").json()["status_url"]
        done = wait_for(client, status_url, "done", "failed")
    assert done["status"] == "done", done
    assert [a["outlet"] for a in done["result"]["articles"]] == ["Outlet A", "Outlet B"]
