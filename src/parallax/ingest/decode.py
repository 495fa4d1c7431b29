"""Bytes to text: BOMs, UTF-8, UTF-16 without a BOM, cp1252, then charset-normalizer."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

from parallax.errors import IngestError

__all__ = ["decode_bytes", "normalise_newlines"]

_BOMS = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Non-ASCII characters that Western text in cp1252 commonly holds besides letters.
_WESTERN_MARKS = set("‘’‚“”„–—…€•«»°£¥§©®™·×÷¡¢¦¨ª¬¯±´µ¶¸º¼½¾†‡‰‹›\u00a0")
_SAVE_AS_UTF8 = "save the file as UTF-8 text and try again"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends become \\n, so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, source: str) -> str:
    """The text in `data`; IngestError (naming `source`) when it is empty, binary or undecodable."""
    if not data:
        raise IngestError("the file is empty", source=source, hint="give a file that holds the article text")
    text = _decode(data, source)
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise IngestError(
            "the file holds only whitespace", source=source, hint="give a file that holds the article text"
        )
    if _junk_share(text) > 0.05:
        raise IngestError("the file looks binary, not text", source=source, hint=_SAVE_AS_UTF8)
    # A stray NUL or escape code in text is noise that would reach the models and the terminal.
    return _CONTROL.sub("", text)


def _decode(data: bytes, source: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding}",
                    source=source,
                    hint=_SAVE_AS_UTF8,
                ) from exc
    # Before UTF-8: ASCII text in UTF-16 is valid UTF-8 too, with a NUL after every letter.
    utf16 = _utf16_without_bom(data) if b"\x00" in data else None
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise IngestError(
            "the file looks binary (it holds NUL bytes), not text", source=source, hint=_SAVE_AS_UTF8
        )
    # No text encoding but UTF-16 (handled above) uses control bytes for letters: in random or
    # compressed data one byte in ten is one, and a guessed encoding would turn it into mojibake.
    if _control_bytes(data) > 0.01 * len(data):
        raise IngestError("the file looks binary, not text", source=source, hint=_SAVE_AS_UTF8)
    western = _cp1252(data)
    if western is not None:
        return western
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError(
            "cannot decode the file: it is not text in any encoding parallax recognises",
            source=source,
            hint=_SAVE_AS_UTF8,
        )
    return str(best)


def _control_bytes(data: bytes) -> int:
    return sum(data.count(b) for b in _CONTROL_BYTES)


_CONTROL_BYTES = [bytes([b]) for b in (*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F)]


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly Latin script has NUL in every other byte; binary files have them anywhere."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd >= 0.3 * half and even <= 0.05 * half:
        encoding = "utf-16-le"
    elif even >= 0.3 * half and odd <= 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cp1252(data: bytes) -> str | None:
    """cp1252 when the bytes read as plausible Western text.

    Written by hand because charset-normalizer guesses short cp1252 news text as cp775 or
    cp850 and turns its curly quotes and dashes into other characters; the check below
    (sparse accented letters, only common punctuation) still leaves Cyrillic, Greek and
    Central European single-byte text to charset-normalizer.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = sum(ch.isalpha() for ch in text)
    accented = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        if ch.isalpha():
            accented += 1
        elif ch not in _WESTERN_MARKS:
            return None
    return text if letters and accented <= 0.2 * letters else None


def _junk_share(text: str) -> float:
    """Share of control characters and replacement marks: high in binary data read as text."""
    junk = sum(
        1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    )
    return junk / len(text)
