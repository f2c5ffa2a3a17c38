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

import re
from collections.abc import Iterable, Iterator, Sequence

from .collapsed import split_collapsed
from .errors import Diagnostic, ParseError, Severity
from .records import Field, Record
from .tags import TAGS, is_tag_name

__all__ = ["Tokenizer", "tokenize_lines"]

_INDENT = "      "
_KNOWN_PREFIX: dict[str, str] = {f"{tag:<4}": tag for tag in TAGS}
# Hand-edited tag lines: "PMID-123", "TI  -value", "TI-", "SO- text".  Only known tags qualify.
_SLOPPY = re.compile(r"([A-Z][A-Z0-9]{1,3})( {0,3})-(.*)\Z", re.DOTALL)
_COLLAPSE_HINT = re.compile(r" [A-Z][A-Z0-9]{1,3} ?- ")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WS = " \t"
_PMC_HEADER = frozenset({"PMC"})  # PMC's MEDLARS export puts PMC before PMID


def _split_ending(line: str) -> tuple[str, str]:
    if line.endswith("\n"):
        if line.endswith("\r\n"):
            return line[:-2], "\r\n"
        return line[:-1], "\n"
    if line.endswith("\r"):
        return line[:-1], "\r"
    return line, ""


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
        self._seen_pmids: set[str] = set()
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
        self._pending_diags: list[Diagnostic] = []
        # Diagnostics about the line being fed, attached once it is known which record receives it.
        self._line_diags: list[Diagnostic] = []
        self._to_pending = False
        self._closed = False

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
        self._line_no += 1
        self._line_diags = []
        out: list[Record] = []
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

    def close(self) -> list[Record]:
        """Signal the end of the input and return the last record, if any."""
        if self._closed:
            return []
        self._closed = True
        out: list[Record] = []
        if self._pending:
            if self._fields or self._lines:
                self._lines.extend(self._pending)
                self._diags.extend(self._pending_diags)
            else:
                self._lines = self._pending
                self._diags = self._pending_diags
            self._pending = []
            self._pending_diags = []
        if self._lines:
            self._emit(out)
        return out

    # -- line kinds ---------------------------------------------------------------------------

    def _blank_line(self, line: str) -> None:
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
            self._to_pending = True
        else:
            self._lines.append(line)

    def _collapsed(
        self, spans: list[tuple[str, str, int, int]], content: str, line: str, out: list[Record]
    ) -> None:
        self._note(
            "collapsed-record",
            f"a whole record on one line (line breaks lost); split into {len(spans)} fields",
            line,
        )
        ending = line[len(line.rstrip("\r\n")) :]
        prefix = line[: len(line) - len(ending) - len(content)]  # BOM or indent
        for index, (tag, value, start, end) in enumerate(spans):
            piece = content[start:end]
            if index == 0:
                piece = prefix + piece
            if index == len(spans) - 1:
                piece += ending
            if index and tag == "PMID":
                self._finish_record(out)
            self._start_field(tag, value, piece)

    # -- building ----------------------------------------------------------------------------

    def _start_field(self, tag: str, value: str, raw_line: str) -> None:
        self._finish_field()
        if self._pending:
            self._lines.extend(self._pending)
            self._diags.extend(self._pending_diags)
            self._pending = []
            self._pending_diags = []
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
        fields = tuple(self._fields)
        if fields:
            self._check_record(fields)
        else:
            blank_only = all(not line.strip() for line in self._lines)
            self._diags.append(
                Diagnostic(
                    "no-records",
                    "the input holds no MEDLINE field"
                    + (" (blank lines only)" if blank_only else "; its text is kept as is"),
                    self._start,
                    Severity.INFO if blank_only else Severity.WARNING,
                    self.path,
                )
            )
            if self.strict and not blank_only:
                raise ParseError.from_diagnostic(self._diags[-1], self._lines[0])
        out.append(Record(fields, "".join(self._lines), self._start, tuple(self._diags), self.path))
        self._lines = []
        self._fields = []
        self._diags = []
        self._indent = 0
        self._blank = False
        # The next record starts with the pending lines, then the line being fed.
        self._start = max(1, self._line_no - len(self._pending))

    def _check_record(self, fields: tuple[Field, ...]) -> None:
        seen: set[str] = set()
        pmid: str | None = None
        for field in fields:
            tag = field.tag
            if tag == "PMID" and pmid is None:
                pmid = field.value
            info = TAGS.get(tag)
            if tag in seen and info is not None and not info.repeatable:
                self._record_note(
                    "repeated-tag",
                    f"{tag} ({info.name}) should appear once per record but appears again; "
                    "every occurrence is kept",
                    field,
                )
            seen.add(tag)
        if pmid is None:
            self._record_note(
                "missing-pmid", "record has no PMID field; read anyway", fields[0], Severity.WARNING
            )
        elif pmid in self._seen_pmids:
            self._record_note(
                "duplicate-pmid",
                f"PMID {pmid} appeared in an earlier record of this input; both are kept",
                fields[0],
            )
        else:
            self._seen_pmids.add(pmid)

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
        diagnostic = Diagnostic(code, message, field.line_number, severity, self.path)
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
