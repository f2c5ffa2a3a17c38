"""Text of elements as PubMed's MEDLINE text shows it: whitespace normalised, markup flattened.

PubMed's MEDLINE values are single lines with single spaces (FORMAT.md §3.3); the XML may wrap long
values and indent them.  Runs of XML whitespace (space, tab, line feed, carriage return) become one
space and the ends are trimmed.  Other spaces (no-break, thin) are characters of the text and stay.
"""

from __future__ import annotations

import re
from typing import Any

from .markup import flatten

__all__ = ["normalise", "text_of"]

_RUNS = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")


def _tidy(text: str) -> bool:
    """Whether *text* is already normalised (the usual case): a few C-level scans decide.
    ``isprintable`` is false for every line break and tab (and for some characters that need no
    change, which then take the slow path for nothing)."""
    return (
        text.isprintable()
        and "  " not in text
        and (not text or (text[0] != " " and text[-1] != " "))
    )


def normalise(text: str) -> str:
    """*text* with each run of XML whitespace made one space, trimmed."""
    if _tidy(text):
        return text
    return _RUNS.sub(" ", text).strip(" ")


def text_of(element: Any) -> str:
    """The normalised text of *element*, inline markup included (see :mod:`.markup`)."""
    if len(element):
        return normalise(flatten(element))
    text: str | None = element.text
    if text is None:
        return ""
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text  # the usual case, decided by a few C-level scans (see _tidy)
    return _RUNS.sub(" ", text).strip(" ")
