"""Properties of hostile input (issue 14): whatever bytes the reader gets, in whatever wrapping and
with whatever ``encoding=``, only :class:`MedlineError` and :class:`OSError` escape, and every byte
is accounted for.

"Accounted for" is exact: the records' sources, joined, are the input decoded as the library
promises (:func:`promised_text`): the codec is ``encoding=`` when given, else the one a UTF-8,
UTF-16 or UTF-32 byte-order mark names (the mark removed), else UTF-8; each byte the codec cannot
decode is the one character Windows-1252 (Latin-1 for its five undefined bytes) gives it.  The
oracle decodes the whole input at once; the reader decodes it in blocks, here of a few bytes so
that blocks cut characters, code units and line breaks apart.  Where the codec itself refuses the
input (UTF-16 without a byte-order mark) the reader raises ``SourceError``, and the records it
gave before are the start of what it would have read.  Gzip data (whole, cut short, or in several
members) must read as its content does, or raise ``SourceError`` after a prefix of it.  With a
small line limit, overlong lines come through in pieces, still without losing a character.
"""

from __future__ import annotations

import codecs
import gzip
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medline_parse import MedlineError, ParseError, Record, SourceError, iter_records, parse
from medline_parse import sources as sources_module
from medline_parse.sniff import WrongFormatError
from medline_parse.sources import split_text_lines

from .strategies import medline_text
from .test_hostile_input import read_until_error

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GZIP_MAGIC = b"\x1f\x8b"
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
CODECS = (
    "utf-8",
    "latin-1",
    "cp1252",
    "ascii",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "shift_jis",
    "euc-jp",
    "gb18030",
    "koi8-r",
    "utf-8-sig",
)
REFUSED = ("rot13", "base64", "hex", "zlib", "no-such-codec")


def _fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    out = []
    for byte in error.object[error.start : error.end]:
        try:
            out.append(bytes((byte,)).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out), error.end


codecs.register_error("test.byte-fallback", _fallback)


def promised_text(data: bytes, encoding: str | None) -> str | None:
    """The text the records' sources must add up to, or None when the codec refuses the input."""
    if encoding is None:
        encoding = "utf-8"
        for mark, codec in BOMS:
            if data.startswith(mark):
                data, encoding = data[len(mark) :], codec
                break
    decoder = codecs.getincrementaldecoder(encoding)(errors="test.byte-fallback")
    try:
        return decoder.decode(data, final=True)
    except UnicodeError:
        return None


@contextmanager
def limits(block: int, line: int) -> Iterator[None]:
    """Read *block* bytes at a time; lines longer than *line* characters are overlong."""
    saved = sources_module.BLOCK_SIZE, sources_module.MAX_LINE_LENGTH
    sources_module.BLOCK_SIZE, sources_module.MAX_LINE_LENGTH = block, line
    try:
        yield
    finally:
        sources_module.BLOCK_SIZE, sources_module.MAX_LINE_LENGTH = saved


def joined(records: list[Record]) -> str:
    return "".join(r.source for r in records)


# -- strategies -----------------------------------------------------------------------------------------


@st.composite
def encoded_text(draw: st.DrawFn) -> bytes:
    """MEDLINE-like text in some codec, with or without its byte-order mark, maybe damaged."""
    text = draw(medline_text())
    codec = draw(st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
    data = bytearray(text.encode(codec, "replace"))
    if draw(st.booleans()):
        data[:0] = next(mark for mark, name in BOMS if name == codec)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=3))
    if data and draw(st.booleans()):
        del data[draw(st.integers(0, len(data))) :]
    return bytes(data)


ANY_BYTES = st.one_of(
    st.binary(max_size=300),
    encoded_text(),
    medline_text().map(lambda t: t.encode("cp1252", "replace")),
    st.lists(st.sampled_from([b"\r", b"\n", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"x" * 40])).map(
        b"".join
    ),
)


@st.composite
def gzip_wrapped(draw: st.DrawFn) -> tuple[bytes, bytes, bool]:
    """(content, gzip data, whether the data is whole): one member or several, maybe cut short."""
    content = draw(ANY_BYTES)
    cuts = sorted(draw(st.lists(st.integers(0, len(content)), max_size=3)))
    pieces = [content[a:b] for a, b in zip([0, *cuts], [*cuts, len(content)], strict=True)]
    data = b"".join(gzip.compress(piece, mtime=0) for piece in pieces)
    whole = draw(st.booleans())
    if not whole:
        data = data[: draw(st.integers(0, len(data) - 1))]
    return content, data, whole


