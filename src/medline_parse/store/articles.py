"""Reading a database's articles back, whole: each ``articles`` row holds its article as JSON
(``record_json``, the :mod:`medline_parse.convert.json` encoding), from which the article is rebuilt
exactly as it was written (diagnostics aside, which are not stored).
"""

from __future__ import annotations

import json
import os
import pathlib
import sqlite3
from collections.abc import Iterator

from .. import arguments
from ..convert.json import from_dict
from ..errors import MedlineError
from ..model import Article
from ..sources import SourceError
from .schema import DatabaseError

__all__ = ["SQLITE_MAGIC", "connect_read_only", "is_database", "read_articles"]

SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""


def is_database(path: str | os.PathLike[str]) -> bool:
    """Whether *path* is a SQLite database file (by its first bytes)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def connect_read_only(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A read-only connection to the existing database at *path*.

    Raises:
        SourceError: there is no file at *path*.
        DatabaseError: it is no SQLite database.
    """
    where = arguments.path(path, "the database")
    if not os.path.exists(where):
        raise SourceError(f"{where}: no such database")
    if not os.path.isfile(where):
        raise SourceError(f"{where}: is not a file")
    uri = pathlib.Path(where).absolute().as_uri() + "?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        raise DatabaseError(f"{where}: cannot read the database: {error}") from None
    return connection


def read_articles(
    source: str | os.PathLike[str], *, strict: bool = False, encoding: str | None = None
) -> Iterator[Article]:
    """The articles of the database at *source* (written by ``medline sync`` or
    ``medline convert --to sqlite``), in the order they were written (``articles.id``).

    Each is rebuilt from its ``record_json``, so it equals the article that was written.  Memory
    stays flat: rows are read as they are yielded.  *strict* and *encoding* are accepted for the
    signature every reader shares, and change nothing here.

    Raises:
        SourceError: there is no file at *source*.
        DatabaseError: it is no medline-parse database, or a row cannot be read back.
    """
    del strict, encoding  # a database has no text to decode and no records to check
    where = arguments.path(source, "the database")
    connection = connect_read_only(where)
    try:
        try:
            rows = connection.execute("SELECT id, pmid, record_json FROM articles ORDER BY id")
            for aid, pmid, text in rows:
                try:
                    yield from_dict(json.loads(text))
                except (ValueError, TypeError, MedlineError) as error:
                    who = f"PMID {pmid}" if pmid else f"id {aid}"
                    raise DatabaseError(
                        f"{where}: the article {who} cannot be read back: {error}"
                    ) from None
        except sqlite3.Error as error:
            if "no such table" in str(error):
                raise DatabaseError(
                    f"{where}: not a medline-parse database (it has no articles table)"
                ) from None
            raise DatabaseError(f"{where}: cannot read the database: {error}") from None
    finally:
        connection.close()
