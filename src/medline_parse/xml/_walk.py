"""The hot reads of a PubMed XML record: the kernel's pure-Python twin (its specification).

Most of a record's elements are leaves read for their text (names, affiliations, MeSH terms, dates)
below a few repeated containers (``<Author>``, ``<MeshHeading>``, ``<PubMedPubDate>``).  These
functions read such a container whole.  ``_walk_c.pyx`` does the same walk over lxml's C tree
(libxml2 nodes, through lxml's public C API): no element proxy, no tag string is made for a child,
only the values kept; anything out of the ordinary (inline markup, odd date text) takes these
functions' path, so both give the same values for every input.

* :func:`text_of`: an element's text as PubMed's MEDLINE text shows it (see :mod:`.text`);
* :func:`people`: the :class:`~medline_parse.model.Author` of each child of an author list;
* :func:`mesh_headings`: the :class:`~medline_parse.model.MeshHeading` of a ``<MeshHeadingList>``;
* :func:`simple_date`: the date of a ``<Year><Month><Day>[<Hour><Minute>]`` element whose parts are
  plain (ASCII digits, a month word of :data:`.tables.MONTHS`), or ``None`` for the reader's full
  path (which reports what is wrong with the others).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any, Final

from ..model import (
    AbstractSection,
    ArticleId,
    Author,
    AuthorIdentifier,
    Keyword,
    MeshHeading,
    MeshQualifier,
    Reference,
)
from ..model.construction import direct_constructor
from .markup import flatten
from .tables import MONTHS
from .text import normalise

__all__ = [
    "article_ids",
    "dispatch",
    "history_dates",
    "identifier",
    "keywords",
    "mesh_headings",
    "people",
    "plain_text",
    "qualifier",
    "references",
    "sections",
    "simple_date",
    "text_of",
]

_new_author: Final[Callable[..., Author]] = direct_constructor(Author)
_new_heading: Final[Callable[..., MeshHeading]] = direct_constructor(MeshHeading)
_new_id: Final[Callable[..., ArticleId]] = direct_constructor(ArticleId)
_new_keyword: Final[Callable[..., Keyword]] = direct_constructor(Keyword)
_new_section: Final[Callable[..., AbstractSection]] = direct_constructor(AbstractSection)
_new_reference: Final[Callable[..., Reference]] = direct_constructor(Reference)

Element = Any  # an lxml element (lxml ships no type information)


def text_of(element: Element) -> str:
    """The normalised text of *element*, inline markup included (see :mod:`.markup`)."""
    if len(element):
        return normalise(flatten(element))
    text: str | None = element.text
    if text is None:
        return ""
    return normalise(text)


def dispatch(
    table: dict[str, Callable[[Any, Element], None]], record: Any, element: Element
) -> None:
    """Call ``table[child.tag](record, child)`` for each child of *element* the table knows."""
    for child in element:
        handler = table.get(child.tag)
        if handler is not None:
            handler(record, child)


def plain_text(element: Element) -> str:
    """The normalised text of *element* before its first child (``element.text``)."""
    return normalise(element.text or "")


# -- lists ----------------------------------------------------------------------------------------


def sections(element: Element) -> tuple[AbstractSection, ...]:
    """The sections of an ``<Abstract>`` or ``<OtherAbstract>`` (an empty one left out)."""
    found = []
    for child in element:
        if child.tag == "AbstractText":
            text = text_of(child)
            label = child.get("Label")
            if text or label:
                found.append(_new_section(text, label, child.get("NlmCategory")))
    return tuple(found)


def keywords(element: Element, owner: str) -> list[Keyword]:
    """The keywords of a ``<KeywordList>`` whose owner is *owner*."""
    return [
        _new_keyword(text_of(keyword), owner, keyword.get("MajorTopicYN") == "Y")
        for keyword in element
        if keyword.tag == "Keyword"
    ]


def article_ids(element: Element) -> list[tuple[str, str]]:
    """(``IdType``, text) of each ``<ArticleId>`` of an ``<ArticleIdList>``."""
    return [
        (item.get("IdType") or "", plain_text(item)) for item in element if item.tag == "ArticleId"
    ]


def references(element: Element, found: list[Reference]) -> None:
    """Append the references of a ``<ReferenceList>`` (nested lists of older records included)
    to *found*."""
    for item in element:
        tag = item.tag
        if tag == "Reference":
            citation = ""
            ids: list[ArticleId] = []
            for part in item:
                if part.tag == "Citation":
                    citation = text_of(part)
                elif part.tag == "ArticleIdList":
                    for i in part:
                        if i.tag == "ArticleId":
                            value = plain_text(i)
                            if value and not value.isspace():  # an empty one states nothing
                                ids.append(_new_id(value, i.get("IdType"), True))
            found.append(_new_reference(citation, tuple(ids)))
        elif tag == "ReferenceList":
            references(item, found)


def history_dates(element: Element) -> list[tuple[str, Any]]:
    """(``PubStatus``, date) of each ``<PubMedPubDate>`` of a ``<History>``: the date is
    :func:`simple_date`'s datetime when the date is plain, else the element itself (for the
    reader's full path)."""
    found: list[tuple[str, Any]] = []
    for date in element:
        if date.tag != "PubMedPubDate":
            continue  # a comment, or an element of a newer DTD
        value = simple_date(date, True)
        found.append((date.get("PubStatus") or "", date if value is None else value))
    return found


