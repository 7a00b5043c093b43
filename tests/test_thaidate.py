"""Tests for Thai / Buddhist-era date parsing and formatting."""

from __future__ import annotations

import datetime as dt

import pytest

from policygraph.thaidate import (
    THAI_MONTHS_ABBR,
    THAI_MONTHS_FULL,
    format_be,
    format_be_month,
    normalise_digits,
    parse_date,
    parse_month,
    parse_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2567-03-01", dt.date(2024, 3, 1)),
        ("1 มี.ค. 67", dt.date(2024, 3, 1)),
        ("1 มีนาคม 2567", dt.date(2024, 3, 1)),
        ("1 มี.ค. 2567", dt.date(2024, 3, 1)),
        ("1มี.ค.67", dt.date(2024, 3, 1)),
        ("๑ มี.ค. ๖๗", dt.date(2024, 3, 1)),
        ("๒๕๖๖-๑๐-๐๑", dt.date(2023, 10, 1)),
        ("1 ต.ค. พ.ศ. 2566", dt.date(2023, 10, 1)),
        ("30 ก.ย. 66", dt.date(2023, 9, 30)),
        ("31 ธันวาคม 2566", dt.date(2023, 12, 31)),
        ("29 ก.พ. 67", dt.date(2024, 2, 29)),
        ("1/3/2567", dt.date(2024, 3, 1)),
        ("1 March 2024", dt.date(2024, 3, 1)),
        ("  1   มี.ค.  67 ", dt.date(2024, 3, 1)),
        ("1 ม.ค. ค.ศ. 2024", dt.date(2024, 1, 1)),
    ],
)
def test_parse_date(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2024-02-30", "29 ก.พ. 66", "1 Foo 2567", "1 Mar 24", "2024/03/01"]
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", "2024-03"),
        ("2567-03", "2024-03"),
        ("มี.ค. 67", "2024-03"),
        ("มีค 67", "2024-03"),
        ("มีนาคม 2567", "2024-03"),
        ("March 2024", "2024-03"),
        ("Mar 2024", "2024-03"),
        ("mar 2024", "2024-03"),
        ("Sept 2024", "2024-09"),
        ("ต.ค. ๖๖", "2023-10"),
        ("พ.ค. 67", "2024-05"),
        ("พฤศจิกายน 2566", "2023-11"),
        ("ธ.ค. พ.ศ. 2566", "2023-12"),
    ],
)
def test_parse_month(text: str, expected: str) -> None:
    assert parse_month(text) == expected


@pytest.mark.parametrize("text", ["2024-13", "March", "Mar 24", "13/2567", "มี.ค."])
def test_parse_month_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_month(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024", 2024), ("2567", 2024), ("๒๕๖๗", 2024), ("พ.ศ. 2567", 2024), ("67", 2024),
     ("1999", 1999), ("ค.ศ. 2567", 2567)],
)
def test_parse_year(text: str, expected: int) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["", "24567", "year", "2024-03"])
def test_parse_year_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_year(text)


def test_format_be() -> None:
    assert format_be(dt.date(2023, 10, 1)) == "1 ต.ค. 2566"
    assert format_be(dt.date(2024, 3, 1), full=True) == "1 มีนาคม 2567"


def test_format_be_month() -> None:
    assert format_be_month("2024-03") == "มี.ค. 2567"
    assert format_be_month(dt.date(2023, 10, 5)) == "ต.ค. 2566"
    assert format_be_month("2024-12", full=True) == "ธันวาคม 2567"
    with pytest.raises(ValueError):
        format_be_month("2024-13")


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_round_trips(month: int) -> None:
    date = dt.date(2024, month, 1)
    assert parse_date(format_be(date)) == date
    assert parse_date(format_be(date, full=True)) == date
    assert parse_month(format_be_month(date)) == f"2024-{month:02d}"


def test_month_tables() -> None:
    assert len(THAI_MONTHS_ABBR) == len(THAI_MONTHS_FULL) == 12
    assert THAI_MONTHS_ABBR[9] == "ต.ค." and THAI_MONTHS_FULL[0] == "มกราคม"


def test_normalise_digits() -> None:
    assert normalise_digits("ปี ๒๕๖๗ ข้อ ๑๐") == "ปี 2567 ข้อ 10"
