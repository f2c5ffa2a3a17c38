"""Downloads into a file: byte for byte as served, resumable (an interrupted run started again
ends with the file an uninterrupted run writes), and never replacing what the user did not ask to
replace. Against the local fake E-utilities with a shared fake clock."""

from __future__ import annotations

import errno
import io
import json
import os
import stat
from pathlib import Path

import pytest

from medline_parse.eutils import FetchError, download
from medline_parse.eutils.state import state_path

from .eutils_server import make_records, serving

RECORDS = make_records(300)
SOME = [*[r.pmid for r in RECORDS[::2]][:120], 99000001, *[r.pmid for r in RECORDS[1::2]][:60]]


class Stop(Exception):
    """Stands for the run being killed between two batches."""


def stop_after(batches: int) -> object:
    calls = []

    def progress(done: int, total: int | None) -> None:
        calls.append(done)
        if len(calls) == batches:
            raise Stop

    return progress


def reference(client: object, path: Path, **what: object) -> bytes:
    download(path, client=client, notify=lambda m: None, **what)  # type: ignore[arg-type]
    return path.read_bytes()


CASES = [
    pytest.param({"query": "fictional", "batch_size": 40}, id="query"),
    pytest.param({"query": "fictional", "batch_size": 40, "format": "xml"}, id="query-xml"),
    pytest.param({"pmids": SOME, "batch_size": 25}, id="pmids"),
    pytest.param({"pmids": SOME, "batch_size": 25, "format": "xml"}, id="pmids-xml"),
]


@pytest.mark.parametrize("what", CASES)
def test_an_interrupted_download_resumes_to_the_same_bytes(
    tmp_path: Path, what: dict[str, object]
) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (server, client):
        expected = reference(client, tmp_path / "whole.txt", **what)
        with pytest.raises(Stop):
            download(out, client=client, progress=stop_after(3), notify=lambda m: None, **what)  # type: ignore[arg-type]
        state = json.loads(Path(state_path(str(out))).read_text())
        assert out.stat().st_size == state["committed"] > 0
        before = len(server.requests_to("efetch"))
        report = download(out, client=client, notify=lambda m: None, **what)  # type: ignore[arg-type]
        resumed_fetches = server.requests_to("efetch")[before:]
    assert out.read_bytes() == expected
    assert report.resumed
    assert not Path(state_path(str(out))).exists()
    if "query" in what:
        assert report.records == 300
        # it went on from the fourth batch, not from the start
        assert resumed_fetches[0].params["retstart"] == "120"
    else:
        assert report.unknown == ("99000001",)
        assert str(SOME[75]) in resumed_fetches[0].params["id"].split(",")[:1]


