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
from ._assemble import LIST, PARSED, RELATION, SCALAR, SEQUENTIAL
from ._people import PERSON_TAGS
from .records import Record

try:  # the compiled kernels, when the extension was built (medline_parse.COMPILED)
    from ._assemble_c import assemble as _assemble
    from ._people_c import sequential as _read_sequential
except ImportError:  # pragma: no cover - the pure-Python build
    from ._assemble import assemble as _assemble
    from ._people import sequential as _read_sequential
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
# History entries repeat (the entrez, pubmed and medline dates of a record are often one date, and
# records of one period share them): 40% of the corpus's PHST values are repeats.
_history: Final = functools.lru_cache(maxsize=8192)(parse_history)
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
_SEQUENTIAL: Final = frozenset({*PERSON_TAGS, "AD", "AUID", "IRAD", "OTO", "OT", "OAB", "OABL"})

# How each tag is built: one dictionary lookup per tag of a record finds its kind and attribute.
# The kernel builds the plain kinds (EXTRA, SCALAR, LIST, SEQUENTIAL, PARSED, RELATION).
_SCALAR: Final = SCALAR
_LIST: Final = LIST
_SEQUENTIAL_KIND: Final = SEQUENTIAL
_PARSED: Final = PARSED
_RELATION: Final = RELATION
_HISTORY: Final = 5
_COMPACT: Final = 6
_STAMP: Final = 7
_PUBLICATION_DATE: Final = 8
_ISSN: Final = 9
_JOURNAL_PART: Final = 10
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
    # Grouping by tag and the plain kinds: a kernel's work (_assemble.py, or its compiled twin).
    out, extra, sequential, relations, later = _assemble(tag_list, value_list, _KINDS, _PARSERS)
    notes = _Notes(tag_list, value_list, line_of, list(diagnostics), path, strict)
    note = notes.note
    invalid = notes.invalid
    journal: dict[str, str] = {}
    issns: tuple[Issn, ...] = ()
    kinds = _KINDS
    for tag, indexes in later.items():
        kind, attribute = kinds[tag]
        if kind == _STAMP:
            raw = _first(tag, indexes, value_list, extra)
            stamp = parse_stamp(raw)
            if stamp is None:
                invalid(indexes[0], "YYYY/MM/DD HH:MM date")
            out[attribute] = stamp if stamp is not None else raw
        elif kind == _HISTORY:
            events = []
            for i in indexes:
                event = _history(value_list[i])
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
    if relations:
        out["relations"] = tuple(Relation.parse(tag_list[i], value_list[i]) for i in relations)
    if journal or issns:
        out["journal"] = Journal(journal.get("title"), journal.get("abbreviation"),
                                 journal.get("nlm_id"), issns)  # fmt: skip
    if sequential:
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
    """People, keywords and other abstracts: fields whose meaning depends on those before them
    (read by a kernel, ``_people.py``, or its compiled twin)."""
    people, affiliations, keywords, other_abstracts, more = _read_sequential(tags, values, indexes)
    extra.extend(more)
    new_author = _new_author
    auid = AuthorIdentifier.parse
    for name, persons in people.items():
        out[name] = tuple(
            [
                new_author(
                    full, short, collective, tuple(map(auid, ids)) if ids else (), tuple(affs)
                )
                for full, short, collective, ids, affs in persons
            ]
        )
    if affiliations:
        out["affiliations"] = tuple(affiliations)
    if keywords:
        out["keywords"] = tuple([Keyword(keyword, owner) for keyword, owner in keywords])
    if other_abstracts:
        out["other_abstracts"] = tuple(
            OtherAbstract(text or "", language) for text, language in other_abstracts
        )
