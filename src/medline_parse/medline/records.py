"""The record layer: lossless fields and records, as the tokenizer produces them.

A :class:`Record` is one MEDLINE record exactly as it stood in the input: its :attr:`~Record.source`
text (every byte, line endings, trailing spaces and the blank lines after it included) and its
:class:`Field` s, each with its tag, its logical value, its line number and its own raw text.
Joining ``record.source`` over all records of an input gives back the input.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import attrs

from ..errors import Diagnostic

__all__ = ["Field", "LazyFields", "Record", "join_sources"]


def _deprecated(name: str) -> None:
    warnings.warn(
        f"{name} is deprecated: use .line, as Diagnostic and ParseError do",
        DeprecationWarning,
        stacklevel=3,
    )


class Field(NamedTuple):
    """One field of a record: a tag line and its continuation lines."""

    tag: str
    """The tag, without padding (``"AU"``); unknown tags are kept as they are."""
    value: str
    """The logical value: continuation lines joined by one space, trailing spaces dropped."""
    line: int
    """1-based number of the line the field starts on."""
    raw: str
    """The field's exact text: its lines with their endings, as in the input."""

    @property
    def line_number(self) -> int:
        """Deprecated alias of :attr:`line` (the name :class:`~medline_parse.Diagnostic` and
        :class:`~medline_parse.ParseError` use); it goes in a future release."""
        _deprecated("Field.line_number")
        return self.line


class LazyFields:
    """A record's tags and values, with its :class:`Field` s built only when asked for (the typed
    parser needs only the tags and values)."""

    __slots__ = ("_lines", "_make", "tags", "values")

    def __init__(
        self,
        tags: list[str],
        values: list[str],
        make: Callable[[], tuple[Field, ...]],
        lines: Callable[[], list[int]],
    ) -> None:
        self.tags = tags
        self.values = values
        self._make = make
        self._lines = lines

    def fields(self) -> tuple[Field, ...]:
        """Build the fields."""
        return self._make()

    def line_numbers(self) -> list[int]:
        """The line number of each field, without building the fields."""
        return self._lines()


@attrs.frozen(slots=True, eq=True)
class Record:
    """One MEDLINE record: its fields, its exact source text and what was noticed while reading it.

    Records are equal when they come from the same text at the same line.
    """

    _fields: tuple[Field, ...] | None = attrs.field(alias="fields", eq=False, repr=False)
    source: str
    """The exact text the record came from: blank lines before the first record, stray lines and
    the blank lines after it included."""
    line: int = 1
    """1-based number of the first line of :attr:`source`."""
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False)
    """Problems found in this record (lenient mode); not part of equality."""
    path: str | None = attrs.field(default=None, eq=False)
    """The file the record was read from, when known."""
    _lazy: LazyFields | None = attrs.field(default=None, eq=False, repr=False, alias="lazy")

    @property
    def fields(self) -> tuple[Field, ...]:
        """The record's fields in input order."""
        fields = self._fields
        if fields is None:
            assert self._lazy is not None
            fields = self._lazy.fields()
            object.__setattr__(self, "_fields", fields)
        return fields

    @property
    def line_number(self) -> int:
        """Deprecated alias of :attr:`line` (the name :class:`~medline_parse.Diagnostic` and
        :class:`~medline_parse.ParseError` use); it goes in a future release."""
        _deprecated("Record.line_number")
        return self.line

    @property
    def has_fields(self) -> bool:
        """Whether the record holds any field (a record of stray text holds none)."""
        return self._lazy is not None or bool(self._fields)

    @property
    def pmid(self) -> str | None:
        """The value of the first PMID field, or ``None``."""
        for field in self.fields:
            if field.tag == "PMID":
                return field.value
        return None

    @property
    def tags(self) -> tuple[str, ...]:
        """The record's tags in input order, repeats included."""
        return tuple(field.tag for field in self.fields)

    def tags_and_values(self) -> tuple[list[str], list[str]]:
        """The record's tags and values as two parallel lists, in order."""
        if self._fields is None and self._lazy is not None:
            return self._lazy.tags, self._lazy.values
        return [f.tag for f in self.fields], [f.value for f in self.fields]

    def line_numbers(self) -> list[int]:
        """The line number of each field, in order (cheaper than reading :attr:`fields`)."""
        if self._fields is None and self._lazy is not None:
            return self._lazy.line_numbers()
        return [f.line for f in self.fields]

    def field_line(self, index: int) -> int:
        """The line number of the field at *index*."""
        return self.fields[index].line

    def get(self, tag: str) -> list[str]:
        """The values of every *tag* field, in order (an empty list when there is none)."""
        return [field.value for field in self.fields if field.tag == tag]

    def first(self, tag: str) -> str | None:
        """The value of the first *tag* field, or ``None``."""
        for field in self.fields:
            if field.tag == tag:
                return field.value
        return None

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __contains__(self, tag: object) -> bool:
        return any(field.tag == tag for field in self.fields)


def join_sources(records: Iterable[Record]) -> str:
    """The text the records were read from: their sources joined, byte for byte."""
    return "".join(record.source for record in records)
