"""Fetched records into a file, byte for byte as served, resumably.

Strategy. The output file is written batch by batch; after each batch the file is synced, then the
state file beside it (:mod:`.state`) is replaced to count it. A run that stops, however it stops,
leaves the file holding whole batches up to ``committed`` and perhaps part of the next one; started
again with the same arguments, it cuts the file back to ``committed``, learns the PMIDs already
written from the file itself (so that a record met again is still skipped), and goes on from the
state. When the fetch is complete the XML closing tag is written and the state file removed.

What is never replaced without ``force``: an existing file that is not the unfinished output of
the same fetch (an empty file excepted). A fetch that fails before anything was written leaves no
file behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
from collections.abc import Callable, Iterable
from typing import IO, cast

import attrs

from .. import arguments
from ..errors import MedlineError
from ..outputs import check_file_object, describe_target, named_error
from .client import Client, FetchError
from .search import Batch, Fetcher, clean_pmids
from .state import State, describe, fingerprint, state_path

__all__ = ["FetchReport", "download", "written_pmids"]

_XML_FALLBACK_HEADER = b'<?xml version="1.0" ?>\n<PubmedArticleSet>'
_XML_FALLBACK_FOOTER = b"\n</PubmedArticleSet>\n"

Progress = Callable[[int, "int | None"], object]
"""Called after each batch with the records written so far and the records expected."""


@attrs.frozen
class FetchReport:
    """What a download did."""

    records: int
    """Records in the output (those of earlier, interrupted runs included)."""
    path: str | None
    """The output file (None for a stream)."""
    searched: int | None
    """What the search counted (None for a PMID list)."""
    unknown: tuple[str, ...]
    """PMIDs asked for that PubMed did not return."""
    duplicates: int
    """Records met twice in the date parts of a large search, written once."""
    problems: int
    """Problems reported along the way (unknown PMIDs aside)."""
    resumed: bool
    """True when the run went on from an interrupted one."""


def _client(
    client: Client | None, api_key: str | None, email: str | None, eutils_url: str | None
) -> tuple[Client, bool]:
    if client is not None:
        return client, False
    return Client(api_key=api_key, email=email, base_url=eutils_url), True


def download(
    output: str | os.PathLike[str] | IO[bytes],
    query: str | None = None,
    pmids: Iterable[object] | None = None,
    format: str = "medline",
    *,
    batch_size: int = 500,
    force: bool = False,
    progress: Progress | None = None,
    notify: Callable[[str], object] | None = None,
    client: Client | None = None,
    api_key: str | None = None,
    email: str | None = None,
    eutils_url: str | None = None,
) -> FetchReport:
    """Fetch the records of *query* or *pmids* into *output*, exactly as PubMed serves them.

    *output* is a path or a binary file object. ``format="medline"`` writes MEDLINE text
    (``efetch rettype=medline``), ``"xml"`` one PubMed XML document (the batches' records in one
    ``<PubmedArticleSet>``). A path is resumable: when a run stops, the same call goes on where it
    stopped and the file ends up as if it never had. An existing file that is not that unfinished
    output is never replaced unless *force* is true. A symbolic link is followed (the file it
    names is written, made if missing); a device or FIFO is written as a stream.

    *notify* receives each problem as a sentence (default: :class:`~medline_parse.MedlineWarning`
    warnings); *progress* is called after each batch with the records written so far and the
    records expected. The other arguments are those of :func:`medline_parse.fetch`.

    Raises:
        FetchError: bad arguments, an output that may not be replaced, a query PubMed rejects or
            that finds nothing, no network, the service failing after retries.
        OSError: the output cannot be written (its ``filename`` is the output, or the state
            file beside it).
    """
    output = _checked_output(output)  # before any request: nothing is asked that cannot be kept
    ids = clean_pmids(pmids) if pmids is not None else None
    if query is not None and ids is not None:
        raise FetchError("give a query or PMIDs (one of the two)")
    say = notify if notify is not None else _warn
    connection, own = _client(client, api_key, email, eutils_url)
    name = describe_target(output)
    try:
        if isinstance(output, (str, os.PathLike)):
            path = os.fspath(output)
            mode = _stat_mode(path)
            if mode is None or stat.S_ISREG(mode):
                return _to_file(
                    path, connection, query, ids, format, batch_size, force, progress, say
                )
            if stat.S_ISDIR(mode):
                raise FetchError(f"{path}: is a directory")
            with open(path, "wb") as handle:  # a device or pipe: written as a stream
                return _to_stream(
                    handle, path, connection, query, ids, format, batch_size, progress, say
                )
        return _to_stream(output, None, connection, query, ids, format, batch_size, progress, say)
    except OSError as error:  # a full disk names no file: name the output
        raise named_error(error, name) from None
    finally:
        if own:
            connection.close()


def _checked_output(output: object) -> str | IO[bytes]:
    """*output* as :func:`download` writes to it: a path (checked: no NUL byte), or a file object
    open for writing (a text one's binary buffer); a :class:`FetchError` for anything else."""
    if isinstance(output, (str, bytes, os.PathLike)):
        return arguments.path(output, "the output", FetchError)
    try:
        check_file_object(output, binary=True)
    except MedlineError as error:
        raise FetchError(str(error)) from None
    if isinstance(output, io.TextIOBase):
        return cast(IO[bytes], getattr(output, "buffer"))  # (check_file_object saw it)  # noqa: B009
    return cast(IO[bytes], output)


def _warn(message: str) -> None:
    import warnings

    from ..errors import MedlineWarning

    warnings.warn(message, MedlineWarning, stacklevel=4)


def _stat_mode(path: str) -> int | None:
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None


def _nothing(query: str | None, fetcher: Fetcher) -> FetchError:
    if query is None:
        unknown = fetcher.unknown
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        return FetchError(f"none of the PMIDs is in PubMed ({shown})")
    return FetchError(f"no records came back for {query!r}")


def _report(
    fetcher: Fetcher, records: int, path: str | None, unknown: Iterable[str], resumed: bool
) -> FetchReport:
    return FetchReport(
        records=records,
        path=path,
        searched=fetcher.searched,
        unknown=tuple(unknown),
        duplicates=fetcher.duplicates,
        problems=fetcher.problems,
        resumed=resumed,
    )


def _batch_bytes(batch: Batch, format: str, header_written: bool) -> bytes:
    data = b"".join(piece.data for piece in batch.records)
    if format == "xml" and data and not header_written:
        data = (batch.header or _XML_FALLBACK_HEADER) + data
    return data


def _to_stream(
    handle: IO[bytes],
    path: str | None,
    client: Client,
    query: str | None,
    ids: list[str] | None,
    format: str,
    batch_size: int,
    progress: Progress | None,
    say: Callable[[str], object],
) -> FetchReport:
    fetcher = Fetcher(client, format, batch_size, notify=say)
    records = 0
    footer = b""
    for batch in fetcher.batches(query, ids):
        data = _batch_bytes(batch, format, records > 0)
        if data:
            handle.write(data)
            handle.flush()
        records += len(batch.records)
        footer = batch.footer or footer
        if progress is not None:
            progress(records, fetcher.total)
    if records == 0:
        raise _nothing(query, fetcher)
    if format == "xml":
        handle.write(footer or _XML_FALLBACK_FOOTER)
        handle.flush()
    return _report(fetcher, records, path, fetcher.unknown, False)


def _to_file(
    path: str,
    client: Client,
    query: str | None,
    ids: list[str] | None,
    format: str,
    batch_size: int,
    force: bool,
    progress: Progress | None,
    say: Callable[[str], object],
) -> FetchReport:
    # A symbolic link is followed, as by every writer (outputs.py): the file it names is written,
    # created when missing, and removed on failure; the link stays. The state file sits beside
    # the name given, where the same command looks for it again.
    real = os.path.realpath(path)
    directory = os.path.dirname(real)
    if not os.path.isdir(directory):
        raise FetchError(f"{path}: no such directory: {directory}")
    sidecar = state_path(path)
    mark = fingerprint(query, ids, format)
    what = describe(query, ids, format)
    state = None if force else State.load(sidecar)
    exists = os.path.exists(real)
    resumed = False
    if exists and not force:
        size = os.path.getsize(real)
        if state is not None and state.fingerprint == mark:
            if size < state.committed:
                raise FetchError(
                    f"{path}: shorter than the unfinished fetch recorded in {sidecar}; it was "
                    "changed since. Use --force to start over"
                )
            resumed = True
        elif state is not None:
            raise FetchError(
                f"{path}: the unfinished output of another fetch ({state.what}); run that fetch "
                "again to finish it, or use --force to start this one over"
            )
        elif size > 0:
            raise FetchError(f"{path}: exists; use --force to replace it, or choose another output")
    if not resumed:
        state = State(mark, what)
    assert state is not None
    seen = written_pmids(real, state.committed, format) if resumed else set()
    fetcher = Fetcher(client, format, batch_size, seen=seen, resume=state.resume, notify=say)
    batches = fetcher.batches(query, ids)
    handle: IO[bytes] | None = None
    try:
        if resumed:
            handle = open(real, "r+b")  # noqa: SIM115 - closed below
            handle.truncate(state.committed)
            handle.seek(state.committed)
        for batch in batches:
            if handle is None:  # the first answer came: now the file is made
                handle = _create(real, path, exists)
                state.save(sidecar)
            _commit(handle, batch, format, state, sidecar)
            if progress is not None:
                progress(state.records, fetcher.total)
    except BaseException:
        if handle is not None:
            handle.close()
            if not resumed and state.committed == 0:  # nothing worth resuming
                _remove(real, sidecar)
        raise
    if handle is None:  # no batch at all: every part was done already
        handle = open(real, "r+b")  # noqa: SIM115
        handle.truncate(state.committed)
        handle.seek(state.committed)
    with handle:
        if state.records == 0:
            handle.close()
            _remove(real, sidecar)
            raise _nothing(query, fetcher)
        if format == "xml":
            handle.write(state.footer or _XML_FALLBACK_FOOTER)
        handle.flush()
        os.fsync(handle.fileno())
    with contextlib.suppress(FileNotFoundError):
        os.unlink(sidecar)
    return _report(fetcher, state.records, path, state.unknown, resumed)


def _create(real: str, path: str, exists: bool) -> IO[bytes]:
    """Open *real* (the file *path* names) for writing: truncated if it *exists*, else made,
    and refused if someone made it meanwhile."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_TRUNC if exists else os.O_EXCL
    try:
        fd = os.open(real, flags, 0o666)
    except FileExistsError:
        raise FetchError(f"{path}: appeared while fetching; not replaced") from None
    except OSError as error:
        raise named_error(error, path, real) from None
    return os.fdopen(fd, "wb")


def _commit(handle: IO[bytes], batch: Batch, format: str, state: State, sidecar: str) -> None:
    data = _batch_bytes(batch, format, state.records > 0)
    if data:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    state.committed += len(data)
    state.records += len(batch.records)
    state.unknown.extend(batch.unknown)
    if batch.footer:
        state.footer = batch.footer
    state.resume.advance(batch)
    state.save(sidecar)


def _remove(path: str, sidecar: str) -> None:
    for name in (path, sidecar):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)


# -- what an unfinished output holds ---------------------------------------------------------------

_RECORD_OPEN = re.compile(rb"<(PubmedArticle|PubmedBookArticle)(?:\s[^>]*)?>")
_RECORD_CLOSE = re.compile(rb"</(?:PubmedArticle|PubmedBookArticle)>")
_PMID = re.compile(rb"<PMID(?:\s[^>]*)?>\s*(\d+)\s*</PMID>")


def written_pmids(path: str, size: int, format: str) -> set[str]:
    """The PMIDs of the records in the first *size* bytes of *path* (medline or xml)."""
    found: set[str] = set()
    with open(path, "rb") as handle:
        if format != "xml":
            left = size
            for line in handle:
                if left <= 0:
                    break
                left -= len(line)
                if line.startswith(b"PMID-"):
                    found.add(line[5:].strip().decode("ascii", "replace"))
            return found
        buffer = b""
        left = size
        while left > 0:
            chunk = handle.read(min(left, 1 << 20))
            if not chunk:
                break
            left -= len(chunk)
            buffer += chunk
            position = 0
            while True:
                close = _RECORD_CLOSE.search(buffer, position)
                if close is None:
                    break
                record = buffer[position : close.end()]
                opened = _RECORD_OPEN.search(record)
                pmid = _PMID.search(record, opened.end()) if opened else None
                if pmid is not None:
                    found.add(pmid.group(1).decode("ascii"))
                position = close.end()
            buffer = buffer[position:]
    return found
