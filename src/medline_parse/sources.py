"""Thin front ends that turn paths, file objects and iterables into lines for the tokenizer.

Nothing here reads a whole file at once: binary input is read in blocks of :data:`BLOCK_SIZE` bytes,
cut at line breaks and decoded block by block, so memory stays flat however large the input.

Decoding: bytes are UTF-8 (a leading byte-order mark is removed).  A line that is not valid UTF-8 is
not a crash and not silent mojibake: its valid UTF-8 sequences are decoded as UTF-8, each invalid byte
as Windows-1252 (Latin-1 for the five bytes Windows-1252 leaves undefined), and the line gets a
``decode-fallback`` diagnostic saying so.  ``encoding=`` overrides all of this.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, cast

from .errors import Diagnostic, MedlineError, ParseError, Severity

__all__ = [
    "BLOCK_SIZE",
    "Block",
    "Source",
    "SourceError",
    "describe_source",
    "iter_blocks",
    "split_text_lines",
]

BLOCK_SIZE = 1 << 18

Source = str | os.PathLike[str] | IO[bytes] | IO[str] | Iterable[str]
"""What the readers accept: a path (``str`` or path-like; ``.gz`` files are decompressed), a binary or
text file object, or an iterable of ``str`` lines."""

LineItem = str | tuple[str, list[Diagnostic]]
Block = str | list[LineItem]
"""What :func:`iter_blocks` yields: a ``str`` of whole lines decoded without trouble, or a list of
single lines, each a ``str`` or ``(line, diagnostics)`` for a line the decoder had to repair."""

_EXOTIC_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_TEXT_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_BYTES_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_UTF8_BOM = codecs.BOM_UTF8
_GZIP_MAGIC = b"\x1f\x8b"
_FALLBACK = "medline_parse.cp1252"


class SourceError(MedlineError, OSError):
    """A source that cannot be opened or read: a missing file, a directory, a corrupt gzip stream.

    It is both a :class:`~medline_parse.errors.MedlineError` and an :class:`OSError`.
    """


class _Prefixed:
    """A binary reader that first returns bytes already read from another (to sniff gzip)."""

    def __init__(self, head: bytes, read: Callable[[int], bytes]) -> None:
        self._head = head
        self._read = read

    def read(self, size: int = -1) -> bytes:
        head = self._head
        if not head:
            return self._read(size)
        self._head = b""
        if size is None or size < 0:
            return head + self._read(-1)
        if size <= len(head):
            self._head = head[size:]
            return head[:size]
        return head + self._read(size - len(head))


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    out = []
    for byte in chunk:
        try:
            out.append(bytes((byte,)).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out), error.end


codecs.register_error(_FALLBACK, _cp1252_fallback)


def split_text_lines(text: str) -> list[str]:
    """Split *text* into lines that keep their endings; only ``\\n``, ``\\r\\n`` and ``\\r`` end a
    line (unlike :meth:`str.splitlines`, which also breaks at form feeds, U+2028 and others)."""
    if _EXOTIC_BREAKS.search(text) is None:
        return text.splitlines(True)
    return _TEXT_LINE.findall(text)


def _decode_line(raw: bytes, at_end: bool) -> LineItem:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        text = raw.decode("utf-8", _FALLBACK)
        cut = at_end and error.reason == "unexpected end of data"
        if cut:
            message = (
                "the input ends in the middle of a multi-byte UTF-8 character (cut off?); the "
                "leftover bytes were decoded as Windows-1252"
            )
            code = "truncated-utf8"
        else:
            message = (
                f"line is not valid UTF-8 (byte 0x{raw[error.start]:02x} at column "
                f"{len(raw[: error.start].decode('utf-8', 'replace')) + 1}); invalid bytes were "
                "decoded as Windows-1252, pass encoding= to read the file otherwise"
            )
            code = "decode-fallback"
        return text, [Diagnostic(code, message, None, Severity.WARNING)]


def _decode_block(block: bytes, at_end: bool) -> Block:
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError:
        pieces = _BYTES_LINE.findall(block)
        last = len(pieces) - 1
        return [_decode_line(piece, at_end and i == last) for i, piece in enumerate(pieces)]


def _first_line_noted(block: Block, note: Diagnostic) -> Iterator[Block]:
    """*block* with *note* attached to its first line."""
    if isinstance(block, str):
        lines = split_text_lines(block)
        if not lines:
            return
        yield [(lines[0], [note])]
        rest = block[len(lines[0]) :]
        if rest:
            yield rest
        return
    if block:
        first = block[0]
        text, notes = (first, []) if isinstance(first, str) else first
        yield [(text, [note, *notes]), *block[1:]]


def _cut(buffer: bytes, at_end: bool) -> int:
    """Index just past the last complete line in *buffer* (0 when there is none)."""
    if at_end:
        return len(buffer)
    cut = max(buffer.rfind(b"\n"), buffer.rfind(b"\r"))
    if cut == len(buffer) - 1 and buffer.endswith(b"\r"):
        # A CR at the end of the block may be the first half of a CRLF: keep it for the next block.
        cut = max(buffer.rfind(b"\n", 0, cut), buffer.rfind(b"\r", 0, cut))
    return cut + 1


def _binary_blocks(read: Callable[[int], bytes], encoding: str | None) -> Iterator[Block]:
    if encoding is not None:
        yield from _encoded_blocks(read, encoding)
        return
    buffer = b""
    started = False
    bom = False
    while True:
        block = read(BLOCK_SIZE)
        at_end = not block
        buffer += block
        if not started:
            if len(buffer) < len(_UTF8_BOM) and not at_end:
                continue
            started = True
            if buffer.startswith(_UTF8_BOM):
                buffer = buffer[len(_UTF8_BOM) :]
                bom = True
        cut = _cut(buffer, at_end)
        if cut:
            decoded = _decode_block(buffer[:cut], at_end)
            buffer = buffer[cut:]
            if bom:
                bom = False
                note = Diagnostic("bom", "UTF-8 byte-order mark removed", 1, Severity.INFO)
                yield from _first_line_noted(decoded, note)
            else:
                yield decoded
        if at_end:
            return


def _encoded_blocks(read: Callable[[int], bytes], encoding: str) -> Iterator[Block]:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise MedlineError(f"unknown encoding {encoding!r}") from None
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    yield from _text_blocks(lambda size: _decode_with(decoder, read(size), encoding))


def _decode_with(decoder: codecs.IncrementalDecoder, block: bytes, encoding: str) -> str:
    try:
        return decoder.decode(block, final=not block)
    except UnicodeDecodeError as error:
        raise ParseError(f"input is not valid {encoding}: {error.reason}") from None


def _text_blocks(read: Callable[[int], str]) -> Iterator[Block]:
    buffer = ""
    while True:
        block = read(BLOCK_SIZE)
        at_end = not block
        buffer += block
        if at_end:
            cut = len(buffer)
        else:
            cut = max(buffer.rfind("\n"), buffer.rfind("\r"))
            if cut == len(buffer) - 1 and buffer.endswith("\r"):
                cut = max(buffer.rfind("\n", 0, cut), buffer.rfind("\r", 0, cut))
            cut += 1
        if cut:
            yield buffer[:cut]
            buffer = buffer[cut:]
        if at_end:
            return


def _string_blocks(items: Iterable[str]) -> Iterator[Block]:
    for item in items:
        if not isinstance(item, str):
            raise MedlineError(
                f"expected lines of text (str), got {type(item).__name__}; open binary input as "
                "a file or pass its path"
            )
        if not item:
            yield [""]  # an empty line, as str.splitlines() gives for a blank line
            continue
        # An item is a whole line (or several), with or without its line ending.
        if item.endswith(("\n", "\r")):
            yield item
        else:
            cut = max(item.rfind("\n"), item.rfind("\r")) + 1
            if cut:
                yield item[:cut]
            yield [item[cut:]]


def describe_source(source: object) -> str | None:
    """The name diagnostics use for *source*: a path, a file object's ``name``, or ``None``."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _path_blocks(path: str, encoding: str | None) -> Iterator[Block]:
    try:
        handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except FileNotFoundError:
        hint = ""
        if "\n" in path or path.startswith("PMID-"):
            hint = " (this looks like MEDLINE text: use loads() for text held in a string)"
        raise SourceError(f"{path}: no such file{hint}") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a MEDLINE file") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot open: {error.strerror or error}") from None
    try:
        magic = handle.read(2)
        handle.seek(0)
        if magic == _GZIP_MAGIC:
            stream: Any = gzip.GzipFile(fileobj=handle, mode="rb")
            try:
                # read1 hands over what was decompressed before a damaged part, read would not
                yield from _binary_blocks(stream.read1, encoding)
            except (EOFError, gzip.BadGzipFile, zlib.error) as error:
                raise SourceError(f"{path}: damaged or truncated gzip data ({error})") from None
        else:
            yield from _binary_blocks(handle.read, encoding)
    finally:
        handle.close()


