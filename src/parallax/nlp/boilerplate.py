"""Recognise the parts of a news text that are not its content: datelines, bylines, credits, markup.

A dateline (`MOSCOW (AP) --`) opens most wire copy, so every wire report "shares" it; a byline
or a photo credit states no fact; BBCode tags and "Read more" links are page furniture. They
stay in the article text (offsets never move) but are marked, so claims and quotes leave them
out and the renderers can show them as what they are.

Written here rather than taken from a library: trafilatura strips boilerplate from HTML pages,
but plain text and JSON records reach parallax with these lines still inside the body.
"""

from __future__ import annotations

import re

from parallax.lexicon import TIMESTAMP_WORDS

__all__ = ["boilerplate_line", "dateline_length", "mask_markup", "without_markup"]

# A line that is wholly furniture: a byline, a credit or caption label, a link to elsewhere,
# a copyright or sharing line. Anchored at the start; each names its own kind of line.
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_LINE_PATTERNS = [
    # "By Jane Doe", "By Jane Doe and John Roe, Reuters", "BY JANE DOE | AP": capitalised names, no verb.
    re.compile(rf"^(?i:by)\s+{_NAME}(?:\s*(?:,|\band\b|&|\||/)\s*{_NAME})*\s*$"),
    re.compile(
        r"^[\[(]?\s*(?:photo|photograph|picture|image|video|caption|credit|pic|graphic|illustration)s?"
        r"(?:\s+by\b|\s*:)",
        re.I,
    ),
    re.compile(r"^(?:image\s+caption|image\s+source|media\s+caption|getty\s+images|copyright\b|©)", re.I),
    # Labels that only page furniture starts with...
    re.compile(
        r"^(?:read\s+more|read\s+also|also\s+read|more\s+on\s+this\s+story|sign\s+up\s+(?:for|to)|"
        r"subscribe\s+(?:to|for|now)|follow\s+us|click\s+here|advertisement)\b",
        re.I,
    ),
    # ...and words that start sentences too, so only with a separator after them ("Watch: ...").
    re.compile(
        r"^(?:related(?:\s+articles?|\s+stories)?|see\s+also|watch|listen|share|recommended)\s*[:|>»]", re.I
    ),
    re.compile(r"all\s+rights\s+reserved\.?$", re.I),
]
# A line that only gives when the page was posted: "May 3, 2013 | 8:20 am", "Updated 14 June 2013".
_MONTH_OR_CLOCK = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}:\s?\d{2}", re.I
)
# Lines that are only these labels, with nothing after them, are furniture too.
_BARE_LABELS = re.compile(r"^(?:advertisement|read\s+more|related|share|watch|listen)\W*$", re.I)

# WASHINGTON —, MOSCOW (AP) --, KYIV, Ukraine (AP) —, LONDON, Dec 3 (Reuters) -, GENEVA, March 4, 2024 (AFP) -
_DATELINE = re.compile(
    r"""^(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})      # the place, in capitals
        (?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?             # , Region or Country
        (?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?           # , Dec 3 / , March 4, 2024
        \s*(?:\((?P<agency>[A-Za-z][\w .&-]{0,30})\))?                # (AP), (Reuters)
        \s*(?:--|—|–|-|:)\s+""",
    re.X,
)
# Bracketed page markup: BBCode tags, and photo credits written into a paragraph.
_BBCODE = re.compile(
    r"\[/?(?:url|b|i|u|s|img|quote|size|colou?r|link|email|center|list|code|font|\*)(?:=[^\]\n]{0,300})?\]",
    re.I,
)
_INLINE_CREDIT = re.compile(
    r"[\[(]\s*(?:photo|photograph|picture|image|video|credit|pic|file\s+photo)s?\b[^\])\n]{0,120}[\])]", re.I
)


def boilerplate_line(line: str) -> bool:
    """Whether a whole line is page furniture rather than a statement of the story."""
    text = line.strip()
    if not text:
        return False
    if _BARE_LABELS.match(text) or _timestamp(text):
        return True
    # A long line that starts like a label ("Watch the minister explain why...") is content.
    return len(text.split()) <= 25 and any(p.search(text) for p in _LINE_PATTERNS)


def _timestamp(text: str) -> bool:
    """A line of nothing but a date or a time of day, with a year or a clock in it."""
    words = re.findall(r"[^\W\d_]+|\d+", text)
    return (
        0 < len(words) <= 12
        and all(w.isdigit() or w.lower() in TIMESTAMP_WORDS for w in words)
        and bool(_MONTH_OR_CLOCK.search(text))
        and any(w.isdigit() and (len(w) == 4 or ":" in text) for w in words)
    )


def dateline_length(text: str) -> int:
    """Length of the dateline that opens `text` (0 when there is none).

    The place must be in capitals (or an agency in brackets follow it) and a dash must close it,
    so a sentence that merely starts with an acronym ("NATO said on Tuesday") is left alone.
    """
    m = _DATELINE.match(text)
    if not m:
        return 0
    place = m.group("place")
    letters = [ch for ch in place if ch.isalpha()]
    if len(letters) < 3 and not m.group("agency"):
        return 0
    rest = text[m.end() :]
    if not rest or not any(ch.isalpha() for ch in rest):
        return 0
    return m.end()


def mask_markup(text: str) -> str:
    """`text` with BBCode tags and inline photo credits blanked out, same length, so offsets hold."""
    if "[" not in text and "(" not in text:
        return text
    masked = _BBCODE.sub(lambda m: " " * len(m.group()), text)
    return _INLINE_CREDIT.sub(lambda m: " " * len(m.group()), masked)


def without_markup(text: str) -> str:
    """`text` as a reader should see it: page markup left out, the gaps it leaves closed."""
    masked = mask_markup(text)
    if masked == text:
        return text
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(masked.split()))


_SPACE_BEFORE_MARK = re.compile(r"\s+([.,;:!?])")
