"""Fetch web pages safely: public addresses only, bounded in time and size, polite to each host.

Every hop of a fetch (the URL and each redirect) goes through the same steps before any connection:
the scheme must be http or https; the host, in whatever spelling (`127.1`, `2130706433`,
`0x7f000001`, `0177.0.0.1`, `[::ffff:127.0.0.1]`), is resolved and every address it resolves to
must be globally routable (no loopback, private, link-local or metadata, CGNAT, multicast,
reserved or unspecified address, nor one of these inside IPv4-mapped, NAT64 or 6to4 IPv6);
then the request goes to the address that was checked. Connecting to the checked address (with
the host name kept in the Host header and in TLS server-name indication, so certificates are
still verified against the name) closes the DNS-rebinding gap that checking one lookup and then
letting the HTTP library resolve again would leave open. `allow_private=True` skips the address
check, for a user who means to fetch from their own network.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import re
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from parallax.errors import FetchError
from parallax.ingest.decode import decode_bytes
from parallax.ingest.files import read_each, read_files, read_source
from parallax.ingest.html import read_html
from parallax.ingest.options import IngestOptions, IngestResult
from parallax.ingest.outlet import outlet_from_url
from parallax.model import Article
from parallax.settings import Settings

__all__ = [
    "ARTICLE_TYPES",
    "FEED_TYPES",
    "FetchedPage",
    "Fetcher",
    "Resolver",
    "address_refusal",
    "article_from_page",
    "fetch_article",
    "is_url",
    "read_sources",
    "system_resolver",
]

# Media types of the Content-Type header each kind of fetch accepts.
ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        # Sitemaps are often served gzipped as a file (sitemap.xml.gz).
        "application/gzip",
        "application/x-gzip",
    }
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]+://", re.IGNORECASE)
# Schemes that carry no "//" but are still not file names.
_BARE_SCHEMES = ("data:", "file:", "javascript:", "mailto:")
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_ALLOW_PRIVATE = "pass --allow-private to fetch from a host on your own network on purpose"

Resolver = Callable[[str, int], Sequence[str]]
"""A host name and port to the IP addresses it resolves to (as strings)."""
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system resolves `host` to (socket.getaddrinfo)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_url(source: str) -> bool:
    """Whether an input names a URL (any scheme, to be fetched or refused) rather than a file."""
    source = source.strip()
    return bool(_SCHEME.match(source)) or source.lower().startswith(_BARE_SCHEMES)


def address_refusal(address: Address) -> str | None:
    """Why parallax will not connect to `address` (e.g. "loopback"), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        # IPv6 spellings of an IPv4 address are judged by the IPv4 address they carry.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(embedded)
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local (cloud metadata lives there)", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared CGNAT (100.64.0.0/10)", address in _CGNAT),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None if address.is_global else "non-global"


@dataclass(frozen=True)
class FetchedPage:
    """A response body that passed every check: `url` is where it was found after redirects."""

    url: str
    requested_url: str
    status: int
    content_type: str
    body: bytes

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "requested_url": self.requested_url,
            "status": self.status,
            "content_type": self.content_type,
            "bytes": len(self.body),
        }


@dataclass(frozen=True)
class _Target:
    """One hop: the URL as given and the checked address the request will go to."""

    url: httpx.URL
    address: str

    @property
    def host(self) -> str:
        return self.url.host


