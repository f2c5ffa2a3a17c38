"""Smoke tests of the benchmark harnesses (benchmarks/bench.py, benchmarks/xml_bench.py) on tiny
inputs.

They check that the script runs and prints its table, never how fast anything is: speed is
measured by running the benchmarks, not by timed tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import medline_parse
from medline_parse.medline.wrap import format_field

from .conftest import FIXTURES

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
BENCH = BENCHMARKS / "bench.py"
HEADER_WORDS = ("contender", "records", "median s", "records/s", "MB/s", "x Bio", "peak MB")


def _have_biopython() -> bool:
    return importlib.util.find_spec("Bio") is not None


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _header_line(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.startswith("contender ")]
    assert len(lines) == 1, stdout
    return lines[0]


def test_bench_runs_on_tiny_synthetic_input(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = _run(["--synthetic", "--size-mb", "1", "--repeat", "1", "--json", str(out)])
    assert proc.returncode == 0, proc.stderr
    header = _header_line(proc.stdout)
    for word in HEADER_WORDS:
        assert word in header
    assert "CPU:" in proc.stdout
    assert "Python:" in proc.stdout

    results = json.loads(out.read_text(encoding="utf-8"))
    names = {row["name"] for row in results["contenders"]}
    expected = {"parse", "iter_records", "dumps", "lines"}
    if _have_biopython():
        expected.add("biopython")
        assert "Bio.Medline.parse" in proc.stdout
    else:
        assert "Biopython is not installed" in proc.stdout
    assert names == expected
    for row in results["contenders"]:
        assert row["error"] is None, row
        assert row["records"] > 0
        assert len(row["times"]) == 1
        assert row["peak_mb"] is not None
    assert results["input"]["size_bytes"] >= 1_000_000


def test_bench_without_biopython_skips_only_its_row(tmp_path: Path) -> None:
    """A Bio package that fails to import stands in for an environment without Biopython."""
    fake = tmp_path / "site"
    (fake / "Bio").mkdir(parents=True)
    (fake / "Bio" / "__init__.py").write_text(
        'raise ImportError("Biopython hidden by the test")\n', encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(fake)}
    proc = _run(
        ["--synthetic", "--size-mb", "0.2", "--repeat", "1", "--only", "parse,biopython,lines"],
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    _header_line(proc.stdout)
    assert "Biopython is not installed" in proc.stdout
    assert "medline_parse.parse" in proc.stdout
    assert not [line for line in proc.stdout.splitlines() if line.startswith("Bio.Medline.parse ")]


def test_bench_rejects_unknown_contender() -> None:
    proc = _run(["--only", "nonsense"])
    assert proc.returncode == 2
    assert "unknown" in proc.stderr


def test_synthetic_records_follow_pubmed_layout() -> None:
    synth = _load("synth")
    texts = [text for text, _ in zip(synth.iter_synthetic(seed=7), range(40), strict=False)]
    assert texts == [text for text, _ in zip(synth.iter_synthetic(seed=7), range(40), strict=False)]
    records = list(medline_parse.iter_records(["".join(texts)]))
    assert len(records) == 40
    for record in records:
        assert not [d for d in record.diagnostics if d.is_problem]
        tags = record.tags
        assert 5 <= tags.count("FAU") == tags.count("AU") <= 15
        assert "AB" in tags
        assert "PHST" in tags
        assert "AID" in tags
        if "MEDLINE" in record.get("STAT"):
            assert 10 <= tags.count("MH") <= 20
        abstract = record.first("AB")
        assert abstract is not None
        assert 200 <= len(abstract.split()) <= 300
        for f in record.fields:
            assert f.raw == format_field(f.tag, f.value, "pubmed"), f


def test_synthetic_wrap_rule() -> None:
    synth = _load("synth")
    width = synth.WIDTH
    value = " ".join(["word"] * 60)
    parts = synth.wrap(value, width)
    assert all(len(p.rstrip(" ")) <= width for p in parts)
    assert all(p.endswith(" ") and not p.endswith("  ") for p in parts[:-1])
    assert not parts[-1].endswith(" ")
    assert " ".join(p.rstrip(" ") for p in parts) == value


def test_bench_parallel_rows_cut_the_input_at_record_boundaries(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    args = ["--synthetic", "--size-mb", "1", "--repeat", "1", "--no-memory", "--only", "parse"]
    proc = _run([*args, "--parallel", "3", "--json", str(out)])
    assert proc.returncode == 0, proc.stderr
    parallel = json.loads(out.read_text(encoding="utf-8"))["parallel"]
    assert parallel["files"] == 3
    assert parallel["rows"][0]["workers"] == 1
    assert all(row["median"] > 0 and row["speedup"] > 0 for row in parallel["rows"])
    assert "speed-up" in proc.stdout


def test_split_input_keeps_every_record_whole(tmp_path: Path) -> None:
    bench = _load("bench")
    source = tmp_path / "in.txt"
    records = [f"PMID- {99000000 + n}\nTI  - Title {n}\n" for n in range(10)]
    source.write_text("\n".join(records), encoding="utf-8")
    data = bench.Input(source, source.stat().st_size, 10, "test")
    paths = bench.split_input(data, tmp_path / "parts", 3)
    assert len(paths) == 3
    assert b"".join(p.read_bytes() for p in paths) == source.read_bytes()
    assert all(p.read_bytes().startswith(b"PMID- ") for p in paths)


def test_floor_runs_on_tiny_synthetic_input() -> None:
    args = ["--synthetic", "--size-mb", "0.2", "--repeat", "1"]
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "floor.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = ("medline_parse.parse", "cutting", "constructing", "floor: cutting + constructing")
    for row in rows:
        assert any(line.startswith(row) for line in proc.stdout.splitlines()), proc.stdout
    bio_rows = [line for line in proc.stdout.splitlines() if line.startswith("Bio.Medline.parse ")]
    if _have_biopython():
        assert len(bio_rows) == 1
    else:
        assert not bio_rows
        assert "Biopython is not installed" in proc.stdout


def test_floor_measures_real_work() -> None:
    """What the floor times rebuilds the articles and cuts every field: it is not empty work."""
    floor = _load("floor")
    text = (FIXTURES / "legacy.txt").read_text(encoding="utf-8")
    articles = medline_parse.loads(text)
    calls = floor.construction_calls(articles)
    built = [maker(*args, **kwargs) for maker, args, kwargs in calls]
    rebuilt = [value for value in built if isinstance(value, medline_parse.Article)]
    assert rebuilt == articles
    people = [
        person
        for article in articles
        for person in (*article.authors, *article.investigators, *article.editors)
    ]
    assert [value for value in built if isinstance(value, medline_parse.Author)] == people

    records = floor.records_of(FIXTURES / "legacy.txt")
    assert len(records) == len(articles)
    fields = sum(len(r) for r in medline_parse.iter_records(FIXTURES / "legacy.txt"))
    assert floor.cut(records) == 2 * fields
    if medline_parse.COMPILED:  # the compiled kernel's floors cut and build every field too
        assert floor.cut_compiled(records) == 2 * fields
        assert floor.fields_compiled(records) == fields


def test_collapsed_bench_reads_every_record_of_each_line() -> None:
    collapsed = _load("collapsed_bench")
    line, count = collapsed.collapsed_line(5_000)
    assert len(line) >= 5_000 and line.count("\n") == 1
    records = list(medline_parse.iter_records([line]))
    assert len(records) == count
    assert all(len(r.fields) == 5 for r in records)
    assert all([d.code for d in r.diagnostics] == ["collapsed-record"] for r in records)
    args = ["--sizes-mb", "0.02,0.04", "--repeat", "1"]
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "collapsed_bench.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [line.split() for line in proc.stdout.splitlines() if line[:8].strip()[:1].isdigit()]
    assert [float(row[0]) for row in rows] == [0.02, 0.04], proc.stdout
    assert rows[0][-1] == "1.00"


# -- the PubMed XML benchmark ---------------------------------------------------------------------

XML_BENCH = BENCHMARKS / "xml_bench.py"


def _run_xml(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(XML_BENCH), "--fixtures", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_xml_bench_runs_on_the_fixtures(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = _run_xml(
        ["--size-mb", "0.2", "--repeat", "2", "--only", "parse,dicts,iterparse", "--json", str(out)]
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("input: ") and "tests/fixtures/xml" in lines[0]
    rows = {line.split("  ")[0] for line in lines[2:]}
    assert {
        "medline_parse.parse",
        "iterparse + dicts (its style)",
        "lxml iterparse (floor)",
    } <= rows
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {name: len(times) for name, times in data["rounds"].items()} == {
        "parse": 2,
        "dicts": 2,
        "iterparse": 2,
    }
    # every contender read the same records: parse's loop counts what the input holds
    bench = _load("xml_bench")
    path = tmp_path / "input.xml.gz"
    files, _ = bench.source_files(fixtures=True)
    count = bench.write_input(path, 0.05, bench.records(files))
    assert bench.run_iterparse(path) == count
    assert bench.run_parse(path) == sum(
        len(a.authors) + len(a.mesh) + len(a.history) for a in medline_parse.parse(path)
    )


def test_xml_bench_rejects_unknown_contender() -> None:
    proc = _run_xml(["--only", "parse,nosuch"])
    assert proc.returncode != 0
    assert "nosuch" in proc.stderr


def test_dask_bench_runs_on_tiny_input(tmp_path: Path) -> None:
    import pytest

    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    out = tmp_path / "dask.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "dask_bench.py"), "--files", "2", "--size-mb", "0.02",
         "--repeat", "1", "--workers", "1", "--memory-records", "20", "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "dask read_dataframe, 1 workers" in done.stdout
    assert "one partition of" in done.stdout
    rows = json.loads(out.read_text())["rows"]
    assert [row["contender"] for row in rows] == [
        "parse_many(workers=1)",
        *[f"dask read_{k}, 1 workers" for k in ("articles", "dataframe")],
    ]
