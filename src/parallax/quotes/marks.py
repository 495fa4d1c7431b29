"""Find the spans of text set off by quotation marks in one paragraph."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MarkedSpan", "find_marked"]

# Hand-written scanner: the pairing rules (curly vs straight marks, apostrophes, quotations left
# open at a paragraph's end by the multi-paragraph convention) are not covered by any installed
# library; a regex alone cannot tell an opening straight quote from a closing one.
_DOUBLE_OPEN = {"\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u00ab": "\u00bb"}
_OPEN_CONTEXT = set(" \t([{\u2014\u2013-/:")
_TRAIL = " \t,;:"
_ANY_MARK = set('"\u201c\u201d\u201e\u00ab\u00bb')


@dataclass(frozen=True)
class MarkedSpan:
    """The words between two marks: [start, end) in the paragraph, without marks or trailing commas."""

    start: int
    end: int
    open_mark: int
    close_mark: int | None

    @property
    def closed(self) -> bool:
        return self.close_mark is not None


def _opens_here(text: str, i: int) -> bool:
    """A straight mark opens where a word follows it and none precedes it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in _OPEN_CONTEXT or before in "\"\u201c'\u2018") and not after.isspace()


def _closes_here(text: str, i: int) -> bool:
    """A single mark closes where no letter follows (not the apostrophe of Ukraine’s, don’t)."""
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    return not after.isalnum() and not before.isspace()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        end -= 1
    return start, end


def _doubles(text: str, open_end: bool) -> list[MarkedSpan]:
    spans: list[MarkedSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close: int | None = None
        if ch in _DOUBLE_OPEN:
            closers = _DOUBLE_OPEN[ch]
            j = i + 1
            while j < n and text[j] not in closers:
                j += 1
            close = j if j < n else None
        elif ch == '"' and _opens_here(text, i):
            j = text.find('"', i + 1)
            close = j if j >= 0 else None
        elif ch == "\u201d" and i == 0:
            # Some outlets open with a right mark; treat one at the paragraph start as opening.
            j = text.find("\u201d", i + 1)
            close = j if j >= 0 else None
        else:
            i += 1
            continue
        # An open mark is a quotation only where it runs on to the next paragraph; marks of the other
        # style inside a straight-quoted paragraph are quotations within it ("SMITH: ... “Title” ...).
        later = '"' if ch == '"' else _ANY_MARK
        if close is None and (not open_end or any(c in later for c in text[i + 1 :])):
            i += 1
            continue
        end = close if close is not None else n
        start, stop = _trim(text, i + 1, end)
        if stop > start and any(c.isalnum() for c in text[start:stop]):
            spans.append(MarkedSpan(start, stop, i, close))
        i = end + 1
    return spans


def _singles(text: str, taken: list[MarkedSpan]) -> list[MarkedSpan]:
    """Single-mark quotations outside double ones, only where the marks pair up as quotes."""
    blocked = [(s.open_mark, (s.close_mark if s.close_mark is not None else len(text)) + 1) for s in taken]
    spans: list[MarkedSpan] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch not in "\u2018'" or any(a <= i < b for a, b in blocked) or not _opens_here(text, i):
            i += 1
            continue
        if not text[i + 1 : i + 2].isalpha():
            i += 1  # ‘90s, ’em: an elision, not a quotation
            continue
        closer = "\u2019" if ch == "\u2018" else "'"
        j = i + 1
        close = None
        while j < n and j - i < 400:
            if text[j] == closer and _closes_here(text, j):
                close = j
                break
            if text[j] in '"\u201c\u201d' or (ch == "'" and text[j] == "\u2018"):
                break
            j += 1
        if close is None:
            i += 1
            continue
        start, stop = _trim(text, i + 1, close)
        content = text[start:stop]
        # A straight single mark is far more often an apostrophe: demand a few words between a pair.
        if ch == "'" and len(content.split()) < 2:
            i += 1
            continue
        if stop > start and any(c.isalpha() for c in content):
            spans.append(MarkedSpan(start, stop, i, close))
        i = close + 1
    return spans


def find_marked(text: str, open_end: bool = True) -> list[MarkedSpan]:
    """Every quotation in one paragraph, in order.

    A quotation left open runs to the paragraph's end (the convention for a quotation over
    several paragraphs) when `open_end` says the next paragraph opens with a mark.
    """
    doubles = _doubles(text, open_end)
    return sorted(doubles + _singles(text, doubles), key=lambda s: s.start)
