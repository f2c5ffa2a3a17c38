"""Property tests: any article the model can hold survives JSON exactly, and every other converter
writes it without error (an output its own reader accepts)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings

from medline_parse import Article
from medline_parse.convert import csljson, sqlite
from medline_parse.convert import csv as mcsv
from medline_parse.convert import json as mjson

strategies = pytest.importorskip(
    "tests.article_strategies", reason="tests/article_strategies.py (article strategies) missing"
)

try:
    import rispy
except ImportError:  # the [ris] extra is optional
    rispy = None
try:
    import bibtexparser
except ImportError:  # the [bibtex] extra is optional
    bibtexparser = None

SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(strategies.articles())
def test_any_article_converts(article: Article) -> None:
    # JSON gives it back exactly.
    text = json.dumps(mjson.to_dict(article), ensure_ascii=False)
    assert mjson.from_dict(json.loads(text)) == article
    assert mjson.from_dict(mjson.to_dict(article, omit_empty=True)) == article
    assert mjson.loads(mjson.dumps([article], lines=True)) == [article]
    # The other formats write it, and their readers accept the output.
    rows = list(csv.reader(io.StringIO(mcsv.dumps([article]), newline="")))
    assert len(rows) == 2
    assert json.loads(csljson.dumps([article]))[0]["type"]
    connection = sqlite3.connect(":memory:")
    assert sqlite.write([article], connection) == sqlite.WriteSummary(1, 0)
    record = connection.execute("SELECT record_json FROM articles").fetchone()[0]
    assert mjson.from_dict(json.loads(record)) == article
    if rispy is not None:
        from medline_parse.convert import ris

        assert len(rispy.loads(ris.dumps([article]))) == 1
    if bibtexparser is not None:
        from medline_parse.convert import bibtex

        library = bibtexparser.parse_string(bibtex.dumps([article]))
        assert len(library.entries) == 1
        assert not library.failed_blocks
