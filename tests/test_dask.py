"""medline_parse.dask on a real cluster: a distributed.LocalCluster of two worker processes.

The results must equal the single-machine ones: :func:`medline_parse.parse` for articles,
:func:`medline_parse.convert.frames.to_arrow` for the table.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import pickle
import shutil
import warnings
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

import pytest

from medline_parse import Article, MedlineError, MedlineWarning, ParseError, SourceError, parse
from medline_parse.convert.frames import arrow_schema, to_arrow

from .conftest import CORPUS, EXAMPLES, FIXTURES, SKIP_CORPUS, corpus_files
from .dask_cluster import local_client

distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
import dask  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from medline_parse import dask as md  # noqa: E402

TEXT_FILES = [
    EXAMPLES / "data" / "sample.txt",
    FIXTURES / "legacy.txt",
    EXAMPLES / "data" / "sample.nbib",
    FIXTURES / "pubmed2020.txt",
    FIXTURES / "efetch.txt",
]
XML_FILES = [EXAMPLES / "data" / "pubmed-sample.xml"]
CORPUS_XML = CORPUS.parent / "corpus-xml"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with local_client() as client:
        yield client


def _parsed(paths: list[Path] | list[str], **options: Any) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        return list(chain.from_iterable(parse(p, **options) for p in paths))


def _diagnostics(articles: list[Article]) -> list[Any]:
    return [(a.pmid, d.code, d.line, d.path) for a in articles for d in a.diagnostics]


def test_articles_equal_parse_whole_files_and_cut_ones(client: Any) -> None:
    paths = [str(p) for p in TEXT_FILES + XML_FILES]
    expected = _parsed(paths)
    for blocksize in (None, 2000):
        bag = md.read_articles(paths, blocksize=blocksize)
        got = bag.compute()
        assert got == expected
        assert [a.field_order for a in got] == [a.field_order for a in expected]
        assert _diagnostics(got) == _diagnostics(expected)
    assert md.read_articles(paths, blocksize=None).npartitions == len(paths)
    # cut: many parts for the text files, one for the XML file
    sizes = [p.stat().st_size for p in TEXT_FILES]
    assert bag.npartitions == sum(-(-size // 2000) for size in sizes) + 1


def test_the_graph_holds_paths_not_file_contents(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes((FIXTURES / "pubmed2020.txt").read_bytes() * 200)  # about 1 MB
    for blocksize in (None, "256KiB"):
        graph = pickle.dumps(dict(md.read_articles(str(big), blocksize=blocksize).__dask_graph__()))
        assert len(graph) < 20_000
        assert b"PMID- " not in graph


def test_the_graph_grows_with_the_parts_not_their_square() -> None:
    # Each part's task depends on its own span and on one task per file summing the spans' line
    # counts, not on the spans of every part before it (which made the graph quadratic).
    from dask.core import get_deps

    path = FIXTURES / "pubmed2020.txt"
    parts = -(-path.stat().st_size // 100)
    assert parts > 100
    bag = md.read_articles(str(path), blocksize=100)
    assert bag.npartitions == parts
    graph = dict(bag.__dask_graph__())
    dependencies, _ = get_deps(graph)
    assert len(graph) <= 4 * parts
    assert sum(map(len, dependencies.values())) <= 5 * parts


def test_glob_and_file_urls(client: Any, tmp_path: Path) -> None:
    for path in TEXT_FILES[:3]:
        shutil.copy(path, tmp_path / path.name)
    expected = _parsed(sorted(str(p) for p in tmp_path.iterdir()))
    assert md.read_articles(str(tmp_path / "*")).compute() == expected
    url = f"file://{tmp_path}/*.txt"
    got = md.read_articles(url, blocksize=3000).compute()
    assert got == _parsed(sorted(str(p) for p in tmp_path.glob("*.txt")))
    with pytest.raises(SourceError, match=r"nothing\*\.txt: no file matches"):
        md.read_articles(str(tmp_path / "nothing*.txt"))


def test_memory_urls_read_in_this_process() -> None:
    # The memory filesystem lives in one process: read it with Dask's synchronous scheduler.
    fsspec = pytest.importorskip("fsspec")
    data = (FIXTURES / "pubmed2020.txt").read_bytes()
    fsspec.filesystem("memory").pipe("/dask-test/records.txt", data)
    with dask.config.set(scheduler="sync"):
        got = md.read_articles("memory://dask-test/records.txt", blocksize=1500).compute()
    assert got == _parsed([FIXTURES / "pubmed2020.txt"])
    assert {d.path for a in got for d in a.diagnostics} <= {"memory://dask-test/records.txt"}


def test_compressed_files_are_one_partition_each(client: Any, tmp_path: Path) -> None:
    data = (FIXTURES / "pubmed2020.txt").read_bytes()
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(data))
    (tmp_path / "b.txt.bz2").write_bytes(bz2.compress(data))  # fsspec decompresses it
    (tmp_path / "c.medline").write_bytes(gzip.compress(data))  # gzip found by its magic bytes
    bag = md.read_articles(str(tmp_path / "*"), blocksize=100)
    assert bag.npartitions == 2 + -(-(tmp_path / "c.medline").stat().st_size // 100)
    assert [a.pmid for a in bag.compute()] == [
        a.pmid for a in _parsed([FIXTURES / "pubmed2020.txt"])
    ] * 3


def test_errors_name_the_file(client: Any, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.txt: no such file"):
        md.read_articles([str(TEXT_FILES[0]), str(tmp_path / "missing.txt")]).compute()
    damaged = tmp_path / "damaged.txt.gz"
    damaged.write_bytes(gzip.compress((FIXTURES / "pubmed2020.txt").read_bytes())[:-40])
    with pytest.raises(SourceError, match=r"damaged\.txt\.gz: "):
        md.read_articles(str(damaged)).compute()
    # fsspec decompresses these: the message names their compression, not gzip
    data = (FIXTURES / "pubmed2020.txt").read_bytes()
    for suffix, compress in (("bz2", bz2.compress), ("xz", lzma.compress)):
        damaged = tmp_path / f"damaged.txt.{suffix}"
        damaged.write_bytes(compress(data)[:-40])
        message = rf"^{damaged}: damaged or truncated {suffix} data \("
        with pytest.raises(SourceError, match=message):
            md.read_articles(str(damaged)).compute()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"PMID- 1\nTI  - x\n\nPMID- 2\nTI  - y\nTI  - again\n")
    with pytest.raises(ParseError) as raised:
        md.read_articles(str(bad), strict=True).compute()
    assert raised.value.path == str(bad)
    assert raised.value.line == 6
    assert str(raised.value).startswith(f"{bad}:6: ")
    # lenient: the same problem is a diagnostic with the file and line
    (article,) = md.read_articles(str(bad), blocksize=10).compute()[1:]
    assert [(d.path, d.line, d.code) for d in article.diagnostics] == [
        (str(bad), 6, "repeated-tag")
    ]
    with pytest.raises(TypeError, match="unexpected option"):
        md.read_articles(str(bad), stric=True)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: md.read_articles(None), r"^paths .*must be an iterable, not None"),
        (lambda p: md.read_articles(5), r"^paths .*must be an iterable, not int"),
        (lambda p: md.read_articles([p, 3]), r"^each of paths .*not int"),
        (lambda p: md.read_articles(p, blocksize="x"), r"^blocksize .*cannot read 'x' as a size"),
        (lambda p: md.read_articles(p, blocksize=1.5), r"^blocksize .*whole number.*not float"),
        (lambda p: md.read_articles(p, blocksize=[1]), r"^blocksize .*whole number.*not list"),
        (lambda p: md.read_articles(p, blocksize=True), r"^blocksize .*whole number.*not bool"),
        (lambda p: md.read_articles(p, blocksize=0), r"^blocksize .*at least 1, not 0"),
        (lambda p: md.read_articles(p, blocksize=-1), r"^blocksize .*at least 1, not -1"),
        (lambda p: md.read_articles(p, blocksize="0"), r"^blocksize .*at least 1, not 0"),
        (lambda p: md.read_articles(p, blocksize="-5MB"), r"^blocksize .*not -5,000,000"),
        (lambda p: md.read_articles(p, encoding=5), r"^encoding must be .*codec.*not int"),
        (lambda p: md.read_articles(p, encoding="no-such"), r"^unknown encoding 'no-such'"),
        (lambda p: md.read_dataframe(p, columns=5), r"^columns must be an iterable, not int"),
        (lambda p: md.read_dataframe(p, columns=[b"pmid"]), r"^each of columns .*not bytes"),
        (lambda p: md.current_view(p, npartitions=0), r"^npartitions .*at least 1, not 0"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_scheduled(call: Any, message: str) -> None:
    path = str(FIXTURES / "pubmed2020.txt")
    with dask.config.set(scheduler="sync"), pytest.raises(MedlineError, match=message):
        call(path)


def test_a_path_given_as_bytes_is_one_file() -> None:
    path = FIXTURES / "pubmed2020.txt"
    with dask.config.set(scheduler="sync"):
        got = md.read_articles(bytes(path), blocksize="2KB").compute()
    assert got == _parsed([path])


def test_strict_mode_reads_files_whole(client: Any) -> None:
    paths = [str(p) for p in TEXT_FILES]
    assert md.read_articles(paths, strict=True, blocksize=100).npartitions == len(paths)
    assert md.read_articles(paths, encoding="utf-16", blocksize=100).npartitions == len(paths)


def test_dataframe_equals_the_single_machine_table(client: Any, tmp_path: Path) -> None:
    paths = [str(p) for p in TEXT_FILES + XML_FILES]
    expected = to_arrow(_parsed(paths))
    frame = md.read_dataframe(paths, blocksize=5000)
    assert list(frame.columns) == expected.schema.names
    got = pa.Table.from_pandas(frame.compute(), preserve_index=False)
    assert got.schema == arrow_schema()
    assert got.equals(expected)
    md.read_dataframe(paths).to_parquet(tmp_path / "out", write_index=False)
    files = sorted((tmp_path / "out").glob("*.parquet"), key=lambda p: int(p.stem.split(".")[1]))
    assert len(files) == len(paths)
    for file in files:
        assert pq.read_schema(file).remove_metadata() == arrow_schema()
    assert pa.concat_tables(pq.read_table(file) for file in files).equals(expected)


def test_dataframe_columns(client: Any) -> None:
    paths = [str(p) for p in TEXT_FILES]
    frame = md.read_dataframe(paths, ["pmid", "mesh"]).compute()
    expected = to_arrow(_parsed(paths)).select(["pmid", "mesh"])
    assert pa.Table.from_pandas(frame, preserve_index=False).equals(expected)
    with pytest.raises(MedlineError, match="unknown column 'nope'"):
        md.read_dataframe(paths, ["pmid", "nope"])
    empty = md.read_dataframe([], ["pmid"])
    assert len(empty.compute()) == 0


def test_text_corpus_equals_parse(client: Any) -> None:
    files = [str(p) for p in corpus_files()]
    if not files:
        pytest.skip(SKIP_CORPUS)
    _equal_on_the_cluster(files, blocksize="1MiB", cut=True)


def test_xml_corpus_equals_parse(client: Any) -> None:
    if not CORPUS_XML.is_dir():
        pytest.skip(SKIP_CORPUS.replace("corpus", "corpus-xml"))
    files = sorted(str(p) for p in CORPUS_XML.iterdir() if p.is_file() and p.name != "SOURCES.tsv")
    _equal_on_the_cluster(files, blocksize="1MiB", cut=False)


def _with_extras(articles: list[Article]) -> list[tuple[Article, Any, list[Any]]]:
    """Articles with what Article equality leaves out: field order and diagnostics."""
    return [(a, a.field_order, _diagnostics([a])) for a in articles]


def _reference(path: str) -> list[tuple[Article, Any, list[Any]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        return _with_extras(list(parse(path)))


def _same(parts: list[list[Any]], expected: list[Any]) -> bool:
    return list(chain.from_iterable(parts)) == expected


def _equal_on_the_cluster(files: list[str], blocksize: str, cut: bool) -> None:
    """Each file's parts against parse() of the whole file, both run on the workers (so that
    the comparison does not ship every article back here)."""
    from dask.delayed import delayed

    from medline_parse.dask import _tasks

    parts, tasks = _tasks(
        files,
        blocksize=blocksize,
        storage_options=None,
        parse_options={},
        finish=lambda part, articles: _with_extras(list(articles)),
    )
    by_file: dict[str, list[Any]] = {}
    for part, task in zip(parts, tasks):
        by_file.setdefault(part.name, []).append(task)
    assert any(len(tasks) > 1 for tasks in by_file.values()) is cut
    checks = [delayed(_same)(by_file[path], delayed(_reference)(path)) for path in files]
    results = dask.compute(*checks)
    assert [path for path, ok in zip(files, results) if not ok] == []


@pytest.mark.parametrize("fmt", ["jsonl", "medline", "parquet"])
def test_medline_convert_on_a_running_cluster(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    from medline_parse.cli import main

    big = tmp_path / "big.txt"
    big.write_bytes((FIXTURES / "pubmed2020.txt").read_bytes() * 30)  # cut in parts
    files = [str(p) for p in TEXT_FILES[:2]] + [str(big), str(XML_FILES[0])]
    assert main(["convert", *files, "--to", fmt, "-o", str(tmp_path / "local"), "-q"]) == 0
    address = client.scheduler.address
    args = ["convert", *files, "--to", fmt, "-o", str(tmp_path / "cluster"), "-q"]
    assert main([*args, "--scheduler", address]) == 0
    assert (tmp_path / "cluster").read_bytes() == (tmp_path / "local").read_bytes()
    capsys.readouterr()


def test_medline_convert_on_a_cluster_reports_a_bad_file_and_goes_on(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from medline_parse.cli import main

    missing = tmp_path / "missing.txt"
    files = [str(TEXT_FILES[0]), str(missing), str(TEXT_FILES[1])]
    address = client.scheduler.address
    status = main(["convert", *files, "--to", "jsonl", "-o", str(tmp_path / "out"), "-q",
                   "--scheduler", address])  # fmt: skip
    assert status == 1
    assert f"medline: {missing}: no such file" in capsys.readouterr().err
    lines = (tmp_path / "out").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(_parsed([TEXT_FILES[0], TEXT_FILES[1]]))
    assert main(["convert", "-", "--to", "jsonl", "--scheduler", address]) == 2
    assert "not stdin" in capsys.readouterr().err
