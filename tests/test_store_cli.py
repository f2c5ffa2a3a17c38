"""The ``medline sync`` command, and ``medline convert DB.sqlite --to ...`` reading a database."""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

import pytest

from medline_parse.cli import main
from medline_parse.convert.json import from_dict
from medline_parse.store import command as sync_command

from .conftest import FIXTURES
from .pubmed_files import baseline_and_updates
from .store_helpers import dump, expected_view, held, write_files


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "files"
    folder.mkdir()
    return write_files(
        folder,
        list(
            baseline_and_updates(
                seed=3, baseline_files=2, baseline_records=40, update_files=2, update_records=20
            )
        ),
    )


def test_sync_applies_and_says_what_it_did(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "pubmed.db"
    assert main(["sync", str(db), *map(str, reversed(files))]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    line = err.strip().splitlines()[-1]
    assert line.startswith("medline sync: applied 4 files: ")
    articles = len(expected_view(files))
    assert line.endswith(f"{db} holds {articles:,} articles")
    assert held(db) == expected_view(files)

    assert main(["sync", "-v", str(db), *map(str, files)]) == 0
    _, err = capsys.readouterr()
    assert err.count("skip ") == 4
    assert "medline sync: applied 0 files (4 skipped: applied before)" in err


def test_verbose_lists_each_file(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "-v", str(tmp_path / "pubmed.db"), *map(str, files)]) == 0
    _, err = capsys.readouterr()
    names = re.findall(r"^applied +(\S+): \d+ records", err, re.MULTILINE)
    assert names == [p.name for p in files]


def test_quiet_says_nothing(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "-q", str(tmp_path / "pubmed.db"), *map(str, files)]) == 0
    assert capsys.readouterr() == ("", "")


def test_status(tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pubmed.db"
    main(["sync", "-q", str(db), *map(str, files[:3])])
    assert main(["sync", "--status", str(db)]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    articles = len(expected_view(files[:3]))
    assert lines[0].startswith(f"{db}: {articles:,} articles, 3 files applied, the last at 20")
    assert lines[0].endswith("(schema 2)")
    assert lines[1].split() == [
        "file",
        "records",
        "added",
        "replaced",
        "deleted",
        "applied",
        "(UTC)",
    ]
    assert [line.split()[0] for line in lines[2:]] == [p.name for p in files[:3]]


def test_status_of_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "missing.db"
    assert main(["sync", "--status", str(db)]) == 1
    assert capsys.readouterr().err == f"medline sync: error: {db}: no such database\n"
    assert not db.exists()


def test_dry_run(tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "pubmed.db"
    main(["sync", "-q", str(db), *map(str, files[:1])])
    before = dump(db)
    assert main(["sync", "--dry-run", str(db), *map(str, files)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        f"skip         {files[0].name}  ({out.split('(', 1)[1].split(')', 1)[0]})",
        *(f"would apply  {p.name}" for p in files[1:]),
        "dry run: 3 files would be applied, 1 skipped (applied before); nothing was changed",
    ]
    assert dump(db) == before


def test_a_refused_file_exits_1_and_applies_nothing_after_it(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "pubmed.db"
    (files[1].parent / (files[1].name + ".md5")).write_text(f"MD5({files[1].name})= {'0' * 32}\n")
    assert main(["sync", str(db), *map(str, files)]) == 1
    _, err = capsys.readouterr()
    lines = err.splitlines()
    assert lines[0].startswith(f"medline sync: error: {files[1]}: does not match its checksum")
    assert (
        lines[1]
        == "medline sync: stopped there: nothing after it was applied (1 files applied before it)"
    )
    assert held(db) == expected_view(files[:1])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sync", "db.sqlite"], "give the files to apply"),
        (["sync", "--status", "db.sqlite", "x.xml"], "--status takes the database only"),
        (["sync", "db.sqlite", "-"], "not standard input"),
    ],
)
def test_usage_errors(
    tmp_path: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: medline sync")
    assert message in err
    assert not (tmp_path / "db.sqlite").exists()


def test_a_missing_input_applies_nothing(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "pubmed.db"
    assert main(["sync", str(db), *map(str, files), str(tmp_path / "nope.xml")]) == 1
    assert (
        capsys.readouterr().err == f"medline sync: error: {tmp_path / 'nope.xml'}: no such file\n"
    )
    assert not db.exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal(tmp_path: Path, files: list[Path]) -> None:
    parser = argparse.ArgumentParser()
    sync_command.add_parser(parser.add_subparsers())
    args = parser.parse_args(["sync", str(tmp_path / "pubmed.db"), *map(str, files)])
    err = _Terminal()
    assert sync_command.run(args, io.StringIO(), err) == 0
    text = err.getvalue()
    drawn = re.findall(r"\r\x1b\[K(medline sync: \d+/4 files[^\r]*)", text)
    assert drawn
    assert drawn[0].startswith("medline sync: 0/4 files")
    assert any(files[0].name in line for line in drawn)
    assert text.rsplit("\r\x1b[K", 1)[1].startswith("medline sync: applied 4 files")


def test_convert_reads_a_database_back(
    tmp_path: Path, files: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "pubmed.db"
    main(["sync", "-q", str(db), *map(str, files)])
    out_file = tmp_path / "view.jsonl"
    assert main(["convert", "-q", str(db), "--to", "jsonl", "-o", str(out_file)]) == 0
    read = [from_dict(json.loads(line)) for line in out_file.read_text().splitlines()]
    assert len(read) == len(held(db))
    assert {a.pmid: a for a in read} == held(db)
    assert main(["stats", str(db)]) == 0
    assert f"records      {len(read):,} in 1 file" in capsys.readouterr().out


def test_convert_to_medline_from_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "pubmed.db"
    main(["sync", "-q", str(db), str(FIXTURES / "pubmed2020.txt")])
    assert main(["convert", str(db), "--to", "medline"]) == 0
    out = capsys.readouterr().out
    assert out.count("PMID- ") == 3
