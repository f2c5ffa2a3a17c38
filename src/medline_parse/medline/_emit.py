"""The field emitter: an :class:`Article` as its MEDLINE fields, in PubMed's canonical order (the
pure-Python kernel, and the specification of ``_emit_c.pyx``, its compiled twin).

:func:`emit_fields` walks the table of :mod:`~medline_parse.medline.mapping` in canonical order
(``FORMAT.md`` §4): a tag of a plain kind is written from its attribute where it stands, and at the
first tag of a block (the people of a list, comments and corrections, other abstracts, keywords)
the whole block is written.  Values in :attr:`Article.extra` go after the values of their tag, and
tags of no known kind at the end.  Each field comes with the entity it belongs to, for the order
check of :mod:`~medline_parse.medline.order`.  The tables are built here, once; the compiled twin
reads them from this module.
"""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import Any

from ..model import Article, Author, DateValue, StampValue
from ..model.dates import format_compact_date, format_history, format_stamp
from .mapping import HOMES, RETIRED_TAGS, Kind, part_tag, people_lists, row_of
from .tags import TAGS, canonical_position

__all__ = ["NO_OWNER", "EmittedFields", "FieldItem", "emit_fields"]

FieldItem = tuple[str, str]

# Owner kinds for the attachment check: which earlier field a field belongs to.
NO_OWNER = 0
"""The owner of a field that belongs to nothing in particular."""
_BEFORE_ANY_PERSON = -1
_AFTER_PEOPLE = -2
_PLAIN = (NO_OWNER, False)


def _date(value: DateValue) -> str:
    return value if isinstance(value, str) else format_compact_date(value)


def _stamp(value: StampValue) -> str:
    if isinstance(value, str):
        return value
    return format_stamp(value)


class EmittedFields:
    """An article's fields, with the entity each belongs to (for the order check of
    :mod:`~medline_parse.medline.order`)."""

    __slots__ = ("extras", "fields", "owners")

    def __init__(self) -> None:
        self.fields: list[FieldItem] = []
        """The ``(tag, value)`` fields."""
        self.owners: list[tuple[int, bool]] = []
        """(owner id, starts the owner) per field; owner 0 = belongs to nothing in particular,
        -1 = written before any person, -2 = written after the people it does not belong to."""
        self.extras: set[int] = set()
        """The indexes of the fields that come from :attr:`Article.extra`."""

    def add(
        self,
        tag: str,
        value: str | None,
        owner: int = NO_OWNER,
        starts: bool = False,
        extra: bool = False,
    ) -> None:
        if value is not None:
            if extra:
                self.extras.add(len(self.fields))
            self.fields.append((tag, value))
            self.owners.append((owner, starts))


class _PeopleTags:
    """The tags one list of people is written with, from the table."""

    __slots__ = (
        "affiliation",
        "collective",
        "full",
        "get",
        "identifier",
        "name",
        "short",
        "short_first",
    )

    def __init__(self, people: str) -> None:
        self.name = people
        self.get = attrgetter(people)
        self.full = part_tag(people, "full_name")
        self.short = part_tag(people, "name")
        self.collective = part_tag(people, "collective_name")
        self.identifier = part_tag(people, "identifiers")
        self.affiliation = part_tag(people, "affiliations")
        # Names in canonical order: PS before FPS.
        self.short_first = canonical_position(self.short) < canonical_position(self.full)


def _people(out: EmittedFields, people: tuple[Author, ...], tags: _PeopleTags, next_id: int) -> int:
    for person in people:
        next_id += 1
        if person.collective_name is not None:
            out.add(tags.collective, person.collective_name, next_id, True)
        elif tags.short_first:
            out.add(tags.short, person.name, next_id, True)
            out.add(tags.full, person.full_name, next_id, person.name is None)
        else:
            out.add(tags.full, person.full_name, next_id, True)
            out.add(tags.short, person.name, next_id, person.full_name is None)
        for identifier in person.identifiers:
            out.add(tags.identifier, identifier.text, next_id)
        for affiliation in person.affiliations:
            out.add(tags.affiliation, affiliation, next_id)
    return next_id