def iter_blocks(source: Source, encoding: str | None = None) -> Iterator[Block]:
    """The text of *source* in blocks of whole lines (see :data:`Block`), as the tokenizer
    consumes them; a block is at most about :data:`BLOCK_SIZE` characters unless a line is longer."""
    if isinstance(source, (str, os.PathLike)):
        yield from _path_blocks(os.fspath(source), encoding)
        return
    if isinstance(source, (bytes, bytearray, memoryview)):
        raise MedlineError(
            "bytes are not a source: wrap them in io.BytesIO, or decode them and use loads()"
        )
    read = getattr(source, "read", None)
    if callable(read):
        probe = read(0)
        if isinstance(probe, (bytes, bytearray)):
            head = read(2)
            stream = _Prefixed(head, read)
            if head == _GZIP_MAGIC:
                name = describe_source(source) or "input"
                unpacked: Any = gzip.GzipFile(fileobj=cast(Any, stream), mode="rb")
                try:
                    yield from _binary_blocks(unpacked.read1, encoding)
                except (EOFError, gzip.BadGzipFile, zlib.error) as error:
                    raise SourceError(f"{name}: damaged or truncated gzip data ({error})") from None
            else:
                yield from _binary_blocks(stream.read, encoding)
        else:
            yield from _text_blocks(read)
        return
    if isinstance(source, io.IOBase):
        raise MedlineError("file object is not readable")
    if isinstance(source, Iterable):
        yield from _string_blocks(cast("Iterable[str]", source))
        return
    raise MedlineError(
        f"cannot read MEDLINE from {type(source).__name__}: pass a path, a file object or an "
        "iterable of lines"
    )


def is_gzip(data: bytes) -> bool:
    """Whether bytes that start with *data* are gzip data (its magic bytes)."""
    return data[:2] == _GZIP_MAGIC


def peek_head(source: object, size: int = 1 << 16) -> bytes:
    """Up to *size* bytes from the start of *source*, gunzipped, without using it up: a path is
    opened and closed, a buffered binary stream (standard input) is peeked at.  ``b""`` for other
    sources, and when the bytes cannot be read."""
    try:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as handle:
                data = handle.read(size)
                if is_gzip(data):
                    handle.seek(0)
                    with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
                        return unpacked.read(size)
                return data
        peek = getattr(source, "peek", None)
        if not callable(peek):
            return b""
        data = peek(size)
        if not isinstance(data, bytes):
            return b""
        if is_gzip(data):
            return zlib.decompressobj(wbits=31).decompress(data, size)
        return data[:size]
    except (OSError, EOFError, zlib.error, ValueError):
        return b""
