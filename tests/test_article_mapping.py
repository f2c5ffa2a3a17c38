"""The public API as a new user meets it (issue 13): an Article is a read-only mapping of its tags,
as Bio.Medline's records are; ``to_dataframe`` gives one row per article with the documented
columns; ``help()`` shows what each attribute means; one name (``line``) for a line number."""

from __future__ import annotations

import ast
import collections.abc
import io
import pydoc
import re

import attrs
import pytest
import tomllib

import medline_parse
from medline_parse import Article, Diagnostic, ParseError, iter_records, loads
from medline_parse.convert._common import ARTICLE_COLUMNS, AUTHOR_COLUMNS

from .conftest import ROOT
from .test_convert_cases import SAMPLE, read_all

TEXT = """\
PMID- 99300001
TI  - A fictional title.
FAU - Doe, Jane
AU  - Doe J
AD  - Fictional University.
FAU - Roe, Richard
AU  - Roe R
MH  - Humans
MH  - *Asthma
DP  - 2023 Mar
XY  - an unknown tag
"""


def test_an_article_is_a_read_only_mapping_of_its_tags_in_record_order() -> None:
    (article,) = loads(TEXT)
    assert isinstance(article, collections.abc.Mapping)
    tags = ["PMID", "TI", "FAU", "AU", "AD", "MH", "DP", "XY"]
    assert list(article) == tags
    assert list(article.keys()) == tags
    assert len(article) == len(tags)
    assert "AU" in article and "AB" not in article
    assert article["AU"] == ["Doe J", "Roe R"]
    assert article["TI"] == "A fictional title."
    assert dict(article) == {
        "PMID": "99300001",
        "TI": "A fictional title.",
        "FAU": ["Doe, Jane", "Roe, Richard"],
        "AU": ["Doe J", "Roe R"],
        "AD": ["Fictional University."],
        "MH": ["Humans", "*Asthma"],
        "DP": "2023 Mar",
        "XY": ["an unknown tag"],
    }
    assert next(iter(article.items())) == ("PMID", "99300001")
    assert list(article.values())[1] == "A fictional title."
    assert article == loads(TEXT)[0]  # still compared as an article, not as a dict
    assert hash(article) == hash(loads(TEXT)[0])
    with pytest.raises(TypeError):
        article["TI"] = "x"  # type: ignore[index]


def test_record_order_is_the_source_order_not_the_canonical_one() -> None:
    (article,) = loads("PMID- 1\nTI  - t\nDP  - 2020\n")
    assert list(article) == ["PMID", "TI", "DP"]
    built = Article(pmid="1", title="t", publication_date=article.publication_date)
    assert list(built) == ["PMID", "DP", "TI"]  # no source order: PubMed's canonical one


def test_an_article_with_no_field_is_still_true() -> None:
    assert len(Article()) == 0 and bool(Article())


def test_pandas_reads_articles_as_mappings() -> None:
    pd = pytest.importorskip("pandas")
    articles = read_all(SAMPLE)
    frame = pd.DataFrame(articles)
    assert len(frame) == len(articles)
    assert {"PMID", "TI", "AU"} <= set(frame.columns)
    assert list(frame["PMID"]) == [a.pmid for a in articles]


@pytest.mark.parametrize("kind", ["articles", "generator", "path", "str path", "file", "lines"])
def test_to_dataframe(kind: str) -> None:
    pytest.importorskip("pandas")
    articles = read_all(SAMPLE)
    source: object = {
        "articles": articles,
        "generator": (a for a in articles),
        "path": SAMPLE,
        "str path": str(SAMPLE),
        "file": io.BytesIO(SAMPLE.read_bytes()),
        "lines": SAMPLE.read_text(encoding="utf-8").splitlines(True),
    }[kind]
    frame = medline_parse.to_dataframe(source)
    assert list(frame.columns) == list(ARTICLE_COLUMNS)
    assert list(frame["pmid"]) == [a.pmid for a in articles]
    assert str(frame["year"].dtype) == "Int64"
    authors = medline_parse.to_dataframe(articles, per_author=True)
    assert list(authors.columns) == list(AUTHOR_COLUMNS)
    assert len(authors) == sum(len([x for x in a.authors if not x.is_et_al]) for a in articles)


def test_to_dataframe_columns_are_the_documented_ones() -> None:
    page = (ROOT / "docs" / "recipes" / "converting.md").read_text(encoding="utf-8")
    for column in ARTICLE_COLUMNS:
        assert f"`{column}`" in page, column


# -- help() ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "attribute", "meaning"),
    [
        (medline_parse.Article, "pmid", "PubMed ID"),
        (medline_parse.Article, "relations", "Comments and corrections"),
        (medline_parse.Author, "affiliations", "Every affiliation"),
        (medline_parse.Diagnostic, "line", "1-based line number"),
        (medline_parse.Record, "source", "The exact text the record came from"),
        (medline_parse.PubDate, "year", ""),
    ],
)
def test_help_shows_each_attribute_and_its_meaning(cls: type, attribute: str, meaning: str) -> None:
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert re.search(rf"^ \|      {attribute}: {re.escape(meaning)}", text, re.MULTILINE), text[
        :2000
    ]


def test_every_documented_attribute_of_article_reaches_help() -> None:
    source = (ROOT / "src" / "medline_parse" / "model" / "article.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    (node,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Article"]
    documented = [
        s.target.id
        for s, after in zip(node.body, node.body[1:])
        if isinstance(s, ast.AnnAssign)
        and isinstance(s.target, ast.Name)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
    ]
    assert len(documented) == len(attrs.fields(Article))
    doc = medline_parse.Article.__doc__ or ""
    for name in documented:
        assert f"\n    {name}: " in doc, name


# -- names -----------------------------------------------------------------------------------------


def test_one_name_for_a_line_number() -> None:
    (record,) = iter_records(io.StringIO("\nPMID- 1\nTI  - t\n"))
    assert record.line == 1 and record.fields[1].line == 3
    diagnostic = Diagnostic("x", "m", line=3)
    error = ParseError("m", line=3)
    assert diagnostic.line == error.line == record.fields[1].line
    for old in (lambda: record.line_number, lambda: record.fields[1].line_number):
        with pytest.warns(DeprecationWarning, match=r"\.line"):
            assert old() in (1, 3)


def test_no_line_number_left_in_the_code() -> None:
    for path in (ROOT / "src").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = text.replace("def line_number", "").replace('"Field.line_number"', "")
        text = text.replace('"Record.line_number"', "")
        hits = list(re.findall(r"\.line_number\b(?!s)", text))
        assert not hits, path


# -- dependencies ------------------------------------------------------------------------------------


def test_every_required_dependency_is_imported() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    modules = {"python-dateutil": "dateutil"}
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
        module = modules.get(name, name.replace("-", "_"))
        assert re.search(rf"^\s*(import|from) {module}\b", code, re.MULTILINE), name
