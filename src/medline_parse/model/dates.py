"""Dates in MEDLINE values: DP, the ``YYYYMMDD`` tags, the ``YYYY/MM/DD HH:MM`` stamps and PHST.

Every function here is pure and none of them raises on bad input: a value that is not a valid date
gives ``None`` (or, for PHST, keeps its raw text).  The rule throughout is that a date part the text
does not state stays ``None``: ``"2020 Mar"`` has no day, ``"2023 Jul-Aug"`` has no end year.

The fixed formats are read by slicing and ``int()``; the parsers are cached because the same values
recur across the records of a file.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

import attrs

from .pickling import by_construction

__all__ = [
    "DEPRECATED_HISTORY_STATUSES",
    "KNOWN_HISTORY_STATUSES",
    "MONTH_ABBREVIATIONS",
    "SEASONS",
    "HistoryEvent",
    "PubDate",
    "format_compact_date",
    "format_history",
    "format_stamp",
    "parse_compact_date",
    "parse_history",
    "parse_pub_date",
    "parse_stamp",
    "pub_date_is_clean",
]

MONTH_ABBREVIATIONS: tuple[str, ...] = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
"""The month names DP uses, January first."""

SEASONS: frozenset[str] = frozenset({"Spring", "Summer", "Autumn", "Fall", "Winter"})
"""The season names DP may hold (``Autumn`` and ``Fall`` both occur and are kept as written)."""

DEPRECATED_HISTORY_STATUSES: frozenset[str] = frozenset(
    {"pmc", "pmcr", "pubmedr", "premedline", "medliner"}
)
"""PHST statuses NLM deprecated in 2016 (PMDM); old records may still carry them."""

KNOWN_HISTORY_STATUSES: frozenset[str] = (
    frozenset(
        {
            "received",
            "accepted",
            "revised",
            "aheadofprint",
            "epublish",
            "ppublish",
            "ecollection",
            "retracted",
            "pubmed",
            "medline",
            "entrez",
            "pmc-release",
        }
    )
    | DEPRECATED_HISTORY_STATUSES
)
"""Every PHST status of the PubStatus DTD list, deprecated ones included (FORMAT.md §2)."""

# --------------------------------------------------------------------------------------------------
# Validators

_Attr = attrs.Attribute  # shorter annotations below


def _check_year(_inst: object, attribute: _Attr[Any], value: int | None) -> None:
    if value is not None and not 1 <= value <= 9999:
        raise ValueError(f"{attribute.name} must be 1..9999, got {value!r}")


def _check_month(_inst: object, attribute: _Attr[Any], value: int | None) -> None:
    if value is not None and not 1 <= value <= 12:
        raise ValueError(f"{attribute.name} must be 1..12, got {value!r}")


def _check_day(_inst: object, attribute: _Attr[Any], value: int | None) -> None:
    if value is not None and not 1 <= value <= 31:
        raise ValueError(f"{attribute.name} must be 1..31, got {value!r}")


def _check_season(_inst: object, attribute: _Attr[Any], value: str | None) -> None:
    if value is not None and value not in SEASONS:
        raise ValueError(f"{attribute.name} must be one of {sorted(SEASONS)}, got {value!r}")


# --------------------------------------------------------------------------------------------------
# DP


def _render_point(year: int | None, month: int | None, season: str | None, day: int | None) -> str:
    words: list[str] = []
    if year is not None:
        words.append(f"{year:04d}")
    if month is not None:
        words.append(MONTH_ABBREVIATIONS[month - 1])
    elif season is not None:
        words.append(season)
    if day is not None:
        words.append(str(day))
    return " ".join(words)


@by_construction
@attrs.frozen(slots=True)
class PubDate:
    """The publication date of a DP line, holding only the parts the text states.

    ``month`` and ``season`` exclude each other, as do ``end_month`` and ``end_season``.  The
    ``end_*`` parts are those written after the dash of a range, and only those: ``"2023 Jul-Aug"``
    has ``end_month=8`` and no ``end_year``; ``"2023 Jan 5-11"`` has only ``end_day=11``.

    ``raw`` is the text as read when it differs from the canonical rendering of the parts; when it
    is identical (the usual case) it is stored as ``None``, so a parsed ``"2020 Mar"`` equals
    ``PubDate(year=2020, month=3)``.  Equality compares every field, ``raw`` included.
    """

    year: int | None = attrs.field(default=None, validator=_check_year)
    """The year, or ``None`` when the text states none."""
    month: int | None = attrs.field(default=None, validator=_check_month)
    """The month, 1 to 12, when stated."""
    season: str | None = attrs.field(default=None, validator=_check_season)
    """``"Spring"``, ``"Summer"``, ``"Fall"`` or ``"Winter"``, when stated instead of a month."""
    day: int | None = attrs.field(default=None, validator=_check_day)
    """The day of the month, when stated."""
    end_year: int | None = attrs.field(default=None, validator=_check_year)
    """The year after the dash of a range, when written there."""
    end_month: int | None = attrs.field(default=None, validator=_check_month)
    """The month after the dash of a range, when written there."""
    end_season: str | None = attrs.field(default=None, validator=_check_season)
    """The season after the dash of a range, when written there."""
    end_day: int | None = attrs.field(default=None, validator=_check_day)
    """The day after the dash of a range, when written there."""
    raw: str | None = None
    """The text as read, kept only when it differs from the parts' canonical rendering."""

    def __attrs_post_init__(self) -> None:
        if self.month is not None and self.season is not None:
            raise ValueError("a PubDate has a month or a season, not both")
        if self.end_month is not None and self.end_season is not None:
            raise ValueError("a PubDate range end has a month or a season, not both")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.end_day is not None and self.end_month is None and self.day is None:
            raise ValueError("an end day needs an end month or a start day")
        if self.raw is not None and self.raw == self._canonical():
            object.__setattr__(self, "raw", None)

    @classmethod
    def parse(cls, text: str) -> PubDate:
        """Same as :func:`parse_pub_date`."""
        return parse_pub_date(text)

    def _canonical(self) -> str:
        start = _render_point(self.year, self.month, self.season, self.day)
        end = _render_point(self.end_year, self.end_month, self.end_season, self.end_day)
        return f"{start}-{end}" if end else start

    @property
    def text(self) -> str:
        """The DP text: ``raw`` when set, else the canonical rendering (``"2020 Jul-Aug"``)."""
        return self.raw if self.raw is not None else self._canonical()

    def __str__(self) -> str:
        return self.text

    @property
    def is_canonical(self) -> bool:
        """True when :attr:`text` is exactly PubMed's rendering of the parts (``raw`` is None)."""
        return self.raw is None

    @property
    def is_range(self) -> bool:
        """True when the text states a range end."""
        return (
            self.end_year is not None
            or self.end_month is not None
            or self.end_season is not None
            or self.end_day is not None
        )

    @property
    def is_exact(self) -> bool:
        """True when every piece of :attr:`text` was understood and it makes a real date.

        That is: the text parses to exactly these parts with nothing left over, states a year, and
        any stated day exists in its month (``"2021 Feb 29"`` is not exact).  Non-canonical but
        understood spellings (``"2020 Mar/Apr"``, ``"Apr 2019"``) are exact.
        """
        if self.year is None:
            return False
        parts, understood = _analyse(self.text)
        if not understood or parts != self._parts():
            return False
        if self.day is not None and self.date is None:
            return False
        if self.end_day is not None:
            end_year = self.end_year if self.end_year is not None else self.year
            end_month = self.end_month if self.end_month is not None else self.month
            if end_month is None or not _is_real_date(end_year, end_month, self.end_day):
                return False
        return True

    @property
    def date(self) -> datetime.date | None:
        """The start as a date when year, month and day are all stated (and real), else None."""
        if self.year is None or self.month is None or self.day is None:
            return None
        try:
            return datetime.date(self.year, self.month, self.day)
        except ValueError:
            return None

    def _parts(self) -> _Parts:
        return (
            self.year,
            self.month,
            self.season,
            self.day,
            self.end_year,
            self.end_month,
            self.end_season,
            self.end_day,
        )


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


