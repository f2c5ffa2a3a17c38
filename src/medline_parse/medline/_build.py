"""A record's tags and values to an :class:`~medline_parse.model.Article`: the pure-Python kernel,
and the specification of ``_build_c.pyx``, its compiled twin (same function, same results).

The builder (``builder.py``) compiles the tag table once into a *plan* (:func:`prepare`) and hands
each record's two parallel lists to :func:`build`.  This one groups the fields by tag with the
``_assemble`` kernel, reads the people, keywords and other abstracts with the ``_people`` kernel
and types the dates over the cached parsers of ``model/dates.py``; the compiled twin does all of
that in one walk over the fields, with caches of its own for the values that repeat across records
(dates, history entries, MeSH headings, journals).

A problem with a date (a value that is no valid date, a partial date kept as text) becomes a
diagnostic through the builder's notes (the class ``notes`` of :func:`prepare`), in the order of the
tags' first appearance and then of the fields: ``strict`` mode raises the first one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from ..model import Keyword, OtherAbstract, Relation
from ..model.article import Article, Author, Journal
from ..model.construction import direct_constructor
from ..model.dates import (
    parse_compact_date,
    parse_history,
    parse_pub_date,
    parse_stamp,
    pub_date_is_clean,
)
from ._assemble import assemble
from ._people import sequential as read_sequential

__all__ = ["build", "prepare"]

# The kinds the builder handles beyond the plain ones of _assemble (same codes as builder.py).
HISTORY: Final = 5
COMPACT: Final = 6
STAMP: Final = 7
PUBLICATION_DATE: Final = 8
JOURNAL_VALUES: Final = 9
JOURNAL_TEXT: Final = 10

_new_article: Final[Callable[..., Article]] = direct_constructor(Article)
_new_author: Final[Callable[..., Author]] = direct_constructor(Author)
_new_journal: Final[Callable[..., Journal]] = direct_constructor(Journal)

Kinds = Mapping[str, tuple[int, str, Callable[[str], Any] | None]]
Rows = Mapping[str, tuple[int, str, int, str, frozenset[str], Callable[[str], Any] | None]]


def prepare(kinds: Kinds, rows: Rows, names: Sequence[str], notes: Callable[..., Any]) -> Any:
    """The plan of :func:`build`: the tag table *kinds* (tag -> ``(kind, attribute, parse)``), the
    sequential tags' *rows* (see ``_people.py``), the attributes *names* of the keywords, other
    abstracts and relations, and the class of the builder's *notes* (diagnostics)."""
    keywords, other_abstracts, relations = names
    return kinds, rows, keywords, other_abstracts, relations, notes


def build(
    tags: list[str],
    values: list[str],
    line_of: Callable[[int], int | None] | None,
    diagnostics: Sequence[Any],
    path: str | None,
    strict: bool,
    plan: Any,
) -> Article:
    """Build the article of a record's *tags* and *values* (record order) by *plan*.

    *line_of* maps a field's index to its line number, *diagnostics* are the record's own (they
    come first), *path* names the file; they and *strict* are for the builder's notes.
    """
    kinds, rows, keywords_name, other_abstracts_name, relations_name, new_notes = plan
    out, extra, sequential, relations, later = assemble(tags, values, kinds)
    notes = new_notes(tags, values, line_of, list(diagnostics), path, strict)
    journal: dict[str, Any] = {}
    for tag, indexes in later.items():
        kind, attribute, parse = kinds[tag]
        if kind == STAMP:
            raw = _first(tag, indexes, values, extra)
            stamp = parse_stamp(raw)
            if stamp is None:
                notes.invalid(indexes[0], "YYYY/MM/DD HH:MM date")
            out[attribute] = stamp if stamp is not None else raw
        elif kind == HISTORY:
            events = []
            for i in indexes:
                event = parse_history(values[i])
                if event is None:
                    notes.invalid(i, "history entry ('date [status]')")
                    extra.append((i, tag, values[i]))
                else:
                    if isinstance(event.date, str):
                        if pub_date_is_clean(event.date):  # "2016 [ecollection]"
                            notes.unclear_history(i, event.date)
                        else:
                            notes.invalid(i, "history date")
                    events.append(event)
            if events:
                out[attribute] = tuple(events)
        elif kind == COMPACT:
            raw = _first(tag, indexes, values, extra)
            parsed = parse_compact_date(raw)
            if parsed is None:
                notes.invalid(indexes[0], "YYYYMMDD date")
            out[attribute] = parsed if parsed is not None else raw
        elif kind == PUBLICATION_DATE:
            raw = _first(tag, indexes, values, extra)
            date = parse_pub_date(raw)
            if date.year is None:
                notes.invalid(indexes[0], "publication date")
            elif not pub_date_is_clean(raw):
                notes.unclear_pub_date(indexes[0], raw)
            out[attribute] = date
        elif kind == JOURNAL_VALUES:
            assert parse is not None
            journal[attribute] = tuple([parse(values[i]) for i in indexes])
        elif kind == JOURNAL_TEXT:
            journal[attribute] = _first(tag, indexes, values, extra)
    if relations:
        out[relations_name] = tuple([Relation.parse(tags[i], values[i]) for i in relations])
    if journal:
        out["journal"] = _new_journal(**journal)
    if sequential:
        people, alone, keywords, other_abstracts, more = read_sequential(
            tags, values, sequential, rows
        )
        extra.extend(more)
        for name, persons in people.items():
            out[name] = tuple(
                [
                    _new_author(full, short, collective, tuple(ids), tuple(affs))
                    for full, short, collective, ids, affs in persons
                ]
            )
        for name, parts in alone.items():
            out[name] = tuple(parts)
        if keywords:
            out[keywords_name] = tuple(
                [Keyword(term, owner, major) for term, owner, major in keywords]
            )
        if other_abstracts:
            out[other_abstracts_name] = tuple(
                [OtherAbstract(text or "", language) for text, language in other_abstracts]
            )
    if extra:
        extra.sort()
        out["extra"] = tuple([(tag, value) for _, tag, value in extra])
    return _new_article(**out, diagnostics=tuple(notes.notes), field_order=tuple(tags))


def _first(
    tag: str, indexes: list[int], values: list[str], extra: list[tuple[int, str, str]]
) -> str:
    """The first value of a tag that should appear once; the others go to the extras."""
    for more in indexes[1:]:
        extra.append((more, tag, values[more]))
    return values[indexes[0]]
