"""Articles as CSV: one row per article with the columns people filter on, or one per author.

List columns (authors, affiliations, MeSH headings, keywords, publication types, languages,
comments and corrections) are joined with ``"; "``, which no author name, MeSH heading or
publication type contains, so headings with commas (``Child, Preschool``) survive.  A few
affiliations and keywords do contain ``"; "``: pass another *sep* (``"\\n"`` is never inside a
MEDLINE value) when the lists must split exactly.  MeSH headings are written as MEDLINE writes
them: ``*`` marks a major topic (``*Asthma/drug therapy``, ``Asthma/*drug therapy``).

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return)
as a formula, and a title or author name can start so.  As OWASP recommends against this "CSV
injection", such a cell is written with a ``'`` before it (Excel, LibreOffice and Google Sheets then
show the text as it is, without the quote); a plain number such as ``-5`` stays as it is.  Pass
``raw=True`` (``medline convert --csv-raw``) for the values exactly as they are, for programs that
are no spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Article
from ..outputs import Target, open_target
from ._common import ARTICLE_COLUMNS, AUTHOR_COLUMNS, articles_to_write, author_rows, summary

__all__ = [
    "ARTICLE_COLUMNS",
    "AUTHOR_COLUMNS",
    "SEPARATOR",
    "dumps",
    "iter_rows",
    "neutralise",
    "write",
]

SEPARATOR = "; "
"""The default separator of list columns."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")


def neutralise(cell: str) -> str:
    """*cell* made safe to open in a spreadsheet: a ``'`` before a value a spreadsheet would run
    as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is no
    plain number)."""
    if cell.startswith(_FORMULA_START) and _NUMBER.fullmatch(cell) is None:
        return "'" + cell
    return cell


def _cell(value: Any, sep: str, raw: bool) -> str:
    if value is None:
        return ""
    text = sep.join(value) if isinstance(value, list) else str(value)
    return text if raw else neutralise(text)


def iter_rows(
    articles: Iterable[Article],
    *,
    per_author: bool = False,
    sep: str = SEPARATOR,
    raw: bool = False,
) -> Iterator[list[str]]:
    """The header row, then one row of strings per article (or per author)."""
    columns = AUTHOR_COLUMNS if per_author else ARTICLE_COLUMNS
    articles = articles_to_write(articles)
    yield list(columns)
    for article in articles:
        rows = author_rows(article) if per_author else [summary(article)]
        for row in rows:
            yield [_cell(row[column], sep, raw) for column in columns]


def write(
    articles: Article | Iterable[Article],
    target: Target,
    *,
    per_author: bool = False,
    sep: str = SEPARATOR,
    raw: bool = False,
) -> int:
    """Write the CSV to *target* (a path, ``"-"``, or a file; see
    :func:`~medline_parse.outputs.open_target`); returns the number of articles written.

    Args:
        per_author: one row per author (with ORCID and affiliations) instead of per article.
        sep: what joins the values of a list column.
        raw: write every value as it is, also those a spreadsheet would run as a formula.
    """
    articles = articles_to_write(articles)
    count = 0

    def counted() -> Iterator[Article]:
        nonlocal count
        for article in articles:
            count += 1
            yield article

    rows = iter_rows(counted(), per_author=per_author, sep=sep, raw=raw)
    with open_target(target, binary=False) as handle:
        csv.writer(handle).writerows(rows)
    return count


def dumps(
    articles: Article | Iterable[Article],
    *,
    per_author: bool = False,
    sep: str = SEPARATOR,
    raw: bool = False,
) -> str:
    """The CSV text of *articles*."""
    buffer = io.StringIO(newline="")
    write(articles, buffer, per_author=per_author, sep=sep, raw=raw)
    return buffer.getvalue()