# -- properties ------------------------------------------------------------------------------------------


@SETTINGS
@given(
    ANY_BYTES,
    st.one_of(st.none(), st.sampled_from(CODECS)),
    st.integers(1, 9),
    st.sampled_from([40, 1 << 24]),
)
def test_any_bytes_any_codec_every_byte_accounted_for(
    data: bytes, encoding: str | None, block: int, line: int
) -> None:
    if data.startswith(GZIP_MAGIC):
        data = b"\n" + data  # gzip data: the next test
    expected = promised_text(data, encoding)
    with limits(block, line):
        records, error = read_until_error(io.BytesIO(data), encoding=encoding)
    if isinstance(error, WrongFormatError):  # binary, not text: refused whole, before reading
        assert records == []
        return
    if expected is None:  # the codec refuses the input as a whole
        assert isinstance(error, SourceError), error
        assert "cannot decode as" in str(error)
        return
    assert error is None, error
    assert joined(records) == expected
    if line == 40:  # a piece is at most the limit (stray lines before it may come with it)
        pieces = [r for r in records if any(d.code == "line-too-long" for d in r.diagnostics)]
        assert all(len(split_text_lines(r.source)[-1]) <= 40 for r in pieces)


@SETTINGS
@given(ANY_BYTES, st.sampled_from(REFUSED))
def test_codecs_that_do_not_decode_bytes_to_text_are_refused_before_reading(
    data: bytes, encoding: str
) -> None:
    records, error = read_until_error(io.BytesIO(data), encoding=encoding)
    assert records == [] and type(error) is MedlineError


_SHORT_CONTROLS = b"\x01\t\t\r      "  # text, but its first line alone would look binary


@SETTINGS
@given(gzip_wrapped(), st.integers(1, 9), st.booleans())
@example((_SHORT_CONTROLS, gzip.compress(_SHORT_CONTROLS, mtime=0)[:20], False), 1, False)
def test_gzip_data_reads_as_its_content_or_fails_after_a_prefix(
    wrapped: tuple[bytes, bytes, bool], block: int, strict: bool
) -> None:
    content, data, whole = wrapped
    if content.startswith(GZIP_MAGIC) or not data.startswith(GZIP_MAGIC):
        return  # gzip in gzip is unpacked once; a cut before the magic leaves no gzip data
    try:
        content = gzip.decompress(data)  # a cut at a member's end leaves whole gzip data
        whole = True
    except (EOFError, OSError):
        whole = False
    expected = promised_text(content, None)
    assert expected is not None
    with limits(block, 1 << 24):
        plain, plain_error = read_until_error(io.BytesIO(content), strict=strict)
        records, error = read_until_error(io.BytesIO(data), strict=strict)
    if isinstance(error, WrongFormatError):  # binary content, not text: refused whole
        assert records == [] and isinstance(plain_error, WrongFormatError)
        return
    if whole:
        assert [r.source for r in records] == [r.source for r in plain]
        assert type(error) is type(plain_error)
        if not strict:
            assert error is None and joined(records) == expected
        return
    assert isinstance(error, (SourceError, ParseError)), error
    assert expected.startswith(joined(records))


@settings(SETTINGS, max_examples=60)
@given(ANY_BYTES, st.booleans(), st.sampled_from(["plain", "gzip", "text"]))
def test_paths_and_text_files_raise_only_library_or_os_errors(
    tmp_path_factory: Any, data: bytes, strict: bool, kind: str
) -> None:
    directory: Path = tmp_path_factory.mktemp("hostile")
    path = directory / "input"
    path.write_bytes(gzip.compress(data) if kind == "gzip" else data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for reader in (iter_records, parse):
            try:
                if kind == "text":
                    with open(path, encoding="utf-8", errors="strict", newline="") as handle:
                        list(reader(handle, strict=strict))
                else:
                    list(reader(path, strict=strict))
            except (MedlineError, OSError):
                pass
