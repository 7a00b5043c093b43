"""Parse and format Thai dates: Buddhist-era years, Thai month names and Thai digits.

Year rules: a four-digit year above 2400 is Buddhist era (BE = CE + 543); a
two-digit year is accepted only with a Thai month name and is read as BE
(``67`` → 2567 → 2024). ``พ.ศ.``/``BE`` and ``ค.ศ.``/``CE``/``AD`` markers
override the guess.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "THAI_MONTHS_ABBR",
    "THAI_MONTHS_FULL",
    "format_be",
    "format_be_month",
    "normalise_digits",
    "parse_date",
    "parse_month",
    "parse_year",
]

BE_OFFSET = 543
_BE_THRESHOLD = 2400

#: Thai month abbreviations, January first.
THAI_MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
#: Thai month names in full, January first.
THAI_MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)


def _key(text: str) -> str:
    return re.sub(r"[\s.]", "", text).lower()


_THAI_MONTH_KEYS = {
    _key(name): number
    for number, names in enumerate(zip(THAI_MONTHS_ABBR, THAI_MONTHS_FULL, strict=True), 1)
    for name in names
}
_ENGLISH_MONTH_KEYS = {
    key: number
    for number, name in enumerate(_ENGLISH_MONTHS, 1)
    for key in (name, name[:3], "sept" if name == "september" else name)
}

_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ERA_BE = re.compile(r"(?:พ\.?\s*ศ\.?|\bB\.?\s*E\.?(?=\s|$))", re.IGNORECASE)
_ERA_CE = re.compile(r"(?:ค\.?\s*ศ\.?|\b(?:C\.?\s*E|A\.?\s*D)\.?(?=\s|$))", re.IGNORECASE)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_WORD_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s][^\d]*?)\s*(\d{2}|\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WORD_MONTH = re.compile(r"^([^\d\s][^\d]*?)\s*(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(\d{2}|\d{4})$")


def normalise_digits(text: str) -> str:
    """Replace Thai digits (๐–๙) with ASCII digits."""
    return text.translate(_DIGITS)


def _prepare(text: str) -> tuple[str, str | None]:
    """Normalise digits/spacing and pull out an explicit era marker."""
    value = " ".join(normalise_digits(text).split())
    era = None
    if _ERA_CE.search(value):
        era, value = "CE", _ERA_CE.sub(" ", value)
    elif _ERA_BE.search(value):
        era, value = "BE", _ERA_BE.sub(" ", value)
    return " ".join(value.split()), era


def _month_number(word: str) -> tuple[int, bool] | None:
    """Return (month, is_thai) for a month name, or None if unknown."""
    key = _key(word)
    if key in _THAI_MONTH_KEYS:
        return _THAI_MONTH_KEYS[key], True
    if key in _ENGLISH_MONTH_KEYS:
        return _ENGLISH_MONTH_KEYS[key], False
    return None


def _year(digits: str, era: str | None, thai: bool) -> int:
    number = int(digits)
    if len(digits) == 2:
        if not thai and era != "BE":
            raise ValueError("two-digit years are only accepted with Thai month names (as BE)")
        number += 2500
        return number - BE_OFFSET
    if era == "CE":
        return number
    if era == "BE" or number > _BE_THRESHOLD:
        return number - BE_OFFSET
    return number


def _checked_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{original!r} is not a real date: {exc}") from exc


def parse_date(text: str) -> dt.date:
    """Parse a date written the Thai or ISO way.

    Accepts ``2024-03-01``, ``2567-03-01``, ``1/3/2567`` (day/month/year),
    ``1 มี.ค. 67``, ``1 มีนาคม 2567``, ``1 มี.ค. พ.ศ. 2567``, ``1 March 2024``;
    Thai digits anywhere.

    Raises:
        ValueError: If the text is not a recognisable, real date.
    """
    value, era = _prepare(text)
    if match := _ISO_DATE.match(value):
        year, month, day = match.groups()
        return _checked_date(_year(year, era, False), int(month), int(day), text)
    if match := _SLASH_DATE.match(value):
        day, month, year = match.groups()
        return _checked_date(_year(year, era, False), int(month), int(day), text)
    if match := _WORD_DATE.match(value):
        day, word, year = match.groups()
        found = _month_number(word)
        if found is not None:
            month_number, thai = found
            return _checked_date(_year(year, era, thai), month_number, int(day), text)
    raise ValueError(
        f"{text!r} is not a date; use e.g. 2024-03-01, 2567-03-01, 1 มี.ค. 67 or 1 มีนาคม 2567"
    )


def parse_month(text: str) -> str:
    """Parse a month and return it as ``"YYYY-MM"`` (Gregorian).

    Accepts ``2024-03``, ``2567-03``, ``มี.ค. 67``, ``มีนาคม 2567``,
    ``March 2024``, ``Mar 2024``; Thai digits anywhere.

    Raises:
        ValueError: If the text is not a recognisable month.
    """
    value, era = _prepare(text)
    month = year = None
    if match := _ISO_MONTH.match(value):
        year, month = _year(match.group(1), era, False), int(match.group(2))
    elif match := _WORD_MONTH.match(value):
        found = _month_number(match.group(1))
        if found is not None:
            month, thai = found
            year = _year(match.group(2), era, thai)
    if month is None or year is None or not 1 <= month <= 12:
        raise ValueError(
            f"{text!r} is not a month; use e.g. 2024-03, 2567-03, มี.ค. 67 or March 2024"
        )
    return f"{year:04d}-{month:02d}"


def parse_year(text: str) -> int:
    """Parse a Gregorian or Buddhist-era year (``2024``, ``2567``, ``พ.ศ. 2567``).

    Two-digit years are read as BE (``67`` → 2024), as Thai usage implies.

    Raises:
        ValueError: If the text is not a year.
    """
    value, era = _prepare(text)
    if not _YEAR.match(value):
        raise ValueError(f"{text!r} is not a year; use e.g. 2024 or 2567")
    return _year(value, era, True)


def format_be(date: dt.date, *, full: bool = False) -> str:
    """Format a date the Thai way, e.g. ``date(2023, 10, 1)`` → ``"1 ต.ค. 2566"``.

    Args:
        date: The date.
        full: Use the full month name (``ตุลาคม``) instead of the abbreviation.
    """
    names = THAI_MONTHS_FULL if full else THAI_MONTHS_ABBR
    return f"{date.day} {names[date.month - 1]} {date.year + BE_OFFSET}"


def format_be_month(month: str | dt.date, *, full: bool = False) -> str:
    """Format a ``"YYYY-MM"`` month (or a date's month) the Thai way: ``"มี.ค. 2567"``.

    Raises:
        ValueError: If ``month`` is not ``YYYY-MM``.
    """
    if isinstance(month, dt.date):
        year, number = month.year, month.month
    else:
        match = _ISO_MONTH.match(month.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{month!r} is not a YYYY-MM month")
        year, number = int(match.group(1)), int(match.group(2))
    names = THAI_MONTHS_FULL if full else THAI_MONTHS_ABBR
    return f"{names[number - 1]} {year + BE_OFFSET}"
