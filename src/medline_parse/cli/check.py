"""``medline check``: count the records of each file (MEDLINE text or PubMed XML) and print every
problem with its line.

Exit status: 0 when no file has a problem, 1 when one has (or cannot be read), 2 when one is in
another format (RIS, BibTeX, JSON, CSV, PDF, binary data).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from ..byte_sources import peek
from ..errors import Diagnostic, MedlineWarning, Severity
from ..model import Article
from ..reader import detect_format, iter_events, iter_records
from ..sniff import WrongFormatError
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, READ_ERRORS, input_options, shown

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "check",
        parents=[input_options(choose_reader=False)],
        help="count records and report every problem with its line number",
        description="Count the records of each file and print every diagnostic with file and "
        "line. Exit status 1 when there is any problem, 2 when a file is in another format "
        "(RIS, BibTeX, JSON, CSV, PDF, binary data).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file, or - for stdin")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print notes")
    return parser


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


def _counted(records: int, problems: int) -> str:
    """ "3 records, 1 problem": the counts, in the singular where one."""
    return (
        f"{records} record{'' if records == 1 else 's'}, "
        f"{problems} problem{'' if problems == 1 else 's'}"
    )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    total_records = 0
    total_problems = 0
    wrong_format = False
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
                    print(shown(str(diagnostic)), file=out)
        except WrongFormatError as error:
            print(f"medline: {shown(str(error))}", file=err)
            wrong_format = True
            continue
        except READ_ERRORS as error:
            print(f"medline check: {shown(str(error))}", file=err)
            problems += 1
        if records == 0 and problems == 0:
            print(f"{shown(path)}: no records found", file=out)
            problems += 1
        print(f"{shown(path)}: {_counted(records, problems)}", file=out)
        total_records += records
        total_problems += problems
    if len(args.files) > 1:
        print(f"total: {_counted(total_records, total_problems)}", file=out)
    if wrong_format:
        return EXIT_USAGE
    return EXIT_PROBLEMS if total_problems else EXIT_OK
