"""From one record's element tree to an :class:`~medline_parse.model.Article`.

Each record element (``<PubmedArticle>``, ``<PubmedBookArticle>``, a bare ``<MedlineCitation>``)
arrives whole; its children are read by direct iteration, each through a small function found in a
table by the child's tag (no XPath, no search per field).  The walk over the elements that make up
most of a record (people, MeSH, dates, abstracts, identifiers, references, and the dispatch by tag
itself) is the kernel :mod:`._walk`, compiled to follow lxml's C tree without making an element
object per child (``_walk_c.pyx``).  The values are the ones the MEDLINE text
reader gives for the same record (same strings, same typed values), so an article reads the same
whatever format it came in; what only the XML states (MeSH unique IDs, abstract section labels,
affiliation identifiers ...) fills the model's extra attributes.

Element names that no table knows are ignored: they are additions of newer DTDs that the model has
no home for yet.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any, Final

from ..errors import Diagnostic, ParseError, Severity
from ..model import (
    AbstractSection,
    Article,
    ArticleId,
    Chemical,
    Deletion,
    Grant,
    Issn,
    Journal,
    OtherAbstract,
    Reference,
    Relation,
)
from ..model.construction import direct_constructor
from ..model.dates import HistoryEvent, PubDate, parse_pub_date
from ..model.pmid import invalid_pmid_message, is_valid_pmid
from .citation import compose_source
from .tables import ARTICLE_ID_HOMES, HISTORY_STAMPS, MONTHS, REFERENCE_KINDS, RELATION_KINDS

try:  # the compiled kernel, when the extension was built (medline_parse.COMPILED)
    from ._walk_c import (
        article_ids,
        dispatch,
        history_dates,
        keywords,
        mesh_headings,
        people,
        plain_text,
        references,
        sections,
        simple_date,
        text_of,
    )
except ImportError:  # pragma: no cover - the pure-Python build
    from ._walk import (
        article_ids,
        dispatch,
        history_dates,
        keywords,
        mesh_headings,
        people,
        plain_text,
        references,
        sections,
        simple_date,
        text_of,
    )

__all__ = ["build_book", "build_citation", "build_deletion", "build_pubmed_article"]

# The values below are built from parts already shaped (tuples, strings): constructors that run no
# converter save most of the cost of building them (model/construction.py).
_new_article: Final[Callable[..., Article]] = direct_constructor(Article)
_new_journal: Final[Callable[..., Journal]] = direct_constructor(Journal)
_new_event: Final[Callable[..., HistoryEvent]] = direct_constructor(HistoryEvent)
_new_id: Final[Callable[..., ArticleId]] = direct_constructor(ArticleId)
_new_issn: Final[Callable[..., Issn]] = direct_constructor(Issn)

Element = Any  # an lxml element (lxml ships no type information)


class _Record:
    """What is known so far of the article being built, and its diagnostics."""

    __slots__ = ("date_text", "diagnostics", "journal", "out", "path", "pub_model", "strict")

    def __init__(self, path: str | None, strict: bool) -> None:
        self.out: dict[str, Any] = {}
        self.journal: dict[str, Any] = {}
        self.diagnostics: list[Diagnostic] = []
        self.path = path
        self.strict = strict
        self.pub_model: str | None = None
        self.date_text: str | None = None  # the publication date's text (its PubDate's .text)

    def note(self, element: Element, code: str, message: str, severity: Severity) -> None:
        diagnostic = Diagnostic(code, message, element.sourceline, severity, self.path)
        if self.strict and severity is not Severity.INFO:
            raise ParseError.from_diagnostic(diagnostic)
        self.diagnostics.append(diagnostic)

    def article(self) -> Article:
        out = self.out
        journal = self.journal
        if journal:
            out["journal"] = _new_journal(
                journal.get("title"),
                journal.get("abbreviation"),
                journal.get("nlm_id"),
                tuple(journal.get("issns", ())),
                journal.get("iso_abbreviation"),
            )
        out["source"] = compose_source(
            out, journal.get("abbreviation"), self.pub_model, self.date_text
        )
        return _new_article(**out, diagnostics=tuple(self.diagnostics), field_order=())


# -- small readers --------------------------------------------------------------------------------


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > 18:
        return None  # (int() refuses 4,300 digits and more; no version has 19)
    return int(text)


def _parts(element: Element) -> dict[str, str]:
    """The text of each child of a date element (Year, Month, Day, Hour, Minute, Season ...)."""
    parts = {}
    for child in element:
        text = child.text
        parts[child.tag] = text.strip() if text else ""
    return parts


def _ymd(record: _Record, element: Element) -> datetime.date | str:
    """A ``<Year><Month><Day>`` date; its text as ``YYYYMMDD`` when it is no valid date."""
    plain = simple_date(element, False)
    if plain is not None:
        return plain
    parts = _parts(element)
    year, month, day = parts.get("Year", ""), parts.get("Month", ""), parts.get("Day", "")
    number = MONTHS.get(month)
    try:
        if number is not None:
            return datetime.date(int(year), number, int(day))
    except (ValueError, OverflowError):  # OverflowError: a number beyond a C int
        pass
    raw = f"{year}{month}{day}"
    record.note(
        element,
        "invalid-date",
        f"<{element.tag}> {year!r}/{month!r}/{day!r} is not a valid date; kept as text",
        Severity.WARNING,
    )
    return raw


def _stamp(
    record: _Record, element: Element, with_time: bool
) -> datetime.datetime | datetime.date | str:
    """A history date: a datetime (midnight when the XML states no time, as PubMed's MEDLINE text
    shows it) or, without *with_time*, a date."""
    plain = simple_date(element, with_time)
    if plain is not None:
        return plain
    parts = _parts(element)
    try:
        year = int(parts["Year"])
        month = MONTHS[parts["Month"]]
        day = int(parts["Day"])
        if not with_time:
            return datetime.date(year, month, day)
        return datetime.datetime(
            year, month, day, int(parts.get("Hour") or 0), int(parts.get("Minute") or 0)
        )
    except (KeyError, ValueError, OverflowError):  # OverflowError: a number beyond a C int
        pass
    year_text = parts.get("Year", "")
    if year_text.isdigit() and len(year_text) == 4 and not parts.get("Day"):
        # A partial date ("2016 [ecollection]"), kept as the text PubMed's PHST shows
        partial = _pub_date_text(year_text, parts.get("Month", ""), "", "")
        record.note(
            element,
            "unclear-date",
            f"history date {partial!r} ({element.get('PubStatus')}) is a partial date; kept as text",
            Severity.INFO,
        )
        return partial
    raw = "/".join(parts.get(k, "") for k in ("Year", "Month", "Day"))
    if parts.get("Hour") is not None:
        raw += f" {parts.get('Hour', '')}:{parts.get('Minute', '')}"
    record.note(
        element,
        "invalid-date",
        f"history date {raw!r} ({element.get('PubStatus')}) is not a valid date; kept as text",
        Severity.WARNING,
    )
    return raw


@functools.lru_cache(maxsize=4096)
def _pub_date_text(year: str, month: str, day: str, season: str) -> str:
    words = [year] if year else []
    number = MONTHS.get(month)
    if number is not None:
        words.append(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                      "Dec")[number - 1])  # fmt: skip
    elif month:
        words.append(month)
    if season:
        words.append(season)
    if day:
        words.append((day.lstrip("0") or "0") if day.isascii() and day.isdigit() else day)
    return " ".join(words)


@functools.lru_cache(maxsize=4096)
def _parsed_pub_date(text: str) -> tuple[PubDate, bool]:
    """The PubDate of *text* and whether it is exact (``pub_date_is_clean``): publication dates
    recur across a file's records, and a PubDate is immutable, so it can be shared."""
    date = parse_pub_date(text)
    return date, date.is_exact


