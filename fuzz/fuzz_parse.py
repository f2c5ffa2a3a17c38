"""Coverage-guided fuzzing of medline-parse: bytes in, never a crash, never a silent loss.

Every input goes through the record layer (``iter_records``) and the typed layer (``parse``), in
lenient and strict mode, and through the writer (``dumps``), and the checks below must hold:

* ``lossless``: the records' sources, joined, are the input as the library promises to decode it
  (UTF-8 without a leading byte-order mark, or UTF-16/UTF-32 when such a mark leads; each byte the
  codec cannot decode taken alone, as Windows-1252 or, for its five undefined bytes, Latin-1);
  ``dumps(records)`` gives it back too.  The harness lowers the line limit
  (``sources.MAX_LINE_LENGTH``) and the block size so that small inputs cross both: overlong
  lines come through in pieces, blocks cut lines and characters apart.
* ``positions``: each field's raw text lies in its record's source, in order, on the line its
  ``line`` names; each record starts on the line after the previous one's last; each
  diagnostic's line lies within the record that carries it.
* ``text-source``: reading the decoded text (``io.StringIO``, a list of lines, and line by line
  through ``Tokenizer.feed``, bypassing the block fast path) gives the same records as reading
  the bytes.
* ``strict``: strict mode raises :class:`ParseError` exactly when lenient mode reports a problem,
  after yielding the same records as lenient mode, with the code and line of the first problem it
  meets: the first line-level problem lenient mode reports, or the first record-level one (known
  only when its record ends) when no line-level problem lies on an earlier line.  Strict ``parse``
  likewise, the builder's problems included.
* ``strict-first``: (off unless ``--all-checks``) the error is the problem with the lowest line
  number lenient mode reports; a known gap for record-level problems, see fuzz/README.md.
* ``articles``: ``parse`` yields one article per record with fields, carrying the record's PMID and
  diagnostics (followed by the builder's own).
* ``roundtrip``: ``loads(dumps(article)) == [article]`` for every article.
* ``paths``: for one input in eight, the same bytes read from a file, a gzip file and a truncated
  gzip file give the same records, or (damaged gzip) a :class:`SourceError`.
* ``gzip``: the input as gzip data in memory, whole or in two members, reads as the input does;
  cut short, it raises :class:`SourceError` after records that are those of the input (the last
  one maybe cut).
* ``encodings``: valid UTF-8 input saved as UTF-16 or UTF-32 with a byte-order mark reads as the
  same records; read with ``encoding=`` (a codec drawn from the input), the sources add up to the
  input decoded with that codec, bad bytes as above, and only library errors escape.
* ``speed``: one input takes less than ``--slow`` seconds of CPU time (default 2; CPU time, so that
  a loaded machine does not fail it).

Anything else, any exception other than those named, fails the run with the input saved (atheris
writes ``crash-<sha1>`` files; the fallback loop writes them under ``--artifacts``).

Usage (see fuzz/README.md)::

    python fuzz/fuzz_parse.py -max_total_time=60            # atheris / libFuzzer flags
    python fuzz/fuzz_parse.py --seconds 60                  # the same, as a wrapper
    python fuzz/fuzz_parse.py --seconds 60 --no-atheris     # plain random mutation loop
    python fuzz/fuzz_parse.py --skip roundtrip --seconds 60 # leave a check out
    python fuzz/fuzz_parse.py --reproduce crash-1234abcd    # run the checks on saved inputs
    python fuzz/fuzz_parse.py --minimize crash-1234abcd     # shrink a failing input
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import gzip
import hashlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parents[1]
CHECKS = (
    "lossless",
    "positions",
    "text-source",
    "strict",
    "strict-first",
    "articles",
    "roundtrip",
    "paths",
    "gzip",
    "encodings",
    "speed",
)
DEFAULT_SKIP = frozenset({"strict-first"})  # a known design gap: see fuzz/README.md
SKIP: set[str] = set(DEFAULT_SKIP)
SLOW_SECONDS = 2.0
IGNORE_KNOWN = False  # --ignore-known: let inputs through that only show already-reported failures

try:  # atheris is optional: without it the plain mutation loop below does the fuzzing
    import atheris

    HAVE_ATHERIS = True
except ImportError:  # pragma: no cover - depends on the environment
    atheris = None
    HAVE_ATHERIS = False

if (
    HAVE_ATHERIS
    and "--no-atheris" not in sys.argv
    and "--reproduce" not in sys.argv
    and "--minimize" not in sys.argv
):
    with atheris.instrument_imports(include=["medline_parse"]):
        import medline_parse  # noqa: F401 - instrumented before the names below are taken

from medline_parse import (  # noqa: E402 - after the optional instrumentation above
    Article,
    Diagnostic,
    MedlineError,
    ParseError,
    Record,
    SourceError,
    dumps,
    iter_records,
    loads,
    parse,
    sources,
)
from medline_parse.medline.tokenizer import tokenize_lines  # noqa: E402

# Small limits, so that inputs of a few KB have overlong lines and cross block boundaries.
LINE_LIMIT = 300
sources.MAX_LINE_LENGTH = LINE_LIMIT
sources.BLOCK_SIZE = 61

# -- the oracle: how the library promises to decode bytes ------------------------------------------

_BOM = codecs.BOM_UTF8
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # a line and its ending


def _byte_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    out = []
    for byte in error.object[error.start : error.end]:
        try:
            out.append(bytes((byte,)).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))  # 0x81 0x8d 0x8f 0x90 0x9d: Latin-1
    return "".join(out), error.end


codecs.register_error("fuzz.byte-fallback", _byte_fallback)

# Byte-order marks that choose the codec (longest first: UTF-32-LE's starts with UTF-16-LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (_BOM, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Codecs the encodings check reads the input with (one drawn from the input's CRC).
_CODECS = ("latin-1", "cp1252", "shift_jis", "utf-16", "utf-16-le", "utf-32", "gb18030", "ascii")


def expected_text(data: bytes, encoding: str | None = None) -> str | None:
    """The text the records' sources must add up to; None when the codec refuses the input as a
    whole (UTF-16 without a byte-order mark, say)."""
    if encoding is None:
        encoding = "utf-8"
        for mark, codec in _BOMS:
            if data.startswith(mark):
                data, encoding = data[len(mark) :], codec
                break
    decoder = codecs.getincrementaldecoder(encoding)(errors="fuzz.byte-fallback")
    try:
        return decoder.decode(data, final=True)
    except UnicodeError:
        return None


def has_overlong_line(text: str) -> bool:
    return any(len(line) > LINE_LIMIT for line in _LINE.findall(text))


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of *text* starts (line breaks: CRLF, CR, LF)."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r":
            i += 2 if text.startswith("\n", i + 1) else 1
            starts.append(i)
        elif c == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    if starts[-1] == n and n:
        starts.pop()  # no line after a final line break
    return starts


def line_of(starts: list[int], offset: int) -> int:
    """1-based line number of the character at *offset*."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


