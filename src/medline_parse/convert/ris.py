"""Articles as RIS, written by `rispy <https://pypi.org/project/rispy/>`_ (the ``[ris]`` extra).

Tags follow what reference managers (Zotero, EndNote, Mendeley) read, with rispy's key names:
``TY`` (``JOUR``, ``CHAP``, ``BOOK``), ``TI``, one ``AU`` per author (``Last, Fore``; a group's name
as it is), ``A2`` editors, ``PY`` and ``DA`` (``YYYY/MM/DD/``, only the stated parts), ``T2``
journal (or book) title, ``J2`` journal abbreviation, ``T3`` a book's collection (series) title,
``VL``, ``IS``, ``SP``/``EP`` (PubMed's shortened end page expanded: ``616-7`` gives ``616`` and
``617``), ``SN`` ISSN (ISBN for books), ``DO``, ``AN`` PMID, ``C2`` PMCID, ``AB``, ``LA`` (the
languages, ``"; "`` between them), ``PB``, ``CY``, ``ET``, one ``AD`` per affiliation (the
record's and its authors', each once), ``M3`` the publication types (``"; "`` between them), one
``KW`` per MeSH heading (as MEDLINE writes it, ``*`` marking a major topic) and per keyword, so
terms with commas stay whole, and one ``N1`` note per comment or correction (``Erratum in:
...``, ``Retraction in: ...``) and per author ORCID iD (``ORCID: https://orcid.org/... (Last,
Fore)``).

Read it back with ``rispy.load(..., list_tags=ris.LIST_TAGS)`` to get every ``AD`` line as a list.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from ..model import Article, Author
from ..outputs import Target, open_target
from . import missing_extra
from ._common import (
    all_affiliations,
    article_key,
    articles_to_write,
    journal_issn,
    relation_text,
    split_pages,
)

__all__ = ["LIST_TAGS", "dumps", "entry_text", "ris_name", "to_ris", "write"]

LIST_TAGS: tuple[str, ...] = ("A1", "A2", "A3", "A4", "AU", "KW", "N1", "UR", "AD")
"""The tags that repeat, one value per line: rispy's, and ``AD`` (one line per affiliation)."""


@functools.cache
def _writer() -> Any:
    """A rispy writer without rispy's ``1.`` numbering line before each entry."""
    try:
        import rispy  # type: ignore[import-untyped]
    except ImportError as error:
        raise missing_extra("rispy", "ris", error) from None

    class Writer(rispy.RisWriter):  # type: ignore[misc]
        def set_header(self, count: int) -> str:
            return ""

    return Writer(list_tags=list(LIST_TAGS))


def ris_name(author: Author) -> str:
    """``Last, Fore Names[, Suffix]`` for a person, the group's name for a collective author."""
    if author.collective_name is not None:
        return author.collective_name
    last = author.last_name
    if last is None:
        return author.display_name
    given = author.fore_name if author.fore_name is not None else author.initials
    name = f"{last}, {given}" if given else last
    return f"{name}, {author.suffix}" if author.suffix else name


def _ris_date(article: Article) -> str | None:
    date = article.publication_date
    if date is None or date.year is None:
        return None
    month = f"{date.month:02d}" if date.month is not None else ""
    day = f"{date.day:02d}" if date.day is not None else ""
    other = date.season or ""
    return f"{date.year:04d}/{month}/{day}/{other}"


def _notes(article: Article) -> list[str]:
    notes = [relation_text(relation) for relation in article.relations]
    for author in article.authors:
        if author.orcid is not None:
            notes.append(f"ORCID: https://orcid.org/{author.orcid} ({ris_name(author)})")
    return notes


def to_ris(article: Article) -> dict[str, Any]:
    """The rispy entry (a dict of rispy's keys) of *article*."""
    if article.is_book:
        kind = "CHAP" if article.title and article.book_title else "BOOK"
    else:
        kind = "JOUR"
    entry: dict[str, Any] = {"type_of_reference": kind, "id": article_key(article)}

    def put(key: str, value: Any) -> None:
        if value not in (None, "", []):
            entry[key] = value

    journal = article.journal
    if kind == "BOOK":
        put("title", article.book_title or article.title)
    else:
        put("title", article.title)
    put("authors", [ris_name(a) for a in article.authors if not a.is_et_al])
    put("secondary_authors", [ris_name(a) for a in article.editors])
    if article.year is not None:
        put("year", str(article.year))
    put("date", _ris_date(article))
    if kind == "CHAP":
        put("secondary_title", article.book_title)
    elif kind == "JOUR":
        put("secondary_title", journal.title or journal.abbreviation)
        put("alternate_title1", journal.abbreviation)
    put("tertiary_title", "; ".join(article.collection_titles))
    put("volume", article.volume)
    put("number", article.issue)
    first, last = split_pages(article.pagination)
    put("start_page", first)
    put("end_page", last)
    put("issn", article.isbns[0] if article.is_book and article.isbns else journal_issn(article))
    put("doi", article.doi)
    put("accession_number", article.pmid)
    put("custom2", article.pmcid)
    put("abstract", article.abstract)
    put("language", "; ".join(article.languages))
    put("publisher", article.publisher)
    if article.is_book:
        put("place_published", article.place)
    put("edition", article.edition)
    put("author_address", all_affiliations(article))
    put("type_of_work", "; ".join(article.publication_types))
    put("keywords", [h.text for h in article.mesh] + [k.term for k in article.keywords])
    put("notes", _notes(article))
    return entry


def entry_text(article: Article) -> str:
    """The RIS lines of one article, ``TY`` to ``ER``, each ending in ``\\n``."""
    return str(_writer().formats([to_ris(article)]))


def dumps(articles: Article | Iterable[Article]) -> str:
    """The RIS text of *articles*: entries separated by an empty line."""
    return "\n".join(entry_text(article) for article in articles_to_write(articles))


def write(articles: Article | Iterable[Article], target: Target) -> int:
    """Write the RIS text of *articles* to *target* (a path, ``"-"`` or a file; see
    :func:`~medline_parse.outputs.open_target`); returns the count."""
    _writer()  # fail early when rispy is missing
    articles = articles_to_write(articles)
    count = 0
    with open_target(target, binary=False) as handle:
        for article in articles:
            handle.write(("\n" if count else "") + entry_text(article))
            count += 1
    return count
