"""Articles into a normalised SQLite database (the schema is in ``docs/sqlite-schema.md``, the
tables and rows in :mod:`medline_parse.store`, shared with ``medline sync``).

One ``articles`` row per article, child tables for its lists (authors, affiliations, identifiers,
MeSH headings and qualifiers, keywords, chemicals, publication types, languages, history, grants,
relations), each row keyed by ``article_id`` and its ``position`` in the record.  Writing is an
upsert by PMID: an article already in the database is deleted with all its child rows and written
anew, so loading the same file twice leaves one copy; a record older by version
(``<PMID Version>``) than the one held is ignored, the rule ``medline sync`` follows (deletion
notices are :func:`medline_parse.sync`'s to apply).  An article without PMID gets a stable key
from its content (``sha1:...``).  Rows are inserted in one transaction per batch, memory stays flat.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterable

import attrs

from ..arguments import count as count_argument
from ..arguments import path as path_argument
from ..errors import MedlineError
from ..model import Article
from ..outputs import encode_error
from ..store.order import Outcome, article_outcome
from ..store.rows import CHILD_INSERTS, INSERT_ARTICLE, ROLES, article_row, child_rows, empty_rows
from ..store.schema import (
    SCHEMA,
    SCHEMA_VERSION,
    DatabaseError,
    check_database_path,
    create_schema,
)
from ._common import article_key, articles_to_write

__all__ = [
    "ROLES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "DatabaseError",
    "WriteSummary",
    "connect",
    "create_schema",
    "write",
]


@attrs.frozen
class WriteSummary:
    """What :func:`write` did."""

    articles: int
    """Articles written."""
    replaced: int
    """How many of them replaced an article already in the database (same PMID or key)."""
    older: int = 0
    """How many were not written: older, by version, than the article held for their PMID."""


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open (or create) the database at *path* with the schema in place and foreign keys on."""
    connection = sqlite3.connect(os.fspath(path))
    connection.execute("PRAGMA foreign_keys = ON")
    create_schema(connection)
    return connection


def _write_batch(connection: sqlite3.Connection, batch: list[Article]) -> tuple[int, int]:
    """Write *batch*; how many articles replaced one held, and how many were older than it."""
    replaced = older = 0
    rows = empty_rows()
    pending: set[int] = set()
    with connection:  # one transaction
        for article in batch:
            key = article_key(article)
            held = connection.execute(
                "SELECT id, pmid_version FROM articles WHERE key = ? OR pmid = ?",
                (key, article.pmid),
            ).fetchall()
            if any(
                article_outcome(True, version, article.pmid_version) is Outcome.OLDER
                for _, version in held
            ):
                older += 1
                continue
            old = [(row[0],) for row in held]
            if old:
                replaced += 1
                connection.executemany("DELETE FROM articles WHERE id = ?", old)
                gone = {row[0] for row in old}
                if gone & pending:  # the same PMID earlier in this batch: drop its rows too
                    for table, table_rows in rows.items():
                        rows[table] = [row for row in table_rows if row[0] not in gone]
            cursor = connection.execute(INSERT_ARTICLE, article_row(article, key))
            assert cursor.lastrowid is not None
            pending.add(cursor.lastrowid)
            child_rows(article, cursor.lastrowid, rows)
        for table, statement in CHILD_INSERTS.items():
            if rows[table]:
                connection.executemany(statement, rows[table])
    return replaced, older


def write(
    articles: Article | Iterable[Article],
    target: str | os.PathLike[str] | sqlite3.Connection,
    *,
    batch_size: int = 500,
) -> WriteSummary:
    """Upsert *articles* into the database at *target* (a path or an open connection).

    Raises:
        DatabaseError: SQLite cannot write the database; the message names the file.
        MedlineError: *target* is no path or connection, or *articles* no articles (checked
            before the database is opened).
    """
    if isinstance(target, sqlite3.Connection):
        where = "the database"
    elif isinstance(target, (str, bytes, os.PathLike)):
        where = target = path_argument(target, "the database")
    else:
        raise MedlineError(
            f"cannot write a database to {type(target).__name__}: pass a path or a "
            "sqlite3.Connection"
        )
    batch_size = count_argument(batch_size, "batch_size")
    articles = articles_to_write(articles)
    first = next(articles, None)  # no database is made for input that starts with no article
    articles = itertools.chain(() if first is None else (first,), articles)
    if not isinstance(target, sqlite3.Connection):
        check_database_path(target)
    try:
        return _write(articles, target, batch_size)
    except sqlite3.Error as error:
        raise DatabaseError(f"{where}: cannot write the database: {error}") from error
    except UnicodeEncodeError as error:
        raise DatabaseError(encode_error(where, error)) from None


def _write(
    articles: Iterable[Article],
    target: str | os.PathLike[str] | sqlite3.Connection,
    batch_size: int,
) -> WriteSummary:
    connection = target if isinstance(target, sqlite3.Connection) else connect(target)
    try:
        if isinstance(target, sqlite3.Connection):
            connection.execute("PRAGMA foreign_keys = ON")
            create_schema(connection)
        count = replaced = older = 0
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                done = _write_batch(connection, batch)
                replaced, older = replaced + done[0], older + done[1]
                count += len(batch) - done[1]
                batch = []
        if batch:
            done = _write_batch(connection, batch)
            replaced, older = replaced + done[0], older + done[1]
            count += len(batch) - done[1]
    finally:
        if not isinstance(target, sqlite3.Connection):
            connection.close()
    return WriteSummary(count, replaced, older)
