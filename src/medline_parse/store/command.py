"""``medline sync``: apply PubMed's baseline and update files to a SQLite database, and
``medline sync --status``: what a database holds.

Exit status: 0 when every file was applied or skipped (applied before), 1 when a file was refused
(nothing of it or after it was applied) or the database cannot be used, 2 for usage errors, 130
when interrupted (the database then holds every file applied before).
"""

from __future__ import annotations

import argparse
import time
from typing import IO, Any, TextIO

from ..cli.common import codec
from ..errors import MedlineError
from .status import SyncStatus, status
from .syncing import FileReport, SyncError, SyncProgress, SyncSummary, sync

__all__ = ["add_parser", "run"]

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


class _Usage(Exception):
    pass


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``sync`` subcommand to *commands* (the subparsers of ``medline``)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "sync",
        help="apply PubMed's baseline and update files to a SQLite database (the current view)",
        description="Apply PubMed XML files (the annual baseline, then the daily update files) or "
        "MEDLINE text files to the SQLite database DB, so that it holds the current view: the "
        "newest version of every record, without the deleted ones. Files named pubmedYYnNNNN "
        "apply in NLM's order whatever order they are given in, others in the order given; each "
        "in one transaction, recorded in DB, so running the same command again applies only "
        "what is new and an interrupted run goes on from the last whole file. A file's .md5 "
        "beside it is checked first.",
        epilog="Exit status: 0 done, 1 a file was refused (changed since it was applied, a "
        "checksum mismatch, out of order, damaged; nothing after it was applied), 2 usage error.",
    )
    parser.add_argument("database", metavar="DB", help="the SQLite database (created if missing)")
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="PubMed XML or MEDLINE files (.gz too); .md5 files are used to check them",
    )
    parser.add_argument(
        "--status",
        action="store_true",
        help="apply nothing; list the files DB holds, with their counts and when they were applied",
    )
    parser.add_argument(
        "-n",
        "--dry-run",
        action="store_true",
        help="change nothing; list which files would be applied, skipped or refused",
    )
    parser.add_argument(
        "--strict", action="store_true", help="refuse a file at the first problem in its records"
    )
    parser.add_argument(
        "--encoding",
        metavar="CODEC",
        type=codec,
        help="decode MEDLINE text files with CODEC instead of UTF-8",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per file applied")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no progress and no summary; errors still shown"
    )
    parser.set_defaults(handler=run, command_parser=parser)
    return parser


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    if seconds < 59.5:
        return f"{max(0.0, seconds):.1f}s"
    seconds = round(seconds)
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class _Line:
    """Progress on a terminal: one line on standard error, redrawn at most four times a second."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.drawn = False
        self.last = 0.0

    def __call__(self, where: SyncProgress) -> None:
        now = time.monotonic()
        if now - self.last < 0.25 and where.current is not None:
            return
        self.last = now
        text = f"medline sync: {where.files_done}/{where.files_total} files"
        if where.seconds > 0 and where.records:
            text += f", {where.records / where.seconds:,.0f} records/s"
        if where.bytes_done and where.bytes_total > where.bytes_done and where.seconds > 1:
            left = (where.bytes_total - where.bytes_done) * where.seconds / where.bytes_done
            text += f", ETA {_duration(left)}"
        if where.current:
            text += f"  {where.current}"
        if where.indexing:
            text = (
                f"medline sync: {where.files_done}/{where.files_total} files, building the indexes"
            )
        self.err.write(f"\r\x1b[K{text}")
        self.err.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.drawn = False


def _file_line(report: FileReport) -> str:
    if report.action == "skipped":
        return f"skip         {report.name}  ({report.reason})"
    if report.action == "would apply":
        return f"would apply  {report.name}"
    if report.action == "refused":
        return f"refuse       {report.name}"
    parts = [f"{report.added:,} added", f"{report.replaced:,} replaced"]
    if report.deleted or report.deletions:
        parts.append(f"{report.deleted:,} deleted")
    if report.older:
        parts.append(f"{report.older:,} older ignored")
    return (
        f"applied      {report.name}: {report.records:,} records ({', '.join(parts)}) "
        f"in {report.seconds:.1f} s"
    )


def _summary(summary: SyncSummary) -> str:
    applied = len(summary.applied)
    text = f"medline sync: applied {applied:,} file{'s' if applied != 1 else ''}"
    if summary.skipped:
        text += f" ({len(summary.skipped):,} skipped: applied before)"
    if applied:
        parts = [f"{summary.added:,} added", f"{summary.replaced:,} replaced"]
        parts.append(f"{summary.deleted:,} deleted")
        if summary.older:
            parts.append(f"{summary.older:,} older versions ignored")
        text += f": {summary.records:,} records ({', '.join(parts)})"
        seconds = sum(f.seconds for f in summary.applied)
        if seconds > 0:
            text += f" in {_duration(seconds)}, {summary.records / seconds:,.0f} records/s"
    return f"{text}; {summary.database} holds {summary.articles:,} articles"


def _print_status(found: SyncStatus, out: TextIO) -> None:
    count = len(found.files)
    head = (
        f"{found.database}: {found.articles:,} articles, {count:,} file{'s' if count != 1 else ''}"
    )
    head += " applied"
    if found.last_applied:
        head += f", the last at {found.last_applied}"
    print(f"{head} (schema {found.schema_version})", file=out)
    if found.indexes_deferred:
        print("  the indexes are not built yet: the next medline sync builds them", file=out)
    if not found.files:
        return
    header = ("file", "records", "added", "replaced", "deleted", "applied (UTC)")
    rows = [
        (
            f.name,
            f"{f.records:,}",
            f"{f.added:,}",
            f"{f.replaced:,}",
            f"{f.deleted:,}",
            f.applied_at.replace("T", " ").rstrip("Z"),
        )
        for f in found.files
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:5], widths[1:5])]
        cells.append(row[5])
        print("  " + "  ".join(cells), file=out)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``medline sync`` with parsed *args*; returns the exit status."""
    parser: argparse.ArgumentParser | None = getattr(args, "command_parser", None)
    try:
        if args.status:
            if args.files or args.dry_run:
                raise _Usage("--status takes the database only")
        elif not args.files:
            raise _Usage("give the files to apply (or --status to see what DB holds)")
        if "-" in args.files or args.database == "-":
            raise _Usage("sync reads files, not standard input (a file is known by its name)")
    except _Usage as error:
        if parser is not None:
            parser.print_usage(err)
        print(f"medline sync: error: {error}", file=err)
        return EXIT_USAGE
    if args.status:
        try:
            found = status(args.database)
        except (MedlineError, OSError) as error:
            print(f"medline sync: error: {error}", file=err)
            return EXIT_REFUSED
        _print_status(found, out)
        return EXIT_OK
    line = _Line(err) if not args.quiet and _isatty(err) else None
    try:
        summary = sync(
            args.database,
            args.files,
            dry_run=args.dry_run,
            strict=args.strict,
            encoding=args.encoding,
            progress=line,
        )
    except SyncError as error:
        if line is not None:
            line.clear()
        done = error.summary
        if args.verbose or args.dry_run:
            for report in done.files[:-1]:
                print(_file_line(report), file=out if args.dry_run else err)
        print(f"medline sync: error: {error}", file=err)
        applied = len(done.applied)
        print(
            f"medline sync: stopped there: nothing after it was applied"
            f"{f' ({applied:,} files applied before it)' if applied else ''}",
            file=err,
        )
        return EXIT_REFUSED
    except KeyboardInterrupt:
        if line is not None:
            line.clear()
        print(
            "medline sync: interrupted; the database holds every file applied before the one "
            "being read: run the same command again to go on",
            file=err,
        )
        return 130
    except (MedlineError, OSError) as error:
        if line is not None:
            line.clear()
        print(f"medline sync: error: {error}", file=err)
        return EXIT_REFUSED
    if line is not None:
        line.clear()
    if args.dry_run:
        for report in summary.files:
            print(_file_line(report), file=out)
        would = sum(1 for f in summary.files if f.action == "would apply")
        print(
            f"dry run: {would:,} file{'s' if would != 1 else ''} would be applied, "
            f"{len(summary.skipped):,} skipped (applied before); nothing was changed",
            file=out,
        )
        return EXIT_OK
    if args.verbose:
        for report in summary.files:
            print(_file_line(report), file=err)
    if summary.problems and not args.quiet:
        print(
            f"medline sync: {summary.problems:,} problems in the records "
            "(applied; medline check FILE shows them)",
            file=err,
        )
    if not args.quiet:
        print(_summary(summary), file=err)
    return EXIT_OK
