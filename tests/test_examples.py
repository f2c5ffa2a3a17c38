"""The scripts in examples/ run, as a user would run them, and print true facts about the sample.

Each script runs in a fresh process from an empty working directory, so it must find its data by
itself and must not leave files behind.  The facts checked are known properties of the fictional
sample export (examples/data/sample.txt), not whatever the library happens to print.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from medline_parse.sources import BLOCK_SIZE

from .conftest import EXAMPLES

SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py"))
TESTED = {
    "authors_affiliations.py",
    "edit_and_write.py",
    "export_sqlite.py",
    "mesh_summary.py",
    "stream_large.py",
}


def run(script: str, *args: str, cwd: Path) -> str:
    """Run examples/<script> in *cwd* and return its standard output (it must exit 0)."""
    before = sorted(cwd.iterdir())
    examples_before = sorted(EXAMPLES.rglob("*"))
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stderr}"
    assert done.stderr == "", f"{script} wrote to stderr:\n{done.stderr}"
    assert sorted(cwd.iterdir()) == before, f"{script} left files in its working directory"
    assert sorted(EXAMPLES.rglob("*")) == examples_before, f"{script} wrote into examples/"
    return done.stdout


def test_every_example_is_tested() -> None:
    assert set(SCRIPTS) == TESTED, (
        "a script in examples/ has no test here (or a test lost its script)"
    )


def test_authors_affiliations(tmp_path: Path) -> None:
    out = run("authors_affiliations.py", cwd=tmp_path)
    lines = out.splitlines()
    assert lines[0].split("\t") == ["pmid", "position", "author", "orcid", "affiliation"]
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 5 for row in rows)
    # The first author of 99000001 has an ORCID iD and three affiliations, each on its own row.
    first = [row for row in rows if row[:2] == ["99000001", "1"]]
    assert [row[2:4] for row in first] == [["Okonkwo-Hale, Adaeze", "0000-0006-2471-9030"]] * 3
    assert first[1][4] == (
        "Arawhata Institute for Child Health Research, University of Port Callander, "
        "Port Callander, New Zealand."
    )
    assert first[2][4].endswith("Electronic address: a.okonkwo-hale@callander-health.example.")
    # The two "Wang Y": told apart by their full names, only the second has an ORCID iD.
    assert rows[3][:4] == ["99000001", "2", "Wang, Yiran", "-"]
    assert "Jinhai University School of Medicine" in rows[3][4]
    assert rows[5][:4] == ["99000001", "4", "Wang, Yuxuan", "0000-0006-5830-1142"]
    # The group author keeps its place and its affiliation; an author with none gets "-".
    assert rows[6] == [
        "99000001",
        "5",
        "NORTHWIND-2 Trial Investigators (group)",
        "-",
        "Meridian Paediatric Trials Unit, Port Callander, New Zealand.",
    ]
    assert rows[7] == ["99000001", "6", "Ferreira-Baptiste, Joana", "-", "-"]
    # An ORCID iD ending in X, a non-ASCII name.
    assert ["99000011", "1", "Kristjánsdóttir, Embla", "0000-0006-1148-229X"] in [
        row[:4] for row in rows
    ]
    # 49 authors in 14 records; 13 of them with an ORCID iD; the erratum 99000012 has no author.
    assert len({(row[0], row[1]) for row in rows}) == 49
    assert len({row[3] for row in rows if row[3] != "-"}) == 13
    assert len({row[0] for row in rows}) == 13
    assert "99000012" not in {row[0] for row in rows}


def test_mesh_summary(tmp_path: Path) -> None:
    out = run("mesh_summary.py", cwd=tmp_path)
    lines = out.splitlines()
    assert lines[0] == "14 records, 10 with MeSH headings, 72 descriptors"
    counts = {}
    for line in lines[1:]:
        match = re.fullmatch(r" *(\d+) +(\*\d+)?  (.+)", line)
        assert match, line
        counts[match[3]] = (int(match[1]), match[2])
    assert len(counts) == 72
    assert counts["Humans"] == (10, None)
    assert counts["Asthma"] == (2, "*2")
    # Major through a starred qualifier only: "Respiratory Sounds/*drug effects".
    assert counts["Respiratory Sounds"] == (1, "*1")
    assert counts["Child, Preschool"] == (2, None)
    assert lines[1].endswith("Humans")  # most frequent first


def test_edit_and_write(tmp_path: Path) -> None:
    out = run("edit_and_write.py", cwd=tmp_path)
    assert "wrote 14 records to a temporary file" in out
    assert "read back 14 records" in out
    assert "edited record equal after the round trip: True" in out
    assert "other records unchanged: True" in out
    assert "ORCID of Wang, Yiran: 0000-0002-1825-0097" in out
    assert "last MeSH heading: *Pandemics" in out
    assert "lines added: 2, lines removed: 0" in out
    changed = [
        line
        for line in out.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == ["+AUID- ORCID: 0000-0002-1825-0097", "+MH  - *Pandemics"]
    # The new AUID line stands under its author, before that author's affiliation.
    diff = out[out.index("--- original") :]
    assert (
        " AU  - Wang Y\n+AUID- ORCID: 0000-0002-1825-0097\n AD  - Department of Pulmonology" in diff
    )


def test_export_sqlite(tmp_path: Path) -> None:
    out = run("export_sqlite.py", cwd=tmp_path)
    assert "wrote 14 articles (0 replaced)" in out
    assert "wrote them again: 14 articles (14 replaced)" in out
    assert "14 articles, 49 authors" in out
    years = re.findall(r"^  (\d{4})  (\d+)$", out, re.MULTILINE)
    assert years == [("2001", "1"), ("2021", "1"), ("2022", "2"), ("2023", "6"), ("2024", "4")]
    assert "  2  Asthma\n" in out
    assert (
        "  99000001  0000-0006-2471-9030  Okonkwo-Hale, Adaeze  | Department of Paediatric "
        "Respiratory Medicine, Saint Aldhelm Children's Hospital, Port Callander, New Zealand.\n"
    ) in out
    assert "  99000003  Erratum in 99000012\n" in out
    assert "  99000012  Erratum for 99000003\n" in out


def test_export_sqlite_to_a_named_database(tmp_path: Path) -> None:
    database = tmp_path / "pubmed.db"
    work = tmp_path / "work"
    work.mkdir()
    run("export_sqlite.py", str(EXAMPLES / "data" / "sample.nbib"), str(database), cwd=work)
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT pmid FROM articles ORDER BY pmid").fetchall()
    db.close()
    assert rows == [("99000021",), ("99000022",), ("99000023",)]


def test_stream_large(tmp_path: Path) -> None:
    # The smaller file must be larger than the reader's block, or its peak is smaller by itself.
    sample_size = (EXAMPLES / "data" / "sample.txt").stat().st_size
    copies = max(10, math.ceil(1.3 * BLOCK_SIZE / sample_size))
    out = run("stream_large.py", "--copies", str(copies), cwd=tmp_path)
    found = re.findall(
        r"^large-(\d)\.txt: ([\d.]+) MB, (\d+) records, peak memory ([\d.]+) MB", out, re.MULTILINE
    )
    assert [(factor, int(records)) for factor, _, records, _ in found] == [
        ("1", 14 * copies),
        ("4", 14 * 4 * copies),
    ]
    (_, small_size, _, small_peak), (_, large_size, _, large_peak) = found
    assert float(large_size) > 3.5 * float(small_size)
    # Flat memory: four times the input, about the same peak.
    assert float(large_peak) < 1.5 * float(small_peak), out


@pytest.mark.parametrize("script", ["authors_affiliations.py", "mesh_summary.py"])
def test_examples_take_another_file(script: str, tmp_path: Path) -> None:
    out = run(script, str(EXAMPLES / "data" / "sample.nbib"), cwd=tmp_path)
    assert "99000001" not in out
    if script == "mesh_summary.py":
        assert out.startswith("3 records")
    else:
        assert "99000021\t1\t" in out
