"""Read local files (text, HTML, JSON, JSONL) into Articles, by extension or by sniffing the content."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from parallax.errors import IngestError
from parallax.ingest.decode import decode_bytes
from parallax.ingest.html import read_html
from parallax.ingest.options import IngestOptions, IngestResult
from parallax.ingest.records import read_json, read_jsonl
from parallax.ingest.text import read_text
from parallax.model import Article

__all__ = ["FORMATS", "IngestOptions", "IngestResult", "read_file", "read_files", "sniff_format"]

Format = Literal["text", "html", "json", "jsonl"]
FORMATS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def read_file(path: str | Path, options: IngestOptions) -> list[Article]:
    """Every article in one file (JSON and JSONL may hold several).

    With skip_bad, bad records of a JSONL file are dropped here; use read_files to see them.
    """
    found = _read(path, options)
    if not found.articles:  # only with skip_bad: every record was bad
        raise IngestError(
            f"none of its {len(found.failures)} record(s) is usable; the first: {found.failures[0].message}",
            source=str(path),
            hint=found.failures[0].hint,
        )
    return found.articles


def read_files(paths: Sequence[str | Path], options: IngestOptions) -> IngestResult:
    """All articles of all files, in order. Without skip_bad the first bad input raises."""
    articles: list[Article] = []
    failures: list[IngestError] = []
    for path in paths:
        try:
            found = _read(path, options)
        except IngestError as err:
            if not options.skip_bad:
                raise
            failures.append(err)
            continue
        articles.extend(found.articles)
        failures.extend(found.failures)
    if not articles:
        if not paths:
            raise IngestError("no input files given", hint="name at least one article file")
        reasons = "; ".join(f.message for f in failures[:3]) + ("; …" if len(failures) > 3 else "")
        raise IngestError(
            f"none of the {len(paths)} input(s) gave a usable article: {reasons}",
            hint="fix the files named above or give other ones",
        )
    return IngestResult(articles, failures)


def sniff_format(text: str) -> Format:
    """What an unknown extension holds, by its first character: markup, JSON or prose."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return "html"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first, _, rest = head.partition("\n")
        # One complete object on the first line and more after it: JSONL.
        return "jsonl" if rest.strip() and first.rstrip().endswith("}") else "json"
    return "text"


def _read(path: str | Path, options: IngestOptions) -> IngestResult:
    source = str(path)
    text = decode_bytes(_read_bytes(Path(path), source), source)
    kind = FORMATS.get(Path(path).suffix.lower()) or sniff_format(text)
    if kind == "html":
        return IngestResult([read_html(text, options=options, path=source)])
    if kind == "json":
        articles, failures = read_json(text, options=options, path=source)
    elif kind == "jsonl":
        articles, failures = read_jsonl(text, options=options, path=source)
    else:
        return IngestResult([read_text(text, options=options, path=source)])
    return IngestResult(articles, failures)


def _read_bytes(path: Path, source: str) -> bytes:
    if not path.exists():
        raise IngestError("no such file", source=source, hint="check the path and the current directory")
    if path.is_dir():
        raise IngestError(
            "this is a directory, not a file", source=source, hint="name the article files inside it instead"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"cannot read the file: {exc.strerror or exc}", source=source, hint="check its permissions"
        ) from exc
