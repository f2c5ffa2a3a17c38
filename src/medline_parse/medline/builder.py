"""The builder: turns a record's fields into an :class:`~medline_parse.model.Article`.

It attaches each AD and AUID to the person printed before it (CN groups keep their place among the
authors), pairs FAU with AU, FIR with IR (in either order), FED with ED and PS with FPS, gives
keywords their list owner and other abstracts their language, and types every date without
inventing a missing part.  Nothing is dropped: a value with no typed home (an unknown tag, a second
title) goes to :attr:`Article.extra` in order, and a date that is no valid date keeps its raw text
with an ``invalid-date`` diagnostic.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from ..errors import Diagnostic, ParseError, Severity
from ..model import (
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
from ..model.construction import direct_constructor
from ..model.dates import (
    parse_compact_date,
    parse_history,
    parse_pub_date,
    parse_stamp,
    pub_date_is_clean,
)
from .records import Record
from .tags import COMMENT_TAGS

__all__ = ["build", "build_article", "build_from_fields"]

# tag -> Article attribute, for tags with one plain string value
_SCALARS: Final = {
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
_LISTS: Final = {
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
_COMPACT_DATES: Final = {
    "DA": "created_date",
    "DCOM": "completed_date",
    "LR": "revised_date",
    "DEP": "electronic_date",
    "DRDT": "book_revised_date",
    "CTDT": "contribution_date",
}
_STAMPS: Final = {
    "EDAT": "entrez_date",
    "MHDA": "mesh_date",
    "CRDT": "create_date",
    "CDAT": "legacy_create_date",
    "PMCR": "pmc_release_date",
}
_JOURNAL: Final = {"JT": "title", "TA": "abbreviation", "JID": "nlm_id"}

# For each person tag: the list it belongs to, the slot of a person it fills (full name, short
# name, collective name) and the tag it pairs with when printed right after it (FAU then AU is one
# person; AU after AU is two).
_FULL_SLOT: Final = 0
_SHORT_SLOT: Final = 1
_COLLECTIVE_SLOT: Final = 2
_IDS_SLOT: Final = 3
_AFFILIATIONS_SLOT: Final = 4
_PERSON_TAGS: Final[dict[str, tuple[str, int, str | None]]] = {
    "FAU": ("authors", _FULL_SLOT, None),
    "AU": ("authors", _SHORT_SLOT, "FAU"),
    "CN": ("authors", _COLLECTIVE_SLOT, None),
    "FED": ("editors", _FULL_SLOT, None),
    "ED": ("editors", _SHORT_SLOT, "FED"),
    "FIR": ("investigators", _FULL_SLOT, "IR"),
    "IR": ("investigators", _SHORT_SLOT, "FIR"),
    "FPS": ("personal_name_subjects", _FULL_SLOT, "PS"),
    "PS": ("personal_name_subjects", _SHORT_SLOT, "FPS"),
}
_new_article: Final[Callable[..., Article]] = direct_constructor(Article)
_new_author: Final[Callable[..., Author]] = direct_constructor(Author)


def build_article(record: Record, *, strict: bool = False) -> Article:
    """Build the typed :class:`~medline_parse.model.Article` of *record*.

    The record's diagnostics travel with the article, followed by the builder's own (an
    ``invalid-date`` for a date that is no valid date).  With ``strict=True`` those raise
    :class:`~medline_parse.errors.ParseError` instead.
    """
    tags, values = record.tags_and_values()
    return build(
        tags,
        values,
        line_of=record.field_line,
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
    items: list[tuple[Any, ...]] = list(fields)
    lines: list[int | None] = [item[2] if len(item) > 2 else None for item in items]
    return build(
        [str(item[0]) for item in items],
        [str(item[1]) for item in items],
        line_of=lambda index: lines[index],
        diagnostics=diagnostics,
        path=path,
        strict=strict,
    )


_mesh: Final = functools.lru_cache(maxsize=8192)(MeshHeading.parse)
_chemical: Final = functools.lru_cache(maxsize=4096)(Chemical.parse)
_issn: Final = functools.lru_cache(maxsize=4096)(Issn.parse)
_grant: Final = functools.lru_cache(maxsize=4096)(Grant.parse)
_article_id: Final = ArticleId.parse  # identifiers rarely repeat: no cache
_PARSERS: Final[dict[str, Callable[[str], Any]]] = {
    "MH": _mesh,
    "RN": _chemical,
    "GR": _grant,
    "AID": _article_id,
    "LID": _article_id,
}
_PARSED_ATTRIBUTES: Final = {
    "MH": "mesh",
    "RN": "chemicals",
    "GR": "grants",
    "AID": "article_ids",
    "LID": "location_ids",
}
# Tags read in record order because their meaning depends on the fields before them.
_SEQUENTIAL: Final = frozenset({*_PERSON_TAGS, "AD", "AUID", "IRAD", "OTO", "OT", "OAB", "OABL"})

# How each tag is built: one dictionary lookup per tag of a record finds its kind and attribute.
_EXTRA_KIND: Final = 0
_SCALAR: Final = 1
_LIST: Final = 2
_SEQUENTIAL_KIND: Final = 3
_PARSED: Final = 4
_HISTORY: Final = 5
_COMPACT: Final = 6
_STAMP: Final = 7
_PUBLICATION_DATE: Final = 8
_ISSN: Final = 9
_JOURNAL_PART: Final = 10
_RELATION: Final = 11
_EXTRA: Final = (_EXTRA_KIND, "extra")
_KINDS: Final[dict[str, tuple[int, str]]] = {
    **dict.fromkeys(COMMENT_TAGS, (_RELATION, "relations")),
    **{tag: (_JOURNAL_PART, part) for tag, part in _JOURNAL.items()},
    "IS": (_ISSN, "journal"),
    "DP": (_PUBLICATION_DATE, "publication_date"),
    **{tag: (_STAMP, name) for tag, name in _STAMPS.items()},
    **{tag: (_COMPACT, name) for tag, name in _COMPACT_DATES.items()},
    "PHST": (_HISTORY, "history"),
    **{tag: (_PARSED, name) for tag, name in _PARSED_ATTRIBUTES.items()},
    **dict.fromkeys(_SEQUENTIAL, (_SEQUENTIAL_KIND, "")),
    **{tag: (_LIST, name) for tag, name in _LISTS.items()},
    **{tag: (_SCALAR, name) for tag, name in _SCALARS.items()},
}


def build(
    tags: Sequence[str],
    values: Sequence[str],
    *,
    line_of: Callable[[int], int | None] | None = None,
    diagnostics: Sequence[Diagnostic] = (),
    path: str | None = None,
    strict: bool = False,
) -> Article:
    """Build an article from a record's tags and values (two parallel sequences, record order).

    *line_of* maps a field's index to its line number, for diagnostics.
    """
    tag_list: list[str] = tags if isinstance(tags, list) else list(tags)
    value_list: list[str] = values if isinstance(values, list) else list(values)
    groups: dict[str, list[int]] = {}
    for index, tag in enumerate(tag_list):
        found = groups.get(tag)
        if found is None:
            groups[tag] = [index]
        else:
            found.append(index)
    out: dict[str, Any] = {}
    extra: list[tuple[int, str, str]] = []
    notes = _Notes(tag_list, value_list, line_of, list(diagnostics), path, strict)
    note = notes.note
    invalid = notes.invalid
    sequential: list[int] = []

    journal: dict[str, str] = {}
    issns: tuple[Issn, ...] = ()
    relations: list[int] = []
    kinds = _KINDS
    for tag, indexes in groups.items():
        kind, attribute = kinds.get(tag, _EXTRA)
        if kind == _SCALAR:
            out[attribute] = (
                value_list[indexes[0]]
                if len(indexes) == 1
                else _first(tag, indexes, value_list, extra)
            )
        elif kind == _SEQUENTIAL_KIND:
            sequential.extend(indexes)
        elif kind == _LIST:
            out[attribute] = tuple([value_list[i] for i in indexes])
        elif kind == _PARSED:
            parse = _PARSERS[tag]
            out[attribute] = tuple([parse(value_list[i]) for i in indexes])
        elif kind == _STAMP:
            raw = _first(tag, indexes, value_list, extra)
            stamp = parse_stamp(raw)
            if stamp is None:
                invalid(indexes[0], "YYYY/MM/DD HH:MM date")
            out[attribute] = stamp if stamp is not None else raw
        elif kind == _HISTORY:
            events = []
            for i in indexes:
                event = parse_history(value_list[i])
                if event is None:
                    invalid(i, "history entry ('date [status]')")
                    extra.append((i, tag, value_list[i]))
                else:
                    if isinstance(event.date, str):
                        if pub_date_is_clean(event.date):  # "2016 [ecollection]"
                            note(
                                i,
                                "unclear-date",
                                f"PHST date {event.date!r} is a partial date; kept as text",
                                Severity.INFO,
                            )
                        else:
                            invalid(i, "history date")
                    events.append(event)
            if events:
                out[attribute] = tuple(events)
        elif kind == _COMPACT:
            raw = _first(tag, indexes, value_list, extra)
            parsed = parse_compact_date(raw)
            if parsed is None:
                invalid(indexes[0], "YYYYMMDD date")
            out[attribute] = parsed if parsed is not None else raw
        elif kind == _PUBLICATION_DATE:
            raw = _first(tag, indexes, value_list, extra)
            date = parse_pub_date(raw)
            if date.year is None:
                invalid(indexes[0], "publication date")
            elif not pub_date_is_clean(raw):
                note(
                    indexes[0],
                    "unclear-date",
                    f"DP value {raw!r} is only partly understood; the parts it states clearly "
                    "are typed, the text is kept",
                    Severity.INFO,
                )
            out[attribute] = date
        elif kind == _ISSN:
            issns = tuple([_issn(value_list[i]) for i in indexes])
        elif kind == _JOURNAL_PART:
            journal[attribute] = _first(tag, indexes, value_list, extra)
        elif kind == _RELATION:
            relations.extend(indexes)
        else:
            extra.extend([(i, tag, value_list[i]) for i in indexes])
    if relations:
        relations.sort()
        out["relations"] = tuple(Relation.parse(tag_list[i], value_list[i]) for i in relations)
    if journal or issns:
        out["journal"] = Journal(journal.get("title"), journal.get("abbreviation"),
                                 journal.get("nlm_id"), issns)  # fmt: skip
    if sequential:
        sequential.sort()
        _sequential(tag_list, value_list, sequential, out, extra)
    if extra:
        extra.sort()
        out["extra"] = tuple([(tag, value) for _, tag, value in extra])
    return _new_article(**out, diagnostics=tuple(notes.notes), field_order=tuple(tag_list))


def _first(
    tag: str, indexes: list[int], values: list[str], extra: list[tuple[int, str, str]]
) -> str:
    """The first value of a tag that should appear once; the others go to the extras."""
    for more in indexes[1:]:
        extra.append((more, tag, values[more]))
    return values[indexes[0]]


class _Notes:
    """The diagnostics of the article being built (strict mode raises instead)."""

    def __init__(
        self,
        tags: list[str],
        values: list[str],
        line_of: Callable[[int], int | None] | None,
        notes: list[Diagnostic],
        path: str | None,
        strict: bool,
    ) -> None:
        self.tags = tags
        self.values = values
        self.line_of = line_of
        self.notes = notes
        self.path = path
        self.strict = strict

    def note(self, index: int, code: str, message: str, severity: Severity) -> None:
        line = self.line_of(index) if self.line_of is not None else None
        diagnostic = Diagnostic(code, message, line, severity, self.path)
        if self.strict and severity is not Severity.INFO:
            raise ParseError.from_diagnostic(diagnostic, self.values[index])
        self.notes.append(diagnostic)

    def invalid(self, index: int, what: str) -> None:
        self.note(
            index,
            "invalid-date",
            f"{self.tags[index]} value {self.values[index]!r} is not a valid {what}; kept as text",
            Severity.WARNING,
        )


def _sequential(
    tags: list[str],
    values: list[str],
    indexes: list[int],
    out: dict[str, Any],
    extra: list[tuple[int, str, str]],
) -> None:
    """People, keywords and other abstracts: fields whose meaning depends on those before them."""
    # A person is [full name, short name, collective name, identifiers, affiliations].
    people: dict[str, list[list[Any]]] = {}
    affiliations: list[str] = []
    current: list[Any] | None = None
    current_list = ""
    keywords: list[Keyword] = []
    keyword_owner: str | None = None
    empty_owner: str | None = None  # an OTO with no OT after it yet
    empty_index = -1
    other_abstracts: list[list[str | None]] = []
    person_tags = _PERSON_TAGS
    for index in indexes:
        tag = tags[index]
        raw = values[index]
        found = person_tags.get(tag)
        if found is not None:
            target, slot, pair = found
            if (
                current is not None
                and current_list == target
                and pair is not None
                and index
                and tags[index - 1] == pair
                and current[slot] is None
                and current[_COLLECTIVE_SLOT] is None
            ):
                current[slot] = raw
            else:
                current = [None, None, None, [], []]
                current[slot] = raw
                persons = people.get(target)
                if persons is None:
                    people[target] = [current]
                else:
                    persons.append(current)
                current_list = target
        elif tag == "AD":
            if current is not None and current_list in ("authors", "editors"):
                current[_AFFILIATIONS_SLOT].append(raw)
            elif current is None:
                affiliations.append(raw)
            else:
                extra.append((index, tag, raw))
        elif tag == "AUID":
            if current is not None:
                current[_IDS_SLOT].append(AuthorIdentifier.parse(raw))
            else:
                extra.append((index, tag, raw))
        elif tag == "IRAD":
            if current is not None and current_list == "investigators":
                current[_AFFILIATIONS_SLOT].append(raw)
            else:
                extra.append((index, tag, raw))
        elif tag == "OTO":
            if empty_owner is not None:  # the list before had no keyword: keep its OTO line
                extra.append((empty_index, "OTO", empty_owner))
                keyword_owner = empty_owner = raw
                empty_index = index
            elif raw == keyword_owner and keywords:
                # A second list with the owner of the list before: the keywords cannot tell where
                # one list ends, so keep the line itself (otherwise it would be dropped).
                extra.append((index, "OTO", raw))
            else:
                keyword_owner = empty_owner = raw
                empty_index = index
        elif tag == "OT":
            if raw.startswith("*") and len(raw) > 1:  # a major-topic keyword
                keywords.append(Keyword(raw[1:], keyword_owner, True))
            else:
                keywords.append(Keyword(raw, keyword_owner))
            empty_owner = None
        elif tag == "OAB":
            other_abstracts.append([raw, None])
        elif (
            index
            and tags[index - 1] == "OAB"
            and other_abstracts
            and other_abstracts[-1][1] is None
        ):
            other_abstracts[-1][1] = raw  # OABL
        else:
            extra.append((index, tag, raw))
    if empty_owner is not None:
        extra.append((empty_index, "OTO", empty_owner))
    new_author = _new_author
    for name, persons in people.items():
        out[name] = tuple(
            [
                new_author(full, short, collective, tuple(ids), tuple(affs))
                for full, short, collective, ids, affs in persons
            ]
        )
    if affiliations:
        out["affiliations"] = tuple(affiliations)
    if keywords:
        out["keywords"] = tuple(keywords)
    if other_abstracts:
        out["other_abstracts"] = tuple(
            OtherAbstract(text or "", language) for text, language in other_abstracts
        )
