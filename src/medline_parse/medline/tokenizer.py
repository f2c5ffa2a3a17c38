"""The sans-IO tokenizer: lines in, records out.

:class:`Tokenizer` is a small state machine in the style of h11: it never opens a file.  Feed it the
input's lines one at a time, each with its line ending (``"TI  - A title\\r\\n"``); every call returns
the records that line completed, and :meth:`Tokenizer.close` returns the last one.  Every character
fed ends up in exactly one record's :attr:`~medline_parse.records.Record.source`, in order, so
joining the sources gives back the input.

What it understands (``FORMAT.md`` §3, §8, §9):

* fields: a tag padded to four columns, ``"- "``, the value; continuation lines indented by six
  spaces (or more: the extra spaces belong to the value);
* records separated by one or more blank or whitespace-only lines, leading blank lines, a ``PMID-``
  line inside a record (two exports run together), records indented as a block, sloppy hand-edited
  tag lines (``PMID-123``, ``TI-``), stray lines that are neither field nor continuation, byte-order
  marks, and whole records collapsed onto one line.

Anything irregular becomes a :class:`~medline_parse.errors.Diagnostic` on the record concerned; with
``strict=True`` the first one raises :class:`~medline_parse.errors.ParseError` instead.
"""

from __future__ import annotations

import hashlib
import operator
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final

from ..errors import Diagnostic, ParseError, Severity
from ..model.construction import direct_constructor
from ..model.pmid import invalid_pmid_message, is_valid_pmid
from ..sources import MAX_LINE_LENGTH, Block, LinePiece, SourceError, split_text_lines
from ._cut import DUPLICATE, KNOWN_HEADS, PLAIN, PMID_BITS_LIMIT
from .collapsed import split_collapsed
from .records import Field, LazyFields, Record
from .tags import TAGS, is_tag_name

try:  # the compiled kernels, when the extension was built (medline_parse.COMPILED)
    from ._cut_c import block_spans as _block_spans
    from ._cut_c import cut_record as _cut_record
    from ._cut_c import field_lines as _field_lines
    from ._cut_c import has_odd_character as _has_odd_character
    from ._cut_c import make_fields as _make_fields
    from ._cut_c import plain_record as _plain_record
except ImportError:  # pragma: no cover - the pure-Python build
    from ._cut import block_spans as _block_spans
    from ._cut import cut_record as _cut_record
    from ._cut import field_lines as _field_lines
    from ._cut import has_odd_character as _has_odd_character
    from ._cut import make_fields as _make_fields
    from ._cut import plain_record as _plain_record

__all__ = ["Tokenizer", "tokenize_blocks", "tokenize_lines"]

_KNOWN_PREFIX: Final[dict[str, str]] = {f"{tag:<4}": tag for tag in TAGS}
# Hand-edited tag lines: "PMID-123", "TI  -value", "TI-", "SO- text".  Only known tags qualify.
_SLOPPY: Final = re.compile(r"([A-Z][A-Z0-9]{1,3})( {0,3})-(.*)\Z", re.DOTALL)
_COLLAPSE_HINT: Final = re.compile(r" [A-Z][A-Z0-9]{1,3} ?- ")
_CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL: Final = re.compile(f"[{_CONTROL_CHARACTERS}]")
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_WS: Final = " \t"
_SINGLE: Final = frozenset(tag for tag, info in TAGS.items() if not info.repeatable)
_PMC_HEADER: Final = frozenset({"PMC"})


class _Fast:
    """The line ending of a block (finding where records end, and cutting them, are kernels' jobs:
    ``_cut.py``)."""

    __slots__ = ("nl",)

    def __init__(self, nl: str) -> None:
        self.nl = nl


_FAST: Final = {"\n": _Fast("\n"), "\r\n": _Fast("\r\n")}
# The most text feed_text holds back waiting for a record's end (real records are a few KB).
_MAX_HELD: Final = 1 << 22
# Characters the fast path leaves to the line-by-line state machine (control characters, BOMs).
_ODD_CHARACTER: Final = re.compile(f"[{_CONTROL_CHARACTERS}\ufeff\\ud800-\\udfff]")
_LAZY_MARK: Final[list[Field]] = [Field("", "", 0, "")]  # stands for a fast-path record's fields
_KNOWN_HEAD: Final = KNOWN_HEADS
# Record(fields, source, line, diagnostics, path, lazy) without attrs' __init__ (Record has no
# converter or validator to skip)
_new_record: Final[Callable[..., Record]] = direct_constructor(Record)
_new_diagnostic: Final[Callable[..., Diagnostic]] = direct_constructor(Diagnostic)


