"""Turn files (text, HTML, JSON, JSONL), web pages, feeds, sitemaps and text in memory into Articles."""

from parallax.ingest.decode import decode_bytes, normalise_newlines
from parallax.ingest.feeds import (
    Sitemap,
    SourceEntry,
    SourceListing,
    expand_source,
    parse_feed,
    parse_sitemap,
)
from parallax.ingest.fetch import (
    ARTICLE_TYPES,
    FEED_TYPES,
    FetchedPage,
    Fetcher,
    address_refusal,
    article_from_page,
    fetch_article,
    is_url,
    read_sources,
)
from parallax.ingest.files import read_file, read_files, sniff_format
from parallax.ingest.html import read_html
from parallax.ingest.language import LanguageGuess, check_language, check_languages, detect_language
from parallax.ingest.options import IngestOptions, IngestResult
from parallax.ingest.outlet import outlet_from_path, outlet_from_url
from parallax.ingest.records import article_from_record, parse_published, read_json, read_jsonl
from parallax.ingest.text import read_text, split_headline, unwrap

__all__ = [
    "ARTICLE_TYPES",
    "FEED_TYPES",
    "FetchedPage",
    "Fetcher",
    "IngestOptions",
    "IngestResult",
    "LanguageGuess",
    "Sitemap",
    "SourceEntry",
    "SourceListing",
    "address_refusal",
    "article_from_page",
    "article_from_record",
    "check_language",
    "check_languages",
    "decode_bytes",
    "detect_language",
    "expand_source",
    "fetch_article",
    "is_url",
    "normalise_newlines",
    "outlet_from_path",
    "outlet_from_url",
    "parse_feed",
    "parse_published",
    "parse_sitemap",
    "read_file",
    "read_files",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_sources",
    "read_text",
    "sniff_format",
    "split_headline",
    "unwrap",
]
