"""Reading the fields whose meaning depends on the fields before them: a part of the pure-Python
builder kernel (``_build.py``; its compiled twin ``_build_c.pyx`` does the same in its own walk).

People (authors, editors, investigators, personal-name subjects) are paired from their full and
short names, each person part (AD, AUID, IRAD) is attached to the person printed before it,
keywords get the owner of the OTO line before them, other abstracts their OABL language.  Which tag
does what is the builder's table (from ``mapping.HOMES``): for each sequential tag
``(role, home, slot, pair, joins, parse)``:

* ``PERSON``: a name line fills *slot* of a new person of the list *home*, or of the person before
  when it comes right after the tag *pair* and that slot is still empty (FAU then AU is one
  person, AU after AU two; a collective name stands alone);
* ``PERSON_PART``: goes into *slot* of the person before it when that person's list is in *joins*
  (read with *parse*), else to the attribute *home* when no person came yet, else to the extras;
* ``KEYWORD_OWNER``/``KEYWORD_TERM``: an OTO line with no OT after it, or repeating the owner of
  the list before (whose keywords could not then be told apart), is kept in the extras; a keyword
  written ``*term`` is a major topic;
* ``OTHER_ABSTRACT``/``OTHER_ABSTRACT_LANGUAGE``: the language joins the abstract printed right
  before it (*pair*); anywhere else it is an extra.

The kernel hands back plain lists; the builder makes the typed objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = [
    "KEYWORD_OWNER",
    "KEYWORD_TERM",
    "OTHER_ABSTRACT",
    "OTHER_ABSTRACT_LANGUAGE",
    "PERSON",
    "PERSON_PART",
    "sequential",
]

PERSON: Final = 1
PERSON_PART: Final = 2
KEYWORD_OWNER: Final = 3
KEYWORD_TERM: Final = 4
OTHER_ABSTRACT: Final = 5
OTHER_ABSTRACT_LANGUAGE: Final = 6
_COLLECTIVE: Final = 2  # a person is [full name, short name, collective name, identifiers, ...]

Row = tuple[int, str, int, str, frozenset[str], Callable[[str], Any] | None]


def sequential(
    tags: list[str], values: list[str], indexes: list[int], table: Mapping[str, Row]
) -> tuple[
    dict[str, list[list[Any]]],
    dict[str, list[str]],
    list[tuple[str, str | None, bool]],
    list[list[str | None]],
    list[tuple[int, str, str]],
]:
    """Read the fields at *indexes* (in record order) of a record's *tags* and *values*.

    Returns ``(people, alone, keywords, other_abstracts, extra)``: for each list of people its
    persons as ``[full, short, collective, identifiers, affiliations]``; the person parts printed
    before any person, by attribute; keywords as ``(keyword, owner, major)``; other abstracts as
    ``[text, language]``; and the values with no typed home as ``(index, tag, value)``.
    """
    people: dict[str, list[list[Any]]] = {}
    alone: dict[str, list[str]] = {}
    current: list[Any] | None = None
    current_list = ""
    keywords: list[tuple[str, str | None, bool]] = []
    keyword_owner: str | None = None
    empty_owner: str | None = None  # an OTO with no OT after it yet
    empty_index = -1
    empty_tag = ""
    other_abstracts: list[list[str | None]] = []
    extra: list[tuple[int, str, str]] = []
    for index in indexes:
        tag = tags[index]
        raw = values[index]
        role, home, slot, pair, joins, parse = table[tag]
        if role == PERSON:
            if (
                current is not None
                and current_list == home
                and pair
                and index
                and tags[index - 1] == pair
                and current[slot] is None
                and current[_COLLECTIVE] is None
            ):
                current[slot] = raw
            else:
                current = [None, None, None, [], []]
                current[slot] = raw
                persons = people.get(home)
                if persons is None:
                    people[home] = [current]
                else:
                    persons.append(current)
                current_list = home
        elif role == PERSON_PART:
            if current is not None and current_list in joins:
                current[slot].append(raw if parse is None else parse(raw))
            elif current is None and home:
                found = alone.get(home)
                if found is None:
                    alone[home] = [raw]
                else:
                    found.append(raw)
            else:
                extra.append((index, tag, raw))
        elif role == KEYWORD_OWNER:
            if empty_owner is not None:  # the list before had no keyword: keep its OTO line
                extra.append((empty_index, empty_tag, empty_owner))
                keyword_owner = empty_owner = raw
                empty_index = index
                empty_tag = tag
            elif raw == keyword_owner and keywords:
                # A second list with the owner of the list before: the keywords cannot tell where
                # one list ends, so keep the line itself (otherwise it would be dropped).
                extra.append((index, tag, raw))
            else:
                keyword_owner = empty_owner = raw
                empty_index = index
                empty_tag = tag
        elif role == KEYWORD_TERM:
            if raw.startswith("*") and len(raw) > 1:  # a major-topic keyword
                keywords.append((raw[1:], keyword_owner, True))
            else:
                keywords.append((raw, keyword_owner, False))
            empty_owner = None
        elif role == OTHER_ABSTRACT:
            other_abstracts.append([raw, None])
        elif (  # the language of the other abstract printed right before
            role == OTHER_ABSTRACT_LANGUAGE
            and index
            and tags[index - 1] == pair
            and other_abstracts
            and other_abstracts[-1][1] is None
        ):
            other_abstracts[-1][1] = raw
        else:
            extra.append((index, tag, raw))
    if empty_owner is not None:
        extra.append((empty_index, empty_tag, empty_owner))
    return people, alone, keywords, other_abstracts, extra