# year, month, season, day, end_year, end_month, end_season, end_day
_Parts = tuple[
    int | None, int | None, str | None, int | None, int | None, int | None, str | None, int | None
]
# year, month, season, day
_Point = tuple[int | None, int | None, str | None, int | None]
_NO_POINT: _Point = (None, None, None, None)

_CANONICAL_MONTHS: dict[str, int] = {m: i for i, m in enumerate(MONTH_ABBREVIATIONS, 1)}
_FULL_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORDS: dict[str, int] = {m.lower(): i for m, i in _CANONICAL_MONTHS.items()}
_MONTH_WORDS.update({m: i for i, m in enumerate(_FULL_MONTHS, 1)})
_MONTH_WORDS["sept"] = 9
_SEASON_WORDS: dict[str, str] = {s.lower(): s for s in SEASONS}

_RANGE_SEPARATOR = re.compile(r"[-/\u2013\u2014]")
_ISO_DATE = re.compile(r"(\d{4})([-/])(\d{2})\2(\d{2})")

# Token kinds: Y = 4-digit year, N = 1-2 digit number, M = month name, S = season, ? = other.
_Token = tuple[str, int | str | None]


def _token(word: str) -> _Token:
    w = word.rstrip(".,")
    if w.isascii() and w.isdigit():
        if len(w) == 4 and w != "0000":
            return ("Y", int(w))
        if len(w) <= 2:
            return ("N", int(w))
        return ("?", None)
    low = w.lower()
    month = _MONTH_WORDS.get(low)
    if month is not None:
        return ("M", month)
    season = _SEASON_WORDS.get(low)
    if season is not None:
        return ("S", season)
    return ("?", None)


