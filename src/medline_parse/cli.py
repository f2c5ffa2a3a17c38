"""The ``medline`` command-line tool: ``check``, ``convert``, ``stats`` and ``fmt``.

Exit status: 0 when all went well, 1 when an input had problems or could not be read, 2 for a
usage error.  Errors about one input are one line on standard error, ``medline: FILE: reason``,
and the other inputs are still processed.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gzip
import hashlib
import io
import os
import sqlite3
import sys
import tempfile
import time
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, TextIO

import attrs

from . import __version__
from .byte_sources import peek
from .errors import Diagnostic, MedlineError, MedlineWarning, Severity
from .eutils import command as fetch_command
from .medline.wrap import STYLES
from .model import Article
from .reader import collect, detect_format, iter_events, iter_records, parse

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

_READ_ERRORS = (MedlineError, OSError, EOFError, zlib.error)
_NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
_TEXT_FORMATS = ("jsonl", "json", "csv", "ris", "bibtex", "csl-json", "medline")


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


def _reason(error: BaseException, path: str) -> str:
    """The message of *error*, without a leading copy of *path*."""
    if isinstance(error, OSError) and not isinstance(error, MedlineError) and error.strerror:
        return error.strerror.lower() if error.strerror[:1].isupper() else error.strerror
    text = str(error).split("\n", 1)[0]
    for prefix in (f"{path}: ", f"{path}:"):
        if text.startswith(prefix) and not text[len(prefix) :][:1].isdigit():
            return text[len(prefix) :]
    return text or type(error).__name__


# -- reading many inputs ---------------------------------------------------------------------------


class _Counting(io.RawIOBase):
    """A binary file that reports how many bytes were read from it (for the progress bar)."""

    def __init__(self, handle: IO[bytes], name: str, advance: Callable[[int], object]) -> None:
        self._handle = handle
        self.name = name  # what diagnostics call the file
        self._advance = advance

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        if data:
            self._advance(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._handle.close()
        super().close()


class _Progress:
    """A tqdm bar on standard error, or nothing when tqdm is missing, stderr is no terminal, or
    ``--quiet`` was given."""

    def __init__(self, paths: Sequence[str], err: TextIO, quiet: bool) -> None:
        self.bar: Any = None
        if quiet or not _isatty(err):
            return
        try:
            from tqdm import tqdm  # type: ignore[import-untyped]
        except ImportError:  # the [progress] extra is optional
            return
        total: int | None = 0
        for path in paths:
            try:
                size = os.stat(path).st_size if path != "-" else None
            except OSError:
                size = 0
            total = None if size is None or total is None else total + size
        self.bar = tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=err,
            leave=False,
            dynamic_ncols=True,
            mininterval=0.25,
            delay=0.5,
        )

    def advance(self, size: int) -> None:
        if self.bar is not None:
            self.bar.update(size)

    def describe(self, path: str) -> None:
        if self.bar is not None:
            name = os.path.basename(path) if path != "-" else "<stdin>"
            self.bar.set_description(name if len(name) <= 32 else name[:29] + "...")

    def print(self, text: str, err: TextIO) -> None:
        """Print a line on standard error without breaking the bar."""
        if self.bar is not None:
            self.bar.clear()
            print(text, file=err)
            self.bar.refresh()
        else:
            print(text, file=err)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@attrs.define
class _Run:
    """What a command met on its inputs: the errors printed, articles and problems counted."""

    err: TextIO
    progress: _Progress | None = None
    errors: int = 0
    articles: int = 0
    problems: int = 0

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress.print(text, self.err)
        else:
            print(text, file=self.err)

    def fail(self, path: str, reason: str) -> None:
        self.errors += 1
        self.say(f"medline: {path}: {reason}")


def _open_source(path: str, progress: _Progress) -> tuple[Any, Callable[[], None]]:
    """The source to parse for *path* and a function that closes what was opened."""
    if path == "-":
        return getattr(sys.stdin, "buffer", sys.stdin), lambda: None
    if progress.bar is None:
        return path, lambda: None
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the returned function
    except OSError:
        return path, lambda: None  # the reader says what is wrong in its own words
    counting = _Counting(handle, path, progress.advance)
    if handle.read(2) == b"\x1f\x8b":
        handle.seek(0)
        stream: Any = gzip.GzipFile(fileobj=counting, mode="rb", filename=path)
        return stream, stream.close
    handle.seek(0)
    return counting, counting.close


def _read_articles(
    paths: Sequence[str], run: _Run, args: argparse.Namespace, progress: _Progress
) -> Iterator[Article]:
    """Every article of every input, in order; an input that fails is reported and skipped."""
    for path in paths:
        progress.describe(path)
        source, close = _open_source(path, progress)
        count = 0
        problems = 0
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MedlineWarning)
                for article in parse(source, strict=args.strict, encoding=args.encoding):
                    count += 1
                    problems += sum(1 for d in article.diagnostics if d.is_problem)
                    yield article
        except _READ_ERRORS as error:
            run.fail(path, _reason(error, path))
            continue
        finally:
            close()
        run.articles += count
        run.problems += problems
        if count == 0:
            run.fail(path, "no MEDLINE records found")
        elif problems and not args.quiet:
            label = "problem" if problems == 1 else "problems"
            run.say(f"medline: {path}: {problems} {label} in the input (medline check shows them)")


# -- check -----------------------------------------------------------------------------------------


def _checked(source: Any, args: argparse.Namespace) -> Iterator[tuple[bool, Sequence[Any]]]:
    """Each record of *source* as (has fields, diagnostics): MEDLINE records, or the articles of
    PubMed XML (whose deletion notices are no records)."""
    head, source = peek(source)
    if detect_format(head) == "xml":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MedlineWarning)
            for event in iter_events(
                source, format="xml", strict=args.strict, encoding=args.encoding
            ):
                if isinstance(event, Article):
                    yield True, event.diagnostics
        # The damage that ended the reading (lenient mode warns of it): a problem of the file.
        damage = [getattr(w.message, "diagnostic", None) for w in caught]
        yield False, [diagnostic for diagnostic in damage if isinstance(diagnostic, Diagnostic)]
        return
    for record in iter_records(source, strict=args.strict, encoding=args.encoding):
        yield bool(record.fields), record.diagnostics


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    total_records = 0
    total_problems = 0
    for path in args.files:
        source = getattr(sys.stdin, "buffer", sys.stdin) if path == "-" else path
        records = 0
        problems = 0
        notes = 0
        try:
            for has_fields, diagnostics in _checked(source, args):
                if has_fields:
                    records += 1
                for diagnostic in diagnostics:
                    if diagnostic.severity is Severity.INFO:
                        notes += 1
                        if not args.verbose:
                            continue
                    else:
                        problems += 1
                    print(diagnostic, file=out)
        except _READ_ERRORS as error:
            print(f"medline check: {error}", file=err)
            problems += 1
        if records == 0 and problems == 0:
            print(f"{path}: no MEDLINE records found", file=out)
            problems += 1
        label = "problem" if problems == 1 else "problems"
        print(f"{path}: {records} records, {problems} {label}", file=out)
        total_records += records
        total_problems += problems
    if len(args.files) > 1:
        print(f"total: {total_records} records, {total_problems} problems", file=out)
    return EXIT_PROBLEMS if total_problems else EXIT_OK


# -- convert ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _text_output(target: str | None, out: TextIO) -> Iterator[TextIO]:
    """A UTF-8 text stream for the output: standard output, or a temporary file beside *target*
    that replaces it only when everything was written."""
    if target is None or target == "-":
        buffer = getattr(out, "buffer", None)
        if buffer is None:  # a StringIO standing in for stdout
            yield out
            return
        out.flush()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=False)
        try:
            yield stream
            stream.flush()
        finally:
            stream.detach()
        return
    with _atomic(target, "w") as handle:
        yield handle


@contextlib.contextmanager
def _atomic(target: str, mode: str) -> Iterator[Any]:
    """A file that becomes *target* (``os.replace``) when the block succeeds, and vanishes when it
    fails."""
    directory = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise IsADirectoryError(errno.EISDIR, "is a directory", target)
    try:
        fd, temp = tempfile.mkstemp(prefix=".medline-", suffix=".tmp", dir=directory)
    except OSError as error:
        raise OSError(error.errno, error.strerror, target) from None
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        with contextlib.suppress(OSError):
            if os.path.exists(target):
                os.chmod(temp, os.stat(target).st_mode & 0o7777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _write_text(
    fmt: str, articles: Iterator[Article], stream: TextIO, args: argparse.Namespace
) -> int:
    if fmt in ("jsonl", "json"):
        from .convert import json as json_format

        return json_format.write(
            articles,
            stream,
            lines=fmt == "jsonl",
            omit_empty=args.omit_empty,
            diagnostics=args.diagnostics,
        )
    if fmt == "csv":
        from .convert import csv as csv_format

        return csv_format.write(articles, stream, per_author=args.per_author, sep=args.sep)
    if fmt == "ris":
        from .convert import ris

        return ris.write(articles, stream)
    if fmt == "bibtex":
        from .convert import bibtex

        return bibtex.write(articles, stream)
    if fmt == "csl-json":
        from .convert import csljson

        return csljson.write(articles, stream)
    from .medline.writer import write

    return write(articles, stream, style=args.style, newline=_NEWLINES[args.newline])


def _check_extra(fmt: str) -> None:
    """Fail before reading anything when the format's optional package is missing."""
    if fmt == "ris":
        from .convert.ris import _writer

        _writer()
    elif fmt == "bibtex":
        from .convert.bibtex import _bibtexparser

        _bibtexparser()
    elif fmt == "parquet":
        from .convert.frames import _pyarrow

        _pyarrow()


