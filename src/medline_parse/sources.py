"""Thin front ends that turn paths, file objects and iterables into lines for the tokenizer.

Strategy (the input layer is where untrusted bytes come in, so every step is bounded):

* Nothing reads a whole file.  Bytes are read in blocks of :data:`BLOCK_SIZE`; gzip data (found by
  its magic bytes, not the file name) is decompressed by the block too, so a small file that
  unpacks to gigabytes costs time, never memory.  Nothing seeks: pipes and sockets work.
* Each block is decoded as it comes, with an incremental decoder, so decoding never waits for a
  line to end.  Bytes the codec cannot decode do not stop the reading: an error handler stands
  each one in for a placeholder character (U+DC00 plus the byte), and the line that holds them is
  then repaired and gets a diagnostic with its line number (see below).
* The decoded text is cut after its last line break (:class:`_LineCutter`); only the unfinished
  line is held back, as a list of parts that is joined once, so time is linear in the input
  whatever its lines.  A line longer than :data:`MAX_LINE_LENGTH` characters, more than any
  MEDLINE line holds, is handed on in pieces of at most that length (:class:`LinePiece`), so
  memory stays bounded by it.

Decoding: bytes are UTF-8 (a leading byte-order mark is removed); a UTF-16 or UTF-32 byte-order
mark switches to that codec.  A line that is not valid is not a crash and not silent mojibake:
its valid sequences are decoded, each invalid byte as Windows-1252 (Latin-1 for the five bytes
Windows-1252 leaves undefined), so every byte is a character of the source, and the line gets a
``decode-fallback`` diagnostic saying so.  ``encoding=`` names another codec; its undecodable
bytes are handled the same way.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import re
import threading
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, NamedTuple, cast

from .errors import Diagnostic, MedlineError, Severity

__all__ = [
    "BLOCK_SIZE",
    "MAX_LINE_LENGTH",
    "Block",
    "LinePiece",
    "Source",
    "SourceError",
    "check_encoding",
    "describe_source",
    "iter_blocks",
    "split_text_lines",
]

BLOCK_SIZE = 1 << 18
"""How many bytes (characters, for text input) are read at a time."""

MAX_LINE_LENGTH = 1 << 24
"""The longest line read as a line: 16 Mi characters, far beyond any MEDLINE line (the longest
abstracts run to some ten thousand).  A longer line is handed on in pieces of at most this many
characters, each a record of no field with a ``line-too-long`` diagnostic."""

Source = str | os.PathLike[str] | IO[bytes] | IO[str] | Iterable[str]
"""What the readers accept: a path (``str`` or path-like; ``.gz`` files are decompressed), a binary or
text file object, or an iterable of ``str`` lines."""


class LinePiece(NamedTuple):
    """A piece of a line longer than :data:`MAX_LINE_LENGTH`, as :func:`iter_blocks` hands it on."""

    text: str
    first: bool
    """Whether the piece starts the line."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Problems the decoder found in the piece."""


LineItem = str | tuple[str, list[Diagnostic]] | LinePiece
Block = str | list[LineItem]
"""What :func:`iter_blocks` yields: a ``str`` of whole lines decoded without trouble, or a list of
single lines, each a ``str``, ``(line, diagnostics)`` for a line the decoder had to repair, or a
:class:`LinePiece` of an overlong line."""

_EXOTIC_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_TEXT_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_GZIP_MAGIC = b"\x1f\x8b"
_ESCAPE = "medline_parse.escape"
_ESCAPED = re.compile("[\udc00-\udcff]")
# Byte-order marks that choose a codec, longest first (UTF-32-LE's starts with UTF-16-LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 (big-endian)"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 (big-endian)"),
)


