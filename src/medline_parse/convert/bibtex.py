"""Articles as BibTeX, written by `bibtexparser <https://pypi.org/project/bibtexparser/>`_ v2 (the
``[bibtex]`` extra).

Entry types: ``@article``, ``@incollection`` for a chapter of a book record, ``@book``.  Keys are
``pmid`` + the PMID (as TeXMed and others write them), with ``-2``, ``-3`` ... added to a key met
again.

The libraries do the BibTeX work.  Names are bibtexparser's :class:`NameParts`, joined by its
``MergeNameParts`` and ``MergeCoAuthors`` middlewares into ``Last, Jr, Fore and ...`` (a group's
name braced, so BibTeX keeps it whole); the month is its ``MonthAbbreviationMiddleware``'s macro
(``month = mar``).  Text is escaped as pylatexenc's encoder (the one bibtexparser's
``LatexEncodingMiddleware`` uses) escapes the characters LaTeX treats specially (``\\ { } $ & % #
_ ~ ^``; the tests check the two agree), keeping every other character as UTF-8, which biber,
pandoc and BibTeX with ``inputenc`` read.  The middleware itself is not used: its default also
turns letters like ``é`` into macros and leaves ``$...$`` unescaped, and its encoder, pure Python
character by character, made BibTeX output ten times slower than every other format.  The ligatures ``--``, `````` and ``''`` of the text are
broken with ``{}`` (``-{}-``), so LaTeX and pandoc print what the text says rather than a dash or
curly quotes.  Only pages use ``--``, BibTeX's range, with PubMed's shortened end page expanded
(``616-7`` gives ``616--617``).

Fields: ``author``, ``editor``, ``title``, ``booktitle`` (chapters), ``journal`` and
``shortjournal``, ``series`` (a book's collection title), ``year``, ``month``, ``volume``,
``number``, ``pages``, ``publisher``, ``address`` (books), ``edition``, ``isbn``, ``issn``,
``doi``, ``pmid``, ``pmcid``, ``language``, ``abstract``, ``keywords`` (MeSH headings and
keywords separated by ``", "``, each term containing a comma braced, ``{Child, Preschool}``, so
biblatex keeps it one keyword), ``affiliation`` (``"; "`` between them), ``orcid-numbers`` (as Web
of Science writes it: ``Last, Fore/0000-0002-...; ...``) and ``note`` (comments and corrections,
``Erratum in: ...``, ``"; "`` between them).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from typing import Any

from ..arguments import count as count_argument
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

__all__ = ["bibtex_name", "dumps", "escape", "to_fields", "write"]

_SPECIALS = {
    "\\": r"\textbackslash",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde",
    "^": r"\textasciicircum",
}


def _bibtexparser() -> Any:
    try:
        import bibtexparser
    except ImportError as error:
        raise missing_extra("bibtexparser", "bibtex", error) from None
    return bibtexparser


_ESCAPES = str.maketrans(
    {char: latex + ("{}" if latex[-1].isalpha() else "") for char, latex in _SPECIALS.items()}
)
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')")


def escape(text: str) -> str:
    """*text* with LaTeX's special characters escaped (``&`` becomes ``\\&``, ``~`` becomes
    ``\\textasciitilde{}`` ...) and the ligatures ``--``, ````` and ``''`` broken with ``{}``, so
    LaTeX prints what the text says; every other character is kept as it is."""
    return _LIGATURES.sub("{}", text.translate(_ESCAPES))


def _given(author: Author) -> str:
    if author.fore_name is not None:
        return author.fore_name
    if author.initials:
        return " ".join(f"{letter}." for letter in author.initials)
    return ""


def _name_parts(author: Author) -> Any:
    """bibtexparser's NameParts of *author*, escaped (a group's name braced whole)."""
    from bibtexparser.middlewares import NameParts

    if author.collective_name is not None or author.last_name is None:
        whole = (
            author.collective_name if author.collective_name is not None else author.display_name
        )
        return NameParts(first=[], von=[], last=["{" + escape(whole) + "}"], jr=[])
    given = _given(author)
    return NameParts(
        first=[escape(given)] if given else [],
        von=[],
        last=[escape(author.last_name)],
        jr=[escape(author.suffix)] if author.suffix else [],
    )


def bibtex_name(author: Author) -> str:
    """A name as BibTeX reads it: ``Last, Fore``, ``Last, Jr, Fore``, or ``{Group Name}``."""
    return str(_name_parts(author).merge_last_name_first)


def _keywords(terms: list[str]) -> str:
    out = []
    for term in terms:
        text = escape(term)
        out.append("{" + text + "}" if "," in text else text)
    return ", ".join(out)


def _orcids(article: Article) -> str:
    return "; ".join(
        f"{author.full_name or author.display_name}/{author.orcid}"
        for author in article.authors
        if author.orcid is not None
    )


def to_fields(article: Article) -> tuple[str, list[tuple[str, Any]]]:
    """The entry type and the ``(field, value)`` pairs of *article*: text values escaped, names as
    lists of bibtexparser's NameParts, the month as a number."""
    if article.is_book:
        kind = "incollection" if article.title and article.book_title else "book"
    else:
        kind = "article"
    fields: list[tuple[str, Any]] = []

    def put(key: str, value: str | None, raw: bool = False) -> None:
        if value:
            fields.append((key, value if raw else escape(value)))

    journal = article.journal
    authors = [_name_parts(a) for a in article.authors if not a.is_et_al]
    if authors:
        fields.append(("author", authors))
    if article.editors:
        fields.append(("editor", [_name_parts(a) for a in article.editors]))
    if kind == "book":
        put("title", article.book_title or article.title)
    else:
        put("title", article.title)
    if kind == "incollection":
        put("booktitle", article.book_title)
    elif kind == "article":
        put("journal", journal.title or journal.abbreviation)
        put("shortjournal", journal.abbreviation)
    put("series", "; ".join(article.collection_titles))
    date = article.publication_date
    if date is not None and date.year is not None:
        put("year", str(date.year))
        if date.month is not None:
            fields.append(("month", date.month))
    put("volume", article.volume)
    put("number", article.issue)
    first, last = split_pages(article.pagination)
    if first is not None:  # the range's "--" is BibTeX's, not the text's: not broken
        pages = escape(first) if last is None else f"{escape(first)}--{escape(last)}"
        put("pages", pages, raw=True)
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
    put("affiliation", "; ".join(all_affiliations(article)))
    put("orcid-numbers", _orcids(article))
    put("note", "; ".join(relation_text(relation) for relation in article.relations))
    return kind, fields


@functools.cache
def _middlewares() -> tuple[Any, ...]:
    """bibtexparser's middlewares, then its default unparse stack: allowed to change the entries in
    place (they are built for this write), which saves a deep copy of every entry."""
    from bibtexparser.middlewares import (
        AddEnclosingMiddleware,
        MergeCoAuthors,
        MergeNameParts,
        MonthAbbreviationMiddleware,
    )

    return (
        MergeNameParts(allow_inplace_modification=True),
        MergeCoAuthors(allow_inplace_modification=True),
        MonthAbbreviationMiddleware(allow_inplace_modification=True),
        AddEnclosingMiddleware(
            allow_inplace_modification=True,
            default_enclosing="{",
            reuse_previous_enclosing=False,
            enclose_integers=True,
        ),
    )


def _entries_text(entries: list[tuple[Article, str]]) -> str:
    """The BibTeX of *entries* (article, key), written by bibtexparser in one go."""
    bibtexparser = _bibtexparser()
    from bibtexparser.model import Entry, Field

    blocks = []
    for article, key in entries:
        kind, pairs = to_fields(article)
        blocks.append(Entry(kind, key, [Field(k, v) for k, v in pairs]))
    library = bibtexparser.Library(blocks)
    return str(bibtexparser.write_string(library, unparse_stack=_middlewares()))


_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._:/+-]")


def _key(article: Article) -> str:
    """``pmid`` + the PMID; characters a BibTeX key cannot hold become ``_``."""
    if article.pmid:
        return "pmid" + _KEY_UNSAFE.sub("_", article.pmid)
    return article_key(article).replace("sha1:", "nopmid")


def write(articles: Article | Iterable[Article], target: Target, *, batch_size: int = 200) -> int:
    """Write the BibTeX of *articles* to *target* (a path, ``"-"`` or a file; see
    :func:`~medline_parse.outputs.open_target`); returns the count."""
    _bibtexparser()  # fail early when it is missing
    articles = articles_to_write(articles)
    batch_size = count_argument(batch_size, "batch_size")
    seen: dict[str, int] = {}
    count = 0
    batch: list[tuple[Article, str]] = []
    with open_target(target, binary=False) as handle:

        def flush() -> None:
            text = _entries_text(batch).strip("\n") + "\n"
            handle.write(("\n" if count > len(batch) else "") + text)
            batch.clear()

        for article in articles:
            key = _key(article)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key}-{seen[key]}"
            batch.append((article, key))
            count += 1
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    return count


def dumps(articles: Article | Iterable[Article]) -> str:
    """The BibTeX text of *articles*."""
    buffer = io.StringIO()
    write(articles, buffer)
    return buffer.getvalue()