def test_a_batch_written_but_not_counted_is_cut_off(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (_server, client):
        expected = reference(client, tmp_path / "whole.txt", query="fictional", batch_size=50)
        with pytest.raises(Stop):
            download(out, query="fictional", batch_size=50, client=client, progress=stop_after(2))
        with out.open("ab") as handle:  # killed while writing the third batch
            handle.write(b"\nPMID- 30000999\nOWN - NLM\nTI  - Half a rec")
        download(out, query="fictional", batch_size=50, client=client)
    assert out.read_bytes() == expected


def test_resuming_a_search_cut_by_date(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    what = {"query": "fictional", "batch_size": 20, "format": "xml"}
    with serving(RECORDS, page_cap=45) as (_server, client):
        expected = reference(client, tmp_path / "whole.xml", **what)
        for stop in (4, 3, 5):  # interrupted three times
            with pytest.raises(Stop):
                download(out, client=client, progress=stop_after(stop), **what)  # type: ignore[arg-type]
        state = json.loads(Path(state_path(str(out))).read_text())
        assert state["splits"] and state["done"]
        report = download(out, client=client, **what)  # type: ignore[arg-type]
    assert out.read_bytes() == expected
    assert report.records == 300


def test_a_service_that_stops_answering_leaves_a_resumable_file(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (server, client):
        expected = reference(client, tmp_path / "whole.txt", query="fictional", batch_size=30)
        server.stop_after = len(server.requests_to("efetch")) + 4
        with pytest.raises(
            FetchError, match=r"closed the connection without answering \(tried 6 times\)"
        ):
            download(out, query="fictional", batch_size=30, client=client)
        assert out.exists() and Path(state_path(str(out))).exists()
        server.stop_after = None
        download(out, query="fictional", batch_size=30, client=client)
    assert out.read_bytes() == expected


def test_the_state_counts_only_what_the_file_holds(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    sizes = []

    def check(done: int, total: int | None) -> None:
        state = json.loads(Path(state_path(str(out))).read_text())
        sizes.append((state["committed"], out.stat().st_size, state["records"], done))

    with serving(RECORDS) as (_server, client):
        download(out, query="fictional", batch_size=70, client=client, progress=check)
    assert [s[0] for s in sizes] == [s[1] for s in sizes]
    assert [s[2] for s in sizes] == [s[3] for s in sizes] == [70, 140, 210, 280, 300]
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]  # no state, no temporary file left


def test_another_fetch_into_an_unfinished_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (server, client):
        with pytest.raises(Stop):
            download(out, query="gout", batch_size=10, client=client, progress=stop_after(1))
        partial = out.read_bytes()
        asked = len(server.log)
        with pytest.raises(
            FetchError, match=r"unfinished output of another fetch \(query 'gout', format medline\)"
        ):
            download(out, query="asthma", batch_size=10, client=client)
        with pytest.raises(FetchError, match="another fetch"):
            download(out, query="gout", batch_size=10, format="xml", client=client)
        assert out.read_bytes() == partial and len(server.log) == asked
        expected = reference(client, tmp_path / "asthma.txt", query="asthma")
        download(out, query="asthma", client=client, force=True)
    assert out.read_bytes() == expected


def test_an_existing_file_is_not_replaced_without_force(tmp_path: Path) -> None:
    out = tmp_path / "mine.txt"
    out.write_text("my notes\n")
    with serving(RECORDS) as (server, client):
        with pytest.raises(FetchError, match=r"mine\.txt: exists; use --force"):
            download(out, query="gout", client=client)
        assert out.read_text() == "my notes\n" and server.log == []
        download(out, query="gout", client=client, force=True)
        assert out.read_bytes().startswith(b"\nPMID- ")
        empty = tmp_path / "empty.txt"
        empty.write_bytes(b"")  # an empty file (mktemp) may be filled
        download(empty, query="gout", client=client)
    assert empty.read_bytes() == out.read_bytes()


def test_a_shortened_output_is_not_resumed(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (_server, client):
        with pytest.raises(Stop):
            download(out, query="fictional", batch_size=50, client=client, progress=stop_after(2))
        out.write_bytes(out.read_bytes()[:100])
        with pytest.raises(FetchError, match="shorter than the unfinished fetch"):
            download(out, query="fictional", batch_size=50, client=client)


def test_a_failed_fetch_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (_server, client):
        with pytest.raises(FetchError, match="rejected"):
            download(out, query="gout AND (", client=client)
        with pytest.raises(FetchError, match="none of the PMIDs"):
            download(out, pmids=[99_000_001], client=client)
    assert os.listdir(tmp_path) == []


def test_a_directory_is_refused_and_a_device_is_a_stream(tmp_path: Path) -> None:
    with serving(RECORDS) as (server, client):
        with pytest.raises(FetchError, match="no such directory"):
            download(tmp_path / "missing" / "out.txt", query="gout", client=client)
        assert server.log == []  # said before anything was asked
        with pytest.raises(FetchError, match="is a directory"):
            download(tmp_path, query="gout", client=client)
        if os.path.exists(os.devnull) and not os.path.isfile(os.devnull):
            report = download(os.devnull, query="gout", client=client)
            assert report.records == sum(r.topic == "gout" for r in RECORDS)
            assert not os.path.exists(state_path(os.devnull))


def test_a_full_disk_names_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Full(io.RawIOBase):
        name = "<full stream>"

        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    with serving(RECORDS) as (_server, client):
        with pytest.raises(OSError, match="No space left") as raised:
            download(Full(), query="gout", client=client)
        assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, "<full stream>")
        if os.path.exists("/dev/full") and stat.S_ISCHR(os.stat("/dev/full").st_mode):
            with pytest.raises(OSError, match="No space left") as raised:
                download("/dev/full", query="gout", client=client)
            assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, "/dev/full")
        out = tmp_path / "out.txt"
        sync = os.fsync
        for full_one, named in ((True, str(out)), (False, state_path(str(out)))):

            def full(fd: int, full_one: bool = full_one) -> None:
                info = os.fstat(fd)
                if stat.S_ISREG(info.st_mode) and full_one == (
                    out.exists() and os.path.samestat(info, os.stat(out))
                ):
                    raise OSError(errno.ENOSPC, "No space left on device")
                sync(fd)

            # where a full disk shows on some file systems: the output's, or the state file's
            monkeypatch.setattr(os, "fsync", full)
            with pytest.raises(OSError, match="No space left") as raised:
                download(out, query="gout", client=client)
            assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, named)
            assert os.listdir(tmp_path) == []  # nothing worth resuming was written


def test_a_symbolic_link_is_followed_even_to_a_missing_file(tmp_path: Path) -> None:
    link = tmp_path / "out.txt"
    link.symlink_to("records.txt")  # dangling: the file it names is made
    with serving(RECORDS) as (_server, client):
        expected = reference(client, tmp_path / "whole.txt", query="fictional", batch_size=50)
        with pytest.raises(FetchError, match="rejected"):
            download(link, query="gout AND (", client=client)
        assert link.is_symlink() and not (tmp_path / "records.txt").exists()
        with pytest.raises(Stop):
            download(link, query="fictional", batch_size=50, client=client, progress=stop_after(2))
        assert os.path.exists(state_path(str(link)))  # beside the name given
        report = download(link, query="fictional", batch_size=50, client=client)
    assert report.resumed
    assert link.is_symlink() and os.readlink(link) == "records.txt"
    assert (tmp_path / "records.txt").read_bytes() == expected
    assert sorted(os.listdir(tmp_path)) == ["out.txt", "records.txt", "whole.txt"]


def test_batch_size_may_change_between_runs(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    with serving(RECORDS) as (_server, client):
        expected = reference(client, tmp_path / "whole.txt", pmids=SOME)
        with pytest.raises(Stop):
            download(out, pmids=SOME, batch_size=13, client=client, progress=stop_after(4))
        download(out, pmids=SOME, batch_size=100, client=client)
    assert out.read_bytes() == expected


def _read_only(tmp_path: Path) -> object:
    (tmp_path / "r.txt").write_bytes(b"")
    return open(tmp_path / "r.txt", "rb")


def _closed_binary(tmp_path: Path) -> object:
    handle = open(tmp_path / "closed.txt", "wb")  # noqa: SIM115 - closed at once, on purpose
    handle.close()
    return handle


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda tmp: None, "cannot write to NoneType"),
        (lambda tmp: 5, "cannot write to int"),
        (_closed_binary, "the file is closed"),
        (_read_only, "not open for writing"),
        (lambda tmp: str(tmp / "a\0b.txt"), "NUL byte"),
    ],
    ids=["none", "int", "closed", "read-only", "nul"],
)
def test_an_output_no_download_can_write_is_refused_before_any_request(
    tmp_path: Path, make: object, said: str
) -> None:
    target = make(tmp_path)  # type: ignore[operator]
    with serving(RECORDS) as (server, client):
        with pytest.raises(FetchError, match=said):
            download(target, query="fictional", client=client)
        assert server.log == []
    if hasattr(target, "close"):
        target.close()


def test_download_writes_through_a_text_file_to_its_bytes(tmp_path: Path) -> None:
    with serving(RECORDS[:5]) as (_, client):
        expected = reference(client, tmp_path / "whole.txt", query="fictional")
        with open(tmp_path / "text.txt", "w", encoding="utf-8") as handle:
            download(handle, query="fictional", client=client, notify=lambda m: None)
    assert (tmp_path / "text.txt").read_bytes() == expected
