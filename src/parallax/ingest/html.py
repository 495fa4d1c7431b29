"""HTML pages to Articles: trafilatura for the main text and metadata, htmldate as date fallback."""

from __future__ import annotations

import datetime as dt
import logging
import re

import htmldate
import trafilatura
from trafilatura.settings import Document

from parallax.errors import IngestError
from parallax.ingest.decode import normalise_newlines
from parallax.ingest.options import IngestOptions
from parallax.ingest.outlet import outlet_from_path
from parallax.ingest.text import same_line, split_headline
from parallax.model import Article

__all__ = ["MIN_WORDS", "read_html"]

# Fewer words than this is a menu or a button ("Home", "Subscribe now"), not an article. A guess;
# like every ingest number it stays out of Settings, which ingest does not receive.
MIN_WORDS = 5
_DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}", re.IGNORECASE)
# Copyright years and the like: an extensive search turns "© 2024" into 2024-01-01.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def read_html(html: str, *, options: IngestOptions, path: str | None = None) -> Article:
    """The page's main text, paragraphs on their own lines; IngestError when none is found."""
    doc = _extract(html)
    text = normalise_newlines(doc.text or "").strip() if doc is not None else ""
    if len(text.split()) < MIN_WORDS:
        raise IngestError(
            "found no article text in this HTML page",
            source=path,
            hint="save the article page itself (not a front page or a script-built shell), "
            "or paste its text into a .txt file",
        )
    title = _clean(doc.title) if doc is not None else None
    if title:
        first, _, rest = text.partition("\n")
        if rest.strip() and same_line(first, title):
            text = rest.strip()
    else:
        title, text = split_headline(text)
    outlet = _clean(doc.sitename) if doc is not None else None
    hostname = _clean(doc.hostname) if doc is not None else None
    if outlet and _DOMAIN.fullmatch(outlet):
        # trafilatura falls back to the host name; a name the user gives is better than that guess.
        outlet, hostname = None, outlet
    return Article(
        text=text,
        title=title,
        outlet=outlet or options.outlet or hostname or outlet_from_path(path),
        published=_date(doc.date if doc is not None else None, html) or options.published,
        url=_clean(doc.url) if doc is not None else None,
        path=path,
    )


def _extract(html: str) -> Document | None:
    """Precision first; a short page the default pass finds too small gets a recall pass."""
    # trafilatura logs every page it finds empty; the IngestError says it better.
    logger = logging.getLogger("trafilatura")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        for favor_recall in (False, True):
            doc = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_recall=favor_recall,
                date_extraction_params=_DATE_PARAMS,
            )
            if isinstance(doc, Document) and doc.text and doc.text.strip():
                return doc
        return doc if isinstance(doc, Document) else None
    finally:
        logger.setLevel(level)


def _date(found: str | None, html: str) -> dt.date | None:
    for value in (found, _htmldate(html)):
        if value:
            try:
                return dt.date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _htmldate(html: str) -> str | None:
    try:
        found = htmldate.find_date(html, outputformat="%Y-%m-%d", extensive_search=False, original_date=True)
    except Exception:  # htmldate raises assorted parser errors on broken markup; the date is optional
        return None
    return found if isinstance(found, str) else None


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None