def _pub_date(record: _Record, element: Element) -> PubDate:
    """``<PubDate>``: Year/Month/Day or Season, or a free-text ``<MedlineDate>`` kept as written;
    the text is what DP shows, and nothing is invented."""
    parts = {child.tag: plain_text(child) for child in element}
    medline_date = parts.get("MedlineDate")
    if medline_date is not None:
        text = medline_date
    else:
        text = _pub_date_text(
            parts.get("Year", ""), parts.get("Month", ""), parts.get("Day", ""),
            parts.get("Season", ""),
        )  # fmt: skip
    date, exact = _parsed_pub_date(text)
    record.date_text = text  # parse_pub_date keeps the text: date.text == text
    if date.year is None:
        record.note(
            element,
            "invalid-date",
            f"publication date {text!r} states no year; kept as text",
            Severity.WARNING,
        )
    elif not exact:
        record.note(
            element,
            "unclear-date",
            f"publication date {text!r} is only partly understood; the parts it states clearly "
            "are typed, the text is kept",
            Severity.INFO,
        )
    return date


def _yes(value: str | None) -> bool:
    return value == "Y"


# -- the citation's parts -------------------------------------------------------------------------


def _journal(record: _Record, element: Element) -> None:
    journal = record.journal
    for child in element:
        tag = child.tag
        if tag == "ISSN":
            journal.setdefault("issns", []).append(
                _new_issn(plain_text(child), child.get("IssnType"))
            )
        elif tag == "JournalIssue":
            for part in child:
                part_tag = part.tag
                if part_tag == "Volume":
                    record.out["volume"] = text_of(part)
                elif part_tag == "Issue":
                    record.out["issue"] = text_of(part)
                elif part_tag == "PubDate":
                    record.out["publication_date"] = _pub_date(record, part)
        elif tag == "Title":
            journal["title"] = text_of(child)
        elif tag == "ISOAbbreviation":
            journal["iso_abbreviation"] = text_of(child)


