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
from ..model import Article, Author, Chemical, Grant, Issn, MeshHeading
from . import _assemble as _plain
from . import _build as _walk
from . import _people as _roles
from .mapping import HOMES, Kind, row_of
from .records import Record

try:  # the compiled kernel, when the extension was built (medline_parse.COMPILED)
    from ._build_c import build as _build
    from ._build_c import prepare as _prepare
except ImportError:  # pragma: no cover - the pure-Python build
    from ._build import build as _build
    from ._build import prepare as _prepare

__all__ = ["build", "build_article", "build_from_fields"]

# How each tag is built, compiled from the table (mapping.HOMES): one dictionary lookup per tag of
# a record gives (kind, attribute, parse).  Plain int kinds and one if-chain keep dispatch cheap;
# the plain kinds (a kernel builds them, _assemble.py) have the kernel's codes.
_EXTRA_KIND: Final = _plain.EXTRA
_SCALAR: Final = _plain.SCALAR
_LIST: Final = _plain.LIST
_SEQUENTIAL_KIND: Final = _plain.SEQUENTIAL
_PARSED: Final = _plain.PARSED
_HISTORY: Final = _walk.HISTORY
_COMPACT: Final = _walk.COMPACT
_STAMP: Final = _walk.STAMP
_PUBLICATION_DATE: Final = _walk.PUBLICATION_DATE
_JOURNAL_VALUES: Final = _walk.JOURNAL_VALUES
_JOURNAL_TEXT: Final = _walk.JOURNAL_TEXT
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
_NAMES: Final = (
    row_of(Kind.KEYWORD).attribute,
    row_of(Kind.OTHER_ABSTRACT).attribute,
    row_of(Kind.RELATION).attribute,
)


def build_article(record: Record, *, strict: bool = False) -> Article:
    """Build the typed :class:`~medline_parse.model.Article` of *record*.

    The record's diagnostics travel with the article, followed by the builder's own (an
    ``invalid-date`` for a date that is no valid date).  With ``strict=True`` those raise
    :class:`~medline_parse.errors.ParseError` instead.
    """
    tags, values = record.tags_and_values()  # two lists: straight to the kernel
    return _build(tags, values, record.field_line, record.diagnostics, record.path, strict, _PLAN)


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
    # The whole walk is a kernel's work (_build.py, or its compiled twin), by the plan of _PLAN.
    return _build(tag_list, value_list, line_of, diagnostics, path, strict, _PLAN)


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

    def unclear_history(self, index: int, date: str) -> None:
        self.note(
            index,
            "unclear-date",
            f"PHST date {date!r} is a partial date; kept as text",
            Severity.INFO,
        )

    def unclear_pub_date(self, index: int, raw: str) -> None:
        self.note(
            index,
            "unclear-date",
            f"DP value {raw!r} is only partly understood; the parts it states clearly "
            "are typed, the text is kept",
            Severity.INFO,
        )

    def invalid(self, index: int, what: str) -> None:
        self.note(
            index,
            "invalid-date",
            f"{self.tags[index]} value {self.values[index]!r} is not a valid {what}; kept as text",
            Severity.WARNING,
        )


_PLAN: Final = _prepare(_KINDS, _SEQUENTIAL_TAGS, _NAMES, _Notes)