def _int(value: int | str | None) -> int:
    assert isinstance(value, int)
    return value


def _str(value: int | str | None) -> str:
    assert isinstance(value, str)
    return value


def _read_point(tokens: list[_Token]) -> _Point | None:
    """The parts of one side of a DP value when its shape is fully understood, else None."""
    kinds = "".join(k for k, _ in tokens)
    v = [value for _, value in tokens]
    if kinds == "Y":
        return (_int(v[0]), None, None, None)
    if kinds == "YM":
        return (_int(v[0]), _int(v[1]), None, None)
    if kinds == "YS":
        return (_int(v[0]), None, _str(v[1]), None)
    if kinds == "YMN" and 1 <= _int(v[2]) <= 31:
        return (_int(v[0]), _int(v[1]), None, _int(v[2]))
    if kinds == "YNN" and 1 <= _int(v[1]) <= 12 and 1 <= _int(v[2]) <= 31:
        return (_int(v[0]), _int(v[1]), None, _int(v[2]))
    if kinds == "MY":
        return (_int(v[1]), _int(v[0]), None, None)
    if kinds == "SY":
        return (_int(v[1]), None, _str(v[0]), None)
    if kinds == "MNY" and 1 <= _int(v[1]) <= 31:
        return (_int(v[2]), _int(v[0]), None, _int(v[1]))
    if kinds == "NMY" and 1 <= _int(v[0]) <= 31:
        return (_int(v[2]), _int(v[1]), None, _int(v[0]))
    # Shapes only a range end may have: the parts it leaves out are those of the start.
    if kinds == "M":
        return (None, _int(v[0]), None, None)
    if kinds == "S":
        return (None, None, _str(v[0]), None)
    if kinds == "N" and 1 <= _int(v[0]) <= 31:
        return (None, None, None, _int(v[0]))
    if kinds == "MN" and 1 <= _int(v[1]) <= 31:
        return (None, _int(v[0]), None, _int(v[1]))
    return None


def _guess_point(tokens: list[_Token]) -> _Point:
    """Best effort for a side not fully understood: a lone year and a lone month or season.

    Numbers are never taken as days here, since nothing says what they number.
    """
    years = [value for kind, value in tokens if kind == "Y"]
    names = [(kind, value) for kind, value in tokens if kind in "MS"]
    year = _int(years[0]) if len(years) == 1 else None
    month: int | None = None
    season: str | None = None
    if len(names) == 1:
        kind, value = names[0]
        if kind == "M":
            month = _int(value)
        else:
            season = _str(value)
    return (year, month, season, None)


