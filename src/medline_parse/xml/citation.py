"""The source citation (SO) PubMed composes for a journal article.

The XML has no SO: PubMed's MEDLINE text builds it from the parts, and so does the reader, so that
an article read from XML carries the same :attr:`~medline_parse.model.Article.source` as the same
record read from text::

    <TA>. <DP>;<VI>(<IP>):<PG>. doi: <DOI>. Epub <electronic date>.

Parts the record lacks are left out with their punctuation.  ``Epub`` follows for the publishing
models that print after an electronic publication (``Print-Electronic``, ``Electronic-Print``);
``eCollection <DP>`` for ``Electronic-eCollection``.  Book records have no SO.
"""

from __future__ import annotations

import datetime
from typing import Any

from ..model import ArticleId

__all__ = ["compose_source"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPUB_MODELS = frozenset({"Print-Electronic", "Electronic-Print"})


def _location(out: dict[str, Any], kind: str) -> str | None:
    for identifier in out.get("location_ids", ()):
        if identifier.type == kind and identifier.valid:
            return str(identifier.value)
    return None


def _identifier(out: dict[str, Any], kind: str) -> str | None:
    for identifier in out.get("article_ids", ()):
        if identifier.type == kind:
            return str(identifier.value)
    return _location(out, kind)


def _doi(out: dict[str, Any]) -> str | None:
    found = _location(out, "doi")
    if found is not None:
        return found
    ids: tuple[ArticleId, ...] = out.get("article_ids", ())
    for identifier in ids:
        if identifier.type == "doi":
            return identifier.value
    return None


def _day(value: datetime.date) -> str:
    return f"{value.year} {_MONTHS[value.month - 1]} {value.day}"


def compose_source(
    out: dict[str, Any],
    abbreviation: str | None,
    pub_model: str | None,
    date_text: str | None = None,
) -> str | None:
    """SO for the article whose attributes are *out*; ``None`` for a book.  *date_text* is the
    text of ``out["publication_date"]`` when the caller has it (rendering it costs)."""
    if "book_title" in out or "publisher" in out or abbreviation is None:
        return None
    date = out.get("publication_date")
    electronic = out.get("electronic_date")
    if date is None:
        shown = None
    else:
        shown = date_text if date_text is not None else date.text
    if pub_model == "Electronic-eCollection" and isinstance(electronic, datetime.date):
        shown = _day(electronic)  # the citation is to the electronic article
    text = f"{abbreviation}. {shown}" if shown is not None else f"{abbreviation}."
    volume = out.get("volume")
    issue = out.get("issue")
    if volume or issue:
        text += ";" + (volume or "") + (f"({issue})" if issue else "")
    pages = out.get("pagination")
    if pages:
        text += ":" + pages
    text += "."
    if not pages:
        pii = _identifier(out, "pii")
        if pii:
            text += f" pii: {pii}."
    doi = _doi(out)
    if doi:
        text += f" doi: {doi}."
    ahead = out.get("publication_status") == "aheadofprint"  # the citation is the Epub itself
    if pub_model in _EPUB_MODELS and isinstance(electronic, datetime.date) and not ahead:
        text += f" Epub {_day(electronic)}."
    elif pub_model == "Electronic-eCollection" and date is not None:
        text += f" eCollection {date_text if date_text is not None else date.text}."
    return text
