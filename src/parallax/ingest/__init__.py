"""Turn files (text, HTML, JSON, JSONL) and text in memory into Articles."""

from parallax.ingest.decode import decode_bytes, normalise_newlines
from parallax.ingest.files import read_file, read_files, sniff_format
from parallax.ingest.html import read_html
from parallax.ingest.language import LanguageGuess, check_language, check_languages, detect_language
from parallax.ingest.options import IngestOptions, IngestResult
from parallax.ingest.outlet import outlet_from_path, outlet_from_url
from parallax.ingest.records import article_from_record, parse_published, read_json, read_jsonl
from parallax.ingest.text import read_text, split_headline, unwrap

__all__ = [
    "IngestOptions",
    "IngestResult",
    "LanguageGuess",
    "article_from_record",
    "check_language",
    "check_languages",
    "decode_bytes",
    "detect_language",
    "normalise_newlines",
    "outlet_from_path",
    "outlet_from_url",
    "parse_published",
    "read_file",
    "read_files",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_text",
    "sniff_format",
    "split_headline",
    "unwrap",
]
