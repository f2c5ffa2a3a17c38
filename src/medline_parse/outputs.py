"""Where output goes: the one way every writer opens its target.

A target is a path, a file object, or ``"-"`` (or ``None``) for standard output.

Strategy.  A path that names a regular file, or nothing yet, is written to a hidden temporary
file beside it (``.NAME.medline-partial-XXXXXXXX``), which replaces it (:func:`os.replace`) only
when everything was written: a run that fails, is interrupted (Ctrl-C), terminated (SIGTERM) or
hung up on (SIGHUP: its terminal closed) leaves the old file as it was, and nothing that looks
like output.  Anything else a path can name is written to directly, because replacing it would swap it for a regular file: a FIFO, a device
such as ``/dev/null`` or ``/dev/full``, and ``/dev/stdout`` (or any ``/dev/fd/N``,
``/proc/self/fd/N``), which names a file descriptor the caller opened.  A symbolic link is
followed: the file it names is replaced, and the link stays.  A file the user may write in a
directory where they may not create one is written in place.  A path ending in ``.gz`` is
gzip-compressed.  Every :class:`OSError` (a full disk, a missing directory) names the target.

Text is UTF-8 and written with ``newline=""``: writers choose their own line endings.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import io
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from typing import IO, Any, cast

from . import arguments
from .errors import MedlineError

__all__ = [
    "PARTIAL_MARK",
    "EncodeError",
    "Target",
    "check_file_object",
    "describe_target",
    "encode_error",
    "named_error",
    "open_target",
]

Target = str | os.PathLike[str] | IO[str] | IO[bytes]
"""What writers accept: a path, ``"-"`` for standard output, or a text or binary file object."""

PARTIAL_MARK = ".medline-partial-"
"""Part of the name of every temporary file the writers make (hidden, never the output's name)."""

_FD_DIRECTORIES = ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")


class EncodeError(MedlineError):
    """Text the output cannot hold: a character its encoding has no bytes for, such as a lone
    surrogate read from text input (see the ``lone-surrogate`` diagnostic)."""


def encode_error(where: str, error: UnicodeEncodeError) -> str:
    """The message for *error*, met while writing to *where*."""
    character = error.object[error.start : error.start + 1]
    surrogate = 0xD800 <= ord(character) <= 0xDFFF
    return f"{where}: cannot write U+{ord(character):04X} as {error.encoding}" + (
        " (a lone surrogate: see the record's lone-surrogate diagnostic)" if surrogate else ""
    )


def describe_target(target: object) -> str:
    """The name messages use for *target*: the path, a file object's ``name``, or ``<stdout>``."""
    if target is None or target == "-":
        return "<stdout>"
    if isinstance(target, (str, os.PathLike)):
        return os.fspath(target)
    name = getattr(target, "name", None)
    return name if isinstance(name, str) else f"<{type(target).__name__}>"


def named_error(error: OSError, name: str, temporary: str | None = None) -> OSError:
    """*error*, raised while writing to *name*, with *name* as its file name (for a write that
    fails on a full disk, which names no file; or that names *temporary*, the file written in its
    place).

    Errors that already name another file (an input that cannot be read, raised by the code that
    produces the output) and the library's own errors pass unchanged.
    """
    if isinstance(error, MedlineError) or error.filename not in (None, temporary):
        return error
    if error.errno is None:
        return OSError(errno.EIO, str(error) or "cannot write", name)
    new = OSError(error.errno, error.strerror or os.strerror(error.errno), name)
    new.__cause__ = error
    return new


# -- signals ---------------------------------------------------------------------------------


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""Signals that end the process by default and, while a temporary file is open, raise instead:
SIGTERM (``kill``) and SIGHUP (the terminal closed, an SSH session dropped)."""


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`SystemExit` (so ``finally`` clauses
    run and remove the temporary file) instead of killing the process; a signal someone else
    handles (or ignores, as ``nohup`` does SIGHUP) is left as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    installed: list[tuple[int, Any]] = []
    try:
        for signum in _CLEANUP_SIGNALS:
            try:
                previous = signal.getsignal(signum)
            except (ValueError, OSError):  # pragma: no cover - a signal the platform lacks
                continue
            if previous is signal.SIG_DFL:
                signal.signal(signum, _exit_on_signal)
                installed.append((signum, previous))
        yield
    finally:
        for signum, previous in reversed(installed):
            signal.signal(signum, previous)


# -- file objects ----------------------------------------------------------------------------


def _is_binary(handle: object) -> bool:
    if isinstance(handle, io.TextIOBase):
        return False
    if isinstance(handle, (io.RawIOBase, io.BufferedIOBase)):
        return True
    mode = getattr(handle, "mode", None)
    return isinstance(mode, str) and "b" in mode


class _Encoder:
    """A text file over a binary object that is no :class:`io.IOBase` (it has only ``write``)."""

    def __init__(self, raw: Any, encoding: str) -> None:
        self._raw = raw
        self._encoding = encoding
        self.name = describe_target(raw)

    def write(self, text: str) -> int:
        self._raw.write(text.encode(self._encoding))
        return len(text)

    def flush(self) -> None:
        flush = getattr(self._raw, "flush", None)
        if callable(flush):
            flush()


@contextlib.contextmanager
def _object_target(handle: Any, binary: bool, encoding: str) -> Iterator[IO[Any]]:
    """Write to a file object the caller owns: it is flushed, never closed."""
    name = describe_target(handle)
    try:
        if binary:
            if not _is_binary(handle):
                buffer = getattr(handle, "buffer", None)
                assert buffer is not None  # (check_file_object refused it)
                handle.flush()
                handle = buffer
            yield handle
            handle.flush()
        elif not _is_binary(handle):
            yield handle
        elif isinstance(handle, io.IOBase):
            stream = io.TextIOWrapper(
                cast(IO[bytes], handle),
                encoding=encoding,
                newline="",
                write_through=False,
            )
            try:
                yield stream
                stream.flush()
            finally:
                with contextlib.suppress(ValueError):
                    stream.detach()
        else:
            encoder = _Encoder(handle, encoding)
            yield encoder  # type: ignore[misc]
            encoder.flush()
    except OSError as error:
        raise named_error(error, name) from None
    except UnicodeEncodeError as error:
        raise EncodeError(encode_error(name, error)) from None


def _stdout_target(binary: bool, encoding: str) -> contextlib.AbstractContextManager[IO[Any]]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        sys.stdout.flush()
        return _object_target(buffer, binary, encoding)
    check_file_object(sys.stdout, binary=binary)
    return _object_target(sys.stdout, binary, encoding)


# -- paths -----------------------------------------------------------------------------------


def _names_a_descriptor(path: str) -> bool:
    """Whether *path*, or a link on the way to what it names, is a ``/dev/fd/N``-style name of an
    open file descriptor (``/dev/stdout`` is a link to ``/proc/self/fd/1``)."""
    current = os.path.abspath(path)
    for _ in range(40):  # the kernel's own limit on a chain of links
        if current.startswith(_FD_DIRECTORIES) or current in ("/dev/stdout", "/dev/stderr"):
            return True
        try:
            link = os.readlink(current)
        except OSError:
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current), link))
    return False


def _open_direct(path: str) -> IO[bytes]:
    return open(path, "wb")


def _fdopen(fd: int) -> IO[bytes]:
    """The temporary file, opened for writing (tests replace this to simulate a full disk)."""
    return os.fdopen(fd, "wb")


def _mode_for_new_file() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _layers(
    raw: IO[bytes], path: str, binary: bool, compress: bool, encoding: str
) -> Iterator[Any]:
    """The gzip and text layers over *raw*; closes them all (and *raw*) on the way out."""
    with contextlib.ExitStack() as stack:
        stack.callback(raw.close)
        stream: Any = raw
        if compress:
            name = os.path.basename(path)
            stream = gzip.GzipFile(filename=name, mode="wb", fileobj=raw, compresslevel=6, mtime=0)
            stack.callback(stream.close)
        if not binary:
            stream = io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=False)
            stack.callback(stream.close)
        yield stream
        stack.close()  # close (and so flush) inside the block: errors are the caller's to name


@contextlib.contextmanager
def _path_target(path: str, binary: bool, compress: bool, encoding: str) -> Iterator[IO[Any]]:
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise named_error(error, path) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", path)
    if (info is not None and not stat.S_ISREG(info.st_mode)) or _names_a_descriptor(path):
        try:
            with _layers(_open_direct(path), path, binary, compress, encoding) as stream:
                yield stream
        except OSError as error:
            raise named_error(error, path) from None
        except UnicodeEncodeError as error:
            raise EncodeError(encode_error(path, error)) from None
        return
    real = os.path.realpath(path)  # replace the file a link names, not the link
    directory = os.path.dirname(real)
    name = os.path.basename(real)[:80]
    with _signals_raise():
        try:
            fd, temp = tempfile.mkstemp(prefix=f".{name}{PARTIAL_MARK}", dir=directory)
        except PermissionError as error:
            if info is None or not os.access(real, os.W_OK):
                raise named_error(error, path, error.filename) from None
            # A file the user may write in a directory they may not: written in place, as asked.
            try:
                with _layers(_open_direct(real), path, binary, compress, encoding) as stream:
                    yield stream
            except OSError as direct_error:
                raise named_error(direct_error, path) from None
            except UnicodeEncodeError as error:
                raise EncodeError(encode_error(path, error)) from None
            return
        except OSError as error:  # it names the temporary file: name the target instead
            raise named_error(error, path, error.filename) from None
        try:
            raw = _fdopen(fd)
            with _layers(raw, path, binary, compress, encoding) as stream:
                yield stream
            mode = stat.S_IMODE(info.st_mode) if info is not None else _mode_for_new_file()
            with contextlib.suppress(OSError):
                os.chmod(temp, mode)
            os.replace(temp, real)
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            if isinstance(error, OSError):
                raise named_error(error, path, temp) from None
            if isinstance(error, UnicodeEncodeError):
                raise EncodeError(encode_error(path, error)) from None
            raise


def open_target(
    target: Target | None,
    *,
    binary: bool,
    compress: bool | None = None,
    encoding: str = "utf-8",
) -> contextlib.AbstractContextManager[Any]:
    """A context manager giving a file to write the output to; see the module's description.

    Args:
        target: a path, ``"-"`` or ``None`` for standard output, or a file object (written to
            and flushed, never closed; a binary one gets a text layer when text is written).
        binary: whether the writer writes bytes (else text, in *encoding*).
        compress: gzip the output; by default, when the path ends in ``.gz``.

    Raises:
        OSError: the target cannot be written; the error's ``filename`` is the target.
        EncodeError: the text holds a character the target cannot (a lone surrogate).
        MedlineError: *target* is none of the above, a path with a NUL byte, a closed file, a
            file not open for writing, or a text stream for *binary* output (checked now,
            before anything is opened).
    """
    if target is None or (isinstance(target, str) and target == "-"):
        return _stdout_target(binary, encoding)
    if isinstance(target, (str, os.PathLike)):
        path = arguments.path(target, "the output")
        if compress is None:
            compress = path.endswith(".gz")
        return _path_target(path, binary, compress, encoding)
    check_file_object(target, binary=binary)
    return _object_target(target, binary, encoding)


def check_file_object(handle: object, *, binary: bool) -> None:
    """Refuse, before anything is written, a *handle* no writer can write to: no file object, a
    closed one, one not open for writing, a text stream with no binary buffer when *binary*
    output is written.  Raises :class:`~medline_parse.errors.MedlineError` naming it."""
    if not callable(getattr(handle, "write", None)):
        raise MedlineError(
            f"cannot write to {type(handle).__name__}: pass a path, '-' or a file object"
        )
    name = describe_target(handle)
    if getattr(handle, "closed", False) is True:
        raise MedlineError(f"cannot write to {name}: the file is closed")
    writable = getattr(handle, "writable", None)
    if callable(writable):
        try:
            can_write = writable()
        except ValueError:  # a closed file that does not say so by its closed attribute
            raise MedlineError(f"cannot write to {name}: the file is closed") from None
        if not can_write:
            raise MedlineError(f"cannot write to {name}: the file is not open for writing")
    if binary and not _is_binary(handle) and getattr(handle, "buffer", None) is None:
        raise MedlineError(
            f"cannot write to {name}: binary output needs a binary file object (open it "
            "with 'wb', or use io.BytesIO)"
        )
