"""Helpers the converters share: the flat summary of an article, page ranges, stable keys."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..arguments import checked_items
from ..model import Article, Author, Relation
from ..model.pmid import is_valid_pmid

__all__ = [
    "ARTICLE_COLUMNS",
    "AUTHOR_COLUMNS",
    "LIST_COLUMNS",
    "all_affiliations",
    "article_key",
    "articles_to_write",
    "author_rows",
    "content_key",
    "journal_issn",
    "relation_text",
    "split_pages",
    "summary",
]

ARTICLE_COLUMNS: tuple[str, ...] = (
    "pmid",
    "title",
    "journal",
    "journal_abbreviation",
    "issn",
    "year",
    "pub_date",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmcid",
    "authors",
    "first_author",
    "last_author",
    "affiliations",
    "mesh",
    "keywords",
    "publication_types",
    "languages",
    "relations",
    "abstract",
)
"""The columns of the one-row-per-article table (CSV, DataFrame, Parquet)."""

LIST_COLUMNS = frozenset(
    {"authors", "affiliations", "mesh", "keywords", "publication_types", "languages", "relations"}
)
"""Columns holding lists: joined with a separator in CSV, lists in a DataFrame."""

AUTHOR_COLUMNS: tuple[str, ...] = (
    "pmid",
    "year",
    "journal",
    "position",
    "author_count",
    "full_name",
    "name",
    "last_name",
    "fore_name",
    "initials",
    "collective_name",
    "orcid",
    "affiliations",
)
"""The columns of the one-row-per-author table."""


def articles_to_write(articles: Article | Iterable[Article]) -> Iterator[Article]:
    """The articles a converter writes: one :class:`~medline_parse.Article`, or an iterable of
    them, each checked as it is reached; a :class:`~medline_parse.errors.MedlineError` for what is
    none (``None``, a number, a ``str``, an item that is no article) instead of an error from deep
    inside the converter."""
    return checked_items(articles, (Article,), "an Article")


def journal_issn(article: Article) -> str | None:
    """The ISSN to cite: the linking ISSN, else print, else electronic, else the first."""
    journal = article.journal
    for kind in ("Linking", "Print", "Electronic", None):
        issn = journal.issn(kind)
        if issn is not None:
            return issn
    return None


def relation_text(relation: Relation) -> str:
    """A comment or correction in words, as PubMed shows it: ``"Erratum in: Lancet. 2023 Nov
    18;402(10415):1806. PMID: 37951234"``."""
    return f"{relation.kind_name}: {relation.text}"


def all_affiliations(article: Article) -> list[str]:
    """The record's affiliations and its authors', each once, in order."""
    affiliations = [*article.affiliations]
    for author in article.authors:
        affiliations.extend(author.affiliations)
    return _unique(affiliations)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def summary(article: Article) -> dict[str, Any]:
    """The article as one flat row (:data:`ARTICLE_COLUMNS`); list columns hold lists."""
    authors = [a for a in article.authors if not a.is_et_al]
    names = [a.display_name for a in authors]
    journal = article.journal
    return {
        "pmid": article.pmid,
        "title": article.title if article.title is not None else article.book_title,
        "journal": journal.title if journal.title is not None else journal.abbreviation,
        "journal_abbreviation": journal.abbreviation,
        "issn": journal_issn(article),
        "year": article.year,
        "pub_date": None if article.publication_date is None else article.publication_date.text,
        "volume": article.volume,
        "issue": article.issue,
        "pages": article.pagination,
        "doi": article.doi,
        "pmcid": article.pmcid,
        "authors": names,
        "first_author": names[0] if names else None,
        "last_author": names[-1] if names else None,
        "affiliations": all_affiliations(article),
        "mesh": [heading.text for heading in article.mesh],
        "keywords": [keyword.term for keyword in article.keywords],
        "publication_types": list(article.publication_types),
        "languages": list(article.languages),
        "relations": [relation_text(relation) for relation in article.relations],
        "abstract": article.abstract,
    }


def author_rows(article: Article) -> list[dict[str, Any]]:
    """One flat row per author of *article* (:data:`AUTHOR_COLUMNS`); ``affiliations`` is a list."""
    authors: list[Author] = [a for a in article.authors if not a.is_et_al]
    journal = article.journal
    return [
        {
            "pmid": article.pmid,
            "year": article.year,
            "journal": journal.title if journal.title is not None else journal.abbreviation,
            "position": position,
            "author_count": len(authors),
            "full_name": author.full_name,
            "name": author.name,
            "last_name": author.last_name,
            "fore_name": author.fore_name,
            "initials": author.initials,
            "collective_name": author.collective_name,
            "orcid": author.orcid,
            "affiliations": list(author.affiliations),
        }
        for position, author in enumerate(authors, 1)
    ]


_PAGE_RANGE = re.compile(r"([A-Za-z]*)(\d+)([A-Za-z]*)-([A-Za-z]*)(\d+)([A-Za-z]*)")


def split_pages(pagination: str | None) -> tuple[str | None, str | None]:
    """First and last page of a MEDLINE pagination, with PubMed's shortened end expanded.

    ``"616-7"`` gives ``("616", "617")``, ``"S36-S41"`` gives ``("S36", "S41")``,
    ``"e0353121"`` gives ``("e0353121", None)``.  Anything else (several ranges, roman numerals
    with text) is returned whole as the first page.
    """
    if not pagination:
        return None, None
    text = pagination.strip()
    match = _PAGE_RANGE.fullmatch(text)
    if match is None:
        return text, None
    pre1, num1, post1, pre2, num2, post2 = match.groups()
    if len(num2) < len(num1) and not pre2 and pre1 == "" and not post1 and not post2:
        num2 = num1[: len(num1) - len(num2)] + num2
    return f"{pre1}{num1}{post1}", f"{pre2}{num2}{post2}"


def article_key(article: Article) -> str:
    """A stable key: the PMID when it is a valid one, else ``"sha1:"`` and a digest of the
    article's content (no PMID, an empty one, ``abc``: every such article is kept apart)."""
    pmid = article.pmid
    if pmid is not None and is_valid_pmid(pmid):
        return pmid
    return content_key(article)


def content_key(article: Article) -> str:
    """``"sha1:"`` and a digest of the article's content (stable: the same record, the same key)."""
    from .json import to_dict  # the canonical content, independent of the source layout

    text = json.dumps(to_dict(article, omit_empty=True), sort_keys=True, ensure_ascii=False)
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
