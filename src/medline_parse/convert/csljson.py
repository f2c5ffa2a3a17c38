"""Articles as CSL-JSON, the input of citation processors (citeproc-js, pandoc, Zotero).

Follows the CSL data schema (``csl-data.json``): ``type`` is ``article-journal`` for journal
articles, ``chapter`` for a chapter of a book record (TI and BTI) and ``book`` for a book; names are
``{"family", "given"}`` (``"suffix"`` when there is one) or ``{"literal"}`` for a group;
``issued`` holds only the date parts DP states (a season as ``"season"`` 1-4, a range as two
``date-parts``, a DP nothing could be read from as ``"literal"``).  MeSH headings and keywords
go to ``keyword``, joined with ``"; "`` since MeSH headings contain commas.  A book's collection
(series) title goes to ``collection-title``, its volume title to ``volume-title``, the
original-language title (TT) to ``original-title``, the date of electronic publication to
``available-date``, and comments and corrections ("Erratum in: ...", "Retraction in: ...") to
``note``, one per line.  Affiliations, ORCID iDs and publication types have no CSL variable.

pandoc reads CSL-JSON from a file ending in ``.json`` (``pandoc --citeproc --bibliography
refs.json``); the format's usual extension is therefore ``.json``.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator
from typing import Any

from ..model import Article, Author, DateValue
from ..model.dates import PubDate
from ..outputs import Target, open_target
from ._common import article_key, articles_to_write, journal_issn, relation_text
from .json import dump_text

__all__ = ["KEYWORD_SEPARATOR", "dumps", "to_csl", "write"]

KEYWORD_SEPARATOR = "; "

_SEASONS = {"Spring": 1, "Summer": 2, "Autumn": 3, "Fall": 3, "Winter": 4}

# ISO 639-2/B (MEDLINE LA) to the BCP 47 tags CSL processors expect, for the common languages.
_LANGUAGES = {
    "eng": "en",
    "spa": "es",
    "fre": "fr",
    "ger": "de",
    "ita": "it",
    "por": "pt",
    "dut": "nl",
    "rus": "ru",
    "jpn": "ja",
    "chi": "zh",
    "kor": "ko",
    "pol": "pl",
    "cze": "cs",
    "dan": "da",
    "swe": "sv",
    "nor": "no",
    "fin": "fi",
    "heb": "he",
    "tur": "tr",
    "gre": "el",
    "hun": "hu",
    "ara": "ar",
    "per": "fa",
}


def csl_name(author: Author) -> dict[str, str]:
    """A CSL name object: ``{"family", "given"[, "suffix"]}`` or ``{"literal"}``."""
    if author.collective_name is not None:
        return {"literal": author.collective_name}
    family = author.last_name
    if family is None:
        return {"literal": author.display_name}
    out = {"family": family}
    given = author.fore_name if author.fore_name is not None else author.initials
    if given:
        out["given"] = given
    if author.suffix:
        out["suffix"] = author.suffix
    return out


def _point(year: int, month: int | None, day: int | None) -> list[int]:
    parts = [year]
    if month is not None:
        parts.append(month)
        if day is not None:
            parts.append(day)
    return parts


def csl_date(date: PubDate) -> dict[str, Any]:
    """The CSL date object of a DP value, with only the stated parts."""
    if date.year is None:
        return {"literal": date.text}
    out: dict[str, Any] = {"date-parts": [_point(date.year, date.month, date.day)]}
    if date.is_range:
        end_year = date.end_year if date.end_year is not None else date.year
        end_month = date.end_month
        if end_month is None and date.end_day is not None:
            end_month = date.month  # "2023 Jan 5-11": the end day is in the start's month
        if date.end_season is None or end_month is not None:
            out["date-parts"].append(_point(end_year, end_month, date.end_day))
    if date.season is not None:
        out["season"] = _SEASONS[date.season]
    if not date.is_exact:
        out["raw"] = date.text
    return out


def _day(value: DateValue | None) -> dict[str, Any] | None:
    if isinstance(value, datetime.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    return None if value is None else {"literal": value}


def to_csl(article: Article) -> dict[str, Any]:
    """The CSL-JSON item of *article*; keys with no value are left out."""
    if article.is_book:
        kind = "chapter" if article.title and article.book_title else "book"
    else:
        kind = "article-journal"
    item: dict[str, Any] = {"id": article_key(article), "type": kind}
    journal = article.journal

    def put(key: str, value: Any) -> None:
        if value not in (None, "", [], {}):
            item[key] = value

    if kind == "book":
        put("title", article.book_title or article.title)
    else:
        put("title", article.title)
    if kind == "chapter":
        put("container-title", article.book_title)
    else:
        put("container-title", journal.title or journal.abbreviation)
        put("container-title-short", journal.abbreviation)
    put("original-title", article.transliterated_title)
    put("collection-title", "; ".join(article.collection_titles))
    put("volume-title", "; ".join(article.volume_titles))
    put("author", [csl_name(a) for a in article.authors if not a.is_et_al])
    put("editor", [csl_name(a) for a in article.editors])
    if article.publication_date is not None:
        put("issued", csl_date(article.publication_date))
    put("available-date", _day(article.electronic_date))
    put("volume", article.volume)
    put("issue", article.issue)
    put("page", article.pagination)
    put("DOI", article.doi)
    put("PMID", article.pmid)
    put("PMCID", article.pmcid)
    put("ISSN", journal_issn(article))
    put("ISBN", article.isbns[0] if article.isbns else None)
    put("abstract", article.abstract)
    if article.languages:
        put("language", _LANGUAGES.get(article.languages[0], article.languages[0]))
    terms = [h.text for h in article.mesh] + [k.term for k in article.keywords]
    put("keyword", KEYWORD_SEPARATOR.join(terms))
    put("publisher", article.publisher)
    if article.is_book:
        put("publisher-place", article.place)
    put("edition", article.edition)
    put("note", "\n".join(relation_text(relation) for relation in article.relations))
    return item


def write(articles: Article | Iterable[Article], target: Target) -> int:
    """Stream *articles* to *target* (a path, ``"-"`` or a file; see
    :func:`~medline_parse.outputs.open_target`) as a CSL-JSON array; returns the count."""
    articles = articles_to_write(articles)
    count = 0
    with open_target(target, binary=False) as handle:
        handle.write("[")
        for article in articles:
            text = dump_text(to_csl(article), indent=2)
            handle.write(("," if count else "") + "\n  " + text.replace("\n", "\n  "))
            count += 1
        handle.write("\n]\n" if count else "]\n")
    return count


def dumps(articles: Article | Iterable[Article]) -> str:
    """The CSL-JSON text (an array) of *articles*."""
    buffer = io.StringIO()
    write(articles, buffer)
    return buffer.getvalue()


def iter_items(articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    """The CSL item of each article."""
    for article in articles_to_write(articles):
        yield to_csl(article)