class CheckFailed(AssertionError):
    """An invariant does not hold for the input."""


def check(name: str, ok: bool, message: str = "", *args: object) -> None:
    """Fail check *name* unless *ok*; *message* is %-formatted with *args* only on failure."""
    if ok or name in SKIP:
        return
    raise CheckFailed(f"[{name}] " + (message % args if args else message))


def problems_of(diagnostics: Any) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_problem]


def first_problem(problems: list[Diagnostic]) -> Diagnostic:
    """The problem strict mode must raise: the lowest line (None counts as last), stable."""
    return sorted(problems, key=lambda d: d.line if d.line is not None else 1 << 60)[0]


def where(diagnostics: list[Diagnostic]) -> list[tuple[str, int | None]]:
    return [(d.code, d.line) for d in diagnostics]


# -- the checks -------------------------------------------------------------------------------------


def snapshot(records: list[Record], decoding: bool = True) -> list[tuple[object, ...]]:
    """Everything a record holds (record equality compares only source and line number); without
    *decoding*, less the notes of the byte decoder (which text input cannot have)."""
    return [
        (
            r.line,
            r.source,
            r.fields,
            [
                (d.code, d.line)
                for d in r.diagnostics
                if decoding or not (d.code in _DECODER_CODES or (d.code, d.line) == ("bom", 1))
            ],
        )
        for r in records
    ]


