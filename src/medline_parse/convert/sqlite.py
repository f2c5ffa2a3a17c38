"""Articles into a normalised SQLite database (the schema is in ``docs/sqlite-schema.md``).

One ``articles`` row per article, child tables for its lists (authors, affiliations, identifiers,
MeSH headings and qualifiers, keywords, chemicals, publication types, languages, history, grants,
relations), each row keyed by ``article_id`` and its ``position`` in the record.  Writing is an
upsert by PMID: an article already in the database is deleted with all its child rows and written
anew, so loading the same file twice leaves one copy.  An article without a valid PMID (none, an
empty one, ``abc``) gets a stable key from its content (``sha1:...``) and a NULL ``pmid`` column, so
that every such article is kept (its PMID text stays in ``record_json``).  Rows are inserted in one transaction per batch, memory stays flat.
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
from collections.abc import Iterable
from typing import Any

import attrs

from ..model import Article, Author, StampValue
from ..model.pmid import is_valid_pmid
from ._common import article_key, content_key
from .json import to_dict

__all__ = ["SCHEMA", "SCHEMA_VERSION", "WriteSummary", "connect", "create_schema", "write"]

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    pmid TEXT UNIQUE,
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
);
CREATE INDEX IF NOT EXISTS authors_full_name ON authors (full_name);
CREATE INDEX IF NOT EXISTS authors_orcid ON authors (orcid);

CREATE TABLE IF NOT EXISTS affiliations (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    author_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    affiliation TEXT NOT NULL,
    PRIMARY KEY (article_id, role, author_position, position)
);

CREATE TABLE IF NOT EXISTS author_identifiers (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    author_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    source TEXT,
    value TEXT NOT NULL,
    orcid TEXT,
    PRIMARY KEY (article_id, role, author_position, position)
);

CREATE TABLE IF NOT EXISTS article_ids (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT,
    value TEXT NOT NULL,
    PRIMARY KEY (article_id, kind, position)
);
CREATE INDEX IF NOT EXISTS article_ids_value ON article_ids (value);

CREATE TABLE IF NOT EXISTS mesh_headings (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    descriptor TEXT NOT NULL,
    major INTEGER NOT NULL,
    is_major INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX IF NOT EXISTS mesh_headings_descriptor ON mesh_headings (descriptor);

CREATE TABLE IF NOT EXISTS mesh_qualifiers (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    heading_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    qualifier TEXT NOT NULL,
    major INTEGER NOT NULL,
    PRIMARY KEY (article_id, heading_position, position)
);

CREATE TABLE IF NOT EXISTS keywords (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    term TEXT NOT NULL,
    owner TEXT,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX IF NOT EXISTS keywords_term ON keywords (term);

CREATE TABLE IF NOT EXISTS chemicals (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    registry_number TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS publication_types (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    publication_type TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS languages (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    language TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS history (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    date TEXT NOT NULL,
    is_valid INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS grants (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grant_id TEXT,
    acronym TEXT,
    agency TEXT,
    country TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS relations (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    kind_name TEXT NOT NULL,
    citation TEXT NOT NULL,
    pmid TEXT,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX IF NOT EXISTS relations_pmid ON relations (pmid);
"""
"""The ``CREATE`` statements; running them on an existing database changes nothing."""