class Fetcher:
    """A fetch session: one HTTP client, per-host pacing and the address checks of every hop.

    `transport`, `resolver`, `sleep` and `clock` are for tests (httpx.MockTransport, a fake
    resolver and a fake clock); by default they are the network, getaddrinfo and real time.
    Use it as a context manager, or call close().
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        allow_private: bool = False,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or Settings()
        self.allow_private = allow_private
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        self._last_request: dict[str, float] = {}
        if transport is None:
            # No kept-alive connections: a pooled connection is keyed by the address, and reusing
            # one opened (and TLS-verified) for another host name on the same address would be wrong.
            transport = httpx.HTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(self.settings.fetch_timeout_s),
            follow_redirects=False,  # every hop is checked here first
            trust_env=False,  # a proxy from the environment would resolve names itself, unchecked
            headers={"User-Agent": self.settings.fetch_user_agent or _default_user_agent()},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, accept: frozenset[str] = ARTICLE_TYPES) -> FetchedPage:
        """The body at `url`, following redirects; FetchError when refused or when it fails.

        `accept` is the set of media types wanted (ARTICLE_TYPES, FEED_TYPES or their union).
        """
        current = url.strip()
        for _ in range(self.settings.fetch_max_redirects + 1):
            target = self._check(current, requested=url)
            response = self._send(target, requested=url)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    current = urljoin(current, location.strip())
                    continue
                return self._read(response, current, requested=url, accept=accept)
            finally:
                response.close()
        raise FetchError(
            f"more than {self.settings.fetch_max_redirects} redirects",
            url=url,
            hint="open the address in a browser and pass the page it ends on",
        )

    def _check(self, url: str, *, requested: str) -> _Target:
        """Scheme, host and resolved addresses of one hop; raises FetchError(refused=True) on any doubt."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            port = parts.port
        except ValueError as exc:
            raise FetchError(
                f"not a valid URL: {exc}", url=requested, hint="check the address", refused=True
            ) from exc
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            what = f"{scheme}: URLs" if scheme else "addresses without http:// or https://"
            raise FetchError(
                f"parallax fetches only http and https URLs, not {what}",
                url=requested,
                hint="give a web address starting with https://, or save the page and pass the file",
                refused=True,
            )
        if not host:
            raise FetchError("the URL names no host", url=requested, hint="check the address", refused=True)
        addresses = self._resolve(host, port or (443 if scheme == "https" else 80), requested)
        if not self.allow_private:
            for address in addresses:
                reason = address_refusal(address)
                if reason:
                    shown = host if host == str(address) else f"{host} ({address})"
                    raise FetchError(
                        f"{shown} is a {reason} address, which parallax does not fetch from",
                        url=requested,
                        hint=_ALLOW_PRIVATE,
                        refused=True,
                    )
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(
                f"not a valid URL: {exc}", url=requested, hint="check the address", refused=True
            ) from exc
        return _Target(target, str(addresses[0]))

    def _resolve(self, host: str, port: int, requested: str) -> list[Address]:
        literal = _literal_address(host)
        if literal is not None:
            return [literal]
        try:
            found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in self._resolver(host, port)]
        except (OSError, UnicodeError, ValueError) as exc:
            raise FetchError(
                f"cannot resolve the host {host}: {exc}",
                url=requested,
                hint="check the address and the network connection",
            ) from exc
        if not found:
            raise FetchError(f"the host {host} has no address", url=requested, hint="check the address")
        return found

    def _send(self, target: _Target, *, requested: str) -> httpx.Response:
        """The streamed response of one hop, retried after 429, 5xx and lost connections."""
        settings = self.settings
        for attempt in range(settings.fetch_retries + 1):
            self._pace(target.host)
            last = attempt == settings.fetch_retries
            try:
                response = self._client.send(self._request(target), stream=True)
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(
                        f"{_transport_problem(exc)} (tried {attempt + 1} times)",
                        url=requested,
                        hint="check the address and the network connection, or try again later",
                    ) from exc
                self._sleep(self._backoff(attempt))
                continue
            if last or not (response.status_code == 429 or response.status_code >= 500):
                return response
            wait = _retry_after(response)
            response.close()
            self._sleep(min(settings.fetch_max_wait_s, self._backoff(attempt) if wait is None else wait))
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _request(self, target: _Target) -> httpx.Request:
        """A request to the checked address, naming the host in Host and in TLS SNI."""
        url, address = target.url, target.address
        pinned = url.copy_with(host=address)
        netloc = url.netloc.decode("ascii")
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else None
        return self._client.build_request("GET", pinned, headers={"Host": netloc}, extensions=extensions)

    def _pace(self, host: str) -> None:
        """Wait until fetch_host_interval_s has passed since the last request to `host`."""
        now = self._clock()
        previous = self._last_request.get(host)
        wait = 0.0 if previous is None else previous + self.settings.fetch_host_interval_s - now
        if wait > 0:
            self._sleep(wait)
        self._last_request[host] = now + max(wait, 0.0)

    def _backoff(self, attempt: int) -> float:
        return min(self.settings.fetch_max_wait_s, self.settings.fetch_backoff_s * 2**attempt)

    def _read(
        self, response: httpx.Response, url: str, *, requested: str, accept: frozenset[str]
    ) -> FetchedPage:
        """Check status and Content-Type before reading, then read at most fetch_max_bytes."""
        if not 200 <= response.status_code < 300:
            raise FetchError(
                f"the server answered {response.status_code} {response.reason_phrase}".rstrip(),
                url=requested,
                hint=_status_hint(response.status_code),
            )
        media = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media not in accept:
            wanted = "a web page, feed or sitemap"
            if accept <= ARTICLE_TYPES:
                wanted = "an HTML page"
            elif accept <= FEED_TYPES:
                wanted = "an RSS/Atom feed or a sitemap"
            raise FetchError(
                f"the server sent {media or 'no content type'}, not {wanted}",
                url=requested,
                hint="give the address of the article page itself, or of a feed or sitemap to ingest",
            )
        limit = self.settings.fetch_max_bytes
        too_big = FetchError(
            f"the response is over the {limit / 2**20:.1f} MiB parallax reads",
            url=requested,
            hint="save the page and pass the file, or raise PARALLAX_FETCH_MAX_BYTES",
        )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():  # decoded: a gzip bomb counts at its full size
                size += len(chunk)
                if size > limit:
                    raise too_big
                chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise FetchError(
                f"the download broke off: {_transport_problem(exc)}",
                url=requested,
                hint="try again later",
            ) from exc
        return FetchedPage(url, requested, response.status_code, media, b"".join(chunks))


