"""Reading the fields whose meaning depends on the fields before them: the pure-Python kernel, and
the specification of ``_people_c.pyx``, its compiled twin (same function, same results).

People (authors, editors, investigators, personal-name subjects) are paired from their full and
short names, each AD, AUID and IRAD is attached to the person printed before it, keywords get the
owner of the OTO line before them, other abstracts their OABL language.  The kernel hands back
plain lists; the builder makes the typed objects.  The rules (``FORMAT.md`` §5):

* FAU then AU is one person, AU after AU two; likewise FED/ED, and FIR/IR and FPS/PS in either
  order; a CN (collective name) is an author of its own;
* an AD before any person is the record's own affiliation; after an author or editor it is that
  person's; after an investigator it has no home (it goes to the extras), nor has an AUID before
  any person or an IRAD that follows no investigator;
* an OTO line with no OT after it, or repeating the owner of the list before (whose keywords could
  not then be told apart), is kept in the extras;
* OABL gives its language to the OAB right before it; an OABL anywhere else is an extra.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["PERSON_TAGS", "sequential"]

FULL: Final = 0
SHORT: Final = 1
COLLECTIVE: Final = 2
IDENTIFIERS: Final = 3
AFFILIATIONS: Final = 4

PERSON_TAGS: Final[dict[str, tuple[str, int, str | None]]] = {
    "FAU": ("authors", FULL, None),
    "AU": ("authors", SHORT, "FAU"),
    "CN": ("authors", COLLECTIVE, None),
    "FED": ("editors", FULL, None),
    "ED": ("editors", SHORT, "FED"),
    "FIR": ("investigators", FULL, "IR"),
    "IR": ("investigators", SHORT, "FIR"),
    "FPS": ("personal_name_subjects", FULL, "PS"),
    "PS": ("personal_name_subjects", SHORT, "FPS"),
}
"""For each person tag: the list it belongs to, the slot of a person it fills and the tag it pairs
with when printed right after it."""


def sequential(
    tags: list[str], values: list[str], indexes: list[int]
) -> tuple[
    dict[str, list[list[Any]]],
    list[str],
    list[tuple[str, str | None]],
    list[list[str | None]],
    list[tuple[int, str, str]],
]:
    """Read the fields at *indexes* (in record order) of a record's *tags* and *values*.

    Returns ``(people, affiliations, keywords, other_abstracts, extra)``: for each list of people
    (``"authors"``, ...) its persons as ``[full, short, collective, auids, affiliations]`` (names
    ``None`` when absent, AUID values unparsed); the record's own affiliations; keywords as
    ``(keyword, owner)``; other abstracts as ``[text, language]``; and the values with no typed
    home as ``(index, tag, value)``.
    """
    people: dict[str, list[list[Any]]] = {}
    affiliations: list[str] = []
    current: list[Any] | None = None
    current_list = ""
    keywords: list[tuple[str, str | None]] = []
    keyword_owner: str | None = None
    empty_owner: str | None = None  # an OTO with no OT after it yet
    empty_index = -1
    other_abstracts: list[list[str | None]] = []
    extra: list[tuple[int, str, str]] = []
    person_tags = PERSON_TAGS
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
                and current[COLLECTIVE] is None
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
                current[AFFILIATIONS].append(raw)
            elif current is None:
                affiliations.append(raw)
            else:
                extra.append((index, tag, raw))
        elif tag == "AUID":
            if current is not None:
                current[IDENTIFIERS].append(raw)
            else:
                extra.append((index, tag, raw))
        elif tag == "IRAD":
            if current is not None and current_list == "investigators":
                current[AFFILIATIONS].append(raw)
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
            keywords.append((raw, keyword_owner))
            empty_owner = None
        elif tag == "OAB":
            other_abstracts.append([raw, None])
        elif (
            tag == "OABL"
            and index
            and tags[index - 1] == "OAB"
            and other_abstracts
            and other_abstracts[-1][1] is None
        ):
            other_abstracts[-1][1] = raw
        else:
            extra.append((index, tag, raw))
    if empty_owner is not None:
        extra.append((empty_index, "OTO", empty_owner))
    return people, affiliations, keywords, other_abstracts, extra