_ARTICLE_COLUMNS = (
    "key",
    "pmid",
    "title",
    "transliterated_title",
    "book_title",
    "abstract",
    "journal",
    "journal_abbreviation",
    "journal_nlm_id",
    "issn_print",
    "issn_electronic",
    "issn_linking",
    "volume",
    "issue",
    "pagination",
    "pub_date",
    "pub_year",
    "pub_month",
    "pub_day",
    "pub_season",
    "electronic_date",
    "doi",
    "pmcid",
    "pii",
    "owner",
    "status",
    "publication_status",
    "place",
    "source",
    "copyright",
    "conflict_of_interest",
    "publisher",
    "edition",
    "created_date",
    "completed_date",
    "revised_date",
    "entrez_date",
    "mesh_date",
    "create_date",
    "pmc_release_date",
    "record_json",
)
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _ARTICLE_COLUMNS)})"
)
_CHILD_INSERTS = {
    "authors": "INSERT INTO authors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "affiliations": "INSERT INTO affiliations VALUES (?, ?, ?, ?, ?)",
    "author_identifiers": "INSERT INTO author_identifiers VALUES (?, ?, ?, ?, ?, ?, ?)",
    "article_ids": "INSERT INTO article_ids VALUES (?, ?, ?, ?, ?)",
    "mesh_headings": "INSERT INTO mesh_headings VALUES (?, ?, ?, ?, ?, ?)",
    "mesh_qualifiers": "INSERT INTO mesh_qualifiers VALUES (?, ?, ?, ?, ?)",
    "keywords": "INSERT INTO keywords VALUES (?, ?, ?, ?)",
    "chemicals": "INSERT INTO chemicals VALUES (?, ?, ?, ?)",
    "publication_types": "INSERT INTO publication_types VALUES (?, ?, ?)",
    "languages": "INSERT INTO languages VALUES (?, ?, ?)",
    "history": "INSERT INTO history VALUES (?, ?, ?, ?, ?)",
    "grants": "INSERT INTO grants VALUES (?, ?, ?, ?, ?, ?, ?)",
    "relations": "INSERT INTO relations VALUES (?, ?, ?, ?, ?, ?)",
}
ROLES = {
    "authors": "author",
    "investigators": "investigator",
    "editors": "editor",
    "personal_name_subjects": "subject",
}
"""The ``role`` of each person list of an article in the ``authors`` table."""


@attrs.frozen
class WriteSummary:
    """What :func:`write` did."""

    articles: int
    """Articles written."""
    replaced: int
    """How many of them replaced an article already in the database (same PMID or key)."""


def _date(value: StampValue | None) -> str | None:
    """ISO text SQLite's date functions read (``2023-04-21``, ``2023-04-21 09:30``), or the raw
    text of a value that is no valid date."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def connect(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open (or create) the database at *path* with the schema in place and foreign keys on."""
    connection = sqlite3.connect(os.fspath(path))
    connection.execute("PRAGMA foreign_keys = ON")
    create_schema(connection)
    return connection


