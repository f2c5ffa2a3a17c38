"""Cutting one record's text into fields: the pure-Python kernel, and the specification of
``_cut_c.pyx``, its compiled twin (same functions, same arguments, same results).

The tokenizer hands a kernel the text of one record in PubMed's layout (tag lines, continuation
lines indented by six spaces, no blank line inside) and gets back the fields' tags and values; the
line numbers and the raw text of each field are cut only when someone asks for them.  A kernel
answers ``None`` for a record it does not take: the tokenizer then reads that record line by line,
which understands every irregularity and reports it.  The two kernels may decline different
records (each takes a subset of the records whose reading is plain); where both take a record, they
give the same fields (``tests/test_kernels.py``).

Around the cutting: :func:`block_spans` says where each record of a decoded block ends, how many
line feeds it holds and whether it holds a character the fast path leaves to the line path;
:func:`plain_record` says whether a cut record needs a record-level diagnostic (the tokenizer's
full check then runs), and records its PMID in the duplicate bitmap when not.

This one works with whole-string operations, which CPython runs in C: a few substring searches
(chosen to end in a rare character, which CPython searches fastest) decide whether the record is
regular; ``str.replace`` joins the continuation lines and ``str.split`` cuts the fields.  The
compiled kernel walks the characters once instead.

Arguments shared by the kernels:

* *text*, *end*: the record is ``text[:end]``, its last line without its line ending;
* *nl*: the input's line ending, ``"\\n"`` or ``"\\r\\n"`` (a lone ``"\\r"`` never reaches a kernel);
* *known*: :data:`KNOWN_HEADS`, a known tag line's first six characters -> the tag;
* *collapsed*: a predicate on a line that starts with a record-starting tag (PMID, PMC, OWN) and
  is longer than 46 characters: whether the line is a whole record collapsed onto one line (the
  tokenizer's line path splits those).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from itertools import accumulate, compress
from operator import itemgetter, methodcaller
from typing import Any, Final

from .collapsed import RECORD_START
from .tags import TAGS

__all__ = [
    "CHECK",
    "DUPLICATE",
    "KNOWN_HEADS",
    "PLAIN",
    "block_spans",
    "cut_record",
    "field_lines",
    "field_raws",
    "has_odd_character",
    "make_fields",
    "plain_record",
    "record_spans",
]

KNOWN_HEADS: Final[dict[str, str]] = {f"{tag:<4}- ": tag for tag in TAGS}
"""A known tag line's first six characters (the tag padded to four columns, then ``"- "``) -> the
tag."""

_INDENT: Final = "      "
_MARK: Final = "\x00"  # stands for a continuation break (control characters never reach a kernel)
_CUT: Final = "\x01"  # marks where a field's raw text starts
_HEAD6: Final = itemgetter(slice(0, 6))
_TAIL: Final = itemgetter(slice(6, None))
_COUNT_MARKS: Final = methodcaller("count", _MARK)
_COUNT_LINES: Final = methodcaller("count", "\n")
_PLUS_ONE: Final = (1).__add__
_RECORD_START_TAGS: Final = frozenset(RECORD_START)


def _join_marked(value: str) -> str:
    """*value* with each continuation break (_MARK) and the spaces before it made one space.

    (Not a regular expression such as ``" *\x00"``: on a long run of spaces that no break
    follows, it would start a match at each space, quadratic time.)"""
    pieces = value.split(_MARK)
    last = pieces.pop()
    return " ".join([piece.rstrip(" ") for piece in pieces] + [last])


class _Patterns:
    """The searches of :func:`cut_record` for one line ending."""

    __slots__ = (
        "bad_line",
        "blank_line",
        "cont",
        "dash_nl",
        "empty_then_cont",
        "first",
        "nl_pmid",
        "nl_pmid_head",
        "space_nl",
        "spaces_cont",
        "spaces_nl",
    )

    def __init__(self, nl: str) -> None:
        self.cont = nl + _INDENT  # a line break followed by a continuation's indent
        self.nl_pmid = nl + "PMID- "
        tag = r"[A-Z][A-Z0-9](?:[A-Z0-9]{2}|[A-Z0-9] |  )- "
        # A record in PubMed's layout: tag lines whose value starts with a non-space character
        # (or is empty), continuation lines indented by six spaces or more.
        self.first = re.compile(rf"{tag}(?:[^ \r\n]|{nl})")
        self.bad_line = re.compile(rf"{nl}(?!{tag}(?:[^ \r\n]|{nl})| {{6,}}[^ \r\n])")
        self.empty_then_cont = "- " + nl + _INDENT
        self.blank_line = re.compile(rf"{nl}[ \t]*{nl}")
        self.space_nl = " " + nl
        self.spaces_nl = "  " + nl
        self.spaces_cont = "  " + self.cont
        self.dash_nl = "-" + nl
        self.nl_pmid_head = nl + "PMID"


_PATTERNS: Final = {"\n": _Patterns("\n"), "\r\n": _Patterns("\r\n")}
# Where a record may end: a run of blank lines (record_spans checks that the line after it is not
# indented).  No lookahead here: a pattern that ends in one would rescan a long run of blank lines
# from each of its lines, quadratic time.
_BLANK_RUN: Final = {nl: re.compile(rf"{nl}(?:[ \t]*{nl})+") for nl in ("\n", "\r\n")}


def record_spans(text: str, nl: str) -> list[int]:
    """Where the records of a block end: for each run of blank (or whitespace-only) lines followed
    by a line that is not indented, three numbers: where the run starts (the line break ending the
    record's last line), where it ends (the next record's first character), and how many line
    feeds the text from the previous end (or 0) to this end holds, or -1 when *nl* is
    ``"\r\n"`` and one of them is a line feed without its carriage return."""
    out: list[int] = []
    start = 0
    size = len(text)
    crlf = nl == "\r\n"
    for match in _BLANK_RUN[nl].finditer(text):
        end = match.end()
        if end == size or text[end] in " \t\r\n":
            continue  # an indented line (or the end of the text) follows: no record ends here
        lines = text.count("\n", start, end)
        if crlf and lines != text.count("\r\n", start, end):
            lines = -1
        out += (match.start(), end, lines)
        start = end
    return out


def block_spans(text: str, nl: str) -> list[int]:
    """:func:`record_spans` and, for each record, whether its text (from the previous end, or 0,
    to its end) holds an odd character (:func:`has_odd_character`): four numbers per record, the
    fourth 1 or 0.  The compiled kernel finds all of it in one pass over the characters."""
    spans = record_spans(text, nl)
    out: list[int] = []
    odd = has_odd_character(text)
    start = 0
    for index in range(0, len(spans), 3):
        end = spans[index + 1]
        out += (
            spans[index],
            end,
            spans[index + 2],
            int(odd and has_odd_character(text[start:end])),
        )
        start = end
    return out


def cut_record(
    text: str,
    end: int,
    nl: str,
    known: Mapping[str, str],
    collapsed: Callable[[str], bool] | None,
) -> tuple[list[str], list[str]] | None:
    """The tags and values of the record ``text[:end]``, or ``None`` when it is not in PubMed's
    layout.  A value is its lines joined by one space, trailing spaces dropped."""
    if end != len(text):
        text = text[:end]
    fast = _PATTERNS[nl]
    cont = fast.cont
    checked = marked = False
    # What can go wrong at a line break: several spaces before a break, a tag line cut short
    # ("AB  -") or a word wrapped after its hyphen, a PMID line, a whitespace-only line.
    careful = (
        text.endswith(" ")
        or fast.spaces_nl in text
        or fast.dash_nl in text
        or fast.nl_pmid_head in text
        or fast.blank_line.search(text) is not None
    )
    if careful:  # the full pattern decides (a few records in a hundred)
        if (
            fast.nl_pmid in text  # two records run together
            or fast.empty_then_cont in text
            or fast.blank_line.search(text) is not None  # a whitespace-only line inside
            or fast.first.match(text) is None
            or fast.bad_line.search(text) is not None
        ):
            return None
        checked = True
        marked = fast.spaces_cont in text
    if marked:  # several spaces before a line break: drop them all
        joined = text.replace(cont, _MARK)
        parts = joined.split(nl)
        values = [part[6:] if _MARK not in part else _join_marked(part[6:]) for part in parts]
    else:
        # A continuation joins its line with one space; the one space PubMed's older layout
        # leaves at the end of a wrapped line is that space.
        joined = text.replace(" " + cont, " ").replace(cont, " ")
        parts = joined.split(nl)
        values = list(map(_TAIL, parts))
    found: list[str | None] = list(map(known.get, map(_HEAD6, parts)))
    if None in found:
        if not checked and (
            fast.first.match(text) is None or fast.bad_line.search(text) is not None
        ):
            return None
        tags = [tag or part[:4].rstrip(" ") for tag, part in zip(found, parts)]
    else:
        tags = found  # type: ignore[assignment]
    if collapsed is not None:
        for part in compress(parts, map(_RECORD_START_TAGS.__contains__, found)):
            if len(part) > 46 and collapsed(part.replace(_MARK, " ")):
                return None
    if joined.endswith(" ") or fast.space_nl in joined:  # a trailing space, not before a break
        values = [v.rstrip(" ") if v.endswith(" ") else v for v in values]
    return tags, values


def field_lines(text: str, end: int, nl: str, first: int) -> list[int]:
    """The line number of each field of a record that :func:`cut_record` took, the record's first
    line being number *first*."""
    marked = text[:end].replace(_PATTERNS[nl].cont, _MARK)
    parts = marked.split(nl)
    if _MARK not in marked:  # no continuation line: one line per field
        return list(range(first, first + len(parts)))
    counts = map(_COUNT_MARKS, parts)
    return list(accumulate(map(_PLUS_ONE, counts), initial=first))[:-1]


def field_raws(text: str, end: int, nl: str) -> list[str]:
    """The exact text of each field of a record that :func:`cut_record` took: its lines, each with
    its line ending (the last field's too)."""
    cont = _PATTERNS[nl].cont
    body = text[:end] + nl
    return body.replace(cont, _MARK).replace(nl, nl + _CUT).replace(_MARK, cont).split(_CUT)[:-1]


def make_fields(
    field_type: type[tuple[Any, ...]],
    text: str,
    end: int,
    nl: str,
    first: int,
    tags: list[str],
    values: list[str],
) -> tuple[Any, ...]:
    """The fields of a record that :func:`cut_record` took, as *field_type* tuples ``(tag, value,
    line number, raw text)``: :func:`field_raws`, and the line numbers counted from them."""
    raws = field_raws(text, end, nl)
    lines = accumulate(map(_COUNT_LINES, raws), initial=first)  # each raw text ends its lines
    return tuple(map(partial(tuple.__new__, field_type), zip(tags, values, lines, raws)))


PMID_BITS_LIMIT: Final = 1 << 27
"""The tokenizer's duplicate check keeps PMIDs below this in a bitmap (one bit each)."""


PLAIN: Final = 0
"""What :func:`plain_record` answers for a record that needs no record-level diagnostic."""
DUPLICATE: Final = 1
"""... for a record whose one record-level diagnostic is its first field's PMID, seen before."""
CHECK: Final = 2
"""... for any other record: the tokenizer's full check decides."""


def plain_record(
    tags: list[str], values: list[str], single: frozenset[str] | set[str], bits: bytearray
) -> int:
    """Which record-level diagnostics a record needs, the question the tokenizer asks of every
    record before working out the diagnostics: :data:`PLAIN` (none) when no tag of *single* (those
    that appear once per record) repeats and its first PMID is a plain number (ASCII digits, no
    leading zero, below :data:`PMID_BITS_LIMIT`) whose bit in the bitmap *bits* is within it and not
    set yet, the bit then being set; :data:`DUPLICATE` when all that holds but the bit was set and
    the PMID is the first field; :data:`CHECK` otherwise, *bits* left as it was (the tokenizer's
    full check then reports, and records the PMID).
    """
    singles = list(filter(single.__contains__, tags))
    if len(singles) != len(set(singles)) or "PMID" not in tags:
        return CHECK
    at = tags.index("PMID")
    pmid = values[at]
    if not (0 < len(pmid) < 11 and pmid.isascii() and pmid.isdigit() and pmid[0] != "0"):
        return CHECK
    number = int(pmid)
    byte, bit = number >> 3, 1 << (number & 7)
    if number >= PMID_BITS_LIMIT or byte >= len(bits):
        return CHECK
    if bits[byte] & bit:
        return DUPLICATE if at == 0 else CHECK
    bits[byte] |= bit
    return PLAIN


# Every byte but those of control characters: what is left after deleting them is a control character.
_CLEAN_BYTES: Final = bytes(b for b in range(256) if b in (9, 10, 13) or 0x20 <= b != 0x7F)


_SURROGATE_BYTES: Final = re.compile(rb"\xed[\xa0-\xbf]")


def has_odd_character(text: str) -> bool:
    """Whether *text* holds a control character (other than tab, line feed and carriage return), a
    byte-order mark or a lone surrogate, which the tokenizer's fast path leaves to the line path.
    A pass or two in C for a whole block: encode, then delete every byte that is not a control
    character; a surrogate encodes as ED A0..BF xx (ED 80..9F xx is Hangul)."""
    if "\ufeff" in text:
        return True
    encoded = text.encode("utf-8", "surrogatepass")
    if encoded.translate(None, _CLEAN_BYTES):
        return True
    return b"\xed" in encoded and _SURROGATE_BYTES.search(encoded) is not None
