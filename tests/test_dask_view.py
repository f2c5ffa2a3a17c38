"""current_view: baseline and update files folded on Dask give the records medline_parse.sync keeps.

The reference is ``medline_parse.store.order.View``, the in-memory current view that ``sync`` is
tested against, fed the files' events in PubMed's order; and ``sync`` itself on the same files.
The files are fictional PubMed XML written here: records with versions, deletion notices, PMIDs
that come back after being deleted, files given out of order.
"""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medline_parse import MedlineWarning, iter_events, sync

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
order = pytest.importorskip(
    "medline_parse.store.order", reason="the current view's rules (issue 17) are not merged yet"
)

import dask  # noqa: E402
import pyarrow as pa  # noqa: E402

from medline_parse import dask as md  # noqa: E402
from medline_parse.convert.frames import to_arrow  # noqa: E402

from .conftest import FIXTURES  # noqa: E402
from .dask_cluster import local_client  # noqa: E402

PMIDS = ["99300001", "99300002", "99300003", "99300004"]


def _article(pmid: str, version: int | None, title: str) -> str:
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM">'
        + _pmid(pmid, version)
        + "<Article><Journal><Title>Journal of fictional results</Title></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle><Language>eng</Language></Article>"
        "</MedlineCitation></PubmedArticle>\n"
    )


def _pmid(pmid: str, version: int | None) -> str:
    stated = "" if version is None else f' Version="{version}"'
    return f"<PMID{stated}>{pmid}</PMID>"


def _deletion(pmids: list[tuple[str, int | None]]) -> str:
    inner = "".join(_pmid(pmid, version) for pmid, version in pmids)
    return f"<DeleteCitation>{inner}</DeleteCitation>\n"


def _write(folder: Path, name: str, events: list[str]) -> str:
    path = folder / name
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n'
        + "".join(events)
        + "</PubmedArticleSet>\n",
        encoding="utf-8",
    )
    return str(path)


_VERSION = st.sampled_from([None, 1, 1, 2])
_EVENT = st.one_of(
    st.builds(
        _article,
        st.sampled_from(PMIDS),
        _VERSION,
        st.text(alphabet="abcdefghij ", min_size=1, max_size=12).map(str.strip).filter(bool),
    ),
    st.builds(
        _deletion, st.lists(st.tuples(st.sampled_from(PMIDS), _VERSION), min_size=1, max_size=3)
    ),
)
_FILES = st.lists(st.lists(_EVENT, max_size=6), min_size=1, max_size=4)


def _expected(paths: list[str]) -> pa.Table:
    view = order.View()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        view.apply_all(chain.from_iterable(iter_events(p) for p in order.order_files(paths)))
    return _sorted(to_arrow(view.articles.values()))


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by("pmid")


def _view(paths: list[str], **options: Any) -> pa.Table:
    frame = md.current_view(paths, **options).compute()
    return _sorted(pa.Table.from_pandas(frame, preserve_index=False))


def _files(folder: Path, files: list[list[str]], shuffled: list[int]) -> list[str]:
    paths = [_write(folder, f"pubmed26n{n + 1:04d}.xml", events) for n, events in enumerate(files)]
    return [paths[i] for i in shuffled]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=_FILES, data=st.data())
def test_the_view_is_the_reference_view(files: list[list[str]], data: st.DataObject) -> None:
    # In this process (Dask's synchronous scheduler); test_on_a_cluster runs the same on workers.
    import tempfile

    shuffled = data.draw(st.permutations(range(len(files))))
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(Path(folder), files, shuffled)
        with dask.config.set(scheduler="sync"):
            assert _view(paths).equals(_expected(paths))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with local_client() as client:
        yield client


def test_on_a_cluster_with_text_files_cut_in_parts(client: Any, tmp_path: Path) -> None:
    baseline = [
        [_article(p, 1, f"baseline {p}") for p in PMIDS],
        [_article(PMIDS[0], 2, "version two"), _article(PMIDS[1], 1, "revised")],
    ]
    updates = [
        [_deletion([(PMIDS[1], 1), (PMIDS[2], None)]), _article(PMIDS[2], 1, "back again")],
        [_article(PMIDS[0], 1, "an older version, ignored"), _deletion([(PMIDS[3], 2)])],
        [_deletion([(PMIDS[0], 2)])],
    ]
    paths = _files(tmp_path, baseline + updates, [4, 2, 0, 3, 1])
    # MEDLINE text has no versions and no deletions: a later record replaces an earlier one
    text = FIXTURES / "pubmed2020.txt"
    twice = tmp_path / "twice.txt"
    twice.write_bytes(text.read_bytes() * 2)
    paths += [str(twice), str(text)]
    expected = _expected(paths)
    assert _view(paths, blocksize=1500).equals(expected)
    assert _view(paths, npartitions=3, blocksize=None).equals(expected)
    titles = dict(zip(expected["pmid"].to_pylist(), expected["title"].to_pylist()))
    assert titles[PMIDS[2]] == "back again"
    assert PMIDS[0] not in titles and PMIDS[1] not in titles
    assert titles[PMIDS[3]] == f"baseline {PMIDS[3]}"  # a deletion of another version


def _synced(tmp_path: Path, paths: list[str]) -> set[tuple[str, str]]:
    database = tmp_path / "view.db"
    sync(database, paths)
    with sqlite3.connect(database) as connection:
        return set(connection.execute("SELECT pmid, title FROM articles"))


def test_the_same_records_as_sync(client: Any, tmp_path: Path) -> None:
    files = [
        [_article(p, 1, f"first {p}") for p in PMIDS],
        [_deletion([(PMIDS[0], 1)]), _article(PMIDS[1], 2, "second version")],
        [_article(PMIDS[0], 1, "restored"), _deletion([(PMIDS[2], 1)])],
        [_article(PMIDS[1], 1, "older than the one held"), _article(PMIDS[3], None, "no version")],
    ]
    paths = _files(tmp_path, files, [2, 3, 0, 1])
    twice = tmp_path / "twice.txt"
    twice.write_bytes((FIXTURES / "pubmed2020.txt").read_bytes() * 2)
    paths += [str(twice), str(FIXTURES / "legacy.txt")]
    got = _view(paths, columns=["pmid", "title"], blocksize=2000)
    assert set(zip(got["pmid"].to_pylist(), got["title"].to_pylist())) == _synced(tmp_path, paths)
    assert (PMIDS[1], "second version") in _synced(tmp_path, paths)


def test_the_corpus_update_series_gives_what_sync_keeps(client: Any, tmp_path: Path) -> None:
    # Real baseline and update files, 2020 to 2025 (a sample of each), in PubMed's order.
    import re

    from .conftest import CORPUS, SKIP_CORPUS

    folder = CORPUS.parent / "corpus-xml"
    if not folder.is_dir():
        pytest.skip(SKIP_CORPUS.replace("corpus", "corpus-xml"))
    series = re.compile(r".*__pubmed_sample__(baseline|updatefiles)__pubmed(\d\d)n(\d{4})@")
    found = [(series.match(p.name), str(p)) for p in folder.iterdir()]
    paths = [path for match, path in sorted((m.group(2, 3), p) for m, p in found if m)]
    assert len(paths) >= 10
    got = _view(paths, columns=["pmid", "title"])
    assert got.equals(_expected(paths).select(["pmid", "title"]))
    assert set(zip(got["pmid"].to_pylist(), got["title"].to_pylist())) == _synced(tmp_path, paths)
