"""Apply PubMed files to a SQLite database, so that it holds PubMed's current view.

Strategy.  Files apply one at a time, in PubMed's order (:func:`.order.order_files`), each in one
SQLite transaction opened with ``BEGIN IMMEDIATE`` (the write lock is taken before anything is
decided, so two syncs of the same database cannot both apply a file).  Inside it the file is first
*decided* against the ``sync_files`` table: applied before with the same SHA-256 checksum, it is
skipped; applied before with other bytes, or a PubMed file older than one already applied, it is
refused, the transaction rolled back and the run stopped, so files never apply out of order.
Otherwise its events stream through in batches: for each batch the keys it touches are looked up
once (``key IN (...)``), the batch is folded in order by the rules of :mod:`.order` over what is
stored, and only the net result is written: the rows of replaced and deleted articles are deleted
by ``article_id`` from every child table, the new articles inserted with ``executemany`` (a replaced
article keeps its ``id``).  The file's ``sync_files`` row is written last, in the same transaction,
so a file is recorded if and only if all of it is in the database.

Durability.  The database is in WAL mode with ``synchronous=NORMAL``: a transaction is atomic
whatever happens to the process (SIGKILL included), and a committed one survives the process;
only a power cut or an operating system crash can lose the last committed transactions (never
part of one).  A lost file is then also missing from ``sync_files``, so the next run applies it
again: the database is never between two files.
"""

from __future__ import annotations

import datetime
import os
import sqlite3
import time
import warnings
from collections.abc import Callable, Iterable
from typing import IO, Any, cast

import attrs

from .. import arguments
from ..byte_sources import peek
from ..convert._common import article_key
from ..errors import MedlineError, MedlineWarning
from ..model import Article, Deletion
from ..reader import iter_events
from ..sniff import check_head, sniff_format
from ..sources import SourceError, check_encoding
from ..xml.stream import PUBMED_ELEMENTS, first_element
from .articles import connect_read_only
from .files import CHECKSUM_SUFFIX, CountingReader, InputFile, checksums, expected_md5
from .order import Outcome, article_outcome, deletion_outcome, order_files, pubmed_file_key
from .rows import (
    CHILD_INSERTS,
    INSERT_ARTICLE_WITH_ID,
    article_row,
    child_rows,
    delete_articles,
    empty_rows,
)
from .schema import (
    DatabaseError,
    build_indexes,
    check_database_path,
    create_schema,
    defer_indexes,
    indexes_deferred,
)

__all__ = ["FileReport", "SyncError", "SyncProgress", "SyncSummary", "open_database", "sync"]

_LOOKUP_CHUNK = 500
_BUSY_TIMEOUT = 30.0  # seconds to wait for another writer's transaction to end


@attrs.frozen
class FileReport:
    """What a sync did with one file."""

    name: str
    """The file's name (without folder), as the database records it."""
    path: str
    """The path it was read from."""
    action: str
    """``"applied"``, ``"skipped"`` (applied before, same checksum), ``"refused"``, or in a dry
    run ``"would apply"``."""
    records: int = 0
    """Articles read."""
    deletions: int = 0
    """PMIDs named in its deletion notices."""
    added: int = 0
    """Articles the database did not hold."""
    replaced: int = 0
    """Articles that replaced the one held for their PMID."""
    older: int = 0
    """Articles older (by PMID version) than the one held: ignored."""
    deleted: int = 0
    """PMIDs deleted."""
    absent: int = 0
    """PMIDs a deletion named that the database did not hold (at that version)."""
    problems: int = 0
    """Problems in the records (diagnostics; ``medline check`` shows them)."""
    seconds: float = 0.0
    """Time spent on the file."""
    reason: str | None = None
    """Why it was skipped or refused."""