def _abstract(record: _Record, element: Element) -> None:
    found = sections(element)
    if found:
        record.out["abstract_sections"] = found
        record.out["abstract"] = _joined(found)
    for child in element:
        if child.tag == "CopyrightInformation":
            record.out["copyright"] = text_of(child)


def _joined(sections: tuple[AbstractSection, ...]) -> str:
    """The abstract as AB shows it: sections joined by a space, each ``LABEL: text``."""
    return " ".join(
        f"{section.label}: {section.text}" if section.label else section.text
        for section in sections
    )


def _other_abstract(record: _Record, element: Element) -> None:
    found = sections(element)
    others = record.out.setdefault("other_abstracts", [])
    others.append(
        OtherAbstract(_joined(found), element.get("Language"), element.get("Type"), found)
    )
    for child in element:
        if child.tag == "CopyrightInformation":
            record.out.setdefault("other_copyrights", []).append(text_of(child))


def _pagination(record: _Record, element: Element) -> None:
    start = end = None
    for child in element:
        tag = child.tag
        if tag == "MedlinePgn":
            if child.text and child.text.strip():
                record.out["pagination"] = text_of(child)
        elif tag == "StartPage":
            start = text_of(child)
        elif tag == "EndPage":
            end = text_of(child)
    if "pagination" not in record.out and start:
        record.out["pagination"] = f"{start}-{end}" if end else start


def _location_id(record: _Record, element: Element) -> None:
    value = plain_text(element)
    if value and not value.isspace():
        record.out.setdefault("location_ids", []).append(
            _new_id(value, element.get("EIdType"), element.get("ValidYN") != "N")
        )


def _article(record: _Record, element: Element) -> None:
    """``<Article>``: journal, title, pages, abstract, authors and the rest of the citation."""
    record.pub_model = element.get("PubModel")
    if record.pub_model is not None:
        record.out["publishing_model"] = record.pub_model
    dispatch(_ARTICLE_PARTS, record, element)


