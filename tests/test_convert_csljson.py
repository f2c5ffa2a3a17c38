"""CSL-JSON: read back with the json module; types, names, issued date-parts with only the stated
parts, identifiers."""

from __future__ import annotations

import json

from medline_parse.convert import csljson

from .test_convert_cases import edge_articles, sample_articles


def _items() -> list[dict[str, object]]:
    items = json.loads(csljson.dumps(sample_articles()))
    assert isinstance(items, list)
    return items


def test_every_article_has_an_item_with_id_and_type() -> None:
    articles = sample_articles()
    items = _items()
    assert len(items) == len(articles)
    assert len({item["id"] for item in items}) == len(items)
    for item, a in zip(items, articles):
        assert item["type"] in {"article-journal", "chapter", "book"}
        assert item.get("title") == (a.title or a.book_title)
        assert item.get("PMID") == a.pmid
        assert item.get("DOI") == a.doi
        assert item.get("PMCID") == a.pmcid
        assert item.get("page") == a.pagination
        assert item.get("volume") == a.volume
        authors = [au for au in a.authors if not au.is_et_al]
        assert len(item.get("author", [])) == len(authors)  # type: ignore[arg-type]
        if a.year is not None:
            assert item["issued"]["date-parts"][0][0] == a.year  # type: ignore[index]


def test_names() -> None:
    item = csljson.to_csl(edge_articles()[0])
    assert item["author"] == [
        {"family": "García-López", "given": "María José"},
        {"literal": "COVID-19 Genomics UK (COG-UK) Consortium & Friends"},
        {"family": "Smith", "given": "JA"},
        {"family": "da Silva", "given": "João", "suffix": "Jr"},
    ]


def test_issued_has_only_stated_parts() -> None:
    by_pmid = {a.pmid: csljson.to_csl(a) for a in edge_articles()}
    assert by_pmid["99100001"]["issued"] == {"date-parts": [[2023, 7], [2023, 8]]}
    assert by_pmid["99100003"]["issued"] == {"date-parts": [[2020]], "season": 4}
    assert by_pmid["99100004"]["issued"] == {"date-parts": [[2023, 1, 5], [2023, 1, 11]]}
    assert by_pmid["99100002"]["issued"] == {"date-parts": [[1993]]}
    assert by_pmid["99100005"]["issued"] == {"literal": "Summer-ish"}
    no_pmid = by_pmid[None]
    assert no_pmid["id"].startswith("sha1:")
    assert no_pmid["issued"]["date-parts"] == [[1998]]
    assert no_pmid["issued"]["season"] == 1


def test_types_containers_and_keywords() -> None:
    full, _, chapter, season, *_ = edge_articles()
    item = csljson.to_csl(full)
    assert item["type"] == "article-journal"
    assert item["container-title"] == "Journal of tests"
    assert item["container-title-short"] == "J Tests"
    assert item["ISSN"] == "2999-0001"
    assert item["language"] == "en"
    assert item["keyword"].split("; ") == [
        "Child, Preschool",
        "*Tomography, X-Ray Computed/*methods",
        "Asthma/drug therapy/*growth & development",
        "virus, influenza",
        "gene editing",
    ]
    chap = csljson.to_csl(chapter)
    assert chap["type"] == "chapter"
    assert chap["container-title"] == "GeneReviews®"
    assert chap["editor"] == [{"family": "Adam", "given": "Margaret P"}]
    assert chap["publisher-place"] == "Seattle (WA)"
    assert chap["ISBN"] == "978-0-00-000000-2"
    assert csljson.to_csl(season)["container-title"] == "Q J Seasons"


def test_empty_input_is_an_empty_array() -> None:
    assert json.loads(csljson.dumps([])) == []
