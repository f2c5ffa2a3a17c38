"""parse_many: parallel parsing gives the same articles, in the same order, as parsing in turn."""

from __future__ import annotations

from itertools import chain
from pathlib import Path

import pytest

from medline_parse import SourceError, parse, parse_many

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
