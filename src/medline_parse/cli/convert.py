"""``medline convert``: read inputs, write them in another format.

Everything format-specific comes from the registry (:mod:`medline_parse.convert.registry`): the
``--to`` choices and their help, the format an ``-o`` name implies, which options apply to which
format, the packages a format needs, whether it needs a file (a database) or writes binary data.
The options below are the writers' keyword options; a format lists the ones it takes.

Exit status: 0 when every input was read (problems inside the records are noted, they do not
count), 1 when an input could not be read or the output could not be written, 2 for a usage error
or an input in another format (RIS, BibTeX, JSON, CSV, PDF, binary data).
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import attrs

from ..convert.registry import Format, format_for_path, get_format, writers
from ..medline.layout import Layout, detect_layout
from ..medline.wrap import STYLES
from ..model import Article
from ..sources import peek_head
from .cluster import cluster_articles, connect
from .common import (
    EXIT_PROBLEMS,
    NothingRead,
    Progress,
    Run,
    UsageError,
    input_options,
    isatty,
    quiet_option,
    read_articles,
    reader_of,
    shown,
)

__all__ = ["add_parser", "run"]

NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


@attrs.frozen
class _Option:
    """A writer option on the command line: its flag and how argparse reads it."""

    flag: str
    help: str
    settings: tuple[tuple[str, Any], ...] = ()


# The writers' keyword options (a format lists those it takes in its registry entry).
OPTIONS: dict[str, _Option] = {
    "per_author": _Option(
        "--per-author",
        "one row per author (with affiliations and ORCID) instead of per article",
        (("action", "store_true"),),
    ),
    "sep": _Option("--sep", 'separator of list columns (default: "; ")', (("default", "; "),)),
    "raw": _Option(
        "--csv-raw",
        "write values that start with = + - @ as they are; by default they get a ' before them "
        "so that spreadsheets do not run them as formulas",
        (("action", "store_true"),),
    ),
    "omit_empty": _Option(
        "--omit-empty", "leave out null values and empty lists", (("action", "store_true"),)
    ),
    "diagnostics": _Option(
        "--diagnostics", "add each article's reading problems", (("action", "store_true"),)
    ),
    "style": _Option(
        "--style",
        "layout: each input's own (auto, the default), or one of " + ", ".join(STYLES),
        (("choices", ("auto", *STYLES)), ("default", "auto")),
    ),
    "newline": _Option(
        "--newline",
        "line endings: the first input's (auto, the default), lf, crlf or cr",
        (("choices", ("auto", *NEWLINES)), ("default", "auto")),
    ),
}


def _applies(option: str) -> list[str]:
    return [fmt.name for fmt in writers() if option in fmt.options]


def add_parser(commands: Any) -> argparse.ArgumentParser:
    formats = writers()
    listing = "\n".join(f"  {fmt.name:<9} {fmt.summary}" for fmt in formats)
    parser: argparse.ArgumentParser = commands.add_parser(
        "convert",
        parents=[input_options(), quiet_option()],
        help="convert to " + ", ".join(fmt.name for fmt in formats),
        description="Convert MEDLINE text, PubMed XML or a medline-parse database to another "
        "format, on standard output unless -o is "
        "given. Inputs that cannot be read are reported and skipped (exit status 1); an input "
        "in another format is refused (exit status 2). Problems inside records are noted and "
        "do not change the exit status (medline check lists them).",
        epilog=f"formats:\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="input file, or - for stdin")
    parser.add_argument(
        "-t",
        "--to",
        choices=[fmt.name for fmt in formats],
        metavar="FORMAT",
        help="the output format (listed below); by default the one the -o file name's "
        "extension implies",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file (a regular file is replaced only once everything is written; a "
        "database is created or updated); standard output by default",
    )
    for name, option in OPTIONS.items():
        parser.add_argument(
            option.flag,
            dest=name,
            help=f"{', '.join(_applies(name))}: {option.help}",
            **dict(option.settings),
        )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="parse the files on the Dask cluster at ADDRESS (tcp://host:8786; needs the [dask] "
        "extra); the output is the same",
    )
    return parser


def _format(args: argparse.Namespace) -> Format:
    if args.to is not None:
        return get_format(args.to)
    if args.output not in (None, "-"):
        implied = format_for_path(args.output)
        if implied is not None:
            return implied
    known = dict.fromkeys(ext for fmt in writers() for ext in fmt.extensions)  # once each, in order
    extensions = ", ".join(known)
    if args.output not in (None, "-"):
        raise UsageError(
            f"-o {shown(args.output)}: no format has this file extension; give -t/--to FORMAT, "
            f"or an -o file name ending in {extensions}"
        )
    raise UsageError(
        f"the following arguments are required: -t/--to (or an -o file name ending in {extensions})"
    )


def _check_options(fmt: Format, parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    for name, option in OPTIONS.items():
        if name in fmt.options:
            continue
        if getattr(args, name) != parser.get_default(name):
            applies = " and ".join(f"--to {n}" for n in _applies(name))
            raise UsageError(f"{option.flag} applies to {applies}")


def _check_target(fmt: Format, args: argparse.Namespace, out: TextIO) -> None:
    to_stdout = args.output is None or args.output == "-"
    if fmt.to_path and to_stdout:
        raise UsageError(f"--to {fmt.name} needs -o FILE (a file it creates or updates)")
    if fmt.binary and to_stdout and isatty(out):
        raise UsageError(f"--to {fmt.name} writes binary data: give -o FILE or redirect the output")
    if not to_stdout and os.path.isfile(args.output):
        for path in args.files:
            if path != "-" and os.path.exists(path) and os.path.samefile(path, args.output):
                raise UsageError(f"-o {shown(args.output)} is also an input: write to another file")


def _layouts(paths: Sequence[str]) -> list[Layout]:
    """Each input's own layout, from its first 64 KiB (not used up: standard input is peeked)."""
    import sys

    layouts = []
    for path in paths:
        source: Any = getattr(sys.stdin, "buffer", None) if path == "-" else path
        head = peek_head(source) if source is not None else b""
        layouts.append(detect_layout(head.decode("utf-8", "replace"), complete=False))
    return layouts


