"""Hostile input and misuse (issue 14): no hang, no traceback, no byte lost.

Each case states its exact outcome: the records (sources, line numbers, fields where they matter),
the diagnostics with codes and lines, the error strict mode raises, or the library error misuse
raises.  In every case where records come back, their sources add up to the input.

Large inputs are generated here, never committed, and sized so the suite stays fast (a few MB).
Reading them is linear; the reader this issue fixed was quadratic on each of them and took
minutes to hours, so a generous ``time_limit`` turns such a regression into a failure rather
than a hung suite (a guard, not a speed measurement: speed lives in ``benchmarks/``).  Limits
that need huge input to cross (``MAX_LINE_LENGTH``, ``BLOCK_SIZE``, the tokenizer's hold-back)
are lowered by the ``small_limits`` fixture so that small inputs cross them; where the real limit
matters a test uses it.  Bounded memory is checked as a bound on what the reader holds.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import pickle
import re
import sqlite3
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medline_parse import (
    HistoryEvent,
    MedlineError,
    ParseError,
    Record,
    SourceError,
    WriteError,
    dumps,
    iter_events,
    iter_records,
    loads,
    parse,
    write,
)
from medline_parse import sources as sources_module
from medline_parse.convert import sqlite as msqlite
from medline_parse.convert.json import JsonError
from medline_parse.medline import tokenizer as tokenizer_module
from medline_parse.medline.tokenizer import Tokenizer, tokenize_blocks, tokenize_lines
from medline_parse.sources import LinePiece, iter_blocks
from medline_parse.store.syncing import SyncError, SyncSummary

from .conftest import EXAMPLES, FIXTURES
from .test_bad_input import time_limit

Where = tuple[str, int | None]


def read(source: object, **kwargs: Any) -> list[Record]:
    return list(iter_records(source, **kwargs))  # type: ignore[arg-type]


def where(diagnostics: object) -> list[Where]:
    return [(d.code, d.line) for d in diagnostics]  # type: ignore[attr-defined]


def joined(records: list[Record]) -> str:
    return "".join(r.source for r in records)


def read_until_error(source: object, **kwargs: Any) -> tuple[list[Record], Exception | None]:
    """The records read before the error the reading raised (None when none)."""
    got: list[Record] = []
    try:
        for record in iter_records(source, **kwargs):  # type: ignore[arg-type]
            got.append(record)
    except (MedlineError, OSError) as error:
        return got, error
    return got, None


def strict_error(source: object, **kwargs: Any) -> ParseError:
    with pytest.raises(ParseError) as caught:
        read(source, strict=True, **kwargs)
    return caught.value


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines longer than 100 characters are overlong; bytes are read 16 at a time."""
    monkeypatch.setattr(sources_module, "MAX_LINE_LENGTH", 100)
    monkeypatch.setattr(sources_module, "BLOCK_SIZE", 16)


def every_source(text: str, tmp_path: Path) -> Iterator[tuple[str, object]]:
    """*text* as each kind of source: bytes and text file objects, a list of lines, a plain file
    and a gzip file."""
    data = text.encode("utf-8")
    yield "bytes", io.BytesIO(data)
    yield "text", io.StringIO(text)
    yield "lines", text.splitlines(True)
    plain = tmp_path / "input.txt"
    plain.write_bytes(data)
    yield "path", plain
    packed = tmp_path / "input.txt.gz"
    packed.write_bytes(gzip.compress(data, mtime=0))
    yield "gzip", packed


# -- overlong lines ---------------------------------------------------------------------------------


def test_an_overlong_line_is_kept_in_pieces_of_no_field(small_limits: None, tmp_path: Path) -> None:
    long = "x" * 250
    text = f"PMID- 99000001\nTI  - a\n{long}\nPMID- 99000002\nTI  - b\n"
    for kind, source in every_source(text, tmp_path):
        records = read(source)
        assert joined(records) == text, kind
        assert [r.source for r in records] == [
            "PMID- 99000001\nTI  - a\n",
            "x" * 100,
            "x" * 100,
            "x" * 50 + "\n",
            "PMID- 99000002\nTI  - b\n",
        ], kind
        assert [r.line for r in records] == [1, 3, 3, 3, 4], kind
        assert [r.pmid for r in records] == ["99000001", None, None, None, "99000002"]
        assert [where(r.diagnostics) for r in records] == [
            [],
            [("line-too-long", 3)],
            [("line-too-long", 3)],
            [("line-too-long", 3)],
            [],
        ], kind
        assert [r.has_fields for r in records] == [True, False, False, False, True]


def test_records_with_pieces_write_back_as_the_input(small_limits: None) -> None:
    """Fuzz finding: the writer put a line break after a piece (a record whose text does not end
    with one), as it does after the last record of an input without a final line break."""
    for text in (
        "PMID- 99000001\n" + "x" * 250 + "\nPMID- 99000002\n",
        "z" * 230,
        "PMID- 99000001\r\n" + "x" * 200 + "\r\n",
    ):
        records = read(io.StringIO(text))
        assert dumps(records) == text
    # a record of another input that lacks a final line break is still kept apart
    first = read(io.StringIO("PMID- 99000001"))
    second = read(io.StringIO("PMID- 99000002\n"))
    assert dumps(first + second) == "PMID- 99000001\n\nPMID- 99000002\n"


