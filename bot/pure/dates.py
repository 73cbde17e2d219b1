"""Pure calendar rules for scans, check-ups and the treatment course (no Telegram, no I/O).

Dates a person types are read in her own local calendar; every date shown to her carries
its year and a month name ("14 March 2027"), never an ambiguous 03/04/2027; a day within
a week of today may drop the year for its weekday ("Tue 3 March"). Month and weekday names
and their grammar ("14 марта 2027", "март 2027") come from Babel's CLDR locale data.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from babel import UnknownLocaleError
from babel.dates import format_date, get_day_names, get_month_names

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MONTH_ONLY = re.compile(r"(?:(last|this|next|in)\s+)?([a-z]+)\.?(?:\s+(\d{4}))?")
# Worth handing to dateparser: a few words, not a bare number ("12" is no date).
_DATE_LIKE = re.compile(r"(?=.*[^\W\d_]|.*\d[/.\-]\d)[\w/.,\- ]{2,40}")


@dataclass(frozen=True)
class Names:
    """A language's month names (as they follow a day number), short weekday names from
    Monday (both from Babel: `names_for`) and her words for today, yesterday and tomorrow
    (the interface text's `language_days`)."""

    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    days: tuple[str, ...] = ("today", "yesterday", "tomorrow")  # as she may type them
    languages: tuple[str, ...] = ("en",)  # dateparser's codes for reading her dates

    @property
    def locale(self) -> str:
        """Babel's locale for showing dates: her language."""
        return self.languages[0]


def names_for(language: str, days: tuple[str, ...] = ("today", "yesterday", "tomorrow")) -> Names:
    """A language's names from Babel's locale data (English where Babel has none)."""
    try:
        months = get_month_names("wide", "format", locale=language)
        weekdays = get_day_names("abbreviated", "format", locale=language)
    except UnknownLocaleError:
        return names_for("en", days)
    return Names(
        tuple(months[m] for m in range(1, 13)),
        tuple(weekdays[d] for d in range(7)),  # Babel counts from Monday, as date does
        days,
        tuple(dict.fromkeys((language, "en"))),
    )


ENGLISH = names_for("en")


@dataclass(frozen=True)
class DateProblem:
    """Why a typed date was refused: "unreadable", "impossible", "future", "past", or
    "month" (only a month was given, e.g. "last March"; `month` is its first day)."""

    reason: str
    month: date | None = None


def parse_date(text: str, names: Names = ENGLISH) -> date | DateProblem:
    """Read 2026-03-14, 14 March 2026, 14 Mar 2026 or March 14, 2026, or a day with her
    language's month name (14 марта 2026); not today/yesterday: those depend on her zone,
    see `parse_day`."""
    typed = " ".join(text.strip().lower().split())[:40]
    months = MONTHS | {name.lower(): n for n, name in enumerate(names.months, start=1)}
    numbers: tuple[int, int, int] | None = None
    if match := _ISO.fullmatch(typed):
        numbers = (int(match[1]), int(match[2]), int(match[3]))
    elif (match := _DAY_MONTH_YEAR.fullmatch(typed)) and match[2] in months:
        numbers = (int(match[3]), months[match[2]], int(match[1]))
    elif (match := _MONTH_DAY_YEAR.fullmatch(typed)) and match[1] in months:
        numbers = (int(match[3]), months[match[1]], int(match[2]))
    if numbers is None:
        return DateProblem("unreadable")
    try:
        return date(*numbers)
    except ValueError:
        return DateProblem("impossible")


_DATE_WORDS = re.compile(
    r"\d|\b(today|yesterday|tomorrow|next|last|ago|week|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b"
)


def looks_like_date(text: str, names: Names = ENGLISH) -> bool:
    """Whether a reply is an attempt at a date (a number, a month, a weekday ...), as
    opposed to other words ("👍", "I took it") that should not be read as one."""
    typed = text.strip().lower()
    own = {word.lower() for word in (*names.months, *names.days)}
    words = re.findall(r"[^\W\d_]+", typed)
    return bool(_DATE_WORDS.search(typed)) or any(w in MONTHS or w in own for w in words)


def month_only(typed: str, today: date, allow: str) -> date | None:
    """ "last March", "March", "March 2025": the first day of the month meant (the latest
    such month for a past date, the next for a future one); None for anything else."""
    match = _MONTH_ONLY.fullmatch(typed)
    if match is None or match[2] not in MONTHS or (match[1] == "in" and match[3] is None):
        return None
    month = MONTHS[match[2]]
    if match[3]:
        return date(int(match[3]), month, 1)
    year = today.year
    if match[1] == "last" or (allow == "past" and match[1] != "next"):
        year -= month > today.month or (match[1] == "last" and month == today.month)
    elif match[1] == "next" or allow == "future":
        year += month < today.month or (match[1] == "next" and month == today.month)
    return date(year, month, 1)


def read_words(
    typed: str, today: date, allow: str, order: str = "DMY", languages: tuple[str, ...] = ("en",)
) -> date | None:
    """A date as people write it ("next Tuesday", "8 December", "14/03/2025"), read by
    dateparser relative to her today (never the wall clock), day first unless `order`
    says otherwise; a year-less date is taken in the past or the future as `allow` asks."""
    if not _DATE_LIKE.fullmatch(typed) or len(typed.split()) > 5:
        return None
    import dateparser  # its language data loads on first use, not at start-up

    settings: Any = {
        "DATE_ORDER": order,
        "PREFER_DATES_FROM": "past" if allow == "past" else "future",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    found = dateparser.parse(typed, languages=list(languages), settings=settings)
    return found.date() if found else None


def parse_day(
    text: str, today: date, allow: str, names: Names = ENGLISH, order: str = "DMY"
) -> date | DateProblem:
    """A typed date checked against today: allow="past" (today or before, e.g. a scan
    done) or "future" (today or later, e.g. an appointment, up to two years ahead). The
    words for today, yesterday and tomorrow are read in English and in her language."""
    typed = " ".join(text.strip().lower().split())[:60]
    offsets = dict(zip((*ENGLISH.days, *names.days), (0, -1, 1) * 2, strict=True))
    found = today + timedelta(days=offsets[typed]) if typed in offsets else parse_date(typed, names)
    if isinstance(found, DateProblem) and found.reason == "unreadable":
        if (month := month_only(typed, today, allow)) is not None:
            return DateProblem("month", month)
        found = read_words(typed, today, allow, order, names.languages) or found
    if isinstance(found, DateProblem):
        return found
    if found.year < 1950:
        return DateProblem("impossible")
    if allow == "past" and found > today:
        return DateProblem("future")
    if allow == "future" and found < today:
        return DateProblem("past")
    if allow == "future" and found > add_months(today, 24):
        return DateProblem("impossible")
    return found


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_due(last: date, months: int) -> date:
    return add_months(last, months)


def is_overdue(due: date, today: date) -> bool:
    """Overdue from the day after the due date."""
    return due < today


def show(day: date, names: Names = ENGLISH) -> str:
    """Unambiguous and with the year: 14 March 2027 (14 марта 2027)."""
    return str(format_date(day, "d MMMM y", locale=names.locale))


def show_short(day: date, names: Names = ENGLISH) -> str:
    """Where the year is plain from around it (a chart's axis, this season's list): 4 Dec
    (4 дек.)."""
    return str(format_date(day, "d MMM", locale=names.locale))


def show_month(day: date, names: Names = ENGLISH) -> str:
    """March 2026 (март 2026): the month named on its own."""
    return str(format_date(day, "LLLL y", locale=names.locale))


def show_weekday(day: date, names: Names = ENGLISH) -> str:
    """A day within a week of today, where the weekday helps and the year is plain:
    Tue 3 March (вт 3 марта)."""
    return str(format_date(day, "EEE d MMMM", locale=names.locale))


@dataclass(frozen=True)
class Progress:
    day: int  # 1 on the first day
    total: int
    percent: int
    finished: bool


def course_end(started: date, years: int) -> date:
    """The first day after the course: `years` anniversaries on."""
    return add_months(started, 12 * years)


def progress(started: date, years: int, today: date) -> Progress:
    total = (course_end(started, years) - started).days
    day = (today - started).days + 1
    shown = max(1, min(day, total))
    return Progress(shown, total, shown * 100 // total, day > total)


def anniversary(started: date, year: int) -> date:
    return add_months(started, 12 * year)


def next_anniversary(started: date, years: int, after: date) -> tuple[int, date] | None:
    """(year number, date) of the first anniversary strictly after `after`, up to the end."""
    for year in range(1, years + 1):
        day = anniversary(started, year)
        if day > after:
            return year, day
    return None
