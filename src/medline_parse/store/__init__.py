"""PubMed's current view in a SQLite database: the baseline and the update files, applied in order.

:func:`sync` applies PubMed XML files (and MEDLINE text files) to a database, file by file, each in
one transaction; :func:`status` tells which files a database holds; :func:`read_articles` reads its
articles back.  The rules of the view (file order, versions, deletions) are in :mod:`.order`, the
tables in :mod:`.schema` (documented in ``docs/sqlite-schema.md``).
"""

from __future__ import annotations

from .articles import SQLITE_MAGIC, is_database, read_articles
from .order import Outcome, View, order_files, pubmed_file_key
from .schema import SCHEMA_VERSION, DatabaseError
from .status import AppliedFile, SyncStatus, status
from .syncing import FileReport, SyncError, SyncProgress, SyncSummary, sync

__all__ = [
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "AppliedFile",
    "DatabaseError",
    "FileReport",
    "Outcome",
    "SyncError",
    "SyncProgress",
    "SyncStatus",
    "SyncSummary",
    "View",
    "is_database",
    "order_files",
    "pubmed_file_key",
    "read_articles",
    "status",
    "sync",
]
