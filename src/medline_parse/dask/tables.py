"""Partitions as pandas DataFrames with a fixed Arrow schema, built on the workers.

The columns and their types are those of :func:`medline_parse.convert.frames.arrow_schema` (the
documented one-row-per-article columns, list columns as ``list<string>``); each column is a
``pandas.ArrowDtype``, so every partition, empty or not, has exactly that schema and
``to_parquet`` writes it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .. import arguments
from ..convert._common import ARTICLE_COLUMNS, summary
from ..convert.frames import _pandas, arrow_schema
from ..errors import MedlineError
from ..model import Article

__all__ = ["arrow_frame", "article_frame", "check_columns", "schema"]


def check_columns(columns: object) -> tuple[str, ...]:
    """*columns* as a tuple (all of :data:`ARTICLE_COLUMNS` for ``None``), or a
    :class:`~medline_parse.MedlineError` naming the unknown ones."""
    if columns is None:
        return ARTICLE_COLUMNS
    columns = arguments.one_or_many(columns, "columns")
    for column in columns:
        if not isinstance(column, str):
            kind = type(column).__name__
            raise MedlineError(f"each of columns must be a column name (str), not {kind}")
    unknown = [c for c in columns if c not in ARTICLE_COLUMNS]
    if unknown:
        raise MedlineError(
            f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"the columns are {', '.join(ARTICLE_COLUMNS)}"
        )
    return tuple(columns)


def schema(columns: Sequence[str]) -> Any:
    """The pyarrow schema of *columns* (a selection of :data:`ARTICLE_COLUMNS`)."""
    full = arrow_schema()
    import pyarrow as pa  # type: ignore[import-untyped]  # arrow_schema() checked it is there

    return pa.schema([full.field(column) for column in columns])


def arrow_frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    """A DataFrame of *rows* (dicts holding at least *columns*) with ``ArrowDtype`` columns."""
    import pyarrow as pa

    pd = _pandas()
    table = pa.Table.from_pylist(rows, schema=schema(columns))
    return table.to_pandas(types_mapper=pd.ArrowDtype)


def article_frame(columns: Sequence[str], part: object, articles: Iterable[Article]) -> Any:
    """One row per article (a partition of :func:`medline_parse.dask.read_dataframe`)."""
    return arrow_frame([summary(article) for article in articles], columns)
