"""The builder: turns a record's fields into an :class:`~medline_parse.model.Article`.

It attaches each AD and AUID to the person printed before it (CN groups keep their place among the
authors), pairs FAU with AU, FIR with IR (in either order), FED with ED and PS with FPS, gives
keywords their list owner and other abstracts their language, and types every date without
inventing a missing part.  Nothing is dropped: a value with no typed home (an unknown tag, a second
title) goes to :attr:`Article.extra` in order, and a date that is no valid date keeps its raw text
with an ``invalid-date`` diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .dates import parse_compact_date, parse_history, parse_pub_date, parse_stamp
from .errors import Diagnostic, ParseError, Severity
from .model import (
    Article,
    ArticleId,
    Author,
    AuthorIdentifier,
    Chemical,
    Grant,
    Issn,
    Journal,
    Keyword,
    MeshHeading,
    OtherAbstract,
    Relation,
)
from .records import Record
from .tags import COMMENT_TAGS

__all__ = ["build_article", "build_from_fields"]

# tag -> Article attribute, for tags with one plain string value
_SCALARS = {
    "PMID": "pmid",
    "OWN": "owner",
    "STAT": "status",
    "PUBM": "publishing_model",
    "TI": "title",
    "TT": "transliterated_title",
    "AB": "abstract",
    "CI": "copyright",
    "COIS": "conflict_of_interest",
    "VI": "volume",
    "IP": "issue",
    "PG": "pagination",
    "PL": "place",
    "PST": "publication_status",
    "SO": "source",
    "PB": "publisher",
    "BTI": "book_title",
    "EN": "edition",
    "RF": "number_of_references",
    "PMC": "pmc",
}
# tag -> attribute, for repeatable tags with plain string values
_LISTS = {
    "OCI": "other_copyrights",
    "GN": "general_notes",
    "LA": "languages",
    "PT": "publication_types",
    "CTI": "collection_titles",
    "VTI": "volume_titles",
    "CP": "chapters",
    "ISBN": "isbns",
    "NM": "substance_names",
    "SB": "subsets",
    "GS": "gene_symbols",
    "SI": "secondary_source_ids",
    "SFM": "space_flight_missions",
    "MID": "manuscript_ids",
    "OID": "other_ids",
}
_COMPACT_DATES = {
    "DA": "created_date",
    "DCOM": "completed_date",
    "LR": "revised_date",
    "DEP": "electronic_date",
    "DRDT": "book_revised_date",
    "CTDT": "contribution_date",
}
_STAMPS = {
    "EDAT": "entrez_date",
    "MHDA": "mesh_date",
    "CRDT": "create_date",
    "CDAT": "legacy_create_date",
    "PMCR": "pmc_release_date",
}
_JOURNAL = {"JT": "title", "TA": "abbreviation", "JID": "nlm_id"}

# Which list a person tag belongs to, and the partner tag it pairs with when printed right after it.
_PERSON_LIST = {
    "FAU": "authors",
    "AU": "authors",
    "CN": "authors",
    "FED": "editors",
    "ED": "editors",
    "FIR": "investigators",
    "IR": "investigators",
    "FPS": "personal_name_subjects",
    "PS": "personal_name_subjects",
}
_FULL = frozenset({"FAU", "FED", "FIR", "FPS"})
_PAIR_AFTER = {"AU": "FAU", "ED": "FED", "IR": "FIR", "FIR": "IR", "PS": "FPS", "FPS": "PS"}


class _Person:
    __slots__ = ("affiliations", "collective", "full", "ids", "short")

    def __init__(self) -> None:
        self.full: str | None = None
        self.short: str | None = None
        self.collective: str | None = None
        self.ids: list[AuthorIdentifier] = []
        self.affiliations: list[str] = []

    def freeze(self) -> Author:
        return Author(
            self.full, self.short, self.collective, tuple(self.ids), tuple(self.affiliations)
        )


def build_article(record: Record, *, strict: bool = False) -> Article:
    """Build the typed :class:`~medline_parse.model.Article` of *record*.

    The record's diagnostics travel with the article, followed by the builder's own (an
    ``invalid-date`` for a date that is no valid date).  With ``strict=True`` those raise
    :class:`~medline_parse.errors.ParseError` instead.
    """
    return build_from_fields(
        ((f.tag, f.value, f.line_number) for f in record.fields),
        diagnostics=record.diagnostics,
        path=record.path,
        strict=strict,
    )


def build_from_fields(
    fields: Iterable[tuple[str, str, int]] | Iterable[tuple[str, str]],
    *,
    diagnostics: Sequence[Diagnostic] = (),
    path: str | None = None,
    strict: bool = False,
) -> Article:
    """Build an article from ``(tag, value[, line_number])`` items, in record order."""
    values: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    journal: dict[str, Any] = {}
    issns: list[Issn] = []
    extra: list[tuple[str, str]] = []
    notes = list(diagnostics)
    order: list[str] = []
    people: dict[str, list[_Person]] = {
        "authors": [],
        "editors": [],
        "investigators": [],
        "personal_name_subjects": [],
    }
    affiliations: list[str] = []
    current: _Person | None = None
    current_list = ""
    keyword_owner: str | None = None
    empty_owner: str | None = None  # an OTO with no OT after it yet
    other_abstracts: list[list[str | None]] = []
    previous = ""

    def invalid(tag: str, value: str, line: int | None, what: str) -> None:
        diagnostic = Diagnostic(
            "invalid-date",
            f"{tag} value {value!r} is not a valid {what}; kept as text",
            line,
            Severity.WARNING,
            path,
        )
        if strict:
            raise ParseError.from_diagnostic(diagnostic, value)
        notes.append(diagnostic)

    def put(attribute: str, tag: str, value: Any) -> None:
        if attribute in values:
            extra.append((tag, raw))
        else:
            values[attribute] = value

    for item in fields:
        tag, raw = item[0], item[1]
        line: int | None = item[2] if len(item) > 2 else None
        order.append(tag)
        attribute = _SCALARS.get(tag)
        if attribute is not None:
            put(attribute, tag, raw)
        elif tag in _LISTS:
            lists.setdefault(_LISTS[tag], []).append(raw)
        elif tag in _PERSON_LIST:
            target = _PERSON_LIST[tag]
            partner = _PAIR_AFTER.get(tag)
            full = tag in _FULL
            if (
                current is not None
                and current_list == target
                and previous == partner
                and (current.full if full else current.short) is None
                and current.collective is None
            ):
                person = current
            else:
                person = _Person()
                people[target].append(person)
            if tag == "CN":
                person.collective = raw
            elif full:
                person.full = raw
            else:
                person.short = raw
            current, current_list = person, target
        elif tag == "AD":
            if current is not None and current_list in ("authors", "editors"):
                current.affiliations.append(raw)
            elif current is None and not people["authors"]:
                affiliations.append(raw)
            else:
                extra.append((tag, raw))
        elif tag == "IRAD":
            if current is not None and current_list == "investigators":
                current.affiliations.append(raw)
            else:
                extra.append((tag, raw))
        elif tag == "AUID":
            if current is not None:
                current.ids.append(AuthorIdentifier.parse(raw))
            else:
                extra.append((tag, raw))
        elif tag == "MH":
            lists.setdefault("mesh", []).append(MeshHeading.parse(raw))
        elif tag == "DP":
            date = parse_pub_date(raw)
            if date.year is None:
                invalid(tag, raw, line, "publication date")
            elif not date.is_exact:
                notes.append(
                    Diagnostic(
                        "unclear-date",
                        f"DP value {raw!r} is only partly understood; the parts it states "
                        "clearly are typed, the text is kept",
                        line,
                        Severity.INFO,
                        path,
                    )
                )
            put("publication_date", tag, date)
        elif tag in _COMPACT_DATES:
            parsed = parse_compact_date(raw)
            if parsed is None:
                invalid(tag, raw, line, "YYYYMMDD date")
            put(_COMPACT_DATES[tag], tag, parsed if parsed is not None else raw)
        elif tag in _STAMPS:
            stamp = parse_stamp(raw)
            if stamp is None:
                invalid(tag, raw, line, "YYYY/MM/DD HH:MM date")
            put(_STAMPS[tag], tag, stamp if stamp is not None else raw)
        elif tag == "PHST":
            event = parse_history(raw)
            if event is None:
                invalid(tag, raw, line, "history entry ('date [status]')")
                extra.append((tag, raw))
            else:
                if event.status and isinstance(event.date, str):
                    invalid(tag, raw, line, "history date")
                lists.setdefault("history", []).append(event)
        elif tag == "AID":
            lists.setdefault("article_ids", []).append(ArticleId.parse(raw))
        elif tag == "LID":
            lists.setdefault("location_ids", []).append(ArticleId.parse(raw))
        elif tag == "IS":
            issns.append(Issn.parse(raw))
        elif tag in _JOURNAL:
            key = _JOURNAL[tag]
            if key in journal:
                extra.append((tag, raw))
            else:
                journal[key] = raw
        elif tag == "RN":
            lists.setdefault("chemicals", []).append(Chemical.parse(raw))
        elif tag == "GR":
            lists.setdefault("grants", []).append(Grant.parse(raw))
        elif tag in COMMENT_TAGS:
            lists.setdefault("relations", []).append(Relation.parse(tag, raw))
        elif tag == "OTO":
            if empty_owner is not None:  # the list before had no keyword: keep its OTO line
                extra.append(("OTO", empty_owner))
                keyword_owner = empty_owner = raw
            elif raw == keyword_owner and "keywords" in lists:
                # A second list with the owner of the list before: the keywords cannot tell where
                # one list ends, so keep the line itself (otherwise it would be dropped).
                extra.append(("OTO", raw))
            else:
                keyword_owner = empty_owner = raw
        elif tag == "OT":
            lists.setdefault("keywords", []).append(Keyword(raw, keyword_owner))
            empty_owner = None
        elif tag == "OAB":
            other_abstracts.append([raw, None])
        elif tag == "OABL":
            if previous == "OAB" and other_abstracts and other_abstracts[-1][1] is None:
                other_abstracts[-1][1] = raw
            else:
                extra.append((tag, raw))
        else:
            extra.append((tag, raw))
        previous = tag

    if empty_owner is not None:
        extra.append(("OTO", empty_owner))
    for name, items in lists.items():
        values[name] = tuple(items)
    for name, persons in people.items():
        if persons:
            values[name] = tuple(person.freeze() for person in persons)
    if affiliations:
        values["affiliations"] = tuple(affiliations)
    if other_abstracts:
        values["other_abstracts"] = tuple(
            OtherAbstract(text or "", language) for text, language in other_abstracts
        )
    if journal or issns:
        values["journal"] = Journal(issns=tuple(issns), **journal)
    if extra:
        values["extra"] = tuple(extra)
    return Article(**values, diagnostics=tuple(notes), field_order=tuple(order))
