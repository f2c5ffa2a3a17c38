"""Sources as bytes: a peek at the head (to tell the format) and a reader for byte-level parsers.

:mod:`.sources` turns every kind of source into decoded lines for the MEDLINE tokenizer.  PubMed
XML is parsed from bytes instead (lxml decodes it), and the format of a source is told from its
first bytes.  Here:

* :func:`peek` returns the first bytes of a source (decompressed when it is gzip) together with a
  source that still yields everything, so that a stream (stdin, a socket, a pipe) can be sniffed
  and then read by whichever reader fits;
* :func:`open_bytes` opens any source as a ``read(size) -> bytes`` function: paths and binary
  file objects as they are (``.gz`` recognised by its magic bytes), text as UTF-8.

Errors name the source, as everywhere: a missing file or a damaged gzip stream is a
:class:`~medline_parse.sources.SourceError`.
"""

from __future__ import annotations

import gzip
import io
import itertools
import os
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

from .errors import MedlineError
from .sources import Source, SourceError, describe_source

__all__ = ["HEAD_SIZE", "open_bytes", "peek"]

HEAD_SIZE = 1024
"""How many bytes :func:`peek` looks at."""

_GZIP_MAGIC = b"\x1f\x8b"


class _Replay:
    """A file object that first gives back what was already read from another, then the rest."""

    def __init__(self, head: Any, stream: Any) -> None:
        self._head = head
        self._stream = stream
        self.name = getattr(stream, "name", None)

    def read(self, size: int = -1) -> Any:
        head = self._head
        if not head:
            return self._stream.read(size)
        if size is None or size < 0:
            self._head = head[:0]
            return head + self._stream.read()
        if size == 0:
            return head[:0]
        self._head = head[size:]
        return head[:size]

    def readable(self) -> bool:
        return True


class _ClosingReplay(_Replay):
    """A :class:`_Replay` of a file this module opened (a pipe given by its path): closed once
    read to its end."""

    def read(self, size: int = -1) -> Any:
        if self._stream.closed:
            return b""  # (gzip reads past the end once more, to look for another member)
        data = super().read(size)
        if not data and size != 0:
            self._stream.close()
        return data


def _no_bytes(source: object) -> None:
    if isinstance(source, (bytes, bytearray, memoryview)):
        raise MedlineError(
            "bytes are not a source: wrap them in io.BytesIO, or decode them and use loads()"
        )


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(wbits=31).decompress(head, HEAD_SIZE)
    except zlib.error:
        return b""


def peek(source: Source) -> tuple[bytes, Source]:
    """The first bytes of *source* (at most about :data:`HEAD_SIZE`, decompressed when gzip) and a
    source equivalent to *source* that has consumed nothing."""
    _no_bytes(source)
    if isinstance(source, (str, os.PathLike)):
        path = describe_source(source)
        if path is None:
            return b"", source  # the reader reports it, in its own words
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below, or by the replay
        except (OSError, ValueError):  # ValueError: a NUL in the path
            return b"", source
        try:
            regular = stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
            head = handle.read(HEAD_SIZE)
        except (OSError, ValueError):
            handle.close()
            return b"", source
        if not regular:
            # A pipe or a device (/dev/stdin, <(zcat ...)): what was read is gone from the path,
            # so the readers get the open file, its head replayed.
            opened = cast(IO[bytes], _ClosingReplay(head, handle))
            return (_gunzip_head(head) if head.startswith(_GZIP_MAGIC) else head), opened
        handle.close()
        if head.startswith(_GZIP_MAGIC):
            head = _gunzip_head(head)
        return head, source
    read = getattr(source, "read", None)
    if callable(read):
        try:
            first = read(HEAD_SIZE)
        except UnicodeError as error:  # a text file opened with the wrong codec
            name = describe_source(source) or "<input>"
            raise SourceError(
                f"{name}: cannot decode: {error} (open the file in binary mode, 'rb', and "
                "medline-parse reads undecodable bytes with a diagnostic)"
            ) from None
        except (OSError, ValueError):  # closed, not open for reading: the reader says so
            return b"", source
        if isinstance(first, (bytes, bytearray)):
            first = bytes(first)
            replay = _Replay(first, source)
            head = _gunzip_head(first) if first.startswith(_GZIP_MAGIC) else first
            return head, cast(IO[bytes], replay)
        if isinstance(first, str):
            return first.encode("utf-8", "replace"), cast(IO[str], _Replay(first, source))
        return b"", source
    if isinstance(source, Iterable) and not isinstance(source, io.IOBase):
        items = iter(cast("Iterable[str]", source))
        taken: list[str] = []
        size = 0
        for item in items:
            taken.append(item)
            if isinstance(item, str):
                size += len(item)
            if size >= HEAD_SIZE or not isinstance(item, str):
                break
        text = "".join(item for item in taken if isinstance(item, str))
        return text.encode("utf-8", "replace"), itertools.chain(taken, items)
    return b"", source