# -- people ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def identifier(source: str | None, value: str) -> AuthorIdentifier:
    """An author's or an affiliation's identifier (shared: they recur across records)."""
    return AuthorIdentifier(value, source)


def _affiliation(element: Element, affiliations: list[str], ids: list[tuple[Any, ...]]) -> None:
    text = ""
    found: list[AuthorIdentifier] = []
    for child in element:
        tag = child.tag
        if tag == "Affiliation":
            text = text_of(child)
        elif tag == "Identifier":
            found.append(identifier(child.get("Source"), normalise(child.text or "")))
    affiliations.append(text)
    ids.append(tuple(found))


def _person(element: Element) -> Author:
    last = fore = initials = suffix = collective = None
    identifiers: list[AuthorIdentifier] | None = None
    affiliations: list[str] | None = None
    affiliation_ids: list[tuple[Any, ...]] = []
    for child in element:
        tag = child.tag
        if tag == "LastName":
            last = text_of(child)
        elif tag == "ForeName" or tag == "FirstName":
            fore = text_of(child)
        elif tag == "Initials":
            initials = text_of(child) or None
        elif tag == "AffiliationInfo":
            if affiliations is None:
                affiliations = []
            _affiliation(child, affiliations, affiliation_ids)
        elif tag == "Identifier":
            if identifiers is None:
                identifiers = []
            identifiers.append(identifier(child.get("Source"), normalise(child.text or "")))
        elif tag == "Suffix":
            suffix = text_of(child)
        elif tag == "CollectiveName":
            collective = text_of(child)
        elif tag == "Affiliation":
            if affiliations is None:
                affiliations = []
            affiliations.append(text_of(child))
            affiliation_ids.append(())
        elif tag == "MiddleName" and child.text:
            fore = f"{fore} {text_of(child)}" if fore else text_of(child)
    full = short = None
    if initials is None and fore:  # PubMed derives them (older investigator lists lack them)
        initials = "".join(word[0] for word in fore.replace("-", " ").split()) or None
    if last is not None:
        full = f"{last}, {fore}" if fore else last
        short = f"{last} {initials}" if initials else last
        if suffix:
            full += f" {suffix}"
            short += f" {suffix}"
    equal = element.get("EqualContrib")
    return _new_author(
        full,
        short,
        collective,
        () if identifiers is None else tuple(identifiers),
        () if affiliations is None else tuple(affiliations),
        tuple(affiliation_ids) if any(affiliation_ids) else (),
        element.get("ValidYN") != "N",
        None if equal is None else equal == "Y",
    )


def people(element: Element) -> tuple[Author, ...]:
    """The person of each element child of *element* (an author, investigator or name list)."""
    return tuple([_person(child) for child in element if isinstance(child.tag, str)])


# -- MeSH -----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2048)
def qualifier(name: str, major: bool, ui: str | None) -> MeshQualifier:
    """A MeSH qualifier (shared: they recur across records)."""
    return MeshQualifier(name, major, ui)


def mesh_headings(element: Element) -> tuple[MeshHeading, ...]:
    """The headings of a ``<MeshHeadingList>``."""
    headings = []
    for heading in element:
        if heading.tag != "MeshHeading":
            continue  # a comment, or an element of a newer DTD
        descriptor = ""
        major = False
        ui = None
        qualifiers = []
        for part in heading:
            if part.tag == "DescriptorName":
                descriptor = text_of(part)
                major = part.get("MajorTopicYN") == "Y"
                ui = part.get("UI")
            elif part.tag == "QualifierName":
                qualifiers.append(
                    qualifier(text_of(part), part.get("MajorTopicYN") == "Y", part.get("UI"))
                )
        headings.append(_new_heading(descriptor, major, tuple(qualifiers), ui))
    return tuple(headings)


# -- dates ----------------------------------------------------------------------------------------

_DATE_PARTS: Final = frozenset({"Year", "Month", "Day", "Hour", "Minute"})


def simple_date(element: Element, with_time: bool) -> datetime.datetime | datetime.date | None:
    """The date of *element* when it is plain: element children only, each one of Year, Month,
    Day, Hour, Minute at most once and without children, Year/Month/Day present, every part's text
    ASCII digits (the month's may be a month word), and a valid date.  With *with_time*, a datetime
    (hour and minute 0 when absent), else a date (the time ignored).  ``None`` otherwise.
    """
    parts: dict[str, str] = {}
    for child in element:
        tag = child.tag
        if tag not in _DATE_PARTS or tag in parts or len(child):
            return None
        text = child.text
        if text is None:
            return None
        parts[tag] = text
    month = MONTHS.get(parts.get("Month", ""))
    year = parts.get("Year", "")
    day = parts.get("Day", "")
    hour = parts.get("Hour", "0")
    minute = parts.get("Minute", "0")
    if month is None:
        return None
    for text in (year, day, hour, minute):
        if not (text.isascii() and text.isdigit()):
            return None
    try:
        if with_time:
            return datetime.datetime(int(year), month, int(day), int(hour), int(minute))
        return datetime.date(int(year), month, int(day))
    except (ValueError, OverflowError):  # out of range (OverflowError: beyond a C int)
        return None
