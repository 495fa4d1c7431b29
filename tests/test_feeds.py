"""Feeds and sitemaps to article URLs: RSS, Atom, urlset, sitemap index, gzip, XML bombs; no network."""

from __future__ import annotations

import datetime as dt
import gzip

import httpx
import pytest

from parallax.errors import FetchError, IngestError
from parallax.ingest import SourceEntry, expand_source, parse_feed, parse_sitemap
from tests.test_fetch import ARTICLE_HTML, make_fetcher

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>
<item><title>Minister resigns</title><link>https://news.example/2024/12/minister</link>
<pubDate>Tue, 03 Dec 2024 09:30:00 GMT</pubDate></item>
<item><title>  Budget   passes </title><link>/2024/12/budget</link></item>
<item><title>No link at all</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Other</title><id>urn:x</id>
<updated>2024-12-04T10:00:00Z</updated>
<entry><title>Summit ends</title><id>tag:other.example,2024:1</id>
<link rel="alternate" type="text/html" href="https://other.example/summit"/>
<published>2024-12-02T08:00:00+01:00</published><updated>2024-12-04T10:00:00Z</updated></entry>
<entry><title>Only updated</title><id>tag:other.example,2024:2</id>
<link href="https://other.example/updated"/><updated>2024-12-04T10:00:00Z</updated></entry>
</feed>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://news.example/a</loc><lastmod>2024-12-03T10:00:00+00:00</lastmod>
  <image:image><image:loc>https://cdn.example/a.jpg</image:loc></image:image></url>
<url><loc> https://news.example/b </loc>
  <news:news><news:publication_date>2024-12-01</news:publication_date>
  <news:title>Budget passes</news:title></news:news></url>
<url><loc>/c</loc><lastmod>not a date</lastmod></url>
<url><lastmod>2024-12-03</lastmod></url>
</urlset>"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><item><title>&lol3;</title><link>https://news.example/x</link></item></channel></rss>"""


def _index(*locs: str) -> bytes:
    items = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{items}</sitemapindex>"
    ).encode()


def _xml(body: bytes, content_type: str = "application/xml") -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": content_type}, content=body)


def test_rss_entries_with_titles_dates_and_absolute_links() -> None:
    assert parse_feed(RSS, "https://news.example/feed") == [
        SourceEntry("https://news.example/2024/12/minister", "Minister resigns", dt.date(2024, 12, 3)),
        SourceEntry("https://news.example/2024/12/budget", "Budget passes", None),
    ]


def test_atom_entries_prefer_the_published_date() -> None:
    assert parse_feed(ATOM, "https://other.example/atom.xml") == [
        SourceEntry("https://other.example/summit", "Summit ends", dt.date(2024, 12, 2)),
        SourceEntry("https://other.example/updated", "Only updated", dt.date(2024, 12, 4)),
    ]


def test_what_is_no_feed_is_an_error_and_never_a_file_name() -> None:
    # Given bytes or str, feedparser would open a local file of that name; parallax hands it a stream.
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        parse_feed(b"/etc/hostname", "https://news.example/feed")


def test_sitemap_urls_with_dates_titles_and_no_image_locations() -> None:
    sitemap = parse_sitemap(URLSET, "https://news.example/sitemap.xml")
    assert sitemap.entries == (
        SourceEntry("https://news.example/a", None, dt.date(2024, 12, 3)),
        SourceEntry("https://news.example/b", "Budget passes", dt.date(2024, 12, 1)),
        SourceEntry("https://news.example/c", None, None),
    )
    assert sitemap.children == ()
    assert sitemap.to_dict()["entries"][0] == {
        "url": "https://news.example/a",
        "title": None,
        "published": "2024-12-03",
    }


def test_a_sitemap_index_lists_its_sitemaps() -> None:
    index = parse_sitemap(_index("https://news.example/s1.xml", "/s2.xml.gz"), "https://news.example/x")
    assert index.children == ("https://news.example/s1.xml", "https://news.example/s2.xml.gz")
    assert index.entries == ()