class _KernelFields(LazyFields):
    """The fields of a record the fast path took: its tags and values, and what the kernels need to
    cut its line numbers and raw text when someone asks for them."""

    __slots__ = ("_end", "_first", "_nl", "_text")

    def __init__(
        self, tags: list[str], values: list[str], text: str, end: int, nl: str, first: int
    ) -> None:
        self.tags = tags
        self.values = values
        self._text = text
        self._end = end
        self._nl = nl
        self._first = first

    def fields(self) -> tuple[Field, ...]:
        """Build the fields."""
        return _make_fields(
            Field, self._text, self._end, self._nl, self._first, self.tags, self.values
        )

    def line_numbers(self) -> list[int]:
        """The line number of each field, without building the fields."""
        return _field_lines(self._text, self._end, self._nl, self._first)


def _is_collapsed(content: str) -> bool:
    """Whether a tag line (without its ending) is a whole record collapsed onto one line: the
    line path's test (the kernels ask it about long lines that start with PMID, PMC or OWN)."""
    value = content[6:].rstrip(" ")
    return (
        len(value) > 40
        and _COLLAPSE_HINT.search(value) is not None
        and split_collapsed(content) is not None
    )


def _split_ending(line: str) -> tuple[str, str]:
    if line.endswith("\n"):
        if line.endswith("\r\n"):
            return line[:-2], "\r\n"
        return line[:-1], "\n"
    if line.endswith("\r"):
        return line[:-1], "\r"
    return line, ""


_MISSING_PMID: Final = "record has no PMID field; read anyway"


def _repeated_message(tag: str) -> str:
    return (
        f"{tag} ({TAGS[tag].name}) should appear once per record but appears again; "
        "every occurrence is kept"
    )


def _duplicate_message(pmid: str) -> str:
    return f"PMID {_shown(pmid)} appeared in an earlier record of this input; both are kept"


def _shown(value: str) -> str:
    """*value* for a message: cut short when long."""
    return value if len(value) <= 40 else value[:37] + "..."


_LONG_LINE_MESSAGE: Final = (
    f"line longer than {MAX_LINE_LENGTH:,} characters, more than any MEDLINE line holds (binary "
    "data? a file whose line breaks were lost?); kept as text in records of no field, cut into "
    "pieces of at most that length"
)


