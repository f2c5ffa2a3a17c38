"""The value classes pickle by their converter-free constructors (``model/pickling.py``): what
comes back is equal to what went in, in every field, the ones outside equality included
(diagnostics, field order, a PubDate's raw text), in the compiled build and the pure one."""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import medline_parse
from medline_parse import Article, Deletion, Diagnostic, PubDate, parse
from medline_parse.model import pickling

from .article_strategies import articles
from .conftest import EXAMPLES, FIXTURES

FILES = [
    FIXTURES / "legacy.txt",
    EXAMPLES / "data" / "sample.nbib",
    FIXTURES / "bad" / "hand-edited.txt",
    FIXTURES / "xml" / "pubmed_250101.xml",
]


def every_field(value: object) -> object:
    """*value* as nested tuples of every attrs field, equality-excluded ones too, with classes."""
    if attrs.has(type(value)):
        return (
            type(value),
            tuple(every_field(getattr(value, f.name)) for f in attrs.fields(type(value))),
        )
    if isinstance(value, tuple):
        return tuple(every_field(item) for item in value)
    return value


def test_read_articles_come_back_whole() -> None:
    read = [a for path in FILES for a in parse(path)]
    assert any(a.diagnostics for a in read) and any(a.field_order for a in read)
    assert any(a.references for a in read)  # from the XML
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(read, protocol))
        assert every_field(back) == every_field(read)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_any_article_comes_back_whole(article: Article) -> None:
    back = pickle.loads(pickle.dumps(article, pickle.HIGHEST_PROTOCOL))
    assert every_field(back) == every_field(article)
    assert every_field(copy.deepcopy(article)) == every_field(article)
    assert copy.copy(article) == article


def test_other_values_come_back_whole() -> None:
    values = [
        PubDate.parse("2001 Winter-Spring"),
        PubDate(2020, raw="2020 "),
        Deletion(("1", "2"), (None, 3), source="u.xml", line=7),
        Diagnostic("code", "message", 3, path="x.txt"),
    ]
    for value in values:
        assert every_field(pickle.loads(pickle.dumps(value))) == every_field(value)


def test_pickles_rebuild_through_the_constructor() -> None:
    article = next(parse(FILES[1]))
    found = pickle.dumps(article, pickle.HIGHEST_PROTOCOL)
    if medline_parse.COMPILED:  # the compiled constructor is pickled by its class, once
        assert b"constructor_of" in found and b"__setstate__" not in found
    else:
        assert b"_rebuild" in found
    # the pure build's pickles load in the compiled one, and the other way round
    rebuilt = pickling._rebuild(Article, attrs.astuple(article, recurse=False))
    assert every_field(rebuilt) == every_field(article)


@pytest.mark.skipif(not medline_parse.COMPILED, reason="the compiled constructor's own reducer")
def test_the_compiled_reducer_reads_only_its_own_class() -> None:
    from medline_parse.model.pickling import constructor_of

    article = next(parse(FILES[1]))
    build, values = constructor_of(Article).reduce(article)
    assert values == attrs.astuple(article, recurse=False) and build(*values) == article
    with pytest.raises(TypeError):
        constructor_of(Article).reduce(article.authors[0])  # never a slot read on another type