@attrs.frozen
class SyncSummary:
    """What :func:`sync` did, file by file."""

    database: str
    """The database."""
    files: tuple[FileReport, ...]
    """One report per file, in the order they were taken (PubMed's order)."""
    articles: int
    """Articles in the database at the end (in a dry run: before)."""
    seconds: float
    """Time the run took."""
    dry_run: bool = False
    """Nothing was written."""

    def _total(self, field: str) -> int:
        return sum(getattr(f, field) for f in self.files if f.action == "applied")

    @property
    def applied(self) -> tuple[FileReport, ...]:
        """The files applied by this run."""
        return tuple(f for f in self.files if f.action == "applied")

    @property
    def skipped(self) -> tuple[FileReport, ...]:
        """The files skipped because they were applied before."""
        return tuple(f for f in self.files if f.action == "skipped")

    @property
    def records(self) -> int:
        """Articles read from the files applied."""
        return self._total("records")

    @property
    def added(self) -> int:
        """Articles added by the files applied."""
        return self._total("added")

    @property
    def replaced(self) -> int:
        """Articles replaced by the files applied."""
        return self._total("replaced")

    @property
    def older(self) -> int:
        """Articles ignored because the database held a newer version."""
        return self._total("older")

    @property
    def deleted(self) -> int:
        """PMIDs deleted by the files applied."""
        return self._total("deleted")

    @property
    def absent(self) -> int:
        """PMIDs the files' deletion notices named that the database did not hold."""
        return self._total("absent")

    @property
    def problems(self) -> int:
        """Problems in the records of the files applied."""
        return self._total("problems")


@attrs.frozen
class SyncProgress:
    """Where a sync is, for a progress display (handed to ``progress=``)."""

    files_done: int
    """Files decided (applied or skipped) so far."""
    files_total: int
    """Files in the run."""
    bytes_done: int
    """Bytes of the files done, plus those read of the current file."""
    bytes_total: int
    """Bytes of all the files."""
    records: int
    """Articles and deleted PMIDs applied so far."""
    seconds: float
    """Time since the run started."""
    current: str | None
    """The name of the file being read."""
    indexing: bool = False
    """The secondary indexes are being built (at the end of a run that started on an empty
    database)."""