def _article_date(record: _Record, element: Element) -> None:
    kind = element.get("DateType") or "Electronic"
    date = _ymd(record, element)
    record.out.setdefault("publisher_dates", []).append(HistoryEvent(kind, date))
    if kind == "Electronic" and "electronic_date" not in record.out:
        record.out["electronic_date"] = date


def _set(attribute: str) -> Callable[[_Record, Element], None]:
    def handler(record: _Record, element: Element) -> None:
        text = text_of(element)
        if text:  # an empty element (<ArticleTitle/>) states nothing
            record.out[attribute] = text

    return handler


def _append(attribute: str) -> Callable[[_Record, Element], None]:
    def handler(record: _Record, element: Element) -> None:
        record.out.setdefault(attribute, []).append(text_of(element))

    return handler


def _author_list(record: _Record, element: Element) -> None:
    attribute = "editors" if element.get("Type") == "editors" else "authors"
    record.out[attribute] = record.out.get(attribute, ()) + people(element)


def _investigators(record: _Record, element: Element) -> None:
    record.out["investigators"] = people(element)


def _languages(record: _Record, element: Element) -> None:
    record.out.setdefault("languages", []).append(plain_text(element))


def _data_banks(record: _Record, element: Element) -> None:
    ids = record.out.setdefault("secondary_source_ids", [])
    for bank in element:
        if bank.tag != "DataBank":
            continue  # a comment, or an element of a newer DTD
        name = ""
        numbers: list[str] = []
        for part in bank:
            if part.tag == "DataBankName":
                name = text_of(part)
            elif part.tag == "AccessionNumberList":
                numbers.extend(text_of(n) for n in part if n.tag == "AccessionNumber")
        if numbers:
            ids.extend(f"{name}/{number}" for number in numbers)
        else:
            ids.append(name)


@functools.lru_cache(maxsize=4096)
def _grant(grant_id: str | None, acronym: str | None, agency: str | None, country: str | None
           ) -> Grant:  # fmt: skip
    return Grant(grant_id, acronym, agency, country)


def _grants(record: _Record, element: Element) -> None:
    grants = []
    for grant in element:
        if grant.tag != "Grant":
            continue  # a comment, or an element of a newer DTD
        parts = {part.tag: text_of(part) for part in grant}
        grants.append(
            _grant(
                parts.get("GrantID"),
                parts.get("Acronym"),
                parts.get("Agency"),
                parts.get("Country", ""),
            )
        )
    record.out["grants"] = tuple(grants)


def _publication_types(record: _Record, element: Element) -> None:
    record.out["publication_types"] = tuple(
        [text_of(child) for child in element if child.tag == "PublicationType"]
    )


def _publication_type(record: _Record, element: Element) -> None:
    record.out.setdefault("publication_types", []).append(text_of(element))


_ARTICLE_PARTS: Final[dict[str, Callable[[_Record, Element], None]]] = {
    "Journal": _journal,
    "ArticleTitle": _set("title"),
    "Pagination": _pagination,
    "ELocationID": _location_id,
    "Abstract": _abstract,
    "AuthorList": _author_list,
    "Language": _languages,
    "DataBankList": _data_banks,
    "GrantList": _grants,
    "PublicationTypeList": _publication_types,
    "VernacularTitle": _set("transliterated_title"),
    "ArticleDate": _article_date,
    "Affiliation": _append("affiliations"),  # pre-2014 records: the first author's, record-level
}


def _medline_journal(record: _Record, element: Element) -> None:
    for child in element:
        tag = child.tag
        if tag == "Country":
            record.out["place"] = text_of(child)
        elif tag == "MedlineTA":
            record.journal["abbreviation"] = text_of(child)
        elif tag == "NlmUniqueID" or tag == "NLMUniqueID":
            record.journal["nlm_id"] = text_of(child)
        elif tag == "ISSNLinking":
            record.journal.setdefault("linking", plain_text(child))


