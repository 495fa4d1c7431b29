"""Default outlet names: a page's host name, else the file's name."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlsplit

__all__ = ["outlet_from_path", "outlet_from_url"]


def outlet_from_url(url: str | None) -> str | None:
    """The host of an article's URL without "www." ("https://www.bbc.co.uk/x" → "bbc.co.uk")."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # a malformed port or bracket: no host to name
        return None
    return host.removeprefix("www.") if host else None


def outlet_from_path(path: str | None) -> str | None:
    """The file name without its extension: `bbc.txt` → "bbc"."""
    return PurePath(path).stem or None if path else None