class _PmidSet:
    """The PMIDs seen so far, for the duplicate check, in flat memory: numeric PMIDs (all real ones)
    as bits of a bitmap that grows to the largest PMID seen (8 MB covers PMIDs up to 67 million),
    anything else in a set (a long value by its digest, so that hostile input cannot make the set
    hold megabytes per record)."""

    __slots__ = ("_other", "bits")

    _LIMIT = PMID_BITS_LIMIT  # beyond this a PMID is kept in the set rather than the bitmap (16 MB)

    def __init__(self) -> None:
        self.bits = bytearray()
        self._other: set[str | bytes] = set()

    def has(self, pmid: str) -> bool:
        """Whether *pmid* was recorded."""
        if self._numeric(pmid):
            number = int(pmid)
            byte = number >> 3
            return byte < len(self.bits) and bool(self.bits[byte] & (1 << (number & 7)))
        return _pmid_key(pmid) in self._other

    def _numeric(self, pmid: str) -> bool:
        return (
            pmid.isdigit()
            and pmid.isascii()
            and pmid[0] != "0"
            and len(pmid) < 11
            and int(pmid) < self._LIMIT
        )

    def add(self, pmid: str) -> bool:
        """Record *pmid*; true when it was seen before."""
        if self._numeric(pmid):
            number = int(pmid)
            byte, bit = number >> 3, 1 << (number & 7)
            bits = self.bits
            if byte >= len(bits):
                bits.extend(bytes(max(byte + 1 - len(bits), len(bits) // 2)))
            if bits[byte] & bit:
                return True
            bits[byte] |= bit
            return False
        key = _pmid_key(pmid)
        if key in self._other:
            return True
        self._other.add(key)
        return False


def _pmid_key(pmid: str) -> str | bytes:
    """What the set of other PMIDs holds for *pmid*: itself when short, else a digest."""
    if len(pmid) <= 32:
        return pmid
    return hashlib.blake2b(pmid.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class Tokenizer:
    """Turns lines into :class:`~medline_parse.records.Record` objects.

    Args:
        path: names the input in diagnostics and errors (the tokenizer never opens it).
        strict: raise :class:`~medline_parse.errors.ParseError` at the first problem instead of
            recording a diagnostic.
        split_collapsed: recover whitespace-collapsed records (``FORMAT.md`` §9).
    """

    def __init__(
        self, *, path: str | None = None, strict: bool = False, split_collapsed: bool = True
    ) -> None:
        self.path = path
        self.strict = strict
        self.split_collapsed = split_collapsed
        self._line_no = 0
        self._seen_pmids = _PmidSet()
        # The record being built.
        self._lines: list[str] = []
        self._fields: list[Field] = []
        self._diags: list[Diagnostic] = []
        self._start = 1
        self._indent = 0
        # The field being built: tag, value parts, index of its first line in _lines, line number,
        # index just past its last content line.
        self._tag: str | None = None
        self._parts: list[str] = []
        self._fstart = 0
        self._fline = 0
        self._fend = 0
        # Blank lines seen since the last content line; lines read after them that belong to no
        # field yet (a stray line at the end of the input joins the record before it).
        self._blank = False
        self._pending: list[str] = []
        self._pending_stray = False  # whether _pending holds a stray (non-blank) line
        self._first_blank: int | None = None  # the record's first blank line after a field
        self._after_piece = False  # whether a piece of an overlong line was fed
        self._pending_diags: list[Diagnostic] = []
        # Diagnostics about the line being fed, attached once it is known which record receives it.
        self._line_diags: list[Diagnostic] = []
        self._to_pending = False
        self._closed = False
        # Text not yet cut into records (fast path), and its line ending ("" until known).
        self._buffer = ""
        self._max_held = _MAX_HELD
        self._nl = ""
        self._lazy: LazyFields | None = None

    @property
    def line_number(self) -> int:
        """How many lines have been fed so far."""
        return self._line_no

    # -- public interface ---------------------------------------------------------------------

    def feed(self, line: str, diagnostics: Sequence[Diagnostic] = ()) -> list[Record]:
        """Consume one line (with its line ending, if it has one) and return the records it completed.

        *diagnostics* are problems the caller found with this line (a decoding fallback, say); they
        are attached to the record that receives the line.
        """
        if self._closed:
            raise ParseError("the tokenizer is closed", path=self.path)
        out: list[Record] = self.flush() if self._buffer else []
        self._line_no += 1
        self._line_diags = []
        for diagnostic in diagnostics:
            self._note(diagnostic.code, diagnostic.message, line, diagnostic.severity)
        content, _ending = _split_ending(line)
        if content.startswith("\ufeff"):
            self._note(
                "bom",
                "byte-order mark at the start of a line (a file concatenated after being saved by "
                "a Windows editor?); ignored for reading, kept in the source",
                line,
                Severity.WARNING if self._line_no > 1 else Severity.INFO,
            )
            content = content.lstrip("\ufeff")
        if _CONTROL.search(content) is not None:
            self._note(
                "control-character",
                "line holds control characters (NUL or similar); kept as they are",
                line,
            )
        surrogate = _SURROGATE.search(content)
        if surrogate is not None:
            self._note(
                "lone-surrogate",
                f"line holds a lone surrogate (U+{ord(surrogate.group()):04X}: half of a UTF-16 "
                "pair, or a byte smuggled in by Python's surrogateescape), which is no character "
                "and which no encoding can write; kept as it is, writing it raises WriteError",
                line,
            )

        self._to_pending = False
        stripped = content.lstrip(_WS)
        if not stripped:
            self._blank_line(line)
        else:
            lead = len(content) - len(stripped)
            if lead == 0:
                self._tag_line(content, line, out)
            elif lead < 6 and stripped[:1] != "\t" and self._is_indented_tag(stripped, lead):
                self._tag_line(stripped, line, out, indent=lead)
            else:
                self._continuation(content, lead, line, out)
        if self._line_diags:
            if self._to_pending:
                self._pending_diags.extend(self._line_diags)
            else:
                self._diags.extend(self._line_diags)
        return out

    def feed_text(self, text: str) -> list[Record]:
        """Consume a block of whole lines (it must end with a line ending, or be the input's end
        fed just before :meth:`close`) and return the records it completed.

        The result is the same as feeding the lines one by one with :meth:`feed`; records in
        PubMed's regular layout are cut out with whole-string operations, which is much faster.
        """
        return list(self._iter_text(text))

    def _iter_text(self, text: str) -> Iterator[Record]:
        """:meth:`feed_text`, yielding each record as soon as it is complete (so that a consumer
        that drops each record before asking for the next holds one at a time: fewer live
        objects, fewer runs of the cyclic garbage collector)."""
        if self._closed:
            raise ParseError("the tokenizer is closed", path=self.path)
        out: list[Record] = []
        if self._buffer:
            text = self._buffer + text
            self._buffer = ""
        nl = self._nl
        if not nl:
            nl = self._nl = "\r\n" if "\r\n" in text else "\n"
        fast = _FAST[nl]
        if "\r" in text and (nl == "\n" or text.count("\r") != text.count("\r\n")):
            self._slow(text, out)  # CR-only or mixed line endings
            yield from out
            return
        start = 0
        size = len(text)
        # a kernel's: (text end, end, line feeds, odd character) per record
        spans = _block_spans(text, nl)
        strict = self.strict
        collapsed = _is_collapsed if self.split_collapsed else None
        for index in range(0, len(spans), 4):
            end = spans[index + 1]
            piece = text[start:end]
            # the record's lines end at the line break where the run of blank lines starts
            text_end = spans[index] - start
            lines = spans[index + 2]
            start = end
            # The fast path (what _chunk does for a record in PubMed's layout), inline.
            cut = None
            if (
                text_end > 0
                and lines >= 0
                and not spans[index + 3]
                and not strict
                and not self._pending
                and (self._blank or (self._tag is None and not self._fields))
            ):
                cut = _cut_record(piece, text_end, nl, _KNOWN_HEAD, collapsed)
            if cut is None:
                self._chunk(piece, text_end, fast, out, spans[index + 3], lines)
                if out:
                    yield from out
                    out = []
                continue
            record = None
            if self._lazy is not None and self._tag is None:
                record = self._lazy_record()
                # what _reset does, but for the state set just below
                self._diags = []
                self._indent = 0
                self._first_blank = None
            else:
                self._finish_record(out)
            first = self._line_no + 1
            self._lines = [piece]
            self._fields = _LAZY_MARK
            self._lazy = _KernelFields(cut[0], cut[1], piece, text_end, nl, first)
            self._start = first
            self._line_no += lines
            self._blank = text_end + len(nl) < len(piece)
            if record is not None:
                yield record
            elif out:
                yield from out
                out = []
        if size - start > self._max_held:
            # One record longer than any real one: the line path reads it in linear time, where
            # holding it for the next block would copy and rescan it block after block.
            self._slow(text[start:], out)
        else:
            self._buffer = text[start:]
        yield from out

    def _slow(self, text: str, out: list[Record]) -> None:
        feed = self.feed
        for line in split_text_lines(text):
            out.extend(feed(line))

    def _chunk(
        self,
        chunk: str,
        text_end: int,
        fast: _Fast,
        out: list[Record],
        odd: int = 1,
        lines: int | None = None,
    ) -> None:
        """One record's text (up to the next record's first line): fast when regular.

        *text_end* is where the line break of the chunk's last non-blank line starts (-1 when the
        chunk is blank); *odd* says whether the text the chunk was cut from may hold control
        characters or BOMs; *lines* is how many line feeds the chunk holds (-1 when a line feed
        lacks its carriage return in CRLF text), when known.
        """
        if lines is None:
            lines = chunk.count("\n")
            if fast.nl == "\r\n" and lines != chunk.count("\r\n"):
                lines = -1
        between_records = self._blank or (self._tag is None and not self._fields)
        if (
            self._pending
            or not between_records
            or self.strict
            or text_end <= 0
            or (odd and _ODD_CHARACTER.search(chunk) is not None)
            or lines < 0
        ):
            self._slow(chunk, out)
            return
        lazy = self._fast_fields(chunk, text_end, fast)
        if lazy is None:
            self._slow(chunk, out)
            return
        self._finish_record(out)
        self._lines = [chunk]
        self._fields = _LAZY_MARK
        self._lazy = lazy
        self._start = self._line_no + 1
        self._line_no += lines
        self._blank = text_end + len(fast.nl) < len(chunk)

    def _fast_fields(self, text: str, end: int, fast: _Fast) -> LazyFields | None:
        """The fields of the record ``text[:end]`` (its lines, without the last line's ending), or
        ``None`` when a line is not in PubMed's layout (the line path then takes the record).

        The cutting is a kernel's (``_cut.py``, or its compiled twin ``_cut_c.pyx``)."""
        nl = fast.nl
        cut = _cut_record(
            text, end, nl, _KNOWN_HEAD, _is_collapsed if self.split_collapsed else None
        )
        if cut is None:
            return None
        return _KernelFields(cut[0], cut[1], text, end, nl, self._line_no + 1)

    def close(self) -> list[Record]:
        """Signal the end of the input and return the last record, if any."""
        if self._closed:
            return []
        out: list[Record] = []
        if self._buffer:
            text, self._buffer = self._buffer, ""
            fast = _FAST[self._nl]
            if text.endswith(self._nl) and "\r" not in text.replace(self._nl, ""):
                content = text.rstrip(" \t\r\n")
                text_end = text.index(self._nl, len(content)) if content else -1
                self._chunk(text, text_end, fast, out, _has_odd_character(text))
            else:
                self._slow(text, out)
        self._closed = True
        if self._pending:
            if self._fields or self._lines:
                self._lines.extend(self._pending)
                self._diags.extend(self._pending_diags)
            else:
                self._lines = self._pending
                self._diags = self._pending_diags
            self._pending = []
            self._pending_diags = []
            self._pending_stray = False
        if any(self._lines):  # empty strings from a line iterable hold nothing to keep
            self._emit(out)
        return out

    def feed_piece(
        self, text: str, first: bool, diagnostics: Sequence[Diagnostic] = ()
    ) -> list[Record]:
        """Consume a piece of a line longer than any MEDLINE line (:data:`~medline_parse.sources.\
MAX_LINE_LENGTH`), as the sources cut it; *first* marks a new line's first piece.

        Such a line is no field: the record in progress ends before it and each piece becomes a
        record of no field whose source is the piece, with a ``line-too-long`` diagnostic.  The
        lines read since the last record that belong to no field yet (blank and stray lines) go
        with the first piece.  Memory stays bounded by the size of a piece.
        """
        if self._closed:
            raise ParseError("the tokenizer is closed", path=self.path)
        out: list[Record] = self.flush() if self._buffer else []
        lines: list[str] = []
        diags: list[Diagnostic] = []
        if first:
            self._line_no += 1
            self._finish_record(out)
            lines, diags = self._pending, self._pending_diags
            self._pending, self._pending_diags, self._pending_stray = [], [], False
            self._fields, self._lines, self._diags = [], [], []
            self._blank = False
            self._first_blank = None
            self._indent = 0
        line = self._line_no
        diags.append(
            Diagnostic("line-too-long", _LONG_LINE_MESSAGE, line, Severity.WARNING, self.path)
        )
        diags.extend(
            Diagnostic(d.code, d.message, line, d.severity, self.path) for d in diagnostics
        )
        if self.strict:
            problem = next(d for d in diags if d.is_problem)  # the line-too-long one at least
            raise ParseError.from_diagnostic(problem, text)
        lines.append(text)
        out.append(Record((), "".join(lines), line - len(lines) + 1, tuple(diags), self.path))
        self._start = line + 1
        self._after_piece = True
        return out

    def flush(self) -> list[Record]:
        """Run the text held by :meth:`feed_text` through the line path, so that :meth:`feed` can
        follow.  Returns the records that completed."""
        out: list[Record] = []
        if self._buffer:
            text, self._buffer = self._buffer, ""
            self._slow(text, out)
        return out

    # -- line kinds ---------------------------------------------------------------------------

    def _blank_line(self, line: str) -> None:
        if not self._blank and (self._fields or self._tag) and not self._pending:
            # where strict mode takes the record to end (and raises a missing PMID)
            if self._first_blank is None:
                self._first_blank = self._line_no
            if self.strict:
                self._strict_record_end()
        if self._pending or not (self._fields or self._tag):
            self._pending.append(line)
            self._to_pending = True
        else:
            self._lines.append(line)
        self._blank = True

    def _is_indented_tag(self, stripped: str, lead: int) -> bool:
        # A record pasted with an indent: the line is a tag line once the indent is removed.
        if stripped[4:6] != "- ":
            return False
        if self._tag is not None and not self._blank and lead != self._indent:
            return False
        return stripped[:4] in _KNOWN_PREFIX

    def _tag_line(self, content: str, line: str, out: list[Record], indent: int = 0) -> None:
        tag: str | None = _KNOWN_PREFIX.get(content[:4]) if content[4:6] == "- " else None
        sloppy = padded = False
        if tag is None:
            if content[4:6] == "- " and content[0] != " ":
                candidate = content[:4].rstrip(" ")
                if is_tag_name(candidate):
                    tag = candidate
            if tag is None:
                match = _SLOPPY.match(content)
                if match is not None and (match.group(1) in TAGS or match.group(2)):
                    tag = match.group(1)
                    sloppy = True
                    # Only the padding differs ("ISSN - x", as ERIC writes): a note, not a problem.
                    padded = bool(match.group(2)) and match.group(3)[:1] == " "
        if tag is None:
            self._stray(line, "junk-line", "line is neither a field nor a continuation; kept as is")
            return
        if sloppy:
            value = content[content.index("-") + 1 :].strip(" ")
        else:
            value = content[6:].rstrip(" ")

        starts_record = self._blank or not (self._fields or self._tag)
        if not starts_record and tag == "PMID":
            tags = {field.tag for field in self._fields}
            if self._tag is not None:
                tags.add(self._tag)
            if not tags <= _PMC_HEADER:
                self._finish_record(out)
                self._note(
                    "missing-blank-line",
                    "a PMID line inside a record: no blank line before it, so a new record starts "
                    "here (records are never merged)",
                    line,
                )
                starts_record = False  # already started
        if starts_record:
            self._finish_record(out)
            if indent:
                self._note(
                    "indented-record",
                    f"record is indented by {indent} space{'s' if indent > 1 else ''}; read with "
                    "the indent removed",
                    line,
                )
        if indent != self._indent and self._tag is None and not self._fields:
            self._indent = indent

        if (
            self.split_collapsed
            and not sloppy
            and len(value) > 40
            and _COLLAPSE_HINT.search(value) is not None
        ):
            spans = split_collapsed(content)
            if spans is not None:
                self._collapsed(spans, content, line, out)
                return
        if sloppy:
            self._note(
                "sloppy-tag",
                f"{tag} tag line is not laid out as 'TAG - value' (hand-edited?); read anyway",
                line,
                Severity.INFO if padded else Severity.WARNING,
            )
        self._start_field(tag, value, line)

    def _continuation(self, content: str, lead: int, line: str, out: list[Record]) -> None:
        if self._tag is None:
            self._stray(
                line,
                "continuation-before-tag",
                "indented line with no field before it in its record; kept as is",
            )
            return
        if self._blank and (self._tag == "PMID" or self._pending_stray):
            # Blank lines and then a stray line (or a PMID, whose value never continues): this
            # indented line follows no field.
            self._stray(
                line,
                "continuation-before-tag",
                "indented line with no field before it in its record; kept as is",
            )
            return
        if self._blank:
            # A blank line in the middle of a field: keep the record together.
            self._note(
                "blank-line-in-field",
                f"blank line inside the {self._tag} field; the text after it is read as the "
                "field's continuation",
                line,
            )
            self._lines.extend(self._pending)
            self._pending = []
            self._pending_stray = False
            self._diags.extend(self._pending_diags)
            self._pending_diags = []
            self._blank = False
        expected = 6 + self._indent
        if lead >= expected and content[:expected].strip(" ") == "":
            text = content[expected:].rstrip(" ")
        else:
            text = content.lstrip(_WS).rstrip(" ")
            self._note(
                "odd-indent",
                f"continuation line indented by {lead} characters instead of {expected}; read as "
                "continuation",
                line,
            )
        self._lines.append(line)
        self._fend = len(self._lines)
        if self._parts and self._parts[-1]:
            self._parts.append(text)
        else:
            self._parts[-1:] = [text]

    def _stray(self, line: str, code: str, message: str) -> None:
        self._note(code, message, line)
        if self._blank or self._pending or not (self._fields or self._tag):
            self._pending.append(line)
            self._pending_stray = True
            self._to_pending = True
        else:
            self._lines.append(line)

    def _collapsed(
        self, spans: list[tuple[str, str, int, int]], content: str, line: str, out: list[Record]
    ) -> None:
        ending = line[len(line.rstrip("\r\n")) :]
        prefix = line[: len(line) - len(ending) - len(content)]  # BOM or indent
        # The fields of each record on the line: from its first span up to the next PMID.  Counted
        # in one pass, not by a scan ahead at each PMID, which made a line of n records (up to the
        # 16 Mi characters a line may hold) cost n squared.
        firsts = [0, *(index for index in range(1, len(spans)) if spans[index][0] == "PMID")]
        counts = iter(map(operator.sub, [*firsts[1:], len(spans)], firsts))
        for index, (tag, value, start, end) in enumerate(spans):
            piece = content[start:end]
            if index == 0:
                piece = prefix + piece
            if index == len(spans) - 1:
                piece += ending
            if index and tag == "PMID":
                # The notes about the line so far belong to the record the line started in.
                self._diags.extend(self._line_diags)
                self._line_diags = []
                self._finish_record(out)
            self._start_field(tag, value, piece)
            if index == 0 or tag == "PMID":
                count = next(counts)
                self._note(
                    "collapsed-record",
                    f"a whole record on one line (line breaks lost); split into {count} fields",
                    line,
                )

    # -- building ----------------------------------------------------------------------------

    def _strict_record_end(self) -> None:
        """Strict mode: a blank line after a record's fields is where the record (most likely)
        ends, so a missing PMID is raised there rather than after the lines that follow."""
        tags = [field.tag for field in self._fields]
        if self._tag is not None:
            tags.append(self._tag)
        if "PMID" not in tags:
            first_line = self._fields[0].line if self._fields else self._fline
            first_raw = self._fields[0].raw if self._fields else self._lines[self._fstart]
            diagnostic = Diagnostic(
                "missing-pmid", _MISSING_PMID, first_line,
                Severity.WARNING, self.path,
            )  # fmt: skip
            raise ParseError.from_diagnostic(diagnostic, first_raw)

    def _strict_field_checks(self, tag: str, value: str, raw_line: str) -> None:
        """Strict mode: a repeated tag, or a PMID already invalid on its first line, is raised at
        the line that shows it."""
        if tag in _SINGLE and (tag == self._tag or any(f.tag == tag for f in self._fields)):
            message = _repeated_message(tag)
            raise ParseError.from_diagnostic(
                Diagnostic("repeated-tag", message, self._line_no, Severity.WARNING, self.path),
                raw_line,
            )
        if tag == "PMID" and not is_valid_pmid(value):  # before any later line's problem
            self._strict_pmid_checks(value, self._line_no, raw_line)

    def _strict_pmid_checks(self, value: str, line: int, raw_line: str) -> None:
        """Strict mode: an invalid or duplicate PMID, raised at its line once the field is whole
        (the value lenient mode checks, continuation lines included)."""
        if not is_valid_pmid(value):
            message = invalid_pmid_message(value)
            raise ParseError.from_diagnostic(
                Diagnostic("invalid-pmid", message, line, Severity.WARNING, self.path), raw_line
            )
        if self._seen_pmids.has(value):
            message = _duplicate_message(value)
            raise ParseError.from_diagnostic(
                Diagnostic("duplicate-pmid", message, line, Severity.WARNING, self.path), raw_line
            )

    def _start_field(self, tag: str, value: str, raw_line: str) -> None:
        if self.strict:
            self._strict_field_checks(tag, value, raw_line)
        self._finish_field()
        if self._pending:
            self._lines.extend(self._pending)
            self._diags.extend(self._pending_diags)
            self._pending = []
            self._pending_diags = []
            self._pending_stray = False
        self._blank = False
        self._tag = tag
        self._parts = [value]
        self._fstart = len(self._lines)
        self._fline = self._line_no
        self._lines.append(raw_line)
        self._fend = len(self._lines)

    def _finish_field(self) -> None:
        if self._tag is None:
            return
        parts = self._parts
        value = parts[0] if len(parts) == 1 else " ".join(parts)
        if self.strict and self._tag == "PMID":
            self._strict_pmid_checks(value, self._fline, self._lines[self._fstart])
        raw = "".join(self._lines[self._fstart : self._fend])
        self._fields.append(Field(self._tag, value, self._fline, raw))
        self._tag = None

    def _finish_record(self, out: list[Record]) -> None:
        """Emit the record built so far (if any) and start a new one."""
        self._finish_field()
        if self._fields:
            self._emit(out)

    def _emit(self, out: list[Record]) -> None:
        self._finish_field()
        if self._lazy is not None:
            out.append(self._emit_lazy())
            return
        fields = tuple(self._fields)
        if fields:
            self._check_record([f.tag for f in fields], [f.value for f in fields], fields)
        else:
            blank_only = all(not line.strip() for line in self._lines)
            self._diags.append(
                Diagnostic(
                    "no-records",
                    (
                        "these lines after an overlong line hold"
                        if self._after_piece
                        else "the input holds"
                    )
                    + " no MEDLINE field"
                    + (" (blank lines only)" if blank_only else "; its text is kept as is"),
                    self._start,
                    Severity.INFO if blank_only else Severity.WARNING,
                    self.path,
                )
            )
            if self.strict and not blank_only:
                raise ParseError.from_diagnostic(self._diags[-1], self._lines[0])
        out.append(Record(fields, "".join(self._lines), self._start, tuple(self._diags), self.path))
        self._reset()

    def _emit_lazy(self) -> Record:
        """The record the fast path took, complete (``_emit`` with no field in progress)."""
        record = self._lazy_record()
        self._reset()
        return record

    def _lazy_record(self) -> Record:
        """The record the fast path took, with its record-level diagnostics (the tokenizer's state
        is reset by the caller)."""
        lazy = self._lazy
        assert lazy is not None
        self._lazy = None
        # the kernel answers for the records that need no diagnostic (nearly all)
        checked = _plain_record(lazy.tags, lazy.values, _SINGLE, self._seen_pmids.bits)
        if checked == DUPLICATE:  # the PMID on the record's first line
            pmid = lazy.values[0]
            message = _duplicate_message(pmid)
            self._diags.append(
                _new_diagnostic("duplicate-pmid", message, self._start, Severity.WARNING, self.path)
            )
        elif checked != PLAIN:
            self._check_record(lazy.tags, lazy.values, lazy)
        lines = self._lines
        source = lines[0] if len(lines) == 1 else "".join(lines)
        return _new_record(None, source, self._start, tuple(self._diags), self.path, lazy)

    def _reset(self) -> None:
        self._lines = []
        self._fields = []
        self._diags = []
        self._indent = 0
        self._blank = False
        self._first_blank = None
        # The next record starts with the pending lines, then the line being fed.
        self._start = max(1, self._line_no - len(self._pending))

    def _detected(self, note: tuple[str, str, Field]) -> int:
        """The line at which strict mode meets a record-level note: the note's own line, but for
        a missing PMID the record's first blank line after a field, or its end."""
        if note[0] != "missing-pmid":
            return note[2].line
        return self._first_blank if self._first_blank is not None else sys.maxsize

    def _check_record(
        self, tags: list[str], values: list[str], fields: tuple[Field, ...] | LazyFields
    ) -> None:
        built = None if isinstance(fields, LazyFields) else fields

        def field(index: int) -> Field:
            nonlocal built
            if built is None:
                if index == 0:  # no need to build them all (the raw text serves strict mode only)
                    return Field(tags[0], values[0], self._start, "")
                assert isinstance(fields, LazyFields)
                built = fields.fields()  # once: a record may repeat a tag thousands of times
            return built[index]

        notes: list[tuple[str, str, Field]] = []
        single = list(filter(_SINGLE.__contains__, tags))
        if len(single) != len(set(single)):
            seen: set[str] = set()
            for index, tag in enumerate(tags):
                if tag in seen and tag in _SINGLE:
                    notes.append(("repeated-tag", _repeated_message(tag), field(index)))
                seen.add(tag)
        at = 0 if tags[0] == "PMID" else tags.index("PMID") if "PMID" in tags else -1
        if at < 0:
            notes.append(("missing-pmid", _MISSING_PMID, field(0)))
        else:
            # at the PMID line (after PMC in PMC's exports), where strict mode stops
            pmid = values[at]
            if not is_valid_pmid(pmid):
                notes.append(("invalid-pmid", invalid_pmid_message(pmid), field(at)))
            if self._seen_pmids.add(pmid):
                notes.append(("duplicate-pmid", _duplicate_message(pmid), field(at)))
        if len(notes) > 1:
            # in the order strict mode meets them (see _detected)
            notes.sort(key=self._detected)
        for code, message, where in notes:
            self._record_note(code, message, where)

    # -- diagnostics --------------------------------------------------------------------------

    def _note(
        self, code: str, message: str, line: str, severity: Severity = Severity.WARNING
    ) -> None:
        diagnostic = Diagnostic(code, message, self._line_no, severity, self.path)
        if self.strict and severity is not Severity.INFO:
            raise ParseError.from_diagnostic(diagnostic, line)
        self._line_diags.append(diagnostic)

    def _record_note(
        self, code: str, message: str, field: Field, severity: Severity = Severity.WARNING
    ) -> None:
        diagnostic = Diagnostic(code, message, field.line, severity, self.path)
        if self.strict and severity is not Severity.INFO:
            raise ParseError.from_diagnostic(diagnostic, field.raw)
        self._diags.append(diagnostic)


def tokenize_lines(
    lines: Iterable[str | tuple[str, Sequence[Diagnostic]]],
    *,
    path: str | None = None,
    strict: bool = False,
    split_collapsed: bool = True,
) -> Iterator[Record]:
    """Run a :class:`Tokenizer` over *lines* (each with its ending) and yield the records.

    An item may also be ``(line, diagnostics)`` to attach problems the caller found with that line.
    """
    tokenizer = Tokenizer(path=path, strict=strict, split_collapsed=split_collapsed)
    feed = tokenizer.feed
    for item in lines:
        if isinstance(item, str):
            yield from feed(item)
        else:
            yield from feed(item[0], item[1])
    yield from tokenizer.close()


def tokenize_blocks(
    blocks: Iterable[Block],
    *,
    path: str | None = None,
    strict: bool = False,
    split_collapsed: bool = True,
) -> Iterator[Record]:
    """Run a :class:`Tokenizer` over blocks from :func:`medline_parse.sources.iter_blocks`."""
    tokenizer = Tokenizer(path=path, strict=strict, split_collapsed=split_collapsed)
    iterator = iter(blocks)
    while True:
        try:
            block = next(iterator)
        except StopIteration:
            break
        except SourceError:
            yield from tokenizer.close()  # deliver what was read before the damage, then fail
            raise
        if isinstance(block, str):
            # strict mode raises at a problem before yielding any record of the block
            yield from tokenizer.feed_text(block) if strict else tokenizer._iter_text(block)
        else:
            for item in block:
                if isinstance(item, str):
                    yield from tokenizer.feed(item)
                elif isinstance(item, LinePiece):
                    yield from tokenizer.feed_piece(item.text, item.first, item.diagnostics)
                else:
                    yield from tokenizer.feed(item[0], item[1])
    yield from tokenizer.close()
