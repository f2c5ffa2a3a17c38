"""Articles as rows of the tables in :mod:`.schema`, and the way to delete an article's rows.

:func:`article_row` gives the ``articles`` row (the searchable columns and ``record_json``, the whole
article as JSON, from which :mod:`.articles` rebuilds it); :func:`child_rows` the rows of its lists.
"""

from __future__ import annotations

import datetime
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..convert.json import to_dict
from ..model import Article, Author, StampValue
from .schema import CHILD_TABLES

__all__ = [
    "ARTICLE_COLUMNS",
    "CHILD_INSERTS",
    "INSERT_ARTICLE",
    "INSERT_ARTICLE_WITH_ID",
    "ROLES",
    "article_row",
    "child_rows",
    "delete_articles",
    "empty_rows",
]

ARTICLE_COLUMNS: tuple[str, ...] = (
    "key",
    "pmid",
    "pmid_version",
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
"""The columns of ``articles`` that :func:`article_row` fills, in its order."""

INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in ARTICLE_COLUMNS)})"
)
"""Insert one :func:`article_row` (SQLite chooses the ``id``)."""
INSERT_ARTICLE_WITH_ID = (
    f"INSERT INTO articles (id, {', '.join(ARTICLE_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in ARTICLE_COLUMNS)})"
)
"""Insert ``(id, *article_row)``."""
CHILD_INSERTS: dict[str, str] = {
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
"""The insert statement of each child table, for the rows :func:`child_rows` makes."""

ROLES = {
    "authors": "author",
    "investigators": "investigator",
    "editors": "editor",
    "personal_name_subjects": "subject",
}
"""The ``role`` of each person list of an article in the ``authors`` table."""


def _date(value: StampValue | None) -> str | None:
    """ISO text SQLite's date functions read (``2023-04-21``, ``2023-04-21 09:30``), or the raw
    text of a value that is no valid date."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def article_row(article: Article, key: str) -> tuple[Any, ...]:
    """The ``articles`` row of *article* (:data:`ARTICLE_COLUMNS`), stored under *key*."""
    journal = article.journal
    date = article.publication_date
    values: dict[str, Any] = {
        "key": key,
        # the PMID column holds PMIDs that key their article (UNIQUE); an empty or invalid one
        # stays in record_json only
        "pmid": article.pmid if key == article.pmid else None,
        "pmid_version": article.pmid_version,
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
        "record_json": json.dumps(
            to_dict(article, omit_empty=True), ensure_ascii=False, separators=(",", ":")
        ),
    }
    return tuple(values[column] for column in ARTICLE_COLUMNS)


def child_rows(article: Article, aid: int, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """Append the child-table rows of *article*, stored as ``articles.id`` *aid*, to *rows* (a
    list per table of :data:`CHILD_INSERTS`)."""

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


def empty_rows() -> dict[str, list[tuple[Any, ...]]]:
    """An empty list of rows per child table, for :func:`child_rows` to fill."""
    return {table: [] for table in CHILD_INSERTS}


_DELETES = [f"DELETE FROM {table} WHERE article_id = ?" for table in CHILD_TABLES]


def delete_articles(connection: sqlite3.Connection, ids: Sequence[int]) -> None:
    """Delete the articles with these ``articles.id`` s and every row of theirs in the child tables
    (explicitly, so it does not depend on ``PRAGMA foreign_keys``)."""
    if not ids:
        return
    params = [(aid,) for aid in ids]
    for statement in _DELETES:
        connection.executemany(statement, params)
    connection.executemany("DELETE FROM articles WHERE id = ?", params)