class SourceError(MedlineError, OSError):
    """A source that cannot be opened or read: a missing file, a directory, a corrupt gzip stream,
    bytes the chosen codec cannot decode at all.

    It is both a :class:`~medline_parse.errors.MedlineError` and an :class:`OSError`.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self),))


# -- decoding --------------------------------------------------------------------------------------

_decoding = threading.local()  # whether the error handler ran during this thread's decode call


def _escape_bytes(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: each undecodable byte becomes U+DC00 + byte, repaired later."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _decoding.escaped = True
    return "".join(chr(0xDC00 + byte) for byte in error.object[error.start : error.end]), error.end


codecs.register_error(_ESCAPE, _escape_bytes)


def _fallback_character(byte: int) -> str:
    try:
        return bytes((byte,)).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)  # 0x81 0x8D 0x8F 0x90 0x9D: Latin-1


_FALLBACK = {chr(0xDC00 + byte): _fallback_character(byte) for byte in range(256)}


def check_encoding(encoding: object) -> str:
    """*encoding* when it names a codec that turns bytes into text; a
    :class:`~medline_parse.errors.MedlineError` that says why not otherwise (an unknown name, a
    bytes-to-bytes codec such as ``base64``, a text-to-text one such as ``rot13``)."""
    if not isinstance(encoding, str):
        raise MedlineError(
            f"encoding must be the name of a codec (str), not {type(encoding).__name__}"
        )
    shown = repr(encoding if len(encoding) <= 60 else encoding[:57] + "...")
    try:
        info = codecs.lookup(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise MedlineError(f"unknown encoding {shown}") from None
    if not getattr(info, "_is_text_encoding", True):  # what bytes.decode() itself checks
        raise MedlineError(
            f"encoding {shown} does not turn bytes into text (it is a {info.name} transform, "
            "not a character encoding)"
        )
    try:
        codecs.getincrementaldecoder(encoding)
    except (LookupError, TypeError):
        raise MedlineError(
            f"encoding {shown} cannot decode a stream (no incremental decoder)"
        ) from None
    return encoding


class _Decoder:
    """Bytes to text for one source, block by block.

    A byte the codec cannot decode is decoded alone as Windows-1252 at once, before the text is
    cut into lines (so that lines are those of the text as promised: an undecodable 0x0A in
    UTF-16 data is a line break), and where it was is remembered in :attr:`bad` (its offset in
    the text decoded so far, and the byte) for the diagnostic of the line that holds it.
    """

    def __init__(self, encoding: str, shown: str, name: str) -> None:
        self._encoding = encoding
        self._shown = shown  # the codec's name in messages
        self._name = name
        self._utf8 = codecs.lookup(encoding).name == "utf-8"  # a cut-off character has its note
        self.bad: deque[tuple[int, int]] = deque()  # (offset, byte) of each byte not decoded
        self.decoded = 0  # characters decoded so far
        self.tail = -1  # offset of a UTF-8 character cut off at the very end, or -1
        make = codecs.getincrementaldecoder(encoding)
        try:
            self._decoder = make(errors=_ESCAPE)
            self._decoder.decode(b"", final=False)
        except (UnicodeError, TypeError, ValueError, LookupError):
            # a codec that only knows errors="strict" (idna, say)
            try:
                self._decoder = make(errors="strict")
            except (UnicodeError, TypeError, ValueError, LookupError) as error:
                raise SourceError(f"{name}: cannot decode as {encoding}: {error}") from None

    def decode(self, data: bytes, final: bool = False) -> str:
        _decoding.escaped = False
        pending = b""
        try:
            if final and self._utf8:
                pending = self._decoder.getstate()[0]
            text = self._decoder.decode(data, final=final)
        except (UnicodeError, ValueError, TypeError, LookupError) as error:
            # A codec error the handler was not asked about (no BOM in UTF-16 data, say).
            reason = str(error) or type(error).__name__
            raise SourceError(
                f"{self._name}: cannot decode as {self._encoding}: {reason}"
            ) from None
        start = self.decoded
        self.decoded += len(text)
        if not _decoding.escaped:
            return text
        for found in _ESCAPED.finditer(text):
            self.bad.append((start + found.start(), ord(found.group()) - 0xDC00))
        if pending and not data:
            self.tail = self.decoded - len(pending)
        return text.translate(_FALLBACK_TABLE)

    def note(self, offset: int, byte: int, column: int) -> Diagnostic:
        """The diagnostic of a line whose first undecodable byte is *byte*, at *offset* of the
        decoded text and *column* of its line."""
        if offset == self.tail:
            message = (
                "the input ends in the middle of a multi-byte UTF-8 character (cut off?); the "
                "leftover bytes were decoded as Windows-1252"
            )
            return Diagnostic("truncated-utf8", message, None, Severity.WARNING)
        message = (
            f"line is not valid {self._shown} (byte 0x{byte:02x} at column {column + 1}); invalid "
            "bytes were decoded as Windows-1252, pass encoding= to read the file otherwise"
        )
        return Diagnostic("decode-fallback", message, None, Severity.WARNING)


_FALLBACK_TABLE = {ord(escaped): character for escaped, character in _FALLBACK.items()}


def _noted(item: str | LinePiece, start: int, decoder: _Decoder) -> Block:
    """The cutter's *item* (at offset *start* of the decoded text) as a block, with a diagnostic
    on each line that held an undecodable byte."""
    bad = decoder.bad
    text = item if isinstance(item, str) else item.text
    end = start + len(text)
    if not bad or bad[0][0] >= end:
        return item if isinstance(item, str) else [item]
    if isinstance(item, LinePiece):
        offset, byte = bad[0]
        while bad and bad[0][0] < end:
            bad.popleft()
        note = decoder.note(offset, byte, offset - start)
        return [item._replace(diagnostics=(*item.diagnostics, note))]
    out: list[LineItem] = []
    line_start = start
    for line in split_text_lines(text):
        line_end = line_start + len(line)
        if bad and bad[0][0] < line_end:
            offset, byte = bad[0]
            while bad and bad[0][0] < line_end:
                bad.popleft()
            out.append((line, [decoder.note(offset, byte, offset - line_start)]))
        else:
            out.append(line)
        line_start = line_end
    return out


# -- cutting text into lines -----------------------------------------------------------------------


def split_text_lines(text: str) -> list[str]:
    """Split *text* into lines that keep their endings; only ``\\n``, ``\\r\\n`` and ``\\r`` end a
    line (unlike :meth:`str.splitlines`, which also breaks at form feeds, U+2028 and others)."""
    if _EXOTIC_BREAKS.search(text) is None:
        return text.splitlines(True)
    return _TEXT_LINE.findall(text)


class _LineCutter:
    """Cuts text arriving in blocks of any size into whole lines, in time linear in the text.

    :meth:`push` returns ``str`` blocks of whole lines and :class:`LinePiece` s of overlong lines.
    Only the unfinished last line is held back, as a list of parts (joined once, when its line
    ends), and never more than *limit* characters of it.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._held: list[str] = []
        self._size = 0  # characters held
        self._long = False  # inside an overlong line whose first pieces went out
        self._cr = False  # a CR held back from the end of the last block (maybe half a CRLF)

    def push(self, text: str, at_end: bool = False) -> list[str | LinePiece]:
        out: list[str | LinePiece] = []
        if self._cr:
            self._cr = False
            text = "\r" + text
        if not at_end and text.endswith("\r"):
            self._cr = True
            text = text[:-1]
        if self._long:
            match = _LINE_BREAK.search(text)
            if match is None:
                self._hold(text, out)
                if at_end:
                    self._pieces(out, final=True)
                return out
            end = match.end()
            self._held.append(text[:end])
            self._size += end
            self._pieces(out, final=True)
            text = text[end:]
        cut = len(text) if at_end else max(text.rfind("\n"), text.rfind("\r")) + 1
        if not cut and not at_end:
            self._hold(text, out)
            return out
        lines = text[:cut] if cut < len(text) else text
        if self._held:
            lines = "".join(self._held) + lines
            self._held = []
            self._size = 0
        if cut < len(text):
            self._held.append(text[cut:])
            self._size = len(text) - cut
        if len(lines) <= self._limit:
            if lines:
                out.append(lines)
        else:
            self._long_lines(lines, out)
        return out

    def _hold(self, text: str, out: list[str | LinePiece]) -> None:
        """Keep *text*, part of a line not yet ended; hand on pieces once it is too long."""
        if not text:
            return
        self._held.append(text)
        self._size += len(text)
        if self._size > self._limit:
            self._pieces(out, final=False)

    def _pieces(self, out: list[str | LinePiece], final: bool) -> None:
        """Hand on the held text as pieces: all of it when *final* (the line ended), else whole
        pieces only, holding back the rest."""
        text = "".join(self._held)
        limit = self._limit
        start = 0
        while len(text) - start > limit or (final and start < len(text)):
            out.append(LinePiece(text[start : start + limit], not self._long))
            self._long = True
            start += limit
        rest = text[start:]
        self._held = [rest] if rest else []
        self._size = len(rest)
        if final:
            self._long = False

    def _long_lines(self, text: str, out: list[str | LinePiece]) -> None:
        """Whole lines, some of them (maybe) overlong: the short ones in blocks, the others cut."""
        limit = self._limit
        start = 0
        for match in _LINE_END.finditer(text):
            end = match.end()
            if end - match.start() > limit:
                if match.start() > start:
                    out.append(text[start : match.start()])
                for at in range(match.start(), end, limit):
                    out.append(LinePiece(text[at : min(at + limit, end)], at == match.start()))
                start = end
        if start < len(text):
            out.append(text[start:])


