"""The builder: turns a record's fields into an :class:`~medline_parse.model.Article`.

It attaches each AD and AUID to the person printed before it (CN groups keep their place among the
authors), pairs FAU with AU, FIR with IR (in either order), FED with ED and PS with FPS, gives
keywords their list owner and other abstracts their language, and types every date without
inventing a missing part.  Nothing is dropped: a value with no typed home (an unknown tag, a second
title) goes to :attr:`Article.extra` in order, and a date that is no valid date keeps its raw text
with an ``invalid-date`` diagnostic.

Which attribute each tag fills, and how its text is read, is the table of
:mod:`~medline_parse.medline.mapping`; this module compiles it once into two dictionaries of plain
tuples and dispatches on them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import attrs

from ..errors import Diagnostic, ParseError, Severity
from ..model import (
    Article,
    Author,
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
from . import _assemble as _plain
from . import _people as _roles
from .mapping import HOMES, Kind, row_of
from .records import Record

try:  # the compiled kernels, when the extension was built (medline_parse.COMPILED)
    from ._assemble_c import assemble as _assemble
    from ._people_c import sequential as _read_sequential
except ImportError:  # pragma: no cover - the pure-Python build
    from ._assemble import assemble as _assemble
    from ._people import sequential as _read_sequential

__all__ = ["build", "build_article", "build_from_fields"]

# How each tag is built, compiled from the table (mapping.HOMES): one dictionary lookup per tag of
# a record gives (kind, attribute, parse).  Plain int kinds and one if-chain keep dispatch cheap;
# the plain kinds (a kernel builds them, _assemble.py) have the kernel's codes.
_EXTRA_KIND: Final = _plain.EXTRA
_SCALAR: Final = _plain.SCALAR
_LIST: Final = _plain.LIST
_SEQUENTIAL_KIND: Final = _plain.SEQUENTIAL
_PARSED: Final = _plain.PARSED
_HISTORY: Final = 5
_COMPACT: Final = 6
_STAMP: Final = 7
_PUBLICATION_DATE: Final = 8
_JOURNAL_VALUES: Final = 9
_JOURNAL_TEXT: Final = 10
_RELATION: Final = _plain.RELATION

# Tags read in record order because their meaning depends on the fields before them.
_SEQUENTIAL_KINDS: Final = frozenset(
    {Kind.PERSON, Kind.PERSON_PART, Kind.KEYWORD, Kind.OTHER_ABSTRACT}
)
_CODES: Final = {
    Kind.TEXT: _SCALAR,
    Kind.TEXTS: _LIST,
    Kind.VALUES: _PARSED,
    Kind.DATE: _COMPACT,
    Kind.STAMP: _STAMP,
    Kind.PUB_DATE: _PUBLICATION_DATE,
    Kind.HISTORY: _HISTORY,
    Kind.RELATION: _RELATION,
}
_JOURNAL_CODES: Final = {Kind.TEXT: _JOURNAL_TEXT, Kind.VALUES: _JOURNAL_VALUES}
# Values that repeat across records are parsed once (immutable, so one instance serves them all);
# identifiers rarely repeat: no cache.
_CACHE_SIZES: Final[dict[type[Any], int]] = {
    MeshHeading: 8192,
    Chemical: 4096,
    Issn: 4096,
    Grant: 4096,
}

# The sequential tags: (kind, home, slot, pair, joins, parse).  A person is built as a list
# [full name, short name, collective name, identifiers, affiliations] (Author's fields, in order):
# a name line (_PERSON) fills *slot* of a person of the list *home*, or of the person before when
# it comes right after the tag *pair*; a person part (_PERSON_PART) goes into *slot* of the person
# before it when that person's list is in *joins* (read with *parse*), else to the attribute
# *home* when no person came yet ("" for none: Article.extra); an other abstract's language joins
# the abstract printed right before it (*pair*).
_PERSON: Final = _roles.PERSON  # the codes of the kernel that reads them (_people.py)
_PERSON_PART: Final = _roles.PERSON_PART
_KEYWORD_OWNER: Final = _roles.KEYWORD_OWNER
_KEYWORD_TERM: Final = _roles.KEYWORD_TERM
_OTHER_ABSTRACT: Final = _roles.OTHER_ABSTRACT
_OTHER_ABSTRACT_LANGUAGE: Final = _roles.OTHER_ABSTRACT_LANGUAGE
_SLOTS: Final = {name: slot for slot, name in enumerate(attrs.fields_dict(Author))}
# the people kernel holds a person as Author's fields in order: the collective name third
assert _SLOTS["collective_name"] == 2, _SLOTS
_SEQUENTIAL_CODES: Final[dict[tuple[Kind, str | None], int]] = {
    (Kind.KEYWORD, "owner"): _KEYWORD_OWNER,
    (Kind.KEYWORD, "term"): _KEYWORD_TERM,
    (Kind.OTHER_ABSTRACT, "text"): _OTHER_ABSTRACT,
    (Kind.OTHER_ABSTRACT, "language"): _OTHER_ABSTRACT_LANGUAGE,
}
_Sequential = tuple[int, str, int, str, frozenset[str], Callable[[str], Any] | None]


def _reader(cls: type[Any], readers: dict[type[Any], Callable[[str], Any]]) -> Callable[[str], Any]:
    """The parser of a value class, cached where its values repeat (one per class)."""
    found = readers.get(cls)
    if found is None:
        size = _CACHE_SIZES.get(cls)
        found = cls.parse if size is None else functools.lru_cache(maxsize=size)(cls.parse)
        readers[cls] = found
    return found


def _dispatch() -> tuple[dict[str, tuple[int, str, Any]], dict[str, _Sequential]]:
    """The builder's two dispatch tables, from mapping.HOMES."""
    readers: dict[type[Any], Callable[[str], Any]] = {}
    kinds: dict[str, tuple[int, str, Any]] = {}
    sequential: dict[str, _Sequential] = {}
    for tag, row in HOMES.items():
        parse = None if row.value_class is None else _reader(row.value_class, readers)
        if row.kind in _SEQUENTIAL_KINDS:
            kinds[tag] = (_SEQUENTIAL_KIND, "", None)
            slot = -1 if row.part is None else _SLOTS.get(row.part, -1)
            pair = row.pairs_after or ""
            if row.kind is Kind.PERSON:
                sequential[tag] = (_PERSON, row.attribute, slot, pair, frozenset(), None)
            elif row.kind is Kind.PERSON_PART:
                home = "" if row.attribute == "extra" else row.attribute
                sequential[tag] = (_PERSON_PART, home, slot, "", frozenset(row.people), parse)
            else:
                code = _SEQUENTIAL_CODES[row.kind, row.part]
                sequential[tag] = (code, row.attribute, -1, pair, frozenset(), None)
        else:
            owner, dot, attribute = row.attribute.rpartition(".")
            if dot:  # an attribute of the journal
                assert owner == "journal"
                kinds[tag] = (_JOURNAL_CODES[row.kind], attribute, parse)
            else:
                kinds[tag] = (_CODES[row.kind], attribute, parse)
    return kinds, sequential


