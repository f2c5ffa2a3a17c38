"""The tables of a medline-parse database: one schema for ``medline convert --to sqlite`` and
``medline sync`` (documented in ``docs/sqlite-schema.md``).

One ``articles`` row per article, child tables for its lists, each row keyed by ``article_id`` and
its ``position`` in the record; ``sync_files`` records each file :func:`medline_parse.sync` applied.
:func:`create_schema` creates what is missing and brings a database written by an earlier version
of the schema up to date (version 1 had no ``pmid_version`` column and no ``sync_files``).

The secondary indexes (:data:`INDEXES`: on years, DOIs, names, MeSH descriptors ...) serve queries,
not writing.  A sync that starts on an empty database *defers* them (:func:`defer_indexes`): it
loads without them and builds them when it ends (:func:`build_indexes`), by sorting, which is far
cheaper than keeping them up to date row by row once they outgrow the cache.  ``meta`` says
``indexes = deferred`` meanwhile, so a run that was killed leaves the next one to build them.
"""

from __future__ import annotations

import os
import sqlite3
import stat

from ..errors import MedlineError

__all__ = [
    "CHILD_TABLES",
    "INDEXES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "DatabaseError",
    "build_indexes",
    "create_schema",
    "defer_indexes",
    "indexes_deferred",
    "schema_version",
]

SCHEMA_VERSION = 2
"""The version of :data:`SCHEMA`, stored in ``meta`` as ``schema_version``."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    pmid TEXT UNIQUE,
    pmid_version INTEGER,
    title TEXT,
    transliterated_title TEXT,
    book_title TEXT,
    abstract TEXT,
    journal TEXT,
    journal_abbreviation TEXT,
    journal_nlm_id TEXT,
    issn_print TEXT,
    issn_electronic TEXT,
    issn_linking TEXT,
    volume TEXT,
    issue TEXT,
    pagination TEXT,
    pub_date TEXT,
    pub_year INTEGER,
    pub_month INTEGER,
    pub_day INTEGER,
    pub_season TEXT,
    electronic_date TEXT,
    doi TEXT,
    pmcid TEXT,
    pii TEXT,
    owner TEXT,
    status TEXT,
    publication_status TEXT,
    place TEXT,
    source TEXT,
    copyright TEXT,
    conflict_of_interest TEXT,
    publisher TEXT,
    edition TEXT,
    created_date TEXT,
    completed_date TEXT,
    revised_date TEXT,
    entrez_date TEXT,
    mesh_date TEXT,
    create_date TEXT,
    pmc_release_date TEXT,
    record_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_pub_year ON articles (pub_year);
CREATE INDEX IF NOT EXISTS articles_doi ON articles (doi);
CREATE INDEX IF NOT EXISTS articles_journal ON articles (journal);

CREATE TABLE IF NOT EXISTS authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    full_name TEXT,
    name TEXT,
    last_name TEXT,
    fore_name TEXT,
    initials TEXT,
    suffix TEXT,
    collective_name TEXT,
    orcid TEXT,
    PRIMARY KEY (article_id, role, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS authors_full_name ON authors (full_name);
CREATE INDEX IF NOT EXISTS authors_orcid ON authors (orcid);

CREATE TABLE IF NOT EXISTS affiliations (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    author_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    affiliation TEXT NOT NULL,
    PRIMARY KEY (article_id, role, author_position, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS author_identifiers (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    author_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    source TEXT,
    value TEXT NOT NULL,
    orcid TEXT,
    PRIMARY KEY (article_id, role, author_position, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS article_ids (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (article_id, kind, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_ids_value ON article_ids (value);

CREATE TABLE IF NOT EXISTS mesh_headings (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    descriptor TEXT NOT NULL,
    major INTEGER NOT NULL,
    is_major INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mesh_headings_descriptor ON mesh_headings (descriptor);

CREATE TABLE IF NOT EXISTS mesh_qualifiers (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    heading_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    qualifier TEXT NOT NULL,
    major INTEGER NOT NULL,
    PRIMARY KEY (article_id, heading_position, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS keywords (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    term TEXT NOT NULL,
    owner TEXT,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS keywords_term ON keywords (term);

CREATE TABLE IF NOT EXISTS chemicals (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    registry_number TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS publication_types (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    publication_type TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS languages (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    language TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS history (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    date TEXT NOT NULL,
    is_valid INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS grants (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grant_id TEXT,
    acronym TEXT,
    agency TEXT,
    country TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS relations (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    kind_name TEXT NOT NULL,
    citation TEXT NOT NULL,
    pmid TEXT,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relations_pmid ON relations (pmid);

CREATE TABLE IF NOT EXISTS sync_files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    series INTEGER,
    number INTEGER,
    size INTEGER NOT NULL,
    modified TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    md5 TEXT,
    records INTEGER NOT NULL,
    deletions INTEGER NOT NULL,
    added INTEGER NOT NULL,
    replaced INTEGER NOT NULL,
    older INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    absent INTEGER NOT NULL,
    problems INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    seconds REAL NOT NULL
);
"""
"""The ``CREATE`` statements; running them on an existing database changes nothing."""

