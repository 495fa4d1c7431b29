"""RSS/Atom feeds and XML sitemaps to the article URLs they list, parsed from bytes the Fetcher got.

Nothing here opens a connection: feedparser is handed a byte stream (given a string or bytes it
would fetch a URL or open a local file of that name), and sitemaps are parsed with defusedxml,
which refuses entity declarations (billion laughs) and external references. Every XML body goes
through defusedxml first, so a feed with such declarations is refused before feedparser sees it.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

from parallax.errors import IngestError
from parallax.ingest.fetch import ARTICLE_TYPES, FEED_TYPES, FetchedPage, Fetcher

__all__ = [
    "ListingKind",
    "Sitemap",
    "SourceEntry",
    "SourceListing",
    "expand_source",
    "parse_feed",
    "parse_sitemap",
]

ListingKind = Literal["page", "feed", "sitemap"]
_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})  # RSS 0.9x/2.0, Atom, RSS 1.0 (rdf:RDF)
_FEED_MEDIA = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SourceEntry:
    """One article a feed or sitemap points to, with the title and date it gives, if any."""

    url: str
    title: str | None = None
    published: dt.date | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
        }


@dataclass(frozen=True)
class SourceListing:
    """What one URL turned out to be, and the article URLs to fetch from it.

    A `page` is an article itself: its one entry is its own URL and `page` holds the fetched body,
    so it need not be fetched again. A sitemap index lists the entries of its child sitemaps;
    `failures` holds the children that could not be read and `skipped_sitemaps` counts those
    past `fetch_max_sitemaps`.
    """

    url: str
    kind: ListingKind
    entries: tuple[SourceEntry, ...]
    page: FetchedPage | None = None
    failures: tuple[IngestError, ...] = ()
    skipped_sitemaps: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "kind": self.kind,
            "entries": [e.to_dict() for e in self.entries],
            "failures": [f.message for f in self.failures],
            "skipped_sitemaps": self.skipped_sitemaps,
        }


@dataclass(frozen=True)
class Sitemap:
    """A sitemap's pages (a urlset), or the sitemaps a sitemap index lists (`children`)."""

    entries: tuple[SourceEntry, ...]
    children: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"entries": [e.to_dict() for e in self.entries], "children": list(self.children)}


def expand_source(url: str, fetcher: Fetcher) -> SourceListing:
    """Fetch `url` and say what it is: an article page, a feed or a sitemap (index), with its entries.

    The kind is decided by Content-Type (HTML is a page) and, for XML, by the root element.
    """
    page = fetcher.fetch(url, ARTICLE_TYPES | FEED_TYPES)
    if page.content_type in ARTICLE_TYPES:
        return SourceListing(page.url, "page", (SourceEntry(page.url),), page=page)
    data = _gunzip(page, fetcher.settings.fetch_max_bytes)
    root = _xml_root(data, page)
    kind = _local_name(root.tag) if root is not None else None
    if root is None or kind in _FEED_ROOTS:
        return SourceListing(page.url, "feed", tuple(_unique(parse_feed(data, page.url))))
    if kind not in ("urlset", "sitemapindex"):
        raise IngestError(
            f"the XML document ({kind}) is neither an RSS/Atom feed nor a sitemap",
            source=page.requested_url,
            hint="give the address of a feed, a sitemap or an article page",
        )
    sitemap = _read_sitemap(root, page.url)
    entries = list(sitemap.entries)
    failures: list[IngestError] = []
    limit = fetcher.settings.fetch_max_sitemaps
    for child_url in sitemap.children[:limit]:
        try:
            child = _fetch_sitemap(child_url, fetcher)
        except IngestError as err:
            failures.append(err)
            continue
        entries.extend(child.entries)
        if child.children:  # the protocol does not nest indexes; following them could loop
            failures.append(
                IngestError(
                    f"a sitemap index inside a sitemap index ({len(child.children)} sitemaps not read)",
                    source=child_url,
                    hint="give the inner sitemap index's address on its own",
                )
            )
    return SourceListing(
        page.url,
        "sitemap",
        tuple(_unique(entries)),
        failures=tuple(failures),
        skipped_sitemaps=max(0, len(sitemap.children) - limit),
    )


def parse_feed(data: bytes, url: str) -> list[SourceEntry]:
    """The entries of an RSS or Atom feed, links made absolute against `url`."""
    # A stream, never bytes or str: feedparser treats those as a URL to fetch or a file name to open.
    parsed = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-location": url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise IngestError(
            "not an RSS or Atom feed" + (f": {problem}" if problem else ""),
            source=url,
            hint="give the address of the feed itself (often /feed, /rss or /atom.xml)",
        )
    entries = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if not link:
            continue
        entries.append(SourceEntry(urljoin(url, link), _text(entry.get("title")), _entry_date(entry)))
    return entries


