"""JSON: every article survives to_dict/from_dict and dumps/loads; dates keep their type; the
output is plain JSON any reader takes; docs/json-format.md names every key."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import attrs
import pytest

from medline_parse import Article, PubDate, dumps, loads
from medline_parse.convert import json as mjson
from medline_parse.model import Journal

from .conftest import ROOT, corpus_params
from .test_convert_cases import edge_articles, read_all, sample_articles


def _round_trip(article: Article) -> Article:
    text = json.dumps(mjson.to_dict(article), ensure_ascii=False)
    return mjson.from_dict(json.loads(text))


def test_every_sample_article_round_trips() -> None:
    for article in sample_articles():
        assert _round_trip(article) == article
        assert mjson.from_dict(mjson.to_dict(article, omit_empty=True)) == article


@pytest.mark.parametrize("path", corpus_params())
def test_corpus_round_trips(path: Path) -> None:
    for article in read_all(path):
        data = json.loads(json.dumps(mjson.to_dict(article, diagnostics=True, field_order=True)))
        back = mjson.from_dict(data)
        assert back == article, article.pmid
        assert back.field_order == article.field_order
        assert back.diagnostics == article.diagnostics


def test_dates_keep_their_type() -> None:
    article = edge_articles()[0]
    data = mjson.to_dict(article)
    assert data["completed_date"] == "2023-04-21"
    assert data["revised_date"] == {"raw": "20230230"}
    assert data["electronic_date"] == {"raw": "2023-06-01"}
    assert data["entrez_date"] == "2023-05-01T06:00"
    assert data["mesh_date"] == "1996-01-01"
    assert data["create_date"] == {"raw": "2004/00/03 00:00"}
    assert [h["date"] for h in data["history"]] == [
        "2023-01-05T00:00",
        "2023-02-01",
        {"raw": "2000 Jan 5"},
    ]
    back = mjson.from_dict(json.loads(json.dumps(data)))
    assert type(back.completed_date) is datetime.date
    assert back.revised_date == "20230230"
    assert back.electronic_date == "2023-06-01"  # text, never read as a date
    assert type(back.entrez_date) is datetime.datetime
    assert type(back.mesh_date) is datetime.date
    assert type(back.history[0].date) is datetime.datetime
    assert type(back.history[1].date) is datetime.date
    assert back.history[2].date == "2000 Jan 5"


def test_pub_date_object_and_derived_keys() -> None:
    article = edge_articles()[0]
    data = mjson.to_dict(article)
    assert data["publication_date"] == {
        "text": "2023 Jul-Aug",
        "year": 2023,
        "month": 7,
        "season": None,
        "day": None,
        "end_year": None,
        "end_month": 8,
        "end_season": None,
        "end_day": None,
    }
    assert (data["doi"], data["pmcid"], data["year"]) == ("10.5555/x.2023.1", "PMC1234567", 2023)
    # Derived keys are ignored on input: changing one changes nothing.
    data["doi"] = "10.9999/other"
    assert mjson.from_dict(data).doi == "10.5555/x.2023.1"
    odd = PubDate.parse("Summer-ish 2020?")
    assert mjson.from_dict(mjson.to_dict(Article(publication_date=odd))).publication_date == odd


def test_extra_and_nested_shapes() -> None:
    data = mjson.to_dict(edge_articles()[0])
    assert data["extra"] == [
        {"tag": "XX", "value": "an unknown tag"},
        {"tag": "TI", "value": "a second title"},
    ]
    assert data["mesh"][1] == {
        "descriptor": "Tomography, X-Ray Computed",
        "major": True,
        "qualifiers": [{"name": "methods", "major": True, "qualifier_id": None}],
        "descriptor_id": None,
    }
    assert data["authors"][0]["identifiers"] == [
        {"value": "0000-0002-1825-0097", "source": "ORCID"}
    ]


def test_omit_empty_leaves_out_nulls_and_empty_lists() -> None:
    data = mjson.to_dict(Article(pmid="1", title="T"), omit_empty=True)
    assert data == {"pmid": "1", "title": "T"}
    assert mjson.from_dict(data) == Article(pmid="1", title="T")


def test_dumps_loads_array_lines_and_single() -> None:
    articles = sample_articles()
    assert mjson.loads(mjson.dumps(articles)) == articles
    lines = mjson.dumps(articles, lines=True)
    assert lines.count("\n") == len(articles)
    assert all(
        json.loads(line)["title"] == a.title for line, a in zip(lines.splitlines(), articles)
    )
    assert mjson.loads(lines) == articles
    assert mjson.loads(mjson.dumps(articles[0])) == [articles[0]]
    assert mjson.loads(mjson.dumps([])) == []


def test_json_to_medline_keeps_field_order() -> None:
    for article in read_all(ROOT / "examples" / "data" / "sample.txt"):
        back = mjson.from_dict(mjson.to_dict(article, field_order=True))
        assert dumps(back) == dumps(article)
        assert loads(dumps(back)) == [article]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pmid": 5}, "pmid: expected a string"),
        ({"titel": "x"}, "unknown key 'titel'"),
        ({"authors": {}}, "authors: expected a list"),
        ({"authors": [{"full_name": 1}]}, "authors[0].full_name"),
        ({"completed_date": "2023-02-30"}, "completed_date"),
        ({"completed_date": "2023-02-01T10:00"}, "a date without time"),
        ({"publication_date": {"text": "2020", "year": "2020"}}, "publication_date.year"),
        ({"extra": [["XX", "v"]]}, "extra[0]"),
        ({"mesh": [{"major": True}]}, "missing key 'descriptor'"),
    ],
)
def test_bad_json_raises_a_clear_error(data: dict[str, object], message: str) -> None:
    with pytest.raises(mjson.JsonError, match=re.escape(message)):
        mjson.from_dict(data)


def test_loads_reports_the_line_of_bad_jsonl() -> None:
    with pytest.raises(mjson.JsonError, match="line 2"):
        mjson.loads('{"pmid": "1"}\n{"pmid": 2}\n')
    with pytest.raises(mjson.JsonError, match="not JSON"):
        mjson.loads("{")


def _keys(cls: type) -> set[str]:
    return {f.name for f in attrs.fields(cls)}


def test_docs_name_every_key() -> None:
    doc = (ROOT / "docs" / "json-format.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", doc))
    import medline_parse.model as model

    classes = [getattr(model, name) for name in model.__all__]
    classes = [c for c in classes if isinstance(c, type) and attrs.has(c)]
    missing = {
        f"{cls.__name__}.{key}"
        for cls in classes
        for key in _keys(cls) - {"raw"}
        if key not in named
    }
    assert not missing, f"docs/json-format.md does not name {sorted(missing)}"
    assert Journal in classes