@functools.lru_cache(maxsize=4096)
def _chemical(number: str, name: str | None, ui: str | None) -> Chemical:
    return Chemical(number, name, ui)


def _chemicals(record: _Record, element: Element) -> None:
    chemicals = []
    for chemical in element:
        if chemical.tag != "Chemical":
            continue  # a comment, or an element of a newer DTD
        number = ""
        name = ui = None
        for part in chemical:
            if part.tag == "RegistryNumber":
                number = plain_text(part)
            elif part.tag == "NameOfSubstance":
                name = text_of(part)
                ui = part.get("UI")
        chemicals.append(_chemical(number, name, ui))
    record.out["chemicals"] = tuple(chemicals)


def _supplementary(record: _Record, element: Element) -> None:
    # PubMed's MEDLINE text lists supplementary concepts (protocols, diseases, organisms) as RN
    # values without a registry number, after the chemicals; the model follows it.
    names = [
        _chemical(text_of(child), None, child.get("UI"))
        for child in element
        if child.tag == "SupplMeshName"
    ]
    record.out["chemicals"] = record.out.get("chemicals", ()) + tuple(names)


def _subset(record: _Record, element: Element) -> None:
    record.out.setdefault("subsets", []).append(plain_text(element))


def _relations(record: _Record, element: Element) -> None:
    relations = []
    for item in element:
        if item.tag != "CommentsCorrections":
            continue  # a comment, or an element of a newer DTD
        kind = item.get("RefType") or ""
        citation = ""
        pmid = None
        for part in item:
            if part.tag == "RefSource":
                citation = text_of(part)
            elif part.tag == "PMID":
                pmid = plain_text(part)
            elif part.tag == "Note":
                citation = f"{citation}. {text_of(part)}" if citation else text_of(part)
        if kind in REFERENCE_KINDS:
            ids = (ArticleId(pmid, "pubmed"),) if pmid else ()
            record.out.setdefault("references", []).append(Reference(citation, ids))
            continue
        relations.append(Relation(RELATION_KINDS.get(kind, kind), citation, pmid))
    record.out["relations"] = tuple(relations)


def _mesh(record: _Record, element: Element) -> None:
    record.out["mesh"] = mesh_headings(element)


def _keywords(record: _Record, element: Element) -> None:
    owner = element.get("Owner") or "NLM"  # the DTD's default
    record.out.setdefault("keywords", []).extend(keywords(element, owner))


def _gene_symbols(record: _Record, element: Element) -> None:
    record.out["gene_symbols"] = tuple(
        [text_of(child) for child in element if child.tag == "GeneSymbol"]
    )


def _personal_names(record: _Record, element: Element) -> None:
    record.out["personal_name_subjects"] = people(element)


def _other_id(record: _Record, element: Element) -> None:
    source = element.get("Source")
    text = text_of(element)
    record.out.setdefault("other_ids", []).append(f"{source}: {text}" if source else text)


def _compact(attribute: str) -> Callable[[_Record, Element], None]:
    def handler(record: _Record, element: Element) -> None:
        record.out[attribute] = _ymd(record, element)

    return handler


def _pmid(record: _Record, element: Element) -> None:
    if "pmid" in record.out:
        return
    pmid = text_of(element)  # (a comment inside it cuts .text short)
    if not is_valid_pmid(pmid):
        record.note(element, "invalid-pmid", invalid_pmid_message(pmid), Severity.WARNING)
    record.out["pmid"] = pmid
    record.out["pmid_version"] = _int(element.get("Version"))