@pytest.mark.parametrize("parse", [parse_sitemap, parse_feed])
def test_xml_bombs_are_refused(parse: object) -> None:
    if parse is parse_feed:
        fetcher = make_fetcher(lambda r: _xml(BOMB, "application/rss+xml"))
        with pytest.raises(IngestError, match="declares entities"):
            expand_source("https://news.example/feed", fetcher)
    else:
        with pytest.raises(IngestError, match="declares entities"):
            parse_sitemap(BOMB, "https://news.example/sitemap.xml")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (RSS, "application/rss+xml"),
        (RSS, "text/xml; charset=utf-8"),  # told apart by the root element
        (ATOM, "application/atom+xml"),
        (ATOM, "application/xml"),
    ],
)
def test_expand_source_recognises_feeds(body: bytes, content_type: str) -> None:
    listing = expand_source("https://news.example/feed", make_fetcher(lambda r: _xml(body, content_type)))
    assert listing.kind == "feed"
    assert len(listing.entries) == 2
    assert listing.page is None


def test_a_broken_feed_is_still_read_by_feedparser() -> None:
    broken = RSS.replace(b"Minister resigns", b"Minister & deputy resign")  # a bare & is not XML
    listing = expand_source(
        "https://news.example/feed", make_fetcher(lambda r: _xml(broken, "application/rss+xml"))
    )
    assert listing.entries[0].url == "https://news.example/2024/12/minister"


def test_expand_source_of_an_article_page_keeps_the_page() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html"}, text=ARTICLE_HTML)

    listing = expand_source("https://news.example/story", make_fetcher(handle))
    assert listing.kind == "page"
    assert listing.entries == (SourceEntry("https://news.example/story"),)
    assert listing.page is not None and listing.page.body == ARTICLE_HTML.encode()


def test_expand_source_follows_a_sitemap_index() -> None:
    bodies = {
        "/sitemap.xml": _xml(
            _index("/s1.xml", "/s2.xml.gz", "/gone.xml", "http://10.0.0.7/s.xml", "/nested.xml", "/more.xml")
        ),
        "/s1.xml": _xml(URLSET),
        "/s2.xml.gz": _xml(
            gzip.compress(URLSET.replace(b"news.example/a", b"news.example/z")), "application/x-gzip"
        ),
        "/gone.xml": httpx.Response(404),
        "/nested.xml": _xml(_index("/deeper.xml")),
    }
    fetcher = make_fetcher(lambda r: bodies[r.url.path], fetch_max_sitemaps=5)
    listing = expand_source("https://news.example/sitemap.xml", fetcher)
    assert listing.kind == "sitemap"
    assert [e.url for e in listing.entries] == [
        "https://news.example/a",
        "https://news.example/b",
        "https://news.example/c",
        "https://news.example/z",  # the same b and c from the gzipped sitemap are listed once
    ]
    assert listing.skipped_sitemaps == 1
    messages = [f.message for f in listing.failures]
    assert messages[0] == "https://news.example/gone.xml: the server answered 404 Not Found"
    refused = listing.failures[1]
    assert isinstance(refused, FetchError) and refused.refused
    assert "sitemap index inside a sitemap index" in messages[2]
    assert listing.to_dict()["skipped_sitemaps"] == 1


def test_a_gzip_bomb_is_cut_at_the_size_cap() -> None:
    big = gzip.compress(b"<urlset>" + b" " * 200_000 + b"</urlset>")
    fetcher = make_fetcher(lambda r: _xml(big, "application/gzip"), fetch_max_bytes=50_000)
    assert len(big) < 50_000
    with pytest.raises(IngestError, match="unpacked sitemap is over"):
        expand_source("https://news.example/sitemap.xml.gz", fetcher)


def test_other_xml_is_neither_feed_nor_sitemap() -> None:
    fetcher = make_fetcher(lambda r: _xml(b"<?xml version='1.0'?><svg/>"))
    with pytest.raises(IngestError, match=r"\(svg\) is neither an RSS/Atom feed nor a sitemap"):
        expand_source("https://news.example/logo.svg", fetcher)