# The steps of the emitter, in canonical order: (step, tag, getter of the attribute).  A plain tag
# is a step of its kind; the first tag of a block is the step of the block and the block's other
# tags have none.  A block of people holds the lists of people whose first name tag is in it
# instead of a getter (editors and authors in the first block).
_TEXT = int(Kind.TEXT)
_TEXTS = int(Kind.TEXTS)
_VALUES = int(Kind.VALUES)
_DATE = int(Kind.DATE)
_STAMP = int(Kind.STAMP)
_PUB_DATE = int(Kind.PUB_DATE)
_HISTORY = int(Kind.HISTORY)
_PEOPLE_BLOCK = 100
_RELATIONS_BLOCK = 101
_OTHER_ABSTRACTS_BLOCK = 102
_KEYWORDS_BLOCK = 103
_BLOCKS = {
    Kind.PERSON: _PEOPLE_BLOCK,
    Kind.PERSON_PART: _PEOPLE_BLOCK,
    Kind.RELATION: _RELATIONS_BLOCK,
    Kind.OTHER_ABSTRACT: _OTHER_ABSTRACTS_BLOCK,
    Kind.KEYWORD: _KEYWORDS_BLOCK,
}


def _steps() -> list[tuple[int, str, Any]]:
    steps: list[tuple[int, str, Any]] = []
    block: int | None = None
    seen: set[str] = set()
    for tag, row in HOMES.items():
        step = _BLOCKS.get(row.kind)
        if step is None:
            steps.append((int(row.kind), tag, attrgetter(row.attribute)))
        elif step != _PEOPLE_BLOCK:
            if step != block:
                steps.append((step, tag, attrgetter(row.attribute)))
        else:
            if step != block:
                steps.append((step, tag, []))
            if row.kind is Kind.PERSON and row.attribute not in seen:
                seen.add(row.attribute)  # a list of people is written at its first name tag
                steps[-1][2].append(_PeopleTags(row.attribute))
        block = step
    return steps


_STEPS = _steps()
# An article read from text keeps the retired tags (DA, PUBM) where its record had them; one with no
# tag order (read from PubMed XML, or built by hand) is written as PubMed writes records today.
_CURRENT_STEPS = tuple(step for step in _STEPS if step[1] not in RETIRED_TAGS)
_PEOPLE_LISTS = people_lists()
_PERSON_TAGS = tuple(tag for tag, row in HOMES.items() if row.kind is Kind.PERSON)
# Person parts: those with a home before any person (AD: Article.affiliations) and the others.
_ALONE_PARTS = tuple(
    row for row in HOMES.values() if row.kind is Kind.PERSON_PART and row.attribute != "extra"
)
_EXTRA_PARTS = tuple(
    row.tag for row in HOMES.values() if row.kind is Kind.PERSON_PART and row.attribute == "extra"
)
_KEYWORD_OWNER = row_of(Kind.KEYWORD, "owner")
_KEYWORD_TERM = row_of(Kind.KEYWORD, "term")
_OTHER_ABSTRACT = row_of(Kind.OTHER_ABSTRACT, "text")
_OTHER_ABSTRACT_LANGUAGE = row_of(Kind.OTHER_ABSTRACT, "language")