def test_strict_mode_stops_at_an_overlong_line(small_limits: None) -> None:
    text = "PMID- 99000001\nTI  - a\n" + "y" * 101 + "\n"
    error = strict_error(io.BytesIO(text.encode()))
    assert (error.code, error.line) == ("line-too-long", 3)
    got, raised = read_until_error(io.StringIO(text), strict=True)
    assert isinstance(raised, ParseError) and (raised.code, raised.line) == ("line-too-long", 3)
    assert got == []  # as for any problem: the record the line ends is not yielded first


def test_overlong_lines_in_every_position(small_limits: None) -> None:
    cases = {
        # an overlong tag line, then its continuation: the continuation follows no field
        "tag line": "PMID- 99000001\nAB  - " + "w " * 60 + "\n      more\n",
        "at the end, no line break": "PMID- 99000001\n" + "z" * 230,
        "first line": "q" * 120 + "\nPMID- 99000001\n",
        "crlf": "PMID- 99000001\r\n" + "c" * 150 + "\r\nTI  - t\r\n",
        "cr only": "PMID- 99000001\r" + "c" * 150 + "\rTI  - t\r",
        "stray lines before it": "PMID- 99000001\n\njunk\n\n" + "s" * 130 + "\n",
        "exactly the limit": "PMID- 99000001\n" + "e" * 100 + "\n",
        "the limit without its ending": "PMID- 99000001\n" + "e" * 99 + "\n",
    }
    for name, text in cases.items():
        for source in (io.BytesIO(text.encode()), io.StringIO(text), [text]):
            records = read(source)
            assert joined(records) == text, name
            for record in records:
                if not record.has_fields:
                    codes = {code for code, _ in where(record.diagnostics)}
                    assert codes & {"line-too-long", "no-records"}, name
            assert all(len(r.source) <= 110 for r in records if not r.has_fields), name
    # the stray lines read after the last record go with the first piece
    records = read(io.StringIO(cases["stray lines before it"]))
    assert records[1].source == "junk\n\n" + "s" * 100
    assert where(records[1].diagnostics) == [("junk-line", 3), ("line-too-long", 5)]
    assert records[1].line == 3
    # a line of exactly the limit, its ending included, is a line; one character more is not
    assert [r.has_fields for r in read(io.StringIO(cases["the limit without its ending"]))] == [
        True
    ]
    assert [r.has_fields for r in read(io.StringIO(cases["exactly the limit"]))] == [
        True,
        False,
        False,
    ]
    # the continuation after an overlong tag line follows no field, in a record of its own
    tail = read(io.StringIO(cases["tag line"]))[-1]
    assert tail.source == "      more\n"
    assert where(tail.diagnostics) == [("continuation-before-tag", 3), ("no-records", 3)]


def test_what_the_reader_holds_is_bounded_by_the_line_limit() -> None:
    """Memory: whatever the input's lines, the line cutter holds at most the limit, and what it
    hands on is whole lines or pieces of at most the limit (so each block costs time in
    proportion to its size and the held text: linear in the input)."""
    limit = 1000
    cutter = sources_module._LineCutter(limit)
    pushed: list[str] = []
    out: list[str | LinePiece] = []
    for index in range(20_000):
        block = "ab" * 18 + ("\n" if index % 5000 == 4999 else "")
        pushed.append(block)
        out.extend(cutter.push(block))
        assert cutter._size <= limit
    out.extend(cutter.push("", at_end=True))
    texts = [item if isinstance(item, str) else item.text for item in out]
    assert "".join(texts) == "".join(pushed)
    assert all(len(item.text) <= limit for item in out if isinstance(item, LinePiece))
    assert sum(1 for item in out if isinstance(item, LinePiece) and item.first) == 4