def article_from_page(page: FetchedPage, options: IngestOptions | None = None) -> Article:
    """The article of a fetched HTML page, through the same extraction as a saved .html file.

    Its outlet is the page's own site name, else `options.outlet`, else the page's host.
    """
    options = options or IngestOptions()
    if page.content_type not in ARTICLE_TYPES:
        raise FetchError(
            f"{page.content_type} is not an HTML page",
            url=page.requested_url,
            hint="give the address of the article page itself",
        )
    html = decode_bytes(page.body, page.requested_url)
    outlet = options.outlet or outlet_from_url(page.url)
    article = read_html(html, options=replace(options, outlet=outlet), path=page.requested_url)
    return replace(article, url=page.url)


def fetch_article(url: str, fetcher: Fetcher, options: IngestOptions | None = None) -> Article:
    """Fetch `url` and extract its article; FetchError or IngestError when that fails."""
    return article_from_page(fetcher.fetch(url, ARTICLE_TYPES), options)


def read_sources(
    sources: Sequence[str],
    options: IngestOptions,
    outlets: Sequence[str | None] | None = None,
    *,
    fetcher: Fetcher,
) -> IngestResult:
    """Files and URLs, in order: URLs through `fetcher`, files as read_files reads them.

    `outlets` and `options.skip_bad` mean what they mean for read_files.
    """
    if not any(is_url(source) for source in sources):
        return read_files(sources, options, outlets)

    def read_one(source: str | Path, own: IngestOptions) -> IngestResult:
        if is_url(str(source)):
            return IngestResult([fetch_article(str(source), fetcher, own)])
        return read_source(source, own)

    return read_each(sources, options, outlets, read_one)


def _literal_address(host: str) -> Address | None:
    """An IP address written as the host, in any spelling inet_aton takes (127.1, 0x7f000001, 0177.0.0.1)."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asks to wait: Retry-After in seconds or as an HTTP date."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    # Against the server's own clock where it sends one, so clock skew does not count.
    try:
        now = email.utils.parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError):
        now = dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _transport_problem(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "the server did not answer in time"
    return f"the connection failed: {exc}" if str(exc) else "the connection failed"


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "the page needs a login or refuses automated readers; save it from a browser and pass the file"
    if status in (404, 410):
        return "check the address; the page may have moved or been taken down"
    if status == 429 or status >= 500:
        return "the server is busy or failing; try again later"
    return "check the address"


def _default_user_agent() -> str:
    from parallax import __version__  # here, not at import: parallax/__init__ imports the pipeline

    return f"parallax/{__version__} (news coverage comparison; python-httpx/{httpx.__version__})"
