"""The shared corpus (MEDLINE text and PubMed XML) synced into one database and read back: the
articles that come back are the articles synced (the reference view of the files applied).
Skipped without ``../shared``."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from medline_parse import MedlineWarning, iter_events
from medline_parse.store import SyncError, sync
from medline_parse.store.order import View

from .conftest import CORPUS, SKIP_CORPUS
from .store_helpers import check_child_rows, held
from .xml_helpers import CORPUS_XML

pytestmark = pytest.mark.slow


def _files() -> list[Path]:
    found = []
    for folder in (CORPUS, CORPUS_XML):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.is_file() and p.name != "SOURCES.tsv")
    return found


def test_corpus_synced_and_read_back(tmp_path: Path) -> None:
    files = _files()
    if not files:
        pytest.skip(SKIP_CORPUS)
    db = tmp_path / "corpus.db"
    # One run over every file; a file refused (damaged: not read whole) is left out and the run
    # started again, the files applied before it being skipped.
    remaining = list(files)
    refused: list[Path] = []
    while True:
        try:
            sync(db, remaining)
            break
        except SyncError as error:
            assert error.file is not None
            assert str(error).startswith(error.file), error
            refused.append(Path(error.file))
            remaining.remove(Path(error.file))
    view = View()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        for path in remaining:
            view.apply_all(iter_events(path))
    applied, refused = len(remaining), len(refused)
    assert applied > refused
    back = held(db)
    assert back.keys() == view.articles.keys()
    for key, article in view.articles.items():
        assert back[key] == article, key
    check_child_rows(db)
