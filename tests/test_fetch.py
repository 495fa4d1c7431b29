"""The URL fetcher: refusals before any connection, redirects, retries, pacing, limits, pages to Articles.

No test touches the network: every Fetcher gets an httpx.MockTransport, a table resolver and a
fake clock whose sleep only records the wait.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from parallax import __version__
from parallax.cli import app
from parallax.errors import FetchError, IngestError
from parallax.ingest import (
    ARTICLE_TYPES,
    FEED_TYPES,
    Fetcher,
    IngestOptions,
    fetch_article,
    is_url,
    read_sources,
)
from parallax.settings import Settings

PUBLIC = "93.184.216.34"  # a global address; nothing connects to it, the transport is a mock
OTHER_PUBLIC = "151.101.1.1"
HOSTS = {"news.example": [PUBLIC], "other.example": [OTHER_PUBLIC]}
Handler = Callable[[httpx.Request], httpx.Response]

ARTICLE_HTML = """<!doctype html><html><head><title>Minister resigns over budget row</title>
<meta name="date" content="2024-12-03"></head><body><article><h1>Minister resigns over budget row</h1>
<p>The finance minister Jane Roe resigned on Tuesday after a row over the budget, officials said.</p>
<p>Her deputy will take over until a successor is named, the prime minister's office said.</p>
</article></body></html>"""


class FakeClock:
    """time.monotonic and time.sleep in one: sleeping only moves the clock and records the wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def table_resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no test address for {host}")
        return table[host]

    return resolve


def make_fetcher(
    handler: Handler,
    clock: FakeClock | None = None,
    *,
    hosts: dict[str, list[str]] | None = None,
    allow_private: bool = False,
    **settings: object,
) -> Fetcher:
    clock = clock or FakeClock()
    return Fetcher(
        Settings(**settings),  # type: ignore[arg-type]
        allow_private=allow_private,
        transport=httpx.MockTransport(handler),
        resolver=table_resolver(HOSTS if hosts is None else hosts),
        sleep=clock.sleep,
        clock=clock,
    )


def html(body: str = ARTICLE_HTML, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={"Content-Type": "text/html; charset=utf-8", **headers}, text=body)


def never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no request should be sent, got {request.url}")


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