def _cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = args.to
    if args.files.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    if fmt == "sqlite" and (args.output is None or args.output == "-"):
        raise UsageError("--to sqlite needs -o DATABASE (a file to create or update)")
    if fmt == "parquet" and (args.output is None or args.output == "-") and _isatty(out):
        raise UsageError("--to parquet writes binary data: give -o FILE or redirect the output")
    if args.per_author and fmt not in ("csv", "parquet"):
        raise UsageError("--per-author applies to --to csv and --to parquet")
    try:
        _check_extra(fmt)
    except ImportError as error:
        print(f"medline: {error}", file=err)
        return EXIT_PROBLEMS
    progress = _Progress(args.files, err, args.quiet)
    run = _Run(err, progress)
    articles = _read_articles(args.files, run, args, progress)
    started = time.perf_counter()
    try:
        if fmt == "sqlite":
            from .convert import sqlite

            try:
                summary = sqlite.write(articles, args.output)
            except sqlite3.Error as error:
                print(f"medline: {args.output}: cannot write the database: {error}", file=err)
                return EXIT_PROBLEMS
            detail = f" ({summary.replaced} replaced)" if summary.replaced else ""
            written = summary.articles
        elif fmt == "parquet":
            from .convert import frames

            detail = ""
            if args.output is None or args.output == "-":
                written = frames.write_parquet(
                    articles, sys.stdout.buffer, per_author=args.per_author
                )
            else:
                with _atomic(args.output, "wb") as handle:
                    written = frames.write_parquet(articles, handle, per_author=args.per_author)
        else:
            detail = ""
            with _text_output(args.output, out) as stream:
                written = _write_text(fmt, articles, stream, args)
    finally:
        progress.close()
    if args.output not in (None, "-") and not args.quiet:
        seconds = time.perf_counter() - started
        print(
            f"medline: wrote {written} articles to {args.output}{detail} in {seconds:.1f} s",
            file=err,
        )
    return EXIT_PROBLEMS if run.errors else EXIT_OK


