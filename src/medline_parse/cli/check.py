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


RECORD, DELETION, FILE_PROBLEMS, TEXT_READ = "record", "deletion", "file", "text"


def _checked(source: Any, args: argparse.Namespace) -> Iterator[tuple[str, Sequence[Any]]]:
    """What *source* holds, as (kind, diagnostics): ``RECORD`` for a MEDLINE record with fields
    or an article of PubMed XML, ``DELETION`` for a deletion notice (with the PMIDs it names), ``FILE_PROBLEMS`` for the
    problems of the file itself (a MEDLINE record with no field; what ended or was skipped in
    PubMed XML), ``TEXT_READ`` at the end of MEDLINE text.  A PubMed XML document says what it is:
    with no record, it is a file of none (an empty result, deletions only), not a problem."""
    head, source = peek(source)
    if detect_format(head) == "xml":
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MedlineWarning)
            for event in iter_events(
                source, format="xml", strict=args.strict, encoding=args.encoding
            ):
                if isinstance(event, Article):
                    yield RECORD, event.diagnostics
                else:
                    yield DELETION, event.pmids  # (counted, not diagnostics)
        # What lenient mode warned of (damage, content skipped): problems of the file.
        found = [getattr(w.message, "diagnostic", None) for w in caught]
        yield (
            FILE_PROBLEMS,
            [diagnostic for diagnostic in found if isinstance(diagnostic, Diagnostic)],
        )
        return
    for record in iter_records(source, strict=args.strict, encoding=args.encoding):
        yield (RECORD if record.fields else FILE_PROBLEMS), record.diagnostics
    yield TEXT_READ, ()


def _counted(records: int, problems: int, deletions: int = 0) -> str:
    """ "3 records, 1 problem": the counts, in the singular where one."""
    out = f"{records} record{'' if records == 1 else 's'}, "
    if deletions:
        out += f"{deletions} deleted PMID{'' if deletions == 1 else 's'}, "
    return out + f"{problems} problem{'' if problems == 1 else 's'}"


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    total_records = 0
    total_deletions = 0
    total_problems = 0
    wrong_format = False
    for path in args.files:
        source = getattr(sys.stdin, "buffer", sys.stdin) if path == "-" else path
        records = 0
        deletions = 0
        problems = 0
        notes = 0
        medline = False
        try:
            for kind, diagnostics in _checked(source, args):
                if kind == RECORD:
                    records += 1
                elif kind == DELETION:
                    deletions += len(diagnostics)
                    continue
                elif kind == TEXT_READ:
                    medline = True
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
            print(f"medline: {shown(str(error))}", file=err)
            problems += 1
        if records == 0 and problems == 0 and medline:
            print(f"{shown(path)}: no records found", file=out)
            problems += 1
        print(f"{shown(path)}: {_counted(records, problems, deletions)}", file=out)
        total_records += records
        total_deletions += deletions
        total_problems += problems
    if len(args.files) > 1:
        print(f"total: {_counted(total_records, total_problems, total_deletions)}", file=out)
    if wrong_format:
        return EXIT_USAGE
    return EXIT_PROBLEMS if total_problems else EXIT_OK