def recording(sent: list[httpx.Request], *responses: httpx.Response | Exception) -> Handler:
    """A handler that answers with `responses` in turn (the last one repeats) and keeps each request."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        answer = responses[min(len(sent), len(responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handle


# --- refused before any connection -------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://0x7f.0.0.1:8080/admin", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:7f00:1]/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://[::ffff:192.168.1.1]/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 spelling of the metadata address
        ("http://[2002:a00:1::]/", "private"),  # 6to4 spelling of 10.0.0.1
        ("http://100.64.0.1/", "CGNAT"),
        ("http://100.100.100.200/", "CGNAT"),  # another cloud's metadata service
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://224.0.1.1/", "multicast"),  # multicast that ipaddress calls global
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "private"),  # reserved 240/4; ipaddress lists it as private
        ("http://[fd00::1]/", "private"),  # IPv6 unique local
        ("http://[fd00:ec2::254]/", "private"),  # a cloud's IPv6 metadata address
        ("http://[fe80::1]/", "link-local"),
        ("https://192.168.0.10:8443/x", "private"),
    ],
)
def test_every_spelling_of_a_non_public_address_is_refused(url: str, reason: str) -> None:
    fetcher = make_fetcher(never, hosts={})  # the resolver knows no name: literals never reach it
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url)
    assert info.value.refused
    assert reason in info.value.message
    assert info.value.url == url
    assert info.value.hint and "--allow-private" in info.value.hint


@pytest.mark.parametrize(
    ("host", "addresses"),
    [
        ("intranet.example", ["10.1.2.3"]),
        ("localhost", ["127.0.0.1", "::1"]),
        ("rebind.example", [PUBLIC, "127.0.0.1"]),  # one bad address among good ones is enough
        ("scoped.example", ["fe80::1%eth0"]),
    ],
)
def test_names_are_checked_after_resolution(host: str, addresses: list[str]) -> None:
    fetcher = make_fetcher(never, hosts={host: addresses})
    with pytest.raises(FetchError, match=f"{host} \\(") as info:
        fetcher.fetch(f"https://{host}/story")
    assert info.value.refused


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "ftp://news.example/story.html",
        "data:text/html,<p>hello</p>",
        "gopher://news.example/1",
        "javascript:alert(1)",
        "news.example/story",
        "//news.example/story",
    ],
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https") as info:
        make_fetcher(never).fetch(url)
    assert info.value.refused


def test_a_name_that_does_not_resolve_fails_without_a_request() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve the host nowhere\.example") as info:
        make_fetcher(never).fetch("https://nowhere.example/x")
    assert not info.value.refused


@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/latest/meta-data/", "http://127.1:2375/", "file:///etc/passwd"]
)
def test_a_redirect_to_a_refused_address_is_refused_before_following_it(
    sent: list[httpx.Request], location: str
) -> None:
    fetcher = make_fetcher(recording(sent, httpx.Response(302, headers={"Location": location})))
    with pytest.raises(FetchError) as info:
        fetcher.fetch("https://news.example/story")
    assert info.value.refused
    assert len(sent) == 1


def test_a_redirect_to_a_name_resolving_privately_is_refused(sent: list[httpx.Request]) -> None:
    hosts = {**HOSTS, "internal.example": ["192.168.0.5"]}
    handler = recording(sent, httpx.Response(301, headers={"Location": "https://internal.example/"}))
    with pytest.raises(FetchError, match=r"internal\.example .*private") as info:
        make_fetcher(handler, hosts=hosts).fetch("https://news.example/story")
    assert info.value.refused and len(sent) == 1


def test_allow_private_fetches_from_the_own_network(sent: list[httpx.Request]) -> None:
    fetcher = make_fetcher(recording(sent, html()), allow_private=True, hosts={"nas.lan": ["192.168.1.20"]})
    page = fetcher.fetch("http://nas.lan:8080/story.html")
    assert page.status == 200
    assert sent[0].url.host == "192.168.1.20"
    assert fetcher.fetch("http://127.1/a").url == "http://127.1/a"


# --- how requests are sent ---------------------------------------------------------------------


def test_the_request_goes_to_the_checked_address_with_the_name_kept(sent: list[httpx.Request]) -> None:
    make_fetcher(recording(sent, html())).fetch("https://news.example/a/b?c=1")
    request = sent[0]
    assert str(request.url) == f"https://{PUBLIC}/a/b?c=1"
    assert request.headers["Host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"  # TLS verifies the name, not the IP
    ua = request.headers["User-Agent"]
    assert ua.startswith(f"parallax/{__version__} ")


def test_the_user_agent_can_be_set(sent: list[httpx.Request]) -> None:
    make_fetcher(recording(sent, html()), fetch_user_agent="my-bot/1.0").fetch("http://news.example/")
    assert sent[0].headers["User-Agent"] == "my-bot/1.0"
    assert sent[0].headers["Host"] == "news.example"
    assert "sni_hostname" not in sent[0].extensions


def test_redirects_are_followed_and_the_final_url_kept(sent: list[httpx.Request]) -> None:
    handler = recording(
        sent,
        httpx.Response(301, headers={"Location": "https://other.example/moved"}),
        httpx.Response(302, headers={"Location": "/final?x=1"}),
        html(),
    )
    page = make_fetcher(handler).fetch("http://news.example/story")
    assert page.url == "https://other.example/final?x=1"
    assert page.requested_url == "http://news.example/story"
    assert [r.headers["Host"] for r in sent] == ["news.example", "other.example", "other.example"]
    assert [r.url.host for r in sent] == [PUBLIC, OTHER_PUBLIC, OTHER_PUBLIC]


def test_a_redirect_loop_ends(sent: list[httpx.Request]) -> None:
    handler = recording(sent, httpx.Response(302, headers={"Location": "/again"}))
    with pytest.raises(FetchError, match="more than 3 redirects"):
        make_fetcher(handler, fetch_max_redirects=3).fetch("https://news.example/")
    assert len(sent) == 4


# --- retries, Retry-After and pacing -----------------------------------------------------------


def test_retry_after_in_seconds_is_honoured(sent: list[httpx.Request]) -> None:
    clock = FakeClock()
    handler = recording(sent, httpx.Response(429, headers={"Retry-After": "7"}), html())
    page = make_fetcher(handler, clock).fetch("https://news.example/")
    assert page.status == 200 and len(sent) == 2
    assert clock.sleeps == [7.0]


def test_retry_after_as_an_http_date_is_read_against_the_server_clock(sent: list[httpx.Request]) -> None:
    clock = FakeClock()
    now = dt.datetime(2024, 12, 3, 12, 0, 0, tzinfo=dt.UTC)
    headers = {
        "Date": email.utils.format_datetime(now, usegmt=True),
        "Retry-After": email.utils.format_datetime(now + dt.timedelta(seconds=30), usegmt=True),
    }
    make_fetcher(recording(sent, httpx.Response(503, headers=headers), html()), clock).fetch(
        "https://news.example/"
    )
    assert clock.sleeps == [30.0]


def test_a_long_retry_after_is_capped(sent: list[httpx.Request]) -> None:
    clock = FakeClock()
    handler = recording(sent, httpx.Response(429, headers={"Retry-After": "86400"}), html())
    make_fetcher(handler, clock, fetch_max_wait_s=60).fetch("https://news.example/")
    assert clock.sleeps == [60.0]


def test_server_errors_are_retried_with_growing_waits(sent: list[httpx.Request]) -> None:
    clock = FakeClock()
    handler = recording(sent, httpx.Response(500), httpx.Response(502), httpx.Response(503), html())
    page = make_fetcher(handler, clock, fetch_backoff_s=0.5).fetch("https://news.example/")
    assert page.status == 200 and len(sent) == 4
    # The first retry also waits out the rest of the 1 s between two requests to one host.
    assert clock.sleeps == [0.5, 0.5, 1.0, 2.0]


def test_retries_run_out_with_a_clear_error(sent: list[httpx.Request]) -> None:
    clock = FakeClock()
    with pytest.raises(FetchError, match="answered 503") as info:
        make_fetcher(recording(sent, httpx.Response(503)), clock, fetch_retries=2).fetch(
            "https://news.example/"
        )
    assert len(sent) == 3 and len(clock.sleeps) == 2
    assert not info.value.refused and info.value.hint and "later" in info.value.hint


def test_a_lost_connection_is_retried(sent: list[httpx.Request]) -> None:
    handler = recording(sent, httpx.ConnectError("connection reset"), html())
    assert make_fetcher(handler).fetch("https://news.example/").status == 200


def test_a_timeout_after_every_retry_is_an_error(sent: list[httpx.Request]) -> None:
    handler = recording(sent, httpx.ReadTimeout("slow"))
    with pytest.raises(FetchError, match="did not answer in time"):
        make_fetcher(handler, fetch_retries=1).fetch("https://news.example/")
    assert len(sent) == 2


def test_client_errors_are_not_retried(sent: list[httpx.Request]) -> None:
    with pytest.raises(FetchError, match="answered 404 Not Found") as info:
        make_fetcher(recording(sent, httpx.Response(404))).fetch("https://news.example/gone")
    assert len(sent) == 1 and info.value.hint and "moved" in info.value.hint


def test_requests_to_one_host_are_spaced(sent: list[httpx.Request]) -> None:
    clock = FakeClock()
    times: list[float] = []

    def handle(request: httpx.Request) -> httpx.Response:
        times.append(clock.now)
        return html()

    fetcher = make_fetcher(handle, clock, fetch_host_interval_s=2.0)
    fetcher.fetch("https://news.example/1")
    fetcher.fetch("https://other.example/1")  # another host: no wait
    clock.now += 0.5
    fetcher.fetch("https://news.example/2")
    fetcher.fetch("https://news.example/3")
    assert clock.sleeps == [1.5, 2.0]
    assert [t - times[0] for t in times] == [0.0, 0.0, 2.0, 4.0]


# --- what is read ------------------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_while_streaming() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        chunks = iter([b"<html>" + b"x" * 1000] * 10)
        return httpx.Response(200, headers={"Content-Type": "text/html"}, stream=_Stream(chunks))

    with pytest.raises(FetchError, match="over the") as info:
        make_fetcher(handle, fetch_max_bytes=4096).fetch("https://news.example/")
    assert info.value.hint and "PARALLAX_FETCH_MAX_BYTES" in info.value.hint


def test_a_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "text/html", "Content-Length": str(10**9)}
        return httpx.Response(200, headers=headers, stream=_Stream(iter([])))

    with pytest.raises(FetchError, match="over the"):
        make_fetcher(handle).fetch("https://news.example/")


class _Stream(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks


@pytest.mark.parametrize(
    ("content_type", "accept", "message"),
    [
        ("application/pdf", ARTICLE_TYPES, "sent application/pdf, not an HTML page"),
        ("image/png", ARTICLE_TYPES, "not an HTML page"),
        ("", ARTICLE_TYPES, "sent no content type, not an HTML page"),
        ("application/rss+xml", ARTICLE_TYPES, "not an HTML page"),
        ("text/html", FEED_TYPES, "not an RSS/Atom feed or a sitemap"),
        ("application/json", ARTICLE_TYPES | FEED_TYPES, "not a web page, feed or sitemap"),
    ],
)
def test_the_content_type_is_checked(content_type: str, accept: frozenset[str], message: str) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        return httpx.Response(200, headers=headers, content=b"%PDF-1.4 ...")

    with pytest.raises(FetchError, match=message):
        make_fetcher(handle).fetch("https://news.example/x", accept)


@pytest.mark.parametrize(
    "content_type", ["text/html", "TEXT/HTML; charset=ISO-8859-1", "application/xhtml+xml"]
)
def test_html_content_types_are_accepted(content_type: str) -> None:
    page = make_fetcher(lambda r: html(**{"Content-Type": content_type})).fetch("https://news.example/")
    assert page.content_type in ARTICLE_TYPES
    assert page.to_dict()["bytes"] == len(ARTICLE_HTML.encode())


# --- pages to articles -------------------------------------------------------------------------


def test_fetch_article_extracts_the_page() -> None:
    handler = recording([], httpx.Response(301, headers={"Location": "https://www.other.example/s"}), html())
    hosts = {**HOSTS, "www.other.example": [OTHER_PUBLIC]}
    with make_fetcher(handler, hosts=hosts) as fetcher:
        article = fetch_article("https://news.example/s", fetcher)
    assert article.title == "Minister resigns over budget row"
    assert article.text.startswith("The finance minister Jane Roe resigned")
    assert article.url == "https://www.other.example/s"
    assert article.outlet == "other.example"  # the page names no site: the host, without www.
    assert article.published == dt.date(2024, 12, 3)


def test_fetch_article_prefers_the_page_site_name_then_the_given_outlet() -> None:
    named = ARTICLE_HTML.replace("<head>", '<head><meta property="og:site_name" content="The Daily Example">')
    fetcher = make_fetcher(lambda r: html(named))
    assert fetch_article("https://news.example/s", fetcher).outlet == "The Daily Example"
    plain = make_fetcher(lambda r: html())
    assert fetch_article("https://news.example/s", plain, IngestOptions(outlet="Example News")).outlet == (
        "Example News"
    )


def test_a_page_without_article_text_is_an_ingest_error() -> None:
    fetcher = make_fetcher(lambda r: html("<html><body><nav>Home</nav></body></html>"))
    with pytest.raises(IngestError, match=r"https://news\.example/: found no article text"):
        fetch_article("https://news.example/", fetcher)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://a.example/x", True),
        ("HTTP://A.EXAMPLE", True),
        ("ftp://a.example/x", True),
        ("file:///etc/passwd", True),
        ("data:text/plain,hi", True),
        ("story.txt", False),
        ("C:\\news\\story.txt", False),
        ("notes:v2.txt", False),
        ("/tmp/a.html", False),
    ],
)
def test_is_url(source: str, expected: bool) -> None:
    assert is_url(source) is expected


def test_read_sources_mixes_files_and_urls_in_order(tmp_path: Path) -> None:
    first, last = tmp_path / "a.txt", tmp_path / "c.txt"
    first.write_text("Budget row\n\nThe minister resigned on Tuesday after a long row.\n", encoding="utf-8")
    last.write_text("Her deputy takes over until a successor is named by the party.\n", encoding="utf-8")
    fetcher = make_fetcher(lambda r: html())
    result = read_sources(
        [str(first), "https://news.example/s", str(last)],
        IngestOptions(),
        ["A", "B", "C"],
        fetcher=fetcher,
    )
    assert [a.outlet for a in result.articles] == ["A", "B", "C"]
    assert result.articles[1].url == "https://news.example/s"


def test_read_sources_with_skip_bad_keeps_each_failure_precise(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("The minister resigned on Tuesday after a long row over the budget.\n", encoding="utf-8")
    sources = [str(good), "http://10.0.0.1/x", str(tmp_path / "missing.txt")]
    result = read_sources(sources, IngestOptions(skip_bad=True), fetcher=make_fetcher(never))
    assert len(result.articles) == 1
    assert [f.message for f in result.failures] == [
        "http://10.0.0.1/x: 10.0.0.1 is a private address, which parallax does not fetch from",
        f"{tmp_path / 'missing.txt'}: no such file",
    ]


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/x", "127.0.0.1 is a loopback address, which parallax does not fetch from"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local"),
        ("file:///etc/passwd", "parallax fetches only http and https URLs, not file: URLs"),
    ],
)
def test_cli_compare_refuses_with_one_error_line(url: str, message: str) -> None:
    result = CliRunner().invoke(app, ["compare", url, "http://10.1.1.1/y"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: {url}: {message}")
    assert lines[1].startswith("Hint: ")
    assert "Traceback" not in result.stderr


@pytest.mark.model
def test_cli_compare_fetches_urls_and_reads_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    other = ARTICLE_HTML.replace(
        "The finance minister Jane Roe resigned", "Jane Roe quit as finance minister"
    )
    pages = {"news.example": ARTICLE_HTML, "other.example": other}
    saved = tmp_path / "third.txt"
    saved.write_text("Jane Roe resigned as finance minister on Tuesday, her office said.\n", encoding="utf-8")

    def handle(request: httpx.Request) -> httpx.Response:
        return html(pages[request.headers["Host"]])

    def fetcher(settings: Settings, *, allow_private: bool) -> Fetcher:
        clock = FakeClock()
        return Fetcher(
            settings,
            allow_private=allow_private,
            transport=httpx.MockTransport(handle),
            resolver=table_resolver(HOSTS),
            sleep=clock.sleep,
            clock=clock,
        )

    monkeypatch.setattr("parallax.cli.Fetcher", fetcher)
    args = ["compare", "https://news.example/a", "https://other.example/b", str(saved), "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    outlets = [a["outlet"] for a in report["articles"]]
    assert outlets == ["news.example", "other.example", "third"]
