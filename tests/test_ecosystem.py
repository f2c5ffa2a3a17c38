"""A round of the whole command line (issue 13): every output format written by ``medline convert``
and read back by the reader its ecosystem uses: rispy (RIS), bibtexparser and pybtex (BibTeX),
json (JSON, CSL-JSON), csv and pandas (CSV), sqlite3, pyarrow and pandas (Parquet), this package
(MEDLINE), and pandoc (BibTeX and CSL-JSON) where it is installed.  The counts must match
everywhere, and fields the formats once broke (page ranges, relations, series) must come back.

Inputs: the bundled examples and fixtures, and, when ../shared/corpus is there, a sample of it
chosen for what converters get wrong: the two smallest files with books, with errata and
retractions, with collective authors, with collection titles, with CRLF line endings and with
legacy (DA) records.  The whole corpus would take minutes; the sample takes seconds.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

from medline_parse import Article, parse
from medline_parse.convert import json as mjson
from medline_parse.convert._common import article_key, split_pages

from .conftest import CORPUS, EXAMPLES, FIXTURES, ROOT

CATEGORIES = {
    "book": rb"^BTI -",
    "errata": rb"^(EIN|EFR|RIN|ROF|CRI|CRF|ECI|RPI) -",
    "collective": rb"^CN  -",
    "series": rb"^CTI -",
    "crlf": rb"\r\n",
    "legacy": rb"^DA  -",
}


def corpus_sample() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "SOURCES.tsv")
    chosen: dict[Path, None] = {}
    contents = {p: p.read_bytes() for p in files}
    for pattern in CATEGORIES.values():
        found = re.compile(pattern, re.MULTILINE)
        hits = sorted(
            (p for p in files if found.search(contents[p])), key=lambda p: p.stat().st_size
        )
        chosen.update(dict.fromkeys(hits[:2]))
    return list(chosen)


def inputs() -> list[Path]:
    bundled = [EXAMPLES / "data" / "sample.txt", EXAMPLES / "data" / "sample.nbib"]
    return [*bundled, *sorted(FIXTURES.glob("*.txt")), *corpus_sample()]


@dataclass
class Round:
    articles: list[Article]
    outputs: dict[str, Path]


FORMATS = {
    "jsonl": "all.jsonl",
    "json": "all.json",
    "csv": "all.csv",
    "ris": "all.ris",
    "bibtex": "all.bib",
    "csl-json": "all.csl.json",
    "medline": "all.txt",
    "sqlite": "all.sqlite",
    "parquet": "all.parquet",
}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Round:
    files = inputs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = [a for path in files for a in parse(path)]
    folder = tmp_path_factory.mktemp("ecosystem")
    outputs = {}
    for fmt, name in FORMATS.items():
        if fmt in ("ris", "bibtex", "parquet"):
            extra = {"ris": "rispy", "bibtex": "bibtexparser", "parquet": "pyarrow"}[fmt]
            try:
                __import__(extra)
            except ImportError:
                continue
        out = folder / name
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "medline_parse",
                "convert",
                *map(str, files),
                "--to",
                fmt,
                "-o",
                str(out),
                "-q",
            ],
            capture_output=True,
            cwd=ROOT,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, (fmt, done.stderr.decode())
        outputs[fmt] = out
    return Round(articles, outputs)


def output(round_trip: Round, fmt: str) -> Path:
    if fmt not in round_trip.outputs:
        pytest.skip(f"the package that writes {fmt} is not installed")
    return round_trip.outputs[fmt]


def test_the_round_covers_what_converters_get_wrong(round_trip: Round) -> None:
    articles = round_trip.articles
    assert any(a.is_book for a in articles)
    assert any(a.relations for a in articles)
    assert any(a.collection_titles for a in articles) or not corpus_sample()
    assert any(au.is_collective for a in articles for au in a.authors)


def test_json_and_jsonl(round_trip: Round) -> None:
    with open(output(round_trip, "jsonl"), encoding="utf-8") as handle:
        lines = [mjson.from_dict(json.loads(line)) for line in handle]
    assert lines == round_trip.articles
    items = json.loads(output(round_trip, "json").read_text(encoding="utf-8"))
    assert [mjson.from_dict(item) for item in items] == round_trip.articles


def test_medline(round_trip: Round) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert list(parse(output(round_trip, "medline"))) == round_trip.articles


def test_csv_with_csv_and_pandas(round_trip: Round) -> None:
    path = output(round_trip, "csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    articles = round_trip.articles
    assert len(rows) == len(articles)
    assert [r["pmid"] for r in rows] == [a.pmid or "" for a in articles]
    assert [r["relations"] != "" for r in rows] == [bool(a.relations) for a in articles]
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert len(frame) == len(articles)


def test_ris_with_rispy(round_trip: Round) -> None:
    rispy = pytest.importorskip("rispy")
    from medline_parse.convert.ris import LIST_TAGS

    with open(output(round_trip, "ris"), encoding="utf-8") as handle:
        entries = rispy.load(handle, list_tags=list(LIST_TAGS))
    articles = round_trip.articles
    assert len(entries) == len(articles)
    for entry, article in zip(entries, articles):
        assert entry.get("accession_number") == article.pmid
        affiliations = {x for au in article.authors for x in au.affiliations}
        assert set(entry.get("author_address", [])) == affiliations | set(article.affiliations)
        notes = entry.get("notes", [])
        assert len([n for n in notes if not n.startswith("ORCID: ")]) == len(article.relations)
        assert entry.get("type_of_work") == ("; ".join(article.publication_types) or None)


def test_bibtex_with_bibtexparser_and_pybtex(round_trip: Round) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    text = output(round_trip, "bibtex").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    articles = round_trip.articles
    assert not library.failed_blocks
    assert len(library.entries) == len(articles)
    for entry, article in zip(library.entries, articles):
        fields = {f.key: f.value for f in entry.fields}
        first, last = split_pages(article.pagination)
        if first is not None and last is not None and "-" not in first + last:
            assert fields["pages"] == f"{first}--{last}"
        assert ("note" in fields) == bool(article.relations)
    assert "-{}-}" not in text and not re.search(r"pages = \{[^}]*-\{\}-", text)
    pybtex = pytest.importorskip("pybtex.database")
    data = pybtex.parse_string(text, "bibtex")
    assert len(data.entries) == len(articles)


def test_csl_json(round_trip: Round) -> None:
    items = json.loads(output(round_trip, "csl-json").read_text(encoding="utf-8"))
    assert len(items) == len(round_trip.articles)
    assert len({item["id"] for item in items}) == len({article_key(a) for a in round_trip.articles})
    for item, article in zip(items, round_trip.articles):
        assert item["type"] in ("article-journal", "chapter", "book")
        assert ("collection-title" in item) == bool(article.collection_titles)


def test_sqlite(round_trip: Round) -> None:
    with sqlite3.connect(output(round_trip, "sqlite")) as connection:
        count = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        relations = connection.execute("SELECT count(*) FROM relations").fetchone()[0]
    assert count == len({article_key(a) for a in round_trip.articles})
    unique = {article_key(a): a for a in round_trip.articles}
    assert relations == sum(len(a.relations) for a in unique.values())


def test_parquet_with_pyarrow_and_pandas(round_trip: Round) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    table = pq.read_table(output(round_trip, "parquet"))
    assert table.num_rows == len(round_trip.articles)
    assert table.column("pmid").to_pylist() == [a.pmid for a in round_trip.articles]
    pd = pytest.importorskip("pandas")
    assert len(pd.read_parquet(output(round_trip, "parquet"))) == len(round_trip.articles)


# -- pandoc ----------------------------------------------------------------------------------------

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")


def pandoc_items(path: Path, reader: str) -> list[dict[str, object]]:
    assert PANDOC is not None
    done = subprocess.run(
        [PANDOC, "-f", reader, "-t", "csljson", str(path)],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"[WARNING]" not in done.stderr, done.stderr.decode()
    items: list[dict[str, object]] = json.loads(done.stdout)
    return items


@needs_pandoc
def test_pandoc_reads_the_bibtex(round_trip: Round) -> None:
    items = pandoc_items(output(round_trip, "bibtex"), "bibtex")
    assert len(items) == len(round_trip.articles)
    pages = [item.get("page") for item in items]
    assert not any("{" in str(p) or "--" in str(p) for p in pages if p)  # 696–716, not 696--716


@needs_pandoc
def test_pandoc_reads_the_csl_json(round_trip: Round, tmp_path: Path) -> None:
    items = pandoc_items(output(round_trip, "csl-json"), "csljson")
    assert len(items) == len(round_trip.articles)
    # pandoc --citeproc takes CSL-JSON from a file ending in .json: the format's own extension
    bibliography = tmp_path / "refs.json"
    shutil.copyfile(output(round_trip, "csl-json"), bibliography)
    document = tmp_path / "doc.md"
    document.write_text("---\nnocite: '@*'\n---\n\n# References\n", encoding="utf-8")
    assert PANDOC is not None
    done = subprocess.run(
        [PANDOC, "--citeproc", "--bibliography", str(bibliography), "-t", "plain", str(document)],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.count(b"\n\n") >= len({item["id"] for item in items})