_DECODER_CODES = frozenset({"decode-fallback", "truncated-utf8"})


def known_roundtrip_failure(article: Article, again: list[Article]) -> bool:
    """Round-trip failures tests/test_bad_input.py reproduces (xfail) while they are open:
    ``extra`` coming back in another order, and a value written on one tag line that reads back
    as a collapsed record."""
    if any(d.code == "collapsed-record" for a in again for d in a.diagnostics):
        return not any(d.code == "collapsed-record" for d in article.diagnostics)
    if len(again) != 1:
        return False
    back = again[0]
    return attrs.evolve(article, extra=sorted(article.extra)) == attrs.evolve(
        back, extra=sorted(back.extra)
    )


def check_records(data: bytes) -> list[Record]:
    records = list(iter_records(io.BytesIO(data)))  # lenient: nothing may escape
    text = expected_text(data)
    assert text is not None  # the default codecs refuse nothing
    joined = "".join(r.source for r in records)
    check("lossless", joined == text, "sources %r != input %r", joined, text)
    check("lossless", dumps(records) == text, "dumps(records) differs from the input")

    starts = line_starts(text)
    offset = 0
    for record in records:
        check("positions", record.source != "", "a record with an empty source")
        first_line = line_of(starts, offset)
        last_line = line_of(starts, offset + len(record.source) - 1)
        check(
            "positions",
            record.line == first_line,
            "record line %s, expected %s",
            record.line,
            first_line,
        )
        position = 0
        for field in record.fields:
            # the raw text may also occur earlier, inside a stray line: take the occurrence on the
            # field's line
            found = record.source.find(field.raw, position)
            while found >= 0 and line_of(starts, offset + found) < field.line:
                found = record.source.find(field.raw, found + 1)
            check("positions", found >= 0, "field %r not in its source", field)
            line = line_of(starts, offset + found)
            check(
                "positions",
                field.line == line,
                "field %s line %s, expected %s",
                field.tag,
                field.line,
                line,
            )
            position = found + len(field.raw)
        for diagnostic in record.diagnostics:
            check(
                "positions",
                diagnostic.line is None or first_line <= diagnostic.line <= last_line,
                "diagnostic %s of line %s travels with the record of lines %s-%s",
                diagnostic.code,
                diagnostic.line,
                first_line,
                last_line,
            )
        if not record.fields:
            check(
                "positions",
                any(d.code in ("no-records", "line-too-long") for d in record.diagnostics),
                "a record without fields, without a no-records or line-too-long diagnostic",
            )
        offset += len(record.source)

    if "text-source" not in SKIP:
        from_text = list(iter_records(io.StringIO(text)))
        check(
            "text-source",
            snapshot(from_text, False) == snapshot(records, False),
            "StringIO(text) reads differently from bytes",
        )
        if not has_overlong_line(text):  # (lines fed one by one are never cut into pieces)
            by_lines = list(tokenize_lines(_LINE.findall(text)))  # the tokenizer's line path
            check(
                "text-source",
                snapshot(by_lines, False) == snapshot(records, False),
                "the line path (Tokenizer.feed) reads the text differently from the block path",
            )
        from_lines = list(iter_records([text]))
        check(
            "text-source",
            snapshot(from_lines, False) == snapshot(records, False),
            "[text] reads differently from bytes",
        )
    return records


# Problems found only when a record is complete (strict mode raises them at the record's end).
RECORD_LEVEL = frozenset(
    {"missing-pmid", "invalid-pmid", "duplicate-pmid", "repeated-tag", "no-records"}
)