def test_a_gzip_bomb_streams_in_bounded_pieces(tmp_path: Path) -> None:
    """A few KB that unpack to 32 Mi letters without a line break (the real limit): read in pieces
    of MAX_LINE_LENGTH, never as one string, and nothing lost."""
    limit = sources_module.MAX_LINE_LENGTH
    bomb = tmp_path / "bomb.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as handle:
        chunk = b"a" * (1 << 20)  # (zeros would be refused at once as binary data)
        for _ in range(2 * limit // len(chunk)):
            handle.write(chunk)
        handle.write(b"a" * 5)
    assert bomb.stat().st_size < 200_000
    sizes: list[int] = []
    with time_limit(120):
        for record in iter_records(bomb):
            assert not record.has_fields and record.source.count("a") == len(record.source)
            assert where(record.diagnostics) == [("line-too-long", 1)]
            sizes.append(len(record.source))
    assert sizes == [limit, limit, 5]


# -- linear time on shapes that were quadratic --------------------------------------------------------


SHAPES = {
    "blank lines": (b"\n" * 400_000, 1),
    "CRLF blank lines": (b"\r\n" * 200_000, 1),
    "CR only": (b"\r" * 400_000, 1),
    "a repeated single tag": (b"PMID- 99000001\n" + b"TI  - a title\n" * 50_000, 1),
    "PMC repeated": (b"PMC - PMC1\n" * 50_000, 1),
    "stray lines after many blank lines": (
        b"PMID- 99000001\nTI  - t\n" + b"\n" * 100_000 + b"junk\n" + b"      c\n" * 100_000,
        1,
    ),
    "a long line": (b"PMID- 99000001\nAB  - " + b"x" * 8_000_000 + b"\n", 1),
    "a long CR line": (b"PMID- 99000001\rAB  - " + b"x" * 8_000_000 + b"\r", 1),
    "many tiny records": (b"".join(b"PMID- %d\n\n" % i for i in range(1, 100_001)), 100_000),
    "many fields": (b"PMID- 99000001\n" + b"AU  - Doe J\n" * 100_000, 1),
    "a record longer than the hold-back": (
        b"PMID- 99000001\nAB  - start\n" + b"      more words here\n" * 300_000,
        1,
    ),
}


@pytest.mark.parametrize("name", SHAPES)
def test_shapes_that_were_quadratic_read_in_linear_time(name: str) -> None:
    data, records = SHAPES[name]
    with time_limit(60):
        got = read(io.BytesIO(data))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            articles = list(parse(io.BytesIO(data)))
    assert len(got) == records
    assert joined(got) == data.decode()
    assert len(articles) == sum(1 for r in got if r.has_fields)


def test_a_record_longer_than_the_hold_back_reads_as_on_the_line_path() -> None:
    """The block path holds text back until a record ends, at most _MAX_HELD characters (here
    lowered to 200); beyond that it hands the text to the line path, with the same result."""
    text = (
        "PMID- 99000001\nTI  - first\n\n"
        "PMID- 99000002\n" + "AU  - Doe J\n" * 40 + "AB  - a\n      b\n\n"
        "PMID- 99000003\nTI  - last\n"
    )
    tokenizer = Tokenizer()
    tokenizer._max_held = 200
    records: list[Record] = []
    lines = text.splitlines(True)
    for start in range(0, len(lines), 3):
        records.extend(tokenizer.feed_text("".join(lines[start : start + 3])))
        assert len(tokenizer._buffer) <= 200
    records.extend(tokenizer.close())
    expected = list(tokenize_lines(lines))
    assert [(r.source, r.line, r.fields) for r in records] == [
        (r.source, r.line, r.fields) for r in expected
    ]
    assert [r.pmid for r in records] == ["99000001", "99000002", "99000003"]


@pytest.mark.parametrize(
    "value",
    ["word " * 1_600_000, "J Fict. 2024;1(2):3-4. " * 350_000, "a" + " " * 8_000_000 + "b"],
    ids=["words", "citations", "a run of spaces"],
)
def test_a_value_of_megabytes_is_written_in_linear_time(value: str) -> None:
    """The writer copied the rest of a value for each line it wrapped: quadratic in the value's
    length (an 8 MB abstract took many minutes)."""
    (article,) = loads(f"PMID- 99000001\nAB  - {value}\n")
    with time_limit(60):
        text = dumps(article)
        again = loads(text)
    assert again == [article]
    assert max(len(line) for line in text.splitlines()) <= 6 + 81 + 1 or value.startswith("a ")


# -- binary oddities ------------------------------------------------------------------------------------


def test_nul_bytes_and_a_bom_in_the_middle() -> None:
    data = b"PMID- 99000001\nTI  - a\x00b\n\n\xef\xbb\xbfPMID- 99000002\nTI  - x\xef\xbb\xbfy\n"
    records = read(io.BytesIO(data))
    assert joined(records) == data.decode()
    assert [where(r.diagnostics) for r in records] == [
        [("control-character", 2)],
        [("bom", 4)],
    ]
    assert records[0].first("TI") == "a\x00b" and records[1].first("TI") == "x\ufeffy"


def test_a_file_of_carriage_returns_only(tmp_path: Path) -> None:
    data = b"\r" * 1000
    for source in (io.BytesIO(data), tmp_path / "cr.txt"):
        if isinstance(source, Path):
            source.write_bytes(data)
        (record,) = read(source)
        assert record.source == "\r" * 1000 and not record.has_fields
        assert [(d.code, d.line, str(d.severity)) for d in record.diagnostics] == [
            ("no-records", 1, "info")
        ]


def test_many_records_with_the_same_huge_or_odd_pmid_are_all_duplicates() -> None:
    huge = "9" * 5000
    text = f"PMID- {huge}\n\nPMID- {huge}\n\nPMID- 123456789012\n\nPMID- 123456789012\n"
    records = read(io.StringIO(text))
    assert [where(r.diagnostics) for r in records] == [
        [("invalid-pmid", 1)],
        [("invalid-pmid", 3), ("duplicate-pmid", 3)],
        [],
        [("duplicate-pmid", 7)],
    ]
    # the set of PMIDs seen holds a digest of a long one, not its 5,000 characters
    seen = tokenizer_module._PmidSet()
    assert seen.add(huge) is False and seen.add(huge) is True
    assert all(len(key) <= 32 for key in seen._other)


# -- encodings ---------------------------------------------------------------------------------------------

TEXT = "PMID- 99000001\nTI  - Caf\u00e9 \u2013 \u00fcber\n\nPMID- 99000002\nTI  - \u65e5\u672c\n"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_utf16_and_utf32_files_with_a_bom_are_read_as_such(
    bom: bytes, codec: str, newline: str, tmp_path: Path
) -> None:
    text = TEXT.replace("\n", newline)
    data = bom + text.encode(codec)
    packed = tmp_path / "utf.txt.gz"
    packed.write_bytes(gzip.compress(data))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources_module, "BLOCK_SIZE", 7)  # blocks cut code units apart
        small = read(io.BytesIO(data))
    for records in (read(io.BytesIO(data)), read(packed), small):
        assert joined(records) == text
        assert [r.pmid for r in records] == ["99000001", "99000002"]
        assert records[0].first("TI") == "Caf\u00e9 \u2013 \u00fcber"
        assert where(records[0].diagnostics) == [("bom", 1)]
        assert records[0].diagnostics[0].severity == "info"
        label = f"{codec[:6].upper()} ({'little' if codec.endswith('le') else 'big'}-endian)"
        assert f"read as {label}" in records[0].diagnostics[0].message


