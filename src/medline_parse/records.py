"""The record layer: lossless fields and records, as the tokenizer produces them.

A :class:`Record` is one MEDLINE record exactly as it stood in the input: its :attr:`~Record.source`
text (every byte, line endings, trailing spaces and the blank lines after it included) and its
:class:`Field` s, each with its tag, its logical value, its line number and its own raw text.
Joining ``record.source`` over all records of an input gives back the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

import attrs

from .errors import Diagnostic

__all__ = ["Field", "Record", "join_sources"]


class Field(NamedTuple):
    """One field of a record: a tag line and its continuation lines."""

    tag: str
    """The tag, without padding (``"AU"``); unknown tags are kept as they are."""
    value: str
    """The logical value: continuation lines joined by one space, trailing spaces dropped."""
    line_number: int
    """1-based number of the line the field starts on."""
    raw: str
    """The field's exact text: its lines with their endings, as in the input."""


@attrs.frozen(slots=True, eq=True)
class Record:
    """One MEDLINE record: its fields, its exact source text and what was noticed while reading it."""

    fields: tuple[Field, ...]
    """The record's fields in input order."""
    source: str
    """The exact text the record came from: blank lines before the first record, stray lines and
    the blank lines after it included."""
    line_number: int = 1
    """1-based number of the first line of :attr:`source`."""
    diagnostics: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False)
    """Problems found in this record (lenient mode); not part of equality."""
    path: str | None = attrs.field(default=None, eq=False)
    """The file the record was read from, when known."""

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
