"""The "Getting records" page works as written: its three commands, from a query to a database,
and its Python examples run against the local fake E-utilities (the page marks them
``no-test`` for the documentation test, which has no E-utilities to call)."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import shlex
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from medline_parse import MedlineWarning

from .conftest import ROOT
from .eutils_server import EUtils, make_records
from .test_readme import code_blocks

PAGE = ROOT / "docs" / "getting-records.md"
BLOCKS = code_blocks(PAGE)


def records() -> list[object]:
    found = make_records(60, dates=lambda i: datetime.date(2020 + i % 3, 1 + i % 12, 1 + i % 28))
    found[0].pmid, found[1].pmid = 31452104, 33301246  # the PMIDs the page fetches
    return found  # type: ignore[return-value]


@pytest.fixture(scope="module")
def server() -> object:
    with EUtils(records()) as service:  # type: ignore[arg-type]
        yield service


def test_from_a_query_to_a_database_in_three_commands(server: EUtils, tmp_path: Path) -> None:
    first = next(b for b in BLOCKS if b.language == "console")
    commands = [line[2:] for line in first.code.splitlines() if line.startswith("$ ")]
    assert [shlex.split(c)[1] for c in commands] == ["fetch", "check", "convert"]
    env = {**os.environ, "MEDLINE_PARSE_EUTILS_URL": server.url, "NCBI_API_KEY": "docs"}
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "medline_parse", *shlex.split(command)[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"{command}\n{done.stderr}"
    asthma = [  # a publication date is the print or the electronic one
        r
        for r in server.db.records.values()
        if r.topic == "asthma" and any(2020 <= d.year <= 2021 for d in r.dates())
    ]
    with contextlib.closing(sqlite3.connect(tmp_path / "pubmed.db")) as db:
        stored = {row[0] for row in db.execute("SELECT pmid FROM articles")}
    assert stored == {str(r.pmid) for r in asthma} and stored


def test_the_python_examples(
    server: EUtils, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDLINE_PARSE_EUTILS_URL", server.url)
    monkeypatch.setenv("NCBI_API_KEY", "docs")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    python = [b for b in BLOCKS if b.language == "python"]
    assert len(python) == 2
    for block in python:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), warnings.catch_warnings():
            warnings.simplefilter("error", MedlineWarning)
            exec(compile(block.code, f"{PAGE.name}:{block.line}", "exec"), namespace)
        assert printed.getvalue()
    assert [a.pmid for a in namespace["articles"]] == ["31452104", "33301246"]  # type: ignore[attr-defined]
    assert (tmp_path / "asthma.xml").read_bytes().count(b"<PubmedArticle>") == namespace[
        "report"
    ].records  # type: ignore[attr-defined]
