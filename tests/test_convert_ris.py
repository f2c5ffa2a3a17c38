"""RIS: read back with rispy (an independent RIS reader), the fields match the model; one KW per
MeSH heading or keyword, so terms with commas stay whole."""

from __future__ import annotations

import pytest

from medline_parse.convert._common import split_pages

from .test_convert_cases import edge_articles, sample_articles

rispy = pytest.importorskip("rispy")
ris = pytest.importorskip("medline_parse.convert.ris")


def test_entries_match_the_model() -> None:
    articles = sample_articles()
    entries = rispy.loads(ris.dumps(articles))
    assert len(entries) == len(articles)
    for entry, a in zip(entries, articles):
        assert entry["type_of_reference"] in {"JOUR", "CHAP", "BOOK"}
        assert entry.get("title") == (a.title or a.book_title)
        assert entry.get("accession_number") == a.pmid
        assert entry.get("doi") == a.doi
        assert entry.get("custom2") == a.pmcid
        assert entry.get("abstract") == a.abstract
        assert entry.get("volume") == a.volume
        assert entry.get("number") == a.issue
        assert entry.get("year") == (str(a.year) if a.year else None)
        assert entry.get("keywords", []) == [h.text for h in a.mesh] + [k.term for k in a.keywords]
        authors = [au for au in a.authors if not au.is_et_al]
        assert len(entry.get("authors", [])) == len(authors)
        for name, au in zip(entry.get("authors", []), authors):
            if au.collective_name:
                assert name == au.collective_name
            else:
                assert name.startswith(au.last_name + ", ")
        first, last = split_pages(a.pagination)
        assert entry.get("start_page") == first
        assert entry.get("end_page") == last


def test_edge_article() -> None:
    full, no_pmid, chapter, season, *_ = edge_articles()
    entry, *_ = rispy.loads(ris.dumps([full]))
    assert entry["authors"] == [
        "García-López, María José",
        "COVID-19 Genomics UK (COG-UK) Consortium & Friends",
        "Smith, JA",
        "da Silva, João, Jr",
    ]
    assert entry["keywords"][:2] == ["Child, Preschool", "*Tomography, X-Ray Computed/*methods"]
    assert entry["date"] == "2023/07//"
    assert (entry["start_page"], entry["end_page"]) == ("616", "617")
    assert entry["secondary_title"] == "Journal of tests"
    assert entry["alternate_title1"] == "J Tests"
    assert entry["language"] == "eng; fre"
    chap = rispy.loads(ris.dumps([chapter]))[0]
    assert chap["type_of_reference"] == "CHAP"
    assert chap["secondary_title"] == "GeneReviews®"
    assert chap["secondary_authors"] == ["Adam, Margaret P"]
    assert chap["issn"] == "978-0-00-000000-2"
    assert rispy.loads(ris.dumps([season]))[0]["date"] == "2020///Winter"
    assert rispy.loads(ris.dumps([no_pmid]))[0]["id"].startswith("sha1:")


def test_layout_has_no_numbering_and_one_blank_line_between_entries() -> None:
    text = ris.dumps(sample_articles()[:2])
    assert text.startswith("TY  - JOUR\n")
    assert "\nER  - \n\nTY  - " in text
    assert text.endswith("ER  - \n")


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("616-7", ("616", "617")),
        ("5795-813", ("5795", "5813")),
        ("S36-S41", ("S36", "S41")),
        ("e0353121", ("e0353121", None)),
        ("1-13", ("1", "13")),
        ("12-4, 18", ("12-4, 18", None)),
        (None, (None, None)),
    ],
)
def test_split_pages(pages: str | None, expected: tuple[str | None, str | None]) -> None:
    assert split_pages(pages) == expected
