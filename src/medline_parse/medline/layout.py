"""The layout of a MEDLINE file: its wrapping style, line ending and leading empty line.

``medline fmt`` and ``medline convert --to medline`` keep each input's own layout unless told
otherwise, so a file PubMed wrote comes back byte for byte.  The style is the one that reproduces
the most records of the text but for the spaces at the ends of lines, which an editor or a git hook
may have stripped (:func:`~medline_parse.medline.writer.possible_styles`); ties go to the one that
reproduces the most records exactly, then to the newer style.  The line ending is that of the
first line.
"""

from __future__ import annotations

from collections import Counter

import attrs

from ..sources import split_text_lines
from .tokenizer import tokenize_blocks
from .wrap import STYLES
from .writer import possible_styles

__all__ = ["Layout", "detect_layout"]


@attrs.frozen
class Layout:
    """How a MEDLINE text is laid out."""

    style: str | None = None
    """The wrapping style that reproduces the most records (see the module); ``None`` when none
    does."""
    newline: str = "\n"
    """The line ending of the first line (``"\\n"`` when the text has none)."""
    leading_blank_line: bool = False
    """Whether the text starts with an empty line (legacy exports and efetch output do)."""


def _newline(text: str) -> str:
    for line in split_text_lines(text.lstrip("\r\n") or text):
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith("\r"):
            return "\r"
        return "\n"
    return "\n"


def detect_layout(text: str, *, complete: bool = True) -> Layout:
    """The layout of the MEDLINE *text*; with ``complete=False`` (the head of a longer input, cut
    anywhere) its last record is left out of the vote on the style."""
    text = text.removeprefix("\ufeff")
    records = [record for record in tokenize_blocks([text]) if record.has_fields]
    if not complete and len(records) > 1:
        records = records[:-1]
    # Where the lines wrap says the style; the spaces PubMed leaves at their ends may have been
    # stripped (an editor, a git hook), so they only break ties, and then the order of STYLES.
    loose: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    for record in records:
        exact.update(possible_styles(record))
        loose.update(possible_styles(record, ignore_trailing_spaces=True))
    style = None
    if loose:
        style = max(STYLES, key=lambda name: (loose[name], exact[name], -STYLES.index(name)))
    return Layout(style, _newline(text), text[:1] in ("\n", "\r"))
