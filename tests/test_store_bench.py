"""Smoke test of benchmarks/sync_bench.py on a tiny input: it runs and reports its figures (never
how fast anything is: speed is measured by running the benchmark)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

BENCH = ROOT / "benchmarks" / "sync_bench.py"
SMALL = ["--records", "400", "--baseline-file-records", "150", "--update-file-records", "40"]


def _run(tmp_path: Path, *extra: str) -> tuple[str, dict[str, object]]:
    out = tmp_path / f"figures{len(list(tmp_path.glob('figures*')))}.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), *SMALL, "--dir", str(tmp_path), "--json", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout, json.loads(out.read_text())


def test_sync_bench_runs_and_reports(tmp_path: Path) -> None:
    stdout, figures = _run(tmp_path)
    for label in ("records ", "articles ", "time ", "as it grows ", "database "):
        assert any(line.startswith(label) for line in stdout.splitlines()), label
    assert figures["records"] == 400  # 2 baseline files of 160, 2 update files of 40
    assert 0 < figures["articles"] <= figures["records"]  # type: ignore[operator]
    assert figures["deleted"] > 0  # type: ignore[operator]
    assert figures["db_bytes"] > 0  # type: ignore[operator]
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == []  # the temporary folder went


def test_sync_bench_reuses_its_files(tmp_path: Path) -> None:
    files = tmp_path / "files"
    _, first = _run(tmp_path, "--files", str(files))
    written = sorted(p.name for p in files.iterdir())
    stamps = {p.name: p.stat().st_mtime_ns for p in files.iterdir()}
    _, second = _run(tmp_path, "--files", str(files))
    assert sorted(p.name for p in files.iterdir()) == written
    assert {p.name: p.stat().st_mtime_ns for p in files.iterdir()} == stamps  # not written again
    for key in ("records", "added", "replaced", "deleted", "articles"):
        assert second[key] == first[key], key