def test_utf16_cut_off_mid_character_keeps_the_odd_byte() -> None:
    data = codecs.BOM_UTF16_LE + "PMID- 99000001\nTI  - a\n".encode("utf-16-le") + b"b"
    (record,) = read(io.BytesIO(data))
    assert record.source == "PMID- 99000001\nTI  - a\nb"
    assert where(record.diagnostics) == [("bom", 1), ("decode-fallback", 3), ("junk-line", 3)]


def test_an_undecodable_line_break_byte_breaks_the_line() -> None:
    """Fuzz finding: a byte the codec cannot decode is read as its Windows-1252 character, and
    when that is a line break (0x0A in UTF-32 data cut short), the lines are those of the text so
    decoded (they were cut before the byte was decoded, so the line break sat inside a line)."""
    data = codecs.BOM_UTF32_LE + b"\ni"
    records = read(io.BytesIO(data))
    assert [(r.source, r.line) for r in records] == [
        (r.source, r.line) for r in read(io.StringIO("\ni"))
    ]
    noted = [
        line for r in records for code, line in where(r.diagnostics) if code == "decode-fallback"
    ]
    assert noted == [1, 2]


def test_a_bad_byte_with_encoding_given_is_a_diagnostic_not_an_error(tmp_path: Path) -> None:
    data = b"PMID- 99000001\nTI  - \xff\n\nPMID- 99000002\nTI  - b\n"
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    for source in (io.BytesIO(data), path):
        records = read(source, encoding="utf-8")
        assert [r.pmid for r in records] == ["99000001", "99000002"]
        assert joined(records) == "PMID- 99000001\nTI  - \u00ff\n\nPMID- 99000002\nTI  - b\n"
        assert where(records[0].diagnostics) == [("decode-fallback", 2)]
        assert "utf-8" in records[0].diagnostics[0].message
    error = strict_error(path, encoding="utf-8")
    assert (error.code, error.line, error.path) == ("decode-fallback", 2, str(path))


@pytest.mark.parametrize(
    ("encoding", "data", "text", "bad_lines"),
    [
        ("latin-1", b"PMID- 1\nTI  - \xe9\xff\n", "PMID- 1\nTI  - \u00e9\u00ff\n", []),
        ("cp1252", b"PMID- 1\nTI  - \x80\x81\n", "PMID- 1\nTI  - \u20ac\x81\n", [2]),
        (
            "shift_jis",
            "PMID- 1\nTI  - \u65e5\u672c\n".encode("shift_jis") + b"AB  - \x81\n",
            "PMID- 1\nTI  - \u65e5\u672c\nAB  - \x81\n",
            [3],
        ),
        ("utf-8-sig", b"\xef\xbb\xbfPMID- 1\n", "PMID- 1\n", []),
        ("utf-16", codecs.BOM_UTF16_BE + "PMID- 1\n".encode("utf-16-be"), "PMID- 1\n", []),
        ("ascii", b"PMID- 1\nTI  - \xe9\n", "PMID- 1\nTI  - \u00e9\n", [2]),
    ],
)
def test_other_codecs_read_every_byte(
    encoding: str, data: bytes, text: str, bad_lines: list[int]
) -> None:
    records = read(io.BytesIO(data), encoding=encoding)
    assert joined(records) == text
    fallbacks = [
        line for r in records for code, line in where(r.diagnostics) if code == "decode-fallback"
    ]
    assert fallbacks == bad_lines


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "bz2", "no-such-codec"])
def test_codecs_that_do_not_decode_bytes_to_text_are_refused(encoding: str) -> None:
    with pytest.raises(MedlineError, match=encoding.replace("-", ".")) as caught:
        read(io.BytesIO(b"PMID- 1\n"), encoding=encoding)
    assert type(caught.value) is MedlineError


def test_a_codec_that_cannot_start_is_a_source_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes("PMID- 1\n".encode("utf-16-le"))
    with pytest.raises(
        SourceError, match=rf"{re.escape(str(path))}: cannot decode as utf-16: .*BOM"
    ):
        read(path, encoding="utf-16")


def test_a_text_file_opened_with_the_wrong_codec(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"PMID- 1\nTI  - Caf\xe9\n")
    with (
        open(path, encoding="utf-8") as handle,
        pytest.raises(SourceError, match=rf"{re.escape(str(path))}: cannot decode: .*'rb'"),
    ):
        read(handle)


