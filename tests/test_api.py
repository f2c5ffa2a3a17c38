"""Tests for the typed entry points: parse, read and loads, on every kind of source."""

from __future__ import annotations

import gc
import gzip
import io
import itertools
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import medline_parse
from medline_parse import (
    Article,
    MedlineError,
    MedlineWarning,
    ParseError,
    collect,
    iter_records,
    loads,
    parse,
    read,
)
from medline_parse.medline.builder import build_article

from .conftest import FIXTURES

TWO = (
    "PMID- 99000001\n"
    "TI  - First fictional title.\n"
    "FAU - Doe, Jane\n"
    "AU  - Doe J\n"
    "AD  - Fictional University, Ruritania.\n"
    "\n"
    "PMID- 99000002\n"
    "TI  - Second fictional title that is long enough to be wrapped onto a continuation \n"
    "      line.\n"
    "DEP - 20240103\n"
)
ONE = "PMID- 99000003\nTI  - The only one.\n"
SECOND_TITLE = "Second fictional title that is long enough to be wrapped onto a continuation line."


def _check_two(articles: list[Article]) -> None:
    assert [a.pmid for a in articles] == ["99000001", "99000002"]
    assert articles[0].authors[0].affiliations == ("Fictional University, Ruritania.",)
    assert articles[1].title == SECOND_TITLE


