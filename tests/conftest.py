"""Shared test helpers: where the shared corpus is, and how to skip cleanly without it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
SKIP_CORPUS = (
    "../shared/corpus not found: the corpus tests need the shared folder beside the project "
    "(a fresh clone does not have it)"
)


def corpus_files() -> list[Path]:
    """The corpus's MEDLINE files (not SOURCES.tsv), or an empty list when it is absent."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.tsv")


def corpus_params() -> list[object]:
    """Parametrize values: one per corpus file, or a single skipped case when it is absent."""
    files = corpus_files()
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=SKIP_CORPUS), id="no-corpus")]
    return [pytest.param(p, id=p.name[:60]) for p in files]


@pytest.fixture(scope="session")
def corpus() -> list[Path]:
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_CORPUS)
    return files