def _analyse_general(text: str) -> tuple[_Parts, bool]:
    stripped = text.strip()
    iso = _ISO_DATE.fullmatch(stripped)
    if iso is not None:
        year, month, day = int(iso.group(1)), int(iso.group(3)), int(iso.group(4))
        if year >= 1 and 1 <= month <= 12 and 1 <= day <= 31:
            return (year, month, None, day, None, None, None, None), True
    sides = _RANGE_SEPARATOR.split(stripped)
    exact = len(sides) <= 2
    start_tokens = [_token(w) for w in sides[0].split()]
    start = _read_point(start_tokens)
    if start is None or start[0] is None:
        start = _guess_point(start_tokens)
        exact = False
    end = _NO_POINT
    if len(sides) == 2:  # with more dashes nothing says which side is the end
        end_tokens = [_token(w) for w in sides[1].split()]
        read = _read_point(end_tokens)
        if read is not None and _end_fits(start, read):
            end = read
        else:
            end = _guess_point(end_tokens)
            exact = False
    return start + end, exact


def _end_fits(start: _Point, end: _Point) -> bool:
    """Whether a range end makes sense after its start (``Jul-Aug``, ``Jan 5-11``, ``1999-2000``).

    Anything the end leaves out is taken from the start, so a bare day needs a start day, a bare
    month or season needs a start month or season, and a day after a month range is refused.
    """
    end_year, end_month, end_season, end_day = end
    has_name = start[1] is not None or start[2] is not None
    if end_day is not None and start[3] is None:
        return False  # "2023 Jul-Aug 01": a day after a month range belongs to nothing stated
    if end_year is None:
        if end_month is not None or end_season is not None:
            return has_name
        return end_day is not None
    return True


def _day_word(word: str) -> int | None:
    if word.isascii() and word.isdigit() and len(word) <= 2 and word[0] != "0":
        day = int(word)
        if day <= 31:
            return day
    return None


@functools.lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[_Parts, bool]:
    """The parts a DP text states, and whether all of it was understood."""
    words = text.split(" ")
    first = words[0]
    if len(first) == 4 and first.isascii() and first.isdigit() and first != "0000":
        year = int(first)
        if len(words) == 1:
            return (year, None, None, None, None, None, None, None), True
        month = _CANONICAL_MONTHS.get(words[1])
        if month is not None:
            if len(words) == 2:
                return (year, month, None, None, None, None, None, None), True
            if len(words) == 3:
                day = _day_word(words[2])
                if day is not None:
                    return (year, month, None, day, None, None, None, None), True
    return _analyse_general(text)


@functools.lru_cache(maxsize=4096)
def parse_pub_date(text: str) -> PubDate:
    """Read a DP value into a :class:`PubDate`; never raises.

    Understood shapes: ``YYYY``, ``YYYY Mon``, ``YYYY Mon D``, ``YYYY Season``, ranges of any of
    them (``YYYY Mon-Mon``, ``YYYY Mon D-D``, ``YYYY Mon D-Mon D``, ``YYYY Mon-YYYY Mon``,
    ``YYYY-YYYY``, ``YYYY Season-Season``), with ``/`` or a spaced dash as the range mark, month
    names in English (3-letter or full, any case, optional trailing dot), zero-padded days,
    ``Mon YYYY``, numeric ``YYYY MM DD`` and ISO ``YYYY-MM-DD``.  Of anything else only a lone
    year and a lone month or season name are kept, never a number as a day, and the result is not
    :attr:`PubDate.is_exact`.  ``text`` of the result always equals the input.
    """
    parts, _ = _analyse(text)
    try:
        return PubDate(*parts, raw=text)
    except ValueError:  # pragma: no cover - the analysis only yields valid parts
        return PubDate(raw=text)


@functools.lru_cache(maxsize=4096)
def pub_date_is_clean(text: str) -> bool:
    """True when a DP text is fully understood and makes a real date (see PubDate.is_exact)."""
    return parse_pub_date(text).is_exact


# --------------------------------------------------------------------------------------------------
# YYYYMMDD (DEP, DCOM, LR, DA, DRDT, CTDT)