_LINE_BREAK = re.compile("\r\n|\r|\n")
_LINE_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")


# -- bytes to blocks --------------------------------------------------------------------------------


def _decoded_blocks(
    read: Callable[[int], bytes], name: str, encoding: str | None
) -> Iterator[Block]:
    """The blocks of binary input: codec chosen (``encoding``, a byte-order mark, else UTF-8),
    decoded block by block, cut into lines, escaped bytes repaired."""
    head = b""
    while len(head) < 4:  # enough for any byte-order mark
        data = _read_bytes(read, BLOCK_SIZE, name)
        if not data:
            break
        head += data
    note: Diagnostic | None = None
    shown = encoding
    if encoding is None:
        encoding = "utf-8"
        shown = "UTF-8"
        for mark, codec, label in _BOMS:
            if head.startswith(mark):
                head = head[len(mark) :]
                encoding = codec
                shown = label.split(" ")[0]
                message = (
                    "UTF-8 byte-order mark removed"
                    if codec == "utf-8"
                    else f"{label} byte-order mark: the input is read as {label}; the mark is removed"
                )
                note = Diagnostic("bom", message, 1, Severity.INFO)
                break
    decoder = _Decoder(encoding, shown or encoding, name)
    cutter = _LineCutter(MAX_LINE_LENGTH)
    emitted = 0  # offset in the decoded text of what the cutter hands on next
    # (the head may be empty after a byte-order mark without the input being at its end)
    data = head or _read_bytes(read, BLOCK_SIZE, name)
    while True:
        at_end = not data
        for item in cutter.push(decoder.decode(data, final=at_end), at_end):
            block = _noted(item, emitted, decoder)
            emitted += len(item if isinstance(item, str) else item.text)
            if note is not None:
                yield from _with_note(block, note)
                note = None
            else:
                yield block
        if at_end:
            return
        data = _read_bytes(read, BLOCK_SIZE, name)


