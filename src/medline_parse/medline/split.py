"""Cutting MEDLINE text into byte ranges at record boundaries, so that the parts of one large file
can be parsed apart (by Dask workers, say) and give exactly the records of the whole file.

Strategy.  A *boundary* is a byte offset where a record starts and where the tokenizer is in the
same state whether it read the file from its start or starts afresh there:

- the bytes at the offset are ``PMID- `` at the start of a line;
- the line before is empty (``\\n\\n``, ``\\r\\r`` or ``\\r\\n\\r\\n`` just before the offset);
- the line before that is a tag line the tokenizer reads as one (``SO  - ...``), or continuation
  lines (six spaces, then text) under such a tag line, all within :data:`LOOKBACK` bytes.

The record before then has a field open and nothing pending, the empty line closes it, and the
PMID line starts the next record as it would start the first record of a file.  So nothing read
before a boundary changes how the text after it is read, except two things a caller puts right:
line numbers (shift them by :func:`count_line_breaks` of the text before) and the duplicate-PMID
check, which then sees one part at a time.  Anything irregular (junk lines, two empty lines in a
row, a byte-order mark) is simply not a boundary, and a part grows to the next one.

Whether an offset is a boundary depends only on the :data:`LOOKBACK` bytes before it and the six
at it, never on where a search started, so :func:`next_boundary` gives the same answer to the part
that ends at a nominal offset and to the part that starts there: every record lands in exactly
one part, whatever the nominal offsets.  Decoding is line by line (``sources.py``), so bytes cut at
line breaks decode as they would in the whole file; an encoding whose line breaks are not the
ASCII bytes (UTF-16) must not be split (:func:`splittable_encoding`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from .tags import is_tag_name

__all__ = [
    "LOOKBACK",
    "count_line_breaks",
    "is_boundary",
    "next_boundary",
    "splittable_encoding",
]

LOOKBACK = 1 << 16
"""How far before a candidate offset the lines that make it a boundary may start (64 KiB)."""

_SCAN = 1 << 20
_COUNT = 1 << 22
_MARK = b"PMID- "
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)")
_EMPTY_BEFORE = (b"\n\n", b"\r\r")
_CONTINUATION_END = frozenset(b" \t\r\n")

ReadRange = Callable[[int, int], bytes]
"""``read(start, end)``: the bytes of the file from *start* up to *end* (fewer at its end)."""


def _is_tag_line(line: bytes) -> bool:
    if line[4:6] != b"- " or line[:1] == b" ":
        return False
    try:
        name = line[:4].decode("ascii")
    except UnicodeDecodeError:
        return False
    return is_tag_name(name.rstrip(" "))


def _is_continuation(line: bytes) -> bool:
    return line[:6] == b"      " and len(line) > 6 and line[6] not in _CONTINUATION_END


def is_boundary(before: bytes, *, from_start: bool) -> bool:
    """Whether a record boundary follows *before*, the (at most :data:`LOOKBACK`) bytes before an
    offset where ``PMID- `` stands; *from_start* says *before* begins at the file's first byte
    (otherwise its first line may be cut and is not looked at)."""
    if not (before.endswith(_EMPTY_BEFORE) or before.endswith(b"\r\n\r\n")):
        return False
    lines = _LINE.findall(before)
    first = 0 if from_start else 1
    index = len(lines) - 2  # the line before the empty one
    while index >= first:
        line = lines[index]
        if _is_tag_line(line):
            return True
        if not _is_continuation(line):
            return False
        index -= 1
    return False


def next_boundary(read: ReadRange, size: int, offset: int) -> int:
    """The first record boundary at or after *offset* in a file of *size* bytes (0 for an offset
    of 0 or less, *size* when there is none)."""
    if offset <= 0:
        return 0
    position = offset
    while position < size:
        low = max(0, position - LOOKBACK)
        high = min(size, position + _SCAN)
        data = read(low, high)
        at = position - low
        while True:
            at = data.find(_MARK, at)
            if at < 0:
                break
            start = max(0, low + at - LOOKBACK)
            if is_boundary(data[start - low : at], from_start=start == 0):
                return low + at
            at += 1
        if high >= size or len(data) < high - low:
            break
        position = high - len(_MARK) + 1  # a mark cut at the end of this window
    return size


def count_line_breaks(read: ReadRange, start: int, end: int) -> int:
    """How many lines end between *start* and *end* (``\\n``, ``\\r\\n`` and ``\\r`` each end
    one, as for the tokenizer); *start* must not fall between the two bytes of a ``\\r\\n``."""
    count = 0
    carried_cr = False
    position = start
    while position < end:
        chunk = read(position, min(end, position + _COUNT))
        if not chunk:
            break
        count += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
        if carried_cr and chunk[:1] == b"\n":
            count -= 1
        carried_cr = chunk[-1:] == b"\r"
        position += len(chunk)
    return count


def splittable_encoding(encoding: str | None) -> bool:
    """Whether text in *encoding* (``None``: the reader's UTF-8 with its fallback) may be cut at
    the bytes of ASCII line breaks: UTF-8, ASCII and the single-byte ISO 8859 and Windows code
    pages; not UTF-16 or -32, not stateful or multi-byte East Asian codecs."""
    if encoding is None:
        return True
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in ("utf-8", "utf-8-sig", "ascii") or name.startswith(("iso8859-", "cp125"))