@functools.lru_cache(maxsize=4096)
def parse_compact_date(text: str) -> datetime.date | None:
    """Read ``YYYYMMDD`` (DEP, DCOM, LR, DA, DRDT, CTDT); None unless it is exactly a real date."""
    if len(text) != 8 or not (text.isascii() and text.isdigit()):
        return None
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def format_compact_date(value: datetime.date) -> str:
    """Write a date as ``YYYYMMDD``."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


# --------------------------------------------------------------------------------------------------
# YYYY/MM/DD[ HH:MM] (EDAT, MHDA, CRDT, PMCR, CDAT)


@functools.lru_cache(maxsize=4096)
def parse_stamp(text: str) -> datetime.datetime | datetime.date | None:
    """Read ``YYYY/MM/DD HH:MM`` as a naive datetime or ``YYYY/MM/DD`` as a date; else None."""
    n = len(text)
    if n not in (10, 16) or text[4] != "/" or text[7] != "/" or not text.isascii():
        return None
    y, m, d = text[:4], text[5:7], text[8:10]
    if not (y.isdigit() and m.isdigit() and d.isdigit()):
        return None
    try:
        if n == 10:
            return datetime.date(int(y), int(m), int(d))
        hh, mm = text[11:13], text[14:16]
        if text[10] != " " or text[13] != ":" or not (hh.isdigit() and mm.isdigit()):
            return None
        return datetime.datetime(int(y), int(m), int(d), int(hh), int(mm))
    except ValueError:
        return None


def format_stamp(value: datetime.date | datetime.datetime) -> str:
    """Write ``YYYY/MM/DD HH:MM`` for a datetime, ``YYYY/MM/DD`` for a date.

    The format has no seconds or time zone: those of a datetime are left out.
    """
    day = f"{value.year:04d}/{value.month:02d}/{value.day:02d}"
    if isinstance(value, datetime.datetime):
        return f"{day} {value.hour:02d}:{value.minute:02d}"
    return day


# --------------------------------------------------------------------------------------------------
# PHST


@by_construction
@attrs.frozen(slots=True)
class HistoryEvent:
    """One PHST line: a publication-history status and its date.

    ``date`` is a datetime (``YYYY/MM/DD HH:MM``), a date (``YYYY/MM/DD``), or the raw date text
    when it is neither (``"2004/00/03 00:00"``, 2000-era ``"2000 Jan 5"``, ``"2015"``).
    """

    status: str
    """The status in brackets: ``received``, ``accepted``, ``pubmed``, ``medline``, ``entrez``,
    ``aheadofprint``, ``ppublish`` ..."""
    date: datetime.datetime | datetime.date | str
    """When it happened: a datetime, a date, or the text when it is neither."""

    @property
    def is_valid(self) -> bool:
        """True when the date was read as a real date (not kept as text)."""
        return not isinstance(self.date, str)

    @property
    def is_known_status(self) -> bool:
        """True when the status is one of :data:`KNOWN_HISTORY_STATUSES`."""
        return self.status in KNOWN_HISTORY_STATUSES

    def __str__(self) -> str:
        return format_history(self)


@functools.lru_cache(maxsize=4096)
def parse_history(text: str) -> HistoryEvent | None:
    """Read a PHST value ``<date> [status]``; None when it has no ``[status]`` suffix.

    The date text is what precedes `` [``; when nothing but spaces precede the ``[``, the date is
    those spaces, none included (``"[pubmed]"`` has the date ``""``, ``" [pubmed]"`` the date
    ``" "``), so that :func:`format_history` gives back the text.
    """
    if not text.endswith("]"):
        return None
    cut = text.rfind(" [")
    if cut < 0:
        if not text.startswith("["):
            return None
        date_text, status = "", text[1:-1]  # no date at all: "[pubmed]"
    else:
        date_text, status = text[:cut], text[cut + 2 : -1]
        if not date_text.strip(" "):
            date_text += " "  # only spaces before the status: all of them are the date
    if "[" in status:
        return None
    stamp = parse_stamp(date_text)
    return HistoryEvent(status=status, date=date_text if stamp is None else stamp)


def format_history(event: HistoryEvent) -> str:
    """Write a PHST value: ``YYYY/MM/DD HH:MM [status]``, ``YYYY/MM/DD [status]`` or raw text."""
    value = event.date
    date_text = value if isinstance(value, str) else format_stamp(value)
    if not date_text.strip(" "):  # no date, or only spaces (see parse_history)
        return f"{date_text}[{event.status}]"
    return f"{date_text} [{event.status}]"
