"""Output targets (issue 14): a regular file is replaced only when complete; what is no regular file
(a symlink, a FIFO, a device, /dev/stdout) is never replaced by one; a killed or failed run leaves
nothing that looks like output; every write error names the target."""

from __future__ import annotations

import errno
import gzip
import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from medline_parse import MedlineError, outputs
from medline_parse.convert import csv as mcsv
from medline_parse.convert.registry import Format, get_format, writers
from medline_parse.outputs import PARTIAL_MARK, open_target

from .test_convert_cases import SAMPLE, read_all

ROOT = Path(__file__).resolve().parents[1]


def leftovers(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if PARTIAL_MARK in p.name]


class Boom(Exception):
    pass


def failing_rows() -> Iterator[Any]:
    yield from read_all(SAMPLE)[:2]
    raise Boom


# -- regular files -------------------------------------------------------------------------------


def test_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    assert mcsv.write(read_all(SAMPLE), target) == len(read_all(SAMPLE))
    assert target.read_text(encoding="utf-8").startswith("pmid,title,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file's permissions are kept
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_a_failed_run_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, error: type[BaseException]
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def articles() -> Iterator[Any]:
        yield read_all(SAMPLE)[0]
        raise error

    with pytest.raises(error):
        mcsv.write(articles(), target)
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_the_temporary_file_is_hidden_and_does_not_look_like_output(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with open_target(target, binary=False) as handle:
        handle.write("x")
        (temp,) = leftovers(tmp_path)
        assert temp.startswith(".") and not temp.endswith(".csv")
        assert not target.exists()
    assert target.read_text() == "x"
    assert leftovers(tmp_path) == []


SIGNALS = [
    pytest.param(
        getattr(signal, name, None),
        id=name,
        marks=pytest.mark.skipif(not hasattr(signal, name), reason=f"no {name} on this platform"),
    )
    for name in ("SIGTERM", "SIGHUP")
]


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_signal_removes_the_temporary_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    script = textwrap.dedent(
        f"""
        import sys, time
        from medline_parse.outputs import open_target
        with open_target({str(target)!r}, binary=False) as handle:
            handle.write("partial")
            print("writing", flush=True)
            time.sleep(60)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "writing\n"
    process.send_signal(signum)
    assert process.wait(timeout=30) == 128 + signum
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_a_full_disk_names_the_target_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Full(io.FileIO):
        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs, "_fdopen", lambda fd: Full(fd, "wb"))
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(OSError, match="No space left") as caught:
        mcsv.write(read_all(SAMPLE), target)
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(target)
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path) == []


def test_errors_of_the_input_are_not_renamed(tmp_path: Path) -> None:
    def articles() -> Iterator[Any]:
        raise FileNotFoundError(errno.ENOENT, "no such file", "input.txt")
        yield

    with pytest.raises(FileNotFoundError) as caught:
        mcsv.write(articles(), tmp_path / "out.csv")
    assert caught.value.filename == "input.txt"


def test_gz_target_is_compressed(tmp_path: Path) -> None:
    target = tmp_path / "out.csv.gz"
    mcsv.write(read_all(SAMPLE), target)
    assert gzip.decompress(target.read_bytes()).decode("utf-8") == mcsv.dumps(read_all(SAMPLE))


def test_a_directory_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError) as caught:
        mcsv.write(read_all(SAMPLE), tmp_path)
    assert caught.value.filename == str(tmp_path)


def test_missing_directory_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.csv"
    with pytest.raises(FileNotFoundError) as caught:
        mcsv.write(read_all(SAMPLE), target)
    assert caught.value.filename == str(target)


# -- what is no regular file ---------------------------------------------------------------------


def test_a_symlink_is_followed_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    mcsv.write(read_all(SAMPLE), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("pmid,")
    assert leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    mcsv.write(read_all(SAMPLE), link)
    assert link.is_symlink()
    assert (tmp_path / "new.csv").read_text(encoding="utf-8").startswith("pmid,")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_written_to_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    mcsv.write(read_all(SAMPLE), fifo)
    reader.join(timeout=30)
    assert received == [mcsv.dumps(read_all(SAMPLE)).encode("utf-8")]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_is_written_to_directly(device: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")

    def no_replace(*args: object) -> None:
        raise AssertionError("a device must not be replaced")

    monkeypatch.setattr(os, "replace", no_replace)
    if device == "/dev/null":
        assert mcsv.write(read_all(SAMPLE), device) == len(read_all(SAMPLE))
    else:
        with pytest.raises(OSError, match="No space left") as caught:
            mcsv.write(read_all(SAMPLE), device)
        assert caught.value.errno == errno.ENOSPC
        assert caught.value.filename == device
    assert stat.S_ISCHR(os.stat(device).st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
@pytest.mark.parametrize("into", ["pipe", "file"])
def test_dev_stdout_writes_to_the_descriptor(into: str, tmp_path: Path) -> None:
    script = (
        "import sys; from medline_parse.outputs import open_target\n"
        "with open_target('/dev/stdout', binary=False) as h: h.write('written\\n')\n"
    )
    if into == "pipe":
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, cwd=ROOT, check=True
        )
        assert done.stdout == b"written\n"
    else:
        out = tmp_path / "redirected.txt"
        out.write_text("")
        inode = out.stat().st_ino
        with open(out, "wb") as handle:
            subprocess.run([sys.executable, "-c", script], stdout=handle, cwd=ROOT, check=True)
        assert out.read_bytes() == b"written\n"
        assert out.stat().st_ino == inode  # the file the shell opened, not a replacement
    assert leftovers(tmp_path) == []


# -- file objects --------------------------------------------------------------------------------


def test_file_objects_are_written_and_not_closed() -> None:
    text = io.StringIO()
    mcsv.write(read_all(SAMPLE), text)
    assert not text.closed and text.getvalue().startswith("pmid,")
    binary = io.BytesIO()
    mcsv.write(read_all(SAMPLE), binary)  # a binary file gets UTF-8 text
    assert not binary.closed
    assert binary.getvalue().decode("utf-8") == text.getvalue()


def test_write_errors_of_a_file_object_name_it() -> None:
    class Full(io.BytesIO):
        name = "full.bin"

        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OSError, match="No space left") as caught:
        mcsv.write(read_all(SAMPLE), Full())
    assert caught.value.filename == "full.bin"


def test_binary_output_to_a_text_stream_uses_its_buffer() -> None:
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="utf-8")
    with open_target(stream, binary=True) as handle:
        handle.write(b"\x00\x01")
    assert buffer.getvalue() == b"\x00\x01"
    with pytest.raises(MedlineError, match="<StringIO>: binary output needs a binary file"):
        open_target(io.StringIO(), binary=True)  # refused when called, before any `with`


# -- misuse: every writer refuses it with a MedlineError, before anything is written ------------

WRITERS = [fmt.name for fmt in writers()]


def _writer(name: str) -> Format:
    fmt = get_format(name)
    try:
        fmt.check_extras()
    except ImportError as error:
        pytest.skip(str(error))
    return fmt


def _closed(binary: bool) -> io.IOBase:
    handle: io.IOBase = io.BytesIO() if binary else io.StringIO()
    handle.close()
    return handle


def _read_only(directory: Path, binary: bool) -> IO[Any]:
    path = directory / "ro.txt"
    path.write_text("old\n")
    return open(path, "rb" if binary else "r")


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize("kind", [str, Path])
def test_every_writer_refuses_a_path_with_a_nul_byte(name: str, kind: type, tmp_path: Path) -> None:
    fmt = _writer(name)
    with pytest.raises(MedlineError, match=r"'.*a\\x00b': a path cannot hold a NUL byte"):
        fmt.write(read_all(SAMPLE), kind(f"{tmp_path}/a\0b"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize(
    ("what", "make", "message"),
    [
        ("a closed file", lambda d, binary: _closed(binary), "the file is closed"),
        ("a file open for reading", _read_only, "ro.txt: the file is not open for writing"),
        ("a number", lambda d, binary: 5, "cannot write to int: pass a path"),
    ],
)
def test_every_writer_refuses_a_target_it_cannot_write_to(
    name: str, what: str, make: Any, message: str, tmp_path: Path
) -> None:
    fmt = _writer(name)
    target = make(tmp_path, fmt.binary)
    if fmt.to_path:  # a database is a file SQLite opens itself: no file object will do
        message = f"cannot write a database to {type(target).__name__}: pass a path"
    try:
        with pytest.raises(MedlineError, match=message):
            fmt.write(read_all(SAMPLE), target)
    finally:
        if isinstance(target, io.IOBase):
            target.close()
    if what == "a file open for reading":
        assert (tmp_path / "ro.txt").read_text() == "old\n"


@pytest.mark.parametrize("name", [fmt.name for fmt in writers() if fmt.binary and not fmt.to_path])
def test_binary_writers_refuse_a_text_stream(name: str) -> None:
    fmt = _writer(name)
    with pytest.raises(MedlineError, match="<StringIO>: binary output needs a binary file object"):
        fmt.write(read_all(SAMPLE), io.StringIO())


@pytest.mark.parametrize("name", WRITERS)
@pytest.mark.parametrize(
    ("articles", "message"),
    [
        (None, "cannot write NoneType: expected an Article"),
        (5, "cannot write int: expected an Article"),
        ("PMID- 1\n", "cannot write str: expected an Article"),
        ([None], r"cannot write NoneType \(item 1\): expected an Article"),
        ([5], r"cannot write int \(item 1\): expected an Article"),
    ],
)
def test_every_writer_refuses_what_is_no_article(
    name: str, articles: object, message: str, tmp_path: Path
) -> None:
    fmt = _writer(name)
    target = tmp_path / f"out{fmt.extension}"
    with pytest.raises(MedlineError, match=message):
        fmt.write(articles, target)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []  # nothing made, not even an empty database


@pytest.mark.parametrize("name", WRITERS)
def test_an_item_that_is_no_article_leaves_the_old_output(name: str, tmp_path: Path) -> None:
    fmt = _writer(name)
    articles = read_all(SAMPLE)
    target = tmp_path / f"out{fmt.extension}"
    fmt.write(articles, target)
    before = target.read_bytes()
    with pytest.raises(MedlineError, match=r"cannot write NoneType \(item 2\)"):
        fmt.write([articles[0], None], target)  # type: ignore[list-item]
    if not fmt.to_path:  # a database keeps what was written before; files are replaced whole
        assert target.read_bytes() == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", WRITERS)
def test_every_writer_takes_one_article(name: str, tmp_path: Path) -> None:
    fmt = _writer(name)
    article = read_all(SAMPLE)[0]
    result = fmt.write(article, tmp_path / f"one{fmt.extension}")
    assert getattr(result, "articles", result) == 1


@pytest.mark.parametrize(("name", "option"), [("bibtex", "batch_size"), ("parquet", "batch_size")])
@pytest.mark.parametrize("value", [0, "5", None, True])
def test_a_batch_size_that_is_no_count(
    name: str, option: str, value: object, tmp_path: Path
) -> None:
    fmt = _writer(name)
    with pytest.raises(MedlineError, match="batch_size must be a whole number at least 1"):
        fmt.write(read_all(SAMPLE), tmp_path / "out", **{option: value})
    assert list(tmp_path.iterdir()) == []


# -- the command line ----------------------------------------------------------------------------


def medline(*args: object, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "medline_parse", *map(str, args)],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
        **kwargs,
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_cli_disk_full_is_one_line_naming_the_output() -> None:
    result = medline("convert", SAMPLE, "--to", "csv", "-o", "/dev/full")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == ["medline: /dev/full: no space left on device"]


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout here")
def test_cli_dev_stdout() -> None:
    result = medline("convert", SAMPLE, "--to", "csv", "-o", "/dev/stdout", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == mcsv.dumps(read_all(SAMPLE))


def test_cli_does_not_replace_the_output_when_no_input_was_read(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("precious\n")
    result = medline("convert", tmp_path / "missing.txt", "--to", "csv", "-o", target)
    assert result.returncode == 1
    assert target.read_text() == "precious\n"
    assert f"nothing written to {target}" in result.stderr.decode()
    assert leftovers(tmp_path) == []


def test_cli_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    link = tmp_path / "link.txt"
    link.symlink_to(path)
    result = medline("convert", path, "--to", "medline", "-o", link)
    assert result.returncode == 2
    assert "is also an input" in result.stderr.decode()
    assert path.read_bytes() == data


@pytest.mark.parametrize("signum", SIGNALS)
def test_cli_killed_convert_leaves_no_partial_output(tmp_path: Path, signum: int) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(SAMPLE.read_bytes() * 400)
    target = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "medline_parse",
            "convert",
            str(big),
            "--to",
            "jsonl",
            "-o",
            str(target),
            "-q",
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while not leftovers(tmp_path) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signum)
    status = process.wait(timeout=60)
    if status == 0:  # finished before the signal came: the output is whole
        assert target.exists()
    else:
        assert status == 128 + signum
        assert not target.exists()
    assert leftovers(tmp_path) == []


def test_a_writable_file_in_a_directory_that_is_not_is_written_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".x"))

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refused)
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    inode = target.stat().st_ino
    mcsv.write(read_all(SAMPLE), target)
    assert target.read_bytes() == mcsv.dumps(read_all(SAMPLE)).encode("utf-8")
    assert target.stat().st_ino == inode  # the same file, written in place
    with pytest.raises(PermissionError) as caught:  # a new file cannot be made there at all
        mcsv.write(read_all(SAMPLE), tmp_path / "new.csv")
    assert caught.value.filename == str(tmp_path / "new.csv")
