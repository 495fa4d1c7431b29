"""Plain text to an Article: newlines normalised, hard wraps joined, a leading headline taken as the title."""

from __future__ import annotations

import itertools
import re

from parallax.errors import IngestError
from parallax.ingest.decode import normalise_newlines
from parallax.ingest.options import IngestOptions
from parallax.ingest.outlet import outlet_from_path
from parallax.model import Article

__all__ = ["HEADLINE_MAX_WORDS", "read_text", "same_line", "split_headline", "unwrap"]

# Ingest reads files before a Settings object exists (it takes IngestOptions), so the few numbers of
# the headline and unwrap rules live here. A guess: the headline figures in docs/measurements.md
# (NewsWCL50 dev 12 of 25 titles, PolNeAR dev 56 of 84, ECB+ dev 312 of 771) were measured with it.
HEADLINE_MAX_WORDS = 15
# Hard wraps are 40 to 120 columns wide (72 and 80 are common); narrower "wraps" are lists or verse.
_WRAP_WIDTHS = range(40, 121)
_LIST_ITEM = re.compile(r"\s*(?:[-*•·>]|\d{1,3}[.)]|[a-z][.)])\s")
# Sentence-closing marks, optionally followed by closing quotes or brackets. `?` and `!` are
# left out on purpose: "Can NATO still say no?" is a common kind of headline.
_SENTENCE_END = re.compile(r"[.:;,…]['\"’”»)\]]*$")
_FULL_STOP = re.compile(r"\.['\"’”»)\]]*$")
_BYLINE = re.compile(r"^(by|from)\s+\S", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Words a title-case headline leaves in lower case.
_MINOR = frozenset(
    re.findall(
        r"\w+",
        "a an and as at but by en for from in into nor of off on onto or over per the to up upon via vs with",
    )
)
# Words that mark a sentence of a report rather than a headline, which drops articles, copulas and
# auxiliaries, avoids pronouns and past-tense reporting verbs, and seldom names the weekday.
_LEAD_WORD = re.compile(
    r"\b(?:the|a|an|is|are|was|were|has|have|had|would|could|said|told|i|we|you|he|she|it|they|his|her|"
    r"its|their|our|my|this|these|those|there|yesterday|today|tonight|weekend|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:'s|’s)?)\b",
    re.IGNORECASE,
)
# A full stop that ends a sentence inside the line: not after an initial, a title or "U.S".
_INNER_STOP = re.compile(
    r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr|No|vs))(?<!\b(?:Mrs|Gov|Sen|Rep|Gen|Inc|Ltd))"
    r"[.!?]['\"’”)\]]*\s+['\"‘“(]?[A-Z0-9]"
)


def unwrap(text: str) -> str:
    """Join the lines of hard-wrapped paragraphs; blank lines, short lines and list items stay.

    Text counts as hard-wrapped when most line breaks inside its paragraphs fall where the next
    word would not have fitted within one common width (the longest ordinary line, 40 to 120
    columns). Each such break becomes a space, or nothing after a word broken at a hyphen.
    """
    lines = text.split("\n")
    width = _wrap_width(lines)
    if width is None:
        return text
    out = [lines[0]]
    for prev, line in itertools.pairwise(lines):
        if not _wrapped(prev, line, width):
            out.append(line)
        elif re.search(r"[^\W\d_]-$", out[-1].rstrip()):
            out[-1] = out[-1].rstrip() + line.strip()
        else:
            out[-1] = out[-1].rstrip() + " " + line.strip()
    return "\n".join(out)


