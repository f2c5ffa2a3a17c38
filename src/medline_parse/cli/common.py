"""What the commands share: exit statuses, one-line errors, the progress bar, reading the inputs.

Reading: each input is read by the reader of the registry that ``--from`` names, else by the one
whose magic bytes it starts with, else by :func:`~medline_parse.parse`, which reads MEDLINE text
and PubMed XML and refuses other formats (RIS, BibTeX, JSON, CSV, PDF, binary data) with a
:class:`~medline_parse.sniff.WrongFormatError`.  An
input that fails is reported in one line, ``medline: FILE: reason``, and the others are still
read.  The progress bar counts the bytes read from the files with tqdm's own wrapper
(``tqdm.utils.CallbackIOWrapper``, what ``tqdm.wrapattr`` uses), before any decompression, so a
gzip file advances the bar by its compressed size.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, TextIO, cast, get_args

import attrs

from ..byte_sources import peek
from ..convert.registry import Format, get_format, reader_for, readers
from ..errors import Diagnostic, MedlineError, MedlineWarning
from ..model import Article, Deletion
from ..reader import Format as PubmedFormat
from ..reader import detect_format, iter_events
from ..sniff import WrongFormatError
from ..sources import check_encoding

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "READ_ERRORS",
    "NothingRead",
    "Progress",
    "Run",
    "UsageError",
    "codec",
    "file_read",
    "input_options",
    "quiet_option",
    "read_articles",
    "reason",
    "shown",
]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

READ_ERRORS = (MedlineError, OSError, EOFError, zlib.error)


class UsageError(Exception):
    """A command line that cannot be run as given (exit status 2)."""


class NothingRead(Exception):
    """No input could be read: the output is not written (an existing file is left as it is)."""


def shown(path: str) -> str:
    """*path* as it can be printed: bytes that are not UTF-8 (kept by ``surrogateescape``) as
    ``\\xNN`` escapes."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def reason(error: BaseException, path: str) -> str:
    """The message of *error*, without a leading copy of *path*."""
    if isinstance(error, OSError) and not isinstance(error, MedlineError) and error.strerror:
        return error.strerror.lower() if error.strerror[:1].isupper() else error.strerror
    text = str(error).split("\n", 1)[0]
    for prefix in (f"{path}: ", f"{path}:"):
        if text.startswith(prefix) and not text[len(prefix) :][:1].isdigit():
            return text[len(prefix) :]
    return text or type(error).__name__


def isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# -- options shared by commands ---------------------------------------------------------------


