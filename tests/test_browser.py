"""The reading view in a real browser: Debian's chromium, driven by Playwright, on the example story.

Two ways in: the web app (uvicorn on 127.0.0.1, the form filled and sent as a person would)
and the self-contained file `parallax compare --format html` writes, opened from disk. In
both, clicking a shared fact must light up its match in the other column; a hostile article
must run nothing; screenshots at laptop and phone widths land in the test's tmp_path.
Playwright's own browsers are never downloaded: the test launches /usr/bin/chromium and
skips, saying why, where it or the playwright package is missing.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parallax import compare
from parallax.ingest import IngestOptions, read_files
from parallax.report import render
from parallax.settings import Settings
from tests.conftest import EXAMPLES

CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium as the closed network needs it: no sandbox (root in a container), no GPU, and
# none of the background calls (updates, sync, QUIC probes) that would wait on a refused network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
STORY = EXAMPLES / "nato-membership"
PUBLISHED = "2024-12-03"
HOSTILE = (
    "Officials met in Brussels on Tuesday to discuss the plan. "
    "<script>window.__pwned = 1</script> "
    '<img src=x onerror="window.__pwned = 2"> '
    '<a href="javascript:window.__pwned = 3">Read the full statement here.</a> '
    "The ministers said talks would continue next week."
)
WAIT_MS = 300_000  # the first comparison loads the models; a busy two-core machine takes its time

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"no {CHROMIUM}: apt-get install chromium (.ci/run does)"
    ),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None,
        reason="the playwright package is missing: pip install -e '.[dev]'",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The web app on a free loopback port, in a thread of this process."""
    import uvicorn

    from parallax.web import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(Settings()), log_level="warning", lifespan="on")
    app_server = uvicorn.Server(config)
    thread = threading.Thread(target=app_server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(600):
        if app_server.started:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the web server did not start")
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(30)
    sock.close()


class Watch:
    """A page's uncaught errors and every request it makes that is not to `allowed`."""

    def __init__(self, page: Any, allowed: str) -> None:
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("request", lambda req: None if req.url.startswith(allowed) else self.outside.append(req.url))


def new_page(browser: Any, size: str, **options: Any) -> Any:
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    page.set_default_timeout(WAIT_MS)
    return page


def send_form(page: Any, base: str, texts: list[str], outlets: list[str]) -> None:
    """Fill the form page as a person would and send it; returns on the report page."""
    page.goto(base + "/")
    for i, (text, outlet) in enumerate(zip(texts, outlets, strict=True)):
        page.locator('textarea[name="text"]').nth(i).fill(text)
        page.locator('input[name="outlet"]').nth(i).fill(outlet)
    page.locator('input[name="published"]').fill(PUBLISHED)
    with page.expect_navigation(timeout=WAIT_MS):
        page.get_by_role("button", name="Compare").click()
    page.locator("#reading").wait_for()


def check_click_lights_match(page: Any) -> str:
    """Click the first shared fact in the first column; its match in the second must light up."""
    first = page.locator("#col-0 .s[data-claim]").first
    fact = first.get_attribute("data-claim").split()[0]
    match = page.locator(f'#col-1 [data-claim~="{fact}"]').first
    assert match.count() == 1, f"fact {fact} has no statement in the second column"
    assert "active" not in (match.get_attribute("class") or "")
    first.scroll_into_view_if_needed()
    first.click()
    assert "active" in match.get_attribute("class")
    assert "origin" in first.get_attribute("class")
    # The keyboard does the same: Enter moves focus to the fact's next statement, lit up too.
    first.focus()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.getAttribute('data-claim') || ''")
    assert fact in focused.split()
    # The pointer leaves the columns first: a smooth scroll under a resting pointer would hover a
    # sentence and light it again.
    page.mouse.move(0, 0)
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelectorAll('.s.active').length === 0")
    return fact


def screenshots(page: Any, out: Path, name: str) -> list[Path]:
    """The top of the page (the summary) and the columns with a fact lit up."""
    shots = [out / f"{name}-summary.png", out / f"{name}-reading.png"]
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots[0]))
    page.locator("#reading").scroll_into_view_if_needed()
    page.locator("#col-0 .s[data-claim]").first.click()
    page.screenshot(path=str(shots[1]))
    return shots


def example_texts() -> list[str]:
    return [(STORY / name).read_text(encoding="utf-8") for name in ("a.txt", "b.txt")]


def test_web_app_lights_up_shared_facts(browser: Any, server: str, tmp_path: Path) -> None:
    side_by_side = {}
    for size in SIZES:
        page = new_page(browser, size)
        watch = Watch(page, server)
        send_form(page, server, example_texts(), ["Outlet A", "Outlet B"])
        assert page.locator("#summary .card").count() == 2
        boxes = [page.locator(f"#col-{i}").bounding_box() for i in (0, 1)]
        side_by_side[size] = boxes[0]["y"] == boxes[1]["y"]
        check_click_lights_match(page)
        shots = screenshots(page, tmp_path, f"web-{size}")
        assert all(shot.stat().st_size > 10_000 for shot in shots)
        assert watch.errors == [] and watch.outside == []
        page.close()
    assert side_by_side == {"laptop": True, "phone": False}  # the columns stack at phone width


def test_hostile_article_runs_nothing(browser: Any, server: str, tmp_path: Path) -> None:
    page = new_page(browser, "laptop")
    watch = Watch(page, server)
    send_form(page, server, [HOSTILE, example_texts()[1]], ["<b>Hostile</b>", "Outlet B"])
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert page.locator("script").count() == 1  # the page's own
    assert "window.__pwned = 1" in page.locator("#col-0").inner_text()  # shown, as text
    assert "<b>Hostile</b>" in page.locator("#col-0 h3").inner_text()
    for span in page.locator("#col-0 .s").all():
        span.click()  # nothing a click reaches runs either
    assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(tmp_path / "hostile-laptop.png"), full_page=True)
    assert watch.errors == [] and watch.outside == []


def test_the_html_file_works_from_disk(browser: Any, tmp_path: Path) -> None:
    files = [str(STORY / "a.txt"), str(STORY / "b.txt")]
    articles = read_files(files, IngestOptions(published=dt.date.fromisoformat(PUBLISHED))).articles
    report_file = tmp_path / "report.html"
    report_file.write_text(render(compare(list(articles)), "html"), encoding="utf-8")
    url = report_file.as_uri()
    for size in SIZES:
        page = new_page(browser, size)
        watch = Watch(page, url)
        page.goto(url)
        check_click_lights_match(page)
        screenshots(page, tmp_path, f"file-{size}")
        assert watch.errors == [] and watch.outside == []
        page.close()
    # With JavaScript off the text is all there; only the lighting up is gone.
    page = new_page(browser, "laptop", java_script_enabled=False)
    page.goto(url)
    assert page.locator("#col-1 .s[data-claim]").count() > 0
    assert "Budapest Memorandum" in page.locator("#col-1").inner_text()
    page.locator("#col-0 .s[data-claim]").first.click()
    assert page.locator(".s.active").count() == 0
    page.close()
