"""Recovering whitespace-collapsed records (``FORMAT.md`` §9).

Records pasted into a spreadsheet cell, a web form or a chat lose their line breaks: the whole record
stands on one line with runs of spaces collapsed, so ``AU  - Doe J`` becomes ``AU - Doe J`` and
``PMID- 1`` stays ``PMID- 1``.  Only the tag vocabulary and PubMed's tag order can tell a tag from text
that happens to contain ``" - "``; :func:`split_collapsed` finds the longest sequence of tag markers
that PubMed's order allows and cuts the line there.
"""

from __future__ import annotations

import functools
import re

from .tags import TAGS, canonical_position

__all__ = ["MIN_COLLAPSED_FIELDS", "RECORD_START", "split_collapsed"]

RECORD_START = frozenset({"PMID", "PMC", "OWN"})
"""The tags a record starts with (PMID; PMC in PMC's MEDLARS export, OWN in ERIC's): a collapsed
record's line starts with one of them, which keeps prose that mentions tags from being split."""

MIN_COLLAPSED_FIELDS = 4
"""A line is taken for a collapsed record only when at least this many fields can be recovered."""

# A tag marker: a known tag at the start of the text or after a space, then "- " (four-letter tags)
# or " - " (shorter tags, whose padding collapsed to one space).  A marker may also end the text.
_MARKER = re.compile(r"(?:^|(?<= ))([A-Z][A-Z0-9]{1,3})( ?)-(?: |$)")

_BLOCKS: tuple[frozenset[str], ...] = (
    frozenset({"FAU", "AU", "AUID", "AD", "CN"}),
    frozenset({"FIR", "IR", "AUID", "IRAD"}),
    frozenset({"FED", "ED"}),
    frozenset({"OTO", "OT"}),
    frozenset({"OAB", "OABL"}),
    frozenset({"PS", "FPS"}),
    frozenset(tag for tag, info in TAGS.items() if info.group == "comments_corrections"),
)
# Orders real files have that the canonical order does not (FORMAT.md §4 corrections).
_EXTRA_ORDER = frozenset({("CRDT", "PMCR"), ("CTI", "DP")})


@functools.cache
def _may_follow(before: str, after: str) -> bool:
    if after == "PMID":  # a new record
        return True
    if canonical_position(after) > canonical_position(before):
        return True
    if before == after:
        return TAGS[after].repeatable
    if (before, after) in _EXTRA_ORDER:
        return True
    return any(before in block and after in block for block in _BLOCKS)


def split_collapsed(text: str) -> list[tuple[str, str, int, int]] | None:
    """Split a whitespace-collapsed record into fields.

    *text* is one line without its line ending.  Returns ``(tag, value, start, end)`` for each field,
    where ``text[start:end]`` is the field's share of the line (the spans cover the whole line), or
    ``None`` when the line does not look like a collapsed record (it must start with the marker of a
    tag that starts records, :data:`RECORD_START`, and yield at least :data:`MIN_COLLAPSED_FIELDS`
    fields in an order PubMed writes).
    """
    markers: list[tuple[str, int, int]] = []  # tag, marker start, value start
    for match in _MARKER.finditer(text):
        tag, space = match.group(1), match.group(2)
        if tag not in TAGS or (len(tag) == 4) == bool(space):
            continue
        markers.append((tag, match.start(), match.end()))
    if (
        len(markers) < MIN_COLLAPSED_FIELDS
        or markers[0][1] != 0
        or markers[0][0] not in RECORD_START
    ):
        return None

    # Longest chain of markers, starting with the first, in which each tag may follow the
    # previous.  Keeping the best chain ending in each tag makes this linear in the markers.
    count = len(markers)
    best = [0] * count
    back = [-1] * count
    best[0] = 1
    by_tag: dict[str, int] = {markers[0][0]: 0}  # tag -> marker ending the longest chain so far
    for i in range(1, count):
        tag_i = markers[i][0]
        for tag, j in by_tag.items():
            if best[j] + 1 > best[i] and _may_follow(tag, tag_i):
                best[i] = best[j] + 1
                back[i] = j
        if best[i]:
            held = by_tag.get(tag_i)
            if held is None or best[i] >= best[held]:
                by_tag[tag_i] = i
    last = max(range(count), key=lambda i: (best[i], i))
    if best[last] < MIN_COLLAPSED_FIELDS:
        return None
    chain: list[int] = []
    i = last
    while i != -1:
        chain.append(i)
        i = back[i]
    chain.reverse()

    fields: list[tuple[str, str, int, int]] = []
    for position, index in enumerate(chain):
        tag, start, value_start = markers[index]
        end = markers[chain[position + 1]][1] if position + 1 < len(chain) else len(text)
        fields.append((tag, text[value_start:end].strip(" "), start, end))
    return fields
