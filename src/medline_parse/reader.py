"""Reading records from any source: the public entry points of the record layer."""

from __future__ import annotations

from collections.abc import Iterator

from .records import Record
from .sources import Source, describe_source, iter_lines
from .tokenizer import tokenize_lines

__all__ = ["iter_records"]


def iter_records(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
    split_collapsed: bool = True,
) -> Iterator[Record]:
    """Stream the :class:`~medline_parse.records.Record` s of *source*, in order.

    *source* is a path (``str`` or path-like; gzip files are decompressed), a binary or text file
    object, or an iterable of ``str`` lines.  Memory stays flat however large the input.

    Args:
        strict: raise :class:`~medline_parse.errors.ParseError` at the first problem instead of
            attaching a diagnostic to the record.
        encoding: decode bytes with this codec instead of UTF-8 with its stated fallback.
        split_collapsed: recover records whose line breaks were lost (``FORMAT.md`` §9).

    Raises:
        SourceError: the source cannot be opened or read (also an :class:`OSError`).
        ParseError: in strict mode, at the first problem.
    """
    return tokenize_lines(
        iter_lines(source, encoding),
        path=describe_source(source),
        strict=strict,
        split_collapsed=split_collapsed,
    )