def _checked(read: Callable[[int], bytes], name: str) -> Callable[[int], bytes]:
    def checked(size: int) -> bytes:
        try:
            return read(size)
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise SourceError(f"{name}: damaged or truncated gzip data ({error})") from None

    return checked


def _text_reader(read: Callable[[int], str]) -> Callable[[int], bytes]:
    def reader(size: int) -> bytes:
        return read(size).encode("utf-8")

    return reader


def _lines_reader(items: Iterable[str]) -> Callable[[int], bytes]:
    iterator: Iterator[str] = iter(items)

    def reader(size: int) -> bytes:
        out: list[bytes] = []
        got = 0
        for item in iterator:
            if not isinstance(item, str):
                raise MedlineError(
                    f"expected lines of text (str), got {type(item).__name__}; open binary input "
                    "as a file or pass its path"
                )
            data = item.encode("utf-8")
            out.append(data)
            got += len(data)
            if got >= size:
                break
        return b"".join(out)

    return reader


@contextmanager
def open_bytes(source: Source) -> Iterator[Callable[[int], bytes]]:
    """*source* as a ``read(size) -> bytes`` function (gzip decompressed), closed on exit."""
    _no_bytes(source)
    name = describe_source(source) or "input"
    if isinstance(source, (str, os.PathLike)):
        path = describe_source(source)
        if path is None:
            raise MedlineError(f"{type(source).__name__}: its __fspath__() gives no path")
        try:
            handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed below
        except FileNotFoundError:
            raise SourceError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise SourceError(f"{path}: is a directory, not a PubMed file") from None
        except OSError as error:
            raise SourceError(f"{path}: cannot open: {error.strerror or error}") from None
        except ValueError as error:  # a NUL in the path
            raise SourceError(f"{path!r}: cannot open: {error}") from None
        try:
            magic = handle.read(2)
            replayed = _Replay(magic, handle)  # no seek: a pipe cannot
            if magic == _GZIP_MAGIC:
                stream: Any = gzip.GzipFile(fileobj=cast(Any, replayed), mode="rb")
                yield _checked(stream.read1, path)
            else:
                yield replayed.read
        finally:
            handle.close()
        return
    read = getattr(source, "read", None)
    if callable(read):
        try:
            probe = read(0)
        except ValueError as error:  # closed, or not open for reading
            raise MedlineError(f"{name}: cannot read: {error}") from None
        if isinstance(probe, (bytes, bytearray)):
            head = read(2)
            replay = _Replay(head, source)
            if head == _GZIP_MAGIC:
                unpacked: Any = gzip.GzipFile(fileobj=cast(Any, replay), mode="rb")
                yield _checked(unpacked.read1, name)
            else:
                yield replay.read
        else:
            yield _text_reader(read)
        return
    if isinstance(source, io.IOBase):
        raise MedlineError("file object is not readable")
    if isinstance(source, Iterable):
        yield _lines_reader(cast("Iterable[str]", source))
        return
    raise MedlineError(
        f"cannot read PubMed data from {type(source).__name__}: pass a path, a file object or an "
        "iterable of lines"
    )
