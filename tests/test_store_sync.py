"""medline_parse.sync: PubMed's baseline and update files into one database, checked against the
in-memory reference view (store/order.py's View) on fictional files written here."""

from __future__ import annotations

import gzip
import hashlib
import os
import random
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import medline_parse
from medline_parse import parse
from medline_parse.convert import sqlite as sqlite_convert
from medline_parse.sources import SourceError
from medline_parse.store import (
    DatabaseError,
    SyncError,
    SyncProgress,
    View,
    read_articles,
    status,
    sync,
)
from medline_parse.store.order import Outcome
from medline_parse.store.schema import INDEXES, SCHEMA, SCHEMA_VERSION

from .conftest import FIXTURES
from .pubmed_files import Event, baseline_and_updates, write_pubmed_file
from .store_helpers import check_child_rows, dump, expected_view, held, write_files

XML = FIXTURES / "xml"


@pytest.fixture
def generated(tmp_path: Path) -> list[Path]:
    """A baseline of three files and three update files, written in a folder of their own."""
    folder = tmp_path / "files"
    folder.mkdir()
    return write_files(
        folder,
        list(
            baseline_and_updates(
                seed=7, baseline_records=100, new_versions=0.05, older_versions=0.05
            )
        ),
    )


def test_sync_is_exported_at_the_top() -> None:
    assert medline_parse.sync is sync


def test_baseline_and_updates_give_the_current_view(tmp_path: Path, generated: list[Path]) -> None:
    db = tmp_path / "pubmed.db"
    summary = sync(db, generated)
    assert [f.action for f in summary.files] == ["applied"] * len(generated)
    expected = expected_view(generated)
    assert held(db) == expected
    assert summary.articles == len(expected)
    check_child_rows(db)
    # The counts are those of the reference view's outcomes.
    view = View()
    outcomes: Counter[Outcome] = Counter()
    for path in generated:
        for event in medline_parse.iter_events(path):
            outcomes.update(outcome for _, outcome in view.apply(event))
    assert summary.added == outcomes[Outcome.ADDED]
    assert summary.replaced == outcomes[Outcome.REPLACED]
    assert summary.deleted == outcomes[Outcome.DELETED]
    assert summary.older == outcomes[Outcome.OLDER]
    assert summary.absent == outcomes[Outcome.ABSENT]
    # The generated updates do all of these things.
    assert min(summary.replaced, summary.deleted, summary.older, summary.absent) > 0


def test_files_apply_in_pubmed_order_whatever_order_they_are_given_in(
    tmp_path: Path, generated: list[Path]
) -> None:
    in_order = tmp_path / "in-order.db"
    shuffled = tmp_path / "shuffled.db"
    sync(in_order, generated)
    mixed = list(generated)
    random.Random(3).shuffle(mixed)
    assert mixed != generated
    summary = sync(shuffled, mixed)
    assert [f.name for f in summary.files] == [p.name for p in generated]
    assert dump(shuffled) == dump(in_order)


def test_one_run_per_file_gives_the_same_database(tmp_path: Path, generated: list[Path]) -> None:
    at_once = tmp_path / "at-once.db"
    one_by_one = tmp_path / "one-by-one.db"
    sync(at_once, generated)
    for path in generated:
        sync(one_by_one, [path])
    assert dump(one_by_one) == dump(at_once)


def test_batch_size_does_not_change_the_result(tmp_path: Path, generated: list[Path]) -> None:
    sync(tmp_path / "big.db", generated)
    sync(tmp_path / "small.db", generated, batch_size=3)
    assert dump(tmp_path / "small.db") == dump(tmp_path / "big.db")


def test_running_again_skips_what_was_applied(tmp_path: Path, generated: list[Path]) -> None:
    db = tmp_path / "pubmed.db"
    sync(db, generated[:4])
    before = dump(db)
    summary = sync(db, generated)
    assert [f.action for f in summary.files] == ["skipped"] * 4 + ["applied"] * 2
    assert summary.files[0].reason is not None
    assert summary.files[0].reason.startswith("applied 20")
    again = sync(db, generated)
    assert {f.action for f in again.files} == {"skipped"}
    assert dump(db) != before
    final = dump(db)
    sync(db, generated)
    assert dump(db) == final
    assert held(db) == expected_view(generated)