def check_strict_error(error: ParseError, problems: list[Diagnostic]) -> None:
    """Strict mode stops at the first problem it *detects*: a line-level problem as its line is
    read, a record-level one (:data:`RECORD_LEVEL`) only when its record ends, which may be after
    later lines were read.  So the error is the first line-level problem lenient mode reports, or
    the first record-level one when no line-level problem lies on an earlier line."""
    got = (error.code, error.line)
    line_level = [d for d in problems if d.code not in RECORD_LEVEL]
    record_level = [d for d in problems if d.code in RECORD_LEVEL]
    if error.code in RECORD_LEVEL:
        check(
            "strict",
            bool(record_level) and got == (record_level[0].code, record_level[0].line),
            "strict raised %s, not the first record-level problem of %s",
            got,
            where(problems),
        )
        earlier = [d for d in line_level if d.line is not None and d.line < (error.line or 0)]
        check("strict", not earlier, "strict raised %s, after problems %s", got, where(earlier))
    else:
        check(
            "strict",
            bool(line_level) and got == (line_level[0].code, line_level[0].line),
            "strict raised %s, not the first line-level problem of %s",
            got,
            where(problems),
        )
    first = first_problem(problems)
    check(
        "strict-first",
        got == (first.code, first.line),
        "strict raised %s but the first problem (lowest line) is %s",
        got,
        (first.code, first.line),
    )


def check_strict_records(data: bytes, records: list[Record]) -> tuple[list[Record], Any]:
    """Strict ``iter_records``: the same records as lenient mode up to the first problem lenient
    mode reports (in detection order), then a :class:`ParseError` for it."""
    got: list[Record] = []
    error: ParseError | None = None
    try:
        for record in iter_records(io.BytesIO(data), strict=True):
            got.append(record)
    except ParseError as raised:
        error = raised
    if "strict" in SKIP:
        return got, error
    problems = [d for r in records for d in problems_of(r.diagnostics)]
    same = snapshot(got) == snapshot(records[: len(got)])
    check("strict", same, "strict yielded other records than lenient")
    if error is None:
        check("strict", not problems, "strict iter_records did not raise; lenient: %s", problems)
        check("strict", snapshot(got) == snapshot(records), "strict records differ")
        return got, error
    check("strict", bool(problems), "strict raised %r; lenient found no problem", error)
    check_strict_error(error, problems)
    return got, error


