"""The writer's kernels: the field emitter (``_emit``) and the line layout (``_lines``).

Each compiled kernel gives exactly what its pure-Python twin gives, on generated input full of the
quirks the writer must keep (tabs, NBSP, words longer than a line, runs and trailing spaces, wide
characters, dates of every kind); and the pure layout kernel gives what ``wrap.format_field``
gives field by field, in every style.  In the pure-Python build only that last comparison runs.
"""

from __future__ import annotations

import datetime
import importlib
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import medline_parse
from medline_parse import Article, Author, HistoryEvent, Keyword
from medline_parse.medline import _emit, _lines, fields, writer
from medline_parse.medline.tags import TAGS
from medline_parse.medline.wrap import _PREFIXES, STYLES, WIDTHS, format_field

from .article_strategies import articles

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _twin(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name + "_c")
    except ImportError:
        return None


_lines_c = _twin("medline_parse.medline._lines")
_emit_c = _twin("medline_parse.medline._emit")
needs_compiled = pytest.mark.skipif(
    _lines_c is None, reason="the compiled kernels are not built (pure-Python build)"
)


def test_compiled_twins_exist_in_the_compiled_build() -> None:
    assert (_lines_c is not None) is medline_parse.COMPILED
    assert (_emit_c is not None) is medline_parse.COMPILED


def test_the_writer_uses_the_loaded_build() -> None:
    suffix = "_c" if medline_parse.COMPILED else ""
    assert writer._field_text.__module__ == "medline_parse.medline._lines" + suffix
    assert fields.emit_fields.__module__ == "medline_parse.medline._emit" + suffix


# -- the line layout ----------------------------------------------------------------------------

WORDS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=" \n\r"), max_size=8),
    st.sampled_from(["a", "word", "\t", "\t\t", " \t", "\u00a0", "x\u00a0y", "\u3000", "é", "ß"]),
    st.sampled_from(["中文", "\U0001f600", "\U00020000x", "\u0301", "\ufeff"]),  # 2- and 4-byte
    st.integers(70, 100).map(lambda n: "w" * n),  # longer than a line, or nearly
    st.integers(70, 100).map(lambda n: "\u4e2d" * n),
)
GAPS = st.sampled_from([" "] * 8 + ["  ", "   ", "\t", " \t "])


@st.composite
def values(draw: st.DrawFn) -> str:
    """A field value: words and gaps, sometimes leading or trailing spaces, now and then a line
    break (which no style can write)."""
    words = draw(st.lists(WORDS, max_size=40))
    out = ""
    for word in words:
        out += (draw(GAPS) if out else "") + word
    if draw(st.integers(0, 6)) == 0:
        out = " " * draw(st.integers(1, 3)) + out
    if draw(st.integers(0, 4)) == 0:
        out += " " * draw(st.integers(1, 90))  # trailing spaces, up to more than a line of them
    if draw(st.integers(0, 30)) == 0:
        at = draw(st.integers(0, len(out)))
        out = out[:at] + draw(st.sampled_from(["\n", "\r", "\r\n"])) + out[at:]
    return out


TAG_CHOICES = st.sampled_from(sorted(TAGS)) | st.sampled_from(["X", "ZZZZ", "LONGTAG", ""])
FIELD_LISTS = st.lists(st.tuples(TAG_CHOICES, values()), max_size=8)
NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])


def _reference(items: list[tuple[str, str]], style: str, newline: str) -> str | None:
    if any("\n" in value or "\r" in value for _, value in items):
        return None
    return "".join(format_field(tag, value, style, newline) for tag, value in items)


@SETTINGS
@given(FIELD_LISTS, st.sampled_from(STYLES), NEWLINES)
@example([("AB", "w" * 81 + " " + "v" * 5)], "legacy", "\n")  # a full legacy line keeps its space
@example([("AB", "a" + " " * 200)], "pubmed", "\n")  # only trailing spaces past the width
@example([("AB", ("word " * 30) + "\t")], "pubmed", "\r\n")  # a tab-only last line
def test_pure_layout_is_format_field_of_each_field(
    items: list[tuple[str, str]], style: str, newline: str
) -> None:
    assert _lines.field_text(items, style, newline, _PREFIXES) == _reference(items, style, newline)


