"""Split article text into blocks (paragraphs, headings) that sentence splitting must not cross.

A line break ends a block: news text puts headlines, standfirsts, headings and paragraphs on
lines of their own, and a sentence never runs across them. A block longer than the parser's
limit is cut at sentence-like boundaries so no text is refused. Page furniture (a dateline
that opens a paragraph, a byline, a credit line) becomes a block of its own marked
`boilerplate`, so later stages can leave it out while the text keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.nlp.boilerplate import boilerplate_line, dateline_length

__all__ = ["Block", "is_heading", "split_blocks"]

_LINE = re.compile(r"[^\n]+")
_END_PUNCT = tuple('.!?:;"”’»)…')
# Where a long block may be cut: after sentence-final punctuation (and closing quotes) and space.
_SOFT_BREAK = re.compile(r"[.!?][\"”’»)]*\s+")


@dataclass(frozen=True)
class Block:
    """A run of text between line breaks; `start` is its offset in the article text."""

    start: int
    text: str
    heading: bool
    boilerplate: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def is_heading(line: str) -> bool:
    """A short line without closing punctuation reads as a headline or section heading."""
    words = line.split()
    return 0 < len(words) <= 14 and not line.rstrip().endswith(_END_PUNCT)


def _pieces(start: int, text: str, limit: int) -> list[tuple[int, str]]:
    """Cut `text` into pieces of at most `limit` characters, at sentence ends where possible."""
    out: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > limit:
        window_end = pos + limit
        cut = None
        for m in _SOFT_BREAK.finditer(text, pos, window_end):
            cut = m.end()
        if cut is None or cut <= pos:
            space = text.rfind(" ", pos, window_end)
            cut = space + 1 if space > pos else window_end
        out.append((start + pos, text[pos:cut]))
        pos = cut
    out.append((start + pos, text[pos:]))
    return out


def split_blocks(text: str, max_chars: int) -> list[Block]:
    """Blocks of `text` with exact offsets, whitespace trimmed, none longer than `max_chars`."""
    blocks: list[Block] = []
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        if boilerplate_line(stripped):
            blocks.append(Block(start, stripped, heading=False, boilerplate=True))
            continue
        dateline = dateline_length(stripped)
        if dateline:
            blocks.append(Block(start, stripped[:dateline].rstrip(), heading=False, boilerplate=True))
            start, stripped = start + dateline, stripped[dateline:]
        heading = is_heading(stripped)
        for piece_start, piece in _pieces(start, stripped, max_chars):
            trimmed = piece.rstrip()
            if trimmed:
                blocks.append(Block(piece_start, trimmed, heading))
    return blocks
