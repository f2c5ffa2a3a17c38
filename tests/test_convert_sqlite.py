"""SQLite: queried back with the sqlite3 module, every table matches the model; loading twice keeps
one copy; articles without PMID get a stable key; record_json gives the article back."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import attrs
import pytest

from medline_parse import Article, sync
from medline_parse.convert import json as mjson
from medline_parse.convert import sqlite as msqlite
from medline_parse.convert._common import content_key
from medline_parse.model.pmid import is_valid_pmid
from medline_parse.store.schema import CHILD_TABLES, DatabaseError

from .conftest import corpus_params
from .test_convert_cases import SAMPLE, edge_articles, read_all, sample_articles


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "pubmed.db"
    summary = msqlite.write(sample_articles(), path)
    assert summary == msqlite.WriteSummary(len(sample_articles()), 0)
    return path


def _one(connection: sqlite3.Connection, sql: str, *params: object) -> object:
    return connection.execute(sql, params).fetchone()[0]


def test_tables_match_the_model(db: Path) -> None:
    with sqlite3.connect(db) as c:
        for a in sample_articles():
            key = a.pmid if a.pmid else None
            if key is None:
                continue
            (aid, title, year, doi, journal, pub_date) = c.execute(
                "SELECT id, title, pub_year, doi, journal, pub_date FROM articles WHERE pmid = ?",
                (a.pmid,),
            ).fetchone()
            assert (title, year, doi, journal) == (a.title, a.year, a.doi, a.journal.title)
            assert pub_date == (a.publication_date.text if a.publication_date else None)
            authors = c.execute(
                "SELECT full_name, name, collective_name, orcid FROM authors "
                "WHERE article_id = ? AND role = 'author' ORDER BY position",
                (aid,),
            ).fetchall()
            assert authors == [(x.full_name, x.name, x.collective_name, x.orcid) for x in a.authors]
            affiliations = c.execute(
                "SELECT affiliation FROM affiliations WHERE article_id = ? AND role = 'author' "
                "ORDER BY author_position, position",
                (aid,),
            ).fetchall()
            assert [r[0] for r in affiliations] == [x for au in a.authors for x in au.affiliations]
            mesh = c.execute(
                "SELECT descriptor, major, text FROM mesh_headings WHERE article_id = ? ORDER BY position",
                (aid,),
            ).fetchall()
            assert mesh == [(h.descriptor, int(h.major), h.text) for h in a.mesh]
            qualifiers = c.execute(
                "SELECT qualifier, major FROM mesh_qualifiers WHERE article_id = ? "
                "ORDER BY heading_position, position",
                (aid,),
            ).fetchall()
            assert qualifiers == [(q.name, int(q.major)) for h in a.mesh for q in h.qualifiers]
            for table, column, values in (
                ("keywords", "term", [k.term for k in a.keywords]),
                ("publication_types", "publication_type", list(a.publication_types)),
                ("languages", "language", list(a.languages)),
                ("chemicals", "registry_number", [x.registry_number for x in a.chemicals]),
                ("grants", "text", [g.text for g in a.grants]),
                ("relations", "citation", [r.citation for r in a.relations]),
                ("history", "status", [h.status for h in a.history]),
            ):
                rows = c.execute(
                    f"SELECT {column} FROM {table} WHERE article_id = ? ORDER BY position", (aid,)
                ).fetchall()
                assert [r[0] for r in rows] == values, table
            ids = c.execute(
                "SELECT kind, type, value FROM article_ids WHERE article_id = ? ORDER BY kind, position",
                (aid,),
            ).fetchall()
            assert ids == [("AID", i.type, i.value) for i in a.article_ids] + [
                ("LID", i.type, i.value) for i in a.location_ids
            ]
            record = json.loads(_one(c, "SELECT record_json FROM articles WHERE id = ?", aid))  # type: ignore[arg-type]
            assert mjson.from_dict(record) == a


def test_dates_are_iso_text(db: Path) -> None:
    with sqlite3.connect(db) as c:
        row = c.execute(
            "SELECT completed_date, revised_date, entrez_date, create_date, electronic_date "
            "FROM articles WHERE pmid = '99100001'"
        ).fetchone()
        assert row == (
            "2023-04-21",
            "20230230",
            "2023-05-01 06:00",
            "2004/00/03 00:00",
            "2023-06-01",
        )
        history = c.execute(
            "SELECT h.date, h.is_valid FROM history h JOIN articles a ON a.id = h.article_id "
            "WHERE a.pmid = '99100001' ORDER BY position"
        ).fetchall()
        assert history == [("2023-01-05 00:00", 1), ("2023-02-01", 1), ("2000 Jan 5", 0)]
        assert (
            _one(c, "SELECT date(completed_date, '+1 day') FROM articles WHERE pmid = '99100001'")
            == "2023-04-22"
        )


def test_loading_twice_keeps_one_copy(db: Path) -> None:
    with sqlite3.connect(db) as c:
        counts = {t: _one(c, f"SELECT count(*) FROM {t}") for t in CHILD_TABLES}
        articles = _one(c, "SELECT count(*) FROM articles")
    summary = msqlite.write(sample_articles(), db)
    assert summary.replaced == len(sample_articles())
    with sqlite3.connect(db) as c:
        assert _one(c, "SELECT count(*) FROM articles") == articles
        assert {t: _one(c, f"SELECT count(*) FROM {t}") for t in CHILD_TABLES} == counts
        keys = [r[0] for r in c.execute("SELECT key FROM articles WHERE pmid IS NULL")]
    assert len(keys) == 1 and keys[0].startswith("sha1:")


def test_upsert_replaces_an_edited_article(db: Path) -> None:
    article = edge_articles()[0]
    edited = attrs.evolve(article, title="New title", mesh=article.mesh[:1])
    assert msqlite.write([edited], db).replaced == 1
    with sqlite3.connect(db) as c:
        assert _one(c, "SELECT title FROM articles WHERE pmid = ?", article.pmid) == "New title"
        assert (
            _one(
                c,
                "SELECT count(*) FROM mesh_headings m JOIN articles a ON a.id = m.article_id WHERE a.pmid = ?",
                article.pmid,
            )
            == 1
        )
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []


def test_same_pmid_twice_in_one_batch(tmp_path: Path) -> None:
    article = edge_articles()[0]
    other = attrs.evolve(article, title="Second")
    summary = msqlite.write([article, other, Article(pmid="7")], tmp_path / "x.db", batch_size=10)
    assert summary == msqlite.WriteSummary(3, 1)
    with sqlite3.connect(tmp_path / "x.db") as c:
        assert _one(c, "SELECT count(*) FROM articles") == 2
        assert _one(c, "SELECT title FROM articles WHERE pmid = ?", article.pmid) == "Second"
        assert _one(c, "SELECT count(*) FROM authors") == len(article.authors)


def test_open_connection_and_schema_version(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "y.db")
    msqlite.write(sample_articles()[:3], connection, batch_size=1)
    assert _one(connection, "SELECT value FROM meta WHERE key = 'schema_version'") == str(
        msqlite.SCHEMA_VERSION
    )
    assert _one(connection, "SELECT count(*) FROM articles") == 3
    connection.close()


def test_docs_describe_every_table_and_column() -> None:
    from .conftest import ROOT

    doc = (ROOT / "docs" / "sqlite-schema.md").read_text(encoding="utf-8")
    connection = sqlite3.connect(":memory:")
    msqlite.create_schema(connection)
    tables = [
        r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        assert f"`{table}`" in doc, table
        for column in connection.execute(f"PRAGMA table_info({table})"):
            assert f"`{column[1]}`" in doc, f"{table}.{column[1]}"


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_file_loads(path: Path, tmp_path: Path) -> None:
    articles = read_all(path)
    db = tmp_path / "corpus.db"
    msqlite.write(articles, db)
    with sqlite3.connect(db) as c:
        unique = {a.pmid for a in articles if is_valid_pmid(a.pmid)}
        assert _one(c, "SELECT count(*) FROM articles WHERE pmid IS NOT NULL") == len(unique)
        # an article without a valid PMID (a placeholder such as 000000000000) is kept too
        keys = {a.pmid if is_valid_pmid(a.pmid) else content_key(a) for a in articles}
        assert _one(c, "SELECT count(*) FROM articles") == len(keys)
        assert _one(c, "SELECT count(*) FROM mesh_headings") <= sum(len(a.mesh) for a in articles)


@pytest.mark.parametrize("kind", ["device", "fifo", "directory", "link-to-device"])
def test_a_database_must_be_a_regular_file(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "target"
    if kind == "device":
        target = Path(os.devnull)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target.symlink_to(os.devnull)
    with pytest.raises(DatabaseError, match="not a regular file"):
        msqlite.write(sample_articles(), target)
    with pytest.raises(DatabaseError, match="not a regular file"):
        sync(target, [SAMPLE])
    assert not Path(f"{target}-journal").exists()
    assert not Path(f"{target}-wal").exists()
