"""``medline fmt``: rewrite MEDLINE files in place in a canonical layout.

A file keeps what it is: its encoding (a file that is not UTF-8 is rewritten only when
``--encoding`` names its encoding, and then in that encoding), its byte-order mark, its line
endings, its leading empty line, its gzip compression, and by default its own wrapping style (the
one that reproduces most of its records); only what no PubMed layout would write changes.  A file
holding text a rewrite would drop is left alone.

Exit status: 0 when every file is (now) canonical, 1 when a file could not be read or rewritten
(or, with ``--check``, would change), 2 for a usage error or a file in another format.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import hashlib
import re
import warnings
from typing import Any, TextIO

from ..errors import Diagnostic, MedlineWarning
from ..medline.layout import detect_layout
from ..medline.wrap import STYLES
from ..medline.writer import dumps
from ..outputs import open_target
from ..reader import collect, parse
from ..sniff import HEAD_SIZE, WrongFormatError, check_head
from ..sources import is_gzip
from .common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    READ_ERRORS,
    Run,
    UsageError,
    input_options,
    quiet_option,
    reason,
    shown,
)

__all__ = ["add_parser", "run"]

_LOSSY = frozenset({"junk-line"})  # text a rewrite would drop


def add_parser(commands: Any) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        "fmt",
        parents=[input_options(choose_reader=False), quiet_option()],
        help="rewrite files in a canonical layout, in place",
        description="Rewrite MEDLINE files in place in PubMed's canonical layout (wrapping, "
        "spacing, one empty line between records), keeping each file's encoding, line endings "
        "and, unless --style is given, its own wrapping style. Files with text that is not "
        "MEDLINE, and files that are not UTF-8 when no --encoding is given, are left alone.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="MEDLINE file")
    parser.add_argument(
        "--style",
        choices=("auto", *STYLES),
        default="auto",
        help="layout to write: the file's own (auto, the default), or one of " + ", ".join(STYLES),
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; list the files that would change (exit status 1 if any)",
    )
    return parser


class _Refusal(Exception):
    """The file is not rewritten, for the reason given."""


_HEAD = 1 << 16  # what fmt keeps of a file's start (the layout is read from its first records)
_NOT_UTF8 = frozenset({"decode-fallback", "truncated-utf8"})
_BYTE = re.compile(r"byte (0x[0-9a-f]{2})")


def _fmt_input(path: str) -> tuple[bytes, bytes, bool]:
    """The first bytes of the file (decompressed), a digest of all of them, and whether it is
    gzip data: read in blocks, so that a small file that unpacks to gigabytes is no memory bomb."""
    digest = hashlib.sha256()
    head = b""
    with open(path, "rb") as handle:
        compressed = is_gzip(handle.read(2))
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


def _not_utf8(diagnostic: Diagnostic) -> _Refusal:
    found = _BYTE.search(diagnostic.message)
    where = (
        f"byte {found.group(1)} on line {diagnostic.line}" if found else f"line {diagnostic.line}"
    )
    return _Refusal(
        f"the file is not UTF-8 ({where}); name its encoding with --encoding (for example "
        "--encoding cp1252) to rewrite it in that encoding"
    )


_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _file_encoding(head: bytes, encoding: str | None) -> tuple[bytes, str]:
    """The byte-order mark to write back and the codec of the text after it: *encoding* when
    given, else what the file's mark says (the reader reads UTF-16 and UTF-32 by it), else
    UTF-8."""
    if encoding is not None:
        return b"", encoding
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def _formatted(path: str, head: bytes, args: argparse.Namespace) -> bytes:
    """The canonical bytes of the file (:class:`_Refusal` when it should not be rewritten)."""
    check_head(head[:HEAD_SIZE], path, refuse_xml=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        articles = collect(
            parse(path, format="medline", strict=args.strict, encoding=args.encoding)
        )
    if not articles:
        raise _Refusal("no MEDLINE records found")
    for article in articles:
        for diagnostic in article.diagnostics:
            if diagnostic.code in _LOSSY:
                where = f"line {diagnostic.line}: " if diagnostic.line else ""
                raise _Refusal(
                    f"{where}{diagnostic.message}; rewriting would drop it, fix it first "
                    f"(see: medline check {shown(path)})"
                )
            if diagnostic.code in _NOT_UTF8 and args.encoding is None:
                raise _not_utf8(diagnostic)
    bom, codec = _file_encoding(head, args.encoding)
    layout = detect_layout(head[len(bom) :].decode(codec, "replace"), complete=False)
    style = (layout.style or "pubmed") if args.style == "auto" else args.style
    new = dumps(
        articles,
        style=style,
        newline=layout.newline,
        leading_blank_line=layout.leading_blank_line,
    )
    try:
        return bom + codecs.encode(new, codec)
    except UnicodeEncodeError as error:
        raise _Refusal(f"the new text cannot be written in {args.encoding}: {error}") from None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if "-" in args.files:
        raise UsageError("fmt rewrites files in place; it cannot read standard input")
    state = Run(err)
    changed = 0
    for path in args.files:
        try:
            head, digest, compressed = _fmt_input(path)
            new = _formatted(path, head, args)
        except IsADirectoryError:
            state.fail(path, "is a directory, not a MEDLINE file")
            continue
        except FileNotFoundError:
            state.fail(path, "no such file")
            continue
        except WrongFormatError as error:
            state.refuse(error)
            continue
        except _Refusal as refusal:
            state.fail(path, f"not rewritten: {refusal}")
            continue
        except READ_ERRORS as error:
            state.fail(path, reason(error, path))
            continue
        if hashlib.sha256(new).digest() == digest:
            continue
        changed += 1
        if args.check:
            print(f"would reformat {shown(path)}", file=out)
            continue
        try:
            with open_target(path, binary=True, compress=compressed) as target:
                target.write(new)
        except OSError as error:
            state.fail(path, f"cannot write: {reason(error, path)}")
            continue
        if not args.quiet:
            print(f"reformatted {shown(path)}", file=err)
    if not args.quiet or args.check:
        files = len(args.files)
        verb = "would be reformatted" if args.check else "reformatted"
        print(
            f"{changed} of {files} file{'s' if files != 1 else ''} {verb}",
            file=err if not args.check else out,
        )
    if state.status != EXIT_OK:
        return state.status
    return EXIT_PROBLEMS if args.check and changed else EXIT_OK