def test_a_text_file_with_newline_translation(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"PMID- 1\r\nTI  - a\r\n\r\nPMID- 2\r\n")
    with open(path, encoding="utf-8") as handle:  # universal newlines: CRLF read as LF
        records = read(handle)
    assert joined(records) == "PMID- 1\nTI  - a\n\nPMID- 2\n"
    assert [r.pmid for r in records] == ["1", "2"]
    assert all(r.path == str(path) for r in records)


# -- lone surrogates -------------------------------------------------------------------------------------


def test_lone_surrogates_are_diagnosed_and_writing_them_names_the_file(tmp_path: Path) -> None:
    text = "PMID- 99000001\nTI  - a\udc80b\n\nPMID- 99000002\nTI  - fine\n"
    for source in (io.StringIO(text), [text], text.splitlines(True)):
        records = read(source)
        assert joined(records) == text
        assert [where(r.diagnostics) for r in records] == [[("lone-surrogate", 2)], []]
    error = strict_error(io.StringIO(text))
    assert (error.code, error.line) == ("lone-surrogate", 2)
    articles = loads(text)
    assert articles[0].title == "a\udc80b"
    assert dumps(articles) == text  # text in, text out
    target = tmp_path / "out.txt"
    with pytest.raises(
        WriteError, match=rf"{re.escape(str(target))}: record 1: cannot write U\+DC80"
    ):
        write(articles, target)
    with pytest.raises(WriteError, match="U\\+DC80"):
        write(articles, io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    buffer = io.StringIO()  # a target that stores text as it is takes it
    assert write(articles, buffer) == 2 and buffer.getvalue() == text


@pytest.mark.parametrize("name", ["csv", "ris", "bibtex", "sqlite"])
def test_every_converter_refuses_a_lone_surrogate_with_an_error_naming_the_file(
    name: str, tmp_path: Path
) -> None:
    import importlib

    module = importlib.import_module(f"medline_parse.convert.{name}")
    articles = loads("PMID- 99000001\nTI  - a\udc80b\n")
    target = tmp_path / f"out.{name}"
    if name != "sqlite":
        target.write_text("old\n")
    with pytest.raises(MedlineError, match=re.escape(f"{target}: cannot write U+DC80")):
        module.write(articles, target)
    if name != "sqlite":  # a database is updated in place; a file is replaced only when whole
        assert target.read_text() == "old\n"
        assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("name", ["json", "csljson"])
def test_json_writes_a_lone_surrogate_as_an_escape_that_reads_back(
    name: str, tmp_path: Path
) -> None:
    """JSON has a place for a lone surrogate, the \\udcxx escape (UTF-8 holds none): written so,
    the text reads back as it was."""
    import importlib
    import json

    module = importlib.import_module(f"medline_parse.convert.{name}")
    articles = loads("PMID- 99000001\nTI  - a\udc80b\n")
    target = tmp_path / f"out.{name}"
    module.write(articles, target)
    raw = target.read_bytes()
    assert b"a\\udc80b" in raw
    data = json.loads(raw.decode("utf-8"))
    item = data[0] if isinstance(data, list) else data
    assert item["title"] == "a\udc80b"


# -- PMIDs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pmid",
    ["", "abc", "-5", "0", "007", "12 34", "1" * 20, "9" * 5000, "\u0661\u0662", "1.5"],
)
def test_a_pmid_that_is_not_a_positive_whole_number_is_diagnosed(pmid: str) -> None:
    text = f"PMID- {pmid}\nTI  - t\n"
    (record,) = read(io.StringIO(text))
    assert record.pmid == pmid
    assert where(record.diagnostics) == [("invalid-pmid", 1)]
    error = strict_error([text])
    assert (error.code, error.line) == ("invalid-pmid", 1)
    (article,) = loads(text)
    assert article.pmid == pmid


@pytest.mark.parametrize("pmid", ["1", "99000001", "9" * 19])
def test_valid_pmids_are_not_diagnosed(pmid: str) -> None:
    (record,) = read(io.StringIO(f"PMID- {pmid}\nTI  - t\n"))
    assert record.diagnostics == ()


def test_empty_pmid_lines_in_every_layout() -> None:
    text = "PMID-\nTI  - a\n\nPMID- \nTI  - b\n\nPMID-   \nTI  - c\n"
    records = read(io.StringIO(text))
    assert [r.pmid for r in records] == ["", "", ""]
    assert [where(r.diagnostics) for r in records] == [
        [("sloppy-tag", 1), ("invalid-pmid", 1)],
        [("invalid-pmid", 4), ("duplicate-pmid", 4)],
        [("invalid-pmid", 7), ("duplicate-pmid", 7)],
    ]


def test_record_level_problems_come_in_line_order_as_strict_mode_meets_them() -> None:
    text = "PMID- 99000001\n\nPMID- 99000001\nTI  - a\nTI  - b\n"
    records = read(io.StringIO(text))
    assert where(records[1].diagnostics) == [("duplicate-pmid", 3), ("repeated-tag", 5)]
    error = strict_error(io.StringIO(text))
    assert (error.code, error.line) == ("duplicate-pmid", 3)


