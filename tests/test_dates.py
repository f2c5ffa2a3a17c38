"""Tests for medline_parse.model.dates: DP, YYYYMMDD, stamps and PHST."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medline_parse.model.dates import (
    DEPRECATED_HISTORY_STATUSES,
    KNOWN_HISTORY_STATUSES,
    MONTH_ABBREVIATIONS,
    SEASONS,
    HistoryEvent,
    PubDate,
    format_compact_date,
    format_history,
    format_stamp,
    parse_compact_date,
    parse_history,
    parse_pub_date,
    parse_stamp,
    pub_date_is_clean,
)

FEW = settings(max_examples=150, deadline=None)

# --------------------------------------------------------------------------------------------------
# DP: the shapes met in real files

# text, expected parts (only the stated ones), exact, canonical
DP_CASES: list[tuple[str, dict[str, Any], bool, bool]] = [
    ("2020", {"year": 2020}, True, True),
    ("2020 Mar", {"year": 2020, "month": 3}, True, True),
    ("2023 Jan 9", {"year": 2023, "month": 1, "day": 9}, True, True),
    ("1999 Jan 1", {"year": 1999, "month": 1, "day": 1}, True, True),
    ("2020 Mar 25", {"year": 2020, "month": 3, "day": 25}, True, True),
    ("2023 Jul-Aug", {"year": 2023, "month": 7, "end_month": 8}, True, True),
    ("2022 Jan-Dec", {"year": 2022, "month": 1, "end_month": 12}, True, True),
    ("2020 Winter", {"year": 2020, "season": "Winter"}, True, True),
    ("2004 Autumn", {"year": 2004, "season": "Autumn"}, True, True),
    ("2009 Fall", {"year": 2009, "season": "Fall"}, True, True),
    ("1998 Spring-Summer", {"year": 1998, "season": "Spring", "end_season": "Summer"}, True, True),
    ("2005 Summer-Fall", {"year": 2005, "season": "Summer", "end_season": "Fall"}, True, True),
    (
        "2000 Dec-2001 Jan",
        {"year": 2000, "month": 12, "end_year": 2001, "end_month": 1},
        True,
        True,
    ),
    ("2023 Jan 5-11", {"year": 2023, "month": 1, "day": 5, "end_day": 11}, True, True),
    ("2010 Feb 1-15", {"year": 2010, "month": 2, "day": 1, "end_day": 15}, True, True),
    ("2005 Nov 21-27", {"year": 2005, "month": 11, "day": 21, "end_day": 27}, True, True),
    (
        "2023 Jan 30-Feb 2",
        {"year": 2023, "month": 1, "day": 30, "end_month": 2, "end_day": 2},
        True,
        True,
    ),
    ("1999-2000", {"year": 1999, "end_year": 2000}, True, True),
    ("2004-2005", {"year": 2004, "end_year": 2005}, True, True),
    # understood, but not PubMed's spelling: raw is kept
    ("2020 Mar/Apr", {"year": 2020, "month": 3, "end_month": 4}, True, False),
    ("2016 Nov/Dec", {"year": 2016, "month": 11, "end_month": 12}, True, False),
    ("2018 Jul - Sep", {"year": 2018, "month": 7, "end_month": 9}, True, False),
    ("2020 Feb.", {"year": 2020, "month": 2}, True, False),
    ("Apr 2019", {"year": 2019, "month": 4}, True, False),
    ("2013 06 10", {"year": 2013, "month": 6, "day": 10}, True, False),
    ("2013-06-10", {"year": 2013, "month": 6, "day": 10}, True, False),
    ("2020 Mar 05", {"year": 2020, "month": 3, "day": 5}, True, False),
    ("2020 mar", {"year": 2020, "month": 3}, True, False),
    ("2020 March", {"year": 2020, "month": 3}, True, False),
    ("2020 Sept", {"year": 2020, "month": 9}, True, False),
    ("2020 spring", {"year": 2020, "season": "Spring"}, True, False),
    (" 2020 Mar", {"year": 2020, "month": 3}, True, False),
    # partly understood: only what is certain is kept
    ("2023 Jul-Aug 01", {"year": 2023, "month": 7, "end_month": 8}, False, False),
    ("2022 May-Jun 01", {"year": 2022, "month": 5, "end_month": 6}, False, False),
    ("2018 Jul-Ago", {"year": 2018, "month": 7}, False, False),
    ("2018 Dic", {"year": 2018}, False, False),
    ("Article 10 2019", {"year": 2019}, False, False),
    ("2020-21", {"year": 2020}, False, False),
    ("2020 Mar 32", {"year": 2020, "month": 3}, False, False),
    ("2013 13 10", {"year": 2013}, False, False),
    ("Spring", {"season": "Spring"}, False, True),
    ("Jan 5", {"month": 1}, False, False),
    ("in press", {}, False, False),
    ("", {}, False, True),
    ("2020 Jan-Feb-Mar", {"year": 2020, "month": 1}, False, False),
    # parsed, but not a real date
    ("2021 Feb 29", {"year": 2021, "month": 2, "day": 29}, False, True),
    ("2021 Feb 27-30", {"year": 2021, "month": 2, "day": 27, "end_day": 30}, False, True),
]

ALL_PARTS = (
    "year",
    "month",
    "season",
    "day",
    "end_year",
    "end_month",
    "end_season",
    "end_day",
)


def parts_of(value: PubDate) -> dict[str, Any]:
    return {name: getattr(value, name) for name in ALL_PARTS if getattr(value, name) is not None}


@pytest.mark.parametrize(("text", "parts", "exact", "canonical"), DP_CASES)
def test_dp_shapes(text: str, parts: dict[str, Any], exact: bool, canonical: bool) -> None:
    value = parse_pub_date(text)
    assert parts_of(value) == parts
    assert value.text == text
    assert str(value) == text
    assert value.is_exact is exact
    assert pub_date_is_clean(text) is exact
    assert value.is_canonical is canonical
    assert (value.raw is None) is canonical
    if canonical:
        assert value == PubDate(**parts)


def test_dp_date_property() -> None:
    assert parse_pub_date("2020 Mar 5").date == datetime.date(2020, 3, 5)
    assert parse_pub_date("2023 Jan 5-11").date == datetime.date(2023, 1, 5)
    assert parse_pub_date("2020 Mar").date is None
    assert parse_pub_date("2020").date is None
    assert parse_pub_date("2020 Winter").date is None
    assert parse_pub_date("2021 Feb 29").date is None


def test_dp_parsed_equals_hand_built() -> None:
    assert parse_pub_date("2020 Mar") == PubDate(year=2020, month=3)
    assert hash(parse_pub_date("2020 Mar")) == hash(PubDate(year=2020, month=3))
    assert PubDate(year=2020, month=3, raw="2020 Mar") == PubDate(year=2020, month=3)
    assert parse_pub_date("2020 Mar/Apr") != PubDate(year=2020, month=3, end_month=4)
    assert parse_pub_date("2020 Mar/Apr") == parse_pub_date("2020 Mar/Apr")
    assert PubDate.parse("2020 Jul-Aug") == parse_pub_date("2020 Jul-Aug")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (PubDate(year=2020), "2020"),
        (PubDate(year=2020, month=3), "2020 Mar"),
        (PubDate(year=2020, month=3, day=5), "2020 Mar 5"),
        (PubDate(year=2020, month=7, end_month=8), "2020 Jul-Aug"),
        (PubDate(year=2020, season="Winter"), "2020 Winter"),
        (PubDate(year=2000, month=12, end_year=2001, end_month=1), "2000 Dec-2001 Jan"),
        (PubDate(year=2023, month=1, day=5, end_day=11), "2023 Jan 5-11"),
        (PubDate(year=1999, end_year=2000), "1999-2000"),
        (PubDate(), ""),
    ],
)
def test_dp_canonical_text(value: PubDate, text: str) -> None:
    assert value.text == text
    assert value.raw is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"month": 0},
        {"month": 13},
        {"year": 2020, "month": 1, "day": 0},
        {"year": 2020, "month": 1, "day": 32},
        {"end_month": 13},
        {"end_day": 32, "year": 2020, "month": 1, "day": 1},
        {"year": 0},
        {"year": 10000},
        {"season": "Monsoon"},
        {"season": "winter"},
        {"year": 2020, "month": 1, "season": "Winter"},
        {"year": 2020, "day": 5},
        {"year": 2020, "season": "Winter", "day": 5},
        {"year": 2020, "end_month": 1, "end_season": "Winter"},
        {"year": 2020, "month": 1, "end_day": 5},
    ],
)
def test_dp_validators(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - several messages
        PubDate(**kwargs)


def test_dp_is_frozen() -> None:
    value = PubDate(year=2020)
    with pytest.raises(AttributeError):
        value.year = 2021  # type: ignore[misc]


# --------------------------------------------------------------------------------------------------
# DP: every value in the real corpus

# the shared corpus of real files sits beside the project (a fresh clone does not have it)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CANONICAL_DP = re.compile(
    r"\d{4}( (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( [1-9]\d?)?"
    r"(-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))?"
    r"| (Spring|Summer|Autumn|Fall|Winter))?"
)


def corpus_dp_values() -> list[str]:
    values: set[str] = set()
    if not CORPUS.is_dir():
        return []
    for path in sorted(CORPUS.iterdir()):
        if not path.is_file() or path.name == "SOURCES.tsv":
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if line.startswith("DP  - "):
                values.add(line[6:])
    return sorted(values)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not found")
def test_dp_every_corpus_value() -> None:
    values = corpus_dp_values()
    assert len(values) > 100
    for text in values:
        value = parse_pub_date(text)
        assert value.text == text
        assert value.year is not None, text
        if CANONICAL_DP.fullmatch(text) or re.fullmatch(r"\d{4} \w+ \d+-\d+|\d{4}-\d{4}", text):
            # PubMed's own shapes: understood and rebuilt byte for byte from the parts
            assert value.is_canonical, text
            rebuilt = PubDate(**parts_of(value))
            assert rebuilt.text == text
            assert rebuilt == value


# --------------------------------------------------------------------------------------------------
# DP: properties

years = st.integers(1, 9999)
months = st.integers(1, 12)
days = st.integers(1, 31)
seasons = st.sampled_from(sorted(SEASONS))


@st.composite
def pub_date_parts(draw: st.DrawFn) -> dict[str, Any]:
    """Parts of a DP value in any shape PubMed writes, ranges included."""
    kind = draw(st.sampled_from(["year", "month", "season", "day"]))
    parts: dict[str, Any] = {"year": draw(years)}
    if kind in ("month", "day"):
        parts["month"] = draw(months)
    if kind == "season":
        parts["season"] = draw(seasons)
    if kind == "day":
        parts["day"] = draw(days)
    if draw(st.booleans()):
        cross_year = kind == "year" or draw(st.booleans())
        if cross_year:
            parts["end_year"] = draw(years)
        if kind == "month":
            parts["end_month"] = draw(months)
        elif kind == "season":
            parts["end_season"] = draw(seasons)
        elif kind == "day":
            if cross_year or draw(st.booleans()):
                parts["end_month"] = draw(months)
            parts["end_day"] = draw(days)
    return parts


@FEW
@given(pub_date_parts())
def test_dp_canonical_round_trip(parts: dict[str, Any]) -> None:
    built = PubDate(**parts)
    parsed = parse_pub_date(built.text)
    assert parts_of(parsed) == parts  # nothing invented, nothing lost
    assert parsed == built
    assert parsed.raw is None
    if "day" not in parts:
        assert parsed.is_exact


DP_WORDS = st.sampled_from(
    [
        "2020",
        "1999",
        "0000",
        "0999",
        "Mar",
        "mar",
        "March",
        "Sept",
        "Ago",
        "Dic",
        "Spring",
        "Fall",
        "5",
        "05",
        "00",
        "31",
        "32",
        "13",
        "-",
        "/",
        "\u2013",
        " ",
        " ",
        ".",
        ",",
        "Article",
    ]
)


@FEW
@given(st.one_of(st.text(max_size=30), st.lists(DP_WORDS, max_size=8).map("".join)))
def test_dp_never_raises_and_keeps_text(text: str) -> None:
    value = parse_pub_date(text)
    assert value.text == text
    # every stated part comes from the text
    lowered = text.lower()
    for name in ("year", "end_year"):
        year = getattr(value, name)
        if year is not None:
            assert f"{year:04d}" in text
    for name in ("month", "end_month"):
        month = getattr(value, name)
        if month is not None:
            assert (
                MONTH_ABBREVIATIONS[month - 1].lower() in lowered
                or f"{month:02d}" in text
                or (month == 9 and "sept" in lowered)
            )
    for name in ("season", "end_season"):
        season = getattr(value, name)
        if season is not None:
            assert season.lower() in lowered
    for name in ("day", "end_day"):
        day = getattr(value, name)
        if day is not None:
            assert str(day) in text
    assert pub_date_is_clean(text) is value.is_exact


# --------------------------------------------------------------------------------------------------
# YYYYMMDD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20200315", datetime.date(2020, 3, 15)),
        ("19990101", datetime.date(1999, 1, 1)),
        ("20240229", datetime.date(2024, 2, 29)),
        ("20040003", None),
        ("20040100", None),
        ("20041301", None),
        ("20230229", None),
        ("00000101", None),
        ("202003", None),
        ("2020031", None),
        ("202003150", None),
        ("2020-03-", None),
        (" 20200315", None),
        ("2020\u00b2315", None),
        ("", None),
    ],
)
def test_compact_date(text: str, expected: datetime.date | None) -> None:
    assert parse_compact_date(text) == expected
    if expected is not None:
        assert format_compact_date(expected) == text


@FEW
@given(st.dates())
def test_compact_round_trip(value: datetime.date) -> None:
    text = format_compact_date(value)
    assert len(text) == 8
    assert parse_compact_date(text) == value


def invalid_ymd() -> st.SearchStrategy[tuple[int, int, int]]:
    bad_month = st.tuples(years, st.sampled_from([0, 13, 50, 99]), days)
    bad_day = st.tuples(years, months, st.sampled_from([0, 32, 99]))
    feb_30 = st.tuples(years, st.just(2), st.sampled_from([30, 31]))
    not_leap = st.tuples(years.filter(lambda y: y % 4 != 0), st.just(2), st.just(29))
    return st.one_of(bad_month, bad_day, feb_30, not_leap)


@FEW
@given(invalid_ymd(), st.integers(0, 23), st.integers(0, 59))
def test_invalid_dates_give_none(ymd: tuple[int, int, int], hour: int, minute: int) -> None:
    y, m, d = ymd
    assert parse_compact_date(f"{y:04d}{m:02d}{d:02d}") is None
    stamp = f"{y:04d}/{m:02d}/{d:02d}"
    assert parse_stamp(stamp) is None
    timed = f"{stamp} {hour:02d}:{minute:02d}"
    assert parse_stamp(timed) is None
    event = parse_history(f"{timed} [received]")
    assert event == HistoryEvent(status="received", date=timed)
    assert not event.is_valid
    assert format_history(event) == f"{timed} [received]"


# --------------------------------------------------------------------------------------------------
# YYYY/MM/DD[ HH:MM]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020/03/18 06:00", datetime.datetime(2020, 3, 18, 6, 0)),
        ("1996/01/01 00:00", datetime.datetime(1996, 1, 1, 0, 0)),
        ("2020/03/18 23:59", datetime.datetime(2020, 3, 18, 23, 59)),
        ("2020/03/18", datetime.date(2020, 3, 18)),
        ("2004/00/03", None),
        ("2004/00/03 00:00", None),
        ("2020/03/18 24:00", None),
        ("2020/03/18 06:60", None),
        ("2020/03/18 6:00", None),
        ("2020/03/18T06:00", None),
        ("2020/03/18 06.00", None),
        ("2020/03/18 06:00:00", None),
        ("2020-03-18", None),
        ("2020/3/18", None),
        ("20200318", None),
        ("-2020/03/18", None),
        ("2020/03/1a", None),
        ("", None),
    ],
)
def test_stamp(text: str, expected: datetime.date | None) -> None:
    result = parse_stamp(text)
    assert result == expected
    assert type(result) is type(expected)
    if expected is not None:
        assert format_stamp(expected) == text


def test_format_stamp_datetime_before_date() -> None:
    assert format_stamp(datetime.datetime(2020, 1, 2, 3, 4, 59)) == "2020/01/02 03:04"
    assert format_stamp(datetime.date(2020, 1, 2)) == "2020/01/02"


no_seconds = st.datetimes().map(lambda v: v.replace(second=0, microsecond=0))


@FEW
@given(no_seconds)
def test_stamp_round_trip_datetime(value: datetime.datetime) -> None:
    text = format_stamp(value)
    assert len(text) == 16
    assert parse_stamp(text) == value


@FEW
@given(st.dates())
def test_stamp_round_trip_date(value: datetime.date) -> None:
    text = format_stamp(value)
    result = parse_stamp(text)
    assert result == value
    assert not isinstance(result, datetime.datetime)


# --------------------------------------------------------------------------------------------------
# PHST


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2020/03/18 06:00 [entrez]",
            HistoryEvent("entrez", datetime.datetime(2020, 3, 18, 6, 0)),
        ),
        ("2006/01/05 [received]", HistoryEvent("received", datetime.date(2006, 1, 5))),
        ("2000 Jan 5 [received]", HistoryEvent("received", "2000 Jan 5")),
        ("2015 [ecollection]", HistoryEvent("ecollection", "2015")),
        ("-2019/05/02 [revised]", HistoryEvent("revised", "-2019/05/02")),
        ("2004/00/03 00:00 [received]", HistoryEvent("received", "2004/00/03 00:00")),
        (
            "2020/03/18 06:00 [pmc-release]",
            HistoryEvent("pmc-release", datetime.datetime(2020, 3, 18, 6)),
        ),
        ("2020/03/18 06:00  [entrez]", HistoryEvent("entrez", "2020/03/18 06:00 ")),
        ("2020/03/18 06:00 []", HistoryEvent("", datetime.datetime(2020, 3, 18, 6))),
        (" [entrez]", HistoryEvent("entrez", " ")),
        ("[pubmed]", HistoryEvent("pubmed", "")),
        ("   [entrez]", HistoryEvent("entrez", "   ")),
    ],
)
def test_history(text: str, expected: HistoryEvent) -> None:
    event = parse_history(text)
    assert event == expected
    assert event is not None
    assert event.is_valid is not isinstance(expected.date, str)
    assert format_history(event) == text
    assert str(event) == text


@pytest.mark.parametrize(
    "text",
    [
        "2020/03/18 06:00",
        "2020/03/18 06:00[entrez]",
        "2020/03/18 06:00 [entrez",
        "2020/03/18 06:00 entrez]",
        "2020/03/18 06:00 [entrez] ",
        "2020/03/18 [a[b]",
        "[a[b]",
        "x[pubmed]",
        "",
    ],
)
def test_history_without_status(text: str) -> None:
    assert parse_history(text) is None


def test_history_statuses() -> None:
    for status in ("received", "accepted", "revised", "aheadofprint", "pubmed", "medline"):
        assert status in KNOWN_HISTORY_STATUSES
    for status in ("entrez", "pmc-release", "epublish", "ppublish", "ecollection", "retracted"):
        assert status in KNOWN_HISTORY_STATUSES
    assert DEPRECATED_HISTORY_STATUSES <= KNOWN_HISTORY_STATUSES
    assert "premedline" in DEPRECATED_HISTORY_STATUSES
    assert HistoryEvent("entrez", datetime.date(2020, 1, 1)).is_known_status
    assert not HistoryEvent("bogus", datetime.date(2020, 1, 1)).is_known_status


statuses = st.one_of(
    st.sampled_from(sorted(KNOWN_HISTORY_STATUSES)),
    st.text(st.characters(blacklist_characters="[\r\n"), max_size=12),
)


@FEW
@given(st.one_of(no_seconds, st.dates()), statuses)
def test_history_round_trip(value: datetime.date, status: str) -> None:
    event = HistoryEvent(status=status, date=value)
    text = format_history(event)
    assert parse_history(text) == event


@FEW
@given(st.text(max_size=40))
def test_history_never_raises(text: str) -> None:
    event = parse_history(text)
    if event is not None:
        assert format_history(event) == text


def test_dp_is_range() -> None:
    assert parse_pub_date("2023 Jul-Aug").is_range
    assert parse_pub_date("2023 Jan 5-11").is_range
    assert parse_pub_date("1999-2000").is_range
    assert not parse_pub_date("2023 Jul").is_range
    assert not parse_pub_date("2018 Jul-Ago").is_range
