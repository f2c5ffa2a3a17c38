"""A ``medline sync`` killed at any moment (SIGKILL) leaves the database as it was after the last
whole file, and the next run goes on from there to the same database as an uninterrupted run."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .pubmed_files import baseline_and_updates
from .store_helpers import check_child_rows, dump, expected_view, held, write_files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals as on POSIX")


def _command(db: Path, files: list[Path]) -> list[str]:
    return [sys.executable, "-m", "medline_parse", "sync", "-q", str(db), *map(str, files)]


def _applied(db: Path) -> int:
    if not db.exists():
        return 0
    connection = sqlite3.connect(db)
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if "sync_files" not in tables:
            return 0
        count: int = connection.execute("SELECT count(*) FROM sync_files").fetchone()[0]
        return count
    finally:
        connection.close()


def _index_names(db: Path) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
    finally:
        connection.close()


def _check_whole_files(db: Path, files: list[Path]) -> int:
    """The database holds exactly the view of the files it records as applied; their count."""
    if not db.exists():
        return 0
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()
    applied = _applied(db)
    assert held(db) == expected_view(files[:applied])
    check_child_rows(db)
    return applied


def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    files = write_files(
        folder,
        list(
            baseline_and_updates(
                seed=11, baseline_files=3, baseline_records=300, update_files=3, update_records=150
            )
        ),
    )
    reference = tmp_path / "reference.db"
    started = time.monotonic()
    subprocess.run(_command(reference, files), check=True, timeout=300)
    duration = time.monotonic() - started

    db = tmp_path / "killed.db"
    rng = random.Random(5)
    kills = 0
    for _ in range(4):
        left = duration * (len(files) - _applied(db)) / len(files)
        process = subprocess.Popen(_command(db, files))
        time.sleep(rng.uniform(0.1, left))
        if process.poll() is not None:
            break  # it finished before the moment came
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        kills += 1
        _check_whole_files(db, files)
        if _applied(db) == len(files):
            break
    assert kills >= 1
    finished = subprocess.run(_command(db, files), timeout=300)
    assert finished.returncode == 0
    assert _check_whole_files(db, files) == len(files)
    assert dump(db) == dump(reference)
    assert _index_names(db) == _index_names(reference)  # a bulk load's deferred indexes built


def test_ctrl_c_stops_at_a_whole_file(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    files = write_files(
        folder,
        list(baseline_and_updates(seed=12, baseline_files=4, baseline_records=300, update_files=0)),
    )
    db = tmp_path / "pubmed.db"
    process = subprocess.Popen(_command(db, files), stderr=subprocess.PIPE, text=True)
    # wait until the first file is applied, then interrupt
    deadline = time.monotonic() + 120
    while _applied(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the sync finished before it could be interrupted")
    assert process.returncode == 130
    assert "interrupted" in err
    assert "run the same command again" in err
    _check_whole_files(db, files)
