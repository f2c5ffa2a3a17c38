"""The ``medline`` command as a user runs it: ``python -m medline_parse ...`` in a subprocess, on the
bundled example, the fixtures and (when present) ../shared/corpus; exit codes, outputs, and one-line
errors without traceback for bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from medline_parse import dumps, loads
from medline_parse.convert import json as mjson
from medline_parse.convert._common import article_key

from .conftest import FIXTURES, ROOT, SKIP_CORPUS, corpus_files
from .test_convert_cases import SAMPLE, SAMPLE_NBIB, read_all

pytestmark = pytest.mark.skipif(not SAMPLE.is_file(), reason="examples/data/sample.txt missing")


def medline(
    *args: str | Path, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "medline_parse", *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=600,
        check=False,
    )


def err_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return result.stderr.decode("utf-8").splitlines()


def assert_no_traceback(result: subprocess.CompletedProcess[bytes]) -> None:
    text = result.stderr.decode("utf-8") + result.stdout.decode("utf-8", "replace")
    assert "Traceback" not in text, text


# -- convert -------------------------------------------------------------------------------------


def test_convert_jsonl_to_stdout() -> None:
    result = medline("convert", SAMPLE, "--to", "jsonl")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    lines = result.stdout.decode("utf-8").splitlines()
    articles = read_all(SAMPLE)
    assert len(lines) == len(articles)
    assert [mjson.from_dict(json.loads(line)) for line in lines] == articles


def test_convert_json_array_and_stdin_and_many_files() -> None:
    result = medline("convert", "-", SAMPLE_NBIB, "--to", "json", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = read_all(SAMPLE) + read_all(SAMPLE_NBIB)
    assert [mjson.from_dict(item) for item in data] == expected


def test_convert_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = medline("convert", SAMPLE, "--to", "csv", "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
    n = len(read_all(SAMPLE))
    assert f"wrote {n} articles to {out}" in result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == n
    assert not [p for p in tmp_path.iterdir() if "medline-partial" in p.name]  # no temp left
    quiet = medline("convert", SAMPLE, "--to", "csv", "-o", out, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == b""


@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csl-json", "csv"])
def test_convert_each_text_format(fmt: str) -> None:
    result = medline("convert", SAMPLE, "--to", fmt)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    n = len(read_all(SAMPLE))
    if fmt == "ris":
        assert text.count("TY  - ") == n and text.count("ER  - ") == n
    elif fmt == "bibtex":
        assert text.count("@article{") + text.count("@book{") + text.count("@incollection{") == n
    elif fmt == "csl-json":
        assert len(json.loads(text)) == n
    else:
        assert len(list(csv.reader(io.StringIO(text, newline="")))) == n + 1


def test_convert_csv_per_author() -> None:
    result = medline("convert", SAMPLE, "--to", "csv", "--per-author", "--sep", " | ")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
    articles = read_all(SAMPLE)
    assert len(rows) == sum(len(a.authors) for a in articles)
    assert {r["orcid"] for r in rows if r["orcid"]} == {
        au.orcid for a in articles for au in a.authors if au.orcid
    }


def test_convert_medline_style_and_newline() -> None:
    result = medline("convert", SAMPLE, "--to", "medline", "--newline", "crlf", "--style", "pubmed")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert text.count("\r\n") == text.count("\n")
    assert loads(text) == read_all(SAMPLE)
    assert text.replace("\r\n", "\n") == dumps(read_all(SAMPLE))


def test_convert_sqlite_twice_keeps_one_copy(tmp_path: Path) -> None:
    db = tmp_path / "pubmed.db"
    n = len(read_all(SAMPLE))
    for _ in range(2):
        result = medline("convert", SAMPLE, "--to", "sqlite", "-o", db)
        assert result.returncode == 0, result.stderr
    assert f"({n} replaced)" in result.stderr.decode()
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == n
        authors = connection.execute("SELECT count(*) FROM authors WHERE role = 'author'")
        assert authors.fetchone()[0] == sum(len(a.authors) for a in read_all(SAMPLE))


def test_convert_parquet(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    out = tmp_path / "out.parquet"
    result = medline("convert", SAMPLE, "--to", "parquet", "-o", out)
    assert result.returncode == 0, result.stderr
    frame = pd.read_parquet(out)
    assert list(frame["pmid"]) == [a.pmid for a in read_all(SAMPLE)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "SAMPLE", "--to", "sqlite"], "--to sqlite needs -o"),
        (["convert", "SAMPLE", "--to", "xml"], "invalid choice"),
        (["convert", "SAMPLE"], "required: -t/--to"),
        (["convert", "-", "-", "--to", "json"], "standard input (-) can be read only once"),
        (["convert", "SAMPLE", "--to", "ris", "--per-author"], "--per-author applies"),
        (["stats", "SAMPLE", "--top", "0"], "--top must be at least 1"),
        (["stats", "SAMPLE", "--width", "10000000000"], "must be between 1 and 1000"),
        (["stats", "SAMPLE", "--width", "-5"], "must be between 1 and 1000: -5"),
        (["stats", "SAMPLE", "--width", "0"], "argument --width: must be between 1 and 1000"),
        (["stats", "SAMPLE", "--width", "wide"], "argument --width: not a whole number: 'wide'"),
        (["fmt", "-"], "cannot read standard input"),
        ([], "required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = medline(*[str(SAMPLE) if a == "SAMPLE" else a for a in args])
    assert result.returncode == 2
    assert message in result.stderr.decode(), result.stderr
    assert_no_traceback(result)


# -- bad input -----------------------------------------------------------------------------------


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "garbage.bin").write_bytes(bytes(range(256)) * 64 + b"\x00\xff\xfe" * 100)
    (tmp_path / "folder").mkdir()
    return {
        "missing": tmp_path / "missing.txt",
        "directory": tmp_path / "folder",
        "garbage": tmp_path / "garbage.bin",
        "empty": tmp_path / "empty.txt",
    }


@pytest.mark.parametrize("kind", ["missing", "directory", "garbage", "empty"])
@pytest.mark.parametrize(
    "command",
    [["convert", "--to", "jsonl"], ["convert", "--to", "sqlite", "-o", "DB"], ["stats"], ["fmt"]],
)
def test_bad_input_is_one_line_and_exit_1(
    kind: str, command: list[str], bad_inputs: dict[str, Path], tmp_path: Path
) -> None:
    path = bad_inputs[kind]
    args = [str(tmp_path / "x.db") if a == "DB" else a for a in command]
    before = path.read_bytes() if path.is_file() else None
    result = medline(*args[:1], path, *args[1:])
    # binary data is no MEDLINE input at all: refused like a wrong argument (exit status 2)
    assert result.returncode == (2 if kind == "garbage" else 1), result.stderr
    assert_no_traceback(result)
    lines = err_lines(result)
    assert lines, "no error message"
    assert lines[0].startswith(f"medline: {path}: "), lines
    reason = lines[0][len(f"medline: {path}: ") :]
    expected = {
        "missing": "no such file",
        "directory": "is a directory",
        "garbage": "this looks like binary data, not MEDLINE",
        "empty": "no MEDLINE records found",
    }[kind]
    assert expected in reason
    if before is not None:
        assert path.read_bytes() == before  # fmt never touches a bad file


def test_bad_file_among_good_ones_is_skipped(bad_inputs: dict[str, Path]) -> None:
    result = medline("convert", bad_inputs["missing"], SAMPLE, "--to", "jsonl")
    assert result.returncode == 1
    assert err_lines(result) == [f"medline: {bad_inputs['missing']}: no such file"]
    assert len(result.stdout.splitlines()) == len(read_all(SAMPLE))


@pytest.mark.parametrize(
    ("fmt", "target", "reason"),
    [
        ("json", "missing/x.json", "no such file or directory"),
        ("csv", ".", "is a directory"),
        ("sqlite", "missing/x.db", "cannot write the database: unable to open database file"),
        ("sqlite", "notdb.txt", "cannot write the database: file is not a database"),
    ],
)
def test_output_that_cannot_be_written(fmt: str, target: str, reason: str, tmp_path: Path) -> None:
    (tmp_path / "notdb.txt").write_text("not a database\n")
    out = tmp_path / target
    result = medline("convert", SAMPLE, "--to", fmt, "-o", out)
    assert result.returncode == 1
    assert_no_traceback(result)
    assert err_lines(result) == [f"medline: {out}: {reason}"]
    assert (tmp_path / "notdb.txt").read_text() == "not a database\n"


@pytest.mark.parametrize("kind", ["missing", "directory", "empty"])
def test_check_bad_input(kind: str, bad_inputs: dict[str, Path]) -> None:
    result = medline("check", bad_inputs[kind])
    assert result.returncode == 1
    assert_no_traceback(result)
    assert f"{bad_inputs[kind]}: 0 records" in result.stdout.decode()


def test_check_binary_input_is_one_line_and_exit_2(bad_inputs: dict[str, Path]) -> None:
    result = medline("check", bad_inputs["garbage"])
    assert result.returncode == 2
    assert result.stdout == b""
    assert err_lines(result) == [
        f"medline: {bad_inputs['garbage']}: this looks like binary data, not MEDLINE or PubMed XML"
    ]


def test_missing_optional_package_is_a_clear_error(tmp_path: Path) -> None:
    # A sitecustomize that hides rispy stands in for an install without the [ris] extra.
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['rispy'] = None\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run(
        [sys.executable, "-m", "medline_parse", "convert", str(SAMPLE), "--to", "ris"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert_no_traceback(result)
    assert 'pip install "medline-parse[ris]"' in result.stderr.decode()


# -- check (unchanged behaviour) ------------------------------------------------------------------


def test_check_output_format() -> None:
    result = medline("check", SAMPLE, SAMPLE_NBIB)
    n1, n2 = len(read_all(SAMPLE)), len(read_all(SAMPLE_NBIB))
    assert result.returncode == 0, result.stdout
    assert result.stdout.decode().splitlines() == [
        f"{SAMPLE}: {n1} records, 0 problems",
        f"{SAMPLE_NBIB}: {n2} records, 0 problems",
        f"total: {n1 + n2} records, 0 problems",
    ]


def test_check_reports_problems_with_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("PMID- 1\nTI  - x\nSO  invalid line\n")
    result = medline("check", path)
    assert result.returncode == 1
    out = result.stdout.decode()
    assert f"{path}:3: warning:" in out and "[junk-line]" in out
    assert out.splitlines()[-1] == f"{path}: 1 record, 1 problem"


# -- stats ---------------------------------------------------------------------------------------


def test_stats_sections_and_numbers() -> None:
    result = medline("stats", SAMPLE, "--top", "3")
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    articles = read_all(SAMPLE)
    years = [a.year for a in articles if a.year]
    assert out.splitlines()[0] == f"records      {len(articles)} in 1 file"
    assert f"years        {min(years)}-{max(years)}" in out
    for section in ("records per year", "top journals", "top MeSH descriptors", "top authors"):
        assert section in out
    with_doi = sum(1 for a in articles if a.doi)
    assert f"({with_doi})" in out.split("DOI", 1)[1].splitlines()[0]
    top_journals = out.split("top journals\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(top_journals) == 3
    assert "█" in out
    # The most frequent year has the longest bar, of --width characters.
    assert "█" * 40 in out
    ascii_out = medline("stats", SAMPLE, "--ascii").stdout.decode()
    assert "█" not in ascii_out and "#" * 40 in ascii_out
    widest = medline("stats", SAMPLE, "--ascii", "--width", "1000").stdout.decode()
    assert "#" * 1000 in widest and "#" * 1001 not in widest


def test_stats_marks_major_topics_and_uses_full_names() -> None:
    out = medline("stats", SAMPLE, "--top", "50").stdout.decode("utf-8")
    mesh = out.split("top MeSH descriptors", 1)[1].split("\n\n", 1)[0]
    assert "*" in mesh
    authors = out.split("top authors", 1)[1]
    full_names = {au.full_name for a in read_all(SAMPLE) for au in a.authors if au.full_name}
    assert any(name in authors for name in full_names)


# -- fmt -----------------------------------------------------------------------------------------


def _mangle(text: str) -> str:
    """Unwrap every continuation line (a file re-saved by an editor), keeping the line endings."""
    newline = "\r\n" if "\r\n" in text else "\n"
    out = []
    for line in text.split(newline):
        if line.startswith("      ") and out:
            out[-1] = out[-1].rstrip(" ") + " " + line.strip()
        else:
            out.append(line)
    return newline.join(out)


@pytest.mark.parametrize("source", ["sample.txt", "sample.nbib"])
def test_fmt_rewrites_and_keeps_line_endings(source: str, tmp_path: Path) -> None:
    original = (ROOT / "examples" / "data" / source).read_bytes()
    path = tmp_path / source
    path.write_bytes(_mangle(original.decode("utf-8")).encode("utf-8"))
    check = medline("fmt", "--check", path)
    assert check.returncode == 1
    assert f"would reformat {path}" in check.stdout.decode()
    assert path.read_bytes() != original  # --check changes nothing
    result = medline("fmt", path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == original
    assert b"\r\n" in original if source.endswith(".nbib") else b"\r" not in original
    again = medline("fmt", "--check", path)
    assert again.returncode == 0, again.stdout
    assert again.stdout.decode().strip() == "0 of 1 file would be reformatted"


def test_fmt_keeps_leading_blank_line_and_style(tmp_path: Path) -> None:
    legacy = FIXTURES / "legacy.txt"
    path = tmp_path / "legacy.txt"
    shutil.copyfile(legacy, path)
    check = medline("fmt", "--check", "--style", "legacy", path)
    assert check.returncode == 0, check.stdout
    result = medline("fmt", "--style", "pubmed", path)
    assert result.returncode == 0
    text = path.read_bytes()
    assert text.startswith(b"\n") == legacy.read_bytes().startswith(b"\n")
    assert loads(text.decode()) == read_all(legacy)


def test_fmt_refuses_a_file_it_would_damage(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    data = b"PMID- 1\nTI  - A title\nthis line is no field\n"
    path.write_bytes(data)
    result = medline("fmt", path)
    assert result.returncode == 1
    assert_no_traceback(result)
    (line,) = [x for x in err_lines(result) if x.startswith("medline:")]
    assert line.startswith(f"medline: {path}: not rewritten: line 3:")
    assert path.read_bytes() == data


# -- corpus --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_corpus_converts_to_jsonl_and_sqlite(tmp_path: Path) -> None:
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_CORPUS)
    expected = sum(len(read_all(p)) for p in files)
    result = medline("convert", *files, "--to", "jsonl", "-o", tmp_path / "all.jsonl", "-q")
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "all.jsonl", encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == expected
    db = tmp_path / "all.db"
    result = medline("convert", *files, "--to", "sqlite", "-o", db, "-q")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        keys = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    unique = {article_key(a) for p in files for a in read_all(p)}
    assert keys == len(unique)  # an article met twice (same PMID) is stored once
    stats = medline("stats", *files, "-q")
    assert stats.returncode == 0
    assert stats.stdout.decode().startswith(f"records      {expected:,} in {len(files)} files")


# -- progress bar --------------------------------------------------------------------------------


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from medline_parse.cli.common import Progress as _Progress

    pytest.importorskip("tqdm")
    terminal = _FakeTerminal()
    bar = _Progress([str(SAMPLE)], terminal, quiet=False)
    assert bar.bar is not None
    assert bar.bar.total == SAMPLE.stat().st_size
    bar.close()
    assert _Progress([str(SAMPLE)], terminal, quiet=True).bar is None
    assert _Progress([str(SAMPLE)], io.StringIO(), quiet=False).bar is None
    monkeypatch.setitem(sys.modules, "tqdm", None)  # not installed: no bar, no error
    assert _Progress([str(SAMPLE)], terminal, quiet=False).bar is None


def test_progress_reading_counts_bytes_and_keeps_names(tmp_path: Path) -> None:
    import argparse
    import gzip

    from medline_parse.cli.common import Progress as _Progress
    from medline_parse.cli.common import Run as _Run
    from medline_parse.cli.common import read_articles as _read_articles

    pytest.importorskip("tqdm")
    compressed = tmp_path / "sample.txt.gz"
    compressed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    terminal = _FakeTerminal()
    progress = _Progress([str(SAMPLE), str(compressed)], terminal, quiet=False)
    args = argparse.Namespace(strict=False, encoding=None, quiet=False, source_format=None)
    run = _Run(terminal)
    articles = list(_read_articles([str(SAMPLE), str(compressed)], run, args, progress))
    assert progress.bar.n == SAMPLE.stat().st_size + compressed.stat().st_size
    progress.close()
    assert articles == read_all(SAMPLE) * 2
    assert run.errors == 0