def _write(path: Path, text: str, newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


SOURCES: dict[str, Callable[[Path], Any]] = {
    "str path": lambda tmp: str(_write(tmp / "two.txt", TWO)),
    "Path": lambda tmp: _write(tmp / "two.nbib", TWO),
    "CRLF file": lambda tmp: _write(tmp / "two.txt", TWO, "\r\n"),
    "gz path": lambda tmp: _gz(tmp / "two.txt.gz", TWO),
    "text file": lambda tmp: io.StringIO(TWO),
    "binary file": lambda tmp: io.BytesIO(TWO.encode("utf-8")),
    "open text file": lambda tmp: _write(tmp / "two.txt", TWO).open(encoding="utf-8"),
    "open binary file": lambda tmp: _write(tmp / "two.txt", TWO).open("rb"),
    "list of lines": lambda tmp: TWO.splitlines(keepends=True),
    "lines without endings": lambda tmp: TWO.splitlines(),
    "generator of lines": lambda tmp: (line for line in TWO.splitlines(keepends=True)),
    "one string": lambda tmp: [TWO],
}


def _gz(path: Path, text: str) -> Path:
    with gzip.open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_parse_every_kind_of_source(kind: str, tmp_path: Path) -> None:
    source = SOURCES[kind](tmp_path)
    try:
        articles = list(parse(source))
    finally:
        if hasattr(source, "close"):
            source.close()
    _check_two(articles)


def test_parse_streams() -> None:
    def endless() -> Iterator[str]:
        for number in itertools.count(99000100):
            yield f"PMID- {number}\n"
            yield "TI  - One of endless fictional records.\n"
            yield "\n"

    articles = parse(endless())
    assert iter(articles) is articles
    assert [next(articles).pmid for _ in range(3)] == ["99000100", "99000101", "99000102"]


def test_parse_matches_the_record_layer(tmp_path: Path) -> None:
    path = _write(tmp_path / "two.txt", TWO)
    assert list(parse(path)) == [build_article(r) for r in iter_records(path)]


def test_diagnostics_name_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.txt", "PMID- 99000004\nDEP - 20040003\n")
    article = read(path)
    assert article.electronic_date == "20040003"
    (diagnostic,) = article.diagnostics
    assert diagnostic.code == "invalid-date"
    assert diagnostic.line == 2
    assert diagnostic.path is not None and diagnostic.path.endswith("bad.txt")
    with pytest.raises(ParseError) as caught:
        read(path, strict=True)
    assert caught.value.line == 2
    assert "bad.txt:2" in str(caught.value)


def test_encoding_argument(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("PMID- 99000005\nTI  - Caf\u00e9 fictif.\n".encode("latin-1"))
    assert read(path, encoding="latin-1").title == "Caf\u00e9 fictif."
    # without it, the invalid byte is decoded as Windows-1252 and the line gets a diagnostic
    article = read(path)
    assert article.title == "Caf\u00e9 fictif."
    assert [d.code for d in article.diagnostics] == ["decode-fallback"]


def test_fixture_files_parse() -> None:
    for name in ("legacy.txt", "pubmed2020.txt", "efetch.txt"):
        articles = list(parse(FIXTURES / name))
        assert articles, name
        assert all(a.pmid for a in articles), name
        assert all(not [d for d in a.diagnostics if d.is_problem] for a in articles), name


# --------------------------------------------------------------------------------------------------
# read


def test_read_one_record(tmp_path: Path) -> None:
    article = read([ONE])
    assert isinstance(article, Article)
    assert article.title == "The only one."
    assert read(_write(tmp_path / "one.txt", "\n" + ONE + "\n\n")) == article


@pytest.mark.parametrize("text", ["", "\n\n", "   \n"])
def test_read_no_record(text: str) -> None:
    with pytest.raises(MedlineError, match="no record"):
        read([text])


def test_read_two_records_says_more_than_one(tmp_path: Path) -> None:
    with pytest.raises(MedlineError, match="more than one record") as caught:
        read([TWO])
    assert "the input" in str(caught.value)
    path = _write(tmp_path / "two.txt", TWO)
    with pytest.raises(MedlineError, match="more than one record") as caught:
        read(path)
    assert "two.txt" in str(caught.value)


def test_read_of_junk_only_is_no_record() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MedlineWarning)
        with pytest.raises(MedlineError, match="no record"):
            read(["just some words\n"])


def test_read_errors_are_medline_errors_not_parse_errors() -> None:
    with pytest.raises(MedlineError) as caught:
        read([TWO])
    assert not isinstance(caught.value, ParseError)


# --------------------------------------------------------------------------------------------------
# loads


def test_loads() -> None:
    articles = loads(TWO)
    assert isinstance(articles, list)
    _check_two(articles)
    assert loads("") == []
    assert loads(ONE.replace("\n", "\r\n")) == [read([ONE])]


def test_loads_strict() -> None:
    assert loads("PMID- 1\nDEP - 2004\n")[0].electronic_date == "2004"
    with pytest.raises(ParseError):
        loads("PMID- 1\nDEP - 2004\n", strict=True)


class _GcWatch:
    """An iterable of articles that records whether the cyclic collector ran while it was read."""

    def __init__(self, articles: list[Article], fail_at: int = -1) -> None:
        self.articles = articles
        self.fail_at = fail_at
        self.enabled_while_read: list[bool] = []

    def __iter__(self) -> Iterator[Article]:
        for index, article in enumerate(self.articles):
            self.enabled_while_read.append(gc.isenabled())
            if index == self.fail_at:
                raise ParseError("stopped", path="x.txt", line=index + 1)
            yield article


@pytest.mark.parametrize("enabled_before", [True, False])
def test_collect_pauses_the_collector_and_restores_its_state(enabled_before: bool) -> None:
    articles = loads(TWO)
    watch = _GcWatch(articles)
    (gc.enable if enabled_before else gc.disable)()
    try:
        got = collect(watch)
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()
    assert got == articles and isinstance(got, list)
    assert watch.enabled_while_read == [False, False]


def test_collect_restores_the_collector_when_parsing_raises() -> None:
    watch = _GcWatch(loads(TWO), fail_at=1)
    assert gc.isenabled()
    with pytest.raises(ParseError, match="stopped"):
        collect(watch)
    assert gc.isenabled()
    assert watch.enabled_while_read == [False, False]


def test_loads_refuses_bytes() -> None:
    with pytest.raises(MedlineError, match="bytes"):
        loads(TWO.encode())  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# junk


def test_junk_only_input_yields_no_article_and_warns() -> None:
    with pytest.warns(MedlineWarning) as caught:
        articles = list(parse(["this is not MEDLINE\n", "nor is this\n"]))
    assert articles == []
    messages = [str(w.message) for w in caught]
    assert any("junk-line" in m for m in messages)
    assert any("no-records" in m for m in messages)
    assert {w.filename for w in caught} == {__file__}  # the warnings point at the caller


def test_blank_input_yields_nothing_and_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(parse(["\n", "\r\n", "  \n"])) == []
        assert list(parse([])) == []


def test_junk_only_input_in_strict_mode_raises() -> None:
    with pytest.raises(ParseError):
        list(parse(["this is not MEDLINE\n"], strict=True))


def test_junk_before_a_record_travels_with_it() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (article,) = parse(["stray words\n", "\n", *ONE.splitlines(keepends=True)])
    assert article.pmid == "99000003"
    assert "junk-line" in [d.code for d in article.diagnostics]


def test_public_names() -> None:
    for name in (
        "parse",
        "read",
        "loads",
        "collect",
        "Article",
        "Author",
        "MeshHeading",
        "Relation",
    ):
        assert name in medline_parse.__all__
