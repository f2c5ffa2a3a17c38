"""A record's fields laid out as MEDLINE lines: the pure-Python kernel, and the specification of
``_lines_c.pyx``, its compiled twin (same function, same text).

Each field is its tag prefix (``f"{tag:<4}- "``) and its value, wrapped by
:func:`~medline_parse.medline.wrap.wrap_value` when it is longer than the style's width, each line
ending in *newline*.  Most values fit on one line: they are written as they are, with no wrap.  A
value holding a line break cannot be written at all; the kernel then gives ``None`` and the writer
says which field it was.
"""

from __future__ import annotations

from .wrap import WIDTHS, wrap_value

__all__ = ["field_text"]

_INDENT = "      "


def field_text(
    fields: list[tuple[str, str]], style: str, newline: str, prefixes: dict[str, str]
) -> str | None:
    """The lines of *fields* in *style*, or ``None`` when a value holds ``\\n`` or ``\\r``.

    *prefixes* maps a tag to its prefix (a tag it does not hold gets ``f"{tag:<4}- "``); *style*
    is a known style (:data:`~medline_parse.medline.wrap.STYLES`).
    """
    width = WIDTHS[style]
    continuation = newline + _INDENT
    out: list[str] = []
    for tag, value in fields:
        if "\n" in value or "\r" in value:
            return None
        prefix = prefixes.get(tag) or f"{tag:<4}- "
        if len(value) <= width:
            out.append(prefix + value + newline)
        else:
            out.append(prefix + continuation.join(wrap_value(value, style)) + newline)
    return "".join(out)
