"""Text of elements as PubMed's MEDLINE text shows it: whitespace normalised.

PubMed's MEDLINE values are single lines with single spaces (FORMAT.md §3.3); the XML may wrap long
values and indent them.  Runs of XML whitespace (space, tab, line feed, carriage return) become one
space and the ends are trimmed.  Other spaces (no-break, thin) are characters of the text and stay.
An element's text, markup flattened, is :func:`._walk.text_of`.
"""

from __future__ import annotations

import re

__all__ = ["normalise"]

_RUNS = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]")


def _tidy(text: str) -> bool:
    """Whether *text* is already normalised (the usual case): four substring scans decide
    (``in`` is a vectorised memchr in C; ``isprintable`` looked every character up in the Unicode
    tables and cost more than the rest of the text handling)."""
    return (
        "\n" not in text
        and "  " not in text
        and "\t" not in text
        and "\r" not in text
        and (not text or (text[0] != " " and text[-1] != " "))
    )


def normalise(text: str) -> str:
    """*text* with each run of XML whitespace made one space, trimmed."""
    if _tidy(text):
        return text
    return _RUNS.sub(" ", text).strip(" ")