_CITATION_PARTS: Final[dict[str, Callable[[_Record, Element], None]]] = {
    "PMID": _pmid,
    "DateCreated": _compact("created_date"),
    "DateCompleted": _compact("completed_date"),
    "DateRevised": _compact("revised_date"),
    "Article": _article,
    "MedlineJournalInfo": _medline_journal,
    "ChemicalList": _chemicals,
    "SupplMeshList": _supplementary,
    "CitationSubset": _subset,
    "CommentsCorrectionsList": _relations,
    "GeneSymbolList": _gene_symbols,
    "MeshHeadingList": _mesh,
    "NumberOfReferences": _set("number_of_references"),
    "PersonalNameSubjectList": _personal_names,
    "OtherID": _other_id,
    "OtherAbstract": _other_abstract,
    "KeywordList": _keywords,
    "CoiStatement": _set("conflict_of_interest"),
    "SpaceFlightMission": _append("space_flight_missions"),
    "InvestigatorList": _investigators,
    "GeneralNote": _append("general_notes"),
}


def _citation(record: _Record, element: Element) -> None:
    """``<MedlineCitation>``: its attributes and children."""
    owner = element.get("Owner")
    if owner is not None:
        record.out["owner"] = owner
    status = element.get("Status")
    if status is not None:
        record.out["status"] = status
    dispatch(_CITATION_PARTS, record, element)
    linking = record.journal.pop("linking", None)
    if linking is not None:
        record.journal.setdefault("issns", []).append(_new_issn(linking, "Linking"))


# -- PubmedData -----------------------------------------------------------------------------------


def _history(record: _Record, element: Element) -> None:
    events = []
    out = record.out
    stamps = HISTORY_STAMPS
    for status, date in history_dates(element):
        # A plain date comes read (a datetime); any other, as its element, for the full path.
        plain = type(date) is datetime.datetime
        stamp = date if plain else _stamp(record, date, True)
        events.append(_new_event(status, stamp))
        attribute = stamps.get(status)
        if attribute is not None:
            if attribute not in out:
                out[attribute] = stamp
        elif status == "pmc-release" and "pmc_release_date" not in out:
            # A plain date is plain without its time too: the same date as _stamp(..., False)
            out["pmc_release_date"] = date.date() if plain else _stamp(record, date, False)
    out["history"] = tuple(events)


def _article_ids(record: _Record, element: Element) -> None:
    out = record.out
    for kind, value in article_ids(element):
        if not value or value.isspace():
            continue  # <ArticleId IdType="doi"/>, in NLM's files too: an empty element states nothing
        home = ARTICLE_ID_HOMES.get(kind, "article_ids")
        if home == "article_ids":
            ids = out.setdefault("article_ids", [])
            identifier = _new_id(value, kind, True)
            if identifier not in ids:  # a book's ids are listed twice (document and data)
                ids.append(identifier)
        elif home == "pmc":
            out.setdefault("pmc", value)
        elif home == "manuscript_ids":
            out.setdefault("manuscript_ids", []).append(value)


def _references(record: _Record, element: Element) -> None:
    references(element, record.out.setdefault("references", []))


def _publication_status(record: _Record, element: Element) -> None:
    record.out["publication_status"] = plain_text(element)


_DATA_PARTS: Final[dict[str, Callable[[_Record, Element], None]]] = {
    "History": _history,
    "PublicationStatus": _publication_status,
    "ArticleIdList": _article_ids,
    "ReferenceList": _references,
}


def _data(record: _Record, element: Element) -> None:
    """``<PubmedData>`` / ``<PubmedBookData>``: history, status, identifiers, references."""
    dispatch(_DATA_PARTS, record, element)


# -- books ----------------------------------------------------------------------------------------


def _publisher(record: _Record, element: Element) -> None:
    for child in element:
        if child.tag == "PublisherName":
            record.out["publisher"] = text_of(child)
        elif child.tag == "PublisherLocation":
            record.out["place"] = text_of(child)


def _book(record: _Record, element: Element) -> None:
    dispatch(_BOOK_PARTS, record, element)


def _book_date(record: _Record, element: Element) -> None:
    record.out["publication_date"] = _pub_date(record, element)


