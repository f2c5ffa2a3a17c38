"""parse_many: parallel parsing gives the same articles, in the same order, as parsing in turn."""

from __future__ import annotations

import os
from itertools import chain
from pathlib import Path

import pytest

from medline_parse import Article, MedlineWarning, ParseError, SourceError, parse, parse_many

from .conftest import EXAMPLES, FIXTURES

FILES = [
    EXAMPLES / "data" / "sample.txt",
    FIXTURES / "legacy.txt",
    EXAMPLES / "data" / "sample.nbib",
    FIXTURES / "pubmed2020.txt",
    FIXTURES / "efetch.txt",
]


@pytest.mark.parametrize("workers", [1, 2, None])
def test_parse_many_equals_parsing_in_turn(workers: int | None) -> None:
    expected = list(chain.from_iterable(parse(path) for path in FILES))
    got = list(parse_many(FILES, workers=workers))
    assert [a.pmid for a in got] == [a.pmid for a in expected]
    assert got == expected
    # field order travels back from the workers too, so the writer keeps each file's layout
    assert [a.field_order for a in got] == [a.field_order for a in expected]


def test_parse_many_of_nothing_and_of_a_missing_file(tmp_path: Path) -> None:
    assert list(parse_many([], workers=2)) == []
    with pytest.raises(SourceError, match="no such file"):
        list(parse_many([FILES[0], tmp_path / "missing.txt"], workers=2))


def pmid_and_authors(article: Article) -> tuple[str | None, int]:
    """A transform for the workers (module level, so it pickles)."""
    return article.pmid, len(article.authors)


@pytest.mark.parametrize("workers", [1, 2])
def test_transform_runs_on_each_article_in_order(workers: int) -> None:
    expected = [pmid_and_authors(a) for a in chain.from_iterable(parse(p) for p in FILES)]
    got = list(parse_many(FILES, workers=workers, transform=pmid_and_authors))
    assert got == expected
    assert any(count for _, count in got)


def test_many_files_in_bounded_flight_keep_their_order() -> None:
    # More files than 2 x workers: later files are submitted as earlier ones are consumed.
    files = FILES * 4
    expected = [a.pmid for a in chain.from_iterable(parse(p) for p in files)]
    got = list(parse_many(files, workers=2, transform=pmid_and_authors))
    assert [pmid for pmid, _ in got] == expected


def test_stopping_early_leaves_no_worker_behind() -> None:
    stream = parse_many(FILES * 4, workers=2)
    first = next(stream)
    assert first == next(iter(parse(FILES[0])))
    stream.close()  # shuts the pool down, cancelling the files not started
    assert list(stream) == []


def test_diagnostics_and_warnings_travel_back_from_the_workers(tmp_path: Path) -> None:
    odd = tmp_path / "odd.txt"
    odd.write_text(
        "PMID- 99000001\nDP  - 2019 Smarch\nTI  - A title\n      continued\nXX  - unknown\n\n"
        "PMID- 99000001\nDA  - 20191399\n",
        encoding="utf-8",
    )
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not MEDLINE\n", encoding="utf-8")
    files = [odd, junk, FILES[0]]
    expected = list(chain.from_iterable(parse(path) for path in [odd, FILES[0]]))
    with pytest.warns(MedlineWarning) as caught:
        got = list(parse_many(files, workers=2))
    messages = [str(w.message) for w in caught]
    assert any("junk.txt:1:" in m and "[junk-line]" in m for m in messages)
    assert {w.filename for w in caught} == {__file__}  # pointing at the caller's line
    assert any("no MEDLINE field" in m for m in messages)
    assert got == expected
    where = [[(d.code, d.line, d.path) for d in a.diagnostics] for a in got]
    assert where == [[(d.code, d.line, d.path) for d in a.diagnostics] for a in expected]
    # the builder's own notes need the line numbers the workers send
    assert where[1][1][:2] == ("invalid-date", 8)
    assert {code for found in where[:2] for code, _, _ in found} == {
        "unclear-date",
        "duplicate-pmid",
        "invalid-date",
    }


def test_strict_mode_raises_from_the_workers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("PMID- 99000001\nDA  - 20191399\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        list(parse_many([FILES[0], bad], workers=2, strict=True))
    assert (caught.value.code, caught.value.line) == ("invalid-date", 2)


def test_warnings_of_transforming_workers_reach_the_caller(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not MEDLINE\n", encoding="utf-8")
    with pytest.warns(MedlineWarning) as caught:
        got = list(parse_many([junk, FILES[0]], workers=2, transform=pmid_and_authors))
    assert got == [pmid_and_authors(a) for a in parse(FILES[0])]
    assert any("junk.txt:1:" in str(w.message) for w in caught)
    assert {w.filename for w in caught} == {__file__}


def test_default_workers_follow_the_cores_this_process_may_use() -> None:
    from medline_parse.reader import _usable_cores

    cores = _usable_cores()
    assert 1 <= cores <= (os.cpu_count() or 1)
    if hasattr(os, "sched_getaffinity"):
        assert cores == len(os.sched_getaffinity(0))


def test_parse_errors_cross_process_boundaries_intact(tmp_path: Path) -> None:
    # Workers (parse_many's, Dask's) send exceptions back pickled: rebuilt from their parts, not
    # from the rendered message.
    import pickle

    error = ParseError("repeated TI", path="a.txt", line=6, text="TI  - again\n", code="x")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is ParseError
    assert str(again) == str(error)
    assert (again.path, again.line, again.text, again.code) == ("a.txt", 6, "TI  - again\n", "x")
    bad = tmp_path / "bad.txt"
    bad.write_text("PMID- 1\nTI  - x\nTI  - again\n", encoding="utf-8")
    with pytest.raises(ParseError) as raised:
        list(parse_many([FILES[0], bad], workers=2, strict=True))
    assert str(raised.value).startswith(f"{bad}:3: ")