def emit_fields(article: Article) -> EmittedFields:
    """The article's fields in canonical order, with the owner of each."""
    a = article
    out = EmittedFields()
    add = out.add
    extra_known: defaultdict[str, list[str]] = defaultdict(list)
    extra_unknown: list[FieldItem] = []
    for tag, value in a.extra:
        if tag in TAGS:
            extra_known[tag].append(value)
        else:
            extra_unknown.append((tag, value))
    next_id = 0
    first_people = True
    # Person parts kept in Article.extra because they followed a person of a list they do not
    # belong to (an AD after an investigator): written after the last such list the article has,
    # where they read back as belonging to nobody again.
    strays: list[FieldItem] = []
    strays_after: str | None = None
    fields = out.fields
    owners = out.owners
    plain = _PLAIN
    for step, tag, get in _STEPS if a.field_order else _CURRENT_STEPS:
        # The plain kinds, most frequent first (each field belongs to no one in particular).
        if step == _TEXT:
            value = get(a)
            if value is not None:
                fields.append((tag, value))
                owners.append(plain)
        elif step == _TEXTS:
            for value in get(a):
                if value is not None:
                    fields.append((tag, value))
                    owners.append(plain)
        elif step == _VALUES:
            for value in get(a):
                fields.append((tag, value.text))
                owners.append(plain)
        elif step == _DATE:
            value = get(a)
            if value is not None:
                fields.append((tag, _date(value)))
                owners.append(plain)
        elif step == _STAMP:
            value = get(a)
            if value is not None:
                fields.append((tag, _stamp(value)))
                owners.append(plain)
        elif step == _PUB_DATE:
            value = get(a)
            if value is not None:
                fields.append((tag, value.text))
                owners.append(plain)
        elif step == _HISTORY:
            for event in get(a):
                fields.append((tag, format_history(event)))
                owners.append(plain)
        elif step == _PEOPLE_BLOCK:
            if first_people:
                # Record-level AD of legacy records: before any person (after an editor it would
                # read back as that editor's affiliation).  Identifiers and investigator
                # affiliations that belonged to no person: there too, where they read back as
                # belonging to none.
                for row in _ALONE_PARTS:
                    for value in getattr(a, row.attribute):
                        add(row.tag, value, _BEFORE_ANY_PERSON)
                for part in _EXTRA_PARTS:
                    for more in extra_known.pop(part, ()):
                        add(part, more, _BEFORE_ANY_PERSON, extra=True)
            for people in get:
                next_id = _people(out, people.get(a), people, next_id)
            if first_people:
                names = {people.name for people in get}
                for person_tag in _PERSON_TAGS:
                    if HOMES[person_tag].attribute in names:
                        for more in extra_known.pop(person_tag, ()):
                            add(person_tag, more, extra=True)
                for row in _ALONE_PARTS:
                    strays.extend((row.tag, more) for more in extra_known.pop(row.tag, ()))
                    for people_name in _PEOPLE_LISTS:
                        if people_name not in row.people and getattr(a, people_name):
                            strays_after = people_name
                if strays_after is None:
                    for stray_tag, more in strays:
                        add(stray_tag, more, extra=True)
                first_people = False
            elif any(people.name == strays_after for people in get):
                for stray_tag, more in strays:
                    add(stray_tag, more, _AFTER_PEOPLE, extra=True)
            continue
        elif step == _RELATIONS_BLOCK:
            for relation in get(a):
                add(relation.kind, relation.text)
            continue
        elif step == _OTHER_ABSTRACTS_BLOCK:
            for other in get(a):
                next_id += 1
                add(_OTHER_ABSTRACT.tag, other.text, next_id, True)
                add(_OTHER_ABSTRACT_LANGUAGE.tag, other.language, next_id)
            continue
        elif step == _KEYWORDS_BLOCK:
            owner: str | None = None
            keyword_list_id = NO_OWNER
            for index, keyword in enumerate(get(a)):
                if keyword.owner is not None and (index == 0 or keyword.owner != owner):
                    next_id += 1
                    add(_KEYWORD_OWNER.tag, keyword.owner, next_id, True)
                owner = keyword.owner
                if owner is not None:
                    keyword_list_id = next_id
                list_id = next_id if keyword.owner is not None else keyword_list_id
                add(_KEYWORD_TERM.tag, keyword.text, list_id)
            continue
        if extra_known:
            for more in extra_known.pop(tag, ()):
                add(tag, more, extra=True)
    # Repeats of known tags whose attribute was not emitted (the first one is missing), then
    # unknown tags, at the end in canonical order.
    for tag in sorted(extra_known, key=canonical_position):
        for value in extra_known[tag]:
            add(tag, value, extra=True)
    for tag, value in extra_unknown:
        add(tag, value, extra=True)
    return out