def _with_note(block: Block, note: Diagnostic) -> Iterator[Block]:
    """*block* with *note* attached to its first line."""
    if isinstance(block, str):
        found = _LINE_BREAK.search(block)
        end = found.end() if found is not None else len(block)
        yield [(block[:end], [note])]
        if end < len(block):
            yield block[end:]
        return
    item = block[0]
    if isinstance(item, str):
        yield [(item, [note]), *block[1:]]
    elif isinstance(item, LinePiece):
        yield [item._replace(diagnostics=(note, *item.diagnostics)), *block[1:]]
    else:
        yield [(item[0], [note, *item[1]]), *block[1:]]


def _read_bytes(read: Callable[[int], bytes], size: int, name: str) -> bytes:
    """``read(size)``, its failures as library errors naming the source."""
    try:
        data = read(size)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise SourceError(f"{name}: damaged or truncated gzip data ({error})") from None
    except SourceError:  # the stream's own, already naming the file (medline_parse.dask's)
        raise
    except OSError as error:
        raise SourceError(f"{name}: cannot read: {error.strerror or error}") from None
    except ValueError as error:  # a closed file, say
        raise MedlineError(f"{name}: cannot read: {error}") from None
    if not isinstance(data, (bytes, bytearray)):
        raise MedlineError(f"{name}: read() gave {type(data).__name__}, not bytes")
    return bytes(data) if isinstance(data, bytearray) else data


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


def _binary_blocks(
    read: Callable[[int], bytes], name: str, encoding: str | None
) -> Iterator[Block]:
    """Binary input, gzip data decompressed as it is read (found by its magic bytes)."""
    head = b""
    while len(head) < 2:
        data = _read_bytes(read, 2 - len(head), name)
        if not data:
            break
        head += data
    stream = _Prefixed(head, read)
    if head != _GZIP_MAGIC:
        yield from _decoded_blocks(stream.read, name, encoding)
        return
    unpacked = gzip.GzipFile(fileobj=cast(Any, stream), mode="rb")
    # read1 hands over what was decompressed before a damaged part (read would not) and never
    # more than it is asked for, however much the data unpacks to
    yield from _decoded_blocks(unpacked.read1, name, encoding)