def create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables and indexes that do not exist yet."""
    connection.executescript(SCHEMA)
    connection.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
    )
    connection.commit()


def _article_row(article: Article, key: str) -> tuple[Any, ...]:
    journal = article.journal
    date = article.publication_date
    values: dict[str, Any] = {
        "key": key,
        "pmid": article.pmid if is_valid_pmid(article.pmid) else None,
        "title": article.title,
        "transliterated_title": article.transliterated_title,
        "book_title": article.book_title,
        "abstract": article.abstract,
        "journal": journal.title,
        "journal_abbreviation": journal.abbreviation,
        "journal_nlm_id": journal.nlm_id,
        "issn_print": journal.issn("Print"),
        "issn_electronic": journal.issn("Electronic"),
        "issn_linking": journal.issn("Linking"),
        "volume": article.volume,
        "issue": article.issue,
        "pagination": article.pagination,
        "pub_date": None if date is None else date.text,
        "pub_year": None if date is None else date.year,
        "pub_month": None if date is None else date.month,
        "pub_day": None if date is None else date.day,
        "pub_season": None if date is None else date.season,
        "electronic_date": _date(article.electronic_date),
        "doi": article.doi,
        "pmcid": article.pmcid,
        "pii": article.pii,
        "owner": article.owner,
        "status": article.status,
        "publication_status": article.publication_status,
        "place": article.place,
        "source": article.source,
        "copyright": article.copyright,
        "conflict_of_interest": article.conflict_of_interest,
        "publisher": article.publisher,
        "edition": article.edition,
        "created_date": _date(article.created_date),
        "completed_date": _date(article.completed_date),
        "revised_date": _date(article.revised_date),
        "entrez_date": _date(article.entrez_date),
        "mesh_date": _date(article.mesh_date),
        "create_date": _date(article.create_date),
        "pmc_release_date": _date(article.pmc_release_date),
        "record_json": json.dumps(to_dict(article, omit_empty=True), ensure_ascii=False),
    }
    return tuple(values[column] for column in _ARTICLE_COLUMNS)


def _child_rows(article: Article, aid: int, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    def person(role: str, position: int, p: Author) -> None:
        rows["authors"].append(
            (
                aid,
                role,
                position,
                p.full_name,
                p.name,
                p.last_name,
                p.fore_name,
                p.initials,
                p.suffix,
                p.collective_name,
                p.orcid,
            )
        )
        for i, affiliation in enumerate(p.affiliations, 1):
            rows["affiliations"].append((aid, role, position, i, affiliation))
        for i, ident in enumerate(p.identifiers, 1):
            rows["author_identifiers"].append(
                (aid, role, position, i, ident.source, ident.value, ident.orcid)
            )

    for attribute, role in ROLES.items():
        for position, p in enumerate(getattr(article, attribute), 1):
            person(role, position, p)
    for i, affiliation in enumerate(article.affiliations, 1):
        rows["affiliations"].append((aid, "record", 0, i, affiliation))
    for kind, ids in (("AID", article.article_ids), ("LID", article.location_ids)):
        for i, ident in enumerate(ids, 1):
            rows["article_ids"].append((aid, kind, i, ident.type, ident.value))
    for i, heading in enumerate(article.mesh, 1):
        rows["mesh_headings"].append(
            (aid, i, heading.descriptor, heading.major, heading.is_major, heading.text)
        )
        for j, qualifier in enumerate(heading.qualifiers, 1):
            rows["mesh_qualifiers"].append((aid, i, j, qualifier.name, qualifier.major))
    for i, keyword in enumerate(article.keywords, 1):
        rows["keywords"].append((aid, i, keyword.term, keyword.owner))
    for i, chemical in enumerate(article.chemicals, 1):
        rows["chemicals"].append((aid, i, chemical.registry_number, chemical.name))
    for i, kind_text in enumerate(article.publication_types, 1):
        rows["publication_types"].append((aid, i, kind_text))
    for i, language in enumerate(article.languages, 1):
        rows["languages"].append((aid, i, language))
    for i, event in enumerate(article.history, 1):
        rows["history"].append((aid, i, event.status, _date(event.date), event.is_valid))
    for i, grant in enumerate(article.grants, 1):
        rows["grants"].append(
            (aid, i, grant.grant_id, grant.acronym, grant.agency, grant.country, grant.text)
        )
    for i, relation in enumerate(article.relations, 1):
        rows["relations"].append(
            (aid, i, relation.kind, relation.kind_name, relation.citation, relation.pmid)
        )


def _write_batch(connection: sqlite3.Connection, batch: list[Article]) -> int:
    replaced = 0
    rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _CHILD_INSERTS}
    pending: set[int] = set()
    with connection:  # one transaction
        for article in batch:
            valid = is_valid_pmid(article.pmid)
            key = article_key(article) if valid else content_key(article)
            old = connection.execute(
                "SELECT id FROM articles WHERE key = ? OR pmid = ?",
                (key, article.pmid if valid else None),
            ).fetchall()
            if old:
                replaced += 1
                connection.executemany("DELETE FROM articles WHERE id = ?", old)
                gone = {row[0] for row in old}
                if gone & pending:  # the same PMID earlier in this batch: drop its rows too
                    for table, table_rows in rows.items():
                        rows[table] = [row for row in table_rows if row[0] not in gone]
            cursor = connection.execute(_INSERT_ARTICLE, _article_row(article, key))
            assert cursor.lastrowid is not None
            pending.add(cursor.lastrowid)
            _child_rows(article, cursor.lastrowid, rows)
        for table, statement in _CHILD_INSERTS.items():
            if rows[table]:
                connection.executemany(statement, rows[table])
    return replaced


def write(
    articles: Iterable[Article],
    target: str | os.PathLike[str] | sqlite3.Connection,
    *,
    batch_size: int = 500,
) -> WriteSummary:
    """Upsert *articles* into the database at *target* (a path or an open connection)."""
    connection = target if isinstance(target, sqlite3.Connection) else connect(target)
    try:
        if isinstance(target, sqlite3.Connection):
            connection.execute("PRAGMA foreign_keys = ON")
            create_schema(connection)
        count = replaced = 0
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                replaced += _write_batch(connection, batch)
                count += len(batch)
                batch = []
        if batch:
            replaced += _write_batch(connection, batch)
            count += len(batch)
    finally:
        if not isinstance(target, sqlite3.Connection):
            connection.close()
    return WriteSummary(count, replaced)