def test_a_missing_pmid_comes_after_the_problems_strict_mode_meets_at_their_lines() -> None:
    """Fuzz finding: strict mode raises a repeated tag at its line, a missing PMID only when the
    record ends; lenient mode lists them in that order too."""
    text = "TI  - a\nTI  - b\n"
    (record,) = read(io.StringIO(text))
    assert where(record.diagnostics) == [("repeated-tag", 2), ("missing-pmid", 1)]
    error = strict_error(io.StringIO(text))
    assert (error.code, error.line) == ("repeated-tag", 2)


def test_a_missing_pmid_comes_where_strict_mode_takes_the_record_to_end() -> None:
    """Fuzz finding: strict mode raises a missing PMID at the first blank line after a field
    (where the record most likely ends); when the record goes on after it (a blank line inside
    a field), the problems of its later lines come after the missing PMID in lenient mode too."""
    text = "LA  - eng\n\n      more\nOWN - NLM\nOWN - NLM\n"
    (record,) = read(io.StringIO(text))
    record_level = [
        w for w in where(record.diagnostics) if w[0] in ("missing-pmid", "repeated-tag")
    ]
    assert record_level == [("missing-pmid", 1), ("repeated-tag", 5)]
    assert ("blank-line-in-field", 3) in where(record.diagnostics)
    error = strict_error(io.StringIO(text))
    assert (error.code, error.line) == ("missing-pmid", 1)


