"""``medline fetch`` as a user runs it (``python -m medline_parse fetch ...`` in a subprocess)
against the local fake E-utilities (``MEDLINE_PARSE_EUTILS_URL``), on the real clock: what it
writes, exit statuses, one-line errors without traceback, and a run killed midway and started
again."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from medline_parse.cli import main
from medline_parse.eutils.state import state_path

from .conftest import ROOT
from .eutils_server import EUtils, FakeClock, Record, make_records, medline_body

RECORDS = make_records(200)
BY_PMID = {r.pmid: r for r in RECORDS}
GOUT = [r for r in RECORDS if r.topic == "gout"]


@pytest.fixture(scope="module")
def server() -> Iterator[EUtils]:
    with EUtils(RECORDS) as service:  # the real clock, NCBI's rate limit
        yield service


def in_order(server: EUtils, records: list[Record]) -> list[Record]:
    wanted = {r.pmid for r in records}
    return [BY_PMID[p] for p in server.db.order if p in wanted]


def environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NCBI_API_KEY", "NCBI_EMAIL")}
    env.update(
        {"PYTHONIOENCODING": "utf-8", "MEDLINE_PARSE_EUTILS_URL": url, "NCBI_API_KEY": "test-key"}
    )
    return env


def medline(
    url: str, *args: str | Path, stdin: bytes = b"", cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "medline_parse", "fetch", *map(str, args)],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env=environment(url),
        timeout=300,
        check=False,
    )


def err(result: subprocess.CompletedProcess[bytes]) -> str:
    text = result.stderr.decode("utf-8")
    assert "Traceback" not in text, text
    return text


def test_a_query_to_standard_output(server: EUtils) -> None:
    result = medline(server.url, "--query", "gout", "--batch-size", "10")
    assert result.returncode == 0, err(result)
    assert result.stdout == medline_body(in_order(server, GOUT))
    assert err(result) == f"medline fetch: {len(GOUT)} records\n"
    sent = server.log[-1].params
    assert sent["tool"] == "medline-parse" and sent["api_key"] == "test-key"


def test_pmids_to_a_file_with_an_unknown_one(server: EUtils, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    wanted = [RECORDS[4], RECORDS[2], RECORDS[9]]
    pmids = [str(r.pmid) for r in wanted]
    result = medline(server.url, pmids[0], f"{pmids[1]},99000001", pmids[2], pmids[0], "-o", out)
    assert result.returncode == 1
    assert out.read_bytes() == medline_body(wanted)
    assert err(result) == (
        f"medline fetch: 1 PMID not in PubMed: 99000001\nmedline fetch: 3 records to {out}\n"
    )
    assert result.stdout == b""


def test_a_pmid_file_and_standard_input(server: EUtils, tmp_path: Path) -> None:
    listing = tmp_path / "pmids.txt"
    listing.write_text(
        f"# my list\n{RECORDS[1].pmid}\n{RECORDS[7].pmid}, {RECORDS[3].pmid}  # and more\n\n"
    )
    result = medline(server.url, "--pmids", listing, "-q")
    assert result.returncode == 0, err(result)
    assert result.stdout == medline_body([RECORDS[1], RECORDS[7], RECORDS[3]])
    assert err(result) == ""
    piped = medline(server.url, "--pmids", "-", "-q", stdin=listing.read_bytes())
    assert piped.stdout == result.stdout


def test_a_bad_pmid_file_names_the_line(server: EUtils, tmp_path: Path) -> None:
    listing = tmp_path / "pmids.txt"
    listing.write_text("123\n456\nPMID:789\n")
    result = medline(server.url, "--pmids", listing)
    assert result.returncode == 2
    assert err(result).endswith(f"medline fetch: error: {listing}:3: not a PMID: 'PMID:789'\n")
    assert err(result).startswith("usage: medline fetch")


def test_a_pmid_file_that_is_not_utf8_names_the_line(server: EUtils, tmp_path: Path) -> None:
    listing = tmp_path / "pmids.txt"
    listing.write_bytes(b"123\n456\n\xff789\n")
    result = medline(server.url, "--pmids", listing)
    assert result.returncode == 2
    assert err(result).endswith(f"medline fetch: error: {listing}:3: not UTF-8 text (byte 0xff)\n")
    piped = medline(server.url, "--pmids", "-", stdin=listing.read_bytes())
    assert piped.returncode == 2
    assert err(piped).endswith("medline fetch: error: <stdin>:3: not UTF-8 text (byte 0xff)\n")
    assert result.stdout == piped.stdout == b""  # refused before anything was fetched


def test_pmids_from_a_closed_standard_input(server: EUtils) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "medline_parse", "fetch", "--pmids", "-"],
        capture_output=True,
        env=environment(server.url),
        preexec_fn=lambda: os.close(0),  # what `medline fetch --pmids - <&-` starts with
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    assert err(result).endswith("medline fetch: error: --pmids -: standard input is closed\n")


def test_standard_input_that_cannot_be_read_is_named(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Unreadable(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: object) -> int:
            raise IsADirectoryError(21, "Is a directory")

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Unreadable())))
    assert main(["fetch", "--pmids", "-"]) == 2
    assert capsys.readouterr().err == "medline fetch: error: <stdin>: is a directory\n"


@pytest.mark.parametrize("token", ["\u00b2", "\u0661\u0662", "\uff11"])
def test_digits_of_other_scripts_are_not_pmids(
    token: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", token]) == 2
    assert capsys.readouterr().err.endswith(f"medline fetch: error: not a PMID: {token!r}\n")
    listing = tmp_path / "pmids.txt"
    listing.write_text(f"123\n{token}\n", encoding="utf-8")
    assert main(["fetch", "--pmids", str(listing)]) == 2
    assert capsys.readouterr().err.endswith(f"{listing}:2: not a PMID: {token!r}\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give one of --query QUERY, --pmids FILE or PMIDs"),
        (("--query", "gout", "123"), "give one of --query QUERY, --pmids FILE or PMIDs"),
        (("12a",), "not a PMID: '12a'"),
        (("--query", "gout", "--batch-size", "20000"), "--batch-size must be between 1 and 10,000"),
    ],
)
def test_usage_errors(server: EUtils, args: tuple[str, ...], message: str) -> None:
    result = medline(server.url, *args)
    assert result.returncode == 2
    assert err(result).endswith(f"medline fetch: error: {message}\n")


def test_a_malformed_eutils_url_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = "not a valid URL for the E-utilities (Invalid IPv6 URL): 'http://[::1'"
    monkeypatch.delenv("MEDLINE_PARSE_EUTILS_URL", raising=False)
    assert main(["fetch", "--eutils-url", "http://[::1", "123"]) == 2
    captured = capsys.readouterr().err
    assert captured.startswith("usage: medline fetch")
    assert captured.endswith(f"medline fetch: error: --eutils-url: {message}\n")
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", "http://[::1")
    assert main(["fetch", "123"]) == 2
    captured = capsys.readouterr().err
    assert captured.endswith(f"medline fetch: error: MEDLINE_PARSE_EUTILS_URL: {message}\n")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (b'{"esearchresult":{"count":null}}', 'the search service gave no count: {"esearchresult"'),
        (
            b'{"esearchresult":{"count":"3","webenv":["x"],"querykey":"1"}}',
            "the search service gave an unexpected answer (webenv is a JSON list)",
        ),
        (b"[" * 100_000, "the search service gave an answer that is not ESearch JSON (HTTP 200)"),
    ],
)
def test_a_malformed_search_reply_is_one_line(
    server: EUtils, tmp_path: Path, reply: bytes, message: str
) -> None:
    out = tmp_path / "out.txt"
    server.answer(reply, utility="esearch")
    result = medline(server.url, "--query", "gout", "-o", out)
    assert result.returncode == 2
    text = err(result)
    assert text.startswith(f"medline fetch: error: {message}") and text.count("\n") == 1
    assert not out.exists()


def test_text_the_service_sends_is_escaped_and_bounded(server: EUtils, tmp_path: Path) -> None:
    junk = b"\x1b]0;owned\x07\x1b[31mred\x00\xc2\x9b" + b"A" * 5000 + b"\n"
    server.answer(junk, utility="efetch", content_type="text/plain")
    result = medline(server.url, str(GOUT[0].pmid), "-o", tmp_path / "out.txt")
    assert result.returncode == 2
    text = err(result)
    assert text.startswith(
        "medline fetch: error: PubMed could not serve the records: text that is not a MEDLINE "
        r"record: \x1b]0;owned\x07\x1b[31mred\x00\x9bAAA"
    )
    assert text.isprintable() is False and text[:-1].isprintable()  # the final line break only
    assert len(text) < 250


def test_an_invalid_query_and_an_empty_result(server: EUtils, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = medline(server.url, "--query", "(gout AND ruritania", "-o", out)
    assert result.returncode == 2
    assert err(result) == (
        "medline fetch: error: PubMed rejected the search: Invalid query: unbalanced parentheses\n"
    )
    result = medline(server.url, "--query", "gout AND 1990[dp]", "-o", out)
    assert result.returncode == 2
    assert err(result) == "medline fetch: error: no PubMed records match 'gout AND 1990[dp]'\n"
    assert not out.exists()


def test_no_network(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clock = FakeClock()  # the backoff, without the waiting
    monkeypatch.setattr(time, "monotonic", clock)
    monkeypatch.setattr(time, "sleep", clock.sleep)
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", "http://invalid.invalid/")  # the option wins
    status = main(["fetch", "--eutils-url", f"http://127.0.0.1:{port}/eutils/", "12345"])
    assert status == 2
    assert capsys.readouterr().err == (
        f"medline fetch: error: 127.0.0.1:{port}: connection refused (tried 6 times)\n"
    )
    assert clock.now - 1000 > 15  # 1+2+4+8+16 seconds of backoff, half of each jittered


def test_an_existing_output_is_kept_unless_forced(server: EUtils, tmp_path: Path) -> None:
    out = tmp_path / "results.txt"
    out.write_text("keep me\n")
    result = medline(server.url, str(GOUT[0].pmid), "-o", out)
    assert result.returncode == 2
    assert err(result) == (
        f"medline fetch: error: {out}: exists; use --force to replace it, or choose another output\n"
    )
    assert out.read_text() == "keep me\n"
    result = medline(server.url, str(GOUT[0].pmid), "-o", out, "--force")
    assert result.returncode == 0
    assert out.read_bytes() == medline_body(GOUT[:1])


@pytest.mark.skipif(
    not os.path.exists("/dev/full") or os.path.isfile("/dev/full"), reason="needs /dev/full"
)
def test_a_full_device_is_named(server: EUtils) -> None:
    result = medline(server.url, str(GOUT[0].pmid), "-o", "/dev/full")
    assert result.returncode == 2
    assert err(result) == "medline fetch: error: /dev/full: no space left on device\n"


def test_a_dangling_symbolic_link_is_written_through(server: EUtils, tmp_path: Path) -> None:
    (tmp_path / "o.txt").symlink_to("missing.txt")
    result = medline(server.url, str(GOUT[0].pmid), "-o", "o.txt", cwd=tmp_path)
    assert result.returncode == 0, err(result)
    assert err(result) == "medline fetch: 1 record to o.txt\n"
    assert (tmp_path / "missing.txt").read_bytes() == medline_body(GOUT[:1])
    assert os.readlink(tmp_path / "o.txt") == "missing.txt"


def test_xml_to_a_file(server: EUtils, tmp_path: Path) -> None:
    out = tmp_path / "gout.xml"
    result = medline(
        server.url, "--query", "gout", "--format", "xml", "--batch-size", "9", "-o", out
    )
    assert result.returncode == 0, err(result)
    root = ET.fromstring(out.read_bytes())
    assert [e.findtext("./*/PMID") for e in root] == [str(r.pmid) for r in in_order(server, GOUT)]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def signalled_midway(server: EUtils, args: list[str], after: int, sig: int) -> tuple[int, str]:
    """Run ``medline fetch ARGS`` and send it *sig* once the server has served *after* batches."""
    command = [sys.executable, "-m", "medline_parse", "fetch", *args]
    process = subprocess.Popen(
        command,
        env=environment(server.url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A job started in the background by a non-interactive shell (as CI runners may start the
        # suite) has SIGINT ignored, and its children inherit that: Python then never raises
        # KeyboardInterrupt.  The child gets the default disposition back, as a terminal's would.
        preexec_fn=_default_sigint,
    )
    served_before = server.served.get("efetch", 0)

    def send(utility: str, number: int) -> None:
        if number == served_before + after:
            process.send_signal(sig)

    server.on_served = send
    try:
        _, stderr = process.communicate(timeout=300)
    finally:
        server.on_served = None
    return process.returncode, stderr.decode("utf-8")


def test_killed_midway_and_run_again(server: EUtils, tmp_path: Path) -> None:
    out = tmp_path / "all.txt"
    args = ["--query", "fictional", "--batch-size", "12", "-o", str(out)]
    status, _ = signalled_midway(server, args, 6, signal.SIGKILL)
    assert status == -signal.SIGKILL
    assert Path(state_path(str(out))).exists()
    again = medline(server.url, *args)
    assert again.returncode == 0, err(again)
    assert out.read_bytes() == medline_body(in_order(server, RECORDS))
    assert err(again) == f"medline fetch: {len(RECORDS)} records to {out}, resumed\n"
    assert not Path(state_path(str(out))).exists()


def test_ctrl_c_says_how_to_go_on(server: EUtils, tmp_path: Path) -> None:
    out = tmp_path / "all.txt"
    args = ["--query", "fictional", "--batch-size", "15", "-o", str(out)]
    status, stderr = signalled_midway(server, args, 3, signal.SIGINT)
    assert status == 130
    assert stderr == (
        "medline fetch: interrupted; run the same command again to go on where it stopped\n"
    )
    again = medline(server.url, *args)
    assert again.returncode == 0
    assert out.read_bytes() == medline_body(in_order(server, RECORDS))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(
    server: EUtils,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", server.url)
    monkeypatch.setenv("NCBI_API_KEY", "test-key")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = tmp_path / "gout.txt"
    status = main(["fetch", "--query", "gout", "--batch-size", "10", "-o", str(out), "--progress"])
    assert status == 0
    shown = terminal.getvalue()
    assert "records" in shown and "\r" in shown
    assert shown.rstrip().endswith(f"medline fetch: {len(GOUT)} records to {out}")


def test_progress_is_not_drawn_into_a_file(server: EUtils) -> None:
    result = medline(server.url, "--query", "gout", "--progress")
    assert err(result) == f"medline fetch: {len(GOUT)} records\n"


def test_without_requests_the_command_says_what_to_install(
    server: EUtils, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "requests", None)
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", server.url)
    assert main(["fetch", "123"]) == 2
    assert capsys.readouterr().err == (
        "medline fetch: error: requests is needed for fetching from PubMed but is not installed; "
        'install it with pip install "medline-parse[fetch]"\n'
    )


def test_a_closed_pipe_stops_quietly(server: EUtils) -> None:
    args = ["--query", "fictional", "--batch-size", "10"]
    command = [sys.executable, "-m", "medline_parse", "fetch", *args]
    process = subprocess.Popen(
        command,
        env=environment(server.url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A job started in the background by a non-interactive shell (as CI runners may start the
        # suite) has SIGINT ignored, and its children inherit that: Python then never raises
        # KeyboardInterrupt.  The child gets the default disposition back, as a terminal's would.
        preexec_fn=_default_sigint,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"\nPMID- ")
    process.stdout.close()  # | head
    stderr = process.stderr.read()
    process.wait(timeout=300)
    assert process.returncode == 0
    assert stderr == b""
