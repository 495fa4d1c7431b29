"""Read local files (text, HTML, JSON, JSONL) into Articles, by extension or by sniffing the content."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Literal

from parallax.errors import ConfigError, IngestError
from parallax.ingest.decode import decode_bytes
from parallax.ingest.html import read_html
from parallax.ingest.options import IngestOptions, IngestResult
from parallax.ingest.records import read_json, read_jsonl
from parallax.ingest.text import read_text
from parallax.model import Article

__all__ = [
    "FORMATS",
    "IngestOptions",
    "IngestResult",
    "check_outlets",
    "read_each",
    "read_file",
    "read_files",
    "read_source",
    "sniff_format",
]

Format = Literal["text", "html", "json", "jsonl"]
_URL = re.compile(r"(?:https?|ftp)://", re.IGNORECASE)
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


def check_outlets(outlets: Sequence[str | None] | None, inputs: int) -> None:
    """One outlet name per input, or none at all."""
    if outlets is not None and len(outlets) != inputs:
        raise ConfigError(
            f"{len(outlets)} outlet name(s) for {inputs} input(s)",
            hint="give one outlet name per input, in the order of the inputs",
        )


def read_files(
    paths: Sequence[str | Path], options: IngestOptions, outlets: Sequence[str | None] | None = None
) -> IngestResult:
    """All articles of all files, in order. Without skip_bad the first bad input raises.

    `outlets`, one per path, names the outlet of each file's articles that name none of their own.
    """
    return read_each(paths, options, outlets, _read)


def read_source(source: str | Path, options: IngestOptions) -> IngestResult:
    """One file as read_files reads it, but a file with no usable article raises the error that says why.

    With skip_bad, a file of records with some bad ones keeps the rest and lists the bad ones.
    """
    try:
        return read_files([source], replace(options, skip_bad=False))
    except IngestError as first:
        if not options.skip_bad:
            raise
        try:
            return read_files([source], options)
        except IngestError:
            raise first from None


def read_each(
    sources: Sequence[str | Path],
    options: IngestOptions,
    outlets: Sequence[str | None] | None,
    read_one: Callable[[str | Path, IngestOptions], IngestResult],
) -> IngestResult:
    """Every source through `read_one`, in order, with read_files' rules for outlets and bad inputs."""
    check_outlets(outlets, len(sources))
    articles: list[Article] = []
    failures: list[IngestError] = []
    for i, source in enumerate(sources):
        try:
            found = read_one(source, options if outlets is None else replace(options, outlet=outlets[i]))
        except IngestError as err:
            if not options.skip_bad:
                raise
            failures.append(err)
            continue
        articles.extend(found.articles)
        failures.extend(found.failures)
    if not articles:
        if not sources:
            raise IngestError("no input files given", hint="name at least one article file")
        reasons = "; ".join(f.message for f in failures[:3]) + ("; …" if len(failures) > 3 else "")
        raise IngestError(
            f"none of the {len(sources)} input(s) gave a usable article: {reasons}",
            hint="fix the inputs named above or give other ones",
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
    if _URL.match(source):
        raise IngestError(
            "read_files reads saved files, not URLs",
            source=source,
            hint="pass URLs to parallax.compare or read_sources (parallax.ingest), which fetch them safely",
        )
    text = decode_bytes(_read_bytes(Path(path), source, options.max_file_bytes), source)
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


def _read_bytes(path: Path, source: str, limit: int) -> bytes:
    try:
        info = path.stat()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | NotADirectoryError):
            raise IngestError(
                "no such file", source=source, hint="check the path and the current directory"
            ) from exc
        raise IngestError(
            f"cannot open the file: {exc.strerror or exc}",
            source=source,
            hint="check the path and its permissions",
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(
            "this is a directory, not a file", source=source, hint="name the article files inside it instead"
        )
    if not stat.S_ISREG(info.st_mode):  # a pipe or device could block or never end
        raise IngestError(
            "this is not a regular file", source=source, hint="save the article to a file and pass that"
        )
    if info.st_size > limit:
        raise IngestError(
            f"the file is {info.st_size / 2**20:.0f} MiB, over the {limit / 2**20:.0f} MiB parallax reads",
            source=source,
            hint="split it into smaller files",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"cannot read the file: {exc.strerror or exc}", source=source, hint="check its permissions"
        ) from exc
