"""``medline check``: count the records of each file and print every problem with its line.

Exit status: 0 when no file has a problem, 1 when one has (or cannot be read), 2 when one is in
another format (RIS, BibTeX, JSON, CSV, PDF, binary data).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from ..errors import Severity
from ..reader import iter_records
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
            for record in iter_records(source, strict=args.strict, encoding=args.encoding):
                if record.fields:
                    records += 1
                for diagnostic in record.diagnostics:
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
            print(f"{shown(path)}: no MEDLINE records found", file=out)
            problems += 1
        label = "problem" if problems == 1 else "problems"
        print(f"{shown(path)}: {records} records, {problems} {label}", file=out)
        total_records += records
        total_problems += problems
    if len(args.files) > 1:
        print(f"total: {total_records} records, {total_problems} problems", file=out)
    if wrong_format:
        return EXIT_USAGE
    return EXIT_PROBLEMS if total_problems else EXIT_OK
