"""The web app through FastAPI's TestClient: pages, API errors as JSON, background jobs, the serve command.

Every test but the last replaces the comparison with the sample report, so no model loads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parallax.cli import app as cli_app
from parallax.errors import IngestError, ModelError, ParallaxError
from parallax.model import Article, Report
from parallax.pipeline import StageTimer
from parallax.report.html import script_hash
from parallax.settings import Settings
from parallax.web import create_app
from tests.conftest import EXAMPLES
from tests.test_report import sample_report

ONE = {"articles": [{"text": "The minister resigned on Tuesday.", "outlet": "Daily Post"}]}


def fake_compare(
    raises: BaseException | None = None, gate: threading.Event | None = None
) -> Callable[..., Report]:
    """A stand-in for parallax.compare: enters a stage, waits for `gate`, then raises or gives the sample."""

    def _compare(articles: Sequence[Article], settings: Settings, *, timer: StageTimer) -> Report:
        with timer.stage("parse"):
            if gate is not None:
                gate.wait(30)
        if raises is not None:
            raise raises
        return sample_report()

    return _compare


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr("parallax.web.app.compare", fake_compare())
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def wait_for(client: TestClient, url: str, *statuses: str) -> dict[str, Any]:
    """Poll a job until it reaches one of `statuses` (bounded; no time is asserted)."""
    for _ in range(600):
        body = client.get(url).json()
        if body["status"] in statuses:
            return body
        time.sleep(0.05)
    raise AssertionError(f"job stayed {body['status']}")


def test_health_names_version_and_models(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["version"]
    assert body["models"] == {"spacy": Settings().spacy_model, "embedding": Settings().embedding_model}


def test_form_page_renders_without_script(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<form method="post" action="/compare">' in response.text
    assert response.text.count('name="text"') >= 2
    assert 'type="date" name="published"' in response.text
    assert "<script" not in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_form_post_returns_the_html_report(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Article] = []

    def _compare(articles: Sequence[Article], settings: Settings, *, timer: StageTimer) -> Report:
        seen.extend(articles)
        return sample_report()

    monkeypatch.setattr("parallax.web.app.compare", _compare)
    form = {
        "text": ["First <b>report</b>.", "Second report.", ""],
        "outlet": ["Daily Post", "", ""],
        "title": ["", "", ""],
        "published": "2024-12-03",
    }
    response = TestClient(create_app(Settings())).post("/compare", data=form)
    assert response.status_code == 200
    assert response.text.startswith("<!doctype html>")
    assert 'id="reading"' in response.text  # the reading view, as `compare --format html` writes it
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and f"script-src {script_hash()}" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert [(a.text, a.outlet, str(a.published)) for a in seen] == [
        ("First <b>report</b>.", "Daily Post", "2024-12-03"),
        ("Second report.", None, "2024-12-03"),
    ]


def test_form_errors_are_an_escaped_html_page(client: TestClient) -> None:
    response = client.post("/compare", data={"text": ["a"], "published": "<script>x</script>"})
    assert response.status_code == 400
    assert "<h1>Could not compare</h1>" in response.text
    assert "<script>" not in response.text


@pytest.mark.parametrize("fmt", ["json", "html", "markdown"])
def test_compare_answers_in_each_format(client: TestClient, fmt: str) -> None:
    response = client.post("/api/compare", json={**ONE, "format": fmt})
    assert response.status_code == 200
    if fmt == "json":
        assert response.json() == sample_report().to_dict()
    else:
        assert response.headers["content-type"].startswith(
            {"html": "text/html", "markdown": "text/markdown"}[fmt]
        )
        assert "Parallax report" in response.text


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"articles": []}, "body.articles"),
        ({"articles": [{"text": ""}]}, "body.articles.0.text"),
        ({"articles": [{"text": "x", "published": "last Tuesday"}]}, "body.articles.0.published"),
        ({"articles": [{"text": "x", "colour": "red"}]}, "body.articles.0.colour"),
        ({**ONE, "format": "pdf"}, "body.format"),
        ({"texts": ["x"]}, "body.articles"),
    ],
)
def test_invalid_requests_are_json_422(client: TestClient, body: dict[str, Any], where: str) -> None:
    response = client.post("/api/compare", json=body)
    assert response.status_code == 422
    got = response.json()
    assert got["error"].startswith("invalid request: ") and where in got["error"]
    assert got["hint"]
    assert any(".".join(map(str, d["loc"])) == where for d in got["detail"])


def test_a_body_that_is_not_json_is_422(client: TestClient) -> None:
    response = client.post("/api/compare", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "error" in response.json()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (IngestError("the article is 6,000,000 characters long", source="a", hint="split it"), 400),
        (ModelError("the spaCy pipeline 'x' is not installed", hint="run setup.sh"), 500),
    ],
)
def test_parallax_errors_become_json_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, error: ParallaxError, status: int
) -> None:
    monkeypatch.setattr("parallax.web.app.compare", fake_compare(raises=error))
    response = TestClient(create_app(Settings())).post("/api/compare", json=ONE)
    assert response.status_code == status
    assert response.json() == {"error": error.message, "hint": error.hint}
    assert "Traceback" not in response.text


def test_an_unexpected_error_is_a_generic_json_500_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("parallax.web.app.compare", fake_compare(raises=KeyError("secret internals")))
    client = TestClient(create_app(Settings()), raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="parallax.web"):
        response = client.post("/api/compare", json=ONE)
    assert response.status_code == 500
    assert response.json() == {"error": "internal error", "hint": "the server log has the details"}
    assert "secret internals" not in response.text
    assert any(r.exc_info and "secret internals" in str(r.exc_info[1]) for r in caplog.records)


def test_size_limits_give_413(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parallax.web.app.compare", fake_compare())
    client = TestClient(create_app(Settings(web_max_body_bytes=2048, web_max_articles=2)))
    big = client.post("/api/compare", json={"articles": [{"text": "x" * 4096}]})
    assert big.status_code == 413
    assert "PARALLAX_WEB_MAX_BODY_BYTES" in big.json()["hint"]
    streamed = client.post(  # no Content-Length: counted as it arrives
        "/api/compare", content=iter([b'{"articles": [{"text": "', b"x" * 4096, b'"}]}'])
    )
    assert streamed.status_code == 413
    many = client.post("/api/compare", json={"articles": [{"text": "x"}] * 3})
    assert many.status_code == 413
    assert "3 articles" in many.json()["error"]


def test_a_job_goes_queued_running_done(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    monkeypatch.setattr("parallax.web.app.compare", fake_compare(gate=gate))
    with TestClient(create_app(Settings())) as client:  # one worker: the second job waits for the first
        first, second = (client.post("/api/jobs/compare", json=ONE) for _ in range(2))
        assert first.status_code == second.status_code == 202
        assert first.headers["location"] == first.json()["status_url"]
        running = wait_for(client, first.json()["status_url"], "running")
        assert running["progress"] == "parse"
        assert client.get(second.json()["status_url"]).json() == {
            "job": second.json()["job"],
            "status": "queued",
            "progress": "queued",
        }
        gate.set()
        for accepted in (first, second):
            done = wait_for(client, accepted.json()["status_url"], "done", "failed")
            assert done["status"] == "done"
            assert done["result"] == sample_report().to_dict()


def test_a_failed_job_reports_its_error(monkeypatch: pytest.MonkeyPatch) -> None:
    error = IngestError("no article text", hint="paste some")
    monkeypatch.setattr("parallax.web.app.compare", fake_compare(raises=error))
    with TestClient(create_app(Settings())) as client:
        url = client.post("/api/jobs/compare", json=ONE).json()["status_url"]
        failed = wait_for(client, url, "done", "failed")
    assert failed["status"] == "failed"
    assert failed["error"] == {"error": "no article text", "hint": "paste some", "status": 400}


def test_unknown_job_is_json_404(client: TestClient) -> None:
    response = client.get("/api/jobs/nope")
    assert response.status_code == 404
    assert response.json()["error"] == "no job nope"


def test_finished_jobs_are_kept_up_to_a_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("parallax.web.app.compare", fake_compare())
    with TestClient(create_app(Settings(web_max_finished_jobs=1))) as client:
        urls = []
        for _ in range(2):
            urls.append(client.post("/api/jobs/compare", json=ONE).json()["status_url"])
            wait_for(client, urls[-1], "done")
        assert client.get(urls[0]).status_code == 404
        assert client.get(urls[1]).json()["status"] == "done"


def test_work_beyond_the_pending_limit_gets_503(monkeypatch: pytest.MonkeyPatch) -> None:
    gate = threading.Event()
    monkeypatch.setattr("parallax.web.app.compare", fake_compare(gate=gate))
    with TestClient(create_app(Settings(web_max_pending=1))) as client:
        url = client.post("/api/jobs/compare", json=ONE).json()["status_url"]
        refused = client.post("/api/compare", json=ONE)
        gate.set()
        wait_for(client, url, "done")
    assert refused.status_code == 503
    assert refused.headers["retry-after"]
    assert refused.json()["hint"]


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [
        ("/api/compare", "post"),
        ("/api/jobs/compare", "post"),
        ("/api/jobs/{job_id}", "get"),
        ("/api/health", "get"),
    ]:
        assert paths[path][method]["summary"]
        assert paths[path][method]["description"]
    assert client.get("/docs").status_code == 200


def test_serve_help_and_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    help_text = runner.invoke(cli_app, ["serve", "--help"])
    assert help_text.exit_code == 0
    assert "--host" in help_text.stdout and "--port" in help_text.stdout
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: calls.append({"app": app, **kwargs}))
    result = runner.invoke(cli_app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123
    assert calls[0]["app"].title == "parallax"


@pytest.mark.model
def test_compare_the_example_story_for_real() -> None:
    story = EXAMPLES / "nato-membership"
    articles = [
        {"text": (story / name).read_text(encoding="utf-8"), "outlet": outlet, "published": "2024-12-03"}
        for name, outlet in [("a.txt", "Outlet A"), ("b.txt", "Outlet B")]
    ]
    response = TestClient(create_app(Settings())).post("/api/compare", json={"articles": articles})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["schema"] == "parallax.report/1"
    assert [a["outlet"] for a in report["articles"]] == ["Outlet A", "Outlet B"]
    assert any(c["kind"] == "shared" for c in report["claims"])


def test_markdown_takes_sections_and_top(client: TestClient) -> None:
    body = {**ONE, "format": "markdown", "sections": ["conflicts", "summary"], "top": 1}
    response = client.post("/api/compare", json=body)
    assert response.status_code == 200, response.text
    headings = [line for line in response.text.splitlines() if line.startswith("## ")]
    assert headings == ["## Summary", "## Conflicts"]  # report order, whatever the order asked


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({**ONE, "sections": ["summary"]}, 400, "do not apply to the json report"),
        ({**ONE, "format": "html", "top": 2}, 400, "do not apply to the html report"),
        ({**ONE, "format": "markdown", "sections": ["gossip"]}, 400, "unknown section(s): gossip"),
        ({**ONE, "format": "markdown", "top": 0}, 422, "body.top"),
    ],
)
def test_sections_and_top_are_refused_where_they_do_not_apply(
    client: TestClient, body: dict[str, Any], status: int, words: str
) -> None:
    response = client.post("/api/compare", json=body)
    assert response.status_code == status
    assert words in response.json()["error"] and response.json()["hint"]
