"""Grouping a record's fields by tag and building the plain kinds: a part of the pure-Python builder
kernel (``_build.py``; its compiled twin ``_build_c.pyx`` does the same in its own walk).

The builder's table says, for each tag, its *kind* (how it is built), the attribute it fills and
the parser of its values (``None`` for text).
The kernel groups the fields by tag (first appearance order) and builds the kinds that need no
more than the values: a plain string (the first value; any further one is an extra), a tuple of
strings, a tuple of parsed values (one parser per tag), the values with no typed home.  The fields
read in record order (people, keywords) and the comments and corrections are collected as indexes;
the other kinds (dates, the journal) are handed back grouped, for the builder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["EXTRA", "LIST", "PARSED", "RELATION", "SCALAR", "SEQUENTIAL", "assemble"]

EXTRA: Final = 0
"""Kind: no typed home; the values go to the extras."""
SCALAR: Final = 1
"""Kind: one string; a second value is an extra."""
LIST: Final = 2
"""Kind: a tuple of strings."""
SEQUENTIAL: Final = 3
"""Kind: read in record order with the fields before it (collected as indexes)."""
PARSED: Final = 4
"""Kind: a tuple of values parsed by the tag's parser."""
RELATION: Final = 11
"""Kind: a comment or correction (collected as indexes)."""
_EXTRA: Final = (EXTRA, "", None)


def assemble(
    tags: list[str],
    values: list[str],
    kinds: Mapping[str, tuple[int, str, Callable[[str], Any] | None]],
) -> tuple[dict[str, Any], list[tuple[int, str, str]], list[int], list[int], dict[str, list[int]]]:
    """Group a record's fields and build the plain kinds.

    Returns ``(out, extra, sequential, relations, later)``: the attributes built (attribute ->
    value), the extras as ``(index, tag, value)``, the indexes of the fields of the sequential
    kind and of the relation kind (record order), and the other tags' indexes (tag -> indexes, in
    first appearance order), whose kind the builder handles.  A tag missing from *kinds* is an
    extra.
    """
    groups: dict[str, list[int]] = {}
    for index, tag in enumerate(tags):
        found = groups.get(tag)
        if found is None:
            groups[tag] = [index]
        else:
            found.append(index)
    out: dict[str, Any] = {}
    extra: list[tuple[int, str, str]] = []
    sequential: list[int] = []
    relations: list[int] = []
    later: dict[str, list[int]] = {}
    for tag, indexes in groups.items():
        kind, attribute, parse = kinds.get(tag, _EXTRA)
        if kind == SCALAR:
            out[attribute] = values[indexes[0]]
            for more in indexes[1:]:
                extra.append((more, tag, values[more]))
        elif kind == SEQUENTIAL:
            sequential.extend(indexes)
        elif kind == LIST:
            out[attribute] = tuple([values[i] for i in indexes])
        elif kind == PARSED:
            assert parse is not None
            out[attribute] = tuple([parse(values[i]) for i in indexes])
        elif kind == RELATION:
            relations.extend(indexes)
        elif kind == EXTRA:
            extra.extend([(i, tag, values[i]) for i in indexes])
        else:
            later[tag] = indexes
    sequential.sort()
    relations.sort()
    return out, extra, sequential, relations, later