# -- stats -----------------------------------------------------------------------------------------

_BLOCKS = " ▏▎▍▌▋▊▉█"


def _bar(value: int, largest: int, width: int, ascii_only: bool) -> str:
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    if ascii_only:
        return "#" * max(1, round(eighths / 8))
    return "█" * (eighths // 8) + (_BLOCKS[eighths % 8] if eighths % 8 else "")


def _can_draw(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "█▏".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@attrs.define
class _Stats:
    articles: int = 0
    years: Counter[int] = attrs.Factory(Counter)
    no_year: int = 0
    journals: Counter[str] = attrs.Factory(Counter)
    mesh: Counter[str] = attrs.Factory(Counter)
    mesh_major: Counter[str] = attrs.Factory(Counter)
    authors: Counter[str] = attrs.Factory(Counter)
    with_abstract: int = 0
    with_doi: int = 0
    with_orcid: int = 0
    with_mesh: int = 0

    def add(self, article: Article) -> None:
        self.articles += 1
        if article.year is not None:
            self.years[article.year] += 1
        else:
            self.no_year += 1
        journal = article.journal.title or article.journal.abbreviation
        if journal:
            self.journals[journal] += 1
        descriptors = {h.descriptor for h in article.mesh}
        self.mesh.update(descriptors)
        self.mesh_major.update({h.descriptor for h in article.mesh if h.is_major})
        self.with_mesh += bool(descriptors)
        names = {
            a.full_name or a.collective_name or a.name
            for a in article.authors
            if not a.is_et_al and (a.full_name or a.collective_name or a.name)
        }
        self.authors.update(name for name in names if name)
        self.with_abstract += bool(article.abstract)
        self.with_doi += article.doi is not None
        self.with_orcid += any(a.orcid for a in article.authors)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%  ({part:,})" if whole else "    -"


def _print_stats(stats: _Stats, args: argparse.Namespace, out: TextIO) -> None:
    ascii_only = args.ascii or not _can_draw(out)
    n = stats.articles
    files = len(args.files)
    print(f"records      {n:,} in {files} file{'s' if files != 1 else ''}", file=out)
    if stats.years:
        low, high = min(stats.years), max(stats.years)
        print(f"years        {low}-{high}", file=out)
    print(f"abstract     {_share(stats.with_abstract, n)}", file=out)
    print(f"DOI          {_share(stats.with_doi, n)}", file=out)
    print(f"ORCID        {_share(stats.with_orcid, n)}  (an author with an ORCID iD)", file=out)
    print(f"MeSH         {_share(stats.with_mesh, n)}", file=out)
    if stats.years:
        print("\nrecords per year", file=out)
        low, high = min(stats.years), max(stats.years)
        largest = max(stats.years.values())
        width = max(len(f"{largest:,}"), 1)
        lines: list[tuple[str, int]] = []
        year = low
        while year <= high:
            count = stats.years.get(year, 0)
            gap_end = year
            while count == 0 and stats.years.get(gap_end + 1, 0) == 0 and gap_end < high:
                gap_end += 1
            if gap_end - year >= 2:  # a long run of empty years takes one line
                lines.append((f"{year}-{gap_end}", 0))
                year = gap_end + 1
            else:
                lines.append((str(year), count))
                year += 1
        if stats.no_year:
            lines.append(("no year", stats.no_year))
        label_width = max(len(label) for label, _ in lines)
        for label, count in lines:
            bar = _bar(count, largest, args.width, ascii_only)
            print(f"  {label:<{label_width}}  {count:>{width},}  {bar}".rstrip(), file=out)

    def table(title: str, counter: Counter[str], mark: Counter[str] | None = None) -> None:
        if not counter:
            return
        print(f"\n{title}", file=out)
        top = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[: args.top]
        width = len(f"{top[0][1]:,}")
        for name, count in top:
            if mark is not None:
                major = mark.get(name, 0)
                flag = f"*{major:<{width},}" if major else " " * (width + 1)
                print(f"  {count:>{width},}  {flag}  {name}", file=out)
            else:
                print(f"  {count:>{width},}  {name}", file=out)

    table("top journals", stats.journals)
    table(
        "top MeSH descriptors (records; *N = a major topic in N of them)",
        stats.mesh,
        stats.mesh_major,
    )
    table("top authors (by full name)", stats.authors)


def _cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    progress = _Progress(args.files, err, args.quiet)
    run = _Run(err, progress)
    stats = _Stats()
    try:
        for article in _read_articles(args.files, run, args, progress):
            stats.add(article)
    finally:
        progress.close()
    if stats.articles:
        _print_stats(stats, args, out)
    return EXIT_PROBLEMS if run.errors else EXIT_OK


# -- fmt -------------------------------------------------------------------------------------------

_LOSSY = frozenset({"junk-line"})  # text a rewrite would drop


def _newline_of(data: bytes) -> str:
    """The line ending of the first line of *data* (``\\n`` when it has none)."""
    for index, byte in enumerate(data):
        if byte == 0x0A:
            return "\n"
        if byte == 0x0D:
            return "\r\n" if data[index + 1 : index + 2] == b"\n" else "\r"
    return "\n"


_HEAD = 1 << 16  # what fmt keeps of a file's start (the layout is read from its first lines)


def _fmt_input(path: str) -> tuple[bytes, bytes, bool]:
    """The first bytes of the file (decompressed), a digest of all of them, and whether it is
    gzip data: read in blocks, so that a small file that unpacks to gigabytes is no memory bomb."""
    digest = hashlib.sha256()
    head = b""
    with open(path, "rb") as handle:
        compressed = handle.read(2) == b"\x1f\x8b"
        handle.seek(0)
        stream: Any = gzip.GzipFile(fileobj=handle, mode="rb") if compressed else handle
        while True:
            block = stream.read1(1 << 18) if compressed else stream.read(1 << 18)
            if not block:
                break
            if len(head) < _HEAD:
                head += block[: _HEAD - len(head)]
            digest.update(block)
    return head, digest.digest(), compressed


def _formatted(path: str, head: bytes, args: argparse.Namespace) -> tuple[bytes, str | None]:
    """The canonical bytes of the file, or ``(b"", reason)`` when it should not be rewritten."""
    from .medline.writer import dumps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        articles = collect(parse(path, strict=args.strict, encoding=args.encoding))
    if not articles:
        return b"", "no MEDLINE records found"
    for article in articles:
        for diagnostic in article.diagnostics:
            if diagnostic.code in _LOSSY:
                where = f"line {diagnostic.line}: " if diagnostic.line else ""
                return b"", (
                    f"{where}{diagnostic.message}; rewriting would drop it, fix it first "
                    f"(see: medline check {path})"
                )
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    newline = _newline_of(body.lstrip(b"\r\n") or body)
    leading = body[:1] in (b"\n", b"\r")  # legacy and efetch files start with an empty line
    text = dumps(articles, style=args.style, newline=newline, leading_blank_line=leading)
    return text.encode(args.encoding or "utf-8"), None


def _cmd_fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if "-" in args.files:
        raise UsageError("fmt rewrites files in place; it cannot read standard input")
    run = _Run(err)
    changed = 0
    for path in args.files:
        try:
            head, digest, compressed = _fmt_input(path)
            new, reason = _formatted(path, head, args)
        except IsADirectoryError:
            run.fail(path, "is a directory, not a MEDLINE file")
            continue
        except FileNotFoundError:
            run.fail(path, "no such file")
            continue
        except _READ_ERRORS as error:
            run.fail(path, _reason(error, path))
            continue
        if reason is not None:
            run.fail(path, f"not rewritten: {reason}")
            continue
        if hashlib.sha256(new).digest() == digest:
            continue
        changed += 1
        if args.check:
            print(f"would reformat {path}", file=out)
            continue
        try:
            with _atomic(path, "wb") as handle:
                handle.write(gzip.compress(new, mtime=0) if compressed else new)
        except OSError as error:
            run.fail(path, f"cannot write: {_reason(error, path)}")
            continue
        if not args.quiet:
            print(f"reformatted {path}", file=err)
    if not args.quiet or args.check:
        files = len(args.files)
        verb = "would be reformatted" if args.check else "reformatted"
        print(
            f"{changed} of {files} file{'s' if files != 1 else ''} {verb}",
            file=err if not args.check else out,
        )
    if run.errors or (args.check and changed):
        return EXIT_PROBLEMS
    return EXIT_OK


# -- the parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``medline`` command."""
    parser = argparse.ArgumentParser(
        prog="medline",
        description="Read, check, convert and rewrite PubMed MEDLINE (.txt, .nbib) files.",
        epilog="Exit status: 0 ok, 1 problems in the input or an input that cannot be read, "
        "2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"medline-parse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--encoding", metavar="CODEC", help="decode the input with CODEC instead of UTF-8"
    )
    reading.add_argument("--strict", action="store_true", help="stop at the first problem")

    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no notes on stderr"
    )

    check = commands.add_parser(
        "check",
        parents=[reading],
        help="count records and report every problem with its line number",
        description="Count the records of each file and print every diagnostic with file and "
        "line. Exit status 1 when there is any problem.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file, or - for stdin")
    check.add_argument("-v", "--verbose", action="store_true", help="also print notes")
    check.set_defaults(handler=_cmd_check, command_parser=check)

    convert = commands.add_parser(
        "convert",
        parents=[reading, quiet],
        help="convert to JSON, CSV, RIS, BibTeX, CSL-JSON, MEDLINE, SQLite or Parquet",
        description="Convert MEDLINE files to another format, on standard output unless -o is "
        "given. Inputs that cannot be read are reported and skipped (exit status 1).",
    )
    convert.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file, or - for stdin")
    convert.add_argument(
        "-t",
        "--to",
        required=True,
        metavar="FORMAT",
        choices=(
            "jsonl",
            "json",
            "csv",
            "ris",
            "bibtex",
            "csl-json",
            "medline",
            "sqlite",
            "parquet",
        ),
        help="jsonl, json, csv, ris, bibtex, csl-json, medline, sqlite or parquet",
    )
    convert.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file (replaced when complete); for sqlite the database to create or update",
    )
    convert.add_argument(
        "--style",
        choices=STYLES,
        default="pubmed",
        help="layout of --to medline output (default: pubmed)",
    )
    convert.add_argument(
        "--newline",
        choices=tuple(_NEWLINES),
        default="lf",
        help="line endings of --to medline output (default: lf)",
    )
    convert.add_argument(
        "--per-author",
        action="store_true",
        help="csv, parquet: one row per author (with affiliations and ORCID) instead of per article",
    )
    convert.add_argument(
        "--sep",
        default="; ",
        help='csv: separator of list columns (default: "; ")',
    )
    convert.add_argument(
        "--omit-empty",
        action="store_true",
        help="json, jsonl: leave out null values and empty lists",
    )
    convert.add_argument(
        "--diagnostics",
        action="store_true",
        help="json, jsonl: add each article's reading problems",
    )
    convert.set_defaults(handler=_cmd_convert, command_parser=convert)

    stats = commands.add_parser(
        "stats",
        parents=[reading, quiet],
        help="records, years, top journals, MeSH descriptors and authors",
        description="Summarise MEDLINE files: records, year range and a histogram per year, top "
        "journals, MeSH descriptors and authors, and how many records have an abstract, a DOI "
        "and an author ORCID.",
    )
    stats.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file, or - for stdin")
    stats.add_argument("--top", type=int, default=10, metavar="N", help="rows per table (10)")
    stats.add_argument("--width", type=int, default=40, help="width of the longest bar (40)")
    stats.add_argument("--ascii", action="store_true", help="draw bars with # only")
    stats.set_defaults(handler=_cmd_stats, command_parser=stats)

    fmt = commands.add_parser(
        "fmt",
        parents=[reading, quiet],
        help="rewrite files in PubMed's canonical layout, in place",
        description="Rewrite MEDLINE files in place in PubMed's canonical layout (wrapping, "
        "spacing, one empty line between records), keeping each file's line endings. Files "
        "with text that is not MEDLINE are left alone.",
    )
    fmt.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file")
    fmt.add_argument(
        "--style", choices=STYLES, default="pubmed", help="layout to write (default: pubmed)"
    )
    fmt.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the files that would change (exit status 1 if any)",
    )
    fmt.set_defaults(handler=_cmd_fmt, command_parser=fmt)
    fetch_command.add_parser(commands)  # handler: fetch_command.run
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``medline`` command; returns its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args, sys.stdout, sys.stderr)
    except UsageError as error:
        args.command_parser.print_usage(sys.stderr)
        print(f"medline {args.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output went away (| head): stop quietly.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (MedlineError, OSError) as error:
        filename = getattr(error, "filename", None)
        where = f"{filename}: " if isinstance(filename, str) else ""
        print(f"medline: {where}{_reason(error, where[:-2])}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    return status