def _options(fmt: Format, args: argparse.Namespace, run: Run) -> dict[str, Any]:
    """The writer's keyword arguments: the options it takes, the automatic layout resolved."""
    options = {name: getattr(args, name) for name in fmt.options if hasattr(args, name)}
    if "style" in fmt.options or "newline" in fmt.options:
        layouts = _layouts(args.files)
        if options.get("style") == "auto":

            def style(article: Article) -> str:
                return layouts[run.current].style or "pubmed"

            options["style"] = style
        if options.get("newline", "auto") == "auto":
            options["newline"] = layouts[0].newline if layouts else "\n"
        else:
            options["newline"] = NEWLINES[options["newline"]]
        if "leading_blank_line" in fmt.options:
            options["leading_blank_line"] = bool(layouts) and layouts[0].leading_blank_line
    return options


def _primed(articles: Iterator[Article]) -> Iterator[Article]:
    """*articles*, its first item already read (raising what reading it raises)."""
    first = next(articles, None)
    if first is None:
        return iter(())
    return itertools.chain((first,), articles)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.files.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    fmt = _format(args)
    _check_options(fmt, args.command_parser, args)
    _check_target(fmt, args, out)
    try:
        fmt.check_extras()
    except ImportError as error:
        print(f"medline: {error}", file=err)
        return EXIT_PROBLEMS
    client = None
    if args.scheduler:
        if any(
            path == "-" or reader_of(path, args.source_format) is not None for path in args.files
        ):
            raise UsageError(
                "--scheduler reads files (MEDLINE, PubMed XML), not stdin or databases"
            )
        try:
            client = connect(args.scheduler)
        except ImportError as error:
            print(f"medline: {error}", file=err)
            return EXIT_PROBLEMS
    progress = Progress(args.files, err, args.quiet or client is not None)
    run_state = Run(err, progress)
    options = _options(fmt, args, run_state)
    if client is not None:
        articles = cluster_articles(args.files, run_state, args, client)
    else:
        articles = read_articles(args.files, run_state, args, progress, need_some=True)
    to_stdout = args.output is None or args.output == "-"
    target = getattr(out, "buffer", out) if to_stdout else args.output
    started = time.perf_counter()
    try:
        # The first article is read before the writer starts, so that input refused whole (RIS,
        # XML that is not PubMed's) leaves no "[" or header on standard output either.
        articles = _primed(articles)
        result = fmt.write(articles, target, **options)
    except NothingRead:
        if not to_stdout and not args.quiet:
            print(
                f"medline: nothing written to {shown(args.output)}: no input could be read",
                file=err,
            )
        return run_state.status
    finally:
        progress.close()
        if client is not None:
            client.close()
    written = getattr(result, "articles", result)
    replaced = getattr(result, "replaced", 0)
    older = getattr(result, "older", 0)
    if not to_stdout and not args.quiet:
        seconds = time.perf_counter() - started
        said = [f"{replaced} replaced"] if replaced else []
        if older:
            said.append(f"{older} older versions ignored")
        detail = f" ({', '.join(said)})" if said else ""
        print(
            f"medline: wrote {written} articles to {shown(args.output)}{detail} in {seconds:.1f} s",
            file=err,
        )
    return run_state.status
