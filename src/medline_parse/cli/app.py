"""The ``medline`` command: its parser, built from one module per command, and ``main``.

A command is a module with two functions, registered by one line in :data:`COMMANDS`:

* ``add_parser(commands)`` adds its subparser to *commands* (argparse's subparsers action) and
  returns it;
* ``run(args, out, err) -> int`` runs it on the parsed arguments, printing on *out* and *err*,
  and returns the exit status.

It may raise :class:`~medline_parse.cli.common.UsageError` (exit status 2, with the usage line);
a :class:`~medline_parse.MedlineError` or :class:`OSError` it lets escape becomes one line on
standard error (exit status 1).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import MedlineError
from ..sniff import WrongFormatError
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError, reason, shown

__all__ = ["COMMANDS", "build_parser", "main"]

COMMANDS: tuple[str, ...] = (
    "medline_parse.cli.check",
    "medline_parse.cli.convert",
    "medline_parse.cli.stats",
    "medline_parse.cli.fmt",
    "medline_parse.eutils.command",
    "medline_parse.store.command",
)
"""The modules of the subcommands, in the order ``medline --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``medline`` command."""
    parser = argparse.ArgumentParser(
        prog="medline",
        description=(
            "Read, check, convert and rewrite PubMed records: MEDLINE text (.txt, .nbib) and "
            "PubMed XML; fetch them from PubMed; keep a current view of PubMed in SQLite."
        ),
        epilog="Exit status: 0 ok; 1 an input that cannot be read, an output that cannot be "
        "written, or (check) problems in the input; 2 a usage error or an input in another "
        "format (sync: 1, since it stops the run there). Each command's --help says more.",
    )
    parser.add_argument("--version", action="version", version=f"medline-parse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for name in COMMANDS:
        module = importlib.import_module(name)
        before = set(commands.choices)
        sub = module.add_parser(commands)
        if sub is None:  # a module that does not return its parser
            (added,) = set(commands.choices) - before
            sub = commands.choices[added]
        sub.set_defaults(handler=module.run, command_parser=sub)
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
    except WrongFormatError as error:
        print(f"medline: {shown(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except (MedlineError, OSError) as error:
        filename = getattr(error, "filename", None)
        where = f"{shown(filename)}: " if isinstance(filename, str) else ""
        print(f"medline: {where}{shown(reason(error, where[:-2]))}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    return status
