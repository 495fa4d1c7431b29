"""JSON and JSONL records to Articles, with the common field-name aliases of news exports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from parallax.errors import IngestError
from parallax.ingest.decode import normalise_newlines
from parallax.ingest.options import IngestOptions
from parallax.ingest.outlet import outlet_from_path, outlet_from_url
from parallax.ingest.text import unwrap
from parallax.model import Article

__all__ = ["FIELD_ALIASES", "article_from_record", "parse_published", "read_json", "read_jsonl"]

# First name found wins; the contract's own name comes first.
FIELD_ALIASES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "maintext", "article_text"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publisher", "sitename", "site_name"),
    "published": (
        "published",
        "date",
        "published_at",
        "publishedAt",
        "date_publish",
        "datePublished",
        "pubDate",
    ),
    "url": ("url", "link"),
    "id": ("id",),
    "language": ("language", "lang"),
}
_DATE_HINT = "write it as YYYY-MM-DD or an ISO datetime such as 2024-12-03T09:30:00Z"

Found = tuple[list[Article], list[IngestError]]


def read_json(text: str, *, options: IngestOptions, path: str | None = None) -> Found:
    """A .json file: one article object, a list of them, or {"articles": [...]}.

    A file of one object per line is read as JSONL, since that is what it is.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            return read_jsonl(text, options=options, path=path)
        raise IngestError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            source=path,
            hint="fix the JSON, or save the article as a .txt file",
        ) from exc
    if isinstance(data, Mapping) and _pick(data, "text") is None and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, Mapping):
        article = article_from_record(
            data, options=options, path=path, fallback_outlet=outlet_from_path(path)
        )
        return [article], []
    if not isinstance(data, list):
        raise IngestError(
            f"the JSON holds a {type(data).__name__}, not an article object",
            source=path,
            hint='give an object such as {"title": ..., "text": ...} or a list of them',
        )
    if not data:
        raise IngestError(
            "the JSON list holds no articles", source=path, hint="add at least one article object"
        )
    return _collect([(f"record {i}", item) for i, item in enumerate(data, 1)], options, path)


def read_jsonl(text: str, *, options: IngestOptions, path: str | None = None) -> Found:
    """One JSON object a line; blank lines are skipped, and with skip_bad so are bad lines."""
    items: list[tuple[str, Any]] = []
    failures: list[IngestError] = []
    for lineno, line in enumerate(normalise_newlines(text).split("\n"), 1):
        if not line.strip():
            continue
        try:
            items.append((f"line {lineno}", json.loads(line)))
        except json.JSONDecodeError as exc:
            err = IngestError(
                f"line {lineno}: invalid JSON at column {exc.colno}: {exc.msg}",
                source=path,
                hint="each line of a .jsonl file must be one complete JSON object",
            )
            if not options.skip_bad:
                raise err from exc
            failures.append(err)
    articles, bad = _collect(items, options, path)
    return articles, failures + bad


def article_from_record(
    record: Any,
    *,
    options: IngestOptions,
    path: str | None = None,
    where: str | None = None,
    fallback_outlet: str | None = None,
) -> Article:
    """One record; IngestError naming the file and record when it has no usable text or date.

    Its outlet: the record's own, else `options.outlet`, else its URL's host, else `fallback_outlet`.
    """
    label = f"{where}: " if where else ""
    if not isinstance(record, Mapping):
        raise IngestError(
            f"{label}expected an article object, found a {type(record).__name__}",
            source=path,
            hint='each record must be an object such as {"title": ..., "text": ...}',
        )
    rid = _scalar(_pick(record, "id"))
    if rid and where:
        label = f"{where} (id {rid!r}): "
    text = _text(_pick(record, "text"))
    if text is None:
        names = ", ".join(repr(n) for n in FIELD_ALIASES["text"])
        raise IngestError(
            f"{label}the record has no usable article text",
            source=path,
            hint=f"put the article body in a non-empty string field named one of {names}",
        )
    try:
        published = parse_published(_pick(record, "published"))
    except ValueError as exc:
        raise IngestError(f"{label}{exc}", source=path, hint=_DATE_HINT) from None
    url = _scalar(_pick(record, "url"))
    return Article(
        text=text,
        title=_scalar(_pick(record, "title")),
        outlet=_outlet(_pick(record, "outlet")) or options.outlet or outlet_from_url(url) or fallback_outlet,
        published=published or options.published,
        url=url,
        id=rid,
        path=path,
        language=_scalar(_pick(record, "language")),
    )


def parse_published(value: Any) -> dt.date | None:
    """A date from YYYY-MM-DD, an ISO datetime (the date as written, not moved to UTC) or a plain
    written date ("3 December 2024", RFC 2822); ValueError saying what could not be read.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"cannot read the publication date {value!r}: expected a string")
    text = value.strip()
    for parse in (dt.date.fromisoformat, lambda s: dt.datetime.fromisoformat(s).date()):
        try:
            return parse(text)
        except ValueError:
            pass
    found = _dateparser(text)
    if found is None:
        raise ValueError(f"cannot read the publication date {value!r}")
    return found


def _dateparser(text: str) -> dt.date | None:
    """Written dates only: relative ones ("yesterday") would be read against today, which is wrong here."""
    import dateparser  # slow to import; most inputs never get here

    found = dateparser.parse(
        text,
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["custom-formats", "absolute-time"],
        },
    )
    return found.date() if found is not None else None


def _collect(items: Sequence[tuple[str, Any]], options: IngestOptions, path: str | None) -> Found:
    """Articles of a file of records; with no outlet anywhere, one named by file and record."""
    articles: list[Article] = []
    failures: list[IngestError] = []
    stem = outlet_from_path(path)
    for where, record in items:
        rid = _scalar(_pick(record, "id")) if isinstance(record, Mapping) else None
        # One outlet name for many records would make them one voice; the record keeps them apart.
        fallback = stem if len(items) == 1 or stem is None else f"{stem} {rid or where}"
        try:
            articles.append(
                article_from_record(record, options=options, path=path, where=where, fallback_outlet=fallback)
            )
        except IngestError as err:
            if not options.skip_bad:
                raise
            failures.append(err)
    return articles, failures


def _pick(record: Mapping[str, Any], field: str) -> Any:
    for name in FIELD_ALIASES[field]:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n".join(v.strip() for v in value if v.strip())  # a body given as paragraphs
    if not isinstance(value, str):
        return None
    text = unwrap(normalise_newlines(value)).strip()
    return text or None


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = " ".join(str(value).split())
    return text or None


def _outlet(value: Any) -> str | None:
    """An outlet name, also from {"name": ...} as news APIs give the source."""
    if isinstance(value, Mapping):
        value = value.get("name") or value.get("title")
    return _scalar(value)
