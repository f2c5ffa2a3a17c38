"""What a synced database holds: the files applied, in the order they were, with their counts."""

from __future__ import annotations

import os
import sqlite3

import attrs

from .. import arguments
from .articles import connect_read_only
from .schema import DatabaseError, indexes_deferred, schema_version

__all__ = ["AppliedFile", "SyncStatus", "status"]


@attrs.frozen
class AppliedFile:
    """One file applied to the database (a row of ``sync_files``)."""

    name: str
    """The file's name, without folder."""
    size: int
    """Its size in bytes."""
    modified: str
    """Its modification time when it was applied (ISO 8601, UTC)."""
    sha256: str
    """The SHA-256 checksum of its bytes."""
    md5: str | None
    """Its MD5 checksum, when a ``.md5`` file checked it."""
    records: int
    """Articles it held."""
    deletions: int
    """PMIDs its deletion notices named."""
    added: int
    """Articles it added."""
    replaced: int
    """Articles it replaced."""
    older: int
    """Articles it held in an older version than the database: ignored."""
    deleted: int
    """PMIDs it deleted."""
    absent: int
    """PMIDs its deletion notices named that the database did not hold."""
    problems: int
    """Problems in its records."""
    applied_at: str
    """When it was applied (ISO 8601, UTC)."""
    seconds: float
    """How long applying it took."""


@attrs.frozen
class SyncStatus:
    """What :func:`status` found."""

    database: str
    """The database."""
    schema_version: int | None
    """The version of its schema."""
    articles: int
    """Articles it holds."""
    files: tuple[AppliedFile, ...]
    """The files applied, in the order they were."""
    indexes_deferred: bool = False
    """The secondary indexes are not built yet (a sync that started on an empty database was
    stopped before its end; the next sync builds them)."""

    @property
    def last_applied(self) -> str | None:
        """When the last file was applied (ISO 8601, UTC), or ``None``."""
        return self.files[-1].applied_at if self.files else None


_COLUMNS = [field.name for field in attrs.fields(AppliedFile)]


def status(database: str | os.PathLike[str]) -> SyncStatus:
    """The files applied to *database* by :func:`~medline_parse.sync` and how many articles it
    holds (the database is only read).

    Raises:
        SourceError: there is no database at *database*.
        DatabaseError: it is no medline-parse database.
    """
    where = arguments.path(database, "the database")
    connection = connect_read_only(where)
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "articles" not in tables:
            raise DatabaseError(f"{where}: not a medline-parse database (it has no articles table)")
        articles: int = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        files: tuple[AppliedFile, ...] = ()
        if "sync_files" in tables:
            rows = connection.execute(f"SELECT {', '.join(_COLUMNS)} FROM sync_files ORDER BY id")
            files = tuple(AppliedFile(*row) for row in rows)
        return SyncStatus(
            where, schema_version(connection), articles, files, indexes_deferred(connection)
        )
    except sqlite3.Error as error:
        raise DatabaseError(f"{where}: cannot read the database: {error}") from None
    finally:
        connection.close()