def test_sqlite_keeps_every_record_without_a_valid_pmid(tmp_path: Path) -> None:
    text = (
        "PMID- \nTI  - first\n\nPMID- \nTI  - second\n\nPMID- abc\nTI  - third\n\n"
        "PMID- abc\nTI  - fourth\n\nPMID- 99000001\nTI  - fifth\n"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = loads(text)
    database = tmp_path / "out.db"
    assert msqlite.write(articles, database).articles == 5
    again = msqlite.write(articles, database)  # the same records again: replaced, not added
    assert (again.articles, again.replaced) == (5, 5)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT key, pmid, title FROM articles ORDER BY title").fetchall()
    assert [(pmid, title) for _, pmid, title in rows] == [
        ("99000001", "fifth"),
        (None, "first"),
        (None, "fourth"),
        (None, "second"),
        (None, "third"),
    ]
    assert len({key for key, _, _ in rows}) == 5
    assert all(key.startswith("sha1:") for key, pmid, _ in rows if pmid is None)


# -- PHST without a date ------------------------------------------------------------------------------


def test_a_history_line_without_a_date_keeps_its_place() -> None:
    text = (
        "PMID- 99000001\n"
        "PHST- 2020/01/01 00:00 [received]\n"
        "PHST- [pubmed]\n"
        "PHST- 2020/01/02 00:00 [accepted]\n"
    )
    (article,) = loads(text)
    assert article.history[1] == HistoryEvent(status="pubmed", date="")
    assert [event.status for event in article.history] == ["received", "pubmed", "accepted"]
    assert where(article.diagnostics) == [("invalid-date", 3)]
    assert dumps(article) == text
    assert loads(dumps(article)) == [article]
    # with two spaces after the dash (a date of one space, as an exporter with an empty date
    # writes it) the line keeps its place and its spaces too
    spaced = text.replace("PHST- [pubmed]", "PHST-  [pubmed]")
    (article,) = loads(spaced)
    assert article.history[1] == HistoryEvent(status="pubmed", date=" ")
    assert dumps(article) == spaced


# -- gzip ---------------------------------------------------------------------------------------------------


def test_concatenated_gzip_members_are_one_input(tmp_path: Path) -> None:
    first, second = b"PMID- 99000001\nTI  - a\n\n", b"PMID- 99000002\nTI  - b\n"
    path = tmp_path / "two.gz"
    path.write_bytes(gzip.compress(first) + gzip.compress(second))
    records = read(path)
    assert joined(records) == (first + second).decode()
    padded = tmp_path / "padded.gz"  # zero padding after a member, as tape archives have
    padded.write_bytes(gzip.compress(first) + bytes(512))
    assert joined(read(padded)) == first.decode()


@pytest.mark.parametrize(
    ("name", "damage", "message"),
    [
        ("truncated", lambda packed: packed[: len(packed) - 30], "damaged or truncated"),
        ("garbage after the magic", lambda packed: b"\x1f\x8bnot gzip at all", "damaged"),
        ("garbage after a member", lambda packed: packed + b"trailing garbage", "damaged"),
        ("a corrupt stream", lambda packed: packed[:20] + b"\xff" * 8 + packed[28:], "damaged"),
    ],
)
def test_damaged_gzip_data_is_a_source_error_naming_the_file(
    name: str, damage: Any, message: str, tmp_path: Path
) -> None:
    text = "".join(f"PMID- {n}\nTI  - title {n}\n\n" for n in range(1, 400))
    path = tmp_path / "damaged.txt.gz"
    path.write_bytes(damage(gzip.compress(text.encode(), mtime=0)))
    got, raised = read_until_error(path)
    assert isinstance(raised, SourceError)
    assert re.match(rf"{re.escape(str(path))}: {message}", str(raised)), raised
    if name != "a corrupt stream":  # (damaged deflate data may unpack to garbage first)
        assert text.startswith(joined(got))  # what was read before the damage is kept
    if name == "garbage after a member":
        assert joined(got) == text


# -- non-seekable and odd sources ------------------------------------------------------------------------


def _pipe_with(data: bytes) -> tuple[int, threading.Thread]:
    """The read end of a pipe a thread fills with *data* (then closes)."""
    read_end, write_end = os.pipe()

    def fill() -> None:
        with os.fdopen(write_end, "wb") as handle:
            handle.write(data)

    thread = threading.Thread(target=fill)
    thread.start()
    return read_end, thread


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd (Linux, macOS)")
@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_a_pipe_given_as_a_path_or_a_file_object(packed: bool) -> None:
    text = "".join(f"PMID- {n}\nTI  - title {n}\n\n" for n in range(1, 3000))
    data = gzip.compress(text.encode()) if packed else text.encode()
    read_end, thread = _pipe_with(data)
    try:
        records = read(f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
        thread.join()
    assert joined(records) == text
    read_end, thread = _pipe_with(data)
    with os.fdopen(read_end, "rb", buffering=0) as handle:  # raw, unseekable, short reads
        records = read(handle)
    thread.join()
    assert joined(records) == text


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd (Linux, macOS)")
@pytest.mark.parametrize("name", ["sample.txt", "pubmed-sample.xml"])
@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_parse_tells_the_format_of_a_pipe_without_losing_its_head(name: str, packed: bool) -> None:
    """parse() looks at the first bytes to tell MEDLINE from XML: from a pipe given by its path
    those bytes cannot be read twice, so they are handed on, not read again (and lost)."""
    path = EXAMPLES / "data" / name
    data = path.read_bytes()
    read_end, thread = _pipe_with(gzip.compress(data) if packed else data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = list(parse(f"/dev/fd/{read_end}"))
    finally:
        os.close(read_end)
        thread.join()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = list(parse(path))
    assert len(got) == len(expected) > 1
    assert [a.pmid for a in got] == [a.pmid for a in expected]


class _Readable:
    def __init__(self, result: object) -> None:
        self.result = result

    def read(self, size: int = -1) -> object:
        return self.result


class _Fspath:
    def __init__(self, value: object) -> None:
        self.value = value

    def __fspath__(self) -> object:
        return self.value


def _closed(mode: str, tmp_path: Path) -> object:
    path = tmp_path / "closed.txt"
    path.write_bytes(b"PMID- 1\n")
    handle = open(path, mode)  # noqa: SIM115 - closed on the next line, on purpose
    handle.close()
    return handle


@pytest.mark.parametrize(
    ("name", "make", "error", "message"),
    [
        ("closed binary file", lambda p: _closed("rb", p), MedlineError, "closed.txt: cannot read"),
        ("closed text file", lambda p: _closed("r", p), MedlineError, "closed.txt: cannot read"),
        ("write-only file", lambda p: open(p / "w.txt", "wb"), MedlineError, "w.txt"),  # noqa: SIM115
        ("read() gives None", lambda p: _Readable(None), MedlineError, "read\\(\\) gave NoneType"),
        ("read() gives an int", lambda p: _Readable(5), MedlineError, "read\\(\\) gave int"),
        ("an int", lambda p: 5, MedlineError, "cannot read MEDLINE from int"),
        ("an object", lambda p: object(), MedlineError, "cannot read MEDLINE from object"),
        ("bytes", lambda p: b"PMID- 1\n", MedlineError, "bytes are not a source"),
        ("NUL in a path", lambda p: str(p / "a\x00b"), SourceError, "embedded null"),
        ("a path to nothing", lambda p: p / "missing.txt", SourceError, "no such file"),
        ("a path-like of bytes", lambda p: _Fspath(b"/no/such/file"), SourceError, "no such file"),
        ("a path-like of nothing", lambda p: _Fspath(5), MedlineError, "__fspath__"),
        (
            "lines that are not text",
            lambda p: [b"PMID- 1\n"],
            MedlineError,
            "expected lines of text",
        ),
    ],
)
def test_what_is_no_source_gives_a_library_error(
    name: str, make: Any, error: type[Exception], message: str, tmp_path: Path
) -> None:
    source = make(tmp_path)
    try:
        for reader in (iter_records, parse):
            with pytest.raises(error, match=message):
                list(reader(source))
    finally:
        close = getattr(source, "close", None)
        if callable(close):
            close()


@pytest.mark.parametrize("encoding", [123, b"utf-8", ["utf-8"]])
def test_an_encoding_that_is_not_a_name(encoding: object) -> None:
    with pytest.raises(MedlineError, match="encoding must be the name of a codec"):
        read(io.BytesIO(b"PMID- 1\n"), encoding=encoding)


XML_FILE = FIXTURES / "xml" / "medline_2016.xml"


@pytest.mark.parametrize("path", [EXAMPLES / "data" / "sample.txt", XML_FILE], ids=["text", "xml"])
@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-8\0", r"unknown encoding 'utf-8\\x00'"),
        ("bogus", "unknown encoding 'bogus'"),
        ("rot13", "does not turn bytes into text"),
        (5, "encoding must be the name of a codec"),
    ],
)
def test_a_bad_encoding_is_refused_alike_for_both_formats(
    path: Path, encoding: object, message: str
) -> None:
    for format in (None, "xml" if path.suffix == ".xml" else "medline"):
        with pytest.raises(MedlineError, match=message):
            list(iter_events(path, format=format, encoding=encoding))  # type: ignore[arg-type]
        with pytest.raises(MedlineError, match=message):
            list(parse(path, format=format, encoding=encoding))  # type: ignore[arg-type]


@pytest.mark.parametrize(("alias", "name"), [("latin-1", "latin1"), ("utf_8", "utf-8")])
def test_pythons_codec_aliases_read_pubmed_xml(alias: str, name: str) -> None:
    # libxml2 knows "latin1" and "utf-8" but not Python's spellings "latin-1" and "utf_8"
    expected = list(iter_events(XML_FILE, encoding=name))
    assert len(expected) > 1
    assert list(iter_events(XML_FILE, encoding=alias)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "cannot write NoneType"),
        (5, "cannot write int"),
        ("PMID- 1\n", "cannot write str"),
        ([None], "cannot write NoneType"),
    ],
)
def test_writing_what_is_no_article(value: object, message: str, tmp_path: Path) -> None:
    with pytest.raises(MedlineError, match=message):
        dumps(value)  # type: ignore[arg-type]
    with pytest.raises(MedlineError, match=message):
        write(value, tmp_path / "out.txt")  # type: ignore[arg-type]