_KINDS, _SEQUENTIAL_TAGS = _dispatch()
_KEYWORDS: Final = row_of(Kind.KEYWORD).attribute
_OTHER_ABSTRACTS: Final = row_of(Kind.OTHER_ABSTRACT).attribute
_RELATIONS: Final = row_of(Kind.RELATION).attribute
_new_article: Final[Callable[..., Article]] = direct_constructor(Article)
_new_author: Final[Callable[..., Author]] = direct_constructor(Author)
_new_journal: Final[Callable[..., Journal]] = direct_constructor(Journal)


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
    """Build an article from ``(tag, value[, line])`` items, in record order."""
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
    out, extra, sequential, relations, later = _assemble(tag_list, value_list, _KINDS)
    notes = _Notes(tag_list, value_list, line_of, list(diagnostics), path, strict)
    note = notes.note
    invalid = notes.invalid
    journal: dict[str, Any] = {}
    kinds = _KINDS
    for tag, indexes in later.items():
        kind, attribute, parse = kinds[tag]
        if kind == _STAMP:
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
        elif kind == _JOURNAL_VALUES:
            journal[attribute] = tuple([parse(value_list[i]) for i in indexes])
        elif kind == _JOURNAL_TEXT:
            journal[attribute] = _first(tag, indexes, value_list, extra)
    if relations:
        out[_RELATIONS] = tuple(Relation.parse(tag_list[i], value_list[i]) for i in relations)
    if journal:
        out["journal"] = _new_journal(**journal)
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
    (read by a kernel, ``_people.py``, or its compiled twin, over the table _SEQUENTIAL_TAGS)."""
    people, alone, keywords, other_abstracts, more = _read_sequential(
        tags, values, indexes, _SEQUENTIAL_TAGS
    )
    extra.extend(more)
    new_author = _new_author
    for name, persons in people.items():
        out[name] = tuple(
            [
                new_author(full, short, collective, tuple(ids), tuple(affs))
                for full, short, collective, ids, affs in persons
            ]
        )
    for name, found in alone.items():
        out[name] = tuple(found)
    if keywords:
        out[_KEYWORDS] = tuple([Keyword(term, owner, major) for term, owner, major in keywords])
    if other_abstracts:
        out[_OTHER_ABSTRACTS] = tuple(
            OtherAbstract(text or "", language) for text, language in other_abstracts
        )