@needs_compiled
@SETTINGS
@given(FIELD_LISTS, st.sampled_from(STYLES), NEWLINES)
@example([("TI", "x" * 80 + "  " + "y" * 10)], "pubmed", "\n")  # a run at the width
@example([("TI", "x" * 81)], "pubmed", "\n")  # exactly one line
@example([("TI", "x" * 82)], "pubmed", "\n")  # one word, a character too long
@example([("TI", " " + "x" * 90 + " y")], "legacy", "\n")  # a leading space is no break point
@example([("AB", "\u4e2d" * 100 + " \U0001f600 " + "x" * 85)], "pubmed-2020", "\r")
def test_compiled_layout_is_the_pure_one(
    items: list[tuple[str, str]], style: str, newline: str
) -> None:
    assert _lines_c is not None
    expected = _lines.field_text(items, style, newline, _PREFIXES)
    assert _lines_c.field_text(items, style, newline, _PREFIXES) == expected


@needs_compiled
@pytest.mark.parametrize("style", STYLES)
def test_compiled_layout_of_values_around_the_width(style: str) -> None:
    # Every break position near the width, for each string width CPython stores.
    assert _lines_c is not None
    width = WIDTHS[style]
    for char in ("a", "\u00e9", "\u4e2d", "\U0001f600"):
        for first in range(width - 4, width + 4):
            for gap in (" ", "  "):
                value = char * first + gap + char * 20
                items = [("AB", value), ("AB", value + " "), ("AB", char * first)]
                expected = _lines.field_text(items, style, "\n", _PREFIXES)
                assert _lines_c.field_text(items, style, "\n", _PREFIXES) == expected


# -- the emitter --------------------------------------------------------------------------------


class _Stamp(datetime.datetime):
    """A datetime subclass: the compiled emitter hands it to the model's formatting."""


class _Day(datetime.date):
    pass


ODD_DATES = st.sampled_from(
    [
        datetime.datetime(2020, 1, 2, 3, 4, 5, 6),  # seconds and microseconds are left out
        datetime.datetime(2020, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
        datetime.datetime(1, 1, 1),
        datetime.datetime(9999, 12, 31, 23, 59),
        datetime.date(1, 1, 1),
        datetime.date(987, 6, 5),
        _Stamp(2021, 7, 8, 9, 10),
        _Day(2021, 7, 8),
        "",
        " ",
        "2020/13/45 99:99",
    ]
)
PERSON_TAGS = st.sampled_from(["AD", "AUID", "IRAD", "FAU", "AU", "CN", "FIR", "IR", "PS", "FED"])


@st.composite
def emitted_articles(draw: st.DrawFn) -> Article:
    """A generated article, with odd dates, stray person lines in its extras, keyword lists that
    repeat owners, and any field order (none, PubMed XML's empty one, or a remembered one)."""
    article = draw(articles())
    changes: dict[str, Any] = {}
    if draw(st.booleans()):
        changes["entrez_date"] = draw(ODD_DATES)
        changes["completed_date"] = draw(ODD_DATES)
        changes["history"] = tuple(
            HistoryEvent(draw(st.sampled_from(["pubmed", "", "x y"])), draw(ODD_DATES))
            for _ in range(draw(st.integers(0, 3)))
        )
    if draw(st.booleans()):
        strays = draw(st.lists(st.tuples(PERSON_TAGS, st.sampled_from(["A", "B c", ""]))))
        changes["extra"] = article.extra + tuple(strays)
    if draw(st.booleans()):
        changes["investigators"] = (Author(full_name="Roe, Ann", affiliations=("Lab",)),)
        changes["keywords"] = tuple(
            Keyword(draw(st.sampled_from(["k", "l"])), draw(st.sampled_from([None, "NOTNLM"])))
            for _ in range(draw(st.integers(0, 4)))
        )
    article = attrs.evolve(article, **changes)
    order = draw(st.sampled_from([None, (), ("PMID", "DA", "TI")]))
    return attrs.evolve(article, field_order=order)


@needs_compiled
@SETTINGS
@given(emitted_articles())
def test_compiled_emitter_is_the_pure_one(article: Article) -> None:
    assert _emit_c is not None
    expected = _emit.emit_fields(article)
    found = _emit_c.emit_fields(article)
    assert found.fields == expected.fields
    assert found.owners == expected.owners
    assert found.extras == expected.extras