class SyncError(MedlineError):
    """A file was refused (changed since it was applied, a checksum mismatch, out of order, damaged,
    unreadable): nothing of it, and nothing after it, was applied.

    :attr:`summary` tells what the run did before (the files applied stay applied).
    """

    def __init__(self, message: str, *, file: str | None, summary: SyncSummary) -> None:
        super().__init__(message)
        self.file = file
        """The path of the file refused (``None`` when the run stopped before any file)."""
        self.summary = summary
        """What the run did before it stopped."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception pickles only its args; the keyword-only parts travel too (every library error
        # crosses process boundaries intact).
        return (_rebuild_sync_error, (type(self), str(self), self.file, self.summary))


def _rebuild_sync_error(
    cls: type[SyncError], message: str, file: str | None, summary: SyncSummary
) -> SyncError:
    return cls(message, file=file, summary=summary)


class _Refused(Exception):
    """A file the run does not apply; ends the run."""


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def open_database(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A connection to the database at *path* (created when missing) set up for syncing: WAL
    journal, ``synchronous=NORMAL``, transactions under the caller's control
    (``isolation_level=None``), the schema in place.

    Raises:
        DatabaseError: *path* is no SQLite database, or one of a newer schema.
    """
    where = arguments.path(path, "the database")
    check_database_path(where)
    try:
        connection = sqlite3.connect(where, timeout=_BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as error:
        raise DatabaseError(f"{where}: cannot open the database: {error}") from None
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA journal_size_limit = 67108864")
        connection.execute("PRAGMA cache_size = -65536")
        connection.execute("PRAGMA foreign_keys = OFF")  # rows are deleted explicitly, by id
        create_schema(connection)
    except DatabaseError as error:
        connection.close()
        raise DatabaseError(f"{where}: {error}") from None
    except sqlite3.Error as error:
        connection.close()
        raise DatabaseError(f"{where}: {_sqlite_reason(error)}") from None
    return connection


def _sqlite_reason(error: sqlite3.Error) -> str:
    text = str(error)
    if "not a database" in text:
        return "is not a SQLite database"
    if "locked" in text or "busy" in text:
        return "the database is locked (is another medline sync writing to it?)"
    return f"database error: {text}"


# -- deciding ---------------------------------------------------------------------------------------


@attrs.frozen
class _Applied:
    name: str
    size: int
    modified: str
    sha256: str
    applied_at: str


def _applied(connection: sqlite3.Connection | None, name: str) -> _Applied | None:
    if connection is None:
        return None
    row = connection.execute(
        "SELECT name, size, modified, sha256, applied_at FROM sync_files WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else _Applied(*row)


def _latest_pubmed(connection: sqlite3.Connection | None) -> tuple[tuple[int, int], str] | None:
    if connection is None:
        return None
    row = connection.execute(
        "SELECT series, number, name FROM sync_files WHERE series IS NOT NULL "
        "ORDER BY series DESC, number DESC LIMIT 1"
    ).fetchone()
    return None if row is None else ((row[0], row[1]), row[2])


def _decide(
    connection: sqlite3.Connection | None,
    file: InputFile,
    sha256: str,
    latest: tuple[tuple[int, int], str] | None,
) -> str | None:
    """``None`` to apply *file*, or why to skip it (applied before, same bytes); raises
    :class:`_Refused` for a file that must not be applied."""
    before = _applied(connection, file.name)
    if before is not None:
        if before.sha256 == sha256:
            return f"applied {before.applied_at}"
        changes = []
        if before.size != file.size:
            changes.append(f"size {before.size:,} then, {file.size:,} now")
        if before.modified != file.modified:
            changes.append(f"modified {before.modified} then, {file.modified} now")
        detail = "; ".join(changes) if changes else "same size and time, other bytes"
        raise _Refused(
            f"{file.path}: changed since it was applied on {before.applied_at} (its checksum "
            f"differs: {detail}); a database is only as right as the files it was built from, so "
            "build a new one from the files as they are now"
        )
    key = pubmed_file_key(file.name)
    if key is not None and latest is not None and key[0] > latest[0][0]:
        raise _Refused(
            f"{file.path}: is of the pubmed{key[0]:02d} files, but the database holds the "
            f"pubmed{latest[0][0]:02d} ones (up to {latest[1]}); NLM's annual baseline replaces "
            f"everything before it, so load the pubmed{key[0]:02d} baseline and its update files "
            "into a new database"
        )
    if key is not None and latest is not None and key < latest[0]:
        raise _Refused(
            f"{file.path}: comes before {latest[1]}, which is already applied; applying it now "
            "would put older records over newer ones (load it into a new database, with the "
            "files that follow it)"
        )
    return None


def _check_md5(file: InputFile, md5: str | None, expected: str | None) -> None:
    if expected is not None and md5 != expected:
        raise _Refused(
            f"{file.path}: does not match its checksum file {file.name}{CHECKSUM_SUFFIX} "
            f"(MD5 {md5}, expected {expected}): the download is damaged or incomplete; "
            "download it again"
        )


# -- applying ---------------------------------------------------------------------------------------


@attrs.define
class _Counts:
    records: int = 0
    deletions: int = 0
    added: int = 0
    replaced: int = 0
    older: int = 0
    deleted: int = 0
    absent: int = 0
    problems: int = 0

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)


@attrs.define
class _Slot:
    """The state of one key within a batch: a new article, or deleted (``article`` is None)."""

    article: Article | None
    version: int | None
    order: int


class _Writer:
    """Applies batches of events to the database inside the file's transaction."""

    def __init__(self, connection: sqlite3.Connection, counts: _Counts) -> None:
        self.connection = connection
        self.counts = counts
        top = connection.execute("SELECT max(id) FROM articles").fetchone()[0]
        self.next_id = (top or 0) + 1

    def _stored(self, keys: list[str]) -> dict[str, tuple[int, int | None]]:
        stored: dict[str, tuple[int, int | None]] = {}
        for start in range(0, len(keys), _LOOKUP_CHUNK):
            chunk = keys[start : start + _LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            for key, aid, version in self.connection.execute(
                f"SELECT key, id, pmid_version FROM articles WHERE key IN ({marks})", chunk
            ):
                stored[key] = (aid, version)
        return stored

    def apply(self, batch: list[tuple[str | None, Article | Deletion]]) -> None:
        """Apply *batch* (``(key, article)`` and ``(None, deletion)`` in file order)."""
        keys: dict[str, None] = {}
        for key, event in batch:
            if key is not None:
                keys[key] = None
            else:
                assert isinstance(event, Deletion)
                keys.update(dict.fromkeys(event.pmids))
        stored = self._stored(list(keys))
        slots: dict[str, _Slot] = {}
        counts = self.counts

        def held(key: str) -> tuple[bool, int | None]:
            slot = slots.get(key)
            if slot is not None:
                return slot.article is not None, slot.version
            row = stored.get(key)
            return (False, None) if row is None else (True, row[1])

        for order, (key, event) in enumerate(batch):
            if key is not None:
                assert isinstance(event, Article)
                present, version = held(key)
                outcome = article_outcome(present, version, event.pmid_version)
                counts.count(outcome)
                if outcome is not Outcome.OLDER:
                    slots[key] = _Slot(event, event.pmid_version, order)
            else:
                assert isinstance(event, Deletion)
                for pmid, version in zip(event.pmids, event.versions):
                    present, held_version = held(pmid)
                    outcome = deletion_outcome(present, held_version, version)
                    counts.count(outcome)
                    if outcome is Outcome.DELETED:
                        slots[pmid] = _Slot(None, None, order)
        self._write(slots, stored)

    def _write(self, slots: dict[str, _Slot], stored: dict[str, tuple[int, int | None]]) -> None:
        connection = self.connection
        delete_articles(connection, [stored[key][0] for key in slots if key in stored])
        new = sorted(
            ((slot.order, key, slot.article) for key, slot in slots.items() if slot.article),
            key=lambda item: item[0],
        )
        if not new:
            return
        articles: list[tuple[Any, ...]] = []
        rows = empty_rows()
        for _, key, article in new:
            assert article is not None
            row = stored.get(key)
            if row is not None:
                aid = row[0]  # a replaced article keeps its id
            else:
                aid = self.next_id
                self.next_id += 1
            articles.append((aid, *article_row(article, key)))
            child_rows(article, aid, rows)
        connection.executemany(INSERT_ARTICLE_WITH_ID, articles)
        for table, statement in CHILD_INSERTS.items():
            if rows[table]:
                connection.executemany(statement, rows[table])


def _apply_file(
    connection: sqlite3.Connection,
    file: InputFile,
    counts: _Counts,
    *,
    strict: bool,
    encoding: str | None,
    batch_size: int,
    advance: Callable[[int], None],
) -> None:
    """Apply the events of *file* inside the open transaction; raises :class:`_Refused` when the
    file cannot be read whole."""
    writer = _Writer(connection, counts)
    batch: list[tuple[str | None, Article | Deletion]] = []
    weight = 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MedlineWarning)
        try:
            handle = open(file.path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as error:
            raise _Refused(f"{file.path}: cannot open: {error.strerror or error}") from None
        try:
            source = cast(IO[bytes], CountingReader(handle, file.path, advance))
            for event in iter_events(source, strict=strict, encoding=encoding):
                if isinstance(event, Article):
                    counts.records += 1
                    counts.problems += sum(1 for d in event.diagnostics if d.is_problem)
                    batch.append((article_key(event), event))
                    weight += 1
                else:
                    counts.deletions += len(event.pmids)
                    batch.append((None, event))
                    weight += len(event.pmids)
                if weight >= batch_size:
                    writer.apply(batch)
                    batch = []
                    weight = 0
            if batch:
                writer.apply(batch)
        except MedlineError as error:
            raise _Refused(_message(error, file.path)) from None
        except OSError as error:
            raise _Refused(f"{file.path}: cannot read: {error.strerror or error}") from None
        finally:
            handle.close()
    damage = [w for w in caught if issubclass(w.category, MedlineWarning)]
    for other in caught:
        if not issubclass(other.category, MedlineWarning):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    if damage:
        raise _Refused(
            f"{_message(damage[0].message, file.path)} (nothing of this file was applied: "
            "a file is applied whole or not at all)"
        )
    if counts.records == 0 and counts.deletions == 0 and not _is_empty_pubmed_set(file.path):
        raise _Refused(f"{file.path}: no PubMed records or deletions in it")


def _is_empty_pubmed_set(path: str) -> bool:
    """Whether *path* is a PubMed XML document that holds nothing, as PubMed writes one (an
    empty ``<PubmedArticleSet>``): applied as a file of no records.  An empty file, or one of
    white space only, is refused instead: an interrupted download looks like that."""
    try:
        head, _ = peek(path)
    except OSError:
        return False
    return sniff_format(head) == "xml" and first_element(head) in PUBMED_ELEMENTS


def _message(error: BaseException | Warning | str, path: str) -> str:
    text = str(error)
    return text if text.startswith(path) else f"{path}: {text}"


def _record(
    connection: sqlite3.Connection,
    file: InputFile,
    sha256: str,
    md5: str | None,
    counts: _Counts,
    seconds: float,
) -> None:
    key = pubmed_file_key(file.name)
    connection.execute(
        "INSERT INTO sync_files (name, series, number, size, modified, sha256, md5, records, "
        "deletions, added, replaced, older, deleted, absent, problems, applied_at, seconds) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            file.name,
            None if key is None else key[0],
            None if key is None else key[1],
            file.size,
            file.modified,
            sha256,
            md5,
            counts.records,
            counts.deletions,
            counts.added,
            counts.replaced,
            counts.older,
            counts.deleted,
            counts.absent,
            counts.problems,
            _now(),
            round(seconds, 3),
        ),
    )


# -- the run ---------------------------------------------------------------------------------------


def _inputs(paths: list[str]) -> list[InputFile]:
    """The data files (NLM's ``.md5`` files are left out: they check their data file), each
    checked to exist, in the order to apply them."""
    data = [p for p in paths if not p.endswith(CHECKSUM_SUFFIX)]
    seen: dict[str, str] = {}
    for path in data:
        name = os.path.basename(path)
        if name in seen:
            raise SourceError(
                f"{name} is given twice ({seen[name]} and {path}): a database knows a file by "
                "its name"
            )
        seen[name] = path
    return [InputFile.stat(path) for path in order_files(data)]


def _count_articles(connection: sqlite3.Connection | None) -> int:
    if connection is None:
        return 0
    count: int = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    return count


class _Run:
    """One sync: the files, the connection, what was done, and the progress told."""

    def __init__(
        self,
        where: str,
        inputs: list[InputFile],
        connection: sqlite3.Connection | None,
        progress: Callable[[SyncProgress], object] | None,
        dry_run: bool,
    ) -> None:
        self.where = where
        self.inputs = inputs
        self.connection = connection
        self.progress = progress
        self.dry_run = dry_run
        self.started = time.perf_counter()
        self.total = sum(f.size for f in inputs)
        self.reports: list[FileReport] = []
        self.done_bytes = 0
        self.records = 0
        self.current: str | None = None
        self.read = 0
        self.told = 0

    def tell(self, indexing: bool = False) -> None:
        if self.progress is not None:
            self.told = self.read
            self.progress(
                SyncProgress(
                    files_done=len(self.reports),
                    files_total=len(self.inputs),
                    bytes_done=self.done_bytes + self.read,
                    bytes_total=self.total,
                    records=self.records,
                    seconds=time.perf_counter() - self.started,
                    current=self.current,
                    indexing=indexing,
                )
            )

    def advance(self, size: int) -> None:
        self.read += size
        if self.read - self.told >= 1 << 20:
            self.tell()

    def begin(self, file: InputFile | None) -> None:
        self.current = None if file is None else file.name
        self.read = self.told = 0
        self.tell()

    def done(self, report: FileReport, size: int) -> None:
        self.reports.append(report)
        self.done_bytes += size
        self.records += report.records + report.deletions

    def build_indexes(self) -> None:
        """Build the deferred secondary indexes (each in its own transaction)."""
        assert self.connection is not None
        self.current = None
        self.tell(indexing=True)
        try:
            build_indexes(self.connection)
        except sqlite3.Error as error:
            raise DatabaseError(
                f"{self.where}: cannot build the indexes: {_sqlite_reason(error)}"
            ) from None

    def summary(self) -> SyncSummary:
        return SyncSummary(
            self.where,
            tuple(self.reports),
            _count_articles(self.connection),
            time.perf_counter() - self.started,
            self.dry_run,
        )

    def refuse(self, file: InputFile, reason: str) -> SyncError:
        self.reports.append(FileReport(file.name, file.path, "refused", reason=reason))
        return SyncError(reason, file=file.path, summary=self.summary())


def _plan_file(run: _Run, file: InputFile, latest: tuple[tuple[int, int], str] | None) -> None:
    """Decide *file* in a dry run (nothing is written)."""
    expected = expected_md5(file)
    sha256, md5 = checksums(file.path, md5=expected is not None)
    _check_md5(file, md5, expected)
    skip = _decide(run.connection, file, sha256, latest)
    if skip is None:
        _check_head(file)
    action = "would apply" if skip is None else "skipped"
    run.done(FileReport(file.name, file.path, action, reason=skip), file.size)


def _check_head(file: InputFile) -> None:
    """Refuse, as a real run would, a *file* whose first bytes show it cannot be applied: empty
    (an interrupted download), in another format, XML that is not PubMed's.  A dry run reads no
    further: damage later in the file is found by the real run."""
    head, _ = peek(file.path)
    kind = sniff_format(head)
    if kind == "empty":
        raise _Refused(
            f"{file.path}: the file is empty or white space only (an interrupted download?)"
        )
    check_head(head, file.path)  # raises WrongFormatError (a SourceError) for another format
    if kind == "xml":
        name = first_element(head)
        if name is not None and name not in PUBMED_ELEMENTS:
            raise _Refused(f"{file.path}: this is XML, but not PubMed XML: it starts with <{name}>")


def _sync_file(
    run: _Run, file: InputFile, *, strict: bool, encoding: str | None, batch_size: int
) -> None:
    """Decide *file* and apply it, in one transaction."""
    connection = run.connection
    assert connection is not None
    started = time.perf_counter()
    expected = expected_md5(file)
    sha256, md5 = checksums(file.path, md5=expected is not None)
    _check_md5(file, md5, expected)
    counts = _Counts()
    connection.execute("BEGIN IMMEDIATE")
    try:
        skip = _decide(connection, file, sha256, _latest_pubmed(connection))
        if skip is None:
            _apply_file(
                connection,
                file,
                counts,
                strict=strict,
                encoding=encoding,
                batch_size=batch_size,
                advance=run.advance,
            )
            _record(connection, file, sha256, md5, counts, time.perf_counter() - started)
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    if skip is not None:
        report = FileReport(file.name, file.path, "skipped", reason=skip)
    else:
        seconds = time.perf_counter() - started
        report = FileReport(
            file.name, file.path, "applied", seconds=seconds, **attrs.asdict(counts)
        )
    run.done(report, file.size)


def _open_for_planning(where: str) -> sqlite3.Connection | None:
    """A read-only connection for a dry run, or None when there is nothing to read yet."""
    if not os.path.exists(where):
        return None
    connection = connect_read_only(where)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.Error as error:
        connection.close()
        raise DatabaseError(f"{where}: {_sqlite_reason(error)}") from None
    if "sync_files" not in tables or "articles" not in tables:
        connection.close()
        return None  # a database no sync wrote to: every file would be applied
    return connection


def _is_empty(connection: sqlite3.Connection) -> bool:
    return connection.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None


def _run_files(run: _Run, *, strict: bool, encoding: str | None, batch_size: int) -> None:
    """Take the run's files in order; a refused file raises :class:`SyncError`."""
    latest = _latest_pubmed(run.connection)
    for file in run.inputs:
        run.begin(file)
        try:
            if run.dry_run:
                _plan_file(run, file, latest)
                key = pubmed_file_key(file.name)
                if key is not None and run.reports[-1].action == "would apply":
                    latest = (key, file.name)
            else:
                _sync_file(run, file, strict=strict, encoding=encoding, batch_size=batch_size)
        except (_Refused, SourceError) as error:
            raise run.refuse(file, str(error)) from None
        except sqlite3.Error as error:
            raise run.refuse(file, f"{run.where}: {_sqlite_reason(error)}") from None


def sync(
    database: str | os.PathLike[str],
    files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    dry_run: bool = False,
    strict: bool = False,
    encoding: str | None = None,
    progress: Callable[[SyncProgress], object] | None = None,
    batch_size: int = 1000,
) -> SyncSummary:
    """Apply PubMed XML (or MEDLINE text) *files* to the SQLite *database*, so that it holds the
    current view: the newest version of every record, without the deleted ones.

    Files apply in PubMed's order (``pubmedYYnNNNN`` files by number, whatever order they are
    given in; other files in the order given), each in one transaction, and are recorded in the
    database (table ``sync_files``): a file applied before is skipped, so running the same
    command again applies only what is new, and a run that was interrupted goes on from the last
    whole file.  NLM's ``.md5`` file beside a file checks it first (``.md5`` files among *files*
    are not applied).

    Args:
        database: the database file, created when missing (its schema is in
            ``docs/sqlite-schema.md``).
        files: the files to apply; one path (a ``str`` or path-like) is one file.
        dry_run: change nothing; tell which files would be applied, skipped or refused (the
            files are checksummed and their first bytes looked at, not read).
        strict: refuse a file at the first problem in its records (by default problems are
            counted and the records applied; ``medline check`` shows them).
        encoding: decode MEDLINE text files with this codec.
        progress: called with a :class:`SyncProgress` as the run advances.
        batch_size: records per write inside a file's transaction.

    Raises:
        SyncError: a file was refused, and nothing of it or after it was applied (it changed
            since it was applied, does not match its ``.md5`` file, is a PubMed file older than
            one already applied, or cannot be read whole); :attr:`SyncError.summary` says what
            the run did before.
        DatabaseError: *database* is not a database this library can use.
        SourceError: an input file is missing or is given twice (before anything is applied).
        MedlineError: an argument of the wrong kind (a database or file that is no path, a
            batch_size that is no positive whole number, an unknown *encoding*), before the
            database is opened.
    """
    where = arguments.path(database, "the database")
    paths = arguments.paths(files, "sync's files")
    if encoding is not None:
        check_encoding(encoding)
    batch_size = arguments.count(batch_size, "batch_size")
    if progress is not None and not callable(progress):
        raise MedlineError(f"progress must be a function or None, not {type(progress).__name__}")
    inputs = _inputs(paths)
    connection = _open_for_planning(where) if dry_run else open_database(where)
    run = _Run(where, inputs, connection, progress, dry_run)
    try:
        deferred = False
        if not dry_run and connection is not None:
            deferred = indexes_deferred(connection)
            if not deferred and inputs and _is_empty(connection):
                defer_indexes(connection)  # built when the run ends: a bulk load
                deferred = True
        try:
            _run_files(run, strict=strict, encoding=encoding, batch_size=batch_size)
        except SyncError:
            if deferred:
                run.build_indexes()
            raise
        if deferred:
            run.build_indexes()
        run.begin(None)
        summary = run.summary()
        if connection is not None and not dry_run:
            connection.execute("PRAGMA analysis_limit = 400")
            connection.execute("PRAGMA optimize")
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return summary
    finally:
        if connection is not None:
            connection.close()
