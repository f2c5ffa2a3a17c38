"""Articles the converter tests share: the bundled example, the fixtures, and hand-built edge cases
(raw-text dates, MeSH headings with commas, LaTeX specials, no PMID, books, seasons and ranges)."""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path

import pytest

from medline_parse import (
    Article,
    ArticleId,
    Author,
    Chemical,
    Grant,
    HistoryEvent,
    Issn,
    Journal,
    Keyword,
    MeshHeading,
    MeshQualifier,
    OtherAbstract,
    PubDate,
    Relation,
    parse,
)

from .conftest import EXAMPLES, FIXTURES

SAMPLE = EXAMPLES / "data" / "sample.txt"
SAMPLE_NBIB = EXAMPLES / "data" / "sample.nbib"


def read_all(path: Path) -> list[Article]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(parse(path))


def sample_files() -> list[Path]:
    """The example exports and the fixtures that exist."""
    paths = [SAMPLE, SAMPLE_NBIB, *sorted(FIXTURES.glob("*.txt"))]
    return [p for p in paths if p.is_file()]


def sample_articles() -> list[Article]:
    """Every article of :func:`sample_files`, plus :func:`edge_articles`."""
    out: list[Article] = []
    for path in sample_files():
        out.extend(read_all(path))
    return out + edge_articles()


def edge_articles() -> list[Article]:
    """Hand-built articles with the values converters get wrong."""
    full = Article(
        pmid="99100001",
        owner="NLM",
        status="MEDLINE",
        completed_date=datetime.date(2023, 4, 21),
        revised_date="20230230",  # no valid date: kept as text
        title="A & B {braces} 50% #1 x_y ~ z^2 $5 back\\slash -- ``q'' µ·≥ é: CRISPR/Cas9",
        abstract="BACKGROUND: Ünïcödé ☃ and 𝔘 non-BMP. RESULTS: p < 0.05; n = 12.",
        authors=(
            Author.from_parts(
                "García-López",
                "María José",
                identifiers=["ORCID: 0000-0002-1825-0097"],
                affiliations=["Dept A; Dept B, Univ X.", "Institute Y."],
            ),
            Author.collective("COVID-19 Genomics UK (COG-UK) Consortium & Friends"),
            Author(name="Smith JA"),  # short name only, as before 2002
            Author.from_parts("da Silva", "João", suffix="Jr"),
        ),
        journal=Journal("Journal of tests", "J Tests", "9999999", (Issn("2999-0001", "Print"),)),
        volume="12",
        issue="3 Suppl 1",
        pagination="616-7",
        publication_date=PubDate.parse("2023 Jul-Aug"),
        electronic_date="2023-06-01",  # ISO-looking raw text must stay text
        languages=("eng", "fre"),
        publication_types=("Journal Article", "Research Support, N.I.H., Extramural"),
        mesh=(
            MeshHeading("Child, Preschool"),
            MeshHeading("Tomography, X-Ray Computed", True, (MeshQualifier("methods", True),)),
            MeshHeading(
                "Asthma",
                False,
                (MeshQualifier("drug therapy"), MeshQualifier("growth & development", True)),
            ),
        ),
        keywords=(Keyword("virus, influenza", "NOTNLM"), Keyword("gene editing", "NOTNLM")),
        chemicals=(Chemical("0", "Antibodies"), Chemical("EC 3.6.1.-")),
        grants=(Grant.parse("MR/T044934/1/MRC_/Medical Research Council/United Kingdom"),),
        relations=(
            Relation.parse("CIN", "Lancet. 2023;1:2. PMID: 37883983"),
            Relation.parse("EIN", "J Tests. 2023 Sep;12(4):700. doi: 10.5555/e. PMID: 99100009"),
        ),
        article_ids=(
            ArticleId("10.5555/x.2023.1", "doi"),
            ArticleId("S0000-0000(23)00001-1", "pii"),
        ),
        location_ids=(ArticleId("e0353121"),),
        pmc="PMC1234567",
        other_abstracts=(OtherAbstract("Résumé.", "fre"),),
        entrez_date=datetime.datetime(2023, 5, 1, 6, 0),
        mesh_date=datetime.date(1996, 1, 1),
        create_date="2004/00/03 00:00",
        history=(
            HistoryEvent("received", datetime.datetime(2023, 1, 5, 0, 0)),
            HistoryEvent("accepted", datetime.date(2023, 2, 1)),
            HistoryEvent("pubmed", "2000 Jan 5"),
        ),
        extra=(("XX", "an unknown tag"), ("TI", "a second title")),
    )
    no_pmid = Article(
        title="A record without PMID",
        owner="ERIC",
        publication_date=PubDate.parse("1998 Spring-Summer"),
        authors=(Author.from_parts("Doe", "Jane"),),
    )
    chapter = Article(
        pmid="99100002",
        title="Clinical features",
        book_title="GeneReviews®",
        publisher="University of Somewhere",
        place="Seattle (WA)",
        editors=(Author.from_parts("Adam", "Margaret P"),),
        collection_titles=("Fictional Reviews Series",),
        publication_date=PubDate.parse("1993"),
        article_ids=(ArticleId("NBK1116", "bookaccession"),),
        isbns=("978-0-00-000000-2",),
    )
    season = Article(
        pmid="99100003",
        title="Winter issue",
        publication_date=PubDate.parse("2020 Winter"),
        journal=Journal(abbreviation="Q J Seasons"),
    )
    days = Article(
        pmid="99100004",
        title="Day range",
        publication_date=PubDate.parse("2023 Jan 5-11"),
        pagination="S36-S41",
    )
    odd = Article(pmid="99100005", title="Odd date", publication_date=PubDate.parse("Summer-ish"))
    return [full, no_pmid, chapter, season, days, odd]


def test_edge_articles_are_valid() -> None:
    articles = edge_articles()
    assert len({a.pmid for a in articles}) == len(articles)
    assert articles[0].doi == "10.5555/x.2023.1"


def test_sample_is_bundled() -> None:
    if not SAMPLE.is_file():
        pytest.skip("examples/data/sample.txt not written yet")
    assert len(read_all(SAMPLE)) >= 10
