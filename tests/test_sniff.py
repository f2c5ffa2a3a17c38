"""Input that is not MEDLINE is recognised (issue 13): RIS, BibTeX, JSON, CSV, a PDF or binary data is
refused in one line ("FILE: this looks like RIS, not MEDLINE or PubMed XML"), exit status 2, a
SourceError in the API; MEDLINE itself, in every shape the corpus has, is never refused."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medline_parse import SourceError, iter_records, loads, parse
from medline_parse.sniff import FOREIGN, WrongFormatError, sniff_format

from .conftest import CORPUS, FIXTURES, ROOT, SKIP_CORPUS, corpus_files
from .test_convert_cases import SAMPLE, SAMPLE_NBIB

# Small fictional inputs of each kind, as the tools that write them lay them out.
RIS = b"TY  - JOUR\r\nTI  - A fictional title\r\nAU  - Doe, Jane\r\nPY  - 2023\r\nER  - \r\n\r\n"
RIS_WITH_HEADER = b"Provider: Fictional\nDatabase: Nowhere\n\n" + RIS.replace(b"\r\n", b"\n")
BIBTEX = b"% Encoding: UTF-8\n\n@Article{doe2023,\n  author = {Doe, Jane},\n  title = {T},\n}\n"
JSON_ARRAY = b'[\n  {"id": "pmid1", "type": "article-journal", "title": "T"}\n]\n'
JSON_LINES = b'{"pmid": "1", "title": "T"}\n{"pmid": "2", "title": "U"}\n'
CSV = (
    b"PMID,Title,Authors,Citation,First Author,Journal/Book,Publication Year\r\n"
    b'99000001,"A fictional title, with a comma",Doe J,J Tests. 2023;1:2.,Doe J,J Tests,2023\r\n'
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256))
BINARY = bytes(range(256)) * 8
ZIP = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(200)  # a .docx, say
XML = b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet>\n'

CASES = {
    "ris": [RIS, RIS_WITH_HEADER],
    "bibtex": [BIBTEX],
    "json": [JSON_ARRAY, JSON_LINES],
    "csv": [CSV],
    "pdf": [PDF],
    "binary": [BINARY, ZIP],
    "xml": [XML],
}
NAMES = {**FOREIGN, "xml": "PubMed XML"}


@pytest.mark.parametrize(("kind", "data"), [(k, d) for k, ds in CASES.items() for d in ds])
def test_sniff_format(kind: str, data: bytes) -> None:
    assert sniff_format(data) == kind
    assert sniff_format(gzip.decompress(gzip.compress(data))[:1024]) == kind


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"\n  \r\n", "empty"),
        (b"PMID- 1\nTI  - t\n", "medline"),
        (b"\xef\xbb\xbf\r\nPMID- 1\r\n", "medline"),
        ("PMID- 1\nTI  - t\n".encode("utf-16"), "medline"),
        (b"hello world\nsecond line\n", "unknown"),
        (b"It was, I think, a good day, and fine.\nYes, it was, so.\n", "unknown"),
        (b"[1] Doe J. A fictional reference.\n", "unknown"),
    ],
)
def test_sniff_format_of_text(data: bytes, kind: str) -> None:
    assert sniff_format(data) == kind


@pytest.mark.parametrize("path", [*sorted(FIXTURES.rglob("*.txt")), SAMPLE, SAMPLE_NBIB])
def test_medline_fixtures_are_never_refused(path: Path) -> None:
    assert sniff_format(path.read_bytes()[:4096]) in ("medline", "unknown")


@pytest.mark.slow
def test_corpus_is_never_refused() -> None:
    files = corpus_files()
    if not files:
        pytest.skip(SKIP_CORPUS)
    for path in files:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        assert sniff_format(data[:4096]) in ("medline", "unknown"), path.name


def test_pubmed_xml_of_the_corpus_is_xml() -> None:
    folder = CORPUS.parent / "corpus-xml"
    files = sorted(p for p in folder.rglob("*.xml*")) if folder.is_dir() else []
    if not files:
        pytest.skip(SKIP_CORPUS)
    for path in files[:40]:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(4096)
        assert sniff_format(data[:4096]) == "xml", path.name


# -- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "data"), [(k, ds[0]) for k, ds in CASES.items() if k != "xml"])
def test_readers_raise_a_source_error_naming_the_file(
    kind: str, data: bytes, tmp_path: Path
) -> None:
    path = tmp_path / f"export.{kind}"
    path.write_bytes(data)
    expected = f"{path}: this looks like {NAMES[kind]}, not MEDLINE"
    for source in (path, str(path)):
        with pytest.raises(SourceError) as caught:
            list(parse(source))
        assert str(caught.value).startswith(expected)
        assert isinstance(caught.value, WrongFormatError) and caught.value.format == kind
    compressed = tmp_path / f"export.{kind}.gz"
    compressed.write_bytes(gzip.compress(data))
    with pytest.raises(WrongFormatError, match=f"^{compressed}: this looks like"):
        list(iter_records(compressed, strict=True))
    with open(path, "rb") as handle, pytest.raises(WrongFormatError, match=f"^{path}: "):
        list(iter_records(handle))


def test_pubmed_xml_is_read_by_parse_and_refused_by_fmt(tmp_path: Path) -> None:
    path = ROOT / "examples" / "data" / "pubmed-sample.xml"
    if not path.is_file():
        pytest.skip("examples/data/pubmed-sample.xml is missing")
    assert list(parse(path))  # told from its first bytes, and read
    copy = tmp_path / "pubmed.xml"
    copy.write_bytes(path.read_bytes())
    result = medline("fmt", copy)  # fmt rewrites MEDLINE text only
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[0] == (
        f"medline: {copy}: this looks like PubMed XML, not MEDLINE text"
    )
    assert copy.read_bytes() == path.read_bytes()


def test_text_is_refused_too() -> None:
    with pytest.raises(WrongFormatError, match=r"^the input: this looks like RIS, not MEDLINE"):
        loads(RIS.decode())


def test_utf16_binary_gets_a_hint() -> None:
    data = "PMID- 1\nTI  - t\n".encode("utf-16-le")  # no byte-order mark
    with pytest.raises(WrongFormatError, match=r"UTF-16.*encoding='utf-16'"):
        list(parse(io.BytesIO(data * 4)))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_a_refusal_is_never_of_medline(data: bytes) -> None:
    try:
        list(iter_records(io.BytesIO(data)))
    except WrongFormatError as error:
        assert error.format in (*FOREIGN, "xml")
        assert sniff_format(data) != "medline"
    except SourceError:
        assert data[:2] == b"\x1f\x8b"


# -- the command line ----------------------------------------------------------------------------


def medline(*args: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "medline_parse", *map(str, args)],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("kind", ["ris", "bibtex", "json", "csv", "pdf", "binary"])
@pytest.mark.parametrize(
    "command", [["convert", "--to", "jsonl"], ["check"], ["stats"], ["fmt", "--check"]]
)
def test_cli_refuses_in_one_line_with_exit_2(kind: str, command: list[str], tmp_path: Path) -> None:
    path = tmp_path / f"export.{kind}"
    path.write_bytes(CASES[kind][0])
    result = medline(command[0], path, *command[1:])
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode().splitlines() == [
        f"medline: {path}: this looks like {NAMES[kind]}, not MEDLINE or PubMed XML"
    ]
    assert result.stdout == b"" or command[0] == "fmt"
    assert path.read_bytes() == CASES[kind][0]


def test_cli_converts_the_good_inputs_and_refuses_the_other(tmp_path: Path) -> None:
    ris = tmp_path / "export.ris"
    ris.write_bytes(RIS)
    result = medline("convert", SAMPLE, ris, "--to", "jsonl")
    assert result.returncode == 2
    assert len(result.stdout.splitlines()) == len(loads(SAMPLE.read_text(encoding="utf-8")))
    assert result.stderr.decode().splitlines() == [
        f"medline: {ris}: this looks like RIS, not MEDLINE or PubMed XML"
    ]


# -- XML that is not PubMed's ---------------------------------------------------------------------

NOT_PUBMED_XML = {
    "eSearchResult": b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC '
    b'"-//NLM//DTD esearch 20060628//EN" "esearch.dtd">\n<eSearchResult><Count>0</Count>'
    b"</eSearchResult>\n",
    "eFetchResult": b'<?xml version="1.0" ?>\n<eFetchResult>\n\t<ERROR>Empty id list</ERROR>\n'
    b"</eFetchResult>\n",
    "pmc-articleset": b'<?xml version="1.0" ?>\n<!-- a JATS export -->\n<pmc-articleset>'
    b"<article><front/></article></pmc-articleset>\n",
    "html": b"<!DOCTYPE html>\n<html><head><title>Error</title></head></html>\n",
}


@pytest.mark.parametrize("root", sorted(NOT_PUBMED_XML))
@pytest.mark.parametrize("gzipped", [False, True])
def test_xml_that_is_not_pubmed_is_refused_naming_its_root(root: str, gzipped: bool) -> None:
    data = NOT_PUBMED_XML[root]
    with pytest.raises(WrongFormatError, match=rf"not PubMed XML: it starts with <{root}>") as e:
        list(parse(io.BytesIO(gzip.compress(data) if gzipped else data)))
    assert isinstance(e.value, SourceError)
    assert e.value.format == "xml"


def test_an_empty_pubmed_set_is_no_error() -> None:
    data = b'<?xml version="1.0" ?>\n<!-- nothing -->\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
    assert list(parse(io.BytesIO(data))) == []


@pytest.mark.parametrize("to", ["json", "csv", "csl-json", "bibtex"])
@pytest.mark.parametrize("name", ["esearch.xml", "export.ris"])
def test_refused_input_writes_nothing_to_stdout(to: str, name: str, tmp_path: Path) -> None:
    # formats that open with a "[" or a header row must not have written it before the refusal
    path = tmp_path / name
    path.write_bytes(NOT_PUBMED_XML["eSearchResult"] if name.endswith(".xml") else RIS)
    result = medline("convert", path, "--to", to)
    assert result.returncode == 2, result.stderr
    assert result.stdout == b""
    assert len(result.stderr.decode().splitlines()) == 1
