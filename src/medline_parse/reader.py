"""Reading records from any source: the public entry points of the record layer.

Every entry point takes ``format=``: ``"medline"`` (MEDLINE text), ``"xml"`` (PubMed XML) or
``None`` to tell the format from the input's first bytes (:func:`detect_format`).
"""

from __future__ import annotations

import io
import os
import pickle
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any, Literal, NamedTuple, TypeVar, overload

from . import arguments
from ._gc import gc_paused
from .byte_sources import open_bytes, peek
from .errors import Diagnostic, MedlineError, MedlineWarning
from .medline.builder import build_article
from .medline.records import Record
from .medline.tokenizer import tokenize_blocks
from .model import Article, Deletion
from .sniff import refuse_foreign, sniff_format
from .sources import Source, check_encoding, describe_source, iter_blocks
from .workers import RemoteTraceback, run_in_order, unsendable
from .xml import iter_xml

__all__ = [
    "Format",
    "collect",
    "detect_format",
    "iter_events",
    "iter_records",
    "loads",
    "parse",
    "parse_many",
    "read",
]

T = TypeVar("T")

Format = Literal["medline", "xml"]
"""The formats the readers read: MEDLINE text and PubMed XML."""
_FORMATS = ("medline", "xml")


def detect_format(head: bytes) -> Format:
    """The format of an input that starts with *head* (its first bytes, gunzipped): ``"xml"`` when
    :func:`~medline_parse.sniff.sniff_format` finds PubMed XML, else ``"medline"`` (whose reader
    refuses what is neither: RIS, BibTeX, JSON, CSV, PDF, binary data)."""
    return "xml" if sniff_format(head) == "xml" else "medline"


def _resolve(source: Source, format: str | None, encoding: str | None) -> tuple[Format, Source]:
    """The format of *source* and a source that still holds all of it (a stream is peeked);
    *encoding* is checked first, for either format, before the source is touched."""
    if encoding is not None:
        check_encoding(encoding)
    if format is None:
        head, source = peek(source)
        return detect_format(head), source
    if format not in _FORMATS:
        raise MedlineError(f"unknown format {format!r}: choose 'medline', 'xml' or None (detect)")
    return format, source  # type: ignore[return-value]


def _xml_events(source: Source, strict: bool, encoding: str | None) -> Iterator[Article | Deletion]:
    with open_bytes(source) as read_bytes:
        yield from iter_xml(
            read_bytes, path=describe_source(source), strict=strict, encoding=encoding
        )


def iter_events(
    source: Source,
    *,
    format: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
    **options: Any,
) -> Iterator[Article | Deletion]:
    """Stream the :class:`~medline_parse.model.Article` s and
    :class:`~medline_parse.model.Deletion` s of *source*, in file order.

    PubMed's update files hold ``<DeleteCitation>`` notices among the articles; a database kept
    in step with PubMed applies both, in this order.  MEDLINE text has no deletions: its events
    are its articles.  *options* go to :func:`parse` (``split_collapsed``).
    """
    kind, source = _resolve(source, format, encoding)
    if kind == "xml":
        yield from _xml_events(source, strict, encoding)
    else:
        yield from _medline_articles(source, strict, encoding, **options)


