"""CSV: read back with the csv module, every column matches the model; MeSH headings with commas
stay whole; one row per author with affiliations and ORCID."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from medline_parse import Article, MeshHeading
from medline_parse.convert import csv as mcsv
from medline_parse.convert._common import ARTICLE_COLUMNS, AUTHOR_COLUMNS

from .test_convert_cases import edge_articles, sample_articles


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _split(cell: str, sep: str = "; ") -> list[str]:
    return cell.split(sep) if cell else []


def _names(article: Article) -> list[str]:
    return [a.display_name for a in article.authors if not a.is_et_al]


def test_rows_match_the_model() -> None:
    articles = sample_articles()
    rows = _read(mcsv.dumps(articles))
    assert len(rows) == len(articles)
    assert list(rows[0]) == list(ARTICLE_COLUMNS)
    for row, a in zip(rows, articles):
        assert row["pmid"] == (a.pmid or "")
        assert row["title"] == (a.title or a.book_title or "")
        assert row["journal"] == (a.journal.title or a.journal.abbreviation or "")
        assert row["year"] == (str(a.year) if a.year else "")
        assert row["pub_date"] == (a.publication_date.text if a.publication_date else "")
        assert row["doi"] == (a.doi or "")
        assert row["pmcid"] == (a.pmcid or "")
        assert row["pages"] == (a.pagination or "")
        assert row["abstract"] == (a.abstract or "")
        assert _split(row["authors"]) == _names(a)
        assert row["first_author"] == (_names(a)[0] if _names(a) else "")
        assert row["last_author"] == (_names(a)[-1] if _names(a) else "")
        assert [MeshHeading.parse(t) for t in _split(row["mesh"])] == list(a.mesh)
        if not any("; " in k.term for k in a.keywords):
            assert _split(row["keywords"]) == [k.term for k in a.keywords]
        assert _split(row["publication_types"]) == list(a.publication_types)
        assert _split(row["languages"]) == list(a.languages)


def test_mesh_with_commas_and_major_marks_survive() -> None:
    row = _read(mcsv.dumps([edge_articles()[0]]))[0]
    assert _split(row["mesh"]) == [
        "Child, Preschool",
        "*Tomography, X-Ray Computed/*methods",
        "Asthma/drug therapy/*growth & development",
    ]
    assert _split(row["keywords"]) == ["virus, influenza", "gene editing"]
    assert _split(row["publication_types"])[1] == "Research Support, N.I.H., Extramural"


def test_other_separator_splits_exactly() -> None:
    article = edge_articles()[0]
    row = _read(mcsv.dumps([article], sep="\n"))[0]
    affiliations = [x for au in article.authors for x in au.affiliations]
    assert _split(row["affiliations"], "\n") == affiliations  # one holds "; " itself


def test_one_row_per_author() -> None:
    articles = sample_articles()
    rows = _read(mcsv.dumps(articles, per_author=True, sep=" | "))
    assert list(rows[0]) == list(AUTHOR_COLUMNS)
    expected = [
        (a, au, i)
        for a in articles
        for i, au in enumerate([x for x in a.authors if not x.is_et_al], 1)
    ]
    assert len(rows) == len(expected)
    for row, (a, au, position) in zip(rows, expected):
        assert row["pmid"] == (a.pmid or "")
        assert int(row["position"]) == position
        assert row["full_name"] == (au.full_name or "")
        assert row["collective_name"] == (au.collective_name or "")
        assert row["orcid"] == (au.orcid or "")
        assert row["last_name"] == (au.last_name or "")
        assert _split(row["affiliations"], " | ") == list(au.affiliations)
    edge = [r for r in rows if r["pmid"] == "99100001"]
    assert edge[0]["orcid"] == "0000-0002-1825-0097"
    assert edge[1]["collective_name"].startswith("COVID-19 Genomics UK")


def test_write_to_path_and_count(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert mcsv.write(sample_articles(), path) == len(sample_articles())
    assert len(_read(path.read_text(encoding="utf-8"))) == len(sample_articles())
    assert _read(mcsv.dumps([])) == []
