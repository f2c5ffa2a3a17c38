"""Line wrapping of field values, exactly as PubMed lays them out (FORMAT.md §3).

A field is written as a first line ``f"{tag:<4}- " + parts[0]`` followed by continuation lines
``"      " + part``.  :func:`wrap_value` computes the parts, :func:`join_value` is the parser's
inverse and :func:`field_styles` tells which styles reproduce a field read from a file.

Styles:

``"pubmed"``
    Modern rule (§3.3), PubMed web export and efetch since May 2022: greedy word wrap on ASCII
    space only, at most 81 value characters per line (87 columns), counted in code points.  Every
    wrapped line keeps exactly one trailing space; the last line never has one.  A word longer than
    the width stands alone on its line (still with its trailing space if it is not the last) and
    is never split.
``"pubmed-2020"``
    The same rule at 84 value characters (90 columns), PubMed output from mid-2020 to early 2022.
``"legacy"``
    Rule of §3.2 (web export before 2020, efetch before 2022), ``W = 81``.  With ``rest`` the part
    of the value not yet emitted: if ``rest[W-1]`` is a space, emit ``rest[:W]`` (it keeps its
    trailing space); elif ``rest[W]`` is a space, emit ``rest[:W]`` and drop that space; else cut
    before the last space of ``rest[:W]`` and drop it.  This is the modern greedy wrap except that
    the break space is kept only when it is the 81st character, so legacy lines carry a trailing
    space only when they are exactly 81 value characters long.  When ``rest[:W+1]`` has no break
    point (a word longer than 81 characters, never met in real files), the word is put alone on its
    line and the space after it is dropped, like any other legacy break that is not a full line.

Joining rule (the parser's): ``value = parts[0].rstrip(" ")`` then, for each next part ``p``,
``value += " " + p.rstrip(" ")``.  Each break therefore stands for exactly one space of the value.

Space runs.  PubMed values are whitespace-normalised, but to stay lossless on any value a break is
always placed on the *first* space of a run of spaces; the rest of the run starts the next part.
This is the "7-space continuation" layout of FORMAT.md §8, and it is what the legacy rule produces
by itself when its break falls on the first space of a double space (``rest[W-1]`` and ``rest[W]``
both spaces).  Where a style's rule would break inside or at the end of a run (which would lose
spaces under the joining rule) the break moves back to the start of the run; a moved legacy break
drops its space, as legacy breaks shorter than a full line do.  A run that starts the remaining text
(a continuation beginning with spaces) is never a break point.

Unrepresentable values.  Trailing spaces at the end of a value cannot survive the joining rule, and
a value holding ``\\n`` or ``\\r`` cannot be written on lines at all (see :func:`can_represent`).
:func:`wrap_value` still loses no character: the value without its trailing spaces is wrapped and
the trailing spaces are appended to the last part, where a parser will strip them.  Line breaks
inside a value are not interpreted.

For every value ``v`` with ``can_represent(v)`` and every style, ``join_value(wrap_value(v, style))
== v``; for other values without line breaks it gives ``v.rstrip(" ")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .tags import TAGS

__all__ = [
    "STYLES",
    "WIDTHS",
    "can_represent",
    "field_styles",
    "format_field",
    "join_value",
    "wrap_value",
]

STYLES: tuple[str, ...] = ("pubmed", "pubmed-2020", "legacy")
"""The wrap styles, newest first."""

WIDTHS: dict[str, int] = {"pubmed": 81, "pubmed-2020": 84, "legacy": 81}
"""Maximum number of value characters per line (trailing space excluded), by style."""

_INDENT = "      "
_PREFIXES: dict[str, str] = {tag: f"{tag:<4}- " for tag in TAGS}  # a tag line's first 6 characters
_NARROWEST = min(WIDTHS.values())


def _run_start(text: str, index: int, start: int = 0) -> int:
    """Index of the first space of the run of spaces that contains ``text[index]`` (not before
    *start*)."""
    while index > start and text[index - 1] == " ":
        index -= 1
    return index


def _last_break(text: str, start: int, limit: int) -> int:
    """Last valid break point of ``text[start:]`` at or before ``start + limit``, or -1.

    A valid break point is a space after ``start`` whose predecessor is not a space: the first
    space of a run that does not start the rest of the text.
    """
    index = text.rfind(" ", start, start + limit + 1)
    if index < 0:
        return -1
    index = _run_start(text, index, start)
    return index if index > start else -1


def _first_break(text: str, start: int) -> int:
    """First valid break point of ``text[start:]`` (see :func:`_last_break`), or -1."""
    index = text.find(" ", start + 1)
    while index > start:
        if text[index - 1] != " ":
            return index
        index = text.find(" ", index + 1)
    return -1


def _wrap(core: str, width: int, always_keep: bool) -> list[str]:
    """Greedy wrap of ``core`` (no trailing spaces) on its last valid break point in reach.

    Modern styles keep every break space as the line's trailing space.  Legacy keeps it only on a
    full line (break at index ``width - 1``), which is exactly the three cases of §3.2: a space at
    ``rest[W-1]`` is the last break in reach unless ``rest[W]`` is one too, and then the run starts
    at ``W-1``; a space at ``rest[W]`` is dropped; otherwise the last space before is dropped.

    The rest of the value is an offset into it, not a copy: copying it line after line took time
    quadratic in the value's length (minutes for a value of megabytes).
    """
    parts: list[str] = []
    start = 0
    while len(core) - start > width:
        brk = _last_break(core, start, width)
        if brk < 0:  # a word longer than the width stands alone on its line
            brk = _first_break(core, start)
            if brk < 0:
                break
        keep = always_keep or brk - start == width - 1
        parts.append(core[start : brk + 1] if keep else core[start:brk])
        start = brk + 1
    parts.append(core[start:])
    return parts


def wrap_value(value: str, style: str) -> list[str]:
    """Split one field's value into the value parts of its physical lines, as PubMed does.

    Each part is the text after the 6-character prefix, without line ending, with the trailing
    space the style keeps on wrapped lines.  An empty value gives ``[""]``.  Raises
    :class:`ValueError` for an unknown style.  See the module docstring for space runs and for
    values that cannot be represented.
    """
    try:
        width = WIDTHS[style]
    except KeyError:
        raise ValueError(f"unknown wrap style {style!r}; expected one of {STYLES}") from None
    if len(value) <= width:
        return [value]  # one line (trailing spaces included: a parser strips them)
    core = value.rstrip(" ")
    parts = _wrap(core, width, always_keep=style != "legacy")
    # Only tabs can make a part blank (a break never leaves a part of spaces alone).
    if len(parts) > 1 and "\t" in core and any(not part.strip(" \t") for part in parts[1:]):
        # A part of only spaces and tabs would be a blank line, which ends the record: keep it
        # on the line before instead (a little over the width, nothing lost).
        merged = [parts[0]]
        for part in parts[1:]:
            if part.strip(" \t"):
                merged.append(part)
            else:
                merged[-1] = merged[-1].rstrip(" ") + " " + part
        parts = merged
    if len(core) != len(value):
        parts[-1] += value[len(core) :]
    return parts


def join_value(parts: Iterable[str]) -> str:
    """Join the value parts of a field's lines into its logical value (the parser's rule).

    ``parts[0].rstrip(" ")``, then ``" " + p.rstrip(" ")`` for each following part ``p``; leading
    spaces of a part are kept.  No parts give ``""``.
    """
    return " ".join(part.rstrip(" ") for part in parts)


def can_represent(value: str) -> bool:
    """Whether ``value`` survives writing and reading back with every style.

    False for values ending in a space (the joining rule strips them) or holding ``\\n``/``\\r``.
    """
    return not value.endswith(" ") and "\n" not in value and "\r" not in value


def format_field(tag: str, value: str, style: str, newline: str = "\n") -> str:
    """The text of one field: tag line and continuation lines, each ending in ``newline``."""
    prefix = _PREFIXES.get(tag) or f"{tag:<4}- "
    if len(value) <= _NARROWEST:  # one line in every style
        if style not in WIDTHS:
            raise ValueError(f"unknown wrap style {style!r}; expected one of {STYLES}")
        return prefix + value + newline
    return prefix + (newline + _INDENT).join(wrap_value(value, style)) + newline


def field_styles(
    raw_lines: Sequence[str], value: str, *, ignore_trailing_spaces: bool = False
) -> frozenset[str]:
    """The styles whose layout of ``value`` reproduces ``raw_lines`` exactly (with
    *ignore_trailing_spaces*, but for the spaces at the ends of lines, which editors and git
    hooks strip).

    ``raw_lines`` are the physical lines of one field without line endings, the first one starting
    with the tag prefix (its first 6 characters are not compared).  An empty set means the field
    was not laid out by PubMed in any known style (re-wrapped, trimmed or edited text).
    """
    if not raw_lines or any(line[:6] != _INDENT for line in raw_lines[1:]):
        return frozenset()
    found = [raw_lines[0][6:], *(line[6:] for line in raw_lines[1:])]
    if ignore_trailing_spaces:
        found = [line.rstrip(" ") for line in found]
        return frozenset(
            style
            for style in STYLES
            if [line.rstrip(" ") for line in wrap_value(value, style)] == found
        )
    return frozenset(style for style in STYLES if wrap_value(value, style) == found)
