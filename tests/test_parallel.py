"""parse_many: parallel parsing gives the same articles, in the same order, as parsing in turn."""

from __future__ import annotations

from itertools import chain
from pathlib import Path

import pytest

from medline_parse import Article, SourceError, parse, parse_many

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
