"""Helpers of the ``medline sync`` tests: the expected view of some files, and a database's
content in comparable form."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medline_parse import Article, iter_events
from medline_parse.convert._common import article_key
from medline_parse.store import read_articles
from medline_parse.store.order import View, order_files
from medline_parse.store.rows import child_rows, empty_rows
from medline_parse.store.schema import CHILD_TABLES

from .pubmed_files import Event, write_pubmed_file

# sync_files columns that depend on when and how fast a file was applied
_VOLATILE = {"applied_at", "seconds"}


def write_files(folder: Path, files: Sequence[tuple[str, list[Event]]]) -> list[Path]:
    """Write generated files into *folder*; their paths, in the given order."""
    return [write_pubmed_file(folder / name, events) for name, events in files]


def expected_view(paths: Sequence[Path]) -> dict[str, Article]:
    """What the database should hold after syncing *paths*: the in-memory reference view."""
    view = View()
    for path in order_files(list(paths)):
        view.apply_all(iter_events(path))
    return view.articles


def held(db: Path) -> dict[str, Article]:
    """The articles of the database by key, read back."""
    return {article_key(a): a for a in read_articles(db)}


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sync_files without its times), sorted: equal dumps, equal
    databases."""
    connection = sqlite3.connect(db)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                "ORDER BY name"
            )
        ]
        result: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            columns = [
                row[1]
                for row in connection.execute(f"PRAGMA table_info({table})")
                if not (table == "sync_files" and row[1] in _VOLATILE)
            ]
            rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            result[table] = sorted(rows, key=repr)
        return result
    finally:
        connection.close()


def check_child_rows(db: Path) -> None:
    """Assert that the child tables hold exactly the rows of the articles held: no row of a
    replaced or deleted article is left, none is missing."""
    connection = sqlite3.connect(db)
    try:
        expected = empty_rows()
        ids = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY id")]
        for aid, article in zip(ids, read_articles(db), strict=True):
            child_rows(article, aid, expected)
        for table in CHILD_TABLES:
            actual = sorted(connection.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            assert actual == sorted(expected[table], key=repr), table
    finally:
        connection.close()