def check_articles(data: bytes, records: list[Record], strict_outcome: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = list(parse(io.BytesIO(data), format="medline"))
    with_fields = [r for r in records if r.fields]
    check("articles", len(articles) == len(with_fields), "one article per record with fields")
    builder_problems: list[list[Diagnostic]] = []
    for record, article in zip(with_fields, articles, strict=False):
        check("articles", article.pmid == record.pmid, "the article has another PMID")
        n = len(record.diagnostics)
        check(
            "articles",
            article.diagnostics[:n] == record.diagnostics,
            "the record's diagnostics do not travel to the article",
        )
        builder_problems.append(problems_of(article.diagnostics[n:]))
        if "roundtrip" not in SKIP:
            text = dumps(article)
            again = loads(text)
            check(
                "roundtrip",
                again == [article] or (IGNORE_KNOWN and known_roundtrip_failure(article, again)),
                "loads(dumps(a)) != [a]\n  a = %r\n  text = %r\n  back = %r",
                article,
                text,
                again,
            )

    if "strict" in SKIP:
        return
    # Strict parse builds each record strict iter_records yields: the first builder problem in
    # those records is raised, else strict iter_records' own error.
    strict_records, record_error = strict_outcome
    expected: tuple[str | None, int | None] | None = None
    index = 0
    for record in strict_records:
        if record.fields:
            if builder_problems[index]:
                expected = (builder_problems[index][0].code, builder_problems[index][0].line)
                break
            index += 1
    if expected is None and record_error is not None:
        expected = (record_error.code, record_error.line)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            strict_articles = list(parse(io.BytesIO(data), format="medline", strict=True))
    except ParseError as error:
        check(
            "strict",
            (error.code, error.line) == expected,
            "strict parse raised %s; expected %s",
            (error.code, error.line),
            expected,
        )
        problems = [d for r in records if not r.fields for d in problems_of(r.diagnostics)]
        problems += [d for a in articles for d in problems_of(a.diagnostics)]
        first = first_problem(problems)
        check(
            "strict-first",
            (error.code, error.line) == (first.code, first.line),
            "strict parse raised %s but the first problem (lowest line) is %s",
            (error.code, error.line),
            (first.code, first.line),
        )
    else:
        check("strict", expected is None, "strict parse did not raise; expected %s", expected)
        check("strict", strict_articles == articles, "strict articles differ from lenient ones")


def check_paths(data: bytes, records: list[Record], workdir: Path) -> None:
    if "paths" in SKIP or zlib.crc32(data) % 8:
        return
    plain = workdir / "input.txt"
    plain.write_bytes(data)
    if data.startswith(b"\x1f\x8b"):
        with contextlib.suppress(SourceError):  # the plain file itself is taken for gzip data
            list(iter_records(plain))
        return
    same = snapshot(list(iter_records(plain))) == snapshot(records)
    check("paths", same, "reading from a path differs")
    packed = workdir / "input.txt.gz"
    compressed = gzip.compress(data, mtime=0)
    packed.write_bytes(compressed)
    same = snapshot(list(iter_records(packed))) == snapshot(records)
    check("paths", same, "reading a gzip file differs")
    packed.write_bytes(compressed[: len(compressed) // 2])
    try:
        list(iter_records(packed))
    except SourceError:
        return
    check("paths", False, "a gzip file cut in half read without a SourceError")


def check_gzip(data: bytes, records: list[Record]) -> None:
    """The input as gzip data in a file object: whole, in two members, and cut short."""
    if "gzip" in SKIP:
        return
    whole = gzip.compress(data, mtime=0)
    got = list(iter_records(io.BytesIO(whole)))
    check("gzip", snapshot(got) == snapshot(records), "gzip data reads differently")
    middle = len(data) // 2
    two = gzip.compress(data[:middle], mtime=0) + gzip.compress(data[middle:], mtime=0)
    got = list(iter_records(io.BytesIO(two)))
    check("gzip", snapshot(got) == snapshot(records), "two gzip members read differently")
    cut = whole[: len(whole) * 2 // 3]
    got = []
    try:
        for record in iter_records(io.BytesIO(cut)):
            got.append(record)
    except SourceError:
        # Complete records are those of the input; the last one may be cut short (its text
        # ended early), or a line left in pieces.
        same = snapshot(got[:-1]) == snapshot(records[: max(0, len(got) - 1)])
        check("gzip", same, "cut gzip data gave other records than the input")
        check(
            "gzip", expected_text(data).startswith("".join(r.source for r in got)), "not a prefix"
        )  # type: ignore[union-attr]
        return
    check("gzip", len(cut) < 2, "gzip data cut short read without a SourceError")


def check_encodings(data: bytes, records: list[Record]) -> None:
    """Valid UTF-8 input re-encoded as UTF-16/32 with a BOM reads the same; any input read with
    a codec drawn from it adds up to its decoding with that codec."""
    if "encodings" in SKIP:
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    codec = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")[zlib.crc32(data) % 4]
    # (UTF-16-LE's mark and a NUL character are UTF-32-LE's mark: read as UTF-32, like Python's
    # own "utf-32" codec does)
    if text is not None and not text.startswith("\ufeff") and not text.startswith("\x00"):
        mark = next(m for m, name in _BOMS if name == codec)
        encoded = mark + text.encode(codec, "surrogatepass")
        got = list(iter_records(io.BytesIO(encoded)))
        check(
            "encodings",
            snapshot(got, False) == snapshot(records, False),
            "the input saved as %s reads differently",
            codec,
        )
    encoding = _CODECS[zlib.crc32(data, 7) % len(_CODECS)]
    expected = expected_text(data, encoding)
    got = []
    try:
        for record in iter_records(io.BytesIO(data), encoding=encoding):
            got.append(record)
    except SourceError as error:
        check("encodings", expected is None, "%s: %s", encoding, error)
        return
    check("encodings", expected is not None, "%s read what the codec refuses", encoding)
    joined = "".join(r.source for r in got)
    check("encodings", joined == expected, "%s: sources %r != %r", encoding, joined, expected)


def check_gzip_stream(data: bytes) -> None:
    """Bytes that start like gzip data are decompressed (a damaged stream raises SourceError)."""
    for strict in (False, True):
        for read in (iter_records, parse):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    list(read(io.BytesIO(data), strict=strict))
            except (SourceError, ParseError):
                pass


_WORKDIR: Path | None = None


def _scratch_dir(prefix: str) -> str:
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None  # files in memory when possible
    return tempfile.mkdtemp(prefix=prefix, dir=shm)


def run_one(data: bytes) -> None:
    """All checks on one input; raises on the first failure."""
    global _WORKDIR
    if _WORKDIR is None:
        _WORKDIR = Path(os.environ.get("MEDLINE_FUZZ_WORKDIR") or _scratch_dir("medline-fuzz-"))
    started = time.process_time()
    if data.startswith(b"\x1f\x8b"):  # gzip data, decompressed by the reader: only I/O errors
        check_gzip_stream(data)
        return
    try:
        records = check_records(data)
        strict_outcome = check_strict_records(data, records)
        check_articles(data, records, strict_outcome)
        check_paths(data, records, _WORKDIR)
        check_gzip(data, records)
        check_encodings(data, records)
    except (CheckFailed, MedlineError, OSError) as error:
        if isinstance(error, CheckFailed):
            raise
        # Lenient reading of in-memory bytes (and of the files written above) may raise nothing.
        raise CheckFailed(f"[crash] {type(error).__name__}: {error}") from error
    elapsed = time.process_time() - started
    check("speed", elapsed < SLOW_SECONDS, f"{len(data)} bytes took {elapsed:.2f} s of CPU time")


# -- seeds ----------------------------------------------------------------------------------------------


def seed_files() -> list[Path]:
    """The project's own sample files: tests/fixtures/** and examples/data/* (never ../shared)."""
    found: list[Path] = []
    for base, pattern in ((ROOT / "tests" / "fixtures", "**/*"), (ROOT / "examples" / "data", "*")):
        found.extend(p for p in sorted(base.glob(pattern)) if p.is_file() and p.suffix != ".md")
    return found


def split_seed(data: bytes) -> Iterator[bytes]:
    """Each record alone (small seeds fuzz faster) and the whole file when it is small."""
    if len(data) <= 8192:
        yield data
    chunks = re.split(rb"(?<=\n)(?:\r?\n)+", data)  # line endings kept as they are
    if len(chunks) > 1:
        for chunk in chunks:
            if chunk.strip():
                yield chunk


def make_corpus(directory: Path) -> int:
    count = 0
    directory.mkdir(parents=True, exist_ok=True)
    for path in seed_files():
        for index, piece in enumerate(split_seed(path.read_bytes())):
            (directory / f"seed-{path.parent.name}-{path.name}-{index}").write_bytes(piece)
            count += 1
    return count


# -- the plain mutation loop (no atheris) -------------------------------------------------------------

_TOKENS = [
    b"PMID- ",
    b"PMID-",
    b"TI  - ",
    b"AB  - ",
    b"AU  - ",
    b"FAU - ",
    b"AD  - ",
    b"DP  - ",
    b"PHST- ",
    b"EDAT- ",
    b"DCOM- ",
    b"OTO - ",
    b"OT  - ",
    b"PMC - ",
    b"OWN - ERIC",
    b"      ",
    b"       ",
    b"    ",
    b"\t",
    b" - ",
    b"TI - ",
    b"STAT- ",
    b"\n",
    b"\r\n",
    b"\r",
    b"\n\n",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xc3",
    b"\xe9",
    b"\xe2\x82",
    b"\x85",
    b"\x0c",
    b"\xe2\x80\xa8",
    b" [received]",
    b"2020/13/01 00:00",
    b"2021 Feb 29",
    b"HIV- ",
    b"x" * 200,
    b"AB  - " + b"long words " * 40,
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00" * 64,
    b"\r" * 32,
    b"\x1f\x8b",
    b"PMID- \n",
    b"PMID- abc",
    b"PMID- 00",
    b"\xed\xa0\x80",
]


def mutate(data: bytes, rng: random.Random, pool: list[bytes]) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(8)
        at = rng.randint(0, len(out))
        if kind == 0 and out:  # flip a byte
            i = rng.randrange(len(out))
            out[i] = rng.randrange(256)
        elif kind == 1:  # insert a token
            out[at:at] = rng.choice(_TOKENS)
        elif kind == 2 and out:  # delete a run
            end = min(len(out), at + rng.randint(1, 16))
            del out[at:end]
        elif kind == 3 and out:  # duplicate a run
            start = rng.randrange(len(out))
            out[at:at] = out[start : start + rng.randint(1, 64)]
        elif kind == 4 and pool:  # splice another input
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            out[at:at] = other[start : start + rng.randint(1, 200)]
        elif kind == 5:  # random bytes
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 6 and out:  # truncate
            del out[rng.randint(0, len(out)) :]
        else:  # change line endings
            out = bytearray(bytes(out).replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n"])))
    return bytes(out[:8192])


def plain_loop(corpus: Path, seconds: float, artifacts: Path, seed: int) -> int:
    rng = random.Random(seed)
    pool = [p.read_bytes()[:8192] for p in sorted(corpus.iterdir()) if p.is_file()] or [b""]
    deadline = time.monotonic() + seconds
    runs = failures = 0
    seen: set[str] = set()
    for data in pool:  # the seeds themselves first
        runs += 1
        failures += _run_logged(data, artifacts, seen)
    while time.monotonic() < deadline:
        data = mutate(rng.choice(pool), rng, pool)
        runs += 1
        if _run_logged(data, artifacts, seen):
            failures += 1
        elif rng.random() < 0.01 and len(pool) < 5000:
            pool.append(data)  # no coverage feedback: keep a few mutants for variety
    print(f"plain loop: {runs} runs in {seconds:.0f} s, {failures} failing inputs", flush=True)
    return 1 if failures else 0


def _run_logged(data: bytes, artifacts: Path, seen: set[str]) -> int:
    # a hang (a quadratic corner, say) is cut short and reported like a crash
    signal.setitimer(signal.ITIMER_VIRTUAL, max(1.0, SLOW_SECONDS * 5))  # CPU time
    try:
        run_one(data)
    except Exception as error:  # every failure is saved and reported, the loop goes on
        text = str(error)
        kind = text.split("]", 1)[0] + "]" if text.startswith("[") else type(error).__name__
        name = "crash-" + hashlib.sha1(data).hexdigest()
        artifacts.mkdir(parents=True, exist_ok=True)
        (artifacts / name).write_bytes(data)
        if kind not in seen:
            seen.add(kind)
            print(f"FAIL {kind}: {text[:600]}\n  input saved as {artifacts / name}", flush=True)
        return 1
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    return 0


# -- minimising a failing input ----------------------------------------------------------------------


def failure_kind(data: bytes) -> str | None:
    """The ``[check]`` label of the first failing check on *data*, or None when all pass."""
    try:
        run_one(data)
    except Exception as error:
        text = str(error)
        return text.split("]", 1)[0] + "]" if text.startswith("[") else type(error).__name__
    return None


def minimize(data: bytes) -> bytes:
    """Shrink *data* while it fails the same check: drop lines, then bytes (delta debugging)."""
    kind = failure_kind(data)
    if kind is None:
        return data
    for unit in ("lines", "bytes"):
        chunks: list[bytes] = (
            data.splitlines(True) if unit == "lines" else [bytes((b,)) for b in data]
        )
        size = max(1, len(chunks) // 2)
        while size >= 1:
            i = 0
            while i < len(chunks):
                trial = chunks[:i] + chunks[i + size :]
                if failure_kind(b"".join(trial)) == kind:
                    chunks = trial
                else:
                    i += size
            size //= 2
        data = b"".join(chunks)
    return data


# -- entry point ----------------------------------------------------------------------------------------


def _atheris_target(data: bytes) -> None:
    run_one(data)


class Hang(Exception):
    """An input ran past the plain loop's time limit."""


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise Hang(f"[speed] an input ran for more than {max(1.0, SLOW_SECONDS * 5)} s")


def _offline(to_minimize: Path | None, to_reproduce: list[Path]) -> int:
    """--minimize and --reproduce: run the checks on saved inputs."""
    if to_minimize is not None:
        data = to_minimize.read_bytes()
        print(f"{failure_kind(data)}: {minimize(data)!r}")
        return 0
    status = 0
    for path in to_reproduce:
        try:
            run_one(path.read_bytes())
            print(f"{path}: ok")
        except Exception as error:
            status = 1
            print(f"{path}: FAIL {error}")
    return status


def main(argv: list[str]) -> int:
    global SLOW_SECONDS, IGNORE_KNOWN
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], add_help=True)
    parser.add_argument("--seconds", type=float, help="fuzz for this long (-max_total_time)")
    parser.add_argument("--no-atheris", action="store_true", help="use the plain mutation loop")
    parser.add_argument("--skip", action="append", default=[], choices=CHECKS, help="a check")
    parser.add_argument(
        "--all-checks", action="store_true", help=f"also run {', '.join(sorted(DEFAULT_SKIP))}"
    )
    parser.add_argument("--corpus", type=Path, help="corpus directory (default: a temp dir)")
    parser.add_argument("--artifacts", type=Path, default=Path.cwd(), help="where crashes go")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the plain loop")
    parser.add_argument("--slow", type=float, default=SLOW_SECONDS, help="seconds per input")
    parser.add_argument("--reproduce", nargs="+", type=Path, help="run the checks on files")
    parser.add_argument("--minimize", type=Path, help="shrink a failing input and print it")
    parser.add_argument(
        "--ignore-known", action="store_true", help="pass inputs that show only known failures"
    )
    parser.add_argument("--atheris-child", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv[1:])
    if args.all_checks:
        SKIP.clear()
    SKIP.update(args.skip)
    SLOW_SECONDS = args.slow
    IGNORE_KNOWN = args.ignore_known

    if args.minimize or args.reproduce:
        scratch = Path(_scratch_dir("medline-fuzz-"))
        os.environ["MEDLINE_FUZZ_WORKDIR"] = str(scratch)
        try:
            return _offline(args.minimize, args.reproduce or [])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    if args.atheris_child:  # the process atheris runs in (it exits without cleaning up)
        atheris.Setup([argv[0], *rest], _atheris_target)
        atheris.Fuzz()
        return 0  # pragma: no cover - atheris.Fuzz() exits the process itself

    own_corpus = args.corpus is None
    corpus = Path(tempfile.mkdtemp(prefix="medline-corpus-")) if own_corpus else args.corpus
    scratch = Path(_scratch_dir("medline-fuzz-"))
    os.environ["MEDLINE_FUZZ_WORKDIR"] = str(scratch)
    try:
        count = make_corpus(corpus)
        print(f"corpus {corpus}: {count} seed inputs from the project's fixtures", flush=True)
        if HAVE_ATHERIS and not args.no_atheris:
            flags = [a for a in rest if a.startswith("-")]
            dirs = [a for a in rest if not a.startswith("-")]
            if args.seconds is not None:
                flags.append(f"-max_total_time={int(args.seconds)}")
            if not any(f.startswith("-timeout=") for f in flags):
                flags.append(f"-timeout={max(5, int(SLOW_SECONDS * 5))}")
            if not any(f.startswith("-max_len=") for f in flags):
                flags.append("-max_len=4096")
            if not any(f.startswith("-artifact_prefix=") for f in flags):
                flags.append(f"-artifact_prefix={args.artifacts}{os.sep}")
            ours = [f"--skip={name}" for name in sorted(SKIP)]
            ours += ["--all-checks", f"--slow={SLOW_SECONDS}", "--atheris-child"]
            ours += ["--ignore-known"] if IGNORE_KNOWN else []
            child = [sys.executable, str(Path(__file__).resolve()), *ours, *flags]
            return subprocess.call([*child, str(corpus), *dirs])
        if not HAVE_ATHERIS and not args.no_atheris:
            print("atheris is not installed: running the plain mutation loop", flush=True)
        seconds = args.seconds
        if seconds is None:
            flag = next((a for a in rest if a.startswith("-max_total_time=")), None)
            seconds = float(flag.split("=", 1)[1]) if flag else 60.0
        signal.signal(signal.SIGVTALRM, _alarm)
        return plain_loop(corpus, seconds, args.artifacts, args.seed)
    finally:
        if own_corpus:
            shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
