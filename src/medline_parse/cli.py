"""The ``medline`` command-line tool."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .errors import MedlineError, Severity
from .reader import iter_records

__all__ = ["main"]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    total_records = 0
    total_problems = 0
    for path in args.files:
        source = sys.stdin if path == "-" else path
        records = 0
        problems = 0
        notes = 0
        try:
            for record in iter_records(source, strict=args.strict):
                if record.fields:
                    records += 1
                for diagnostic in record.diagnostics:
                    if diagnostic.severity is Severity.INFO:
                        notes += 1
                        if not args.verbose:
                            continue
                    else:
                        problems += 1
                    print(diagnostic, file=out)
        except MedlineError as error:
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``medline`` command."""
    parser = argparse.ArgumentParser(
        prog="medline",
        description="Read, check, convert and rewrite PubMed MEDLINE (.txt, .nbib) files.",
    )
    parser.add_argument("--version", action="version", version=f"medline-parse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser(
        "check",
        help="count records and report every problem with its line number",
        description="Count the records of each file and print every diagnostic with file and "
        "line. Exit status 1 when there is any problem.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file, or - for stdin")
    check.add_argument("--strict", action="store_true", help="stop at the first problem")
    check.add_argument("-v", "--verbose", action="store_true", help="also print notes")
    check.set_defaults(handler=_cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``medline`` command; returns its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args, sys.stdout, sys.stderr)
    except MedlineError as error:
        print(f"medline: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"medline: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    return status