# -- text to blocks ----------------------------------------------------------------------------------


def _text_blocks(read: Callable[[int], str], name: str) -> Iterator[Block]:
    cutter = _LineCutter(MAX_LINE_LENGTH)
    while True:
        try:
            text = read(BLOCK_SIZE)
        except UnicodeError as error:
            raise SourceError(
                f"{name}: cannot decode: {error} (open the file in binary mode, 'rb', and "
                "medline-parse reads undecodable bytes with a diagnostic)"
            ) from None
        except OSError as error:
            raise SourceError(f"{name}: cannot read: {error.strerror or error}") from None
        except ValueError as error:  # a closed file, say
            raise MedlineError(f"{name}: cannot read: {error}") from None
        if not isinstance(text, str):
            raise MedlineError(f"{name}: read() gave {type(text).__name__}, not str")
        at_end = not text
        for item in cutter.push(text, at_end):
            yield item if isinstance(item, str) else [item]
        if at_end:
            return


def _string_blocks(items: Iterable[str]) -> Iterator[Block]:
    cutter = _LineCutter(MAX_LINE_LENGTH)
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
        for piece in cutter.push(item, at_end=True):
            if isinstance(piece, LinePiece):
                yield [piece]
            elif piece.endswith(("\n", "\r")):
                yield piece
            else:  # a last line without its ending is a line of its own, not the next one's start
                cut = max(piece.rfind("\n"), piece.rfind("\r")) + 1
                if cut:
                    yield piece[:cut]
                yield [piece[cut:]]


# -- sources -------------------------------------------------------------------------------------------


def describe_source(source: object) -> str | None:
    """The name diagnostics use for *source*: a path, a file object's ``name``, or ``None``."""
    if isinstance(source, (str, os.PathLike)):
        try:
            return os.fsdecode(source)
        except TypeError:  # a path-like whose __fspath__ gives neither str nor bytes
            return None
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _open(path: str) -> IO[bytes]:
    try:
        return open(path, "rb")
    except FileNotFoundError:
        hint = ""
        if "\n" in path or path.startswith("PMID-"):
            hint = " (this looks like MEDLINE text: use loads() for text held in a string)"
        raise SourceError(f"{path}: no such file{hint}") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a MEDLINE file") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot open: {error.strerror or error}") from None
    except ValueError as error:  # a NUL byte in the path
        raise SourceError(f"{path!r}: cannot open: {error}") from None


def _path_blocks(path: str, encoding: str | None) -> Iterator[Block]:
    handle = _open(path)
    try:
        yield from _binary_blocks(handle.read, path, encoding)
    finally:
        handle.close()


def iter_blocks(source: Source, encoding: str | None = None) -> Iterator[Block]:
    """The text of *source* in blocks of whole lines (see :data:`Block`), as the tokenizer
    consumes them; a block is at most about :data:`BLOCK_SIZE` characters unless a line is longer,
    and no line or piece is longer than :data:`MAX_LINE_LENGTH`.

    Raises :class:`SourceError` when the source cannot be opened or read, and
    :class:`~medline_parse.errors.MedlineError` for what is no source at all; nothing else.
    """
    if encoding is not None:
        check_encoding(encoding)
    if isinstance(source, (str, os.PathLike)):
        path = describe_source(source)
        if path is None:
            raise MedlineError(f"{type(source).__name__}: its __fspath__() gives no path")
        yield from _path_blocks(path, encoding)
        return
    if isinstance(source, (bytes, bytearray, memoryview)):
        raise MedlineError(
            "bytes are not a source: wrap them in io.BytesIO, or decode them and use loads()"
        )
    read = getattr(source, "read", None)
    if callable(read):
        name = describe_source(source) or "<input>"
        try:
            probe = read(0)
        except io.UnsupportedOperation:
            raise MedlineError(f"{name}: not open for reading") from None
        except ValueError as error:  # a closed file
            raise MedlineError(f"{name}: cannot read: {error}") from None
        except OSError as error:  # not open for reading, say
            raise SourceError(f"{name}: cannot read: {error.strerror or error}") from None
        if isinstance(probe, (bytes, bytearray)):
            yield from _binary_blocks(read, name, encoding)
        elif isinstance(probe, str):
            yield from _text_blocks(read, name)
        else:
            raise MedlineError(
                f"{name}: read() gave {type(probe).__name__}, not bytes or str (a non-blocking "
                "stream?)"
            )
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