def test_the_files_applied_are_recorded(tmp_path: Path, generated: list[Path]) -> None:
    db = tmp_path / "pubmed.db"
    summary = sync(db, generated)
    found = status(db)
    assert found.schema_version == SCHEMA_VERSION
    assert found.articles == summary.articles
    assert [f.name for f in found.files] == [p.name for p in generated]
    for applied, report, path in zip(found.files, summary.files, generated):
        assert applied.size == path.stat().st_size
        assert applied.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert applied.md5 is None
        assert (applied.records, applied.added, applied.replaced, applied.deleted) == (
            report.records,
            report.added,
            report.replaced,
            report.deleted,
        )
    assert found.last_applied == found.files[-1].applied_at


def _same_size_same_time_other_bytes(path: Path) -> None:
    """Change bytes of a gzip file but neither its size nor its time (the gzip header's time)."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[4:8] = (int.from_bytes(data[4:8], "little") + 1).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


def test_a_file_changed_since_it_was_applied_is_refused(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"
    sync(db, generated[:3])
    before = dump(db)
    _same_size_same_time_other_bytes(generated[1])
    with pytest.raises(SyncError) as caught:
        sync(db, generated)
    error = caught.value
    assert error.file == str(generated[1])
    assert "changed since it was applied" in str(error)
    assert "same size and time, other bytes" in str(error)
    assert [f.action for f in error.summary.files] == ["skipped", "refused"]
    assert dump(db) == before  # nothing after it was applied


def test_an_older_pubmed_file_than_one_applied_is_refused(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"
    sync(db, [generated[0], generated[2]])
    before = dump(db)
    with pytest.raises(SyncError, match=r"comes before pubmed25n0003\.xml\.gz, which is already"):
        sync(db, [generated[1], generated[3]])
    assert dump(db) == before


def test_a_new_years_files_need_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    old = _events_file(tmp_path, "pubmed24n1500.xml", [("article", 99000001, 1, 0)])
    new = _events_file(tmp_path, "pubmed25n0001.xml", [("article", 99000001, 1, 1)])
    with pytest.raises(SyncError, match=r"is of the pubmed25 files, but the database holds the "):
        sync(db, [new, old])  # applied in NLM's order: pubmed24n1500 first
    assert [f.name for f in status(db).files] == ["pubmed24n1500.xml"]
    sync(tmp_path / "new.db", [new])


def _md5_file(path: Path, digest: str | None = None, name: str | None = None) -> Path:
    digest = digest or hashlib.md5(path.read_bytes()).hexdigest()
    sidecar = path.with_name(path.name + ".md5")
    sidecar.write_text(f"MD5({name or path.name})= {digest}\n")
    return sidecar


def test_a_matching_md5_file_is_checked_and_recorded(tmp_path: Path, generated: list[Path]) -> None:
    db = tmp_path / "pubmed.db"
    sidecars = [_md5_file(p) for p in generated[:2]]
    summary = sync(db, [*generated[:2], *sidecars])  # .md5 files among the inputs are not applied
    assert [f.name for f in summary.files] == [p.name for p in generated[:2]]
    found = status(db)
    assert [f.md5 for f in found.files] == [
        hashlib.md5(p.read_bytes()).hexdigest() for p in generated[:2]
    ]


def test_an_md5_mismatch_refuses_the_file_and_what_follows(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"
    _md5_file(generated[1], "0" * 32)
    with pytest.raises(SyncError, match=r"does not match its checksum file pubmed25n0002"):
        sync(db, generated)
    found = status(db)
    assert [f.name for f in found.files] == [generated[0].name]
    assert held(db) == expected_view(generated[:1])


def test_an_md5_file_of_another_file_refuses(tmp_path: Path, generated: list[Path]) -> None:
    _md5_file(generated[0], name="pubmed25n0999.xml.gz")
    with pytest.raises(SyncError, match=r"checksum of pubmed25n0999\.xml\.gz, not of"):
        sync(tmp_path / "pubmed.db", generated[:1])
    (generated[0].with_name(generated[0].name + ".md5")).write_text("nothing here\n")
    with pytest.raises(SyncError, match="holds no MD5 checksum"):
        sync(tmp_path / "pubmed.db", generated[:1])


@pytest.mark.parametrize("damage", ["truncated gzip", "truncated XML", "malformed XML"])
def test_a_damaged_file_applies_nothing(tmp_path: Path, generated: list[Path], damage: str) -> None:
    db = tmp_path / "pubmed.db"
    sync(db, generated[:1])
    before = dump(db)
    target = generated[1]
    data = target.read_bytes()
    if damage == "truncated gzip":
        target.write_bytes(data[: len(data) * 2 // 3])
    else:
        text = gzip.decompress(data)
        if damage == "truncated XML":
            text = text[: len(text) * 2 // 3]
        else:
            at = text.index(b"</ArticleTitle>", len(text) // 2)
            text = text[:at] + b"</Title>" + text[at:]
        target.write_bytes(gzip.compress(text))
    with pytest.raises(SyncError) as caught:
        sync(db, generated)
    assert str(caught.value).startswith(str(target))
    assert dump(db) == before


@pytest.mark.parametrize("content", ["", "\n  \n"])
def test_an_empty_file_is_refused(tmp_path: Path, content: str) -> None:
    # an interrupted download looks like this
    empty = tmp_path / "pubmed25n0001.xml"
    empty.write_text(content)
    with pytest.raises(SyncError, match="no PubMed records or deletions"):
        sync(tmp_path / "pubmed.db", [empty])


def test_xml_that_is_not_pubmed_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "pubmed25n0001.xml"
    other.write_text(
        '<?xml version="1.0"?>\n<eFetchResult><ERROR>Empty id list</ERROR></eFetchResult>\n'
    )
    later = _events_file(tmp_path, "pubmed25n0002.xml", [("article", 99000001, 1, 1)])
    db = tmp_path / "pubmed.db"
    with pytest.raises(SyncError, match=r"not PubMed XML: it starts with <eFetchResult>"):
        sync(db, [other, later])
    assert not status(db).files  # nothing after the refused file was applied


def test_an_empty_pubmed_set_is_applied_as_a_file_of_no_records(tmp_path: Path) -> None:
    # PubMed writes an empty <PubmedArticleSet> for a result of nothing; it is a file all the same
    empty = tmp_path / "pubmed25n0001.xml"
    empty.write_text('<?xml version="1.0"?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n')
    later = _events_file(tmp_path, "pubmed25n0002.xml", [("article", 99000001, 1, 1)])
    db = tmp_path / "pubmed.db"
    summary = sync(db, [empty, later])
    assert summary.articles == 1
    applied = {f.name: f for f in status(db).files}
    assert applied["pubmed25n0001.xml"].records == 0
    assert applied["pubmed25n0002.xml"].records == 1
    assert not sync(db, [empty, later]).applied  # and skipped when run again


def _events_file(folder: Path, name: str, events: list[Event]) -> Path:
    return write_pubmed_file(folder / name, events)


def test_an_older_version_in_a_later_file_is_ignored(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    first = _events_file(tmp_path, "pubmed25n0001.xml", [("article", 99000001, 2, 5)])
    later = _events_file(
        tmp_path,
        "pubmed25n0002.xml",
        [("article", 99000001, 1, 9), ("article", 99000002, 1, 0)],
    )
    summary = sync(db, [first, later])
    assert summary.files[1].older == 1
    assert summary.files[1].added == 1
    article = held(db)["99000001"]
    assert article.pmid_version == 2
    assert "(revision 5)" in (article.title or "")
    # the same version replaces
    same = _events_file(tmp_path, "pubmed25n0003.xml", [("article", 99000001, 2, 6)])
    assert sync(db, [same]).files[0].replaced == 1
    assert "(revision 6)" in (held(db)["99000001"].title or "")


def test_deletions(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    first = _events_file(
        tmp_path,
        "pubmed25n0001.xml",
        [("article", 99000001, 1, 0), ("article", 99000002, 2, 0), ("article", 99000003, 1, 0)],
    )
    update = _events_file(
        tmp_path,
        "pubmed25n0002.xml",
        [
            ("delete", 99000001, 1, 0),  # deleted
            ("delete", 99000002, 1, 0),  # another version than the one held: kept
            ("delete", 99000009, 1, 0),  # never held: no error
            ("delete", 99000003, None, 0),  # no version: deleted
            ("article", 99000003, 1, 4),  # ... and back in the same file
        ],
    )
    summary = sync(db, [first, update])
    report = summary.files[1]
    assert (report.deletions, report.deleted, report.absent, report.added) == (4, 2, 2, 1)
    assert set(held(db)) == {"99000002", "99000003"}
    assert "(revision 4)" in (held(db)["99000003"].title or "")
    check_child_rows(db)


def test_a_replaced_article_leaves_none_of_its_old_rows(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    revisions = list(range(40))
    # revisions of one record with many rows, then with few
    rows = [
        medline_parse.iter_events(
            _events_file(tmp_path, f"r{r}.xml", [("article", 99000001, 1, r)])
        )
        for r in revisions
    ]
    sizes = [len(next(iter(r)).authors) for r in rows]  # type: ignore[union-attr]
    many = revisions[sizes.index(max(sizes))]
    few = revisions[sizes.index(min(sizes))]
    assert max(sizes) > min(sizes)
    first = _events_file(tmp_path, "pubmed25n0001.xml", [("article", 99000001, 1, many)])
    later = _events_file(tmp_path, "pubmed25n0002.xml", [("article", 99000001, 1, few)])
    sync(db, [first])
    connection = sqlite3.connect(db)
    (aid,) = connection.execute("SELECT id FROM articles WHERE pmid = '99000001'").fetchone()
    assert connection.execute(
        "SELECT count(*) FROM authors WHERE article_id = ?", (aid,)
    ).fetchone()[0] == max(sizes)
    connection.close()
    sync(db, [later])
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT id FROM articles WHERE pmid = '99000001'").fetchone() == (
        aid,
    )
    assert connection.execute(
        "SELECT count(*) FROM authors WHERE article_id = ?", (aid,)
    ).fetchone()[0] == min(sizes)
    connection.close()
    check_child_rows(db)


def test_medline_text_files(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    files = [FIXTURES / "pubmed2020.txt", FIXTURES / "efetch.txt", FIXTURES / "legacy.txt"]
    summary = sync(db, files)
    assert [f.action for f in summary.files] == ["applied"] * 3
    expected = View().apply_all(a for path in files for a in parse(path)).articles
    assert held(db) == expected
    assert all(a.pmid_version is None for a in expected.values())
    check_child_rows(db)


def test_pubmed_xml_and_medline_text_together(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    files = [XML / "pubmed_250101.xml", XML / "update_deletions.xml", FIXTURES / "pubmed2020.txt"]
    sync(db, files)
    assert held(db) == expected_view(files)


def test_strict_refuses_a_file_with_a_problem(tmp_path: Path) -> None:
    source = FIXTURES / "bad" / "hand-edited.txt"
    found = [d for a in parse(source) for d in a.diagnostics if d.is_problem]
    assert found
    with pytest.raises(SyncError):
        sync(tmp_path / "strict.db", [source], strict=True)
    summary = sync(tmp_path / "lenient.db", [source])
    assert summary.problems == len(found)
    assert status(tmp_path / "lenient.db").files[0].problems == len(found)


def test_dry_run_changes_nothing(tmp_path: Path, generated: list[Path]) -> None:
    db = tmp_path / "pubmed.db"
    summary = sync(db, generated, dry_run=True)
    assert not db.exists()
    assert [f.action for f in summary.files] == ["would apply"] * len(generated)
    sync(db, generated[:2])
    before = dump(db)
    summary = sync(db, generated, dry_run=True)
    assert [f.action for f in summary.files] == ["skipped"] * 2 + ["would apply"] * 4
    assert summary.dry_run
    assert dump(db) == before
    _same_size_same_time_other_bytes(generated[0])
    with pytest.raises(SyncError, match="changed since it was applied"):
        sync(db, generated, dry_run=True)


def test_a_missing_file_stops_the_run_before_anything_is_applied(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"
    with pytest.raises(SourceError, match="no such file"):
        sync(db, [*generated, tmp_path / "pubmed25n0099.xml.gz"])
    assert not db.exists()


def test_a_name_given_twice_is_refused(tmp_path: Path, generated: list[Path]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    copy = other / generated[0].name
    copy.write_bytes(generated[0].read_bytes())
    with pytest.raises(SourceError, match="is given twice"):
        sync(tmp_path / "pubmed.db", [generated[0], copy])


def _schema_1_database(db: Path, *, article: bool) -> Path:
    """A database as schema 1 wrote it (no pmid_version, no sync_files)."""
    old = SCHEMA.replace("    pmid_version INTEGER,\n", "")
    old = old[: old.index("CREATE TABLE IF NOT EXISTS sync_files")]
    connection = sqlite3.connect(db)
    connection.executescript(old)
    connection.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    if article:
        connection.execute("INSERT INTO articles (key, pmid, record_json) VALUES ('1', '1', '{}')")
    connection.commit()
    connection.close()
    return db


def test_a_database_of_schema_1_is_brought_up_to_date(tmp_path: Path) -> None:
    db = _schema_1_database(tmp_path / "old.db", article=True)
    sync(db, [XML / "pubmed_250101.xml"])
    found = status(db)
    assert found.schema_version == SCHEMA_VERSION
    assert found.articles == 4
    connection = sqlite3.connect(db)
    versions = dict(connection.execute("SELECT pmid, pmid_version FROM articles"))
    connection.close()
    expected = {a.pmid: a.pmid_version for a in parse(XML / "pubmed_250101.xml")}
    assert versions == {"1": None, **expected}
    assert any(v is not None for v in expected.values())


def test_a_database_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.execute("INSERT INTO meta VALUES ('schema_version', '99')")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseError, match="schema version 99, newer than"):
        sync(db, [XML / "pubmed_250101.xml"])


def test_a_file_that_is_no_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "not.db"
    db.write_bytes(b"this is no database" * 100)
    with pytest.raises(DatabaseError, match="is not a SQLite database"):
        sync(db, [XML / "pubmed_250101.xml"])
    with pytest.raises(DatabaseError):
        status(db)
    with pytest.raises(SourceError, match="no such database"):
        status(tmp_path / "missing.db")


def test_convert_to_sqlite_writes_the_same_schema(tmp_path: Path) -> None:
    converted = tmp_path / "converted.db"
    synced = tmp_path / "synced.db"
    source = XML / "pubmed_250101.xml"
    sqlite_convert.write(parse(source), converted)
    sync(synced, [source])
    a, b = dump(converted), dump(synced)
    assert set(a) == set(b)
    assert a["sync_files"] == []
    assert {t: rows for t, rows in a.items() if t != "sync_files"} == {
        t: rows for t, rows in b.items() if t != "sync_files"
    }


# -- any sequence of events, cut into files and batches anyhow, gives the reference view ----------

_PMIDS = st.integers(99000001, 99000006)
_VERSIONS = st.one_of(st.none(), st.integers(1, 3))
_EVENTS = st.one_of(
    st.tuples(st.just("article"), _PMIDS, _VERSIONS, st.integers(0, 4)),
    st.tuples(st.just("delete"), _PMIDS, _VERSIONS, st.just(0)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.lists(st.lists(_EVENTS, min_size=1, max_size=12), min_size=1, max_size=4),
    batch_size=st.integers(1, 6),
    runs=st.integers(1, 3),
)
def test_any_events_give_the_reference_view(
    tmp_path_factory: pytest.TempPathFactory, files: list[list[Event]], batch_size: int, runs: int
) -> None:
    folder = tmp_path_factory.mktemp("events")
    paths = [
        write_pubmed_file(folder / f"pubmed25n{n:04d}.xml", events)
        for n, events in enumerate(files, 1)
    ]
    db = folder / "pubmed.db"
    step = max(1, len(paths) // runs)
    for start in range(0, len(paths), step):
        sync(db, paths[start : start + step], batch_size=batch_size)
    assert held(db) == expected_view(paths)
    check_child_rows(db)


# -- the secondary indexes of a bulk load ----------------------------------------------------------


def _indexes(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            if not row[0].startswith("sqlite_")
        }
    finally:
        connection.close()


def test_a_run_on_an_empty_database_builds_the_indexes_at_its_end(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"
    seen: list[tuple[int, bool, set[str]]] = []

    def watch(where: SyncProgress) -> None:
        seen.append((where.files_done, where.indexing, _indexes(db)))

    sync(db, generated[:3], progress=watch)
    while_loading = [found for done, indexing, found in seen if 0 < done < 3 and not indexing]
    assert while_loading
    assert all(found == set() for found in while_loading)  # deferred
    assert any(indexing for _, indexing, _ in seen)
    assert _indexes(db) == set(INDEXES)
    assert not status(db).indexes_deferred
    seen.clear()
    sync(db, generated[3:], progress=watch)  # not empty: the indexes stay, kept up to date
    assert all(found == set(INDEXES) for _, _, found in seen)
    assert not any(indexing for _, indexing, _ in seen)


def test_a_run_stopped_before_its_end_leaves_the_indexes_to_the_next(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"

    def stop(where: SyncProgress) -> None:
        if where.files_done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync(db, generated, progress=stop)
    found = status(db)
    assert len(found.files) == 2
    assert found.indexes_deferred
    assert _indexes(db) == set()
    sync(db, generated[:4])  # not empty now, but the indexes are still deferred: built at the end
    assert _indexes(db) == set(INDEXES)
    assert not status(db).indexes_deferred
    sync(db, generated)
    assert dump(db) == _reference(tmp_path, generated)


def _reference(tmp_path: Path, files: list[Path]) -> dict[str, list[tuple[object, ...]]]:
    db = tmp_path / "reference.db"
    sync(db, files)
    return dump(db)


def test_a_refused_file_still_leaves_the_indexes_built(
    tmp_path: Path, generated: list[Path]
) -> None:
    db = tmp_path / "pubmed.db"
    _md5_file(generated[2], "0" * 32)
    with pytest.raises(SyncError):
        sync(db, generated)
    assert _indexes(db) == set(INDEXES)


def test_a_dry_run_reads_only(tmp_path: Path) -> None:
    db = _schema_1_database(tmp_path / "old.db", article=False)
    before = db.read_bytes()
    summary = sync(db, [XML / "pubmed_250101.xml"], dry_run=True)
    assert [f.action for f in summary.files] == ["would apply"]
    assert db.read_bytes() == before  # not brought up to date: nothing written


def test_another_writer_holding_the_database_stops_the_run(
    tmp_path: Path, generated: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from medline_parse.store import syncing

    db = tmp_path / "pubmed.db"
    sync(db, generated[:1])
    before = dump(db)
    monkeypatch.setattr(syncing, "_BUSY_TIMEOUT", 0.2)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer, in the middle of its transaction
    try:
        with pytest.raises(medline_parse.MedlineError, match="the database is locked"):
            sync(db, generated[1:2])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert dump(db) == before
    sync(db, generated[1:2])
    assert held(db) == expected_view(generated[:2])


# -- misuse: a MedlineError before the database is opened ---------------------------------------

TEXT = FIXTURES / "efetch.txt"


@pytest.mark.parametrize(
    ("database", "files", "options", "message"),
    [
        (None, [TEXT], {}, "the database must be a path .*not None"),
        (5, [TEXT], {}, "the database must be a path .*not int"),
        ("a\0b.db", [TEXT], {}, "the database 'a\\\\x00b.db': a path cannot hold a NUL byte"),
        ("x.db", None, {}, "sync's files must be an iterable, not None"),
        ("x.db", 5, {}, "sync's files must be an iterable, not int"),
        ("x.db", [None], {}, "each of sync's files must be a path .*not None"),
        ("x.db", [TEXT, 5], {}, "each of sync's files must be a path .*not int"),
        ("x.db", ["a\0b"], {}, "a path cannot hold a NUL byte"),
        ("x.db", [TEXT], {"batch_size": None}, "batch_size must be a whole number at least 1"),
        ("x.db", [TEXT], {"batch_size": "5"}, "batch_size must be a whole number at least 1"),
        ("x.db", [TEXT], {"batch_size": 0}, "batch_size must be a whole number at least 1"),
        ("x.db", [TEXT], {"encoding": 5}, "encoding must be the name of a codec"),
        ("x.db", [TEXT], {"encoding": "bogus"}, "unknown encoding 'bogus'"),
        ("x.db", [TEXT], {"progress": 5}, "progress must be a function or None"),
    ],
)
def test_misuse_of_sync_is_refused_before_the_database_is_made(
    database: object,
    files: object,
    options: dict[str, object],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(medline_parse.MedlineError, match=message):
        sync(database, files, **options)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", [str, Path])
def test_one_path_is_one_file_to_sync(kind: type, tmp_path: Path) -> None:
    summary = sync(tmp_path / "one.db", kind(TEXT))
    assert [report.name for report in summary.files] == [TEXT.name]
    assert summary.articles == len(list(parse(TEXT))) > 1
    with pytest.raises(SourceError, match=r"pubmed25n0001\.xml: no such file"):
        sync(tmp_path / "two.db", "pubmed25n0001.xml")  # one missing file, not its letters


@pytest.mark.parametrize("database", [None, 5, "a\0b"])
def test_reading_a_database_that_is_no_path_is_refused(database: object) -> None:
    message = "a path cannot hold a NUL byte" if database == "a\0b" else "must be a path"
    with pytest.raises(medline_parse.MedlineError, match=f"the database.*{message}"):
        status(database)  # type: ignore[arg-type]
    with pytest.raises(medline_parse.MedlineError, match=f"the database.*{message}"):
        list(read_articles(database))  # type: ignore[arg-type]
