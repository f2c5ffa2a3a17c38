"""``medline fetch``: PubMed records of a query or a PMID list, to a file or standard output.

Exit status: 0 when every record came, 1 when some did not (PMIDs PubMed does not have, NCBI's
in-band errors, batches still short after retries), 2 for usage errors and errors that stop the
fetch (a rejected query, an empty result, no network, an output that may not be replaced).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
from collections.abc import Callable
from typing import IO, Any, TextIO

from ..errors import MedlineError
from .client import FetchError, check_url
from .search import FORMATS, MAX_BATCH

__all__ = ["add_parser", "run"]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_ERROR = 2

URL_VARIABLE = "MEDLINE_PARSE_EUTILS_URL"

_TOKEN = re.compile(r"[^\s,;]+")


class _Usage(Exception):
    pass


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``fetch`` subcommand to *commands* (the subparsers of ``medline``)."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "fetch",
        help="fetch records from PubMed: a query or a list of PMIDs",
        description="Fetch PubMed records through NCBI's E-utilities, exactly as PubMed serves "
        "them (MEDLINE text or PubMed XML), into OUT or on standard output. Searches past "
        "PubMed's 9,999-record paging cap are cut by publication date, so every record comes, "
        "once. An interrupted fetch to OUT goes on where it stopped when the same command is run "
        "again.",
        epilog="Exit status: 0 all records fetched, 1 some missing (unknown PMIDs, in-band "
        "errors), 2 usage error or a fetch that could not be done. Environment: NCBI_API_KEY, "
        "NCBI_EMAIL, MEDLINE_PARSE_EUTILS_URL.",
    )
    source = parser.add_argument_group("what to fetch (one of)")
    source.add_argument("pmids", nargs="*", metavar="PMID", help="PMIDs to fetch")
    source.add_argument(
        "--query", metavar="QUERY", help='a PubMed search, e.g. "asthma[mh] AND 2020[dp]"'
    )
    source.add_argument(
        "--pmids",
        dest="pmid_file",
        metavar="FILE",
        help="a file of PMIDs (one per line, or separated by spaces or commas; # comments), "
        "or - for standard input",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="file to write (default: standard output); resumable, never replaced unless it is "
        "the unfinished output of the same fetch or --force is given",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="medline",
        help="medline (MEDLINE text, the default) or xml (PubMed XML)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=500,
        metavar="N",
        help=f"records per request (default 500, at most {MAX_BATCH:,})",
    )
    parser.add_argument(
        "--api-key", metavar="KEY", help="NCBI API key (default $NCBI_API_KEY): 10 requests/s"
    )
    parser.add_argument(
        "--email", metavar="ADDRESS", help="your e-mail, sent as NCBI asks (default $NCBI_EMAIL)"
    )
    parser.add_argument(
        "--eutils-url",
        metavar="URL",
        help="base URL of the E-utilities (default $MEDLINE_PARSE_EUTILS_URL, else NCBI's)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace OUT if it exists, starting over"
    )
    parser.add_argument(
        "--progress", action="store_true", help="show progress on standard error (a terminal)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="no summary line; problems are still reported"
    )
    parser.set_defaults(handler=run, command_parser=parser)
    return parser


def _is_pmid(token: str) -> bool:
    # ASCII digits only: str.isdigit() also accepts "²" and other scripts' digits
    return token.isascii() and token.isdigit() and int(token) != 0


def _read_pmid_file(name: str) -> list[str]:
    if name == "-":
        where = "<stdin>"
        stream = sys.stdin
        if stream is None or getattr(stream, "closed", False):
            raise _Usage("--pmids -: standard input is closed")
        try:
            data = getattr(stream, "buffer", stream).read()
        except OSError as error:  # standard input is a directory, say
            raise OSError(error.errno, error.strerror, where) from None
        if isinstance(data, str):  # a text stand-in for standard input
            data = data.encode("utf-8", "surrogateescape")
    else:
        where = name
        with open(name, "rb") as handle:
            data = handle.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        raise _Usage(f"{where}:{line}: not UTF-8 text (byte 0x{byte})") from None
    pmids: list[str] = []
    for number, line in enumerate(text.split("\n"), 1):  # numbered as editors number them
        line = line.split("#", 1)[0]
        for token in _TOKEN.findall(line):
            if not _is_pmid(token):
                raise _Usage(f"{where}:{number}: not a PMID: {token!r}")
            pmids.append(token)
    if not pmids:
        raise _Usage(f"{where}: no PMIDs in it")
    return pmids


def _check_url(option: str | None) -> None:
    """Refuse an E-utilities URL that cannot be used before anything is done."""
    given = ("--eutils-url", option)
    if option is None:
        given = (URL_VARIABLE, os.environ.get(URL_VARIABLE, "").strip() or None)
    if given[1] is not None:
        try:
            check_url(given[1])
        except FetchError as error:
            raise _Usage(f"{given[0]}: {error}") from None


def _pmids_of(args: argparse.Namespace) -> tuple[str | None, list[str] | None]:
    given = [args.query is not None, args.pmid_file is not None, bool(args.pmids)]
    if sum(given) != 1:
        raise _Usage("give one of --query QUERY, --pmids FILE or PMIDs")
    if args.query is not None:
        if not args.query.strip():
            raise _Usage("the query is empty")
        return args.query, None
    if args.pmid_file is not None:
        return None, _read_pmid_file(args.pmid_file)
    pmids: list[str] = []
    for value in args.pmids:
        for token in _TOKEN.findall(value):
            if not _is_pmid(token):
                raise _Usage(f"not a PMID: {token!r}")
            pmids.append(token)
    return None, pmids


class _Bar:
    """Progress on a terminal: tqdm when installed, else a line redrawn in place."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.bar: Any = None
        self.drawn = False
        try:
            from tqdm import tqdm  # type: ignore[import-untyped]
        except ImportError:
            return
        self.bar = tqdm(
            total=None, unit=" records", file=err, leave=False, dynamic_ncols=True, mininterval=0.25
        )

    def update(self, done: int, total: int | None) -> None:
        if self.bar is not None:
            if total is not None and self.bar.total != total:
                self.bar.total = total
            self.bar.n = done
            self.bar.refresh()
            return
        of = f" of {total:,}" if total is not None else ""
        self.err.write(f"\rmedline fetch: {done:,}{of} records")
        self.err.flush()
        self.drawn = True

    def say(self, text: str) -> None:
        if self.bar is not None:
            self.bar.clear()
        elif self.drawn:
            self.err.write("\r\x1b[K")
        print(text, file=self.err)
        if self.bar is not None:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.drawn:
            self.err.write("\r\x1b[K")
            self.err.flush()


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _binary(out: TextIO) -> tuple[IO[bytes], Callable[[], None]]:
    """A binary stream for standard output (or bytes decoded into a text stand-in)."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        return buffer, buffer.flush
    sink = io.BytesIO()

    def flush() -> None:
        out.write(sink.getvalue().decode("utf-8", "replace"))
        sink.seek(0)
        sink.truncate()

    return sink, flush


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``medline fetch`` with parsed *args*; returns the exit status."""
    from .output import download

    parser: argparse.ArgumentParser | None = getattr(args, "command_parser", None)
    bar = _Bar(err) if args.progress and _isatty(err) else None

    def say(text: str) -> None:
        if bar is not None:
            bar.say(text)
        else:
            print(text, file=err)

    problems: list[str] = []

    def notify(message: str) -> None:
        problems.append(message)
        say(f"medline fetch: warning: {message}")

    to_file = args.output is not None and args.output != "-"
    try:
        if not 1 <= args.batch_size <= MAX_BATCH:
            raise _Usage(f"--batch-size must be between 1 and {MAX_BATCH:,}")
        _check_url(args.eutils_url)
        query, pmids = _pmids_of(args)
        if to_file:
            target: Any = args.output
            flush: Callable[[], None] = lambda: None  # noqa: E731
        else:
            target, flush = _binary(out)
        try:
            report = download(
                target,
                query=query,
                pmids=pmids,
                format=args.format,
                batch_size=args.batch_size,
                force=args.force,
                progress=bar.update if bar is not None else None,
                notify=notify,
                api_key=args.api_key,
                email=args.email,
                eutils_url=args.eutils_url,
            )
        finally:
            flush()
            if bar is not None:
                bar.close()
    except _Usage as error:
        if parser is not None:
            parser.print_usage(err)
        print(f"medline fetch: error: {error}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        hint = "; run the same command again to go on where it stopped" if to_file else ""
        print(f"medline fetch: interrupted{hint}", file=err)
        return 130
    except BrokenPipeError:
        raise  # the reader of standard output went away: medline's main stops quietly
    except (MedlineError, OSError, ImportError) as error:
        print(f"medline fetch: error: {_message(error)}", file=err)
        return EXIT_ERROR
    if report.unknown:
        count = len(report.unknown)
        shown = ", ".join(report.unknown[:20]) + (" ..." if count > 20 else "")
        say(f"medline fetch: {count:,} PMID{'s' if count != 1 else ''} not in PubMed: {shown}")
    if not args.quiet:
        where = f" to {args.output}" if to_file else ""
        line = (
            f"medline fetch: {report.records:,} record{'s' if report.records != 1 else ''}{where}"
        )
        if report.searched is not None and report.searched != report.records:
            line += f" (the search counted {report.searched:,})"
        if report.resumed:
            line += ", resumed"
        say(line)
    return EXIT_PARTIAL if report.unknown or problems else EXIT_OK


def _message(error: BaseException) -> str:
    """One line, as ``convert`` words it: ``FILE: reason`` for a system error."""
    from ..cli.common import reason, shown

    filename = getattr(error, "filename", None)
    if isinstance(error, OSError) and not isinstance(error, MedlineError) and error.strerror:
        name = f"{shown(filename)}: " if isinstance(filename, str) else ""
        return f"{name}{reason(error, '')}"
    return str(error) or type(error).__name__
