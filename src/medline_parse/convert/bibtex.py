"""Articles as BibTeX, written by `bibtexparser <https://pypi.org/project/bibtexparser/>`_ v2 (the
``[bibtex]`` extra).

Entry types: ``@article``, ``@incollection`` for a chapter of a book record, ``@book``.  Keys are
``pmid`` + the PMID (as TeXMed and others write them), with ``-2``, ``-3`` ... added to a key met
again.  Text stays UTF-8 (biber, and BibTeX with ``inputenc``, read it); the characters LaTeX treats
specially (``\\ { } $ & % # _ ~ ^``) are escaped, so any title or abstract compiles.  Names are
``Last, Fore`` joined with `` and ``; a group's name is braced so BibTeX keeps it whole.  The month
is BibTeX's macro (``month = mar``), pages use ``--`` with PubMed's shortened end page expanded.
``keywords`` holds the MeSH headings and keywords separated by ``", "``, each term containing a
comma braced (``{Child, Preschool}``) so biblatex keeps it one keyword.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import IO, Any

from ..model import Article, Author
from . import missing_extra
from ._common import article_key, journal_issn, split_pages

__all__ = ["bibtex_name", "dumps", "escape", "to_fields", "write"]

_SPECIAL = re.compile(r"[\\{}$&%#_~^]")
_REPLACEMENTS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')")


def escape(text: str) -> str:
    """*text* with LaTeX's special characters escaped (``&`` becomes ``\\&`` ...) and the
    ligatures ``--``, ````` and ``''`` broken with ``{}``, so LaTeX prints what the text says."""
    text = _SPECIAL.sub(lambda m: _REPLACEMENTS.get(m.group(), "\\" + m.group()), text)
    return _LIGATURES.sub("{}", text)


def _bibtexparser() -> Any:
    try:
        import bibtexparser
    except ImportError as error:
        raise missing_extra("bibtexparser", "bibtex", error) from None
    return bibtexparser


def bibtex_name(author: Author) -> str:
    """A name as BibTeX reads it: ``Last, Fore``, ``Last, Jr, Fore``, or ``{Group Name}``."""
    if author.collective_name is not None:
        return "{" + escape(author.collective_name) + "}"
    last = author.last_name
    if last is None:
        return "{" + escape(author.display_name) + "}"
    if author.fore_name is not None:
        given = author.fore_name
    elif author.initials:
        given = " ".join(f"{letter}." for letter in author.initials)
    else:
        given = ""
    last = escape(last)
    if " " in last and not last[0].islower():  # "Da Silva": keep the whole family name
        last = "{" + last + "}"
    parts = [last]
    if author.suffix:
        parts.append(escape(author.suffix))
    if given:
        parts.append(escape(given))
    return ", ".join(parts)


def _keywords(terms: list[str]) -> str:
    out = []
    for term in terms:
        text = escape(term)
        out.append("{" + text + "}" if "," in text else text)
    return ", ".join(out)


def to_fields(article: Article) -> tuple[str, list[tuple[str, str]]]:
    """The entry type and the ``(field, value)`` pairs of *article*, values escaped (the month is
    a bare macro name)."""
    if article.is_book:
        kind = "incollection" if article.title and article.book_title else "book"
    else:
        kind = "article"
    fields: list[tuple[str, str]] = []

    def put(key: str, value: str | None, raw: bool = False) -> None:
        if value:
            fields.append((key, value if raw else escape(value)))

    journal = article.journal
    authors = [a for a in article.authors if not a.is_et_al]
    put("author", " and ".join(bibtex_name(a) for a in authors), raw=True)
    put("editor", " and ".join(bibtex_name(a) for a in article.editors), raw=True)
    if kind == "book":
        put("title", article.book_title or article.title)
    else:
        put("title", article.title)
    if kind == "incollection":
        put("booktitle", article.book_title)
    elif kind == "article":
        put("journal", journal.title or journal.abbreviation)
        put("shortjournal", journal.abbreviation)
    date = article.publication_date
    if date is not None and date.year is not None:
        put("year", str(date.year))
        if date.month is not None:
            put("month", _MONTHS[date.month - 1], raw=True)
    put("volume", article.volume)
    put("number", article.issue)
    first, last = split_pages(article.pagination)
    if first is not None:
        put("pages", f"{first}--{last}" if last is not None else first)
    put("publisher", article.publisher)
    if article.is_book:
        put("address", article.place)
    put("edition", article.edition)
    put("isbn", article.isbns[0] if article.isbns else None)
    put("issn", journal_issn(article))
    put("doi", article.doi)
    put("pmid", article.pmid)
    put("pmcid", article.pmcid)
    put("language", article.languages[0] if article.languages else None)
    put("abstract", article.abstract)
    terms = [h.text for h in article.mesh] + [k.term for k in article.keywords]
    put("keywords", _keywords(terms), raw=True)
    return kind, fields


def _entry_text(article: Article, key: str) -> str:
    bibtexparser = _bibtexparser()
    from bibtexparser.model import Entry, Field

    kind, pairs = to_fields(article)
    fields = [
        Field(name, value, enclosing="no-enclosing" if name == "month" else "{")
        for name, value in pairs
    ]
    library = bibtexparser.Library([Entry(kind, key, fields)])
    return str(bibtexparser.write_string(library))


_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._:/+-]")


def _key(article: Article) -> str:
    """``pmid`` + the PMID; characters a BibTeX key cannot hold become ``_``."""
    if article.pmid:
        return "pmid" + _KEY_UNSAFE.sub("_", article.pmid)
    return article_key(article).replace("sha1:", "nopmid")


def write(articles: Iterable[Article], target: str | os.PathLike[str] | IO[str]) -> int:
    """Write the BibTeX of *articles* to *target* (a path or a text file); returns the count."""
    _bibtexparser()  # fail early when it is missing
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            return write(articles, handle)
    seen: dict[str, int] = {}
    count = 0
    for article in articles:
        key = _key(article)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}-{seen[key]}"
        target.write(("\n" if count else "") + _entry_text(article, key).strip("\n") + "\n")
        count += 1
    return count


def dumps(articles: Iterable[Article]) -> str:
    """The BibTeX text of *articles*."""
    import io

    buffer = io.StringIO()
    write(articles, buffer)
    return buffer.getvalue()