def codec(name: str) -> str:
    """``--encoding``'s type: *name* when it names a codec that decodes bytes to text, else a
    usage error (exit status 2) before any input is read or output made."""
    try:
        return check_encoding(name)
    except MedlineError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def input_options(*, choose_reader: bool = True) -> argparse.ArgumentParser:
    """The options of commands that read inputs (``--encoding``, ``--strict``, ``--from``)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--encoding",
        metavar="CODEC",
        type=codec,
        help="decode the input with CODEC instead of UTF-8",
    )
    parent.add_argument("--strict", action="store_true", help="stop at the first problem")
    if choose_reader:
        names = [fmt.name for fmt in readers()]
        parent.add_argument(
            "--from",
            dest="source_format",
            choices=names,
            metavar="FORMAT",
            help=f"read the inputs as {' or '.join(names)} (default: told from the content)",
        )
    return parent


def quiet_option() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no notes on stderr"
    )
    return parent


# -- progress --------------------------------------------------------------------------------


class Progress:
    """A tqdm bar on standard error, or nothing when tqdm is missing, stderr is no terminal, or
    ``--quiet`` was given."""

    def __init__(self, paths: Sequence[str], err: TextIO, quiet: bool) -> None:
        self.bar: Any = None
        if quiet or not isatty(err):
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

    def wrap(self, handle: IO[bytes]) -> Any:
        """*handle*, counting what is read from it on the bar."""
        from tqdm.utils import CallbackIOWrapper  # type: ignore[import-untyped]

        return CallbackIOWrapper(self.bar.update, handle, "read")

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


@attrs.define
class Run:
    """What a command met on its inputs: the errors printed, articles and problems counted."""

    err: TextIO
    progress: Progress | None = None
    errors: int = 0
    wrong_format: int = 0
    articles: int = 0
    problems: int = 0
    current: int = 0
    """The index of the input being read."""

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress.print(text, self.err)
        else:
            print(text, file=self.err)

    def fail(self, path: str, why: str) -> None:
        self.errors += 1
        if why.startswith(f"{path}:"):  # the reason names the file already, with its line
            self.say(f"medline: {shown(why)}")
        else:
            self.say(f"medline: {shown(path)}: {why}")

    def refuse(self, error: WrongFormatError) -> None:
        self.wrong_format += 1
        self.say(f"medline: {shown(str(error))}")

    @property
    def status(self) -> int:
        """2 when an input was in another format, 1 when one could not be read, else 0."""
        if self.wrong_format:
            return EXIT_USAGE
        return EXIT_PROBLEMS if self.errors else EXIT_OK


# -- reading ---------------------------------------------------------------------------------


def _stdin() -> Any:
    return getattr(sys.stdin, "buffer", None) or sys.stdin


def reader_of(path: str, chosen: str | None) -> Format | None:
    """The format to read *path* with: ``--from``, else the one its first bytes name, else
    ``None`` (:func:`~medline_parse.parse` tells MEDLINE text from PubMed XML)."""
    if chosen is not None:
        return get_format(chosen)
    head = b""
    if path != "-":
        with contextlib.suppress(OSError), open(path, "rb") as handle:
            head = handle.read(64)
    return reader_for(head)


def _open(path: str, fmt: Format | None, progress: Progress) -> tuple[Any, Callable[[], None]]:
    """The source to give the reader for *path*, and what closes what was opened."""
    if path == "-":
        stream = _stdin()
        return (progress.wrap(stream) if progress.bar is not None else stream), lambda: None
    if progress.bar is None or (fmt is not None and fmt.to_path):
        return path, lambda: None
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the returned function
    except OSError:
        return path, lambda: None  # the reader says what is wrong in its own words
    return progress.wrap(handle), handle.close


def file_read(
    run: Run,
    args: argparse.Namespace,
    path: str,
    count: int,
    problems: int,
    *,
    deletions: int = 0,
    document: bool = False,
) -> None:
    """Count an input read to its end, and say when it held no record, had problems, or held
    deletion notices (*deletions*: the PMIDs they name).  A PubMed XML *document* of no article (an empty result, an update file of
    deletions only) is a file of none, not a failure."""
    run.articles += count
    run.problems += problems
    quiet = getattr(args, "quiet", False)
    if deletions and not quiet:
        label = "PMID" if deletions == 1 else "PMIDs"
        run.say(
            f"medline: {shown(path)}: deletion notices (<DeleteCitation>) for {deletions} "
            f"{label}, not applied here; medline sync applies them"
        )
    if count == 0 and not document:
        run.fail(path, "no MEDLINE records found")
    elif count == 0:
        if not quiet and not deletions:
            run.say(f"medline: {shown(path)}: a PubMed XML document of no articles")
    elif problems and not quiet:
        label = "problem" if problems == 1 else "problems"
        run.say(
            f"medline: {shown(path)}: {problems} {label} in the input (medline check shows them)"
        )


def _events(
    source: Any, fmt: Format | None, args: argparse.Namespace
) -> tuple[bool, Iterator[Article | Deletion]]:
    """Whether *source* is PubMed XML, and its events: read by *fmt*, or for the two formats of
    PubMed (and when *fmt* is None, the one the content names) by
    :func:`~medline_parse.iter_events`, which also yields the deletion notices."""
    if fmt is not None and fmt.name not in get_args(PubmedFormat):
        return False, fmt.read(source, strict=args.strict, encoding=args.encoding)
    if fmt is None:
        head, source = peek(source)
        kind = detect_format(head)
    else:
        kind = cast(PubmedFormat, fmt.name)
    events = iter_events(source, format=kind, strict=args.strict, encoding=args.encoding)
    return kind == "xml", events


def read_articles(
    paths: Sequence[str],
    run: Run,
    args: argparse.Namespace,
    progress: Progress,
    *,
    need_some: bool = False,
) -> Iterator[Article]:
    """Every article of every input, in order; an input that fails is reported and skipped.

    PubMed XML that ends in damage gives its articles before the damage and counts as an input
    that failed (its line is said); content skipped in it counts as a problem; its deletion
    notices are said and counted, not applied.  With *need_some*, :class:`NothingRead` is raised
    at the end when no input could be read, so that the output is not written.
    """
    chosen = getattr(args, "source_format", None)
    for index, path in enumerate(paths):
        run.current = index
        progress.describe(path)
        count = deletions = problems = 0
        document = False
        close: Callable[[], None] = lambda: None  # noqa: E731
        caught: list[warnings.WarningMessage] = []
        try:
            fmt = reader_of(path, chosen)
            source, close = _open(path, fmt, progress)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", MedlineWarning)
                document, events = _events(source, fmt, args)
                for event in events:
                    if isinstance(event, Deletion):
                        deletions += len(event.pmids)
                        continue
                    count += 1
                    problems += sum(1 for d in event.diagnostics if d.is_problem)
                    yield event
        except WrongFormatError as error:
            run.refuse(error)
            continue
        except ImportError as error:
            run.fail(path, str(error))
            continue
        except READ_ERRORS as error:
            run.articles += count  # the articles before the damage were read (and written)
            run.problems += problems
            run.fail(path, reason(error, path) + _before(count))
            continue
        finally:
            close()
            _pass_on(caught)
        found = [getattr(w.message, "diagnostic", None) for w in caught]
        damage = None
        for diagnostic in found:
            if isinstance(diagnostic, Diagnostic) and diagnostic.code == "xml-syntax":
                damage = diagnostic
            elif isinstance(diagnostic, Diagnostic) and diagnostic.is_problem:
                problems += 1
        if damage is not None:
            run.articles += count
            run.problems += problems
            run.fail(
                f"{path}:{damage.line}" if damage.line else path, damage.message + _before(count)
            )
            continue
        file_read(run, args, path, count, problems, deletions=deletions, document=document)
    if need_some and run.articles == 0 and (run.errors or run.wrong_format):
        raise NothingRead


def _before(count: int) -> str:
    """What an input that failed gave before it did, said after its error."""
    return f" ({count} article{'' if count == 1 else 's'} before it read)" if count else ""


def _pass_on(caught: list[warnings.WarningMessage]) -> None:
    """Issue again the warnings caught while reading that are not the reader's own (those are
    counted and said by :func:`read_articles`): a writer's, the caller's."""
    for message in caught:
        if not isinstance(message.message, MedlineWarning):
            warnings.warn_explicit(
                message.message, message.category, message.filename, message.lineno
            )
