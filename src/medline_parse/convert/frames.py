"""Articles as a pandas DataFrame, a pyarrow Table or a Parquet file.

The columns are those of the CSV output (:data:`ARTICLE_COLUMNS`, or :data:`AUTHOR_COLUMNS` with
``per_author=True``), typed: ``year`` (and ``position``, ``author_count``) are integers with
missing values, list columns (authors, affiliations, mesh, keywords, publication_types,
languages, relations) are lists of strings rather than joined text.

pandas comes with the ``[pandas]`` extra, pyarrow (Table and Parquet) with the ``[arrow]`` extra.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..arguments import count as count_argument
from ..model import Article
from ..outputs import Target, open_target
from . import missing_extra
from ._common import (
    ARTICLE_COLUMNS,
    AUTHOR_COLUMNS,
    LIST_COLUMNS,
    articles_to_write,
    author_rows,
    summary,
)

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped]
    import pyarrow  # type: ignore[import-untyped]

__all__ = ["ARTICLE_COLUMNS", "AUTHOR_COLUMNS", "to_arrow", "to_dataframe", "write_parquet"]

_INT_COLUMNS = frozenset({"year", "position", "author_count"})


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:
        raise missing_extra("pandas", "pandas", error) from None
    return pandas


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as error:
        raise missing_extra("pyarrow", "arrow", error) from None
    return pyarrow


def _rows(articles: Article | Iterable[Article], per_author: bool) -> Iterator[dict[str, Any]]:
    for article in articles_to_write(articles):
        if per_author:
            yield from author_rows(article)
        else:
            yield summary(article)


def _articles(articles_or_source: Any) -> Iterable[Article]:
    """Articles as they are, or the articles of a source (a path, a file, lines of text)."""
    from ..reader import parse
    from ..sources import Source

    if isinstance(articles_or_source, Article):
        return (articles_or_source,)
    if isinstance(articles_or_source, (str, bytes, os.PathLike)) or hasattr(
        articles_or_source, "read"
    ):
        source: Source = articles_or_source
        return parse(source)
    if not isinstance(articles_or_source, Iterable):
        return parse(articles_or_source)  # parse says what it cannot read
    iterator = iter(articles_or_source)
    first = next(iterator, None)
    if first is None:
        return ()
    if isinstance(first, Article):
        return _chain(first, iterator)
    return parse(_chain(first, iterator))  # lines of MEDLINE text


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def to_dataframe(articles_or_source: Any, *, per_author: bool = False) -> pandas.DataFrame:
    """A pandas DataFrame with one row per article (or per author with ``per_author=True``), with
    the columns of :data:`ARTICLE_COLUMNS` (or :data:`AUTHOR_COLUMNS`).

    *articles_or_source* is an iterable of :class:`~medline_parse.Article` s, or anything
    :func:`~medline_parse.parse` reads (a path, a file object, lines of text).
    """
    pd = _pandas()
    articles = _articles(articles_or_source)
    columns = AUTHOR_COLUMNS if per_author else ARTICLE_COLUMNS
    frame = pd.DataFrame.from_records(list(_rows(articles, per_author)), columns=list(columns))
    for column in columns:
        if column in _INT_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        elif column not in LIST_COLUMNS:
            frame[column] = frame[column].astype(pd.StringDtype())
    return frame


def arrow_schema(*, per_author: bool = False) -> pyarrow.Schema:
    """The pyarrow schema of :func:`to_arrow`'s tables."""
    pa = _pyarrow()
    columns = AUTHOR_COLUMNS if per_author else ARTICLE_COLUMNS

    def kind(column: str) -> Any:
        if column in _INT_COLUMNS:
            return pa.int32()
        if column in LIST_COLUMNS:
            return pa.list_(pa.string())
        return pa.string()

    return pa.schema([(column, kind(column)) for column in columns])


def to_arrow(articles: Article | Iterable[Article], *, per_author: bool = False) -> pyarrow.Table:
    """A pyarrow Table with one row per article (or per author with ``per_author=True``)."""
    pa = _pyarrow()
    return pa.Table.from_pylist(
        list(_rows(articles, per_author)), schema=arrow_schema(per_author=per_author)
    )


def write_parquet(
    articles: Article | Iterable[Article],
    target: Target,
    *,
    per_author: bool = False,
    batch_size: int = 2000,
) -> int:
    """Stream *articles* to a Parquet file (a path, ``"-"`` or a binary file; see
    :func:`~medline_parse.outputs.open_target`); returns the article count."""
    pa = _pyarrow()
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    articles = articles_to_write(articles)
    batch_size = count_argument(batch_size, "batch_size")
    schema = arrow_schema(per_author=per_author)
    count = 0
    with open_target(target, binary=True) as sink, pq.ParquetWriter(sink, schema) as writer:
        batch: list[dict[str, Any]] = []
        for article in articles:
            count += 1
            batch.extend(author_rows(article) if per_author else [summary(article)])
            if len(batch) >= batch_size:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count
