"""What the workers run: open a file from its path, read one part of it, hand the results on.

A task gets a :class:`~.parts.Part` (a path, never file contents) and opens the file itself with
fsspec.  A part of a cut file first has its *span* found (:func:`span`: where it really starts and
ends, at record boundaries, and how many lines it holds); reading it then shifts the line numbers
of its diagnostics by the lines of the parts before (:func:`lines_before`, one task per file
that sums the spans' line counts), so they are those of the whole file.

Errors name the file: the reader's own errors already do; failures of the filesystem or of a
decompressor fsspec applied become :class:`~medline_parse.SourceError` s saying which file.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import lzma
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, cast

import attrs

from ..errors import MedlineError
from ..medline.split import count_line_breaks, next_boundary
from ..model import Article
from ..reader import collect, detect_format, iter_events, parse, read_piece, refuse_other_formats
from ..sniff import HEAD_SIZE
from ..sources import SourceError
from .parts import Part

__all__ = ["Span", "as_list", "lines_before", "read_part", "span"]

Span = tuple[int, int, int] | None
"""A part's real first byte, its end and the number of lines in it; ``None`` when its file cannot
be cut (compressed, or not MEDLINE text), and the file's first part reads it whole."""

Finish = Callable[[Part, Iterable[Any]], Any]
"""What a task makes of its part's events (a list, a DataFrame...): called on the worker."""

_DECOMPRESSION_ERRORS = (EOFError, zlib.error, lzma.LZMAError)
_STREAM_ERRORS = (OSError, *_DECOMPRESSION_ERRORS)
_GZIP_MAGIC = b"\x1f\x8b"


class _Stream:
    """A binary reader over an open file that says which file it is (``name``, for diagnostics)
    and stops at *end* (the end of a part).  Where fsspec decompresses the file (*compression*),
    a failure of its decompressor is reported here, naming the compression: the reader above
    would take it for one of the gzip data it decompresses itself."""

    def __init__(
        self, handle: Any, name: str, end: int | None = None, compression: str | None = None
    ) -> None:
        self._handle = handle
        self.name = name
        self._left = None if end is None else end - handle.tell()
        self._compression = compression

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._left is not None and (size is None or size < 0 or size > self._left):
            size = self._left
        try:
            data: bytes = self._handle.read(-1 if size is None else size)
        except _DECOMPRESSION_ERRORS as error:
            if self._compression is None:
                raise
            raise _damaged(self.name, self._compression, error) from None
        if self._left is not None:
            self._left -= len(data)
        return data


def _damaged(name: str, compression: str, error: Exception) -> SourceError:
    return SourceError(f"{name}: damaged or truncated {compression} data ({error})")


@contextlib.contextmanager
def _opened(part: Part) -> Iterator[Any]:
    """The file of *part*, open for reading bytes (decompressed when fsspec decompresses it)."""
    from fsspec.core import OpenFile  # type: ignore[import-untyped]

    try:
        handle = OpenFile(part.fs, part.path, mode="rb", compression=part.compression).open()
    except FileNotFoundError:
        raise SourceError(f"{part.name}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{part.name}: is a directory, not a MEDLINE file") from None
    except Exception as error:  # any filesystem's way of failing: name the file
        raise SourceError(f"{part.name}: cannot open: {error}") from None
    try:
        yield handle
    except MedlineError:
        raise
    except _DECOMPRESSION_ERRORS as error:
        if part.compression is None:
            raise SourceError(f"{part.name}: cannot read: {error}") from None
        raise _damaged(part.name, part.compression, error) from None
    except _STREAM_ERRORS as error:
        raise SourceError(f"{part.name}: cannot read: {error}") from None
    finally:
        with contextlib.suppress(Exception):
            handle.close()


def _reader(handle: Any) -> Callable[[int, int], bytes]:
    def read(start: int, end: int) -> bytes:
        handle.seek(start)
        data: bytes = handle.read(end - start)
        return data

    return read


def _splittable_head(head: bytes) -> bool:
    """MEDLINE text, uncompressed: not gzip data, not PubMed XML."""
    return not head.startswith(_GZIP_MAGIC) and detect_format(head) == "medline"


def span(part: Part) -> Span:
    """Where *part* of a cut file really starts and ends, and how many lines it holds."""
    with _opened(part) as handle:
        read = _reader(handle)
        if not _splittable_head(read(0, 1024)):
            return None
        size = int(part.fs.size(part.path))
        start = next_boundary(read, size, part.start)
        end = size if part.stop is None else next_boundary(read, size, part.stop)
        lines = count_line_breaks(read, start, end) if end > start else 0
        return start, end, lines


def _shifted(article: Article, lines: int) -> Article:
    """*article* with the line numbers of its diagnostics moved down by *lines*."""
    if not lines or not article.diagnostics:
        return article
    moved = tuple(
        d if d.line is None else attrs.evolve(d, line=d.line + lines) for d in article.diagnostics
    )
    return attrs.evolve(article, diagnostics=moved)


def lines_before(spans: Sequence[Span]) -> list[int]:
    """How many lines a cut file holds before each of its parts, from the parts' *spans*."""
    before = list(itertools.accumulate((0 if s is None else s[2] for s in spans), initial=0))
    return before[:-1]


def read_part(
    part: Part,
    own: Span,
    before: Sequence[int] | None,
    options: Mapping[str, Any],
    finish: Finish,
    events: bool = False,
) -> Any:
    """Read *part* (*own* its span, *before* the lines before each part of its file, both
    ``None`` for a file read whole) and return what *finish* makes of its articles (with
    *events*, its articles and deletion notices, as :func:`~medline_parse.iter_events` gives
    them)."""
    read: Callable[..., Iterator[Any]] = iter_events if events else parse
    with _opened(part) as handle:
        if own is None:
            if part.index:
                return finish(part, ())  # the file's first part reads it whole
            return finish(part, read(_Stream(handle, part.name, None, part.compression), **options))
        start, end, _ = own
        if part.index == 0:
            # The look at the head that tells other formats apart is the whole file's: its first
            # part takes it on the file's head, and the pieces are read without one.
            head = _Stream(io.BytesIO(_reader(handle)(0, 4 * HEAD_SIZE)), part.name)
            refuse_other_formats(cast(IO[bytes], head), options.get("encoding"))
        if start >= end:
            return finish(part, ())
        shift = before[part.index] if before is not None else 0
        handle.seek(start)
        text = _Stream(handle, part.name, end)
        articles = read_piece(cast(IO[bytes], text), **options)
        return finish(part, (_shifted(a, shift) for a in articles))


def as_list(part: Part, events: Iterable[Any]) -> list[Any]:
    """The events themselves (a bag's partition)."""
    return collect(events)