INDEXES: dict[str, str] = {
    line.split()[5]: line
    for line in SCHEMA.splitlines()
    if line.startswith("CREATE INDEX IF NOT EXISTS ")
}
"""The secondary indexes, by name: ``CREATE INDEX`` statements of :data:`SCHEMA`."""

_TABLES = "\n".join(line for line in SCHEMA.splitlines() if not line.startswith("CREATE INDEX "))

CHILD_TABLES: tuple[str, ...] = (
    "authors",
    "affiliations",
    "author_identifiers",
    "article_ids",
    "mesh_headings",
    "mesh_qualifiers",
    "keywords",
    "chemicals",
    "publication_types",
    "languages",
    "history",
    "grants",
    "relations",
)
"""The tables whose rows belong to one article (``article_id`` references ``articles.id``)."""


class DatabaseError(MedlineError):
    """A database medline-parse cannot use: not a database, or written by a newer version."""


def check_database_path(where: str) -> None:
    """Refuse a database path that names something other than a regular file (a device, a FIFO,
    a directory; a symlink is followed): SQLite would write its journal beside it
    (``/dev/null-journal``), and no database can live there."""
    try:
        mode = os.stat(where).st_mode
    except OSError:
        return  # missing (it is created), or SQLite says what is wrong in its own words
    if not stat.S_ISREG(mode):
        raise DatabaseError(
            f"{where}: not a regular file: a database is a file of its own (SQLite writes a "
            "journal beside it); name a file"
        )


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def schema_version(connection: sqlite3.Connection) -> int | None:
    """The schema version the database says it has, or ``None`` for a database without one."""
    if not _has_table(connection, "meta"):
        return None
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return None if row is None else int(row[0])
    except (TypeError, ValueError):
        return None


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables and indexes that do not exist yet (the indexes only when they are not
    deferred), and bring an older schema up to date.

    Raises:
        DatabaseError: the database was written by a newer medline-parse (a later schema).
    """
    version = schema_version(connection)
    if version is not None and version > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database has schema version {version}, newer than this medline-parse knows "
            f"({SCHEMA_VERSION}): upgrade medline-parse"
        )
    connection.executescript(_TABLES if indexes_deferred(connection) else SCHEMA)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(articles)")}
    if "pmid_version" not in columns:  # schema 1
        connection.execute("ALTER TABLE articles ADD COLUMN pmid_version INTEGER")
    connection.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
    )
    connection.commit()


def indexes_deferred(connection: sqlite3.Connection) -> bool:
    """Whether the secondary indexes are deferred (dropped until a sync builds them)."""
    if not _has_table(connection, "meta"):
        return False
    row = connection.execute("SELECT value FROM meta WHERE key = 'indexes'").fetchone()
    return row is not None and row[0] == "deferred"


def defer_indexes(connection: sqlite3.Connection) -> None:
    """Drop the secondary indexes and note that they are deferred, in one transaction (the
    connection must be in autocommit mode, ``isolation_level=None``)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        for name in INDEXES:
            connection.execute(f"DROP INDEX IF EXISTS {name}")
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('indexes', 'deferred')")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def build_indexes(connection: sqlite3.Connection) -> None:
    """Build the secondary indexes that are missing, each in its own transaction, then note that
    none is deferred (the connection must be in autocommit mode)."""
    for statement in INDEXES.values():
        connection.execute(statement)
    connection.execute("DELETE FROM meta WHERE key = 'indexes'")