def _chapter(record: _Record, element: Element) -> None:
    if element.get("Type") == "chapter":
        record.out.setdefault("chapters", []).append(text_of(element))


_BOOK_PARTS: Final[dict[str, Callable[[_Record, Element], None]]] = {
    "Publisher": _publisher,
    "BookTitle": _set("book_title"),
    "PubDate": _book_date,
    "AuthorList": _author_list,
    "InvestigatorList": _investigators,
    "Volume": _set("volume"),
    "VolumeTitle": _append("volume_titles"),
    "Edition": _set("edition"),
    "CollectionTitle": _append("collection_titles"),
    "Isbn": _append("isbns"),
    "ELocationID": _location_id,
}

_BOOK_DOCUMENT_PARTS: Final[dict[str, Callable[[_Record, Element], None]]] = {
    "PMID": _pmid,
    "ArticleIdList": _article_ids,
    "Book": _book,
    "LocationLabel": _chapter,
    "ArticleTitle": _set("title"),
    "VernacularTitle": _set("transliterated_title"),
    "Pagination": _pagination,
    "Language": _languages,
    "AuthorList": _author_list,
    "InvestigatorList": _investigators,
    "PublicationType": _publication_type,
    "Abstract": _abstract,
    "KeywordList": _keywords,
    "ContributionDate": _compact("contribution_date"),
    "DateRevised": _compact("book_revised_date"),
    "GrantList": _grants,
    "ReferenceList": _references,
    "CitationSubset": _subset,
}


# -- records --------------------------------------------------------------------------------------


_TUPLES: Final = (
    "location_ids",
    "languages",
    "secondary_source_ids",
    "publication_types",
    "publisher_dates",
    "affiliations",
    "subsets",
    "references",
    "other_ids",
    "other_abstracts",
    "other_copyrights",
    "keywords",
    "space_flight_missions",
    "general_notes",
    "article_ids",
    "manuscript_ids",
    "chapters",
    "volume_titles",
    "collection_titles",
    "isbns",
)


def _finish(record: _Record) -> Article:
    out = record.out
    for name in _TUPLES:
        value = out.get(name)
        if value is not None and type(value) is list:
            out[name] = tuple(value)
    return record.article()


def build_citation(element: Element, path: str | None, strict: bool) -> Article:
    """The article of a ``<MedlineCitation>`` on its own (MEDLINE XML up to 2016)."""
    record = _Record(path, strict)
    _citation(record, element)
    return _finish(record)


def build_pubmed_article(element: Element, path: str | None, strict: bool) -> Article:
    """The article of a ``<PubmedArticle>``."""
    record = _Record(path, strict)
    for child in element:
        tag = child.tag
        if tag == "MedlineCitation":
            _citation(record, child)
        elif tag == "PubmedData":
            _data(record, child)
    return _finish(record)


def build_book(element: Element, path: str | None, strict: bool) -> Article:
    """The article of a ``<PubmedBookArticle>`` (a book or a chapter)."""
    record = _Record(path, strict)
    record.out["status"] = "Publisher"  # PubMed's MEDLINE text gives every book record this status
    for child in element:
        tag = child.tag
        if tag == "BookDocument":
            dispatch(_BOOK_DOCUMENT_PARTS, record, child)
        elif tag == "PubmedBookData":
            _data(record, child)
    # PubMed's MEDLINE text shows no publication status for a book; neither does the model.
    record.out.pop("publication_status", None)
    return _finish(record)


def build_deletion(element: Element, path: str | None) -> Deletion:
    """The :class:`~medline_parse.model.Deletion` of a ``<DeleteCitation>``."""
    pmids = []
    versions = []
    for child in element:
        if child.tag == "PMID":
            pmids.append(text_of(child))
            versions.append(_int(child.get("Version")))
    return Deletion(tuple(pmids), tuple(versions), path, element.sourceline)
