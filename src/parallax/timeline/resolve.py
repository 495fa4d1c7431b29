"""Resolve one time expression to a calendar value (YYYY, YYYY-MM or YYYY-MM-DD) against a publication day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import lru_cache
from typing import Literal

from parallax.settings import Settings

__all__ = ["Resolved", "Tense", "resolve", "split_expression"]

Tense = Literal["past", "future"] | None

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip

_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY_RE = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Words that only soften a point ("early next year", "mid-November", "the end of 1990"): same value.
_SOFTENERS = re.compile(
    r"^(?:(?:the\s+)?(?:very\s+)?(?:early|earlier|late|later|mid|middle|end|start|beginning|close|turn)"
    r"(?:\s+(?:in|of|on))?[\s-]+|(?:the\s+)?(?:same\s+)?(?:fiscal|calendar|financial|year)\s+(?=\d)|"
    r"as\s+(?:early|late)\s+as\s+|sometime\s+(?:in\s+)?|some\s+time\s+(?:in\s+)?|this\s+past\s+(?=\w+day)|"
    r"this\s+coming\s+(?=\w+day)|(?:the\s+)?year\s+(?=\d{4}))"
)
# Anything that counts time rather than naming a point, or names a range or a repetition: not a point.
_NOT_A_POINT = re.compile(
    r"\b(?:\d+s|'\d0s|decades?|centur(?:y|ies)|(?:days|weeks|months|years|hours|minutes|seconds)\b(?!\s+(?:ago|earlier|before|later))"
    r"|every|each|per|daily|weekly|monthly|annual|annually|yearly|old|age|aged|lifetime|overnight|"
    r"hours?|minutes?|seconds?|morning|afternoon|evening|night|tonight|noon|midnight|o'clock|a\.m|p\.m|"
    r"past|recent|recently|now|currently|present|future|ongoing|era|times|season|quarter|half|period|"
    r"weekend|holiday|christmas|easter|summer|winter|spring|autumn|fall)\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(
    r"\s*(?:,\s*)?\b(?:and|or|to|through|until|till|&)\b\s*|\s*[-\u2013\u2014/]\s*(?=[a-z])", re.I
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"


@dataclasses.dataclass(frozen=True)
class Resolved:
    """A calendar value; `relative` when it needed the publication date to be found."""

    when: str
    relative: bool


def split_expression(text: str) -> list[str]:
    """Split "Tuesday and Wednesday" or "1990 to 1995" into its points; keep "Oct. 15, 1999" whole."""
    parts = [p.strip(" ,") for p in _SPLIT.split(text) if p and p.strip(" ,")]
    if len(parts) > 1 and all(_looks_like_point(p) for p in parts):
        return parts
    return [text.strip()]


def _looks_like_point(part: str) -> bool:
    low = part.lower()
    return bool(re.search(rf"\b(?:{_WEEKDAY_RE}|{_MONTH_RE}|{_YEAR})(?:\b|$)", low))


def resolve(expression: str, published: dt.date, settings: Settings, tense: Tense = None) -> Resolved | None:
    """The calendar point that `expression` names, or None when it names no single point."""
    text = _clean(expression)
    if not text or _NOT_A_POINT.search(text):
        return None
    for rule in (_deictic, _weekday, _unit_offset, _ago, _years_only, _month_based):
        found = rule(text, published, tense, settings)
        if found is not None:
            return found
    return None


def _clean(expression: str) -> str:
    text = expression.lower().replace("\u2019", "'").strip(" ,.;:'\"")
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(
        r"^(?:on|in|at|by|since|from|during|until|till|before|after|of|for|about|around)\s+", "", text
    )
    for _ in range(3):
        new = _SOFTENERS.sub("", text).strip()
        new = re.sub(r"^(?:the|of|in)\s+", "", new)
        if new == text:
            break
        text = new
    return text


def _day(value: dt.date) -> str:
    return value.isoformat()


def _month(value: dt.date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _shift_month(value: dt.date, months: int) -> dt.date:
    index = value.year * 12 + value.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# "yesterday", "this week", "last month" are anchored by hand: dateparser reads "last week" as a
# day seven days back and "this week" as today, where a timeline wants the month those weeks lie in.
def _deictic(text: str, pub: dt.date, tense: Tense, settings: Settings) -> Resolved | None:
    words = {"today": 0, "yesterday": -1, "tomorrow": 1, "day before yesterday": -2, "day after tomorrow": 2}
    if text in words:
        return Resolved(_day(pub + dt.timedelta(days=words[text])), True)
    return None


def _week_month(pub: dt.date, weeks: int) -> str:
    """The month holding most of the week `weeks` from the publication week (its Thursday decides)."""
    monday = pub - dt.timedelta(days=pub.weekday())
    return _month(monday + dt.timedelta(days=7 * weeks + 3))


def _unit_offset(text: str, pub: dt.date, tense: Tense, settings: Settings) -> Resolved | None:
    m = re.fullmatch(
        r"(last|this|next|the current|the coming|the following|the previous|current)\s+(week|month|year)",
        text,
    )
    if not m:
        m2 = re.fullmatch(r"(?:in\s+)?the\s+(week|month|year)\s+(?:ahead|to come)", text)
        if not m2:
            return None
        m = re.fullmatch(r"(next)\s+(\w+)", "next " + m2.group(1))
        assert m is not None
    which, unit = m.group(1), m.group(2)
    step = {"last": -1, "the previous": -1, "next": 1, "the coming": 1, "the following": 1}.get(which, 0)
    if unit == "week":
        # "this week" is the publication month: the article speaks of its own week.
        return Resolved(_month(pub) if step == 0 else _week_month(pub, step), True)
    if unit == "month":
        return Resolved(_month(_shift_month(pub, step)), True)
    return Resolved(f"{pub.year + step:04d}", True)


def _ago(text: str, pub: dt.date, tense: Tense, settings: Settings) -> Resolved | None:
    m = re.fullmatch(
        r"(?:about |some |nearly |almost |more than |less than |just |only |over |roughly )?"
        r"(\d+|[a-z]+)\s+(day|week|month|year)s?\s+(ago|earlier|before|later|after|from now|hence)",
        text,
    )
    if not m:
        return None
    count = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1))
    if count is None:
        return None  # "a few years ago", "several months ago": no point
    sign = -1 if m.group(3) in ("ago", "earlier", "before") else 1
    unit = m.group(2)
    if unit == "day":
        return Resolved(_day(pub + dt.timedelta(days=sign * count)), True)
    if unit == "week":
        return Resolved(_day(pub + dt.timedelta(days=7 * sign * count)), True)
    if unit == "month":
        return Resolved(_month(_shift_month(pub, sign * count)), True)
    return Resolved(f"{pub.year + sign * count:04d}", True)


def _weekday(text: str, pub: dt.date, tense: Tense, settings: Settings) -> Resolved | None:
    """A weekday: "last"/"next" as said; bare, the side the tense points to, else the nearer one."""
    m = re.fullmatch(rf"(?:(last|next|this|past|coming|previous)\s+)?({_WEEKDAY_RE})\.?", text)
    if not m:
        return None
    target = WEEKDAYS.index(m.group(2))
    back = (pub.weekday() - target) % 7  # days back to the same weekday on or before the publication date
    mod = m.group(1)
    if mod in ("last", "past", "previous"):
        offset = -(back or 7)
    elif mod in ("next", "coming"):
        offset = (7 - back) if back else 7
    elif tense == "future" or (tense is None and back > settings.timeline_weekday_back_days):
        offset = (7 - back) % 7
    else:
        offset = -back
    return Resolved(_day(pub + dt.timedelta(days=offset)), True)


def _years_only(text: str, pub: dt.date, tense: Tense, settings: Settings) -> Resolved | None:
    m = re.fullmatch(rf"(?:'|fy\s?)?({_YEAR})", text)
    if m:
        return Resolved(m.group(1), False)
    if re.fullmatch(r"(?:earlier|later|early|late)?\s*(?:in\s+)?(?:this|the current) year", text):
        return Resolved(f"{pub.year:04d}", True)
    if re.fullmatch(r"year[- ]end|year's end|(?:end|close) of (?:the|this) year", text):
        return Resolved(f"{pub.year:04d}", True)
    if re.fullmatch(r"(?:earlier|later)?\s*(?:in\s+)?(?:this|the current) month", text):
        return Resolved(_month(pub), True)
    return None


@lru_cache(maxsize=64)
def _parser(base: dt.date) -> object:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": False,
        },
    )


def _month_based(text: str, pub: dt.date, tense: Tense, settings: Settings) -> Resolved | None:
    """Dates that name a month or carry digits: dateparser reads them; a missing year is chosen here."""
    mod_m = re.match(r"(last|next|this|past|coming)\s+", text)
    mod = mod_m.group(1) if mod_m else None
    core = text[mod_m.end() :] if mod_m else text
    # "January this year", "June last year": a month with a year-relative phrase.
    rel = re.fullmatch(rf"({_MONTH_RE})\s*,?\s*(?:of\s+)?(last|this|next)\s+year", core)
    if rel:
        month = MONTHS[rel.group(1).rstrip(".")]
        year = pub.year + {"last": -1, "this": 0, "next": 1}[rel.group(2)]
        return Resolved(f"{year:04d}-{month:02d}", True)
    has_month = re.search(rf"\b{_MONTH_RE}(?=\W|$)", core) is not None
    has_digits = re.search(r"\d", core) is not None
    if not has_month and not re.fullmatch(r"[\d/.-]+", core):
        return None
    if not has_month and not has_digits:
        return None
    if re.search(r"\d{1,2}:\d\d", core):
        return None
    # dateparser reads absolute forms ("Oct. 15, 1999", "3 December 2024", "2024-12-03") and their period.
    data = _parser(pub).get_date_data(core)  # type: ignore[attr-defined]
    if data is None or data.date_obj is None:
        return None
    when = data.date_obj.date()
    period = data.period
    if period not in ("day", "month", "year"):
        return None
    has_year = re.search(rf"(?<!\d){_YEAR}(?!\d)|'\d\d\b", core) is not None
    if not has_year:
        if not has_month:
            return None  # a bare number such as "15" is no date
        when = _choose_year(when, pub, tense, mod, period, settings)
        if when is None:
            return None
    if period == "year":
        return Resolved(f"{when.year:04d}", not has_year)
    if period == "month":
        return Resolved(_month(when), not has_year)
    return Resolved(_day(when), not has_year)


def _choose_year(
    when: dt.date, pub: dt.date, tense: Tense, mod: str | None, period: str, settings: Settings
) -> dt.date | None:
    """A month (or month and day) with no year: the nearest one, on the side the tense points to."""
    day = when.day if period == "day" else 1
    candidates = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            candidates.append(dt.date(year, when.month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    anchor = pub if period == "day" else pub.replace(day=1)
    past = [c for c in candidates if c <= anchor]
    future = [c for c in candidates if c >= anchor]
    if mod in ("last", "past"):
        strict = [c for c in candidates if c < anchor]
        return max(strict) if strict else None
    if mod in ("next", "coming"):
        strict = [c for c in candidates if c > anchor]
        return min(strict) if strict else None
    if mod == "this":
        return dt.date(pub.year, when.month, day)
    # A day of the month ("payable Dec. 15") is nearly always within half a year of the article, whatever
    # the tense of a distant verb; a month alone follows the tense, and without one leans to the past.
    reach = settings.timeline_day_reach_days if period == "day" else settings.timeline_month_reach_days
    if tense == "future" and future and (min(future) - anchor).days <= reach:
        return min(future)
    if tense == "past" and past and (anchor - max(past)).days <= reach:
        return max(past)
    lean = settings.timeline_month_past_days
    if period == "month" and tense is None and past and (anchor - max(past)).days <= lean:
        return max(past)
    return min(candidates, key=lambda c: (abs((c - anchor).days), c > anchor))