def parse_sitemap(data: bytes, url: str) -> Sitemap:
    """A sitemap (urlset) or sitemap index from its XML, links made absolute against `url`."""
    root = _parse_xml(data, url)
    if root is None or _local_name(root.tag) not in ("urlset", "sitemapindex"):
        raise IngestError("not a sitemap", source=url, hint="give the address of a sitemap.xml")
    return _read_sitemap(root, url)


def _fetch_sitemap(url: str, fetcher: Fetcher) -> Sitemap:
    page = fetcher.fetch(url, FEED_TYPES)
    root = _xml_root(_gunzip(page, fetcher.settings.fetch_max_bytes), page)
    if root is None or _local_name(root.tag) not in ("urlset", "sitemapindex"):
        raise IngestError(
            "a sitemap index points here, but this is not a sitemap",
            source=url,
            hint="the sitemap index is out of date; give the sitemaps you want directly",
        )
    return _read_sitemap(root, page.url)


def _read_sitemap(root: Element, url: str) -> Sitemap:
    """`<url><loc>` with `<lastmod>`, or Google News' `<news:title>` and `<news:publication_date>`.

    Only an entry's own children count: an image or video extension has a `<loc>` of its own.
    """
    entries, children = [], []
    index = _local_name(root.tag) == "sitemapindex"
    for item in root:
        fields = _children(item)
        loc = _text(fields["loc"].text) if "loc" in fields else None
        if not loc:
            continue
        loc = urljoin(url, loc)
        if index:
            children.append(loc)
            continue
        news = _children(fields["news"]) if "news" in fields else {}
        title = _text(news["title"].text) if "title" in news else None
        date = _date(news["publication_date"].text) if "publication_date" in news else None
        if date is None and "lastmod" in fields:
            date = _date(fields["lastmod"].text)
        entries.append(SourceEntry(loc, title, date))
    return Sitemap(tuple(entries), tuple(children))


def _children(element: Element) -> dict[str, Element]:
    """An element's direct children by local name (the first of each)."""
    found: dict[str, Element] = {}
    for child in element:
        found.setdefault(_local_name(child.tag), child)
    return found


def _xml_root(data: bytes, page: FetchedPage) -> Element | None:
    """The root element; None for a feed too broken for XML that feedparser may still read."""
    try:
        return _parse_xml(data, page.requested_url)
    except IngestError:
        if page.content_type in _FEED_MEDIA and not _declares_entities(data):
            return None
        raise


def _parse_xml(data: bytes, source: str) -> Element | None:
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise IngestError(
            f"the XML declares entities or external references, which parallax refuses ({exc})",
            source=source,
            hint="such declarations can expand without bound (an XML bomb); feeds and sitemaps need none",
        ) from exc
    except ParseError as exc:
        raise IngestError(f"not well-formed XML: {exc}", source=source, hint="check the address") from exc
    return root if isinstance(root, Element) else None


def _declares_entities(data: bytes) -> bool:
    return b"<!ENTITY" in data.upper()


def _gunzip(page: FetchedPage, limit: int) -> bytes:
    """A gzipped sitemap's XML, at most `limit` bytes (a small file can unpack to gigabytes)."""
    if not page.body.startswith(_GZIP_MAGIC):
        return page.body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(page.body, limit + 1)
    except zlib.error as exc:
        raise IngestError(
            f"the gzip data is damaged: {exc}", source=page.requested_url, hint="check the address"
        ) from exc
    if len(data) > limit:
        raise IngestError(
            f"the unpacked sitemap is over the {limit / 2**20:.1f} MiB parallax reads",
            source=page.requested_url,
            hint="raise PARALLAX_FETCH_MAX_BYTES, or give the smaller sitemaps it was made from",
        )
    return data


def _entry_link(entry: Any) -> str | None:
    link = entry.get("link")
    if link:
        return str(link)
    for candidate in entry.get("links", []):
        if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
            return str(candidate["href"])
    return None


def _entry_date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
    return None


def _date(value: str | None) -> dt.date | None:
    """A sitemap date: W3C datetime (ISO 8601) by the protocol; anything else is no date, not an error."""
    try:
        return dt.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _text(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _local_name(tag: object) -> str:
    """`{http://www.sitemaps.org/schemas/sitemap/0.9}urlset` → `urlset`; `rdf:RDF` → `rdf`."""
    return str(tag).rsplit("}", 1)[-1].lower()


def _unique(entries: Iterable[SourceEntry]) -> Iterator[SourceEntry]:
    seen = set()
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            yield entry