def iter_records(
    source: Source,
    *,
    format: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Iterator[Record]:
    """Stream the :class:`~medline_parse.records.Record` s of *source*, in order.

    *source* is a path (``str`` or path-like; gzip files are decompressed), a binary or text file
    object, or an iterable of ``str`` lines.  Memory stays flat however large the input.

    Args:
        format: ``"medline"`` or ``None`` (the same here: records are MEDLINE text's own);
            ``"xml"`` is refused with a :class:`~medline_parse.errors.MedlineError` naming
            :func:`parse`, which reads PubMed XML.
        strict: raise :class:`~medline_parse.errors.ParseError` at the first problem instead of
            attaching a diagnostic to the record.
        encoding: decode bytes with this codec instead of UTF-8 with its stated fallback.
        split_collapsed: recover records whose line breaks were lost (``FORMAT.md`` §9).

    Raises:
        SourceError: the source cannot be opened or read (also an :class:`OSError`), or it is in
            another format (RIS, BibTeX, JSON, CSV, PDF, binary data: a
            :class:`~medline_parse.sniff.WrongFormatError`).
        ParseError: in strict mode, at the first problem.
    """
    if format is not None and format != "medline":
        if format not in _FORMATS:
            raise MedlineError(f"unknown format {format!r}: choose 'medline', 'xml' or None")
        where = describe_source(source) or "the input"
        raise MedlineError(
            f"{where}: PubMed XML has no MEDLINE records: read its articles with parse() (or "
            "iter_events())"
        )
    # Told nothing, the content says: PubMed XML is refused, naming parse(), as when format="xml"
    # (told "medline", the caller gets what a MEDLINE reading makes of it).
    return _records(source, strict, encoding, split_collapsed, refuse_xml=format is None)


def _records(
    source: Source,
    strict: bool,
    encoding: str | None,
    split_collapsed: bool,
    *,
    refuse_xml: bool = False,
    check_head: bool = True,
) -> Iterator[Record]:
    """The records of *source*, after the look at its head that refuses other formats (PubMed
    XML too with *refuse_xml*; no look without *check_head*, for a piece of a checked file)."""
    path = describe_source(source)
    blocks = iter_blocks(source, encoding)
    if check_head:
        blocks = refuse_foreign(blocks, path, refuse_xml=refuse_xml)
    return tokenize_blocks(
        blocks,
        path=path,
        strict=strict,
        split_collapsed=split_collapsed,
    )


def parse(
    source: Source,
    *,
    format: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Iterator[Article]:
    """Stream the typed :class:`~medline_parse.model.Article` s of *source*, in order.

    Sources as for :func:`iter_records`; MEDLINE text and PubMed XML alike (*format*: ``"medline"``,
    ``"xml"``, or ``None`` to detect it).  Diagnostics travel with each article
    (:attr:`Article.diagnostics`).  Input with no MEDLINE field at all yields no article; its
    diagnostics are issued as :class:`~medline_parse.errors.MedlineWarning` s.  A PubMed XML file
    that also holds deletion notices (the update files do) gets one warning naming
    :func:`iter_events`, which yields them.
    """
    kind, source = _resolve(source, format, encoding)
    if kind == "xml":
        warned = False
        for event in _xml_events(source, strict, encoding):
            if isinstance(event, Article):
                yield event
            elif not warned:
                warned = True
                where = describe_source(source) or "the input"
                warnings.warn(
                    f"{where}: holds deletion notices (<DeleteCitation>), which parse() does not "
                    "yield; read them with the articles, in file order, with "
                    "medline_parse.iter_events()",
                    MedlineWarning,
                    stacklevel=2,
                )
        return
    yield from _medline_articles(source, strict, encoding, split_collapsed)


def refuse_other_formats(source: Source, encoding: str | None = None) -> None:
    """Raise :class:`~medline_parse.sniff.WrongFormatError` when *source* starts in a format the
    readers refuse (RIS, BibTeX, JSON, CSV, PDF, binary data): the look at the head of a file
    that :func:`parse` takes before reading it as MEDLINE text.  *source* need hold no more than
    the file's first ``4 * HEAD_SIZE`` bytes."""
    for _ in refuse_foreign(iter_blocks(source, encoding), describe_source(source)):
        break


def read_piece(
    source: Source,
    *,
    format: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Iterator[Article]:
    """The articles of a piece of a MEDLINE text file cut at a record boundary (a Dask
    partition), as :func:`parse` reads them, but without its look at the head: that is the whole
    file's to pass (:func:`refuse_other_formats`), and a piece's own head can differ (a NUL
    byte in a record that the whole file's head outweighs)."""
    del format  # a piece is MEDLINE text: only such files are cut
    records = _records(source, strict, encoding, split_collapsed, check_head=False)
    yield from _articles_of(records, strict, stacklevel=3)


def _medline_articles(
    source: Source, strict: bool, encoding: str | None, split_collapsed: bool = True
) -> Iterator[Article]:
    records = _records(source, strict, encoding, split_collapsed)
    yield from _articles_of(records, strict, stacklevel=4)  # (parse, here, _articles_of)


def _articles_of(records: Iterable[Record], strict: bool, stacklevel: int) -> Iterator[Article]:
    """The articles of *records*; the problems of input that held no record are warned of, at
    *stacklevel* (the caller of the public reader)."""
    for record in records:
        if record.has_fields:
            yield build_article(record, strict=strict)
        else:
            _warn_about(record.diagnostics, stacklevel=stacklevel)


def read(
    source: Source,
    *,
    format: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Article:
    """The one article of *source*; a :class:`~medline_parse.errors.MedlineError` that says how
    many it found when there is not exactly one."""
    found: list[Article] = []
    for article in parse(
        source, format=format, strict=strict, encoding=encoding, split_collapsed=split_collapsed
    ):
        found.append(article)
        if len(found) > 1:
            break
    if len(found) != 1:
        where = describe_source(source) or "the input"
        count = "no record" if not found else "more than one record"
        raise MedlineError(f"read() expects exactly one record, but {where} holds {count}")
    return found[0]


def loads(
    text: str, *, format: str | None = None, strict: bool = False, split_collapsed: bool = True
) -> list[Article]:
    """The articles of MEDLINE text or PubMed XML held in memory (*format* as for :func:`parse`)."""
    if not isinstance(text, str):
        raise MedlineError(f"loads() takes text (str), not {type(text).__name__}")
    if format is None:
        format = "xml" if text.lstrip("\ufeff \t\r\n")[:1] == "<" else "medline"
    if format == "xml":
        data = io.BytesIO(text.lstrip("\ufeff").encode("utf-8"))
        return collect(parse(data, format="xml", strict=strict, encoding="utf-8"))
    return collect(parse([text], format=format, strict=strict, split_collapsed=split_collapsed))


def collect(articles: Iterable[T]) -> list[T]:
    """``list(articles)`` with Python's cyclic garbage collector paused while the list grows.

    Articles hold no reference cycles, but each is dozens of objects the collector tracks; while a
    list of them grows, its collections rescan them again and again, which made building the list
    take up to twice as long as parsing.  The collector's state is restored afterwards, also when
    parsing raises.
    """
    with gc_paused():
        return list(articles)


_Job = tuple[str, str | None, bool, str | None, Callable[[Article], Any] | None]


# A worker sends a file's articles back pickled in chunks of this many, each chunk one bytes
# object, and the caller unpickles a chunk only when its turn to be yielded comes.  Unpickled whole,
# a file's articles are all alive at once, and the garbage collector's passes over them cost more
# than the unpickling (see _gc.py); chunk by chunk, they are yielded and dropped before those
# passes see them, and what waits its turn is a few bytes objects the collector does not scan.
_CHUNK = 100


class _Outcome(NamedTuple):
    """What a worker sends back for one file: its articles (or, with a transform, the results)
    pickled in chunks, the messages of the warnings it issued, and the library error that stopped
    it, if one did (raised in the parent after what was read before it, as :func:`parse` would),
    or the exception *transform* raised, with its traceback."""

    chunks: list[bytes]
    messages: list[str]
    error: Exception | None
    trace: str = ""


def _parse_file(job: _Job) -> _Outcome:
    path, format, strict, encoding, transform = job
    items: list[Any] = []
    error: Exception | None = None
    trace = ""
    with warnings.catch_warnings(record=True) as caught, gc_paused():  # (as in collect)
        warnings.simplefilter("always", MedlineWarning)  # the warnings are re-issued in the parent
        try:
            for article in parse(path, format=format, strict=strict, encoding=encoding):
                items.append(article if transform is None else transform(article))
        except (MedlineError, OSError) as raised:
            error = raised
        except Exception as raised:  # the transform's own: after the results before it, as in
            error = _sendable(raised, path)  # one process, with the worker's traceback
            trace = traceback.format_exc()
    messages = [str(w.message) for w in caught if issubclass(w.category, MedlineWarning)]
    try:
        chunks = [
            pickle.dumps(items[start : start + _CHUNK], pickle.HIGHEST_PROTOCOL)
            for start in range(0, len(items), _CHUNK)
        ]
    except Exception as failure:  # a transform's result that does not pickle
        raise unsendable(failure, path) from None
    return _Outcome(chunks, messages, error, trace)


def _sendable(error: Exception, path: str) -> Exception:
    """*error* if it comes back whole through a pipe, else the library error that says what it
    was (an exception class whose constructor takes other arguments than it keeps)."""
    try:
        pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))
    except Exception as failure:
        return unsendable(failure, f"{path}: the transform raised {type(error).__name__}: {error}")
    return error


def _unpickled(chunks: list[bytes], path: str) -> Iterator[Any]:
    """The items of a worker's chunks (from *path*), one chunk unpickled at a time."""
    for chunk in chunks:
        try:
            with gc_paused():  # a chunk's objects all survive its loading (see _gc.py)
                items = pickle.loads(chunk)
        except Exception as failure:  # a transform's result that pickles but cannot be rebuilt
            raise MedlineError(
                f"{path}: a worker's result cannot be rebuilt here: "
                f"{type(failure).__name__}: {failure}"
            ) from None
        yield from items


def _usable_cores() -> int:
    """The cores this process may run on (fewer than the machine's under a CPU affinity mask, as
    in many containers and batch schedulers)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _warn_about(diagnostics: tuple[Diagnostic, ...], stacklevel: int) -> None:
    """Issue the problems of input that held no record as warnings (*stacklevel* as if the
    caller issued them)."""
    for diagnostic in diagnostics:
        if diagnostic.is_problem:
            warnings.warn(str(diagnostic), MedlineWarning, stacklevel=stacklevel + 1)


@overload
def parse_many(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = ...,
    format: str | None = ...,
    strict: bool = ...,
    encoding: str | None = ...,
    transform: None = ...,
) -> Iterator[Article]: ...


@overload
def parse_many(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = ...,
    format: str | None = ...,
    strict: bool = ...,
    encoding: str | None = ...,
    transform: Callable[[Article], T],
) -> Iterator[T]: ...


def parse_many(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    format: str | None = None,
    strict: bool = False,
    encoding: str | None = None,
    transform: Callable[[Article], Any] | None = None,
) -> Iterator[Any]:
    """Parse many files in parallel processes and yield their articles in a stable order: file by
    file as *paths* lists them, each file's articles in file order.

    Each file is parsed whole by one worker (parsing a file is a pure function of its bytes), so
    the result is the same as ``chain.from_iterable(parse(p) for p in paths)`` for any *workers*.
    At most two files per worker are in flight, so memory stays bounded however many files there
    are.  Stopping early (closing the iterator, or an error) terminates the workers at once.  A
    file that fails to read raises its error after the articles read before the damage, as
    :func:`parse` does.

    The workers parse the files into articles and send them back pickled (by the value classes'
    compiled constructors, in chunks).  With the compiled core, parsing is so cheap that taking
    the articles back still costs this process about two thirds of what parsing them would: whole
    articles gain little from more workers (on 2 cores they come slower than from :func:`parse`).
    What scales with the cores is *transform*, a picklable function (defined at module level)
    applied to each article in the worker: its results are yielded instead (rows, JSON lines,
    counts...), and only they travel.

    Args:
        paths: the files; one path (a ``str`` or path-like) is one file.
        workers: number of processes; ``None`` uses every core this process may run on, ``1``
            parses in this process.
        format: ``"medline"``, ``"xml"`` or ``None`` to detect each file's format (PubMed XML
            files too).
        transform: applied to each article where it is parsed; its results are yielded.
    """
    if format is not None and format not in _FORMATS:
        raise MedlineError(f"unknown format {format!r}: choose 'medline', 'xml' or None (detect)")
    if encoding is not None:
        check_encoding(encoding)
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool)):
        raise MedlineError(f"workers must be a whole number or None, not {workers!r}")
    if transform is not None and not callable(transform):
        raise MedlineError(f"transform must be a function, not {type(transform).__name__}")
    files = arguments.paths(paths, "parse_many's paths")
    jobs: list[_Job] = [(path, format, strict, encoding, transform) for path in files]
    if workers is None:
        workers = _usable_cores()
    workers = max(1, min(workers, len(jobs)))
    if transform is not None and workers > 1:
        try:
            pickle.dumps(transform, pickle.HIGHEST_PROTOCOL)
        except Exception as failure:  # a lambda, a closure: the workers cannot be sent it
            raise MedlineError(
                f"transform cannot be sent to the workers ({type(failure).__name__}: {failure}): "
                "define it at module level, or pass workers=1"
            ) from None
    if workers == 1:
        for path, *_ in jobs:
            articles = parse(path, format=format, strict=strict, encoding=encoding)
            if transform is None:
                yield from articles
            else:
                yield from map(transform, articles)
        return
    outcomes = run_in_order(
        _parse_file, jobs, workers=workers, ahead=2 * workers, describe=itemgetter(0)
    )
    try:
        for path, outcome in zip(files, outcomes):
            for message in outcome.messages:
                warnings.warn(message, MedlineWarning, stacklevel=2)
            yield from _unpickled(outcome.chunks, path)
            if outcome.error is not None:
                if outcome.trace:
                    raise outcome.error from RemoteTraceback(outcome.trace)
                raise outcome.error
    finally:  # stopped early or failed: the workers are terminated now, not when they finish
        outcomes.close()
