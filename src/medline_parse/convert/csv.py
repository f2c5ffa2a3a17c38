"""Articles as CSV: one row per article with the columns people filter on, or one per author.

List columns (authors, affiliations, MeSH headings, keywords, publication types, languages) are
joined with ``"; "``, which no author name, MeSH heading or publication type contains, so headings
with commas (``Child, Preschool``) survive.  A few affiliations and keywords do contain ``"; "``:
pass another *sep* (``"\\n"`` is never inside a MEDLINE value) when the lists must split exactly.
MeSH headings are written as MEDLINE writes them: ``*`` marks a major topic
(``*Asthma/drug therapy``, ``Asthma/*drug therapy``).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..model import Article
from ._common import ARTICLE_COLUMNS, AUTHOR_COLUMNS, author_rows, summary

__all__ = ["ARTICLE_COLUMNS", "AUTHOR_COLUMNS", "SEPARATOR", "dumps", "iter_rows", "write"]

SEPARATOR = "; "
"""The default separator of list columns."""


def _cell(value: Any, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(value)
    return str(value)


def iter_rows(
    articles: Iterable[Article], *, per_author: bool = False, sep: str = SEPARATOR
) -> Iterator[list[str]]:
    """The header row, then one row of strings per article (or per author)."""
    columns = AUTHOR_COLUMNS if per_author else ARTICLE_COLUMNS
    yield list(columns)
    for article in articles:
        rows = author_rows(article) if per_author else [summary(article)]
        for row in rows:
            yield [_cell(row[column], sep) for column in columns]


def write(
    articles: Iterable[Article],
    target: str | os.PathLike[str] | IO[str],
    *,
    per_author: bool = False,
    sep: str = SEPARATOR,
) -> int:
    """Write the CSV to *target* (a path or a text file opened with ``newline=""``); returns the
    number of articles written."""
    count = 0

    def counted() -> Iterator[Article]:
        nonlocal count
        for article in articles:
            count += 1
            yield article

    rows = iter_rows(counted(), per_author=per_author, sep=sep)
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    else:
        csv.writer(target).writerows(rows)
    return count


def dumps(articles: Iterable[Article], *, per_author: bool = False, sep: str = SEPARATOR) -> str:
    """The CSV text of *articles*."""
    buffer = io.StringIO(newline="")
    write(articles, buffer, per_author=per_author, sep=sep)
    return buffer.getvalue()