def split_headline(text: str) -> tuple[str | None, str]:
    """(headline, rest) when the first line reads as a headline, else (None, text).

    A headline is a short first line, starting in upper case, that more text follows. Without
    closing punctuation that is enough. Ending in a full stop (as NewsWCL50 headlines often do)
    it must also be one sentence and either in Title Case or written as a headline (no article,
    copula, pronoun or weekday, and a longer paragraph after it) and a paragraph of its own:
    the first sentence of a paragraph that goes on in the next line stays in the text.
    """
    stripped = text.strip()
    first, sep, rest = stripped.partition("\n")
    rest = rest.strip()
    if not sep or not rest:
        return None, stripped
    line = first.strip()
    words = line.split()
    if not words or len(words) > HEADLINE_MAX_WORDS:
        return None, stripped
    if _BYLINE.match(line) or _starts_lower(line) or _starts_lower(rest):
        return None, stripped
    if not _SENTENCE_END.search(line):
        return line, rest
    if not _FULL_STOP.search(line) or _INNER_STOP.search(line):
        return None, stripped
    own_paragraph = "\n\n" not in stripped or stripped[len(first) :].lstrip(" \t").startswith("\n\n")
    next_paragraph = rest.partition("\n")[0]
    if _title_case(line) or (
        own_paragraph and _headline_grammar(line) and len(next_paragraph.split()) >= 1.5 * len(words)
    ):
        return line, rest
    return None, stripped


def same_line(a: str, b: str) -> bool:
    """Whether two lines say the same words, ignoring case, spacing and closing marks."""
    return _squash(a) == _squash(b)


def read_text(
    text: str,
    *,
    options: IngestOptions,
    path: str | None = None,
    title: str | None = None,
) -> Article:
    """An Article from text already in memory, read with the same headline rule as .txt files.

    Hard-wrapped lines are joined first, so Article.text (and every sentence offset) is the
    unwrapped text. With `title` given, a first line repeating it is dropped instead of guessed at.
    """
    text = unwrap(normalise_newlines(text).removeprefix("\ufeff"))
    if not text.strip():
        raise IngestError(
            "the article text is empty", source=path, hint="give the text of the article, not just its title"
        )
    title = title.strip() if title and title.strip() else None
    if title is None:
        title, body = split_headline(text)
    else:
        first, _, rest = text.strip().partition("\n")
        body = rest.strip() if rest.strip() and same_line(first, title) else text.strip()
    return Article(
        text=body,
        title=title,
        outlet=options.outlet or outlet_from_path(path),
        published=options.published,
        path=path,
    )


def _wrap_width(lines: list[str]) -> int | None:
    """The width text was wrapped at, or None when it was not hard-wrapped."""
    lengths = sorted(len(ln.rstrip()) for ln in lines if ln.strip())
    if len(lengths) < 4:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]  # a long URL or table row does not set the width
    if width not in _WRAP_WIDTHS:
        return None
    inner = [(a, b) for a, b in itertools.pairwise(lines) if a.strip() and b.strip()]
    wrapped = sum(_wrapped(a, b, width) for a, b in inner)
    # At least 3 wrapped breaks, and half of all: PolNeAR and TimeBank dev texts re-wrapped at 60, 72
    # and 80 columns come back exactly in 458 of 471 cases, and none of 954 unwrapped texts changes.
    return width if wrapped >= 3 and wrapped >= 0.5 * len(inner) else None


def _wrapped(prev: str, line: str, width: int) -> bool:
    """Whether the break before `line` was made by wrapping: its first word did not fit on `prev`."""
    if not prev.strip() or not line.strip() or _LIST_ITEM.match(line):
        return False
    return len(prev.rstrip()) + 1 + len(line.split()[0]) > width


def _title_case(line: str) -> bool:
    """Every word but the minor ones capitalised, and at least four such words."""
    major = [w for w in _WORD.findall(line) if w.casefold() not in _MINOR]
    return len(major) >= 4 and all(w[0].isupper() for w in major)


def _headline_grammar(line: str) -> bool:
    return len(_WORD.findall(line)) >= 4 and not _LEAD_WORD.search(line)


def _starts_lower(text: str) -> bool:
    """Whether the first word with letters is all lower case ("iPhone" and "eBay" are not)."""
    for word in text.split(maxsplit=3):
        if any(ch.isalpha() for ch in word):
            return word.islower()
        if any(ch.isdigit() for ch in word):
            return False
    return False


def _squash(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line.casefold()).split())