def test_writing_to_what_is_no_target() -> None:
    (article,) = loads("PMID- 1\nTI  - t\n")
    with pytest.raises(MedlineError, match="cannot write to int"):
        write(article, 5)  # type: ignore[arg-type]


# -- errors survive pickling -------------------------------------------------------------------------------


def _error_classes() -> list[type[Exception]]:
    found: list[type[Exception]] = []
    pending: list[type[Exception]] = [MedlineError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_the_search_finds_every_library_error() -> None:
    names = {cls.__name__ for cls in _error_classes()}
    assert {"MedlineError", "ParseError", "SourceError", "WriteError", "JsonError"} <= names
    assert JsonError in _error_classes()


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda cls: cls.__name__)
def test_every_library_error_survives_pickling(cls: type[Exception]) -> None:
    if issubclass(cls, ParseError):
        error: Exception = cls(
            "line is odd", path="bad.txt", line=2, text="TI  - x\n", code="junk-line"
        )
    elif issubclass(cls, SyncError):
        summary = SyncSummary("pubmed.db", (), 3, 0.5)
        error = cls("bad.xml: changed since it was applied", file="bad.xml", summary=summary)
    else:
        error = cls("bad.txt: something went wrong")
    back = pickle.loads(pickle.dumps(error))
    if isinstance(error, SyncError):
        assert isinstance(back, SyncError)
        assert (back.file, back.summary) == (error.file, error.summary)
    assert type(back) is cls
    assert str(back) == str(error)
    assert back.args == error.args
    if isinstance(error, ParseError):
        assert isinstance(back, ParseError)
        assert (back.message, back.path, back.line, back.text, back.code) == (
            "line is odd",
            "bad.txt",
            2,
            "TI  - x\n",
            "junk-line",
        )
        assert str(back) == "bad.txt:2: line is odd [junk-line]\n    'TI  - x'"


def test_a_strict_error_survives_pickling_as_raised() -> None:
    error = strict_error(io.StringIO("PMID- 1\nTI  - t\njunk\n"))
    back = pickle.loads(pickle.dumps(error))
    assert (back.code, back.line, back.text, str(back)) == (
        error.code,
        error.line,
        error.text,
        str(error),
    )


# -- the block interface -------------------------------------------------------------------------------


def test_blocks_and_pieces_feed_the_tokenizer_like_lines(small_limits: None) -> None:
    text = "PMID- 1\nTI  - t\n" + "x" * 130 + "\nPMID- 2\n"
    blocks = list(iter_blocks(io.BytesIO(text.encode())))
    pieces = [item for block in blocks if isinstance(block, list) for item in block]
    assert [(p.text, p.first) for p in pieces if isinstance(p, LinePiece)] == [
        ("x" * 100, True),
        ("x" * 30 + "\n", False),
    ]
    assert joined(list(tokenize_blocks(blocks))) == text


# -- the command line ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "message", "status"),
    [  # no codec to decode with: a usage error; a codec that refuses the input: an input error
        ("rot13", "does not turn bytes into text", 2),
        ("base64", "does not turn bytes into text", 2),
        ("hex", "does not turn bytes into text", 2),
        ("utf-16", "cannot decode as utf-16", 1),
        ("no-such-codec", "argument --encoding: unknown encoding 'no-such-codec'", 2),
    ],
)
def test_the_command_line_reports_a_codec_it_cannot_use_without_traceback(
    encoding: str, message: str, status: int, tmp_path: Path
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(b"PMID- 99000001\nTI  - t\n")
    for command in (["check"], ["convert", "--to", "jsonl"], ["stats"], ["fmt", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "medline_parse", *command, "--encoding", encoding, str(path)],
            capture_output=True,
            timeout=120,
            check=False,
        )
        errors = result.stderr.decode("utf-8", "replace")
        assert result.returncode == status, errors
        assert "Traceback" not in errors and message in errors, errors
        if status == 2:
            assert errors.startswith(f"usage: medline {command[0]}"), errors
